package io.refcat.store;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.refcat.store.source.SourceResolver;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual store's HTTP face, built in one place:
 * <ul>
 *   <li>{@code GET /zarr}: the datasets, {@code [{"id","source","zarr","zarr3","refs"}]};</li>
 *   <li>{@code GET|HEAD /zarr/{id}/{key}}: Zarr v2 keys, {@code .zmetadata} consolidated;</li>
 *   <li>{@code GET|HEAD /zarr3/{id}/{key}}: Zarr v3 keys ({@code zarr.json}, {@code c/...});</li>
 *   <li>{@code GET /refs/{id}.json}: the kerchunk references;</li>
 *   <li>{@code GET /health}.</li>
 * </ul>
 * Dataset ids are paths and may hold slashes; a request path is split at the longest id.
 * Errors become one JSON body {@code {"status","title","detail"}} in one handler.
 */
public final class StoreServer {
    private static final Logger LOG = LoggerFactory.getLogger(StoreServer.class);

    private StoreServer() {
    }

    public static Javalin create(DatasetCatalog catalog, SourceResolver resolver) {
        PayloadResponder responder = new PayloadResponder(resolver);
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.disableCompression();
            config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                rule.anyHost();
                rule.exposeHeader("Content-Length");
                rule.exposeHeader("Content-Range");
                rule.exposeHeader("ETag");
                rule.exposeHeader("Accept-Ranges");
            }));
        });
        Handler v2 = ctx -> {
            CatalogPath p = locate(catalog, ctx.pathParam("path"));
            responder.respond(ctx, ZarrKeys.v2(p.dataset(), p.key()));
        };
        Handler v3 = ctx -> {
            CatalogPath p = locate(catalog, ctx.pathParam("path"));
            responder.respond(ctx, ZarrKeys.v3(p.dataset(), p.key()));
        };
        app.get("/zarr", ctx -> ctx.json(listing(catalog, baseUrl(ctx))));
        app.get("/zarr/<path>", v2);
        app.head("/zarr/<path>", v2);
        app.get("/zarr3/<path>", v3);
        app.head("/zarr3/<path>", v3);
        app.get("/refs/<path>", ctx -> {
            String path = ctx.pathParam("path");
            Dataset d = path.endsWith(".json") ? catalog.datasets().get(path.substring(0, path.length() - 5)) : null;
            if (d == null) {
                throw StoreException.notFound("no reference set '" + path + "'");
            }
            ctx.contentType("application/json");
            d.refs().writeJson(ctx.outputStream());
        });
        app.get("/health", ctx -> ctx.json(Map.of("status", "ok", "datasets", catalog.datasets().size())));
        app.exception(StoreException.class, (e, ctx) -> error(ctx, e.status(), e.title(), e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} failed", ctx.path(), e);
            error(ctx, 500, "internal error", e.toString());
        });
        return app;
    }

    private record CatalogPath(Dataset dataset, String key) {
    }

    private static CatalogPath locate(DatasetCatalog catalog, String path) {
        DatasetCatalog.Located l = catalog.locate(path).orElseThrow(() ->
                StoreException.notFound("no dataset in '" + path + "'"));
        return new CatalogPath(l.dataset(), l.key());
    }

    private static void error(Context ctx, int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("title", title);
        body.put("detail", detail);
        ctx.status(status).json(body);
    }

    static String baseUrl(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }

    /** Percent-encodes a dataset id for a URL path, keeping its slashes. */
    static String encodePath(String path) {
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("dataset id '" + path + "' cannot be a URL path", e);
        }
    }

    private static List<Map<String, Object>> listing(DatasetCatalog catalog, String base) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Dataset d : catalog.datasets().values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", d.id());
            entry.put("source", d.source());
            entry.put("zarr", base + "/zarr/" + encodePath(d.id()));
            entry.put("zarr3", base + "/zarr3/" + encodePath(d.id()));
            entry.put("refs", base + "/refs/" + encodePath(d.id() + ".json"));
            out.add(entry);
        }
        return out;
    }
}
