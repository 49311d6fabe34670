package io.rttpick.prober.testing;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A prober whose servers answer after scripted delays, on the scheduler it is given (a
 * {@code VirtualTimeScheduler} in tests); an address without a delay is silent (times out).
 * Optionally each sample varies by up to +-jitter, and chosen attempts of an address are lost
 * (time out). Samples of one address come one after another, spaced as the options say. For
 * tests of what consumes samples (selectors, integrations), not of probers.
 */
public final class ScriptedProber implements Prober {
    private final Map<String, Long> rttMillis = new ConcurrentHashMap<>();
    private final Map<String, Set<Integer>> lostAttempts = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger subscribed = new AtomicInteger();
    private final Scheduler time;
    private long jitterMillis;
    private SplittableRandom jitterRandom = new SplittableRandom(0);

    public ScriptedProber(Scheduler time) {
        this.time = time;
    }

    /** {@code address} answers after {@code millis}; -1: never. */
    public ScriptedProber set(String address, long millis) {
        rttMillis.put(address, millis);
        return this;
    }

    /** Every address silent again. */
    public ScriptedProber clear() {
        rttMillis.clear();
        return this;
    }

    /** The delay scripted for {@code address}; -1 when it is silent. */
    public long millis(String address) {
        return rttMillis.getOrDefault(address, -1L);
    }

    /** How many probe runs were asked for. */
    public int calls() {
        return calls.get();
    }

    /** Every sample is off by a uniform -jitter..+jitter ms, drawn from {@code random}. */
    public ScriptedProber jitter(long millis, SplittableRandom random) {
        this.jitterMillis = millis;
        this.jitterRandom = random;
        return this;
    }

    /** These attempts of {@code address} get no answer. */
    public ScriptedProber lose(String address, Integer... attempts) {
        lostAttempts.put(address, Set.of(attempts));
        return this;
    }

    @Override
    public String name() {
        return "scripted";
    }

    /**
     * How many probe runs were subscribed to, counted once the subscription has set its timers:
     * a test that moves virtual time from another thread waits for this first (Reactor's
     * {@code VirtualTimeScheduler} loses timers set while another thread advances it).
     */
    public int subscribed() {
        return subscribed.get();
    }

    @Override
    public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        calls.incrementAndGet();
        Flux<ProbeEvent> run = scripted(addresses, options);
        return Flux.from(subscriber -> {
            run.subscribe(subscriber);
            subscribed.incrementAndGet();
        });
    }

    private Flux<ProbeEvent> scripted(List<String> addresses, ProbeOptions options) {
        return Flux.range(0, addresses.size()).flatMap(i -> Flux.range(0, options.samplesPerEndpoint())
                .concatMap(attempt -> attempt(i, addresses.get(i), attempt, options)
                        .concatWith(attempt + 1 < options.samplesPerEndpoint() && !options.sampleSpacing().isZero()
                                ? Mono.delay(options.sampleSpacing(), time).then(Mono.empty()) : Mono.empty())));
    }

    private Flux<ProbeEvent> attempt(int i, String address, int attempt, ProbeOptions options) {
        long base = rttMillis.getOrDefault(address, -1L);
        boolean lost = base < 0 || lostAttempts.getOrDefault(address, Set.of()).contains(attempt);
        long rtt;
        synchronized (this) {
            rtt = lost ? -1 : Math.max(0, base + (jitterMillis == 0 ? 0 : jitterRandom.nextLong(-jitterMillis, jitterMillis + 1)));
        }
        ProbeEvent started = new ProbeEvent.Started(i, attempt, address, target(i), Instant.EPOCH);
        long wait = lost ? options.timeout().toMillis() : rtt;
        RttSample.Builder s = RttSample.builder(i, address).attempt(attempt).startedAt(Instant.EPOCH).prober("scripted");
        RttSample sample = lost ? s.failed(Outcome.TIMEOUT, "tcp check timeout: I/O timeout").build()
                : s.ok(rtt * 1000, Timing.KERNEL, Handshake.HALF_OPEN).build();
        return Flux.concat(Mono.just(started),
                Mono.delay(Duration.ofMillis(wait), time).map(x -> new ProbeEvent.Completed(sample)));
    }

    @Override
    public void close() {
    }

    /** A loopback address per position, as the started event's resolved target. */
    private static InetSocketAddress target(int index) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 1 + index);
    }
}
