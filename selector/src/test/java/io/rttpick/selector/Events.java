package io.rttpick.selector;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import reactor.core.publisher.Mono;

/** Synthetic probe events for selector tests; delays run on whatever scheduler is current (virtual in tests). */
final class Events {
    private Events() {
    }

    static InetSocketAddress target(int index) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (index + 1)}), 443);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static ProbeEvent started(int index, int attempt) {
        return new ProbeEvent.Started(index, attempt, "s" + index, target(index), Instant.EPOCH);
    }

    static ProbeEvent ok(int index, int attempt, long micros) {
        return new ProbeEvent.Completed(RttSample.builder(index, "s" + index).attempt(attempt).resolved(target(index))
                .ok(micros, Timing.USERSPACE, Handshake.HALF_OPEN).startedAt(Instant.EPOCH).prober("test").build());
    }

    static ProbeEvent failed(int index, int attempt, Outcome outcome) {
        return new ProbeEvent.Completed(RttSample.builder(index, "s" + index).attempt(attempt)
                .failed(outcome, outcome.name().toLowerCase()).startedAt(Instant.EPOCH).prober("test").build());
    }

    /** Started at {@code startMs}, answered {@code rttMs} later (or failed after it when rttMs < 0 ... see callers). */
    static reactor.core.publisher.Flux<ProbeEvent> attempt(int index, int attempt, long startMs, long rttMs) {
        return Mono.delay(Duration.ofMillis(startMs)).map(x -> started(index, attempt))
                .concatWith(Mono.delay(Duration.ofMillis(rttMs)).map(x -> ok(index, attempt, rttMs * 1000)));
    }

    static reactor.core.publisher.Flux<ProbeEvent> timeout(int index, int attempt, long startMs, long timeoutMs) {
        return Mono.delay(Duration.ofMillis(startMs)).map(x -> started(index, attempt))
                .concatWith(Mono.delay(Duration.ofMillis(timeoutMs)).map(x -> failed(index, attempt, Outcome.TIMEOUT)));
    }
}
