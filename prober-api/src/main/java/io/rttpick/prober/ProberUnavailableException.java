package io.rttpick.prober;

/** No prober can be had: the one named is unavailable, or none is; the message says why, per candidate. */
public class ProberUnavailableException extends RuntimeException {
    public ProberUnavailableException(String message) {
        super(message);
    }

    public ProberUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
