package io.refcat.reference;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Where the bytes of one Zarr key live: inline, a whole file, or a byte range of a file. These
 * are the three value forms of the kerchunk reference specification.
 */
public sealed interface Reference permits Reference.Inline, Reference.WholeFile, Reference.Range {

    /** Bytes stored in the reference set itself (metadata keys, small chunks). */
    record Inline(byte[] data) implements Reference {
        public Inline {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Inline other && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Inline[" + data.length + " bytes: " + Base64.getEncoder().encodeToString(
                    Arrays.copyOf(data, Math.min(data.length, 24))) + "]";
        }
    }

    /** A whole file: kerchunk's {@code [url]} form. */
    record WholeFile(String url) implements Reference {
        public WholeFile {
            Objects.requireNonNull(url, "url");
        }
    }

    /** {@code length} bytes of {@code url} starting at {@code offset}: kerchunk's {@code [url, offset, length]}. */
    record Range(String url, long offset, long length) implements Reference {
        public Range {
            Objects.requireNonNull(url, "url");
            if (offset < 0 || length < 0) {
                throw new ReferenceFormatException("negative offset or length in reference to " + url
                        + ": offset " + offset + ", length " + length);
            }
        }

        public long end() {
            return offset + length;
        }
    }
}
