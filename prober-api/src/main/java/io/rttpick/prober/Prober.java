package io.rttpick.prober;

import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Times TCP handshakes to a list of addresses. Thread-safe: calls may overlap. Its threads are
 * daemon threads; {@link #close()} stops them and closes every socket.
 *
 * <p>Nothing happens until the returned {@code Flux} is subscribed; each subscription is a new
 * run. Cancelling it closes every socket the run still has open. One bad address never costs the
 * others: it becomes a sample with an {@link Outcome#INVALID} or {@link Outcome#RESOLVE_FAILED}
 * outcome.
 */
public interface Prober extends AutoCloseable {

    /** The provider name, for example {@code connect}. */
    String name();

    /** Every attempt's start and every sample, in the order they happen. */
    Flux<ProbeEvent> events(List<String> addresses, ProbeOptions options);

    /** Only the samples, in completion order. */
    default Flux<RttSample> probe(List<String> addresses, ProbeOptions options) {
        return events(addresses, options)
                .filter(ProbeEvent.Completed.class::isInstance)
                .map(e -> ((ProbeEvent.Completed) e).sample());
    }

    /** Stops the prober's threads and closes everything it holds; runs still going end with an error. */
    @Override
    void close();
}
