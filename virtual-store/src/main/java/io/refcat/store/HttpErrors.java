package io.refcat.store;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps errors to problem JSON {@code {"status","title","detail"}}, once for the whole server: the
 * store's typed errors with their status, anything else as a 500 without its Java text (which goes
 * to the log). Details pass through {@link ServerPaths}.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    public static void register(Javalin app, ServerPaths paths) {
        app.exception(StoreException.class, (e, ctx) -> problem(ctx, e.status(), e.title(), paths.clean(e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("request {} failed", ctx.path(), e);
            problem(ctx, 500, "internal error", "the server failed to answer this request; its log has the cause");
        });
    }

    public static void problem(Context ctx, int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("title", title);
        body.put("detail", detail);
        ctx.status(status).json(body);
    }
}
