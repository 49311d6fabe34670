package io.rttpick.bench.simulate;

import io.rttpick.prober.Endpoint;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.Timing;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** A prober over the simulated world: each server answers after its sampled RTT on the current network, in virtual time. */
final class SimProber implements Prober {
    private final SimWorld world;
    private final Meter meter;
    private final Scheduler time;
    private final Supplier<SimWorld.Net> net;
    private final LongSupplier minute;

    SimProber(SimWorld world, Meter meter, Scheduler time, Supplier<SimWorld.Net> net, LongSupplier minute) {
        this.world = world;
        this.meter = meter;
        this.time = time;
        this.net = net;
        this.minute = minute;
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        if (System.getenv("SIMULATE_DEBUG") != null) {
            long t = minute.getAsLong();
            System.err.printf("  probe of %d at day %d %02d:%02d on %s%n", addresses.size(), t / SimWorld.DAY + 1,
                    t % SimWorld.DAY / 60, t % 60, net.get());
        }
        return Flux.range(0, addresses.size()).flatMap(i -> attempt(i, addresses.get(i), options));
    }

    private Flux<ProbeEvent> attempt(int i, String address, ProbeOptions options) {
        int server = SimWorld.index(address);
        long t = minute.getAsLong();
        meter.syn(server, t);
        double ms = world.sampleMs(server, net.get(), t);
        InetSocketAddress target = target(server);
        ProbeEvent started = new ProbeEvent.Started(i, 0, address, target, Instant.EPOCH);
        RttSample.Builder b = RttSample.builder(i, address).endpoint(Endpoint.parse(address)).resolved(target)
                .startedAt(Instant.EPOCH).prober(name());
        boolean lost = Double.isNaN(ms) || ms >= options.timeout().toMillis();
        RttSample sample = lost ? b.failed(Outcome.TIMEOUT, "tcp check timeout: I/O timeout").build()
                : b.ok(Math.round(ms * 1_000), Timing.KERNEL, Handshake.HALF_OPEN).build();
        Duration wait = lost ? options.timeout() : Duration.ofNanos(Math.round(ms * 1_000_000));
        return Flux.concat(Mono.just(started), Mono.delay(wait, time).map(x -> new ProbeEvent.Completed(sample)));
    }

    private static InetSocketAddress target(int server) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 198, 18, (byte) (server >> 8), (byte) server}), 993);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
    }
}
