package io.rttpick.prober.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

class EventOutboxTest {
    private final List<Integer> seenA = new ArrayList<>();
    private final List<Integer> seenB = new ArrayList<>();
    private final ProbeRun<Integer> a = run(seenA);
    private final ProbeRun<Integer> b = run(seenB);
    private final EventOutbox outbox = new EventOutbox();

    @Test
    void holdsEventsUntilFlushedThenHandsEachToItsRunInOrder() {
        outbox.add(a, started(0));
        outbox.add(b, started(1));
        outbox.add(a, started(2));
        assertEquals(List.of(), seenA);
        outbox.flush();
        assertEquals(List.of(0, 2), seenA);
        assertEquals(List.of(1), seenB);
        outbox.flush();
        assertEquals(List.of(0, 2), seenA, "a flush hands nothing twice");
    }

    @Test
    void eachRunGetsItsHeldEventsAsOneBatch() {
        List<Integer> batchSizes = new ArrayList<>();
        AtomicReference<FluxSink<List<ProbeEvent>>> sink = new AtomicReference<>();
        Flux.<List<ProbeEvent>>create(sink::set).subscribe(batch -> batchSizes.add(batch.size()));
        ProbeRun<Integer> c = new ProbeRun<>(sink.get(), ProbeOptions.builder().build());
        for (int i = 0; i < 5; i++) {
            outbox.add(c, started(i));
            outbox.add(a, started(i));
        }
        outbox.flush();
        assertEquals(List.of(5), batchSizes, "one batch of five, not five batches");
        assertEquals(List.of(0, 1, 2, 3, 4), seenA);
    }

    @Test
    void aFullOutboxFlushesByItself() {
        for (int i = 0; i < EventOutbox.MAX_HELD - 1; i++) {
            outbox.add(a, started(i));
        }
        assertEquals(0, seenA.size());
        outbox.add(a, started(EventOutbox.MAX_HELD - 1));
        assertEquals(EventOutbox.MAX_HELD, seenA.size());
    }

    private static ProbeRun<Integer> run(List<Integer> seen) {
        AtomicReference<FluxSink<List<ProbeEvent>>> sink = new AtomicReference<>();
        Flux.<List<ProbeEvent>>create(sink::set).concatMapIterable(batch -> batch)
                .subscribe(e -> seen.add(((ProbeEvent.Started) e).index()));
        return new ProbeRun<>(sink.get(), ProbeOptions.builder().build());
    }

    private static ProbeEvent.Started started(int index) {
        return new ProbeEvent.Started(index, 0, "198.18.0.1:1", new InetSocketAddress("198.18.0.1", 1), Instant.EPOCH);
    }
}
