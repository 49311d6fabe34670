package io.rttpick.serve;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The URLs serve prints: valid to paste into a browser, whatever address it listens on. */
public final class ServeUrls {
    private ServeUrls() {
    }

    /**
     * {@code http://HOST:PORT/}: an IPv6 address in brackets and in its short form; a wildcard
     * (0.0.0.0, ::) as the loopback address of its family, which reaches it from this machine.
     */
    public static String of(InetSocketAddress at) {
        InetAddress a = at.getAddress();
        String host;
        if (a.isAnyLocalAddress()) {
            host = a instanceof Inet6Address ? "[::1]" : "127.0.0.1";
        } else if (a instanceof Inet6Address) {
            host = "[" + shortForm((Inet6Address) a) + "]";
        } else {
            host = a.getHostAddress();
        }
        return "http://" + host + ":" + at.getPort() + "/";
    }

    /** RFC 5952's form: lower case, leading zeros dropped, the longest run of zero groups as "::". */
    static String shortForm(Inet6Address a) {
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            s.append(Integer.toHexString(groups[i]));
            if (i < 7) {
                s.append(':');
            }
        }
        return s.toString();
    }
}
