package io.refcat.webui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import io.refcat.store.ArrayValues;
import io.refcat.store.DatasetCatalog;
import io.refcat.store.DecodeBudget;
import io.refcat.store.StoreServer;
import io.refcat.store.source.SourceResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebUiTest {
    @Test
    void theSearchPageAndItsAssetsAreServedFromTheJar() throws Exception {
        DatasetCatalog none = DatasetCatalog.of(List.of());
        SourceResolver resolver = new SourceResolver(List.of());
        Javalin app = StoreServer.create(none, resolver);
        WebUi.register(app, none, new ArrayValues(resolver, new StoreServer.Options(false, 1 << 20, new DecodeBudget(64 << 20))));
        app.start("127.0.0.1", 0);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(r.body().contains("/assets/leaflet/leaflet.js"), "Leaflet comes from the server, not a CDN");
            for (String asset : new String[] {"/assets/leaflet/leaflet.js", "/assets/leaflet/leaflet.css",
                "/assets/land-110m.geojson", "/assets/search.js", "/assets/dataset.js", "/assets/common.js"}) {
                assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.port() + asset)).build(), HttpResponse.BodyHandlers.discarding()).statusCode(), asset);
            }
            assertEquals(404, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + app.port() + "/assets/..%2Fsearch.html")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            app.stop();
        }
    }
}
