package io.rttpick.selector;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.selector.FleetChoice.Cause;
import io.rttpick.selector.FleetEvent.Ask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Keeps answering "which server now?" for as long as a client runs, the way a messaging app
 * picks and keeps a mailserver. The rules are {@link FleetPolicy}'s (see there, and
 * {@code docs/fleet-selector.md}); this class feeds it, one event at a time through a
 * {@link SerialQueue}, and carries out what it says: probe runs, answers, {@link #changes()}.
 *
 * <p><b>Threads.</b> Every public method may be called from any thread, the Android main thread
 * included, and none blocks. Answers and {@link #changes()} are signalled on the thread that
 * handled the event: the caller's, for answers known at once; the prober's delivery thread or the
 * clock's timer thread, for answers a probe gave. Do not block in those callbacks.
 *
 * <p><b>Lazy and eager.</b> {@link #trigger} and {@link #current()} act when subscribed, once per
 * subscription, as Reactor users expect. {@link #pin}, {@link #unpin}, {@link #reportFailure},
 * {@link #addServer} and {@link #removeServer} are commands: they act when called, subscribed
 * or not, and their Mono gives the resulting choice (cached: subscribing twice acts once). A
 * malformed address throws at the call, naming it.
 *
 * <p><b>Close.</b> {@link #close()} stops the probes under way and the follow-up probe; answers
 * still awaited fail with an {@link IllegalStateException}, later calls too, and
 * {@link #changes()} completes. With a ranking store, the last changes are saved:
 * {@link #closeAsync()} completes when that save is done, and {@code close()} waits for it (at
 * most {@link Builder#closeTimeout}, 1 s) where the calling thread may block, so that a JVM
 * ending right after it keeps what it learnt.
 */
public final class FleetSelector implements AutoCloseable {

    /** Why a client asks. */
    public enum Trigger { START, NETWORK_ONLINE, SERVER_FAILED, SERVER_LIST_OPENED, REFRESH }

    /** What the app measured itself, for {@link #observe}. */
    public enum Observed {
        /** Its own TCP connect: SYN to SYN-ACK, one round trip. */
        HANDSHAKE,
        /** The kernel's RTT of its open connection ({@code tcpi_rtt} or {@code tcpi_min_rtt}). */
        KERNEL_RTT,
        /**
         * A request and its answer: a round trip plus the server's own time. Counted only when no
         * round trip is fresh, as the least of them (an upper bound of the RTT).
         */
        REQUEST
    }

    private final SelectorClock clock;
    private final FleetPolicy policy;
    private final SerialQueue queue = new SerialQueue();
    private final Sinks.Many<FleetChoice> changes = Sinks.many().replay().latest();
    /** The policy's state as of its last event, for readers on any thread. */
    private volatile FleetView published;

    // touched only by tasks of the queue
    private final Map<Long, List<FleetWaiter>> waiting = new HashMap<>();
    private final FleetRuns runs;
    private Disposable followUp;
    private boolean closed;
    /** Asks that came before the ranking store was read: handled, in order, once it is. */
    private List<Runnable> beforeLoad;

    private final RankingStore store;
    private final Scheduler storeScheduler;
    private final long saveDelayMillis;
    /** The latest remembered state not yet saved; a save is scheduled while it is not null. */
    private final AtomicReference<RememberedRankings> toSave = new AtomicReference<>();
    /** Completes when the save made at close is done (at once without a store or anything to save). */
    private final Sinks.Empty<Void> finalSave = Sinks.empty();
    private final Duration closeTimeout;

    private FleetSelector(Builder b) {
        this.clock = b.selectorClock();
        this.policy = new FleetPolicy(b.settings(), b.options.samplesPerEndpoint(), b.policy, b.randomOrSecure());
        this.published = new FleetView(policy);
        this.runs = new FleetRuns(b.prober, b.options, RttSelector.of(b), () -> published.rules, this::tell);
        this.store = b.store;
        this.storeScheduler = b.storeScheduler != null ? b.storeScheduler : Schedulers.boundedElastic();
        this.saveDelayMillis = b.saveDelay.toMillis();
        this.closeTimeout = b.closeTimeout;
        if (store != null) {
            beforeLoad = new ArrayList<>();
            storeScheduler.schedule(this::load);
        }
    }

    /** Reads the store once, off the caller's thread; a store that fails counts as empty. */
    private void load() {
        RememberedRankings loaded;
        try {
            loaded = store.load();
        } catch (RuntimeException e) {
            loaded = RememberedRankings.EMPTY;
        }
        RememberedRankings rankings = loaded == null ? RememberedRankings.EMPTY : loaded;
        queue.execute(() -> {
            if (!closed) {
                policy.on(new FleetEvent.MemoryLoaded(rankings), clock.nowNanos());
                published = new FleetView(policy);
            }
            List<Runnable> waiting = beforeLoad;
            beforeLoad = null;
            waiting.forEach(Runnable::run);
        });
    }

    /** Saves what is remembered, coalesced: one save per delay at most, the latest state, on the store scheduler. */
    private void saveLater(RememberedRankings rankings) {
        if (toSave.getAndSet(rankings) == null) {
            storeScheduler.schedule(this::saveNow, saveDelayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void saveNow() {
        RememberedRankings latest = toSave.getAndSet(null);
        if (latest != null) {
            try {
                store.save(latest);
            } catch (RuntimeException e) {
                // a store says why in its own log line; the next change tries again
            }
        }
    }

    public static Builder builder(Prober prober, List<String> servers) {
        return new Builder(prober, servers);
    }

    /** Every change of the server in use, the latest first to a new subscriber. */
    public Flux<FleetChoice> changes() {
        return changes.asFlux();
    }

    /** Probes started so far (for clients that watch their privacy, and for tests). */
    public int probesStarted() {
        return (int) published.runsStarted;
    }

    /**
     * The ranking the choices come from, if a probe has decided; its age is {@link #rankingAge()}.
     * Right after an early decision it is not {@link Ranking#complete() complete}: the answers
     * still out fill it in, in the background.
     */
    public Optional<Ranking> lastRanking() {
        return Optional.ofNullable(published.ranking);
    }

    /** How old the last ranking is (zero without one), counted from the start of its probe. */
    public Duration rankingAge() {
        FleetView p = published;
        return p.ranking == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, clock.nowNanos() - p.rankingNanos));
    }

    /** The pinned server, as first spelled in the fleet. */
    public Optional<String> pinnedServer() {
        return Optional.ofNullable(published.pinned);
    }

    /** Whether {@code server} is in the fleet now, however it is spelled ({@code [2001:DB8::1]:993} is {@code [2001:db8::1]:993}). */
    public boolean contains(String server) {
        try {
            return published.fleet.contains(Fleet.keyOf(server));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /**
     * Whether {@code server} may be chosen now: in the fleet and not cooling off after a reported
     * failure. For integrations that order a whole list (OkHttp's {@code Dns}): failed ones last.
     */
    public boolean isUsable(String server) {
        try {
            return published.rules.drawable(server, clock.nowNanos());
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** The fleet as it is now, as first spelled, in the order servers were added. */
    public List<String> servers() {
        return published.fleet.spellings();
    }

    /**
     * The device is on {@code network} now (see {@link NetworkId} for how to derive it). Counts
     * as {@link Trigger#NETWORK_ONLINE} but is not held back by the rate limit: the old network's
     * ranking is not this one's. Remembering ({@link Builder#remember}), a known network is
     * answered at once from its remembered ranking (source {@code MEMORY}) and confirmed by
     * probing its top k; an unknown one is probed and remembered. Acts at the call.
     */
    public Mono<FleetChoice> networkChanged(NetworkId network) {
        Objects.requireNonNull(network, "network");
        return ask(Ask.network(network));
    }

    /**
     * The app measured {@code server} itself, on its own connection: no probe is needed for what
     * it already knows. While the server in use has fresh samples ({@link Builder#passiveWindow},
     * 60 s) that show it as good as the best alternative known, a {@link Trigger#REFRESH} sends
     * nothing ({@code OBSERVED}, source {@code PASSIVE}); when they show it degraded (an
     * alternative at least 10 ms and a third faster), the best k servers are probed, as the rate
     * limit and the budget allow, and {@link #changes()} says if the choice moves. A server not
     * in the fleet is ignored. Acts at the call; returns at once.
     *
     * @throws io.rttpick.prober.InvalidEndpointException naming a malformed server
     * @throws IllegalArgumentException when {@code rtt} is not positive or over 10 minutes
     */
    public void observe(String server, Duration rtt, Observed kind) {
        String key = Fleet.keyOf(server);
        Objects.requireNonNull(kind, "kind");
        if (rtt == null || rtt.isNegative() || rtt.isZero() || rtt.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("observe: the RTT of " + server + " must be positive and at most 10 minutes, got "
                    + rtt);
        }
        tell(new FleetEvent.Observation(key, Math.max(1, rtt.toNanos() / 1_000), kind));
    }

    /** The network named last by {@link #networkChanged}, if any. */
    public Optional<NetworkId> network() {
        String n = published.network;
        return n == null ? Optional.empty() : Optional.of(NetworkId.of(n));
    }

    /** Forgets every remembered ranking and contact, here and (at the next save) in the store. */
    public void forgetNetworks() {
        queue.execute(this::forget);
    }

    private void forget() {
        if (beforeLoad != null) {
            beforeLoad.add(this::forget); // else the store's rankings would come back with the load
            return;
        }
        policy.forgetMemory();
        afterStep();
    }

    /** What probing has cost so far: SYNs, rounds, servers contacted in the last 24 hours. */
    public Mono<ProbeFigures> probeFigures() {
        return Mono.create(sink -> queue.execute(() -> sink.success(policy.figures())));
    }

    /** The answer now: probes only if there has never been a ranking. Lazy. */
    public Mono<FleetChoice> current() {
        return Mono.defer(() -> ask(Ask.of(Cause.CURRENT)));
    }

    /**
     * A reason to look again: probes unless the rate limit or the budget says to reuse the last
     * ranking. A probe answers as soon as its choice is certain (see {@link RttSelector}), often
     * before its slowest answers are in; those complete the ranking in the background, and
     * {@link #changes()} emits again only if the choice itself changes. Lazy.
     */
    public Mono<FleetChoice> trigger(Trigger trigger) {
        Objects.requireNonNull(trigger, "trigger");
        return Mono.defer(() -> ask(Ask.trigger(trigger)));
    }

    /**
     * The client could not use {@code server}: it cools off, and the next choice comes from what
     * is known, grouped among the servers left; a probe follows once the rate limit allows. A
     * pinned server stays the answer (it cools off all the same). Acts at the call.
     */
    public Mono<FleetChoice> reportFailure(String server) {
        return ask(Ask.server(Cause.REPORT_FAILURE, server));
    }

    /** Always this server, no probing, until {@link #unpin()}; added to the fleet if it is not in it. Acts at the call. */
    public Mono<FleetChoice> pin(String server) {
        return ask(Ask.server(Cause.PIN, server));
    }

    /** Back to measured choices: probes, unless the rate limit holds it back (the last ranking is reused). Acts at the call. */
    public Mono<FleetChoice> unpin() {
        return ask(Ask.of(Cause.UNPIN));
    }

    /** Adds a server (nothing changes if it is in the fleet, however spelled); it joins the next probe. Acts at the call. */
    public Mono<FleetChoice> addServer(String server) {
        return ask(Ask.server(Cause.ADD_SERVER, server));
    }

    /** Removes a server; removing the one in use (or the pinned one) makes a new choice at once. Acts at the call. */
    public Mono<FleetChoice> removeServer(String server) {
        return ask(Ask.server(Cause.REMOVE_SERVER, server));
    }

    private Mono<FleetChoice> ask(Ask ask) {
        Sinks.One<FleetChoice> answer = Sinks.one();
        queue.execute(() -> handle(ask, answer));
        return answer.asMono();
    }

    private void handle(Ask ask, Sinks.One<FleetChoice> answer) {
        if (beforeLoad != null) {
            beforeLoad.add(() -> handle(ask, answer));
            return;
        }
        if (closed) {
            answer.tryEmitError(closedError());
            return;
        }
        FleetStep step;
        try {
            step = policy.on(ask, clock.nowNanos());
        } catch (RuntimeException e) {
            answer.tryEmitError(e); // the fleet at its cap: nothing changed
            return;
        }
        carryOut(step);
        if (step.answer != null) {
            answer.tryEmitValue(step.answer);
        } else {
            waiting.computeIfAbsent(step.awaitRun, k -> new ArrayList<>()).add(new FleetWaiter(ask, step, answer));
        }
    }

    /** An event from a probe run or a timer, handled on the queue. */
    private void tell(FleetEvent event) {
        queue.execute(() -> {
            if (!closed) {
                carryOut(policy.on(event, clock.nowNanos()));
            }
            if (event instanceof FleetEvent.Ended) {
                runs.ended(((FleetEvent.Ended) event).run);
            }
        });
    }

    private void afterStep() {
        published = new FleetView(policy);
        RememberedRankings changed = policy.takeMemoryChange();
        if (changed != null && store != null) {
            saveLater(changed);
        }
    }

    private void carryOut(FleetStep step) {
        afterStep();
        if (step.startRun != FleetStep.NO_RUN) {
            runs.start(step.startRun, step.startServers);
        }
        if (step.decideAgain) {
            runs.decideAgain(step.awaitRun);
        }
        if (step.followUpInNanos >= 0) {
            followUp = clock.timers().schedule(() -> tell(FleetEvent.FollowUpDue.INSTANCE), step.followUpInNanos,
                    TimeUnit.NANOSECONDS);
        }
        if (step.settledRun != FleetStep.NO_RUN) {
            for (FleetWaiter w : waiting.getOrDefault(step.settledRun, List.of())) {
                w.settle(step.settledFor(w.reason), step.settledError);
            }
            waiting.remove(step.settledRun);
        }
        for (FleetChoice c : step.changes) {
            changes.tryEmitNext(c);
        }
    }

    /**
     * Stops the follow-up probe and the probes under way; answers still awaited fail;
     * {@link #changes()} completes. With a ranking store, waits for the last changes to be saved,
     * at most {@link Builder#closeTimeout} (1 s), unless the calling thread must not block (a
     * Reactor non-blocking thread, or a callback of this selector's): there it only starts the
     * save, as {@link #closeAsync()} does. On Android's main thread prefer {@code closeAsync()}.
     */
    @Override
    public void close() {
        Mono<Void> saved = closeAsync();
        if (store == null || closeTimeout.isZero() || Schedulers.isInNonBlockingThread() || queue.isDrainingHere()) {
            return;
        }
        try {
            saved.block(closeTimeout);
        } catch (RuntimeException late) {
            // the time is up: the save goes on, on the store scheduler, as far as the process lets it
        }
    }

    /**
     * Closes as {@link #close()} does without waiting: the Mono completes when the last changes
     * are saved (the store's {@code save} returned; at once without a store or anything to save).
     * Subscribing is not needed for the close itself.
     */
    public Mono<Void> closeAsync() {
        queue.execute(() -> {
            if (closed) {
                return;
            }
            closed = true;
            if (followUp != null) {
                followUp.dispose();
            }
            runs.stopAll();
            RememberedRankings last = policy.takeMemoryChange();
            if (store != null && last != null) {
                toSave.set(last);
            }
            saveAtClose();
            waiting.values().forEach(ws -> ws.forEach(w -> w.settle(null, closedError())));
            waiting.clear();
            changes.tryEmitComplete();
        });
        return finalSave.asMono();
    }

    /** The last changes saved on the store scheduler (not lost), then {@link #finalSave} completes. */
    private void saveAtClose() {
        if (store == null || toSave.get() == null) {
            finalSave.tryEmitEmpty();
            return;
        }
        try {
            storeScheduler.schedule(() -> {
                try {
                    saveNow();
                } finally {
                    finalSave.tryEmitEmpty();
                }
            });
        } catch (RuntimeException rejected) {
            finalSave.tryEmitEmpty(); // the app's scheduler is gone: nothing more can be saved
        }
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the fleet selector is closed");
    }

    /** An add (or a pin of a server not in the fleet) when the fleet is at its cap: the fleet is unchanged. */
    public static final class FleetFullException extends IllegalStateException {
        private final int cap;

        FleetFullException(String server, int cap) {
            super("the fleet is at its cap of " + cap + " servers: " + server + " was not added");
            this.cap = cap;
        }

        public int cap() {
            return cap;
        }
    }

    /** The fleet selector's options; those it shares with {@link RttSelector} are {@link SelectorBuilder}'s. */
    public static final class Builder extends SelectorBuilder<Builder> {
        private final Prober prober;
        private final List<String> servers;
        private ProbeOptions options = ProbeOptions.defaults();
        private Duration minProbeInterval = Duration.ofSeconds(30);
        private Duration maxRankingAge = Duration.ofMinutes(10);
        private Duration coolOff = Duration.ofSeconds(120);
        private Duration maxCoolOff = Duration.ofMinutes(30);
        private Duration margin = Duration.ofMillis(10);
        private IntPredicate probePermit = attempts -> true;
        private int maxServers = Integer.MAX_VALUE;
        private RankingStore store;
        private Scheduler storeScheduler;
        private Duration saveDelay = Duration.ofSeconds(2);
        private Duration closeTimeout = Duration.ofSeconds(1);
        private ProbeBudget budget;
        private int maxNetworks = 32;
        private Duration rememberFor = Duration.ofDays(7);
        private Duration refreshAfter = Duration.ofDays(7);
        private LongSupplier wallMillis = System::currentTimeMillis;
        private Duration passiveWindow = Duration.ofSeconds(60);

        private Builder(Prober prober, List<String> servers) {
            this.prober = Objects.requireNonNull(prober, "prober");
            this.servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        }

        public Builder probeOptions(ProbeOptions options) {
            this.options = Objects.requireNonNull(options, "probeOptions");
            return this;
        }

        /** At most one probe of the fleet per this interval (default 30 s; zero: no limit). */
        public Builder minProbeInterval(Duration d) {
            this.minProbeInterval = DurationCheck.notNegative("minProbeInterval", d);
            return this;
        }

        /** A ranking older than this is not reused without a probe following (default 10 min; positive). */
        public Builder maxRankingAge(Duration d) {
            this.maxRankingAge = DurationCheck.positive("maxRankingAge", d);
            return this;
        }

        /**
         * A failed server's first cool-off (default 120 s; positive), doubling per repeated failure
         * up to the max (default 30 min; not below the first).
         */
        public Builder coolOff(Duration first, Duration max) {
            DurationCheck.positive("coolOff first", first);
            DurationCheck.positive("coolOff max", max);
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("coolOff: the max " + max + " is below the first " + first);
            }
            this.coolOff = first;
            this.maxCoolOff = max;
            return this;
        }

        /** Keep the current server while within this of the best (default 10 ms; zero: only while in the best group). */
        public Builder hysteresisMargin(Duration d) {
            this.margin = DurationCheck.notNegative("hysteresisMargin", d);
            return this;
        }

        /**
         * Asked before every probe with the number of attempts it would send (servers x samples);
         * false reuses the last ranking instead ({@code REUSED}, {@code HELD_BY_BUDGET}). A service
         * shares one budget of probes between its callers this way. Default: always allowed.
         */
        public Builder probePermit(IntPredicate permit) {
            this.probePermit = Objects.requireNonNull(permit, "probePermit");
            return this;
        }

        /** The most servers the fleet may hold; adding past it fails with {@link FleetFullException}. Default: no cap. */
        public Builder maxServers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxServers must be at least 1, got " + n);
            }
            this.maxServers = n;
            return this;
        }

        /**
         * Remember rankings per network ({@link FleetSelector#networkChanged}) in {@code store}
         * ({@link RankingStore#inMemory()}, or the file store of {@code rttpick-selector-store}).
         * Turns the {@link ProbeBudget#defaults() default probe budget} on unless one is given.
         */
        public Builder remember(RankingStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How long a remembered entry counts (default 7 days; positive); older ones, and those dated in the future, are stale. */
        public Builder rememberFor(Duration d) {
            this.rememberFor = DurationCheck.positive("rememberFor", d);
            return this;
        }

        /** Networks remembered at most (default 32); the least recently used is dropped first. */
        public Builder maxNetworks(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxNetworks must be at least 1, got " + n);
            }
            this.maxNetworks = n;
            return this;
        }

        /**
         * A known network whose last full probe is older than this gets a full probe instead of
         * a confirmation, in the background (default 7 days, as {@link #rememberFor}; positive).
         * Between them, what the confirmations and the other networks' probes learn keeps the
         * memory true: a server that moved is measured at the next confirmation everywhere.
         */
        public Builder refreshAfter(Duration d) {
            this.refreshAfter = DurationCheck.positive("refreshAfter", d);
            return this;
        }

        /** The selector's own probe budget (default: {@link ProbeBudget#defaults()} when remembering, none otherwise). */
        public Builder probeBudget(ProbeBudget budget) {
            this.budget = Objects.requireNonNull(budget, "probeBudget");
            return this;
        }

        /**
         * How long {@link FleetSelector#close()} waits for the last changes to be saved, where it may
         * block (default 1 s; zero: it never waits, as {@link FleetSelector#closeAsync()}).
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = DurationCheck.notNegative("closeTimeout", timeout);
            return this;
        }

        /** Where the store is read and written (default {@link Schedulers#boundedElastic()}); saves are coalesced per {@code saveDelay}. */
        public Builder storeScheduler(Scheduler scheduler, Duration saveDelay) {
            this.storeScheduler = Objects.requireNonNull(scheduler, "storeScheduler");
            this.saveDelay = DurationCheck.notNegative("saveDelay", saveDelay);
            return this;
        }

        /** How long the app's own measurements ({@link FleetSelector#observe}) count (default 60 s; positive). */
        public Builder passiveWindow(Duration d) {
            this.passiveWindow = DurationCheck.positive("passiveWindow", d);
            return this;
        }

        /** Wall time in milliseconds, for the dates of remembered entries (default {@link System#currentTimeMillis()}). */
        public Builder wallClock(LongSupplier millis) {
            this.wallMillis = Objects.requireNonNull(millis, "wallClock");
            return this;
        }

        FleetSettings settings() {
            FleetSettings s = new FleetSettings(servers, minProbeInterval, maxRankingAge, coolOff, maxCoolOff, margin, probePermit,
                    maxServers);
            s.remember = store != null;
            s.maxNetworks = maxNetworks;
            s.rememberFor = rememberFor;
            s.refreshAfter = refreshAfter;
            s.budget = budget != null ? budget : store != null ? ProbeBudget.defaults() : ProbeBudget.unlimited();
            s.wallMillis = wallMillis;
            s.passiveWindow = passiveWindow;
            return s;
        }

        /**
         * @throws io.rttpick.prober.InvalidEndpointException naming a malformed server
         * @throws FleetFullException when the servers are more than {@link #maxServers}
         */
        public FleetSelector build() {
            return new FleetSelector(this);
        }
    }
}
