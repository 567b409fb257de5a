package io.refcat.store;

import io.refcat.reference.Reference;
import io.refcat.reference.ReferenceSet;
import io.refcat.reference.zarr.ZarrArrayMetadata;
import io.refcat.reference.zarr.ZarrHierarchy;
import io.refcat.reference.zarr.ZarrJson;
import io.refcat.reference.zarr.ZarrV3;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resolves Zarr v2 and v3 keys of a dataset to payloads. Pure: no I/O. */
public final class ZarrKeys {
    private static final String JSON = "application/json";

    private ZarrKeys() {
    }

    public static Payload v2(Dataset d, String key) {
        if (key.equals(".zmetadata")) {
            return new Payload.Bytes(ZarrJson.writeV2(consolidated(d)), JSON);
        }
        Reference ref = d.refs().get(key).orElseThrow(() -> StoreException.notFound(
                "dataset '" + d.id() + "' has no key '" + key + "'"));
        boolean metadata = key.endsWith(".zarray") || key.endsWith(".zattrs") || key.endsWith(".zgroup");
        return payload(d.refs(), ref, metadata ? JSON : "application/octet-stream");
    }

    public static Payload v3(Dataset d, String key) {
        ZarrHierarchy h = d.hierarchy();
        if (key.equals("zarr.json") || key.endsWith("/zarr.json")) {
            String node = ZarrHierarchy.parentOf(key);
            Map<String, Object> json;
            if (h.isArray(node)) {
                try {
                    json = ZarrV3.array(h.arrays().get(node), h.arrayAttributes(node));
                } catch (ZarrV3.UnsupportedV3Exception e) {
                    throw StoreException.unsupported("array '" + node + "' of dataset '" + d.id()
                            + "' has no Zarr v3 view: " + e.getMessage());
                }
            } else if (h.isGroup(node)) {
                json = ZarrV3.group(h.groups().get(node));
            } else {
                throw StoreException.notFound("dataset '" + d.id() + "' has no node '" + node + "'");
            }
            return new Payload.Bytes(ZarrJson.writeV3(json), JSON);
        }
        for (int slash = key.indexOf("/c"); slash >= 0; slash = key.indexOf("/c", slash + 1)) {
            String node = key.substring(0, slash);
            ZarrArrayMetadata meta = h.arrays().get(node);
            if (meta == null) {
                continue;
            }
            String chunk = ZarrV3.v2ChunkKey(key.substring(slash + 1), meta).orElseThrow(() ->
                    StoreException.notFound("'" + key + "' is not a chunk key of array '" + node + "'"));
            String v2Key = node + "/" + chunk;
            Reference ref = d.refs().get(v2Key).orElseThrow(() -> StoreException.notFound(
                    "dataset '" + d.id() + "' has no chunk '" + key + "'"));
            return payload(d.refs(), ref, "application/octet-stream");
        }
        throw StoreException.notFound("dataset '" + d.id() + "' has no key '" + key + "'");
    }

    private static Payload payload(ReferenceSet refs, Reference ref, String contentType) {
        if (ref instanceof Reference.Inline inline) {
            return new Payload.Bytes(inline.data(), contentType);
        }
        if (ref instanceof Reference.Range r) {
            return new Payload.SourceRange(r.url(), r.offset(), r.length(), indexedSize(refs, r.url()));
        }
        Reference.WholeFile w = (Reference.WholeFile) ref;
        return new Payload.SourceRange(w.url(), 0, -1, indexedSize(refs, w.url()));
    }

    private static long indexedSize(ReferenceSet refs, String url) {
        return refs.source(url).map(ReferenceSet.SourceInfo::size).orElse(-1L);
    }

    /** The consolidated metadata document zarr-python's {@code open_consolidated} reads. */
    static Map<String, Object> consolidated(Dataset d) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Reference> e : d.refs().refs().entrySet()) {
            String key = e.getKey();
            if ((key.endsWith(".zarray") || key.endsWith(".zattrs") || key.endsWith(".zgroup"))
                    && e.getValue() instanceof Reference.Inline inline) {
                metadata.put(key, ZarrJson.readObject(inline.data(), key));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("metadata", metadata);
        doc.put("zarr_consolidated_format", 1);
        return doc;
    }
}
