package io.rttpick.prober.engine;

import io.rttpick.prober.Endpoint;
import java.net.InetSocketAddress;

/** One address of a run, resolved, and which of its samples is next. */
final class Target implements RunInput {
    final int index;
    final int attempt;
    final String address;
    final Endpoint endpoint;
    final InetSocketAddress socketAddress;
    /** Not to start before this (the engine's clock); for spaced samples. */
    long notBeforeNanos;

    Target(int index, int attempt, String address, Endpoint endpoint, InetSocketAddress socketAddress) {
        this.index = index;
        this.attempt = attempt;
        this.address = address;
        this.endpoint = endpoint;
        this.socketAddress = socketAddress;
    }

    @Override
    public int index() {
        return index;
    }

    Target nextAttempt() {
        return new Target(index, attempt + 1, address, endpoint, socketAddress);
    }
}
