package io.rttpick.prober.icmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.ProberProvider;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The plugin as the core finds it, and the unprivileged-ICMP rule of the machine the tests run on:
 * where ping sockets are forbidden (CI's own namespace: ping_group_range "1 0"), the provider says
 * which setting, and a probe attempted anyway is PERMISSION_DENIED with that text; where they are
 * allowed, a probe of loopback answers.
 */
class IcmpProberProviderTest {

    @Test
    void foundByServiceLoaderWithAPriorityBelowTheTcpProbers() {
        Probers probers = Probers.load();
        ProberProvider icmp = probers.candidates().stream().filter(c -> c.name().equals("icmp")).findFirst()
                .flatMap(Probers.Candidate::provider).orElseThrow(() -> new AssertionError(probers.report()));
        // below connect (10), darwin-kqueue (90) and linux-epoll (100): the service port's reachability comes first
        assertTrue(icmp.priority() < 10, "priority " + icmp.priority());
        assertTrue(icmp.isNative());
        assertEquals("icmp", new IcmpProberProvider().name());
    }

    private static String readRange() {
        try (java.io.InputStream in = new java.io.FileInputStream("/proc/sys/net/ipv4/ping_group_range")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().replaceAll("\\s+", " ");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void whereForbiddenItSaysWhichSettingAndAProbeIsPermissionDenied() {
        Optional<Throwable> cause = new IcmpProberProvider().unavailabilityCause();
        try (Prober prober = IcmpProberProvider.createAnyway()) {
            RttSample s = prober.probe(List.of("127.0.0.1:7"), ProbeOptions.builder().timeout(Duration.ofSeconds(2)).build())
                    .blockLast(Duration.ofSeconds(10));
            if (cause.isPresent()) {
                String why = cause.get().getMessage();
                assertTrue(why.contains("net.ipv4.ping_group_range"), why);
                String range = readRange();
                assertTrue(why.contains("(\"" + range + "\" here"), "the whole setting (" + range + "): " + why);
                assertEquals(Outcome.PERMISSION_DENIED, s.outcome(), s.toString());
                assertTrue(s.error().orElseThrow().contains("net.ipv4.ping_group_range"), s.toString());
            } else {
                assertEquals(Outcome.OK, s.outcome(), s.toString());
                assertEquals(Handshake.NONE, s.handshake());
                assertEquals(Timing.KERNEL, s.timing().orElseThrow(), s.details().toString());
                assertEquals(false, s.details().get(IcmpTransport.DETAIL_PORT_USED));
            }
        }
    }
}
