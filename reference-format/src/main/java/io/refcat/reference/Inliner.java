package io.refcat.reference;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replaces range references shorter than a threshold by the bytes they point to, as kerchunk's
 * {@code inline_threshold} does: small coordinate arrays then need no request to the source.
 */
public final class Inliner {
    private Inliner() {
    }

    /**
     * @param threshold chunks strictly shorter than this many bytes are inlined; 0 inlines nothing
     */
    public static ReferenceSet inlineBelow(ReferenceSet set, int threshold, RangeReader reader) throws IOException {
        if (threshold < 0) {
            throw new IllegalArgumentException("inline threshold must be >= 0, got " + threshold);
        }
        if (threshold == 0) {
            return set;
        }
        Map<String, Reference> out = new TreeMap<>(set.refs());
        for (Map.Entry<String, Reference> e : set.refs().entrySet()) {
            if (e.getValue() instanceof Reference.Range r && r.length() < threshold && set.filterMask(e.getKey()) == 0) {
                out.put(e.getKey(), new Reference.Inline(reader.read(r.url(), r.offset(), (int) r.length())));
            }
        }
        return new ReferenceSet(new TreeMap<>(out), set.sources(), set.unsupported(), set.filterMasks());
    }
}
