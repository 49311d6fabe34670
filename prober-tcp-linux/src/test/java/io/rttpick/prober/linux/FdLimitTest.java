package io.rttpick.prober.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.testing.FakeResolver;
import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.testing.OpenFileLimit;
import io.rttpick.prober.testing.OpenFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Out of file descriptors (EMFILE) is no failure: probes wait for room and all get their sample. */
class FdLimitTest {

    private static boolean limitBites(int sockets) {
        List<java.net.Socket> opened = new ArrayList<>();
        try {
            for (int i = 0; i < sockets; i++) {
                java.net.Socket s = new java.net.Socket();
                opened.add(s);
                s.bind(null);
            }
            return false;
        } catch (java.io.IOException expected) {
            return true;
        } finally {
            opened.forEach(s -> {
                try {
                    s.close();
                } catch (java.io.IOException ignored) {
                    // closing what was opened for the check
                }
            });
        }
    }

    @Test
    void probesWaitForRoomUnderALowFdLimit() throws Exception {
        assumeTrue(LinuxEpoll.isAvailable() && OpenFiles.countable(), "Linux only");
        try (LoopbackFleet servers = new LoopbackFleet();
             Prober prober = new LinuxEpollProberProvider().create()) {
            String open = servers.open();
            String silent = servers.silent();
            ProbeOptions options = ProbeOptions.builder().timeout(Duration.ofMillis(200)).maxInFlight(300)
                    .resolver(new FakeResolver()).build();
            prober.probe(List.of(open), options).blockLast(Duration.ofSeconds(10)); // warm up before counting
            // silent servers hold their sockets for the whole timeout: 100 of them want 100 descriptors at once
            List<String> inputs = new ArrayList<>(Collections.nCopies(100, silent));
            inputs.addAll(Collections.nCopies(100, open));
            long started = System.nanoTime();
            List<RttSample> samples = OpenFileLimit.whileLowered(20, () -> {
                assertTrue(limitBites(30), "the lowered limit must refuse 30 more sockets");
                return prober.probe(inputs, options).collectList().block(Duration.ofSeconds(60));
            });
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Map<Outcome, Long> outcomes = samples.stream().collect(Collectors.groupingBy(RttSample::outcome, Collectors.counting()));
            assertEquals(Map.of(Outcome.OK, 100L, Outcome.TIMEOUT, 100L), outcomes, () -> samples.stream()
                    .filter(s -> s.outcome() == Outcome.ERROR).map(RttSample::toString).limit(3).collect(Collectors.joining("; ")));
            // about 20 at a time, 200 ms each: 100 silent ones need several rounds, so they waited for room
            assertTrue(took.compareTo(Duration.ofMillis(600)) > 0, "took only " + took + ": did they really wait?");
        }
    }
}
