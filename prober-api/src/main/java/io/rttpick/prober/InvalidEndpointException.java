package io.rttpick.prober;

/**
 * An address that cannot be probed as written. The message always names the input:
 * {@code address 1.1.1.1:313121: invalid port}.
 */
public final class InvalidEndpointException extends IllegalArgumentException {
    private static final int MAX_QUOTED = 200;

    private final String input;
    private final String reason;

    public InvalidEndpointException(String input, String reason) {
        super("address " + printable(input) + ": " + reason);
        this.input = input;
        this.reason = reason;
    }

    /** The address exactly as given (may be null). */
    public String input() {
        return input;
    }

    /** What is wrong with it, without the address: {@code invalid port}. */
    public String reason() {
        return reason;
    }

    /** Escapes control characters and shortens very long input so one bad line cannot flood a log. */
    static String printable(String input) {
        if (input == null) {
            return "(null)";
        }
        StringBuilder out = new StringBuilder();
        int limit = Math.min(input.length(), MAX_QUOTED);
        for (int i = 0; i < limit; i++) {
            char c = input.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (input.length() > MAX_QUOTED) {
            out.append("...(").append(input.length()).append(" chars)");
        }
        return out.toString();
    }
}
