package io.refcat.store;

import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.Codec;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.store.codec.ChunkDecoder;
import io.refcat.store.source.SourceResolver;
import java.io.IOException;
import java.util.List;

/**
 * Reads one chunk of a reference set and decodes it as the served views do (the same source
 * checks, codecs and errors): for tools that need values rather than bytes, such as combine and
 * the catalogue's metadata extraction, which read coordinate values with it.
 */
public final class ChunkReader {
    private final SourceResolver resolver;

    public ChunkReader(SourceResolver resolver) {
        this.resolver = resolver;
    }

    /** The chunk's decoded bytes, in the array's dtype and byte order, the whole chunk. */
    public byte[] decoded(ReferenceSet refs, String key, ZarrArrayMetadata meta) throws IOException {
        Reference ref = refs.get(key).orElseThrow(() -> StoreException.notFound("no chunk '" + key + "'"));
        Payload stored = ZarrKeys.payload(refs, ref, "application/octet-stream", 1);
        byte[] bytes = stored instanceof Payload.Bytes b ? b.data()
                : PayloadResponder.readWhole(resolver, (Payload.SourceRange) stored);
        List<Codec> chain = meta.codecChain();
        return chain.isEmpty() ? bytes
                : ChunkDecoder.decode(bytes, chain, refs.filterMask(key), Math.toIntExact(meta.chunkBytes()), key);
    }
}
