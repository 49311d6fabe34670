package io.rttpick.examples.serve;

import com.fasterxml.jackson.databind.JsonNode;
import io.rttpick.examples.json.ResultJson;
import io.rttpick.prober.InvalidEndpointException;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import java.time.Duration;
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
    private final Duration wait;
    private final Consumer<FleetChoice> onChoice;

    /** @param names the fleet's names by address (from the fleet file); onChoice sees every answer (metrics) */
    FleetService(FleetSelector selector, String proberName, Map<String, String> names, Duration wait, Consumer<FleetChoice> onChoice) {
        this.selector = selector;
        this.proberName = proberName;
        this.names.putAll(names);
        this.wait = wait;
        this.onChoice = onChoice;
    }

    boolean contains(String address) {
        return selector.contains(address);
    }

    String name(String address) {
        return names.get(address);
    }

    Object select(JsonNode params) {
        Params.of("rttpick_select", params, 0, 0, "[]");
        return answer(selector.current());
    }

    Object refresh(JsonNode params) {
        Params.of("rttpick_refresh", params, 0, 0, "[]");
        return answer(selector.trigger(FleetSelector.Trigger.REFRESH));
    }

    /** What the server-list page calls when it opens: the "list opened" trigger. */
    Object openServerList(JsonNode params) {
        Params.of("rttpick_openServerList", params, 0, 0, "[]");
        return answer(selector.trigger(FleetSelector.Trigger.SERVER_LIST_OPENED));
    }

    Object pin(JsonNode params) {
        String address = Params.of("rttpick_pin", params, 1, 1, "[\"<address>\"]").string(0, "address");
        return answer(valid(() -> selector.pin(address)));
    }

    Object unpin(JsonNode params) {
        Params.of("rttpick_unpin", params, 0, 0, "[]");
        return answer(selector.unpin());
    }

    Object reportFailure(JsonNode params) {
        String address = member("rttpick_reportFailure", Params.of("rttpick_reportFailure", params, 1, 1, "[\"<address>\"]")
                .string(0, "address"));
        return answer(selector.reportFailure(address));
    }

    Object addServer(JsonNode params) {
        Params p = Params.of("rttpick_addServer", params, 1, 2, "[\"<address>\", \"<name>\"?]");
        String address = p.string(0, "address");
        Optional<String> name = p.optionalString(1, "name");
        Mono<FleetChoice> added = valid(() -> selector.addServer(address));
        name.ifPresent(n -> names.put(address, n));
        return answer(added);
    }

    Object removeServer(JsonNode params) {
        String address = member("rttpick_removeServer", Params.of("rttpick_removeServer", params, 1, 1, "[\"<address>\"]")
                .string(0, "address"));
        return answer(selector.removeServer(address));
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

    private Map<String, Object> answer(Mono<FleetChoice> choice) {
        FleetChoice c;
        try {
            c = choice.block(wait);
        } catch (RpcException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw RpcException.invalidParams(e.getMessage());
        }
        if (c == null) {
            throw new RpcException(RpcException.INTERNAL_ERROR, "the fleet selector gave no answer");
        }
        onChoice.accept(c);
        return selectionJson(c);
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
        int groupSize = 0;
        for (RankedEndpoint r : ranking.map(Ranking::entries).orElse(List.of())) {
            Integer index = position.get(r.address());
            if (index == null || !ranked.add(r.address())) {
                continue; // removed since that probe, or a duplicate
            }
            Map<String, Object> e = ResultJson.ranked(r, names.get(r.address()));
            e.put("index", index);
            entries.add(e);
            groupSize += c.bucket().isPresent() && r.bucket() == c.bucket().get() ? 1 : 0;
        }
        for (int i = 0; i < fleet.size(); i++) {
            if (!ranked.contains(fleet.get(i))) {
                entries.add(notProbed(fleet.get(i), i));
            }
        }
        m.put("ranking", entries);
        m.put("chosenIndex", c.server().map(position::get).orElse(null));
        m.put("groupSize", groupSize);
        m.put("early", ranking.map(r -> r.selection().early()).orElse(false));
        m.put("complete", ranking.map(Ranking::complete).orElse(false));
        m.put("prober", proberName);
        m.put("pinned", c.pinned());
        m.put("ageMs", c.pinned() ? null : c.rankingAge().toMillis());
        m.put("reason", c.reason().name());
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
