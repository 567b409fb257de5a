package io.refcat.store;

import io.refcat.reference.ByteSource;
import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.Codec;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.store.codec.ChunkDecoder;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one chunk of a reference set and decodes it as the served views do: for tools that need
 * values rather than bytes (combine reads coordinate values with it).
 */
public final class ChunkReader {
    private final SourceResolver resolver;

    public ChunkReader(SourceResolver resolver) {
        this.resolver = resolver;
    }

    /** The chunk's decoded bytes, in the array's dtype and byte order, the whole chunk. */
    public byte[] decoded(ReferenceSet refs, String key, ZarrArrayMetadata meta) throws IOException {
        Reference ref = refs.get(key).orElseThrow(() -> StoreException.notFound("no chunk '" + key + "'"));
        byte[] stored;
        if (ref instanceof Reference.Inline inline) {
            stored = inline.data();
        } else {
            String url = ref instanceof Reference.Range r ? r.url() : ((Reference.WholeFile) ref).url();
            try (ByteSource source = resolver.open(url)) {
                long offset = ref instanceof Reference.Range r ? r.offset() : 0;
                long length = ref instanceof Reference.Range r ? r.length() : source.size();
                stored = source.read(offset, Math.toIntExact(length));
            }
        }
        List<Codec> chain = new ArrayList<>(meta.filters());
        if (meta.compressor() != null) {
            chain.add(meta.compressor());
        }
        int size = Math.toIntExact(meta.chunkBytes());
        return chain.isEmpty() ? stored : ChunkDecoder.decode(stored, chain, refs.filterMask(key), size, key);
    }
}
