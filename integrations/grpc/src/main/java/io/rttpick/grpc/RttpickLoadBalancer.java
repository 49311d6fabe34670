package io.rttpick.grpc;

import io.grpc.ChannelLogger.ChannelLogLevel;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.rttpick.prober.Endpoint;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.FleetSelector.Trigger;
import io.rttpick.selector.RandomDraw;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One channel's balancer: the resolver's addresses are the fleet, a fleet selector (shared by the
 * channels of one fleet) ranks them, and one connection is kept to the chosen address, as
 * {@code pick_first} keeps one, with pick_first's contracts: name resolution refreshed when the
 * connection goes idle and when the chosen server fails; TRANSIENT_FAILURE sticky until a
 * connection is ready; grpc's backoff, with jitter, between retries; a new resolution (as
 * {@code resetConnectBackoff} makes) retries at once. Addresses that are not IP socket addresses
 * (a proxy's, {@code inprocess:}, {@code unix:}) are handed to grpc's own pick_first.
 *
 * <p>Every state change runs on the helper's {@link SynchronizationContext}: the selector answers
 * on prober and timer threads, and its answers are handed over with {@code execute}. Before the
 * first choice, calls wait ({@code withNoResult}) until the selector's early decision, and at most
 * the probe timeout (plus a margin): then the resolver's first address is used, and the choice
 * replaces it when it comes. No path leaves calls waiting with nothing connecting: a failure with
 * nothing else usable fails them (wait-for-ready calls wait) and schedules a retry.
 */
final class RttpickLoadBalancer extends LoadBalancer {
    static final Logger LOG = Logger.getLogger("io.rttpick.grpc");
    /** Beyond the probe timeout, what the first choice may still take (the selector's own turn). */
    static final long FIRST_CHOICE_MARGIN_MILLIS = 250;
    /** The longest cool-off after repeated failures, as the selector's default (unless the config's first is longer). */
    private static final Duration MAX_COOL_OFF = Duration.ofMinutes(30);

    private final Helper helper;
    private final SynchronizationContext sync;
    private final Supplier<Prober> prober;
    private final UnaryOperator<FleetSelector.Builder> customize;
    private final SharedSelectors shared;
    private final RandomDraw random;
    private final Backoff backoff;
    private final Backoff pinBackoff;

    // the synchronization context's only
    private LoadBalancer pickFirst;
    /** The fleet by the selector's key of each address, in the resolver's order. */
    private final Map<String, EquivalentAddressGroup> fleet = new LinkedHashMap<>();
    private RttpickPolicyConfig config = RttpickPolicyConfig.DEFAULTS;
    private SharedSelectors.Lease lease;
    private Disposable choices;
    private ScheduledHandle firstChoiceDeadline;
    private boolean decided;
    private String chosen;
    private Subchannel subchannel;
    private ConnectivityState subchannelState = ConnectivityState.IDLE;
    /** The connection in use while the next one connects: calls keep going over it until then. */
    private Subchannel previous;
    private String previousServer;
    /** TRANSIENT_FAILURE was reported: only a ready connection ends it (pick_first's sticky failure). */
    private boolean failing;
    private Status lastFailure = Status.UNAVAILABLE;
    /** Servers that failed since the last ready connection, when there is no selector to say what is next. */
    private final Set<String> failedThisPass = new HashSet<>();
    private ScheduledHandle retry;
    /** The pinned server failed: the others serve until its next try, at the pin's own backoff. */
    private boolean pinDown;
    private ScheduledHandle pinRetry;
    private String warnedPin;
    /** Why no fleet selector could be made for this fleet (the resolver's order serves meanwhile): the resolver hears it. */
    private Status selectorProblem;
    private boolean shutdown;

    RttpickLoadBalancer(Helper helper, Supplier<Prober> prober, UnaryOperator<FleetSelector.Builder> customize,
                        SharedSelectors shared, RandomDraw random) {
        this.helper = helper;
        this.sync = helper.getSynchronizationContext();
        this.prober = prober;
        this.customize = customize;
        this.shared = shared;
        this.random = random;
        this.backoff = new Backoff(() -> random.nextInt(1 << 24) / (double) (1 << 24));
        this.pinBackoff = new Backoff(() -> random.nextInt(1 << 24) / (double) (1 << 24));
    }

    @Override
    public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
        if (shutdown) {
            return Status.OK;
        }
        if (!allIp(resolved.getAddresses())) {
            return toPickFirst(resolved);
        }
        if (pickFirst != null) {
            pickFirst.shutdown();
            pickFirst = null;
        }
        Map<String, EquivalentAddressGroup> next = fleetOf(resolved.getAddresses());
        if (next.isEmpty()) {
            Status unavailable = Status.UNAVAILABLE.withDescription("rttpick: the resolver gave no address: " + resolved.getAddresses());
            handleNameResolutionError(unavailable);
            return unavailable;
        }
        Object raw = resolved.getLoadBalancingPolicyConfig();
        RttpickPolicyConfig wanted = raw instanceof RttpickPolicyConfig ? (RttpickPolicyConfig) raw : RttpickPolicyConfig.DEFAULTS;
        boolean wasFailing = failing;
        if (fleet.isEmpty() || !wanted.equals(config)) {
            config = wanted;
            replaceFleet(next);
        } else {
            updateFleet(next);
        }
        warnIfPinUnknown();
        if (wasFailing && failing && retry != null) {
            retryNow(); // a new resolution while failing (resetConnectBackoff re-resolves): try again at once
        }
        return selectorProblem != null ? selectorProblem : Status.OK;
    }

    private static boolean allIp(List<EquivalentAddressGroup> groups) {
        for (EquivalentAddressGroup group : groups) {
            for (SocketAddress a : group.getAddresses()) {
                if (!(a instanceof InetSocketAddress) || ((InetSocketAddress) a).isUnresolved()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A proxy's, in-process or unix addresses: nothing to probe; grpc's pick_first does it all, as it would without rttpick. */
    private Status toPickFirst(ResolvedAddresses resolved) {
        if (pickFirst == null) {
            dropOwnState();
            LoadBalancerProvider provider = LoadBalancerRegistry.getDefaultRegistry().getProvider("pick_first");
            pickFirst = provider.newLoadBalancer(helper);
            helper.getChannelLogger().log(ChannelLogLevel.INFO, "rttpick: addresses that are not IP ({0}): pick_first decides",
                    resolved.getAddresses());
        }
        return pickFirst.acceptResolvedAddresses(resolved.toBuilder().setLoadBalancingPolicyConfig(null).build());
    }

    /** Each IP address of the resolver's groups, by the selector's key of it, in the resolver's order. */
    private static Map<String, EquivalentAddressGroup> fleetOf(List<EquivalentAddressGroup> groups) {
        Map<String, EquivalentAddressGroup> out = new LinkedHashMap<>();
        for (EquivalentAddressGroup group : groups) {
            for (SocketAddress address : group.getAddresses()) {
                out.putIfAbsent(key((InetSocketAddress) address),
                        new EquivalentAddressGroup(Collections.singletonList(address), group.getAttributes()));
            }
        }
        return out;
    }

    static String key(InetSocketAddress address) {
        return Endpoint.parse(SocketAddresses.format(address)).key();
    }

    /** A fleet selector over {@code next} (the first addresses, or a changed config); the connection in use is kept until the choice. */
    private void replaceFleet(Map<String, EquivalentAddressGroup> next) {
        releaseSelector();
        cancelTimers();
        fleet.clear();
        fleet.putAll(next);
        decided = false;
        pinDown = false;
        failedThisPass.clear();
        selectorProblem = null;
        if (fleet.size() == 1) {
            decided = true; // one address: nothing to choose, nothing probed
            use(fleet.keySet().iterator().next());
            return;
        }
        try {
            lease = shared.acquire(new ArrayList<>(fleet.keySet()), config, this::newSelector);
        } catch (RuntimeException | LinkageError e) {
            // no prober here, or no selector could be made: the resolver's order, as pick_first; never an exception to grpc
            helper.getChannelLogger().log(ChannelLogLevel.WARNING, "rttpick: no fleet selector ({0}); the resolver''s order", e);
            selectorProblem = Status.UNAVAILABLE.withCause(e).withDescription("rttpick: no fleet selector for " + fleet.keySet()
                    + " (" + e + "); the resolver's order is used");
            decided = true;
            use(fleet.keySet().iterator().next());
            return;
        }
        SharedSelectors.Lease mine = lease;
        choices = mine.selector().changes().subscribe(choice -> sync.execute(() -> onChoice(mine, choice)),
                error -> selectorError(mine, error));
        if (pinUsable()) {
            decided = true;
            use(config.pin()); // no probe while the pin answers: the others are ranked when it first fails
        } else {
            answer(mine, mine.selector().trigger(Trigger.START));
        }
        if (subchannel == null && !failing) {
            helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting());
        }
        if (!decided) {
            firstChoiceDeadline = sync.schedule(this::firstChoiceLate,
                    config.probeTimeout().toMillis() + FIRST_CHOICE_MARGIN_MILLIS, TimeUnit.MILLISECONDS,
                    helper.getScheduledExecutorService());
        }
    }

    private FleetSelector newSelector(List<String> servers) {
        FleetSelector.Builder builder = FleetSelector.builder(prober.get(), servers)
                .probeOptions(ProbeOptions.builder().timeout(config.probeTimeout()).build())
                .coolOff(config.coolOff(), config.coolOff().compareTo(MAX_COOL_OFF) > 0 ? config.coolOff() : MAX_COOL_OFF);
        return customize.apply(builder).build();
    }

    /** The resolver changed the addresses: the selector gains and loses servers; a removed chosen one is replaced at once. */
    private void updateFleet(Map<String, EquivalentAddressGroup> next) {
        if (next.keySet().equals(fleet.keySet()) && selectorProblem == null) {
            fleet.putAll(next); // new attributes
            return;
        }
        if (lease == null || next.size() == 1) {
            replaceFleet(next); // (a selector that could not be made is tried again)
            return;
        }
        Set<String> before = new HashSet<>(fleet.keySet());
        fleet.clear();
        fleet.putAll(next);
        SharedSelectors.Lease moved;
        try {
            moved = shared.moveTo(lease, new ArrayList<>(next.keySet()), config, this::newSelector);
        } catch (RuntimeException | LinkageError e) {
            selectorError(lease, e);
            return;
        }
        if (moved == lease) {
            for (String gone : before) {
                if (!next.containsKey(gone)) {
                    answer(moved, moved.selector().removeServer(gone));
                }
            }
            for (String added : next.keySet()) {
                if (!before.contains(added)) {
                    answer(moved, moved.selector().addServer(added));
                }
            }
        } else {
            if (choices != null) {
                choices.dispose();
            }
            lease = moved;
            choices = moved.selector().changes().subscribe(choice -> sync.execute(() -> onChoice(moved, choice)),
                    error -> selectorError(moved, error));
            answer(moved, moved.selector().trigger(Trigger.START));
        }
        if (chosen != null && !fleet.containsKey(chosen)) {
            String instead = bestUsable(chosen);
            if (instead != null) {
                use(instead); // the chosen server is gone: the next best at once
            }
        }
    }

    /** Hands {@code answer}'s choice to the synchronization context; an error goes to the channel's log. */
    private void answer(SharedSelectors.Lease from, Mono<FleetChoice> answer) {
        answer.subscribe(choice -> sync.execute(() -> onChoice(from, choice)), error -> selectorError(from, error));
    }

    private void selectorError(SharedSelectors.Lease from, Throwable error) {
        helper.getChannelLogger().log(ChannelLogLevel.WARNING, "rttpick: the fleet selector failed: {0}", error);
        sync.execute(() -> {
            if (!shutdown && from == lease && !decided) {
                decided = true; // nothing will come from it: the resolver's order
                cancelDeadline();
                use(bestUsable(null));
            }
        });
    }

    private void onChoice(SharedSelectors.Lease from, FleetChoice choice) {
        if (shutdown || from != lease) {
            return; // an answer of a selector since replaced
        }
        String next = target(choice);
        if (next == null) {
            return;
        }
        decided = true;
        cancelDeadline();
        use(next);
    }

    /**
     * Where this channel goes after {@code choice}: the pin while it answers; else the selector's
     * group, this channel staying on its server while it is usable in that group, or drawing one of
     * the group at random (channels sharing a selector spread over equal servers as clients do);
     * nothing answered the probe: the resolver's order, the failed passed over.
     */
    private String target(FleetChoice choice) {
        if (pinUsable()) {
            return config.pin();
        }
        String server = choice.server().filter(fleet::containsKey).orElse(null);
        if (server == null) {
            return decided && chosen != null && fleet.containsKey(chosen) && !failedThisPass.contains(chosen) ? null : bestUsable(null);
        }
        Ranking ranking = lease.selector().lastRanking().orElse(null);
        Bucket group = bucketOf(ranking, server);
        if (chosen != null && !chosen.equals(server) && fleet.containsKey(chosen) && lease.selector().isUsable(chosen)
                && group != null && group == bucketOf(ranking, chosen) && !(chosen.equals(config.pin()) && pinDown)) {
            return chosen;
        }
        if (group == null || ranking == null || chosen != null && server.equals(chosen)) {
            return server;
        }
        List<String> equals = new ArrayList<>();
        for (RankedEndpoint e : ranking.bucket(group)) {
            String k = keyOf(e.address());
            if (k != null && fleet.containsKey(k) && lease.selector().isUsable(k) && !(k.equals(config.pin()) && pinDown)) {
                equals.add(k);
            }
        }
        return equals.isEmpty() ? server : equals.get(random.nextInt(equals.size()));
    }

    private static Bucket bucketOf(Ranking ranking, String key) {
        if (ranking == null) {
            return null;
        }
        for (RankedEndpoint e : ranking.entries()) {
            if (key.equals(keyOf(e.address()))) {
                return e.bucket() == Bucket.FAST || e.bucket() == Bucket.AVERAGE || e.bucket() == Bucket.SLOW ? e.bucket() : null;
            }
        }
        return null;
    }

    private static String keyOf(String address) {
        try {
            return Endpoint.parse(address).key();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The best server to try other than {@code except}: the fastest usable in the ranking, then the
     * resolver's order among those not failed in this pass; with every server cooling off, the
     * fastest that answered; the resolver's first when nothing did.
     */
    private String bestUsable(String except) {
        FleetSelector selector = lease == null ? null : lease.selector();
        Ranking ranking = selector == null ? null : selector.lastRanking().orElse(null);
        if (ranking != null) {
            for (RankedEndpoint e : byRtt(ranking)) {
                String k = keyOf(e.address());
                if (k != null && !k.equals(except) && fleet.containsKey(k) && selector.isUsable(k) && !failedThisPass.contains(k)
                        && e.outcome() == Outcome.OK) {
                    return k;
                }
            }
        }
        for (String k : fleet.keySet()) {
            if (!k.equals(except) && !failedThisPass.contains(k) && (selector == null || selector.isUsable(k))) {
                return k;
            }
        }
        if (ranking != null) {
            // every server cooling off (an outage, or the client's own network down): the fastest that answered
            for (RankedEndpoint e : byRtt(ranking)) {
                String k = keyOf(e.address());
                if (k != null && fleet.containsKey(k) && e.outcome() == Outcome.OK) {
                    return k;
                }
            }
        }
        return fleet.isEmpty() ? null : fleet.keySet().iterator().next();
    }

    /** The ranking lists servers in the fleet's order: here the fastest that answered first. */
    private static List<RankedEndpoint> byRtt(Ranking ranking) {
        List<RankedEndpoint> out = new ArrayList<>(ranking.entries());
        out.sort(Comparator.comparingLong(e -> e.rttMicros().orElse(Long.MAX_VALUE)));
        return out;
    }

    private boolean pinUsable() {
        return config.pin() != null && fleet.containsKey(config.pin()) && !pinDown;
    }

    private void warnIfPinUnknown() {
        String pin = config.pin();
        if (pin != null && !fleet.containsKey(pin) && !pin.equals(warnedPin)) {
            warnedPin = pin;
            LOG.log(Level.WARNING, "rttpick: the service config pins {0}, which is not among the resolver''s addresses {1}:"
                    + " the fleet selector chooses instead", new Object[] {pin, fleet.keySet()});
        }
    }

    /** No choice within the probe timeout: the resolver's first address, as pick_first would. */
    private void firstChoiceLate() {
        firstChoiceDeadline = null;
        if (shutdown || decided || fleet.isEmpty()) {
            return;
        }
        decided = true;
        helper.getChannelLogger().log(ChannelLogLevel.INFO, "rttpick: no choice within {0} ms; the resolver''s first address",
                config.probeTimeout().toMillis() + FIRST_CHOICE_MARGIN_MILLIS);
        use(fleet.keySet().iterator().next());
    }

    /** Keeps one connection, to {@code server}; the one in use serves calls until the new one is ready. */
    private void use(String server) {
        if (shutdown || server == null) {
            return;
        }
        if (server.equals(chosen) && subchannel != null) {
            if (subchannelState == ConnectivityState.TRANSIENT_FAILURE) {
                failCalls(); // chosen again although it failed: nothing better is known
            }
            return;
        }
        if (server.equals(previousServer) && previous != null) {
            // back to the connection still in use: the one that was connecting is dropped
            if (subchannel != null) {
                subchannel.shutdown();
            }
            subchannel = previous;
            chosen = previousServer;
            previous = null;
            previousServer = null;
            subchannelState = ConnectivityState.READY;
            ready();
            return;
        }
        EquivalentAddressGroup group = fleet.get(server);
        if (group == null) {
            return;
        }
        if (subchannel != null) {
            if (subchannelState == ConnectivityState.READY) {
                if (previous != null) {
                    previous.shutdown();
                }
                previous = subchannel;
                previousServer = chosen;
            } else {
                subchannel.shutdown(); // not ready yet: dropped; the one in use (previous), if any, stays
            }
        }
        chosen = server;
        // the subchannel does not reconnect by itself after a failure: this balancer decides where to go next, and
        // a server left while cooling off is not connected to again behind its back (grpc shuts a subchannel
        // down 5 s late, and its own backoff would reconnect meanwhile). The key is grpc's @Internal one,
        // used as its own pick_first uses it (grpc-java 1.68.1 and later: GrpcVersion)
        Subchannel next = helper.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(group)
                .addOption(DISABLE_SUBCHANNEL_RECONNECT_KEY, Boolean.TRUE).build());
        subchannel = next;
        subchannelState = ConnectivityState.IDLE;
        next.start(state -> onSubchannelState(next, state));
        next.requestConnection();
        helper.getChannelLogger().log(ChannelLogLevel.DEBUG, "rttpick: using {0}", server);
        if (previous == null && !failing) {
            helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting());
        }
    }

    private void onSubchannelState(Subchannel which, ConnectivityStateInfo info) {
        if (shutdown) {
            return;
        }
        ConnectivityState state = info.getState();
        if (which == previous) {
            if (state != ConnectivityState.READY) {
                // the connection still in use went away before the next one was ready
                if (state == ConnectivityState.IDLE) {
                    helper.refreshNameResolution();
                }
                previous.shutdown();
                previous = null;
                previousServer = null;
                if (subchannelState == ConnectivityState.TRANSIENT_FAILURE) {
                    failCalls(); // nothing connecting either: fail (or retry), never wait for nothing
                } else if (!failing) {
                    helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting());
                }
            }
            return;
        }
        if (which != subchannel || state == ConnectivityState.SHUTDOWN) {
            return;
        }
        ConnectivityState before = subchannelState;
        subchannelState = state;
        switch (state) {
            case READY:
                ready();
                break;
            case CONNECTING:
                if (previous == null && !failing) {
                    helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting());
                }
                break;
            case IDLE:
                if (before == ConnectivityState.READY) {
                    helper.refreshNameResolution(); // as pick_first: the addresses may have changed
                }
                // the connection went away (the server closed it, or idleness): reconnect when a call comes
                helper.updateBalancingState(ConnectivityState.IDLE, Pickers.connectOnPick(which, sync));
                break;
            case TRANSIENT_FAILURE:
                helper.refreshNameResolution(); // as pick_first after a failed pass: the addresses may have changed
                failOver(info.getStatus());
                break;
            default:
                break;
        }
    }

    private void ready() {
        failing = false;
        failedThisPass.clear();
        backoff.reset();
        cancelRetry();
        if (chosen != null && chosen.equals(config.pin())) {
            pinDown = false;
            pinBackoff.reset();
            cancelPinRetry();
        }
        if (previous != null) {
            previous.shutdown();
            previous = null;
            previousServer = null;
        }
        helper.updateBalancingState(ConnectivityState.READY, Pickers.ready(subchannel));
    }

    /** The chosen server failed to connect: the next best (the selector's, or the resolver's order); calls wait for it. */
    private void failOver(Status status) {
        lastFailure = status;
        String failed = chosen;
        failedThisPass.add(failed);
        if (failed.equals(config.pin())) {
            pinDown = true;
            schedulePinRetry();
        }
        if (lease == null) {
            String next = bestUsable(failed);
            if (next != null && !failedThisPass.contains(next)) {
                use(next);
            } else {
                failCalls();
            }
            return;
        }
        if (previous == null && !failing) {
            helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting()); // else calls stay on it meanwhile
        }
        SharedSelectors.Lease mine = lease;
        mine.reportFailure(failed).subscribe(choice -> sync.execute(() -> afterFailure(mine, failed, choice)),
                error -> sync.execute(() -> afterFailure(mine, failed, null)));
    }

    /** The selector's answer to a reported failure: another server, or nothing better (calls fail, a retry is scheduled). */
    private void afterFailure(SharedSelectors.Lease from, String failed, FleetChoice choice) {
        if (shutdown || from != lease || !failed.equals(chosen)) {
            return; // replaced, or moved on meanwhile
        }
        String next = choice == null ? null : target(choice);
        if (next == null || next.equals(failed)) {
            next = bestUsable(failed);
        }
        if (next != null && !next.equals(failed) && !failedThisPass.contains(next)) {
            use(next);
        } else {
            failCalls();
        }
    }

    /**
     * Nothing but failed servers can be used: calls fail (wait-for-ready ones wait), the state
     * stays TRANSIENT_FAILURE until a connection is ready, and a retry comes after grpc's backoff.
     * While an older connection still serves, it carries the calls meanwhile.
     */
    private void failCalls() {
        scheduleRetry();
        if (previous != null) {
            return;
        }
        failing = true;
        String pin = config.pin();
        String pinNote = pin == null ? "" : fleet.containsKey(pin) ? "; the pinned " + pin + " failed too"
                : "; the pinned " + pin + " is not among the resolver's addresses";
        helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE,
                Pickers.failing(Status.UNAVAILABLE.withCause(lastFailure.getCause()).withDescription("rttpick: " + chosen
                        + " failed and no other server is usable" + pinNote + ": " + lastFailure.getDescription())));
    }

    private void scheduleRetry() {
        if (retry == null) {
            retry = sync.schedule(this::retryNow, backoff.nextMillis(), TimeUnit.MILLISECONDS, helper.getScheduledExecutorService());
        }
    }

    /** After the backoff (or a new resolution): a new pass, from the best server known. */
    private void retryNow() {
        cancelRetry();
        if (shutdown) {
            return;
        }
        failedThisPass.clear();
        String next = pinUsable() ? config.pin() : bestUsable(null);
        if (next == null) {
            return;
        }
        if (next.equals(chosen) && subchannel != null) {
            subchannel.requestConnection();
        } else {
            use(next);
        }
    }

    private void schedulePinRetry() {
        if (pinRetry == null) {
            pinRetry = sync.schedule(() -> {
                pinRetry = null;
                if (!shutdown && pinDown) {
                    pinDown = false;
                    use(config.pin()); // a try: the connection in use serves until it is ready, and stays if it fails
                }
            }, pinBackoff.nextMillis(), TimeUnit.MILLISECONDS, helper.getScheduledExecutorService());
        }
    }

    @Override
    public void handleNameResolutionError(Status error) {
        if (pickFirst != null) {
            pickFirst.handleNameResolutionError(error);
            return;
        }
        // a connection that serves, or one still trying, goes on: only with none are calls failed
        if (subchannel == null && previous == null) {
            failing = true;
            helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE, Pickers.failing(error));
        }
    }

    @Override
    public void requestConnection() {
        if (pickFirst != null) {
            pickFirst.requestConnection();
        } else if (subchannel != null) {
            subchannel.requestConnection();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        if (pickFirst != null) {
            pickFirst.shutdown();
            pickFirst = null;
        }
        dropOwnState();
    }

    private void dropOwnState() {
        cancelTimers();
        releaseSelector();
        if (previous != null) {
            previous.shutdown();
            previous = null;
            previousServer = null;
        }
        if (subchannel != null) {
            subchannel.shutdown();
            subchannel = null;
        }
        chosen = null;
        fleet.clear();
        failing = false;
    }

    private void releaseSelector() {
        if (choices != null) {
            choices.dispose();
            choices = null;
        }
        if (lease != null) {
            lease.release(); // the last user's release closes the selector: its probes under way stop
            lease = null;
        }
    }

    private void cancelTimers() {
        cancelDeadline();
        cancelRetry();
        cancelPinRetry();
    }

    private void cancelDeadline() {
        if (firstChoiceDeadline != null) {
            firstChoiceDeadline.cancel();
            firstChoiceDeadline = null;
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
    }

    private void cancelPinRetry() {
        if (pinRetry != null) {
            pinRetry.cancel();
            pinRetry = null;
        }
    }
}
