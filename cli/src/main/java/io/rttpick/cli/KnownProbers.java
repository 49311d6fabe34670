package io.rttpick.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every prober the README's table names, and what brings it: the CLI's jar holds three; the
 * others come from elsewhere, and a user who names one should be told where, not only "no prober
 * named".
 */
final class KnownProbers {
    private static final Map<String, String> WHERE = new LinkedHashMap<>();

    static {
        WHERE.put("linux-epoll", "in the CLI's jar (rttpick-prober-tcp-linux)");
        WHERE.put("darwin-kqueue", "in the CLI's jar (rttpick-prober-tcp-darwin)");
        WHERE.put("connect", "in the CLI's jar (rttpick-prober-connect-fallback)");
        WHERE.put("android-connect", "rttpick-prober-tcp-android, for Android apps: not in the CLI");
        WHERE.put("icmp", "the rttpick-prober-icmp plugin: copy prober-icmp/target/rttpick-prober-icmp-*.jar into plugins/");
    }

    private KnownProbers() {
    }

    /** Where a known prober comes from, or null for a name we do not know. */
    static String where(String name) {
        return WHERE.get(name);
    }

    static Map<String, String> all() {
        return WHERE;
    }
}
