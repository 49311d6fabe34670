package io.rttpick.prober.darwin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import io.rttpick.prober.spi.AttemptResult;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the simulated kqueue can make happen that loopback alone cannot: signals, failures, limits. */
class KqueueTransportTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final LoopbackFleet servers = new LoopbackFleet();
    private final SimulatedDarwin system = new SimulatedDarwin();
    private final Prober prober = new DarwinKqueueProberProvider(() -> system, null).create();

    @AfterEach
    void nothingLeftOpenAndNoRuleBroken() {
        prober.close();
        servers.close();
        assertEquals(List.of(), system.misuses());
        assertEquals(0, system.openDescriptors());
    }

    private List<RttSample> probe(List<String> addresses, ProbeOptions options) {
        return prober.probe(addresses, options).collectList().block(WAIT);
    }

    private static ProbeOptions timeout(long millis) {
        return ProbeOptions.builder().timeout(Duration.ofMillis(millis)).build();
    }

    @Test
    void aSignalDuringTheWaitIsRetriedAndTheProbeStillAnswers() throws Exception {
        system.interruptWaits.set(5);
        RttSample s = probe(List.of(servers.open()), timeout(2_000)).get(0);
        assertEquals(Outcome.OK, s.outcome(), s.toString());
        assertEquals(0, system.interruptWaits.get(), "the signals were delivered");
    }

    @Test
    void anInterruptedConnectGoesOnInTheBackground() throws Exception {
        system.interruptConnects.set(1);
        assertEquals(Outcome.OK, probe(List.of(servers.open()), timeout(2_000)).get(0).outcome());
        system.interruptConnects.set(1);
        assertEquals(Outcome.REFUSED, probe(List.of(servers.closed()), timeout(2_000)).get(0).outcome());
    }

    @Test
    void outOfDescriptorsTheAttemptsWaitForRoom() throws Exception {
        // one attempt in flight (silent, 300 ms); the next socket fails with EMFILE: it must wait
        // for that attempt to end, then go
        prober.events(List.of(servers.silent()), timeout(300)).subscribe();
        Thread.sleep(50);
        system.socketsFailing.set(1);
        long before = System.nanoTime();
        List<RttSample> samples = probe(Collections.nCopies(3, servers.open()), timeout(2_000));
        assertEquals(3, samples.size());
        assertTrue(samples.stream().allMatch(RttSample::isOk), samples.toString());
        assertTrue(System.nanoTime() - before >= 200_000_000L, "the attempts did not wait for room");
        assertEquals(0, system.socketsFailing.get());
    }

    @Test
    void outOfDescriptorsWithNothingInFlightIsAnErrorNotAHang() throws Exception {
        system.socketsFailing.set(1);
        RttSample s = probe(List.of(servers.open()), timeout(2_000)).get(0);
        assertEquals(Outcome.ERROR, s.outcome(), s.toString());
        assertTrue(s.error().orElseThrow().contains("Too many open files"), s.toString());
    }

    @Test
    void aFailedRegistrationFailsTheAttemptAndClosesItsSocket() throws Exception {
        system.registrationsFailing.set(1);
        List<RttSample> samples = probe(List.of(servers.open(), servers.open()), timeout(2_000));
        assertEquals(1, samples.stream().filter(s -> s.outcome() == Outcome.ERROR).count(), samples.toString());
        assertEquals(1, samples.stream().filter(RttSample::isOk).count(), samples.toString());
    }

    @Test
    void aSocketThatNeverBecomesWritableTimesOutAndIsClosedExactlyOnce() throws Exception {
        int closesBefore = system.closes();
        List<RttSample> samples = probe(Collections.nCopies(5, servers.silent()), timeout(200));
        assertTrue(samples.stream().allMatch(s -> s.outcome() == Outcome.TIMEOUT), samples.toString());
        assertEquals(5, system.closes() - closesBefore);
    }

    @Test
    void theUserSpaceTimeIsKeptUnlessTheWakeupWasLate() {
        long start = 1_000_000_000L;
        AttemptResult agrees = KqueueTransport.okResult(new TcpConnectionInfo(112, 29, 29, 0), start, start + 29_400_000L);
        assertEquals(Timing.USERSPACE, agrees.timing());
        assertEquals(29_400, agrees.rttMicros());
        assertEquals(Handshake.COMPLETED, agrees.handshake());
        assertTrue(String.valueOf(agrees.details().get(RttSample.Details.TIMING_NOTE)).contains("agrees with the kernel"));

        AttemptResult late = KqueueTransport.okResult(new TcpConnectionInfo(112, 29, 30, 0), start, start + 45_000_000L);
        assertEquals(Timing.KERNEL, late.timing());
        assertEquals(29_000, late.rttMicros());
        assertEquals(45_000L, late.details().get(RttSample.Details.USERSPACE_RTT_MICROS));
        assertTrue(String.valueOf(late.details().get(RttSample.Details.TIMING_NOTE)).contains("16000 us after"));

        AttemptResult none = KqueueTransport.okResult(new TcpConnectionInfo(112, 0, 0, 0), start, start + 400_000L);
        assertEquals(Timing.USERSPACE, none.timing());
        assertTrue(String.valueOf(none.details().get(RttSample.Details.TIMING_NOTE)).contains("tcpi_rttcur 0"));
        AttemptResult shortInfo = KqueueTransport.okResult(new TcpConnectionInfo(20, 0, 0, 0), start, start + 400_000L);
        assertTrue(String.valueOf(shortInfo.details().get(RttSample.Details.TIMING_NOTE)).contains("20 bytes"));
    }

    @Test
    void aLateWakeupOnTheSimulatedKernelIsCorrectedByTheKernelsFigure() throws Exception {
        system.fixedRttCurMillis = 0; // loopback takes well under a millisecond: the kernel would say 0
        RttSample s = probe(List.of(servers.open()), timeout(2_000)).get(0);
        assertEquals(Timing.USERSPACE, s.timing().orElseThrow());
        assertEquals(0, s.details().get(KqueueTransport.DETAIL_KERNEL_RTTCUR_MILLIS));
    }
}
