package io.rttpick.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.Ranking;
import io.rttpick.selector.RttSelector;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Every JSON shape rttpick writes, against a golden file: a field renamed, dropped or changed in
 * meaning fails here first (the field names are an interface). {@code -Drttpick.golden.write=true}
 * rewrites the files from what the code writes now, for a change that is meant.
 */
class ResultJsonGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Figures of the wall clock: replaced by 0 before comparing. */
    private static final List<String> VOLATILE = List.of("decidedAfterMicros", "ageMs");
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @AfterEach
    void tearDown() {
        time.dispose();
    }

    private static InetSocketAddress at(int last) throws IOException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}), 993);
    }

    private static RttSample ok(int index, String address, long micros) throws IOException {
        return RttSample.builder(index, address).resolved(at(index + 1)).ok(micros, Timing.KERNEL, Handshake.HALF_OPEN)
                .startedAt(Instant.EPOCH).prober("test").build();
    }

    private static RttSample failed(int index, String address, Outcome outcome, String error) {
        return RttSample.builder(index, address).failed(outcome, error).startedAt(Instant.EPOCH).prober("test").build();
    }

    /** Ams 29 ms, Iowa 127 ms, a dead server that times out at 1 s, in virtual time. */
    private final class SeedProber implements Prober {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
            return Flux.range(0, addresses.size()).flatMap(i -> {
                String a = addresses.get(i);
                long ms = a.startsWith("ams") ? 29 : a.startsWith("iowa") ? 127 : 1_000;
                return Flux.concat(Mono.just(new ProbeEvent.Started(i, 0, a, null, Instant.EPOCH)),
                        Mono.delay(Duration.ofMillis(ms), time).map(x -> {
                            try {
                                return new ProbeEvent.Completed(ms < 1_000 ? ok(i, a, ms * 1_000)
                                        : failed(i, a, Outcome.TIMEOUT, "tcp check timeout: I/O timeout"));
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }));
            });
        }

        @Override
        public void close() {
        }
    }

    @Test
    void pingJson() throws Exception {
        RttSample failed = RttSample.builder(1, "[::1]:1").resolved(new InetSocketAddress("::1", 1))
                .failed(Outcome.REFUSED, "Connection refused (RST from the server)").startedAt(Instant.EPOCH).prober("test")
                .detail("errorSource", "RST").build();
        golden("ping.json", List.of(ResultJson.sample(ok(0, "ams:993", 29_113), "Amsterdam"), ResultJson.sample(failed, null)));
    }

    @Test
    void mailserversPing() throws Exception {
        golden("mailservers_ping.json", List.of(ResultJson.mailserverResult(ok(0, "127.0.0.1:8545", 1_999)),
                ResultJson.mailserverResult(failed(1, "1.1.1.1:313121", Outcome.INVALID, "address 1.1.1.1:313121: invalid port")),
                ResultJson.mailserverResult(failed(2, "dead:993", Outcome.TIMEOUT, "tcp check timeout: I/O timeout"))));
    }

    @Test
    void pickJson() throws Exception {
        List<Ranking> out = new ArrayList<>();
        RttSelector.builder().random(new SplittableRandom(1)::nextInt).clock(() -> time).build()
                .rank(new SeedProber(), List.of("ams:993", "iowa:993", "dead:993"), ProbeOptions.defaults()).subscribe(out::add);
        time.advanceTimeBy(Duration.ofSeconds(2));
        Ranking r = out.get(0);
        golden("pick.json", ResultJson.pick(r, i -> i == 0 ? "Amsterdam" : null, "test"));
    }

    @Test
    void pickJsonWithNothingAnswering() throws Exception {
        List<Ranking> out = new ArrayList<>();
        RttSelector.builder().random(new SplittableRandom(1)::nextInt).clock(() -> time).build()
                .rank(new SeedProber(), List.of("dead:993"), ProbeOptions.defaults()).subscribe(out::add);
        time.advanceTimeBy(Duration.ofSeconds(2));
        golden("pick-nothing.json", ResultJson.pick(out.get(0), i -> null, "test"));
    }

    /** The fleet's answer at its early decision (the servers still out MEASURING: no outcome, loss or samples yet). */
    @Test
    void fleetSelectionAtTheEarlyDecisionAndAfterAFailover() throws Exception {
        List<String> fleet = List.of("ams:993", "iowa:993", "dead:993", "new:993");
        try (FleetSelector selector = FleetSelector.builder(new SeedProber(), fleet.subList(0, 3))
                .random(new SplittableRandom(1)::nextInt).clock(() -> time).build()) {
            List<FleetChoice> answers = new ArrayList<>();
            selector.trigger(FleetSelector.Trigger.START).subscribe(answers::add);
            time.advanceTimeBy(Duration.ofMillis(60));
            selector.addServer("new:993");
            golden("fleet-selection-early.json", ResultJson.fleetSelection(answers.get(0), selector.lastRanking(),
                    selector.servers(), a -> a.startsWith("ams") ? "Amsterdam" : null, "test"));
            selector.reportFailure("ams:993").subscribe(answers::add);
            time.advanceTimeBy(Duration.ofSeconds(2));
            golden("fleet-selection-failover.json", ResultJson.fleetSelection(answers.get(1), selector.lastRanking(),
                    selector.servers(), a -> a.startsWith("ams") ? "Amsterdam" : null, "test"));
            selector.pin("iowa:993").subscribe(answers::add);
            golden("fleet-selection-pinned.json", ResultJson.fleetSelection(answers.get(2), selector.lastRanking(),
                    selector.servers(), a -> null, "test"));
        }
    }

    private static void golden(String file, Object value) throws IOException {
        JsonNode actual = JSON.valueToTree(value);
        mask(actual);
        String text = JSON.writeValueAsString(actual) + "\n";
        if (Boolean.getBoolean("rttpick.golden.write")) {
            Files.writeString(Path.of("src/test/resources/golden", file), text, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = ResultJsonGoldenTest.class.getResourceAsStream("/golden/" + file)) {
            assertNotNull(in, "no golden file " + file + " (write it with -Drttpick.golden.write=true, then read it)");
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), text, file);
        }
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode) {
            ObjectNode o = (ObjectNode) node;
            for (String f : VOLATILE) {
                if (o.has(f) && !o.get(f).isNull()) {
                    o.put(f, 0);
                }
            }
            if (o.has("note") && o.get("note").isTextual()) {
                o.put("note", o.get("note").asText().replaceAll("\\d+ ms old", "N ms old"));
            }
            o.elements().forEachRemaining(ResultJsonGoldenTest::mask);
        } else if (node != null && node.isArray()) {
            node.elements().forEachRemaining(ResultJsonGoldenTest::mask);
        }
    }
}
