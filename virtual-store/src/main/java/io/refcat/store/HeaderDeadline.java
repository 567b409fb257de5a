package io.refcat.store;

import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * A deadline for receiving a request's line and headers, which Jetty 11 lacks: its idle timeout
 * restarts with every byte, so a client trickling one header byte at a time (Slowloris) would hold
 * a connection for ever. Once a second, every connection whose parser has begun a request but not
 * finished its headers is timed; past the deadline it is closed, as nginx's
 * {@code client_header_timeout} does. Idle keep-alive connections are left to the idle timeout.
 */
public final class HeaderDeadline extends AbstractLifeCycle {
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private final Server server;
    private final long deadlineNanos;
    private final Map<EndPoint, Long> started = new WeakHashMap<>();
    private ScheduledExecutorService sweeper;

    public HeaderDeadline(Server server, Duration deadline) {
        this.server = server;
        this.deadlineNanos = deadline.toNanos();
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "refcat-header-deadline");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Connector c : server.getConnectors()) {
            if (!(c instanceof AbstractConnector connector)) {
                continue;
            }
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (endPoint.getConnection() instanceof HttpConnection http && http.getParser().inHeaderState()
                        && !http.getParser().isStart()) {
                    long since = started.computeIfAbsent(endPoint, e -> now);
                    if (now - since > deadlineNanos) {
                        started.remove(endPoint);
                        endPoint.close();
                    }
                } else {
                    started.remove(endPoint);
                }
            }
        }
    }
}
