package io.refcat.store;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps errors to problem JSON {@code {"status","title","detail"}}, once for the whole server: the
 * store's typed errors with their status, Javalin's own (unknown routes, …) with theirs, anything
 * else as a 500 without its Java text (which goes to the log). Details pass through {@link ServerPaths}.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    public static void register(Javalin app, ServerPaths paths) {
        app.exception(StoreException.class, (e, ctx) -> {
            problem(ctx, e.status(), e.title(), paths.clean(e.getMessage()));
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
            }
        });
        // Javalin's own (a route that does not exist, a method not allowed, a STAC item not found):
        // JSON too, in the STAC API's shape under /stac, problem JSON elsewhere
        app.exception(HttpResponseException.class, (e, ctx) -> {
            if (isStac(ctx)) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("code", stacCode(e.getStatus()));
                body.put("description", paths.clean(e.getMessage()));
                ctx.status(e.getStatus()).json(body);
            } else {
                problem(ctx, e.getStatus(), e.getStatus() == 404 ? "not found" : "error " + e.getStatus(),
                        paths.clean(e.getMessage()));
            }
        });
        app.exception(Exception.class, (e, ctx) -> {
            // an id ties the answer to its log line, which alone holds the exception's text
            String id = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
            LOG.error("request {} failed (request id {})", ctx.path(), id, e);
            problem(ctx, 500, "internal error", "the server failed to answer this request; its log has the cause under "
                    + "request id " + id);
        });
    }

    public static void problem(Context ctx, int status, String title, String detail) {
        // A payload's headers may be set already when its source fails (a remote read happens as
        // the body streams): the problem must not go out under the chunk's length or range.
        for (String header : new String[] {"Content-Length", "Content-Range", "ETag", "Last-Modified"}) {
            ctx.res().setHeader(header, null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("title", title);
        body.put("detail", detail);
        if (isStac(ctx)) {
            // the STAC API's error shape too (it allows more members), so a STAC client reads it
            body.put("code", stacCode(status));
            body.put("description", detail);
        }
        ctx.status(status).json(body);
    }

    private static boolean isStac(Context ctx) {
        return ctx.path().equals("/stac") || ctx.path().startsWith("/stac/");
    }

    private static String stacCode(int status) {
        return switch (status) {
            case 404 -> "NotFound";
            case 500 -> "InternalServerError";
            default -> "Error" + status;
        };
    }
}
