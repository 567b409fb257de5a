package io.refcat.store;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap a server lets decoded chunks take at once ({@code serve --decode-budget-mb}). A view
 * that decodes reserves a chunk's working set (stored bytes plus the decoded arrays alive at once,
 * {@link io.refcat.store.codec.ChunkDecoder#workingBytes}) before reading it: requests beyond the
 * budget wait their turn, first come first served, and after {@link #WAIT} get 503 with
 * {@code Retry-After}; a chunk whose working set exceeds the whole budget can never be decoded and
 * gets 507 naming the limit. So the heap does not grow with chunk size or client count.
 *
 * <p>Pass-through chunks do not count: they stream through a fixed buffer.
 */
public final class DecodeBudget {
    /** How long a decode waits for room before the client is told to come back. */
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final int KIB = 1024;

    private final long bytes;
    private final Duration wait;
    private final Semaphore kib;

    public DecodeBudget(long bytes) {
        this(bytes, WAIT);
    }

    /** @param wait how long a decode waits for room before the client is told to come back */
    public DecodeBudget(long bytes, Duration wait) {
        this.wait = wait;
        if (bytes < KIB) {
            throw new IllegalArgumentException("a decode budget needs at least 1 KiB");
        }
        this.bytes = bytes;
        // fair: a large chunk waiting is not overtaken forever by small ones
        this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, bytes / KIB), true);
    }

    /** Half the heap the JVM may grow to, the default: the rest serves everything else. */
    public static DecodeBudget halfTheHeap() {
        return new DecodeBudget(Runtime.getRuntime().maxMemory() / 2);
    }

    public long bytes() {
        return bytes;
    }

    /** Bytes of decoded chunks reserved now. */
    public long inFlight() {
        return bytes - (long) kib.availablePermits() * KIB;
    }

    /** Room held for one decode; closing it gives the room back. */
    public final class Lease implements AutoCloseable {
        private final int permits;

        private Lease(int permits) {
            this.permits = permits;
        }

        @Override
        public void close() {
            kib.release(permits);
        }
    }

    /**
     * Waits for room for {@code working} bytes.
     *
     * @param what the chunk, for the error
     */
    public Lease reserve(long working, String what) {
        long needed = (working + KIB - 1) / KIB;
        if (working > bytes) {
            throw new StoreException(507, "chunk too large to decode", what + " needs " + mib(working)
                    + " MiB to decode, more than this server's decode budget of " + mib(bytes)
                    + " MiB (serve --decode-budget-mb); read it through the /zarr view, which passes chunks through");
        }
        try {
            if (!kib.tryAcquire((int) needed, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw StoreException.busy("the server is decoding " + mib(inFlight()) + " MiB of chunks, its budget "
                        + "(serve --decode-budget-mb); try again shortly", 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.busy("interrupted while waiting to decode " + what, 2);
        }
        return new Lease((int) needed);
    }

    private static long mib(long b) {
        return (b + (1 << 20) - 1) >> 20;
    }
}
