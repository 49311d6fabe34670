package io.rttpick.prober.spi;

import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import java.io.IOException;
import java.util.Optional;

/**
 * What every provider repeats, once: its name, priority, description and nativeness, and
 * availability judged once by the prober's own check ({@link #availability()}, usually a static
 * {@link Availability} held by the prober's entry class). A subclass makes the prober.
 */
public abstract class AbstractProberProvider implements ProberProvider {
    private final String name;
    private final int priority;
    private final boolean isNative;
    private final String description;

    protected AbstractProberProvider(String name, int priority, boolean isNative, String description) {
        this.name = name;
        this.priority = priority;
        this.isNative = isNative;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final boolean isNative() {
        return isNative;
    }

    @Override
    public final String description() {
        return description;
    }

    /** The judgement, made once; asked on every call. */
    protected abstract Availability availability();

    @Override
    public boolean isAvailable() {
        return availability().isAvailable();
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return availability().cause();
    }

    @Override
    public Optional<String> availabilityNote() {
        return availability().note();
    }

    /** The prober, once available; a native failure while making it becomes a {@link ProberUnavailableException}. */
    @Override
    public final Prober create() {
        ensureAvailability();
        try {
            return createProber();
        } catch (IOException e) {
            throw new ProberUnavailableException(name + ": " + e.getMessage(), e);
        }
    }

    /** A new prober; called only when available. */
    protected abstract Prober createProber() throws IOException;
}
