package io.refcat.store.source;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests made to remote sources, the bytes they returned and the time they took: per indexed
 * file (reported in {@code index --json}) and, through the parent, for the whole process
 * ({@code /metrics}).
 */
public final class SourceCounter {
    private final SourceCounter parent;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public SourceCounter(SourceCounter parent) {
        this.parent = parent;
    }

    public SourceCounter() {
        this(null);
    }

    /** One request answered (whatever its status), with the body bytes read and its latency. */
    void request(long bodyBytes, long elapsedNanos) {
        requests.incrementAndGet();
        bytes.addAndGet(bodyBytes);
        nanos.addAndGet(elapsedNanos);
        if (parent != null) {
            parent.request(bodyBytes, elapsedNanos);
        }
    }

    /** A request that failed (and may be retried). */
    void failure() {
        failures.incrementAndGet();
        if (parent != null) {
            parent.failure();
        }
    }

    public long requests() {
        return requests.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public double seconds() {
        return nanos.get() / 1e9;
    }

    public long failures() {
        return failures.get();
    }
}
