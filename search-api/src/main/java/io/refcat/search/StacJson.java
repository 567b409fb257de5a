package io.refcat.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Items and collections as served: links added and server-relative hrefs made absolute. */
final class StacJson {
    private StacJson() {
    }

    static Map<String, Object> link(String rel, String href, String type) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("rel", rel);
        l.put("href", href);
        l.put("type", type);
        return l;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> item(Map<String, Object> stored, String base) {
        Map<String, Object> item = new LinkedHashMap<>(stored);
        String collection = (String) item.get("collection");
        String self = base + "/stac/collections/" + collection + "/items/" + item.get("id");
        List<Object> links = new ArrayList<>();
        links.add(link("self", self, "application/geo+json"));
        links.add(link("parent", base + "/stac/collections/" + collection, "application/json"));
        links.add(link("collection", base + "/stac/collections/" + collection, "application/json"));
        links.add(link("root", base + "/stac", "application/json"));
        item.put("links", links);
        Map<String, Object> assets = new LinkedHashMap<>();
        ((Map<String, Object>) stored.get("assets")).forEach((k, v) -> assets.put(k, absolute((Map<String, Object>) v, base)));
        item.put("assets", assets);
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

    static Map<String, Object> collection(Map<String, Object> stored, String base) {
        Map<String, Object> c = new LinkedHashMap<>(stored);
        c.remove("refcat:has_bbox");
        String self = base + "/stac/collections/" + c.get("id");
        List<Object> links = new ArrayList<>();
        links.add(link("self", self, "application/json"));
        links.add(link("parent", base + "/stac", "application/json"));
        links.add(link("root", base + "/stac", "application/json"));
        links.add(link("items", self + "/items", "application/geo+json"));
        c.put("links", links);
        return c;
    }
}
