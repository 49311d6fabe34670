package io.rttpick.okhttp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.ScriptedProber;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Calls that wait for a scripted probe, run while the test moves virtual time on. */
final class VirtualCalls {
    private VirtualCalls() {
    }

    /** Runs {@code work} on another thread, moving virtual time on while it waits for a probe. */
    static <T> T during(ScriptedProber prober, VirtualTimeScheduler time, Callable<T> work) throws Exception {
        int before = prober.subscribed();
        CompletableFuture<T> done = CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.isDone() && prober.subscribed() == before && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        for (int step = 0; step < 200 && !done.isDone(); step++) {
            time.advanceTimeBy(Duration.ofMillis(5));
        }
        T result = done.get(10, TimeUnit.SECONDS);
        assertTrue(result != null);
        return result;
    }
}
