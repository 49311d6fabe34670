package io.rttpick.selector.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.NetworkId;
import io.rttpick.selector.RememberedNetwork;
import io.rttpick.selector.RememberedRankings;
import io.rttpick.selector.RememberedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The fleet selector over a file store, as an app uses it: remembered across a restart; a future date not believed. */
class FileStoreWithSelectorTest {
    private static final List<String> FLEET = List.of("ams.example:993", "iowa.example:993");
    @TempDir
    Path dir;

    /** Amsterdam answers in 5 ms, Iowa in 40 ms (real time, short). */
    private static final Prober PROBER = new Prober() {
        @Override
        public String name() {
            return "two";
        }

        @Override
        public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
            return Flux.range(0, addresses.size()).flatMap(i -> {
                long ms = addresses.get(i).startsWith("ams") ? 5 : 40;
                RttSample s = RttSample.builder(i, addresses.get(i)).startedAt(Instant.EPOCH).prober("two")
                        .ok(ms * 1_000, Timing.USERSPACE, Handshake.HALF_OPEN).build();
                return Mono.delay(Duration.ofMillis(ms)).map(x -> (ProbeEvent) new ProbeEvent.Completed(s));
            });
        }

        @Override
        public void close() {
        }
    };

    @Test
    void aRestartedAppAnswersFromTheFileAtOnce() throws Exception {
        Path file = dir.resolve("rankings.json");
        FleetSelector first = FleetSelector.builder(PROBER, FLEET).remember(FileRankingStore.at(file)).build();
        assertEquals(FleetChoice.Reason.PROBED, first.networkChanged(NetworkId.of("home")).block(Duration.ofSeconds(5)).reason());
        Thread.sleep(300); // the probe's last answers in
        first.close(); // saves what is left to save, on the store's scheduler
        for (int i = 0; i < 50 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(file));
        FleetSelector second = FleetSelector.builder(PROBER, FLEET).remember(FileRankingStore.at(file)).build();
        FleetChoice home = second.networkChanged(NetworkId.of("home")).block(Duration.ofSeconds(5));
        assertEquals(FleetChoice.Reason.REMEMBERED, home.reason());
        assertEquals(FleetChoice.Source.MEMORY, home.source());
        assertEquals("ams.example:993", home.server().orElseThrow());
        second.close();
        Thread.sleep(500); // its last save done before the directory goes
    }

    @Test
    void anEntryDatedInTheFutureIsNotBelieved() throws InterruptedException {
        Path file = dir.resolve("rankings.json");
        long tomorrow = System.currentTimeMillis() + Duration.ofDays(1).toMillis();
        FileRankingStore.at(file).save(new RememberedRankings(Map.of("home", new RememberedNetwork(tomorrow, tomorrow,
                Map.of("iowa.example:993", new RememberedServer(1_000, -1, 0, 1, tomorrow)))), Map.of()));
        FleetSelector selector = FleetSelector.builder(PROBER, FLEET).remember(FileRankingStore.at(file)).build();
        FleetChoice home = selector.networkChanged(NetworkId.of("home")).block(Duration.ofSeconds(5));
        assertEquals(FleetChoice.Reason.PROBED, home.reason());
        assertEquals("ams.example:993", home.server().orElseThrow());
        selector.close();
        Thread.sleep(500);
    }
}
