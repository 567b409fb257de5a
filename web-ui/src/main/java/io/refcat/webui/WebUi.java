package io.refcat.webui;

import io.javalin.Javalin;
import io.refcat.store.ArrayValues;
import io.refcat.store.DatasetRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The web pages. They only call the JSON APIs (today {@code GET /zarr}); whatever a page shows, a
 * script can get from the same API.
 */
public final class WebUi {
    private static final String INDEX = "index.html";

    private WebUi() {
    }

    public static void register(Javalin app, DatasetRegistry registry, ArrayValues values) {
        byte[] index = resource(INDEX);
        app.get("/", ctx -> ctx.contentType("text/html; charset=utf-8").result(index));
        QuickLook.register(app, registry, values);
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
