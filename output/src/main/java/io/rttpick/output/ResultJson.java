package io.rttpick.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import io.rttpick.selector.Selection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Every JSON shape rttpick writes: {@code ping --json}'s samples, {@code pick --json}, serve's fleet
 * selection and {@code mailservers_ping}'s results, built on one ranked-entry writer. Field names
 * are an interface other programs read: add fields, never rename.
 */
public final class ResultJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultJson() {
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** One {@code ping --json} line; {@code name} may be null. */
    public static Map<String, Object> sample(RttSample s, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", s.address());
        m.put("resolved", s.resolved().map(SocketAddresses::format).orElse(null));
        m.put("outcome", s.outcome().name());
        m.put("rttMicros", s.rttMicros().isPresent() ? s.rttMicros().getAsLong() : null);
        m.put("timing", s.timing().map(Enum::name).orElse(null));
        m.put("handshake", s.handshake().name());
        m.put("error", s.error().orElse(null));
        m.put("index", s.index());
        m.put("attempt", s.attempt());
        m.put("name", name);
        m.put("prober", s.prober());
        m.put("startedAt", s.startedAt().toString());
        m.put("details", s.details());
        return m;
    }

    /**
     * One ranked entry, the writer every ranking uses ({@code pick --json}, serve's selection);
     * {@code name} may be null. A server still being measured ({@code MEASURING}) has no outcome,
     * loss or sample count yet: null, so that a client reading {@code loss} does not count it lossy.
     */
    public static Map<String, Object> ranked(RankedEndpoint r, String name) {
        return ranked(r, r.index(), name);
    }

    /** As {@link #ranked(RankedEndpoint, String)}, at position {@code index} of a list of the caller's (the fleet's). */
    public static Map<String, Object> ranked(RankedEndpoint r, int index, String name) {
        boolean measuring = r.bucket() == Bucket.MEASURING; // answers still out
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", r.address());
        m.put("resolved", r.resolved().map(SocketAddresses::format).orElse(null));
        m.put("bucket", r.bucket().name());
        m.put("rttMicros", r.rttMicros().isPresent() ? r.rttMicros().getAsLong() : null);
        m.put("outcome", measuring ? null : r.outcome().name());
        m.put("error", measuring ? null : r.error().orElse(null));
        m.put("index", index);
        m.put("name", name);
        m.put("loss", measuring ? null : r.loss());
        m.put("jitterMicros", r.jitterMicros().isPresent() ? r.jitterMicros().getAsLong() : null);
        m.put("samples", measuring ? null : r.samples().size());
        return m;
    }

    /** A fleet member no probe has reached yet (added since the last one), in the ranked-entry shape. */
    public static Map<String, Object> unprobed(String address, int index, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", address);
        m.put("resolved", null);
        m.put("bucket", Bucket.NONE.name());
        m.put("rttMicros", null);
        m.put("outcome", null);
        m.put("error", "not probed yet");
        m.put("index", index);
        m.put("name", name);
        m.put("loss", null);
        m.put("jitterMicros", null);
        m.put("samples", 0);
        return m;
    }

    /**
     * One result of {@code mailservers_ping} (the shape status clients read):
     * {@code {"address", "rttMs", "latency", "error"}}, whole milliseconds, truncated; rttMs null
     * and latency -1 on failure; error always present, null on success. The address as sent.
     */
    public static Map<String, Object> mailserverResult(RttSample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", s.address());
        Long ms = s.rttMicros().isPresent() ? s.rttMicros().getAsLong() / 1_000 : null;
        m.put("rttMs", ms);
        m.put("latency", ms == null ? -1 : ms);
        m.put("error", s.isOk() ? null : s.error().orElse(s.outcome().name()));
        return m;
    }

    /**
     * The fleet selector's answer as serve gives it: {@code pick --json}'s fields (the ranking over
     * {@code fleet}, in its order, those no probe reached yet included), then what only a fleet has:
     * {@code group}, {@code complete}, {@code pinned}, {@code ageMs}, {@code reason}, {@code cause},
     * {@code trigger}, {@code probe}, {@code source}, {@code note}, {@code rttMicros}, {@code name}.
     *
     * @param ranking the ranking the choice came from, if any
     * @param fleet the fleet now, as first spelled (a ranked server no longer in it is left out)
     * @param names the name of an address, or null
     */
    public static Map<String, Object> fleetSelection(FleetChoice c, Optional<Ranking> ranking, List<String> fleet,
            Function<String, String> names, String proberName) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < fleet.size(); i++) {
            position.put(fleet.get(i), i);
        }
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
            entries.add(ranked(r, index, names.apply(r.address())));
        }
        for (int i = 0; i < fleet.size(); i++) {
            if (!ranked.contains(fleet.get(i))) {
                entries.add(unprobed(fleet.get(i), i, names.apply(fleet.get(i))));
            }
        }
        m.put("ranking", entries);
        m.put("chosenIndex", c.server().map(position::get).orElse(null));
        // the group the choice was drawn from (or, kept, stands in), relative to the servers that could be chosen
        m.put("groupSize", c.groupSize().isPresent() ? c.groupSize().getAsInt() : null);
        m.put("early", ranking.map(r -> r.selection().early()).orElse(false));
        m.put("prober", proberName);
        m.put("group", c.group().map(Enum::name).orElse(null));
        m.put("complete", ranking.map(Ranking::complete).orElse(false));
        m.put("pinned", c.pinned());
        m.put("ageMs", c.pinned() ? null : c.rankingAge().toMillis());
        m.put("reason", c.reason().name());
        m.put("cause", c.cause().name());
        m.put("trigger", c.trigger().map(Enum::name).orElse(null));
        m.put("probe", c.probe().name());
        m.put("source", c.source().name());
        m.put("note", c.note());
        m.put("rttMicros", c.rttMicros().isPresent() ? c.rttMicros().getAsLong() : null);
        m.put("name", c.server().map(names).orElse(null));
        return m;
    }

    /** What {@code pick --json} prints; {@code names} gives the name of the address at an index, or null. */
    public static Map<String, Object> pick(Ranking ranking, IntFunction<String> names, String proberName) {
        Selection s = ranking.selection();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chosen", s.chosen().map(RankedEndpoint::address).orElse(null));
        m.put("bucket", s.bucket().map(Enum::name).orElse(null));
        m.put("decidedAfterMicros", s.decidedAfter().toNanos() / 1_000);
        List<Map<String, Object>> entries = new ArrayList<>();
        for (RankedEndpoint r : ranking.entries()) {
            entries.add(ranked(r, names.apply(r.index())));
        }
        m.put("ranking", entries);
        m.put("chosenIndex", s.chosen().map(RankedEndpoint::index).orElse(null));
        // the group the choice was drawn from (same group, least loss); null when nothing was chosen
        m.put("groupSize", s.chosen().isPresent() ? s.group().size() : null);
        m.put("early", s.early());
        m.put("prober", proberName);
        return m;
    }
}
