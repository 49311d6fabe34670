package io.rttpick.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.selector.Bucket;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import io.rttpick.selector.Selection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The JSON shapes of samples and rankings, shared by {@code ping --json}, {@code pick --json} and
 * {@code serve}. Field names are an interface other programs read: add fields, never rename.
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

    /** One entry of {@code pick --json}'s ranking; {@code name} may be null. */
    public static Map<String, Object> ranked(RankedEndpoint r, String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", r.address());
        m.put("resolved", r.resolved().map(SocketAddresses::format).orElse(null));
        m.put("bucket", r.bucket().name());
        m.put("rttMicros", r.rttMicros().isPresent() ? r.rttMicros().getAsLong() : null);
        boolean measuring = r.bucket() == Bucket.MEASURING; // answers still out: no outcome yet
        m.put("outcome", measuring ? null : r.outcome().name());
        m.put("error", measuring ? null : r.error().orElse(null));
        m.put("index", r.index());
        m.put("name", name);
        m.put("loss", r.loss());
        m.put("jitterMicros", r.jitterMicros().isPresent() ? r.jitterMicros().getAsLong() : null);
        m.put("samples", r.samples().size());
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
        m.put("groupSize", s.group().size());
        m.put("early", s.early());
        m.put("prober", proberName);
        return m;
    }
}
