package io.rttpick.prober.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.AttemptResult;
import io.rttpick.prober.spi.ConnectClock;
import io.rttpick.prober.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class EventLoopProberTest {
    /** A transport that records what the loop asks of it: port 1 answers at the next poll, any other port never. */
    private static final class ScriptedTransport implements Transport<Integer> {
        final List<String> calls = new ArrayList<>();
        private final List<Integer> answering = new ArrayList<>();
        private int next;

        @Override
        public synchronized Integer connect(InetSocketAddress target, InetAddress localAddress, ConnectClock clock) {
            clock.mark();
            calls.add("connect");
            int id = next++;
            if (target.getPort() == 1) {
                answering.add(id);
            }
            return id;
        }

        @Override
        public void poll(long timeoutNanos, ReadyHandler<Integer> ready) {
            List<Integer> now;
            synchronized (this) {
                calls.add("poll");
                now = new ArrayList<>(answering);
                answering.clear();
            }
            if (now.isEmpty() && timeoutNanos != 0) {
                long most = TimeUnit.MILLISECONDS.toNanos(5);
                LockSupport.parkNanos(timeoutNanos < 0 ? most : Math.min(timeoutNanos, most));
            }
            now.forEach(id -> ready.ready(id, System.nanoTime()));
        }

        @Override
        public synchronized AttemptResult finish(Integer connection, long startNanos, long readyNanos) {
            calls.add("close");
            return AttemptResult.ok(100, Timing.USERSPACE, Handshake.HALF_OPEN);
        }

        @Override
        public synchronized void abort(Integer connection) {
            calls.add("close");
        }

        @Override
        public synchronized void completeCloses() {
            calls.add("completeCloses");
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() {
        }

        synchronized List<String> calls() {
            return new ArrayList<>(calls);
        }
    }

    @Test
    void closesAreCompletedAfterEachRoundBeforeTheLoopConnectsOrWaitsAgain() {
        ScriptedTransport transport = new ScriptedTransport();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            addresses.add(i % 4 == 0 ? "127.0.0.1:2" : "127.0.0.1:1"); // a quarter never answer: aborted at the deadline
        }
        List<RttSample> samples;
        try (EventLoopProber<Integer> prober = new EventLoopProber<>("scripted", transport)) {
            samples = prober.probe(addresses, ProbeOptions.builder().timeout(Duration.ofMillis(50)).build())
                    .collectList().block(Duration.ofSeconds(10));
        }
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        samples.forEach(s -> outcomes.merge(s.outcome(), 1, Integer::sum));
        assertEquals(Map.of(Outcome.OK, 30, Outcome.TIMEOUT, 10), outcomes);

        List<String> calls = transport.calls();
        assertEquals(40, calls.stream().filter("close"::equals).count(), calls.toString());
        boolean pending = false;
        for (String call : calls) {
            if (call.equals("close")) {
                pending = true;
            } else if (call.equals("completeCloses")) {
                pending = false;
            } else {
                assertTrue(!pending, "a " + call + " came before the closes were completed: " + calls);
            }
        }
        assertTrue(!pending, "the last closes were never completed: " + calls);
    }
}
