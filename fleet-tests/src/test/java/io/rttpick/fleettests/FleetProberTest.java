package io.rttpick.fleettests;

import io.rttpick.prober.testing.FleetNamespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.tun.ConnectionRecord;
import io.rttpick.fleet.tun.FleetPlan;
import io.rttpick.fleet.tun.FleetPlan.Mode;
import io.rttpick.fleet.tun.FleetPlan.Unreachable;
import io.rttpick.fleet.tun.TunFleet;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import io.rttpick.selector.RttSelector;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A prober against servers with real delays: the fleet's own record of each connection is the
 * truth the sample is checked against (delay applied, what the client sent after the SYN-ACK).
 */
abstract class FleetProberTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static TunFleet fleet;
    Prober prober;

    /** Every mode, IPv4 and IPv6; each test probes its own server, so the records are its own. */
    static FleetPlan plan() {
        return FleetPlan.seed()
                .add("open-v4", "198.18.10.1", Mode.OPEN, Duration.ofMillis(40))
                .add("open-v6", "2001:db8:1::10", Mode.OPEN, Duration.ofMillis(60))
                .add("handshake", "198.18.10.2", Mode.OPEN, Duration.ofMillis(15))
                .add("closed", "198.18.10.3", Mode.CLOSED, Duration.ofMillis(5))
                .add("closed-v6", "2001:db8:1::3", Mode.CLOSED, Duration.ofMillis(5))
                .add("blackhole", "198.18.10.4", Mode.BLACKHOLE, Duration.ZERO)
                .add("port-unreachable", "198.18.10.5", Mode.UNREACHABLE, Duration.ofMillis(5), Duration.ZERO, Unreachable.PORT)
                .add("host-unreachable", "198.18.10.6", Mode.UNREACHABLE, Duration.ofMillis(5), Duration.ZERO, Unreachable.HOST)
                .add("host-unreachable-v6", "2001:db8:1::6", Mode.UNREACHABLE, Duration.ofMillis(5), Duration.ZERO, Unreachable.HOST)
                .add("lossy", "198.18.10.7", Mode.LOSSY, Duration.ofMillis(20))
                .add("prohibited", "198.18.10.8", Mode.UNREACHABLE, Duration.ofMillis(5), Duration.ZERO, Unreachable.ADMIN_PROHIBITED)
                // for a prober's own tests: one probe after another on these two
                .add("slower", "198.18.10.9", Mode.OPEN, Duration.ofMillis(40))
                .add("faster", "198.18.10.10", Mode.OPEN, Duration.ofMillis(15));
    }

    abstract ProberProvider provider();

    /** How this prober's OK samples end, and what the server must have seen after its SYN-ACK. */
    abstract Handshake handshake();

    @BeforeAll
    static void startFleet() throws Exception {
        String device = FleetNamespace.requireDevice();
        fleet = TunFleet.start(plan(), device);
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
            fleet = null;
        }
    }

    @BeforeEach
    void openProber() {
        prober = provider().create();
        // a client that probes runs warm: take the first-use costs (class loading, compilation) of
        // both address families before a figure is checked; the closed servers keep no record we read
        prober.probe(List.of("198.18.10.3:80", "[2001:db8:1::3]:80"), ProbeOptions.builder().build()).blockLast(WAIT);
    }

    @AfterEach
    void closeProber() throws Exception {
        prober.close();
        if (handshake() == Handshake.HALF_OPEN) {
            // the wire, whatever the test's mode (open, IPv6, a retransmitted SYN, ...): every SYN-ACK the
            // fleet sent was answered with RST, never with the ACK that completes a handshake
            Thread.sleep(400); // past the 200 ms a delayed ACK may wait
            for (ConnectionRecord r : fleet.records()) {
                boolean synAck = r.server.mode == FleetPlan.Mode.OPEN || r.server.mode == FleetPlan.Mode.LOSSY;
                if (synAck && r.answered()) {
                    assertEquals(ConnectionRecord.ClientReply.RST, r.clientReply(), r.toString());
                }
            }
        }
    }

    RttSample probeOne(String address, Duration timeout) {
        List<RttSample> samples = prober.probe(List.of(address), ProbeOptions.builder().timeout(timeout).build())
                .collectList().block(WAIT);
        assertEquals(1, samples.size(), String.valueOf(samples));
        return samples.get(0);
    }

    static ConnectionRecord onlyRecord(String server) throws Exception {
        List<ConnectionRecord> records = fleet.records(InetAddress.getByName(server));
        assertEquals(1, records.size(), records.toString());
        return records.get(0);
    }

    /**
     * Three samples, one after another, each against the fleet's record of its own connection;
     * the median |error| must be within 2 ms, in one of up to three rounds. Not every sample, and
     * not every round: the record counts from when the fleet read the SYN, and on a loaded 2-core
     * machine that read was once seen 2.2 ms late while the kernel's own RTT was right; a
     * user-space timer (`connect`) was seen 2.9 ms off in one round on CI (against tcpdump on the
     * wire, `rttpick bench` shows errors of microseconds). One hiccup of the machine is not a fault
     * of the prober; three in a row would be.
     */
    void assertRttsMatchTheFleet(String address, String server) throws Exception {
        List<String> rounds = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {
            int before = fleet.records(InetAddress.getByName(server)).size();
            List<RttSample> samples = prober.probe(List.of(address),
                    ProbeOptions.builder().timeout(Duration.ofSeconds(2)).samplesPerEndpoint(3).build()).collectList().block(WAIT);
            List<ConnectionRecord> all = fleet.records(InetAddress.getByName(server));
            List<ConnectionRecord> records = all.subList(before, all.size());
            assertEquals(3, samples.size(), String.valueOf(samples));
            assertEquals(3, records.size(), records.toString());
            long[] errors = new long[3];
            for (RttSample s : samples) {
                assertEquals(Outcome.OK, s.outcome(), s.toString());
                errors[s.attempt()] = Math.abs(s.rttMicros().getAsLong() - records.get(s.attempt()).appliedDelayMicros());
            }
            java.util.Arrays.sort(errors);
            if (errors[1] <= 2_000) {
                return;
            }
            rounds.add("median |error| " + errors[1] + " us: " + samples + " / " + records);
        }
        org.junit.jupiter.api.Assertions.fail("three rounds in a row over 2 ms: " + rounds);
    }

    @Test
    void openServerRttIsTheDelayTheFleetApplied() throws Exception {
        assertRttsMatchTheFleet("198.18.10.1:443", "198.18.10.1");
    }

    @Test
    void ipv6ServerToo() throws Exception {
        assertRttsMatchTheFleet("[2001:db8:1::10]:443", "2001:db8:1::10");
    }

    @Test
    void handshakeIsWhatTheServerSaw() throws Exception {
        RttSample s = probeOne("198.18.10.2:993", Duration.ofSeconds(2));
        assertEquals(handshake(), s.handshake(), s.toString());
        Thread.sleep(400); // past the 200 ms a delayed ACK may wait
        ConnectionRecord r = onlyRecord("198.18.10.2");
        ConnectionRecord.ClientReply expected = handshake() == Handshake.HALF_OPEN
                ? ConnectionRecord.ClientReply.RST : ConnectionRecord.ClientReply.ACK;
        assertEquals(expected, r.clientReply(), r.toString());
    }

    @Test
    void closedServerIsRefused() {
        RttSample v4 = probeOne("198.18.10.3:80", Duration.ofSeconds(2));
        assertEquals(Outcome.REFUSED, v4.outcome());
        assertEquals(Outcome.REFUSED, probeOne("[2001:db8:1::3]:80", Duration.ofSeconds(2)).outcome());
        checkRefusedByRst(v4);
    }

    @Test
    void silentServerTimesOut() throws Exception {
        RttSample s = probeOne("198.18.10.4:80", Duration.ofMillis(300));
        assertEquals(Outcome.TIMEOUT, s.outcome(), s.toString());
        assertTrue(fleet.records(InetAddress.getByName("198.18.10.4")).get(0).syns() >= 1);
    }

    @Test
    void icmpUnreachableEndsTheAttemptAtOnce() {
        // port unreachable reads as a refusal (ECONNREFUSED); host unreachable as UNREACHABLE
        RttSample port = probeOne("198.18.10.5:80", Duration.ofSeconds(2));
        assertEquals(Outcome.REFUSED, port.outcome(), port.toString());
        checkRefusedByIcmp(port, "port unreachable from 198.18.10.5");
        RttSample host = probeOne("198.18.10.6:80", Duration.ofSeconds(2));
        assertEquals(Outcome.UNREACHABLE, host.outcome(), host.toString());
        RttSample host6 = probeOne("[2001:db8:1::6]:80", Duration.ofSeconds(2));
        assertEquals(Outcome.UNREACHABLE, host6.outcome(), host6.toString());
        checkRefusedByIcmp(host, "host unreachable from 198.18.10.6");
        checkRefusedByIcmp(host6, "address unreachable from 2001:db8:1::6");
    }

    @Test
    void anAdministrativelyProhibitedAnswer() {
        RttSample s = probeOne("198.18.10.8:80", Duration.ofSeconds(2));
        checkProhibited(s, "administratively prohibited from 198.18.10.8");
    }

    /** ICMP "administratively prohibited" (a filter on the path): what this prober makes of it. */
    abstract void checkProhibited(RttSample s, String what);

    @Test
    void aLostSynIsRetransmittedAndTheRttIncludesTheWait() throws Exception {
        RttSample s = probeOne("198.18.10.7:80", Duration.ofSeconds(5));
        assertEquals(Outcome.OK, s.outcome(), s.toString());
        ConnectionRecord r = onlyRecord("198.18.10.7");
        assertEquals(2, r.syns(), r.toString());
        // the first SYN waited a retransmission timeout (1 s on Linux) before the second was answered
        assertTrue(s.rttMicros().getAsLong() >= 1_000_000, s.toString());
        checkRetransmission(s);
    }

    /** What the prober can tell about a retransmitted SYN. */
    abstract void checkRetransmission(RttSample s);

    /** What the prober can tell about a refusal by the server's RST. */
    abstract void checkRefusedByRst(RttSample s);

    /** What the prober can tell about a failure an ICMP error caused ({@code what}: its name and sender). */
    abstract void checkRefusedByIcmp(RttSample s, String what);

    @Test
    void theSeedFleetPicksAmsterdamEarly() {
        List<String> seed = List.of("198.18.0.29:993", "198.18.1.27:993", "198.18.2.79:993", "198.18.3.1:993");
        Ranking ranking = RttSelector.create().rank(prober, seed, ProbeOptions.builder().timeout(Duration.ofSeconds(1)).build())
                .block(WAIT);
        assertEquals("198.18.0.29:993", ranking.selection().chosen().orElseThrow().address());
        List<RankedEndpoint> entries = ranking.entries();
        assertEquals(List.of("198.18.0.29:993", "198.18.1.27:993", "198.18.2.79:993", "198.18.3.1:993"),
                entries.stream().map(RankedEndpoint::address).collect(Collectors.toList()));
        assertEquals(Bucket.FAST, entries.get(0).bucket());
        assertEquals(Bucket.SLOW, entries.get(2).bucket());
        assertEquals(Bucket.NONE, entries.get(3).bucket());
        // Iowa's 127 ms sits 2 ms under AVERAGE's bound (29 + 100): a late millisecond anywhere on a
        // loaded machine tips it into SLOW, so check it is grouped as its measured RTT says
        RankedEndpoint iowa = entries.get(1);
        assertEquals(io.rttpick.selector.BucketPolicy.relative().classify(iowa.rttMicros().getAsLong(),
                entries.get(0).rttMicros().getAsLong()), iowa.bucket(), entries.toString());
        assertTrue(iowa.bucket() == Bucket.AVERAGE || iowa.bucket() == Bucket.SLOW, entries.toString());
        // decided once nothing still out could be FAST (29 + 20 ms), long before the 1 s timeout
        long decided = ranking.selection().decidedAfter().toMillis();
        assertTrue(decided >= 49 && decided < 400, "decided after " + decided + " ms");
    }
}
