package io.rttpick.grpc;

import io.grpc.ChannelLogger.ChannelLogLevel;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.FleetSelector.Trigger;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One channel's balancer: the resolver's addresses are the fleet, the fleet selector chooses, and
 * one connection is kept to the chosen address, as {@code pick_first} keeps one. Every state
 * change runs on the helper's {@link SynchronizationContext}: the selector answers on prober and
 * timer threads, and its answers are handed over with {@code execute}.
 *
 * <p>Before the first choice, calls wait ({@code withNoResult}) until the selector's early
 * decision, and at most the probe timeout (plus a margin): then the resolver's first address is
 * used, as {@code pick_first} would, and the choice replaces it when it comes.
 */
final class RttpickLoadBalancer extends LoadBalancer {
    /** Beyond the probe timeout, what the first choice may still take (the selector's own turn). */
    private static final long FIRST_CHOICE_MARGIN_MILLIS = 250;
    /** When nothing but the failed server can be used: its first retry, and the longest wait between them. */
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 120_000;
    /** The longest cool-off after repeated failures, as the selector's default (unless the config's first is longer). */
    private static final Duration MAX_COOL_OFF = Duration.ofMinutes(30);

    private final Helper helper;
    private final SynchronizationContext sync;
    private final Supplier<Prober> prober;
    private final UnaryOperator<FleetSelector.Builder> customize;

    // the synchronization context's only
    private final Map<String, EquivalentAddressGroup> fleet = new LinkedHashMap<>();
    private RttpickPolicyConfig config = RttpickPolicyConfig.DEFAULTS;
    private FleetSelector selector;
    private Disposable choices;
    private ScheduledHandle firstChoiceDeadline;
    private String chosen;
    private Subchannel subchannel;
    private ConnectivityState subchannelState = ConnectivityState.IDLE;
    /** The connection in use while the next one connects: calls keep going over it until then. */
    private Subchannel previous;
    /** Why the chosen server's connection failed last, for the calls failed when nothing else is usable. */
    private Status lastFailure = Status.UNAVAILABLE;
    /** With nothing else usable, the failed choice is tried again after this (doubling, reset when a connection is ready). */
    private long retryMillis = FIRST_RETRY_MILLIS;
    private ScheduledHandle retry;
    private boolean decided;
    private boolean shutdown;

    RttpickLoadBalancer(Helper helper, Supplier<Prober> prober, UnaryOperator<FleetSelector.Builder> customize) {
        this.helper = helper;
        this.sync = helper.getSynchronizationContext();
        this.prober = prober;
        this.customize = customize;
    }

    @Override
    public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
        Map<String, EquivalentAddressGroup> next = fleetOf(resolved.getAddresses());
        if (next.isEmpty()) {
            Status unavailable = Status.UNAVAILABLE.withDescription("rttpick: the resolver gave no IP address: "
                    + resolved.getAddresses());
            handleNameResolutionError(unavailable);
            return unavailable;
        }
        Object raw = resolved.getLoadBalancingPolicyConfig();
        RttpickPolicyConfig wanted = raw instanceof RttpickPolicyConfig ? (RttpickPolicyConfig) raw : RttpickPolicyConfig.DEFAULTS;
        if (selector == null || !wanted.equals(config)) {
            config = wanted;
            replaceFleet(next);
        } else {
            updateFleet(next);
        }
        return Status.OK;
    }

    /** Each IP address of the resolver's groups, by the name the selector knows it as, in the resolver's order. */
    private static Map<String, EquivalentAddressGroup> fleetOf(List<EquivalentAddressGroup> groups) {
        Map<String, EquivalentAddressGroup> out = new LinkedHashMap<>();
        for (EquivalentAddressGroup group : groups) {
            for (SocketAddress address : group.getAddresses()) {
                if (address instanceof InetSocketAddress && !((InetSocketAddress) address).isUnresolved()) {
                    out.putIfAbsent(SocketAddresses.format((InetSocketAddress) address),
                            new EquivalentAddressGroup(Collections.singletonList(address), group.getAttributes()));
                }
            }
        }
        return out;
    }

    /** A new selector over {@code next} (first addresses, or a changed config); the connection in use is kept until the choice. */
    private void replaceFleet(Map<String, EquivalentAddressGroup> next) {
        closeSelector();
        fleet.clear();
        fleet.putAll(next);
        decided = false;
        Prober p;
        try {
            p = prober.get();
        } catch (RuntimeException e) {
            // no prober here (none on the classpath, none available): the resolver's order, as pick_first
            helper.getChannelLogger().log(ChannelLogLevel.WARNING, "rttpick: no prober ({0}); using the resolver's order", e);
            decided = true;
            use(fleet.keySet().iterator().next());
            return;
        }
        FleetSelector.Builder builder = FleetSelector.builder(p, new ArrayList<>(fleet.keySet()))
                .probeOptions(ProbeOptions.builder().timeout(config.probeTimeout()).build())
                .coolOff(config.coolOff(), config.coolOff().compareTo(MAX_COOL_OFF) > 0 ? config.coolOff() : MAX_COOL_OFF);
        selector = customize.apply(builder).build();
        FleetSelector mine = selector;
        choices = selector.changes().subscribe(choice -> sync.execute(() -> onChoice(mine, choice)), error -> { });
        if (config.pin() != null && fleet.containsKey(config.pin())) {
            answer(mine, selector.pin(config.pin()));
        } else {
            if (config.pin() != null) {
                helper.getChannelLogger().log(ChannelLogLevel.WARNING, "rttpick: pin {0} is not among the resolver's addresses {1}",
                        config.pin(), fleet.keySet());
            }
            answer(mine, selector.trigger(Trigger.START));
        }
        if (subchannel == null) {
            helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting());
        }
        firstChoiceDeadline = sync.schedule(this::firstChoiceLate,
                config.probeTimeout().toMillis() + FIRST_CHOICE_MARGIN_MILLIS, TimeUnit.MILLISECONDS,
                helper.getScheduledExecutorService());
    }

    /** The resolver changed the addresses: the selector gains and loses servers; a removed chosen one is replaced at once. */
    private void updateFleet(Map<String, EquivalentAddressGroup> next) {
        FleetSelector mine = selector;
        for (String gone : new ArrayList<>(fleet.keySet())) {
            if (!next.containsKey(gone)) {
                fleet.remove(gone);
                answer(mine, selector.removeServer(gone));
            }
        }
        for (Map.Entry<String, EquivalentAddressGroup> added : next.entrySet()) {
            if (!fleet.containsKey(added.getKey())) {
                fleet.put(added.getKey(), added.getValue());
                answer(mine, selector.addServer(added.getKey()));
            } else {
                fleet.put(added.getKey(), added.getValue()); // new attributes
            }
        }
    }

    /** Hands {@code answer}'s choice to the synchronization context. */
    private void answer(FleetSelector from, Mono<FleetChoice> answer) {
        answer.subscribe(choice -> sync.execute(() -> onChoice(from, choice)), error -> { });
    }

    private void onChoice(FleetSelector from, FleetChoice choice) {
        if (shutdown || from != selector) {
            return; // an answer of a selector since replaced
        }
        if (choice.server().isPresent() && fleet.containsKey(choice.server().get())) {
            decided = true;
            cancelDeadline();
            use(choice.server().get());
        } else if (!decided && !choice.server().isPresent()) {
            // nothing answered the probe: the resolver's order, until something does
            decided = true;
            cancelDeadline();
            use(fleet.keySet().iterator().next());
        } else if (subchannelState == ConnectivityState.TRANSIENT_FAILURE && previous == null) {
            failCalls();
        }
    }

    /** No choice within the probe timeout: the resolver's first address, as pick_first would. */
    private void firstChoiceLate() {
        firstChoiceDeadline = null;
        if (!decided && subchannel == null && !fleet.isEmpty()) {
            helper.getChannelLogger().log(ChannelLogLevel.INFO, "rttpick: no choice within {0} ms; the resolver's first address",
                    config.probeTimeout().toMillis() + FIRST_CHOICE_MARGIN_MILLIS);
            use(fleet.keySet().iterator().next());
        }
    }

    /** Keeps one connection, to {@code server}; the one in use serves calls until the new one is ready. */
    private void use(String server) {
        if (server.equals(chosen) && subchannel != null) {
            if (subchannelState == ConnectivityState.TRANSIENT_FAILURE && previous == null) {
                failCalls(); // chosen again although it failed: nothing better is known
            }
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
            } else {
                subchannel.shutdown(); // not ready yet: dropped; the one in use (previous), if any, stays
            }
        }
        chosen = server;
        // the subchannel does not reconnect by itself after a failure: the selector decides where to go next, and
        // a server left while cooling off is not connected to again behind its back (grpc shuts a subchannel
        // down 5 s late, and its own backoff would reconnect meanwhile). The key is grpc's @Internal one,
        // used as its own pick_first uses it
        Subchannel next = helper.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(group)
                .addOption(DISABLE_SUBCHANNEL_RECONNECT_KEY, Boolean.TRUE).build());
        subchannel = next;
        subchannelState = ConnectivityState.IDLE;
        next.start(state -> onSubchannelState(next, state));
        next.requestConnection();
        helper.getChannelLogger().log(ChannelLogLevel.DEBUG, "rttpick: using {0}", server);
        if (previous == null) {
            helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting());
        }
    }

    private void onSubchannelState(Subchannel which, ConnectivityStateInfo info) {
        if (!shutdown && which == previous && info.getState() != ConnectivityState.READY) {
            // the connection still in use went away before the next one was ready: calls wait for that one
            previous.shutdown();
            previous = null;
            helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting());
            return;
        }
        if (shutdown || which != subchannel) {
            return;
        }
        subchannelState = info.getState();
        switch (info.getState()) {
            case READY:
                retryMillis = FIRST_RETRY_MILLIS;
                if (previous != null) {
                    previous.shutdown();
                    previous = null;
                }
                helper.updateBalancingState(ConnectivityState.READY, Pickers.ready(which));
                break;
            case CONNECTING:
                if (previous == null) {
                    helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting());
                }
                break;
            case IDLE:
                // the connection went away (the server closed it, or idleness): reconnect when a call comes
                helper.updateBalancingState(ConnectivityState.IDLE, Pickers.connectOnPick(which, sync));
                break;
            case TRANSIENT_FAILURE:
                failOver(info.getStatus());
                break;
            default:
                break;
        }
    }

    /** The chosen server failed to connect: the selector moves to the next best; calls wait for it. */
    private void failOver(Status status) {
        lastFailure = status;
        if (selector == null) {
            if (previous == null) {
                failCalls();
            }
            return;
        }
        if (previous == null) {
            helper.updateBalancingState(ConnectivityState.CONNECTING, Pickers.waiting()); // else calls stay on it meanwhile
        }
        answer(selector, selector.reportFailure(chosen));
    }


    /** Nothing but the failed server can be used: calls fail (wait-for-ready ones wait) until it is tried again, after a backoff. */
    private void failCalls() {
        helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE,
                Pickers.failing(lastFailure.withDescription("rttpick: " + chosen + " failed and no other server is usable: "
                        + lastFailure.getDescription())));
        if (retry == null && subchannel != null) {
            Subchannel failed = subchannel;
            retry = sync.schedule(() -> {
                retry = null;
                if (!shutdown && failed == subchannel && subchannelState == ConnectivityState.TRANSIENT_FAILURE) {
                    failed.requestConnection();
                }
            }, retryMillis, TimeUnit.MILLISECONDS, helper.getScheduledExecutorService());
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        }
    }

    @Override
    public void handleNameResolutionError(Status error) {
        if (subchannel == null || subchannelState != ConnectivityState.READY) {
            helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE, Pickers.failing(error));
        }
    }

    @Override
    public void requestConnection() {
        if (subchannel != null) {
            subchannel.requestConnection();
        }
    }

    @Override
    public void shutdown() {
        shutdown = true;
        cancelDeadline();
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
        closeSelector();
        if (previous != null) {
            previous.shutdown();
            previous = null;
        }
        if (subchannel != null) {
            subchannel.shutdown();
            subchannel = null;
        }
    }

    private void closeSelector() {
        if (choices != null) {
            choices.dispose();
            choices = null;
        }
        if (selector != null) {
            selector.close(); // stops its probes under way: their sockets are closed
            selector = null;
        }
    }

    private void cancelDeadline() {
        if (firstChoiceDeadline != null) {
            firstChoiceDeadline.cancel();
            firstChoiceDeadline = null;
        }
    }
}
