package io.rttpick.selector;

import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/** The fleet policy's settings, checked by the builder. */
final class FleetSettings {
    final List<String> servers;
    final Duration minProbeInterval;
    final Duration maxRankingAge;
    final Duration coolOff;
    final Duration maxCoolOff;
    final Duration margin;
    final IntPredicate probePermit;
    final int maxServers;
    /** Rankings remembered per network: on when a store is given. */
    boolean remember;
    int maxNetworks = 32;
    Duration rememberFor = Duration.ofDays(7);
    Duration refreshAfter = Duration.ofDays(7);
    ProbeBudget budget = ProbeBudget.unlimited();
    LongSupplier wallMillis = System::currentTimeMillis;
    /** How long the app's own measurements count ({@code observe}). */
    Duration passiveWindow = Duration.ofSeconds(60);

    FleetSettings(List<String> servers, Duration minProbeInterval, Duration maxRankingAge, Duration coolOff, Duration maxCoolOff,
            Duration margin, IntPredicate probePermit, int maxServers) {
        this.servers = servers;
        this.minProbeInterval = minProbeInterval;
        this.maxRankingAge = maxRankingAge;
        this.coolOff = coolOff;
        this.maxCoolOff = maxCoolOff;
        this.margin = margin;
        this.probePermit = probePermit;
        this.maxServers = maxServers;
    }
}
