package io.rttpick.output;

/**
 * Text from a request made fit for a log line or a terminal: control characters escaped (a
 * newline cannot forge a log line, an escape sequence cannot drive the terminal) and cut to a
 * sane length.
 */
public final class LogText {
    static final int MAX = 200;

    private LogText() {
    }

    /** {@code text} with control characters escaped, cut at {@link #MAX} characters. */
    public static String safe(String text) {
        return safe(text, MAX);
    }

    public static String safe(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 8);
        for (int i = 0; i < text.length(); i++) {
            if (b.length() >= max) {
                return b.append("...(").append(text.length()).append(" chars)").toString();
            }
            char c = text.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069')) {
                b.append(String.format("\\u%04x", (int) c)); // C0, DEL, C1, line separators, bidi overrides
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
