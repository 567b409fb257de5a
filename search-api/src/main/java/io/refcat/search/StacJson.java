package io.refcat.search;

import io.refcat.store.SourceUrls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Items and collections as served: links added and server-relative hrefs made absolute. */
public final class StacJson {
    private StacJson() {
    }

    public static Map<String, Object> link(String rel, String href, String type) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("rel", rel);
        l.put("href", href);
        l.put("type", type);
        return l;
    }

    /**
     * An item as served. Unless {@code exposePaths}, a local source file (the {@code source}
     * asset, the members of a combined dataset) is named by its {@code /files} URL, so no server
     * path leaves the server and another machine can read the file by byte ranges.
     */
    /** A link that says which HTTP method it takes (STAC API search and aggregate links). */
    public static Map<String, Object> link(String rel, String href, String type, String method) {
        Map<String, Object> l = link(rel, href, type);
        l.put("method", method);
        return l;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> item(Map<String, Object> stored, String base, boolean exposePaths) {
        Map<String, Object> item = new LinkedHashMap<>(stored);
        String collection = (String) item.get("collection");
        String self = base + "/stac/collections/" + collection + "/items/" + item.get("id");
        List<Object> links = new ArrayList<>();
        links.add(link("self", self, "application/geo+json"));
        links.add(link("parent", base + "/stac/collections/" + collection, "application/json"));
        links.add(link("collection", base + "/stac/collections/" + collection, "application/json"));
        links.add(link("root", base + "/stac", "application/json"));
        item.put("links", links);
        String dataset = String.valueOf(((Map<String, Object>) item.get("properties")).get("refcat:dataset"));
        UnaryOperator<String> files = exposePaths ? UnaryOperator.identity()
                : url -> SourceUrls.publicUrl(base, dataset, url);
        Map<String, Object> assets = new LinkedHashMap<>();
        ((Map<String, Object>) stored.get("assets")).forEach((k, v) -> {
            Map<String, Object> a = (Map<String, Object>) v;
            if (((List<?>) a.getOrDefault("roles", List.of())).contains("source")) {
                a = new LinkedHashMap<>(a);
                a.put("href", files.apply((String) a.get("href")));
            }
            assets.put(k, absolute(a, base));
        });
        item.put("assets", assets);
        if (item.get("properties") instanceof Map<?, ?> p && p.get("refcat:members") instanceof List<?> members) {
            Map<String, Object> props = new LinkedHashMap<>((Map<String, Object>) p);
            List<Object> out = new ArrayList<>();
            for (Object m : members) {
                Map<String, Object> member = new LinkedHashMap<>((Map<String, Object>) m);
                member.put("href", files.apply((String) member.get("href")));
                out.add(member);
            }
            props.put("refcat:members", out);
            item.put("properties", props);
        }
        return item;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> absolute(Map<String, Object> asset, String base) {
        Map<String, Object> a = new LinkedHashMap<>(asset);
        if (a.get("href") instanceof String h && h.startsWith("/")) {
            a.put("href", base + h);
        }
        if (a.get("xarray:open_kwargs") instanceof Map<?, ?> kw && kw.get("storage_options") instanceof Map<?, ?> so
                && so.get("fo") instanceof String fo && fo.startsWith("/")) {
            Map<String, Object> kwargs = new LinkedHashMap<>((Map<String, Object>) kw);
            Map<String, Object> options = new LinkedHashMap<>((Map<String, Object>) so);
            options.put("fo", base + fo);
            kwargs.put("storage_options", options);
            a.put("xarray:open_kwargs", kwargs);
        }
        return a;
    }

    public static Map<String, Object> collection(Map<String, Object> stored, String base) {
        Map<String, Object> c = new LinkedHashMap<>(stored);
        c.remove("refcat:has_bbox");
        String self = base + "/stac/collections/" + c.get("id");
        List<Object> links = new ArrayList<>();
        links.add(link("self", self, "application/json"));
        links.add(link("parent", base + "/stac", "application/json"));
        links.add(link("root", base + "/stac", "application/json"));
        links.add(link("items", self + "/items", "application/geo+json"));
        links.add(link("aggregate", self + "/aggregate", "application/json"));
        links.add(link("aggregations", self + "/aggregations", "application/json"));
        c.put("links", links);
        return c;
    }
}
