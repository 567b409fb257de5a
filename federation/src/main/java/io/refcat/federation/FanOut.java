package io.refcat.federation;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The answers of requests sent to several sites at once, collected within one deadline: what
 * each site answered, and which sites answered, failed (with why) or timed out — the
 * {@code federation} member of every federated response.
 */
record FanOut<T>(Map<String, T> answers, List<String> answered, List<Map<String, Object>> failed, List<String> timedOut) {

    /** Waits for every request until the deadline; those still running then are cancelled. */
    static <T> FanOut<T> await(Map<String, CompletableFuture<T>> pending, Duration deadline) throws IOException {
        FanOut<T> out = new FanOut<>(new LinkedHashMap<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long end = System.nanoTime() + deadline.toNanos();
        for (Map.Entry<String, CompletableFuture<T>> e : pending.entrySet()) {
            try {
                out.answers.put(e.getKey(), e.getValue().get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
                out.answered.add(e.getKey());
            } catch (TimeoutException t) {
                e.getValue().cancel(true);
                out.timedOut.add(e.getKey());
            } catch (ExecutionException x) {
                Throwable why = x.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : x.getCause();
                if (why instanceof TimeoutException || why instanceof java.net.http.HttpTimeoutException) {
                    out.timedOut.add(e.getKey());
                } else {
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("url", e.getKey());
                    f.put("reason", why == null || why.getMessage() == null ? "failed" : why.getMessage());
                    out.failed.add(f);
                }
            } catch (InterruptedException i) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        return out;
    }

    /** The {@code federation} member: {@code {"answered", "failed", "timed_out"}}. */
    Map<String, Object> json() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("answered", answered);
        f.put("failed", failed);
        f.put("timed_out", timedOut);
        return f;
    }
}
