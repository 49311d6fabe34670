package io.rttpick.prober.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.RttSample;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

class InputPreparerTest {

    /** An error the resolving pipeline did not map to a sample still gives every input left a result, naming it. */
    @Test
    void anUnexpectedErrorWhileResolvingGivesEveryInputLeftAFailedSampleNamingIt() throws Exception {
        AtomicReference<FluxSink<List<ProbeEvent>>> sink = new AtomicReference<>();
        Flux.<List<ProbeEvent>>create(sink::set).subscribe();
        ProbeOptions options = ProbeOptions.builder()
                .resolver(host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 9}))).build();
        ProbeRun run = new ProbeRun(sink.get(), options);
        AtomicInteger wakeups = new AtomicInteger();
        // the second wake-up (the first resolved name's) fails: the error the pipeline cannot map
        Runnable wakeup = () -> {
            if (wakeups.incrementAndGet() == 2) {
                throw new IllegalStateException("a bug in the wake-up");
            }
        };
        List<String> inputs = List.of("a.example:1", "b.example:2", "c.example:3", "127.0.0.1:4");
        new InputPreparer("test").feed(inputs, run, wakeup);
        for (int i = 0; i < 500 && !run.inputDone; i++) {
            Thread.sleep(10);
        }
        assertTrue(run.inputDone, "the input never ended");
        run.drainIncoming();
        Map<Integer, Object> byIndex = new TreeMap<>();
        for (Object item : run.pending) {
            int index = item instanceof Target ? ((Target) item).index : ((RttSample) item).index();
            assertEquals(null, byIndex.put(index, item), "input " + index + " twice");
        }
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(byIndex.keySet()), "every input has its one result: " + run.pending);
        long failed = run.pending.stream().filter(o -> o instanceof RttSample).count();
        assertTrue(failed >= 1, run.pending.toString());
        for (Object item : run.pending) {
            if (item instanceof RttSample) {
                RttSample s = (RttSample) item;
                assertEquals(Outcome.ERROR, s.outcome());
                assertEquals("resolving stopped with an unexpected error: a bug in the wake-up", s.error().orElseThrow());
            }
        }
    }
}
