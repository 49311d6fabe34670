package io.rttpick.prober;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict syntax for the host part of an address. IP literals are decoded here, byte by byte, so
 * that {@link InetAddress} is only ever handed raw bytes and can never start a DNS lookup.
 */
final class HostSyntax {
    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private HostSyntax() {
    }

    /** True when the text can only be meant as an IPv4 literal (digits and dots). */
    static boolean looksLikeIpv4(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /** Dotted quad, each part 0..255 without leading zeros (which some stacks read as octal). */
    static InetAddress ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        return fromBytes(bytes);
    }

    /** RFC 4291 text form, with at most one "::" and an optional trailing dotted quad; no zone id. */
    static InetAddress ipv6(String s) {
        if (s.isEmpty() || s.indexOf('%') >= 0) {
            return null;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        byte[] bytes = new byte[16];
        if (gap < 0) {
            return fill(s, bytes, 0, 16) == 16 ? fromBytes(bytes) : null;
        }
        String head = s.substring(0, gap);
        String tail = s.substring(gap + 2);
        byte[] tailBytes = new byte[16];
        int headLen = head.isEmpty() ? 0 : fill(head, bytes, 0, 14);
        int tailLen = tail.isEmpty() ? 0 : fill(tail, tailBytes, 0, 14);
        if (headLen < 0 || tailLen < 0 || headLen + tailLen > 14) {
            return null;
        }
        System.arraycopy(tailBytes, 0, bytes, 16 - tailLen, tailLen);
        return fromBytes(bytes);
    }

    /** Decodes colon-separated groups into out[from..]; returns bytes written, or -1 if malformed. */
    private static int fill(String s, byte[] out, int from, int max) {
        String[] groups = s.split(":", -1);
        int at = from;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            boolean last = i == groups.length - 1;
            if (last && g.indexOf('.') >= 0) {
                InetAddress v4 = looksLikeIpv4(g) ? ipv4(g) : null;
                if (v4 == null || at + 4 > max + from) {
                    return -1;
                }
                System.arraycopy(v4.getAddress(), 0, out, at, 4);
                at += 4;
                continue;
            }
            if (g.isEmpty() || g.length() > 4 || at + 2 > max + from) {
                return -1;
            }
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = asciiHexDigit(g.charAt(k));
                if (d < 0) {
                    return -1; // Character.digit would take fullwidth and other Unicode digits
                }
                v = (v << 4) | d;
            }
            out[at++] = (byte) (v >>> 8);
            out[at++] = (byte) v;
        }
        return at - from;
    }

    private static int asciiHexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** A DNS host name: labels of letters, digits and inner hyphens; an optional final dot. */
    static boolean isHostName(String s) {
        String name = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL
                    || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) {
                    return false;
                }
            }
        }
        // An all-numeric last label would be a mistyped IPv4 address, not a name.
        return !looksLikeIpv4(labels[labels.length - 1]);
    }

    private static InetAddress fromBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError("4 or 16 bytes are always a valid address", impossible);
        }
    }
}
