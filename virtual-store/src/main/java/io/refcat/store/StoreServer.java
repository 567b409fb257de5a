package io.refcat.store;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.refcat.store.source.SourceResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The virtual store's HTTP routes:
 * <ul>
 *   <li>{@code GET /zarr}: the datasets, {@code [{"id","zarr","zarr3","refs"}]};</li>
 *   <li>{@code GET|HEAD /zarr/{id}/{key}}: Zarr v2 keys, {@code .zmetadata} consolidated;</li>
 *   <li>{@code GET|HEAD /zarr3/{id}/{key}}: Zarr v3 keys ({@code zarr.json}, {@code c/...});</li>
 *   <li>{@code GET /refs/{id}.json}: the kerchunk references, local sources as {@code /files} URLs;</li>
 *   <li>{@code GET|HEAD /files/{id}/{token}/{name}}: byte ranges of a local file the dataset names;</li>
 *   <li>{@code GET /series/{id}/{variable}?lat=&lon=} (or {@code ?{dim}=index}): values at the nearest grid point ({@link PointSeries});</li>
 *   <li>{@code GET /health}.</li>
 * </ul>
 * Dataset ids are paths and may hold slashes; a request path is split at the longest id. Datasets
 * are looked up in the registry on each request, so the routes serve what is there now.
 */
public final class StoreServer {
    /** JSON media types, the ones sent gzip-compressed to clients that accept it. */
    private static final List<String> COMPRESSED = List.of("application/json", "application/geo+json",
            "application/schema+json", "application/vnd.oai.openapi+json", "text/html", "text/plain",
            "text/css", "application/javascript");

    /**
     * @param exposePaths hand out the references' own source URLs ({@code file:///…}) and paths in
     *                    responses, for a trusted setup where clients share the server's disk
     * @param readBudget  most stored bytes a request that computes on the data may read ({@link ArrayValues})
     * @param decoding    the heap decoded chunks may take at once, shared by every route that decodes
     */
    public record Options(boolean exposePaths, long readBudget, DecodeBudget decoding) {
        /** Stored bytes one {@code /series} or quick-look request may read, unless configured. */
        public static final long READ_BUDGET = 256L << 20;
        public static final Options DEFAULT = new Options(false, READ_BUDGET, DecodeBudget.halfTheHeap());
    }

    private StoreServer() {
    }

    /** A server of the store's routes alone, errors mapped: for tests, benches and embedding. */
    public static Javalin create(DatasetRegistry registry, SourceResolver resolver) {
        Javalin app = Javalin.create(config -> {
            configure(config);
            chunkLane(config, registry, resolver, Options.DEFAULT, host -> true);
        });
        register(app, registry, resolver, Options.DEFAULT);
        JsonEtags.register(app);
        HttpErrors.register(app, ServerPaths.of(resolver.roots(), List.of()));
        return app;
    }

    /**
     * The HTTP settings every refcat server shares: gzip for JSON and text when the client asks
     * (chunks are sent as stored: most are compressed already, and ranges must count stored
     * bytes), CORS for browser clients. ETags come from {@link JsonEtags} and the handlers.
     */
    public static void configure(JavalinConfig config) {
        config.showJavalinBanner = false;
        config.jetty.modifyServer(server -> {
            server.setErrorHandler(new JsonErrorHandler());
            server.addBean(new HeaderDeadline(server, HeaderDeadline.DEFAULT));
        });
        CompressionStrategy gzip = new CompressionStrategy(null, new Gzip(6));
        gzip.setAllowedMimeTypes(COMPRESSED);
        // Javalin compresses every type it does not exclude; chunks go out as stored.
        List<String> excluded = new ArrayList<>(gzip.getExcludedMimeTypes());
        excluded.add("application/octet-stream");
        gzip.setExcludedMimeTypes(excluded);
        gzip.setDefaultMinSizeForCompression(256);
        config.http.customCompression(gzip);
        config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
            rule.anyHost();
            rule.exposeHeader("Content-Length");
            rule.exposeHeader("Content-Range");
            rule.exposeHeader("ETag");
            rule.exposeHeader("Accept-Ranges");
            rule.exposeHeader("Last-Modified");
        }));
    }

    /**
     * Chunk GETs of stored bytes answered ahead of the app's routing ({@link ChunkLane}), by the same
     * code; {@code hostAllowed} must be the Host check the app makes before every request.
     */
    public static void chunkLane(JavalinConfig config, DatasetRegistry registry, SourceResolver resolver, Options options,
                                 Predicate<String> hostAllowed) {
        config.jetty.modifyServletContextHandler(context -> context.insertHandler(
                new ChunkLane(registry, resolver, options.decoding(), hostAllowed)));
    }

    public static void register(Javalin app, DatasetRegistry registry, SourceResolver resolver, Options options) {
        PayloadResponder responder = new PayloadResponder(resolver, options.decoding());
        Handler v2 = ctx -> {
            DatasetRegistry.Located p = locate(registry, ctx.pathParam("path"));
            responder.respond(ctx, ZarrKeys.v2(p.dataset(), p.key()), p.dataset().revision());
        };
        Handler v3 = ctx -> {
            DatasetRegistry.Located p = locate(registry, ctx.pathParam("path"));
            responder.respond(ctx, ZarrKeys.v3(p.dataset(), p.key()), p.dataset().revision());
        };
        Handler files = ctx -> {
            DatasetRegistry.Located p = locate(registry, ctx.pathParam("path"));
            responder.respond(ctx, sourceFile(p), p.dataset().revision());
        };
        app.get("/zarr", ctx -> listing(ctx, registry));
        app.get("/zarr/<path>", v2);
        app.head("/zarr/<path>", v2);
        app.get("/zarr3/<path>", v3);
        app.head("/zarr3/<path>", v3);
        app.get("/files/<path>", files);
        app.head("/files/<path>", files);
        app.get("/refs/<path>", ctx -> refs(ctx, registry, options));
        ArrayValues values = new ArrayValues(resolver, options);
        app.get("/series/<path>", ctx -> {
            DatasetRegistry.Located p = locate(registry, ctx.pathParam("path"));
            ctx.header("Cache-Control", PayloadResponder.METADATA_CACHE);
            Map<String, String> point = new LinkedHashMap<>();
            ctx.queryParamMap().forEach((k, v) -> point.put(k, v.get(0)));
            ctx.json(PointSeries.at(p.dataset(), p.key(), point, values));
        });
        app.get("/health", ctx -> ctx.json(Map.of("status", "ok", "datasets", registry.count())));
    }

    private static void refs(Context ctx, DatasetRegistry registry, Options options) throws java.io.IOException {
        String path = ctx.pathParam("path");
        Dataset d = (path.endsWith(".json") ? registry.get(path.substring(0, path.length() - 5))
                : java.util.Optional.<Dataset>empty()).orElseThrow(() ->
                StoreException.notFound("no reference set '" + path + "'"));
        String base = baseUrl(ctx);
        // The body depends on the address the client used (its /files URLs) and on the revision.
        String etag = "W/\"" + SourceUrls.token(d.revision().tag() + "|" + base + "|" + options.exposePaths()) + "\"";
        if (PayloadResponder.notModified(ctx, etag, d.revision().modified())) {
            return;
        }
        ctx.header("Cache-Control", PayloadResponder.METADATA_CACHE);
        ctx.contentType("application/json");
        UnaryOperator<String> urls = options.exposePaths() ? UnaryOperator.identity()
                : url -> SourceUrls.publicUrl(base, d.id(), url);
        d.refs().writeJson(ctx.outputStream(), urls);
    }

    /** A {@code /files} request: {@code {token}/{name}} of a dataset's source, the whole file. */
    private static Payload sourceFile(DatasetRegistry.Located p) {
        String key = p.key();
        int slash = key.indexOf('/');
        String url = slash < 0 ? null : p.dataset().localSources().get(key.substring(0, slash));
        if (url == null || !SourceUrls.fileName(url).equals(key.substring(slash + 1))) {
            throw StoreException.notFound("dataset '" + p.dataset().id() + "' names no file '" + key + "'");
        }
        return new Payload.SourceRange(url, 0, -1, p.dataset().refs().source(url).orElse(io.refcat.reference.ReferenceSet.SourceInfo.UNKNOWN), 1);
    }

    public static DatasetRegistry.Located locate(DatasetRegistry registry, String path) {
        return registry.locate(path).orElseThrow(() -> StoreException.notFound("no dataset in '" + path + "'"));
    }

    /** Request attribute holding the configured public URL ({@code serve --public-url}), if any. */
    public static final String PUBLIC_URL = "refcat.public-url";

    /** The URL clients reach this server at: the configured public URL, else the request's own. */
    public static String baseUrl(Context ctx) {
        String configured = ctx.attribute(PUBLIC_URL);
        return configured != null ? configured : ctx.scheme() + "://" + ctx.host();
    }

    /** Datasets listed by {@code GET /zarr} per page, unless {@code limit} asks for another number. */
    static final int LISTING_PAGE = 1000;
    private static final int LISTING_MAX = 10_000;

    /**
     * Ids and URLs only, a page at a time ({@code ?offset=&limit=}, a {@code Link: rel="next"}
     * header to the next page): a listing reads no reference set, however many there are.
     */
    private static void listing(Context ctx, DatasetRegistry registry) {
        int offset = intParameter(ctx, "offset", 0, Integer.MAX_VALUE);
        int limit = intParameter(ctx, "limit", LISTING_PAGE, LISTING_MAX);
        String base = baseUrl(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String id : registry.ids(offset, limit)) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", id);
            entry.put("zarr", base + "/zarr/" + SourceUrls.encodePath(id));
            entry.put("zarr3", base + "/zarr3/" + SourceUrls.encodePath(id));
            entry.put("refs", base + "/refs/" + SourceUrls.encodePath(id + ".json"));
            out.add(entry);
        }
        if (out.size() == limit && offset + (long) limit < registry.count()) {
            ctx.header("Link", "<" + base + "/zarr?offset=" + (offset + limit) + "&limit=" + limit + ">; rel=\"next\"");
        }
        ctx.json(out);
    }

    /** A whole-number query parameter from 0 (1 for {@code limit}) to {@code max}, else a 400 naming it. */
    private static int intParameter(Context ctx, String name, int otherwise, int max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return otherwise;
        }
        int min = name.equals("limit") ? 1 : 0;
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new StoreException(400, "bad parameter", "parameter '" + name + "' must be a whole number from " + min
                + " to " + max + ", not '" + value + "'");
    }
}
