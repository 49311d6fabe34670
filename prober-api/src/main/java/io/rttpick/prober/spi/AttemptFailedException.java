package io.rttpick.prober.spi;

import io.rttpick.prober.Outcome;

/** A connect that failed at once (no route, a firewall rule, a refused bind): its outcome is known. */
public final class AttemptFailedException extends Exception {
    private final Outcome outcome;

    public AttemptFailedException(Outcome outcome, String message) {
        super(message);
        if (outcome == Outcome.OK) {
            throw new IllegalArgumentException("a failure cannot be OK");
        }
        this.outcome = outcome;
    }

    /** What a PERMISSION_DENIED can be, appended to the system's own text by every prober. */
    public static final String PERMISSION_DENIED_CAUSES = "a local firewall rule, an ICMP administratively-prohibited"
            + " answer, or on Android a missing INTERNET permission";

    /** {@code text (what it can be)}: the message every prober gives for EACCES / EPERM. */
    public static String permissionDeniedText(String systemText) {
        return systemText + " (" + PERMISSION_DENIED_CAUSES + ")";
    }

    public Outcome outcome() {
        return outcome;
    }
}
