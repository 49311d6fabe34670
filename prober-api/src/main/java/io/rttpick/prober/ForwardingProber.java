package io.rttpick.prober;

import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;

/**
 * A prober that hands every call to another one: a subclass overrides what it adds (counting the
 * samples, explaining some of them) and inherits the rest, so that no wrapper forgets one.
 */
public abstract class ForwardingProber implements Prober {
    private final Prober delegate;

    protected ForwardingProber(Prober delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The prober every call goes to. */
    protected final Prober delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options) {
        return delegate.events(addresses, options);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
