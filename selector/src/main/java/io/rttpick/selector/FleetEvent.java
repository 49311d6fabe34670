package io.rttpick.selector;

import io.rttpick.selector.FleetChoice.Cause;
import io.rttpick.selector.FleetSelector.Trigger;

/**
 * What the fleet policy is told, one at a time: a caller asks, a probe run decides or ends, the
 * follow-up probe is due. A closed set (final classes, no records: the selector is checked
 * against Android API 26).
 */
sealed interface FleetEvent permits FleetEvent.Ask, FleetEvent.Decided, FleetEvent.Ended, FleetEvent.FollowUpDue,
        FleetEvent.MemoryLoaded, FleetEvent.Observation {

    /** A caller asks: a trigger, {@code current()}, or a command on a server. */
    final class Ask implements FleetEvent {
        final Cause cause;
        final Trigger trigger;
        /** The server a command names, as given, and its key; null for the others. */
        final String address;
        final String key;
        /** The network the device is on now, for {@code networkChanged}; null for the others. */
        final String network;

        private Ask(Cause cause, Trigger trigger, String address, String key, String network) {
            this.cause = cause;
            this.trigger = trigger;
            this.address = address;
            this.key = key;
            this.network = network;
        }

        /** The device is on another network: a {@link Trigger#NETWORK_ONLINE} that names it. */
        static Ask network(NetworkId network) {
            return new Ask(Cause.TRIGGER, Trigger.NETWORK_ONLINE, null, null, network.value());
        }

        static Ask trigger(Trigger trigger) {
            return new Ask(Cause.TRIGGER, trigger, null, null, null);
        }

        static Ask of(Cause cause) {
            return new Ask(cause, null, null, null, null);
        }

        /** @throws io.rttpick.prober.InvalidEndpointException naming the address when it is malformed */
        static Ask server(Cause cause, String address) {
            return new Ask(cause, null, address, Fleet.keyOf(address), null);
        }
    }

    /** A probe run decided: first at its early decision, again when asked to after a failover. */
    final class Decided implements FleetEvent {
        final long run;
        final Selection selection;

        Decided(long run, Selection selection) {
            this.run = run;
            this.selection = selection;
        }
    }

    /** A probe run ended: with its complete ranking, or with an error (or cancelled: both null). */
    final class Ended implements FleetEvent {
        final long run;
        final Ranking ranking;
        final Throwable error;

        Ended(long run, Ranking ranking, Throwable error) {
            this.run = run;
            this.ranking = ranking;
            this.error = error;
        }
    }

    /** The probe that follows a failover or a stale reuse may run now. */
    final class FollowUpDue implements FleetEvent {
        static final FollowUpDue INSTANCE = new FollowUpDue();

        private FollowUpDue() {
        }
    }

    /** The app measured a server itself: a handshake, the kernel's RTT of its connection, or a request. */
    final class Observation implements FleetEvent {
        final String key;
        final long micros;
        final FleetSelector.Observed kind;

        Observation(String key, long micros, FleetSelector.Observed kind) {
            this.key = key;
            this.micros = micros;
            this.kind = kind;
        }
    }

    /** What the ranking store held, read off the caller's thread once at the start. */
    final class MemoryLoaded implements FleetEvent {
        final RememberedRankings rankings;

        MemoryLoaded(RememberedRankings rankings) {
            this.rankings = rankings;
        }
    }
}
