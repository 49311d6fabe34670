package io.rttpick.selector;

import io.rttpick.selector.FleetSelector.Trigger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@link FleetSelector} answers: the server to use now, and why, as data: the {@link Reason},
 * what asked ({@link Cause}), what happened to the probe ({@link ProbeAction}) and where the
 * figures came from ({@link Source}), with a sentence for people in {@link #note()}.
 */
public final class FleetChoice {

    /** How the answer was reached. The names are an interface (serve's JSON, metrics labels): kept. */
    public enum Reason {
        /** A probe of the fleet just ran. */
        PROBED,
        /** A probe was asked for, but a limit held it back (the rate limit, or the probe budget): the last ranking was reused. */
        REUSED,
        /** The last ranking is older than allowed and no probe may run yet: reused, a probe follows. */
        REUSED_STALE,
        /** The current server failed: the next one came from the last ranking (or the probe under way). */
        FAILOVER,
        /** A pinned server: no probing at all. */
        PINNED,
        /** Nothing usable: no server answered, or every one is cooling off after failures. */
        NOTHING_AVAILABLE,
        /** No probe was asked for and the last ranking is young enough ({@code maxRankingAge}): reused. */
        FRESH_ENOUGH,
        /** On a known network: from the ranking remembered for it, at once, with no probe before it ({@link Source#MEMORY}). */
        REMEMBERED,
        /** A refresh answered by the app's own traffic: the server in use still measures as well as the rest ({@link Source#PASSIVE}). */
        OBSERVED
    }

    /** What asked for the answer. */
    public enum Cause {
        /** {@link FleetSelector#trigger}: {@link FleetChoice#trigger()} says which. */
        TRIGGER,
        CURRENT,
        PIN,
        UNPIN,
        REPORT_FAILURE,
        ADD_SERVER,
        REMOVE_SERVER,
        /** The selector's own probe after a failover or a stale reuse, once the rate limit allowed it. */
        FOLLOW_UP,
        /**
         * The app's own measurement ({@link FleetSelector#observe}) showed the server in use degraded: its best
         * alternatives were probed.
         */
        OBSERVATION
    }

    /** What happened to probing for this answer. */
    public enum ProbeAction {
        /** A probe of the fleet was started for it. */
        SENT,
        /** It waited for a probe already under way. */
        JOINED,
        /** A probe was due but the rate limit ({@code minProbeInterval}) held it back. */
        HELD_BY_RATE_LIMIT,
        /** A probe was due but the probe budget ({@code probePermit}) held it back. */
        HELD_BY_BUDGET,
        /** None was needed (pinned, a young ranking, a failover from what was known). */
        NONE,
        /** Answered from memory at once; a confirmation of the remembered top k was started (not waited for). */
        CONFIRMING
    }

    /** Where the figures behind the choice came from; more sources join later (remembered rankings, passive samples). */
    public enum Source {
        /** The ranking of a probe of the fleet. */
        PROBE,
        /** The ranking remembered for the network the device is on (with a confirmation's fresh figures, when one ran). */
        MEMORY,
        /** The app's own measurements of the server in use ({@link FleetSelector#observe}): no probe. */
        PASSIVE,
        /** The user's pin: nothing was measured. */
        PINNED,
        /** Nothing: no server can be chosen. */
        NONE
    }

    private final String server;
    private final Bucket bucket;
    private final long rttMicros;
    private final Bucket group;
    private final int groupSize;
    private final Reason reason;
    private final Cause cause;
    private final Trigger trigger;
    private final ProbeAction probe;
    private final Source source;
    private final Duration rankingAge;
    private final String note;

    private FleetChoice(String server, Bucket bucket, long rttMicros, Bucket group, int groupSize, Reason reason, Cause cause,
            Trigger trigger, ProbeAction probe, Source source, Duration rankingAge, String note) {
        this.server = server;
        this.bucket = bucket;
        this.rttMicros = rttMicros;
        this.group = group;
        this.groupSize = groupSize;
        this.reason = reason;
        this.cause = cause;
        this.trigger = trigger;
        this.probe = probe;
        this.source = source;
        this.rankingAge = rankingAge;
        this.note = note;
    }

    /** The pinned server: nothing measured, no group. */
    static FleetChoice pinned(String server) {
        return new FleetChoice(server, null, -1, null, 0, Reason.PINNED, Cause.PIN, null, ProbeAction.NONE, Source.PINNED,
                Duration.ZERO, "pinned by the user: no probing");
    }

    /** Nothing can be chosen; {@code why} says what was looked at. */
    static FleetChoice nothing(Duration rankingAge, String why) {
        return new FleetChoice(null, null, -1, null, 0, Reason.NOTHING_AVAILABLE, Cause.CURRENT, null, ProbeAction.NONE,
                Source.NONE, rankingAge, why);
    }

    /**
     * A server from a ranking: its bucket in that ranking, and the group it was drawn from (or, when
     * kept, stands in), relative to the servers that could be chosen.
     */
    static FleetChoice ranked(String server, RankedEndpoint pick, Bucket group, int groupSize, Reason reason,
            Duration rankingAge, String note) {
        return new FleetChoice(server, pick.bucket(), pick.rttMicros().orElse(-1), group, groupSize, reason,
                Cause.CURRENT, null, ProbeAction.NONE, Source.PROBE, rankingAge, note);
    }

    /** The same answer, as given to one who asked for it in this way. */
    FleetChoice askedBy(Cause cause, Trigger trigger, ProbeAction probe) {
        return new FleetChoice(server, bucket, rttMicros, group, groupSize, reason, Objects.requireNonNull(cause),
                cause == Cause.TRIGGER ? Objects.requireNonNull(trigger) : null, Objects.requireNonNull(probe), source,
                rankingAge, note);
    }

    /** The same answer with another reason and sentence (a limit held a probe back, say). */
    FleetChoice because(Reason reason, String note) {
        return new FleetChoice(server, bucket, rttMicros, group, groupSize, reason, cause, trigger, probe, source, rankingAge,
                note);
    }

    /** The same server, answered by the app's own traffic: its passive RTT, no probe. */
    FleetChoice observed(long passiveRttMicros, String note) {
        return new FleetChoice(server, bucket, passiveRttMicros, group, groupSize, Reason.OBSERVED, cause, trigger, probe,
                Source.PASSIVE, Duration.ZERO, note);
    }

    /** The same answer, its figures from {@code source}. */
    FleetChoice from(Source source) {
        return new FleetChoice(server, bucket, rttMicros, group, groupSize, reason, cause, trigger, probe, source, rankingAge,
                note);
    }

    /** The address to use, as first given; empty for {@link Reason#NOTHING_AVAILABLE}. */
    public Optional<String> server() {
        return Optional.ofNullable(server);
    }

    /** Its group in the ranking used (relative to that ranking's best); empty when pinned or nothing was chosen. */
    public Optional<Bucket> bucket() {
        return Optional.ofNullable(bucket);
    }

    /**
     * The group it was drawn from, relative to the best server that could be chosen then (in the
     * fleet, answered, not cooling off): after Amsterdam failed, Iowa is FAST here and AVERAGE or
     * SLOW in the ranking. For a server kept by hysteresis, its own group. Empty when pinned or
     * nothing was chosen.
     */
    public Optional<Bucket> group() {
        return Optional.ofNullable(group);
    }

    /** How many servers that group had (members with its least loss); empty when {@link #group()} is. */
    public OptionalInt groupSize() {
        return group == null ? OptionalInt.empty() : OptionalInt.of(groupSize);
    }

    public OptionalLong rttMicros() {
        return rttMicros < 0 ? OptionalLong.empty() : OptionalLong.of(rttMicros);
    }

    public Reason reason() {
        return reason;
    }

    /** What asked for this answer. */
    public Cause cause() {
        return cause;
    }

    /** The trigger, when {@link #cause()} is {@link Cause#TRIGGER}. */
    public Optional<Trigger> trigger() {
        return Optional.ofNullable(trigger);
    }

    /** Whether a probe was sent for this answer, joined, held back (by which limit), or not needed. */
    public ProbeAction probe() {
        return probe;
    }

    public Source source() {
        return source;
    }

    public boolean pinned() {
        return reason == Reason.PINNED;
    }

    /** Age of the ranking the choice came from; zero when pinned. */
    public Duration rankingAge() {
        return rankingAge;
    }

    /** A sentence for people: why this answer. */
    public String note() {
        return note;
    }

    @Override
    public String toString() {
        return "FleetChoice[" + (server == null ? "none" : server) + " " + reason + ", " + cause
                + (trigger == null ? "" : " " + trigger) + ", probe " + probe + ", " + note + "]";
    }
}
