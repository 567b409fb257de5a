package io.refcat.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DecodeBudgetTest {

    @Test
    void aChunkLargerThanTheWholeBudgetIsRefusedNamingTheLimit() {
        DecodeBudget budget = new DecodeBudget(1 << 20);
        StoreException e = assertThrows(StoreException.class, () -> budget.reserve(2 << 20, "a/0.0"));
        assertEquals(507, e.status());
        assertTrue(e.getMessage().contains("--decode-budget-mb") && e.getMessage().contains("a/0.0"), e.getMessage());
    }

    @Test
    void decodesBeyondTheBudgetWaitTheirTurn() throws Exception {
        DecodeBudget budget = new DecodeBudget(1 << 20, Duration.ofSeconds(10));
        DecodeBudget.Lease first = budget.reserve(800 << 10, "a");
        assertEquals(800 << 10, budget.inFlight());
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> budget.reserve(800 << 10, "b").close());
        Thread.sleep(200);
        assertTrue(!second.isDone(), "the second waits while the first holds the room");
        first.close();
        second.get(5, TimeUnit.SECONDS);
        assertEquals(0, budget.inFlight());
    }

    @Test
    void aDecodeThatWaitsTooLongIsTold503WithRetryAfter() {
        DecodeBudget budget = new DecodeBudget(1 << 20, Duration.ofMillis(100));
        try (DecodeBudget.Lease held = budget.reserve(1 << 20, "a")) {
            StoreException e = assertThrows(StoreException.class, () -> budget.reserve(1, "b"));
            assertEquals(503, e.status());
            assertTrue(e.retryAfterSeconds() > 0);
        }
    }
}
