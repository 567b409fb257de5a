package io.refcat.cli;

import io.javalin.Javalin;
import io.refcat.federation.FederationApi;
import io.refcat.search.lucene.Catalogue;
import io.refcat.search.http.StacApi;
import io.refcat.store.ArrayValues;
import io.refcat.store.DatasetRegistry;
import io.refcat.store.DecodeBudget;
import io.refcat.store.HostPolicy;
import io.refcat.store.HttpErrors;
import io.refcat.store.HttpMetrics;
import io.refcat.store.JsonEtags;
import io.refcat.store.RequestLog;
import io.refcat.store.ServerPaths;
import io.refcat.store.StoreServer;
import io.refcat.store.source.SourceResolver;
import io.refcat.webui.WebUi;
import java.nio.file.Path;
import java.util.List;

/** The whole HTTP app, composed in one place: every route group, the request log, metrics, one error mapper. */
final class Server {

    /**
     * @param catalogue   the catalogue for {@code /stac}, or null to serve references alone
     * @param private     paths besides the roots that responses must not show (the data directory)
     * @param exposePaths show source paths ({@code file://} URLs) instead of the store's {@code /files} URLs
     * @param requestLog  one INFO line per request
     * @param federation  this node's federation (with a catalogue), or null
     * @param decoding    the heap decoded chunks may take at once
     */
    record Settings(DatasetRegistry registry, SourceResolver resolver, Catalogue catalogue, List<Path> privatePaths,
                    boolean exposePaths, boolean requestLog, FederationApi.Settings federation, DecodeBudget decoding,
                    HostPolicy hosts) {
        Settings(DatasetRegistry registry, SourceResolver resolver, Catalogue catalogue, List<Path> privatePaths,
                 boolean exposePaths, boolean requestLog) {
            this(registry, resolver, catalogue, privatePaths, exposePaths, requestLog, null, DecodeBudget.halfTheHeap(),
                    HostPolicy.of(null, List.of()));
        }
    }

    private Server() {
    }

    static Javalin create(Settings s) {
        HttpMetrics metrics = new HttpMetrics(() -> s.registry().count(), s.resolver().remoteRequests(), s.resolver().cache());
        StoreServer.Options options = new StoreServer.Options(s.exposePaths(), StoreServer.Options.READ_BUDGET, s.decoding());
        Javalin app = Javalin.create(config -> {
            StoreServer.configure(config);
            config.jetty.modifyServer(server -> server.setRequestLog(new RequestLog(metrics, s.requestLog())));
            StoreServer.chunkLane(config, s.registry(), s.resolver(), options, s.hosts()::allows);
        });
        app.before(s.hosts()::apply);
        StoreServer.register(app, s.registry(), s.resolver(), options);
        if (s.catalogue() != null) {
            StacApi.register(app, s.catalogue(), s.exposePaths());
        }
        if (s.federation() != null) {
            FederationApi.register(app, s.federation());
        }
        WebUi.register(app, s.registry(), new ArrayValues(s.resolver(), options));
        JsonEtags.register(app);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.text()));
        HttpErrors.register(app, s.exposePaths() ? ServerPaths.exposed()
                : ServerPaths.of(s.resolver().roots(), s.privatePaths()));
        return app;
    }
}
