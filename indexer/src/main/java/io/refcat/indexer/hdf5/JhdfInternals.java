package io.refcat.indexer.hdf5;

import io.jhdf.GroupImpl;
import io.jhdf.api.Group;
import io.jhdf.dataset.chunked.Chunk;
import io.jhdf.dataset.chunked.ChunkOffset;
import io.jhdf.dataset.chunked.ChunkedDatasetBase;
import io.jhdf.storage.HdfBackingStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;

/**
 * The one place refcat reaches into jhdf 0.13's non-public parts, each checked when the class
 * loads:
 * <ul>
 * <li>the per-chunk index (address, stored size, filter mask, for every chunk index type jhdf
 * reads: v1 and v2 B-trees, single chunk, implicit, fixed and extensible arrays), kept behind the
 * protected {@code ChunkedDatasetBase#getChunkLookup()}. Offsets are relative to the user block;
 * callers add its size;</li>
 * <li>{@code GroupImpl.createGroup}, package-private: refcat lists a group's links itself so that
 * one child jhdf cannot read does not fail its siblings ({@link GroupLinks}).</li>
 * </ul>
 */
final class JhdfInternals {
    private static final Method GET_CHUNK_LOOKUP;
    private static final Method CREATE_GROUP;

    static {
        try {
            GET_CHUNK_LOOKUP = ChunkedDatasetBase.class.getDeclaredMethod("getChunkLookup");
            GET_CHUNK_LOOKUP.setAccessible(true);
            CREATE_GROUP = GroupImpl.class.getDeclaredMethod("createGroup", HdfBackingStorage.class, long.class,
                    String.class, Group.class);
            CREATE_GROUP.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("jhdf's internals changed: " + e);
        }
    }

    private JhdfInternals() {
    }

    @SuppressWarnings("unchecked")
    static Collection<Chunk> chunks(ChunkedDatasetBase dataset) {
        return ((Map<ChunkOffset, Chunk>) invoke(GET_CHUNK_LOOKUP, dataset)).values();
    }

    static Group createGroup(HdfBackingStorage storage, long address, String name, Group parent) {
        return (Group) invoke(CREATE_GROUP, null, storage, address, name, parent);
    }

    private static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call jhdf's " + method.getName(), e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
