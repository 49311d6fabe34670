package io.rttpick.selector;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** A prober whose servers answer after scripted delays (virtual time in tests); -1 means silent. */
final class ScriptedProber implements Prober {
    final Map<String, Long> rttMillis = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    private final Scheduler time;

    ScriptedProber(Scheduler time) {
        this.time = time;
    }

    ScriptedProber set(String address, long millis) {
        rttMillis.put(address, millis);
        return this;
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        calls.incrementAndGet();
        return Flux.range(0, addresses.size()).flatMap(i -> {
            String a = addresses.get(i);
            long rtt = rttMillis.getOrDefault(a, -1L);
            ProbeEvent started = new ProbeEvent.Started(i, 0, a, Events.target(i), Instant.EPOCH);
            long wait = rtt < 0 ? options.timeout().toMillis() : rtt;
            RttSample.Builder s = RttSample.builder(i, a).startedAt(Instant.EPOCH).prober("scripted");
            RttSample sample = rtt < 0 ? s.failed(Outcome.TIMEOUT, "tcp check timeout: I/O timeout").build()
                    : s.ok(rtt * 1000, Timing.KERNEL, Handshake.HALF_OPEN).build();
            return Flux.concat(Mono.just(started),
                    Mono.delay(Duration.ofMillis(wait), time).map(x -> new ProbeEvent.Completed(sample)));
        });
    }

    @Override
    public void close() {
    }
}
