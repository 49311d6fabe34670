package io.rttpick.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.rttpick.output.ResultJson;
import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * The fleet methods: the fleet selector's current choice and the user's actions on it (refresh,
 * pin, unpin, a failed server, servers added and removed), each answered with the new selection
 * in the shape of {@code rttpick pick --json} plus {@code pinned} and {@code ageMs}.
 */
final class FleetService {
    private final FleetSelector selector;
    private final String proberName;
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Consumer<FleetChoice> onChoice;
    private final int maxFleet;
    /** The fleet given at start when it is fixed (serve --fleet-only), else null. */
    private final Set<String> fixedFleet;

    /**
     * @param names the fleet's names by address (from the fleet file); onChoice sees every answer (metrics)
     * @param fixed the fleet is the one given at start (serve --fleet-only)
     */
    FleetService(FleetSelector selector, String proberName, Map<String, String> names, Consumer<FleetChoice> onChoice,
            int maxFleet, boolean fixed) {
        this.selector = selector;
        this.proberName = proberName;
        names.forEach((a, n) -> {
            if (n != null) {
                this.names.put(a, n);
            }
        });
        this.onChoice = onChoice;
        this.maxFleet = maxFleet;
        this.fixedFleet = fixed ? Set.copyOf(selector.servers()) : null;
    }

    boolean contains(String address) {
        return selector.contains(address);
    }

    String name(String address) {
        return names.get(address);
    }

    Mono<Map<String, Object>> select(JsonNode params) {
        Params.of("rttpick_select", params, 0, 0, "[]");
        return answer(selector.current(), true);
    }

    Mono<Map<String, Object>> refresh(JsonNode params) {
        Params.of("rttpick_refresh", params, 0, 0, "[]");
        return answer(selector.trigger(FleetSelector.Trigger.REFRESH), true);
    }

    /** What the server-list page calls when it opens: the "list opened" trigger. */
    Mono<Map<String, Object>> openServerList(JsonNode params) {
        Params.of("rttpick_openServerList", params, 0, 0, "[]");
        return answer(selector.trigger(FleetSelector.Trigger.SERVER_LIST_OPENED), true);
    }

    Mono<Map<String, Object>> pin(JsonNode params) {
        String address = Params.of("rttpick_pin", params, 1, 1, "[\"<address>\"]").string(0, "address");
        if (!contains(address)) {
            if (fixedFleet != null) {
                throw RpcException.invalidParams("rttpick_pin: address " + address
                        + " is not in the fleet, and the fleet is fixed (serve --fleet-only)");
            }
            checkRoom("rttpick_pin", address);
        }
        return answer(valid(() -> selector.pin(address)), true);
    }

    Mono<Map<String, Object>> unpin(JsonNode params) {
        Params.of("rttpick_unpin", params, 0, 0, "[]");
        return answer(selector.unpin(), true);
    }

    Mono<Map<String, Object>> reportFailure(JsonNode params) {
        String address = member("rttpick_reportFailure", Params.of("rttpick_reportFailure", params, 1, 1, "[\"<address>\"]")
                .string(0, "address"));
        return answer(selector.reportFailure(address), true);
    }

    /** Answers the selection without the ranking, with {@code change}: what happened to the fleet. */
    Mono<Map<String, Object>> addServer(JsonNode params) {
        Params p = Params.of("rttpick_addServer", params, 1, 2, "[\"<address>\", \"<name>\"?]");
        String address = p.string(0, "address");
        Optional<String> name = p.optionalString(1, "name");
        if (fixedFleet != null) {
            throw new RpcException(RpcException.NO_FLEET, "rttpick_addServer: the fleet is fixed (serve --fleet-only): no server is added");
        }
        boolean present = contains(address);
        if (!present) {
            checkRoom("rttpick_addServer", address);
        }
        Mono<FleetChoice> added = valid(() -> selector.addServer(address));
        name.ifPresent(n -> names.put(address, n));
        return answer(added, false).map(m -> withChange(m, present ? "already-present" : "added", address));
    }

    Mono<Map<String, Object>> removeServer(JsonNode params) {
        String address = member("rttpick_removeServer", Params.of("rttpick_removeServer", params, 1, 1, "[\"<address>\"]")
                .string(0, "address"));
        if (fixedFleet != null) {
            throw new RpcException(RpcException.NO_FLEET, "rttpick_removeServer: the fleet is fixed (serve --fleet-only): no server is removed");
        }
        return answer(selector.removeServer(address), false).map(m -> {
            names.remove(address);
            return withChange(m, "removed", address);
        });
    }

    private Map<String, Object> withChange(Map<String, Object> m, String action, String address) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("action", action);
        change.put("address", address);
        change.put("name", names.get(address));
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
    private static Mono<FleetChoice> valid(java.util.function.Supplier<Mono<FleetChoice>> action) {
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

    /** {@code rttpick pick --json}'s fields for the fleet's choice, plus pinned, ageMs, reason and note. */
    Map<String, Object> selectionJson(FleetChoice c) {
        List<String> fleet = selector.servers();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < fleet.size(); i++) {
            position.put(fleet.get(i), i);
        }
        Optional<Ranking> ranking = selector.lastRanking();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chosen", c.server().orElse(null));
        m.put("bucket", c.bucket().map(Enum::name).orElse(null));
        m.put("decidedAfterMicros", ranking.map(r -> r.selection().decidedAfter().toNanos() / 1_000).orElse(null));
        List<Map<String, Object>> entries = new ArrayList<>();
        Set<String> ranked = new HashSet<>();
        for (RankedEndpoint r : ranking.map(Ranking::entries).orElse(List.of())) {
            Integer index = position.get(r.address());
            if (index == null || !ranked.add(r.address())) {
                continue; // removed since that probe, or a duplicate
            }
            Map<String, Object> e = ResultJson.ranked(r, names.get(r.address()));
            e.put("index", index);
            entries.add(e);
        }
        for (int i = 0; i < fleet.size(); i++) {
            if (!ranked.contains(fleet.get(i))) {
                entries.add(notProbed(fleet.get(i), i));
            }
        }
        m.put("ranking", entries);
        m.put("chosenIndex", c.server().map(position::get).orElse(null));
        // the group the choice was drawn from (or, kept, stands in), relative to the servers that could be chosen
        m.put("groupSize", c.groupSize().isPresent() ? c.groupSize().getAsInt() : null);
        m.put("group", c.group().map(Enum::name).orElse(null));
        m.put("early", ranking.map(r -> r.selection().early()).orElse(false));
        m.put("complete", ranking.map(Ranking::complete).orElse(false));
        m.put("prober", proberName);
        m.put("pinned", c.pinned());
        m.put("ageMs", c.pinned() ? null : c.rankingAge().toMillis());
        m.put("reason", c.reason().name());
        m.put("cause", c.cause().name());
        m.put("trigger", c.trigger().map(Enum::name).orElse(null));
        m.put("probe", c.probe().name());
        m.put("source", c.source().name());
        m.put("note", c.note());
        m.put("rttMicros", c.rttMicros().isPresent() ? c.rttMicros().getAsLong() : null);
        m.put("name", c.server().map(names::get).orElse(null));
        return m;
    }

    private Map<String, Object> notProbed(String address, int index) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("address", address);
        e.put("resolved", null);
        e.put("bucket", Bucket.NONE.name());
        e.put("rttMicros", null);
        e.put("outcome", null);
        e.put("error", "not probed yet");
        e.put("index", index);
        e.put("name", names.get(address));
        e.put("loss", null);
        e.put("jitterMicros", null);
        e.put("samples", 0);
        return e;
    }
}
