package io.rttpick.serve;

import io.rttpick.output.ResultJson;
import io.rttpick.prober.Endpoint;
import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.NetworkId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * The fleet methods: the fleet selector's current choice and the user's actions on it (refresh,
 * pin, unpin, a failed server, servers added and removed), each answered with the new selection
 * in the shape of {@code rttpick pick --json} plus {@code pinned} and {@code ageMs}. Servers are
 * compared as the selector identifies them ({@link Endpoint#key()}): however an address is
 * spelled, it is one server; its name and the spelling first given are kept for display.
 */
final class FleetService {
    private static final String NONE = "[]";
    private static final String ADDRESS = "[\"<address>\"]";

    private final FleetSelector selector;
    /** Keys the network ids clients send: the stored and reported id is derived, never the client\'s text. */
    private final byte[] networkSecret;
    private final String proberName;
    /** Names by server key. */
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Consumer<FleetChoice> onChoice;
    private final int maxFleet;
    /** The keys of the fleet given at start when it is fixed (serve --fleet-only), else null. */
    private final Set<String> fixedFleet;

    /**
     * @param names the fleet's names by address (from the fleet file); onChoice sees every answer (metrics)
     * @param fixed the fleet is the one given at start (serve --fleet-only)
     * @param networkSecret what the ids clients send are keyed with (HMAC, as {@link NetworkId#derive}) before they are
     *                      stored or reported: the install secret beside the rankings file, or a random one per process
     */
    FleetService(FleetSelector selector, String proberName, Map<String, String> names, Consumer<FleetChoice> onChoice,
            int maxFleet, boolean fixed, byte[] networkSecret) {
        this.selector = selector;
        this.networkSecret = networkSecret.clone();
        this.proberName = proberName;
        names.forEach((a, n) -> {
            String key = key(a);
            if (n != null && key != null) {
                this.names.putIfAbsent(key, n);
            }
        });
        this.onChoice = onChoice;
        this.maxFleet = maxFleet;
        this.fixedFleet = fixed ? selector.servers().stream().map(FleetService::key).collect(Collectors.toSet()) : null;
    }

    /**
     * The fleet methods, declared once: with {@code fleet} null (serve without --fleet) each is
     * answered "no fleet is configured", after the token check for those that change state.
     */
    static List<JsonRpcEndpoint.Method> methods(FleetService fleet) {
        List<JsonRpcEndpoint.Method> table = List.of(
                JsonRpcEndpoint.Method.read("rttpick_select", 0, 0, NONE, p -> fleet.select()),
                JsonRpcEndpoint.Method.read("rttpick_refresh", 0, 0, NONE, p -> fleet.refresh()),
                JsonRpcEndpoint.Method.read("rttpick_openServerList", 0, 0, NONE, p -> fleet.openServerList()),
                JsonRpcEndpoint.Method.changesState("rttpick_pin", 1, 1, ADDRESS, p -> fleet.pin(p)),
                JsonRpcEndpoint.Method.changesState("rttpick_unpin", 0, 0, NONE, p -> fleet.unpin()),
                JsonRpcEndpoint.Method.changesState("rttpick_reportFailure", 1, 1, ADDRESS, p -> fleet.reportFailure(p)),
                JsonRpcEndpoint.Method.changesState("rttpick_addServer", 1, 2, "[\"<address>\", \"<name>\"?]", p -> fleet.addServer(p)),
                JsonRpcEndpoint.Method.changesState("rttpick_removeServer", 1, 1, ADDRESS, p -> fleet.removeServer(p)),
                JsonRpcEndpoint.Method.changesState("rttpick_networkChanged", 1, 1, "[\"<network id>\"]", p -> fleet.networkChanged(p)),
                JsonRpcEndpoint.Method.read("rttpick_probeFigures", 0, 0, NONE, p -> fleet.probeFigures()),
                JsonRpcEndpoint.Method.changesState("rttpick_observe", 2, 3,
                        "[\"<address>\", <rtt ms>, \"HANDSHAKE\" | \"KERNEL_RTT\" | \"REQUEST\"?]",
                        p -> fleet.observe(p)));
        if (fleet != null) {
            return table;
        }
        return table.stream().map(m -> m.answeredBy(p -> Mono.error(new RpcException(RpcException.NO_FLEET,
                m.name() + ": no fleet is configured (start serve with --fleet FILE)")))).collect(Collectors.toList());
    }

    /** The server an address names, or null when it is malformed. */
    static String key(String address) {
        try {
            return Endpoint.parse(address).key();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    boolean contains(String address) {
        return selector.contains(address);
    }

    /** The name of the server {@code address} names, however spelled; null when it has none. */
    String name(String address) {
        String key = key(address);
        return key == null ? null : names.get(key);
    }

    Mono<Map<String, Object>> select() {
        return answer(selector.current(), true);
    }

    Mono<Map<String, Object>> refresh() {
        return answer(selector.trigger(FleetSelector.Trigger.REFRESH), true);
    }

    /** What the server-list page calls when it opens: the "list opened" trigger. */
    Mono<Map<String, Object>> openServerList() {
        return answer(selector.trigger(FleetSelector.Trigger.SERVER_LIST_OPENED), true);
    }

    /**
     * The device is on another network: an id the app made (see NetworkId); answered at once from
     * memory on a known network when serve remembers (--remember). What is stored and reported is
     * derived from it with the install secret (HMAC-SHA256), so the rankings file keeps nothing a
     * client sent (an SSID, a gateway's address) in readable form.
     */
    Mono<Map<String, Object>> networkChanged(Params p) {
        String id = p.string(0, "network id");
        NetworkId network;
        try {
            NetworkId.of(id); // its length checked as before
            network = NetworkId.derive(networkSecret, id);
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParams("rttpick_networkChanged: network id: " + e.getMessage());
        }
        return answer(selector.networkChanged(network), true);
    }

    /**
     * The client measured a server itself (its own connect, its connection's kernel RTT, or a
     * request): a refresh while the server in use measures well then sends nothing. The kind is
     * HANDSHAKE when not given. Answers {@code {"observed": true}}, or false when the server is not in the fleet.
     */
    Mono<Map<String, Object>> observe(Params p) {
        String address = p.string(0, "address");
        double ms = p.number(1, "rtt ms");
        String kindName = p.optionalString(2, "kind").orElse("HANDSHAKE");
        FleetSelector.Observed kind;
        try {
            kind = FleetSelector.Observed.valueOf(kindName);
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParams("rttpick_observe: kind must be HANDSHAKE, KERNEL_RTT or REQUEST, got " + kindName);
        }
        if (!(ms > 0 && ms <= 600_000)) {
            throw RpcException.invalidParams("rttpick_observe: rtt ms must be above 0 and at most 600000, got " + ms);
        }
        boolean member;
        try {
            member = contains(address);
            selector.observe(address, Duration.ofNanos(Math.round(ms * 1_000_000)), kind);
        } catch (InvalidEndpointException e) {
            throw RpcException.invalidParams("rttpick_observe: " + e.getMessage());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("observed", member);
        return Mono.just(m);
    }

    /** What probing has cost: SYNs, rounds, full probes, confirmations, servers contacted in the last 24 hours. */
    Mono<Map<String, Object>> probeFigures() {
        return selector.probeFigures().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("synsSent", f.synsSent());
            m.put("rounds", f.rounds());
            m.put("fullProbes", f.fullProbes());
            m.put("confirmations", f.confirmations());
            m.put("serversContactedLast24h", f.serversContactedLast24h());
            m.put("network", selector.network().map(NetworkId::value).orElse(null));
            return m;
        });
    }

    Mono<Map<String, Object>> pin(Params p) {
        String address = p.string(0, "address");
        if (!contains(address)) {
            if (fixedFleet != null) {
                throw RpcException.invalidParams("rttpick_pin: address " + address
                        + " is not in the fleet, and the fleet is fixed (serve --fleet-only)");
            }
            checkRoom("rttpick_pin", address);
        }
        return answer(valid(() -> selector.pin(address)), true);
    }

    Mono<Map<String, Object>> unpin() {
        return answer(selector.unpin(), true);
    }

    Mono<Map<String, Object>> reportFailure(Params p) {
        String address = member("rttpick_reportFailure", p.string(0, "address"));
        return answer(selector.reportFailure(address), true);
    }

    /**
     * Answers the selection without the ranking, with {@code change}: what happened to the fleet.
     * The name is kept only when the server was added (or is in the fleet already: then it is
     * renamed); a malformed address or a fleet at its cap leaves no name behind.
     */
    Mono<Map<String, Object>> addServer(Params p) {
        String address = p.string(0, "address");
        Optional<String> name = p.optionalString(1, "name");
        if (fixedFleet != null) {
            throw new RpcException(RpcException.NO_FLEET, "rttpick_addServer: the fleet is fixed (serve --fleet-only): no server is added");
        }
        boolean present = contains(address);
        if (!present) {
            checkRoom("rttpick_addServer", address);
        }
        Mono<FleetChoice> added = valid(() -> selector.addServer(address)); // acts now; the answer is cached
        String key = key(address);
        // named once it is in, whether or not this client stays for the answer (subscribers go in order)
        added.subscribe(c -> name.ifPresent(n -> names.put(key, n)), e -> { });
        return answer(added, false).map(m -> withChange(m, present ? "already-present" : "added", address));
    }

    Mono<Map<String, Object>> removeServer(Params p) {
        String address = member("rttpick_removeServer", p.string(0, "address"));
        if (fixedFleet != null) {
            throw new RpcException(RpcException.NO_FLEET,
                    "rttpick_removeServer: the fleet is fixed (serve --fleet-only): no server is removed");
        }
        String key = key(address);
        String name = names.get(key);
        Mono<FleetChoice> removed = selector.removeServer(address);
        removed.subscribe(c -> names.remove(key), e -> { });
        return answer(removed, false).map(m -> withChange(m, "removed", address, name));
    }

    private Map<String, Object> withChange(Map<String, Object> m, String action, String address) {
        return withChange(m, action, address, name(address));
    }

    private Map<String, Object> withChange(Map<String, Object> m, String action, String address, String name) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("action", action);
        change.put("address", address);
        change.put("name", name);
        change.put("fleetSize", selector.servers().size());
        m.put("change", change);
        return m;
    }

    /** A server may join only while the fleet is under its cap (the selector enforces it; this names the method). */
    private void checkRoom(String method, String address) {
        int size = selector.servers().size();
        if (size >= maxFleet) {
            throw RpcException.invalidParams(method + ": the fleet is at its cap of " + maxFleet + " servers (serve --max-fleet): "
                    + address + " was not added");
        }
    }

    private String member(String method, String address) {
        if (!contains(address)) {
            throw RpcException.invalidParams(method + ": address " + address + " is not in the fleet");
        }
        return address;
    }

    /** Runs an action whose address may be malformed: the parser's message names it. */
    private static Mono<FleetChoice> valid(Supplier<Mono<FleetChoice>> action) {
        try {
            Mono<FleetChoice> m = action.get();
            return m.onErrorMap(InvalidEndpointException.class, e -> RpcException.invalidParams(e.getMessage()));
        } catch (InvalidEndpointException e) {
            throw RpcException.invalidParams(e.getMessage());
        }
    }

    private Mono<Map<String, Object>> answer(Mono<FleetChoice> choice, boolean withRanking) {
        return choice
                .onErrorMap(FleetSelector.FleetFullException.class, e -> RpcException.invalidParams(e.getMessage()
                        + " (serve --max-fleet)"))
                .onErrorMap(IllegalArgumentException.class, e -> RpcException.invalidParams(e.getMessage()))
                .map(Safe.fn(c -> {
                    onChoice.accept(c);
                    Map<String, Object> m = selectionJson(c);
                    if (!withRanking) {
                        m.remove("ranking");
                    }
                    return m;
                }));
    }

    /** {@code rttpick pick --json}'s fields for the fleet's choice, plus what only a fleet has (see {@link ResultJson#fleetSelection}). */
    Map<String, Object> selectionJson(FleetChoice c) {
        return ResultJson.fleetSelection(c, selector.lastRanking(), selector.servers(), this::name, proberName);
    }
}
