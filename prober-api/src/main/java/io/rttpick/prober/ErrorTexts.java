package io.rttpick.prober;

/**
 * Error texts of samples that programs read and match, kept word for word: they are an
 * interface, like the JSON fields. Every prober's timeout says {@link #TIMEOUT}.
 */
public final class ErrorTexts {
    /**
     * A probe that got no answer within its timeout: the text status-go's {@code mailservers_ping}
     * gave, which its clients (and ours, through {@code ping --json} and serve) match.
     */
    public static final String TIMEOUT = "tcp check timeout: I/O timeout";

    private ErrorTexts() {
    }
}
