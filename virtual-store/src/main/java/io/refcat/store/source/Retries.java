package io.refcat.store.source;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries of remote reads: exponential backoff with full jitter (so many clients throttled at once
 * do not come back at once), a server's {@code Retry-After} honoured up to a cap, and a limit on
 * attempts after which the last failure is reported.
 */
record Retries(int attempts, Duration base, Duration cap) {
    static final Retries DEFAULT = new Retries(5, Duration.ofMillis(100), Duration.ofSeconds(5));

    /** A failure worth another attempt, with the delay the server asked for (or null). */
    static final class Transient extends IOException {
        final Duration retryAfter;

        Transient(String message, Duration retryAfter, Throwable cause) {
            super(message, cause);
            this.retryAfter = retryAfter;
        }
    }

    interface Attempt<T> {
        T run() throws IOException;
    }

    <T> T run(String url, Attempt<T> attempt) throws IOException {
        Transient last = null;
        for (int i = 0; i < attempts; i++) {
            try {
                return attempt.run();
            } catch (Transient e) {
                last = e;
                if (i + 1 < attempts) {
                    sleep(delay(i, e.retryAfter));
                }
            }
        }
        throw new RemoteSourceException(RemoteSourceException.Kind.FAILED, url,
                last.getMessage() + " (after " + attempts + " attempts)", last);
    }

    private Duration delay(int attempt, Duration retryAfter) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt, 20));
        long jittered = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        return retryAfter == null ? Duration.ofMillis(jittered) : Duration.ofMillis(Math.min(cap.toMillis(),
                Math.max(jittered, retryAfter.toMillis())));
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
