package io.refcat.bench;

import io.refcat.cli.Refcat;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@code refcat combine ARGS...} in this JVM (started by {@link CombineBench} with a fixed
 * heap) and prints {@code seconds peakHeapBytes peakLiveBytes}: the heap in use sampled every 10 ms
 * (garbage included) and the largest heap left after a collection (what the run needs).
 */
public final class CombineRun {
    private CombineRun() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong peak = new AtomicLong();
        AtomicLong live = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long used = 0;
                long afterGc = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        used += pool.getUsage().getUsed();
                        if (pool.getCollectionUsage() != null) {
                            afterGc += pool.getCollectionUsage().getUsed();
                        }
                    }
                }
                peak.accumulateAndGet(used, Math::max);
                live.accumulateAndGet(afterGc, Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        int exit = Refcat.commandLine().execute(args);
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        sampler.join();
        if (exit != 0) {
            System.exit(exit);
        }
        System.out.println(seconds + " " + peak.get() + " " + live.get());
    }
}
