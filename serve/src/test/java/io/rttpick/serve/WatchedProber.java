package io.rttpick.serve;

import io.rttpick.prober.ForwardingProber;
import io.rttpick.prober.ProbeEvent;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/** A real prober, watched: calls made, addresses asked for, runs started, still running, cancelled. */
final class WatchedProber extends ForwardingProber {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger addresses = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    WatchedProber(Prober prober) {
        super(prober);
    }

    @Override
    public Flux<ProbeEvent> events(List<String> list, ProbeOptions options) {
        calls.incrementAndGet();
        addresses.addAndGet(list.size());
        return super.events(list, options)
                .doOnSubscribe(x -> {
                    started.incrementAndGet();
                    running.incrementAndGet();
                })
                .doOnCancel(cancelled::incrementAndGet)
                .doFinally(x -> running.decrementAndGet());
    }

    /** The real prober is the fixture's to close. */
    @Override
    public void close() {
    }
}
