package io.rttpick.prober.spi;

import io.rttpick.prober.ProberUnavailableException;
import java.util.Optional;

/**
 * Whether a native prober can run here, judged once (by really making its calls) and kept: the
 * answer behind a native prober's static facade ({@code LinuxEpoll.isAvailable()}, {@code
 * LinuxEpoll.availability().cause()}), as Netty's {@code Epoll} keeps it, and behind its provider.
 */
public final class Availability {
    private final String name;
    private final Throwable cause;
    private final String note;

    private Availability(String name, Throwable cause, String note) {
        this.name = name;
        this.cause = cause;
        this.note = note;
    }

    /** @param cause why it cannot run, or null when it can */
    public static Availability of(String name, Throwable cause) {
        return new Availability(name, cause, null);
    }

    /** It can run; {@code note}, when not null, is what its users should know (the canary's allowance for a slow machine). */
    public static Availability trusted(String name, String note) {
        return new Availability(name, null, note);
    }

    public boolean isAvailable() {
        return cause == null;
    }

    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    /** What a user of an available prober should know, in one line; empty when nothing. */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    /** Throws {@link ProberUnavailableException} with the reason when it cannot run. */
    public void ensure() {
        if (cause != null) {
            throw new ProberUnavailableException(name + " is unavailable: " + cause.getMessage(), cause);
        }
    }
}
