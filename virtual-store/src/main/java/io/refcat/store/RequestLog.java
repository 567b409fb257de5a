package io.refcat.store;

import io.javalin.http.Context;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per request: method, path (with its query), status, bytes sent, milliseconds.
 * The line goes to its own logger ({@link #LOGGER}) so an operator can route or silence it apart
 * from the rest of the log.
 */
public final class RequestLog {
    public static final String LOGGER = "io.refcat.requests";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private RequestLog() {
    }

    public static void log(Context ctx, float ms) {
        if (LOG.isInfoEnabled()) {
            String query = ctx.queryString();
            LOG.info("{} {}{} {} {} {}ms", ctx.method(), ctx.path(), query == null ? "" : "?" + query, ctx.statusCode(),
                    bytesSent(ctx), Math.round(ms));
        }
    }

    /** Bytes of the body as sent (after compression), as Jetty counted them. */
    static long bytesSent(Context ctx) {
        Request base = Request.getBaseRequest(ctx.req());
        if (base != null) {
            return base.getResponse().getHttpChannel().getBytesWritten();
        }
        String length = ctx.res().getHeader("Content-Length");
        return length == null ? -1 : Long.parseLong(length);
    }
}
