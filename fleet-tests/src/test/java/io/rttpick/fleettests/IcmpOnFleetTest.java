package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.tun.ConnectionRecord;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.FleetPlan.Unreachable;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.icmp.Icmp;
import io.rttpick.prober.icmp.IcmpProberProvider;
import io.rttpick.prober.testing.FleetNamespace;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The icmp plugin against the fleet's echo replies, mode by mode; the fleet's record is the truth. */
class IcmpOnFleetTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TunFleet fleet;
    private static Prober prober;

    @BeforeAll
    static void start() throws Exception {
        String device = FleetNamespace.requireDevice();
        // the namespace allows ping sockets (tools/fleet-sim/netns-run): unavailable here is a failure
        Icmp.availability().ensure();
        fleet = TunFleet.start(new FleetPlan()
                .add("open", "198.18.30.1", Mode.OPEN, Duration.ofMillis(40))
                .add("closed", "198.18.30.2", Mode.CLOSED, Duration.ofMillis(10))
                .add("blackhole", "198.18.30.3", Mode.BLACKHOLE, Duration.ZERO)
                .add("host-unreachable", "198.18.30.4", Mode.UNREACHABLE, Duration.ofMillis(5), Duration.ZERO, Unreachable.HOST)
                .add("port-unreachable", "198.18.30.5", Mode.UNREACHABLE, Duration.ofMillis(5), Duration.ZERO, Unreachable.PORT)
                .add("prohibited", "198.18.30.6", Mode.UNREACHABLE, Duration.ofMillis(5), Duration.ZERO, Unreachable.ADMIN_PROHIBITED)
                .add("lossy", "198.18.30.7", Mode.LOSSY, Duration.ofMillis(20))
                .add("open-v6", "2001:db8:1::30", Mode.OPEN, Duration.ofMillis(30))
                .add("host-unreachable-v6", "2001:db8:1::34", Mode.UNREACHABLE, Duration.ofMillis(5), Duration.ZERO, Unreachable.HOST),
                device);
        prober = new IcmpProberProvider().create();
    }

    @AfterAll
    static void stop() {
        if (prober != null) {
            prober.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private static List<RttSample> probe(String address, int samples) {
        return prober.probe(List.of(address), ProbeOptions.builder().timeout(Duration.ofMillis(500))
                .samplesPerEndpoint(samples).build()).collectList().block(WAIT).stream()
                .sorted(Comparator.comparingInt(RttSample::attempt)).collect(Collectors.toList());
    }

    private static List<ConnectionRecord> echoesTo(String ip) throws Exception {
        InetAddress server = InetAddress.getByName(ip);
        return fleet.echoes().stream().filter(r -> r.server.address.equals(server)).collect(Collectors.toList());
    }

    /**
     * Three echoes against the fleet's records of them: the median |error| within 2 ms, in one of
     * up to three rounds. The record counts from when the fleet read the request, and its first
     * packet of a kind can be read late (class loading, compilation), or a loaded machine reads one
     * late; one hiccup is not the prober's fault.
     */
    private static void assertRttsMatchTheFleet(String address, String ip) throws Exception {
        List<String> rounds = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int before = echoesTo(ip).size();
            List<RttSample> samples = probe(address, 3);
            List<ConnectionRecord> all = echoesTo(ip);
            List<ConnectionRecord> echoes = all.subList(before, all.size());
            assertEquals(3, echoes.size());
            for (RttSample s : samples) {
                assertEquals(Outcome.OK, s.outcome(), s.toString());
                assertEquals(Timing.KERNEL, s.timing().orElseThrow(), s.details().toString());
                assertEquals(Handshake.NONE, s.handshake());
                assertEquals(false, s.details().get("portUsed"));
            }
            long[] errors = new long[3];
            for (int i = 0; i < 3; i++) {
                errors[i] = Math.abs(samples.get(i).rttMicros().getAsLong() - echoes.get(i).appliedDelayMicros());
            }
            java.util.Arrays.sort(errors);
            if (errors[1] <= 2_000) {
                return;
            }
            rounds.add("median |error| " + errors[1] + " us: " + samples + " / " + echoes);
        }
        org.junit.jupiter.api.Assertions.fail("three rounds over 2 ms: " + rounds);
    }

    @Test
    void anOpenServerAnswersWithinTwoMillisecondsOfTheFleetsDelayAndNoPortIsTouched() throws Exception {
        int syns = fleet.records().size();
        assertRttsMatchTheFleet("198.18.30.1:993", "198.18.30.1");
        assertEquals(syns, fleet.records().size(), "ICMP sent no SYN anywhere");
    }

    @Test
    void aClosedPortDoesNotMatterToIcmp() {
        assertEquals(Outcome.OK, probe("198.18.30.2:1", 1).get(0).outcome());
    }

    @Test
    void aBlackholeTimesOut() {
        RttSample s = probe("198.18.30.3:993", 1).get(0);
        assertEquals(Outcome.TIMEOUT, s.outcome());
        assertEquals("tcp check timeout: I/O timeout", s.error().orElseThrow());
    }

    @Test
    void destinationUnreachableCodesMapToTheirOutcomes() {
        assertEquals(Outcome.UNREACHABLE, probe("198.18.30.4:993", 1).get(0).outcome());
        assertEquals(Outcome.REFUSED, probe("198.18.30.5:993", 1).get(0).outcome());
        RttSample prohibited = probe("198.18.30.6:993", 1).get(0);
        // Linux turns ICMP "communication administratively prohibited" into EHOSTUNREACH for ping sockets
        assertEquals(Outcome.UNREACHABLE, prohibited.outcome(), prohibited.toString());
        assertEquals(Outcome.UNREACHABLE, probe("[2001:db8:1::34]:993", 1).get(0).outcome());
    }

    @Test
    void aLossyServerLosesTheFirstEchoAndAnswersTheRest() {
        List<RttSample> samples = probe("198.18.30.7:993", 3);
        assertEquals(List.of(Outcome.TIMEOUT, Outcome.OK, Outcome.OK),
                samples.stream().map(RttSample::outcome).collect(Collectors.toList()), samples.toString());
    }

    @Test
    void ipv6EchoWorks() throws Exception {
        assertRttsMatchTheFleet("[2001:db8:1::30]:443", "2001:db8:1::30");
    }
}
