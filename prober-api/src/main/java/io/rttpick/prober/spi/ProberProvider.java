package io.rttpick.prober.spi;

import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import java.util.Optional;

/**
 * The {@link java.util.ServiceLoader} service through which probers are found. Register an
 * implementation in {@code META-INF/services/io.rttpick.prober.spi.ProberProvider}.
 *
 * <p>Availability is computed once, by really using what the prober needs (open the native
 * library, make the system calls), and cached: asking again is cheap and gives the same answer.
 */
public interface ProberProvider {

    /** A short stable name users choose it by: {@code linux-epoll}, {@code darwin-kqueue}, {@code connect}. */
    String name();

    /** Among available providers the highest priority is chosen. */
    int priority();

    /** Native probers are switched off by {@code -Drttpick.noNative=true}. */
    boolean isNative();

    boolean isAvailable();

    /** Why {@link #isAvailable()} is false; empty when it is available. */
    Optional<Throwable> unavailabilityCause();

    /**
     * What a user of this available prober should know, one line (the canary's allowance for a
     * machine too slow to keep every handshake half-open); empty when nothing or unavailable.
     */
    default Optional<String> availabilityNote() {
        return Optional.empty();
    }

    /** One line for listings: what it does and how it times. */
    String description();

    /**
     * A new prober, with its own thread(s); the caller closes it.
     *
     * @throws ProberUnavailableException if the provider is not available
     */
    Prober create();

    /** Throws {@link ProberUnavailableException} carrying the cause unless available. */
    default void ensureAvailability() {
        if (!isAvailable()) {
            Throwable cause = unavailabilityCause().orElse(null);
            throw new ProberUnavailableException("prober '" + name() + "' is unavailable: "
                    + (cause == null ? "no reason given" : cause.getMessage()), cause);
        }
    }
}
