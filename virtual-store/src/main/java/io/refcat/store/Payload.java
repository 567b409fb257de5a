package io.refcat.store;

/** What a store key resolves to: bytes already in memory, or a byte range of a source. */
public sealed interface Payload permits Payload.Bytes, Payload.SourceRange, Payload.Decoded {

    String contentType();

    /** Metadata documents and inline chunks. */
    record Bytes(byte[] data, String contentType) implements Payload {
    }

    /**
     * A stored chunk that the store reads whole and decodes before serving, for a view whose
     * clients lack its codecs.
     *
     * @param chain       the v2 codec chain in encoding order
     * @param decodedSize bytes of the decoded chunk
     * @param skipped     codecs of the chain not applied to this chunk (bit i: codec i)
     * @param recoding    what the decoded bytes become on the way out
     */
    record Decoded(SourceRange stored, java.util.List<io.refcat.reference.zarr.Codec> chain, int skipped,
                   int decodedSize, Recoding recoding) implements Payload {
        @Override
        public String contentType() {
            return "application/octet-stream";
        }
    }

    /**
     * @param length       bytes to serve, or -1 for the whole source
     * @param indexed      what was known of the source when indexed (size -1 where unknown)
     * @param swapBytes    element size whose byte order is reversed on the way out, or 1 for none
     */
    record SourceRange(String url, long offset, long length, io.refcat.reference.ReferenceSet.SourceInfo indexed, int swapBytes)
            implements Payload {
        long indexedSize() {
            return indexed.size();
        }

        @Override
        public String contentType() {
            return "application/octet-stream";
        }
    }
}
