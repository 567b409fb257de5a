package io.refcat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An unexpected failure is a 500 in the problem shape, with a request id and none of the exception's text. */
class HttpErrorsTest {
    @Test
    void anInternalFailureNamesARequestIdAndHidesTheException() throws Exception {
        Javalin app = Javalin.create(StoreServer::configure);
        app.get("/boom", ctx -> {
            throw new IllegalStateException("secret internal detail /etc/passwd");
        });
        HttpErrors.register(app, ServerPaths.of(List.of(), List.of()));
        app.start("127.0.0.1", 0);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/boom")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode());
            assertTrue(r.body().matches(".*request id [0-9a-f]+.*"), r.body());
            assertFalse(r.body().contains("secret") || r.body().contains("IllegalState"), r.body());
        } finally {
            app.stop();
        }
    }
}
