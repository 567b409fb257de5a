package io.refcat.store;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's request log, called when a response is complete: one INFO line per request (method,
 * path with its query, status, body bytes as sent, milliseconds) on its own logger
 * ({@link #LOGGER}), so an operator can route or silence it apart from the rest, and the numbers
 * {@code /metrics} reports.
 */
public final class RequestLog implements org.eclipse.jetty.server.RequestLog {
    public static final String LOGGER = "io.refcat.requests";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final HttpMetrics metrics;
    private final boolean lines;

    /** @param lines whether to write a line per request (the metrics are kept either way) */
    public RequestLog(HttpMetrics metrics, boolean lines) {
        this.metrics = metrics;
        this.lines = lines;
    }

    @Override
    public void log(Request request, Response response) {
        long ms = System.currentTimeMillis() - request.getTimeStamp();
        long bytes = response.getHttpChannel().getBytesWritten();
        int status = response.getCommittedMetaData() != null ? response.getCommittedMetaData().getStatus()
                : response.getStatus();
        String path = request.getRequestURI();
        metrics.record(path, status, bytes, ms);
        if (lines && LOG.isInfoEnabled()) {
            String query = request.getQueryString();
            LOG.info("{} {}{} {} {} {}ms", request.getMethod(), path, query == null ? "" : "?" + query, status, bytes, ms);
        }
    }
}
