package io.refcat.webui;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.refcat.store.ArrayValues;
import io.refcat.store.DatasetRegistry;
import io.refcat.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web catalogue: the search page ({@code /}), dataset pages ({@code /datasets/{collection}/{item}}),
 * their scripts and styles, Leaflet from its webjar and a Natural Earth land outline
 * ({@code /assets/…}), and quick-looks ({@link QuickLook}). The pages only call the JSON APIs
 * (STAC API, Zarr store, {@code /series}, quick-looks): whatever a page shows, a script can get
 * from the same URLs. Nothing is fetched from outside the server, so the pages work air-gapped.
 */
public final class WebUi {
    private static final String LEAFLET = "/META-INF/resources/webjars/leaflet/1.9.4/dist/";
    private static final Map<String, String> TYPES = Map.of("js", "application/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "png", "image/png",
            "geojson", "application/geo+json", "svg", "image/svg+xml");

    private WebUi() {
    }

    public static void register(Javalin app, DatasetRegistry registry, ArrayValues values) {
        byte[] search = resource("search.html");
        byte[] dataset = resource("dataset.html");
        app.get("/", ctx -> page(ctx, search));
        app.get("/datasets/<path>", ctx -> page(ctx, dataset));
        app.get("/assets/leaflet/<path>", ctx -> asset(ctx, LEAFLET, ctx.pathParam("path")));
        app.get("/assets/<path>", ctx -> asset(ctx, "/io/refcat/webui/assets/", ctx.pathParam("path")));
        QuickLook.register(app, registry, values);
    }

    private static void page(Context ctx, byte[] html) {
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(TYPES.get("html")).result(html);
    }

    /** A file of the jar below {@code base}; names are plain ({@code a/b.js}), never climbing out. */
    private static void asset(Context ctx, String base, String name) throws IOException {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        if (!name.matches("[A-Za-z0-9_./-]+") || name.contains("..") || !TYPES.containsKey(ext)) {
            throw StoreException.notFound("no asset '" + name + "'");
        }
        try (InputStream in = WebUi.class.getResourceAsStream(base + name)) {
            if (in == null) {
                throw StoreException.notFound("no asset '" + name + "'");
            }
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType(TYPES.get(ext)).result(in.readAllBytes());
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebUi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("web-ui resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
