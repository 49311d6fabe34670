package io.rttpick.prober.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.spi.EngineClock;
import java.net.InetAddress;
import java.util.ArrayList;
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
        ProbeRun<Integer> run = new ProbeRun<>(sink.get(), options);
        AtomicInteger wakeups = new AtomicInteger();
        // the second wake-up (the first resolved name's) fails: the error the pipeline cannot map
        Runnable wakeup = () -> {
            if (wakeups.incrementAndGet() == 2) {
                throw new IllegalStateException("a bug in the wake-up");
            }
        };
        List<String> inputs = List.of("a.example:1", "b.example:2", "c.example:3", "127.0.0.1:4");
        new InputPreparer("test", EngineClock.system()).feed(inputs, run, wakeup);
        List<RunInput> offered = new ArrayList<>();
        for (int i = 0; i < 500 && offered.size() < inputs.size(); i++) {
            run.takeInput(0);
            while (run.canLaunchNext(Long.MAX_VALUE)) {
                offered.add(run.takeNext());
            }
            Thread.sleep(10);
        }
        Map<Integer, RunInput> byIndex = new TreeMap<>();
        for (RunInput item : offered) {
            assertEquals(null, byIndex.put(item.index(), item), "input " + item.index() + " twice");
        }
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(byIndex.keySet()), "every input has its one result: " + offered);
        long failed = offered.stream().filter(o -> o instanceof ReadySample).count();
        assertTrue(failed >= 1, offered.toString());
        for (RunInput item : offered) {
            if (item instanceof ReadySample) {
                RttSample s = ((ReadySample) item).sample;
                assertEquals(Outcome.ERROR, s.outcome());
                assertEquals("resolving stopped with an unexpected error: a bug in the wake-up", s.error().orElseThrow());
            }
        }
    }
}
