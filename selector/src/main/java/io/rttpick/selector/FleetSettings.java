package io.rttpick.selector;

import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;

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
