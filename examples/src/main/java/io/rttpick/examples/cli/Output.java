package io.rttpick.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.SocketAddresses;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Selection;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How samples and choices look on the terminal and in {@code --json}. Field names are an interface: keep them. */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final AddressList addresses;

    Output(PrintStream out, AddressList addresses) {
        this.out = out;
        this.addresses = addresses;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** One {@code ping --json} line. */
    Map<String, Object> sample(RttSample s) {
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
        m.put("name", addresses.name(s.index()));
        m.put("prober", s.prober());
        m.put("startedAt", s.startedAt().toString());
        m.put("details", s.details());
        return m;
    }

    void printSample(RttSample s, boolean asJson) {
        if (asJson) {
            out.println(json(sample(s)));
            return;
        }
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-28s %-17s", label(s.index(), s.address()), s.outcome()));
        if (s.isOk()) {
            line.append(String.format(Locale.ROOT, " %9s  %s, %s", millis(s.rttMicros().getAsLong()),
                    s.timing().orElseThrow().name().toLowerCase(Locale.ROOT),
                    s.handshake().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        } else {
            line.append(' ').append(s.error().orElse(""));
        }
        s.resolved().map(SocketAddresses::format).filter(r -> !r.equals(s.address()))
                .ifPresent(r -> line.append("  via ").append(r));
        out.println(line);
    }

    /** One entry of {@code pick --json}'s ranking. */
    Map<String, Object> ranked(RankedEndpoint r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", r.address());
        m.put("resolved", r.resolved().map(SocketAddresses::format).orElse(null));
        m.put("bucket", r.bucket().name());
        m.put("rttMicros", r.rttMicros().isPresent() ? r.rttMicros().getAsLong() : null);
        m.put("outcome", r.outcome().name());
        m.put("error", r.error().orElse(null));
        m.put("index", r.index());
        m.put("name", addresses.name(r.index()));
        m.put("loss", r.loss());
        m.put("jitterMicros", r.jitterMicros().isPresent() ? r.jitterMicros().getAsLong() : null);
        m.put("samples", r.samples().size());
        return m;
    }

    void printChoice(Selection s) {
        if (s.chosen().isEmpty()) {
            out.println("chosen: nothing: no server answered");
            return;
        }
        RankedEndpoint c = s.chosen().get();
        out.printf(Locale.ROOT, "chosen: %s (%s, %s, 1 of %d) after %s%n", label(c.index(), c.address()), c.bucket(),
                millis(c.rttMicros().getAsLong()), s.group().size(), millis(s.decidedAfter().toNanos() / 1_000));
    }

    void printRanked(RankedEndpoint r) {
        String rtt = r.rttMicros().isPresent() ? millis(r.rttMicros().getAsLong()) : "-";
        String extra = r.error().map(e -> r.outcome() + ": " + e).orElse(summary(r));
        out.printf(Locale.ROOT, "  %-8s %-28s %9s  %s%n", r.bucket(), label(r.index(), r.address()), rtt, extra);
    }

    /** Jitter and loss, where there is something to say. */
    private static String summary(RankedEndpoint r) {
        StringBuilder s = new StringBuilder();
        if (r.jitterMicros().isPresent()) {
            s.append("jitter ").append(millis(r.jitterMicros().getAsLong()));
        }
        if (r.loss() > 0) {
            s.append(s.length() > 0 ? ", " : "").append(String.format(Locale.ROOT, "loss %.0f%%", 100 * r.loss()));
        }
        return s.toString();
    }

    private String label(int index, String address) {
        String name = addresses.name(index);
        return name == null ? address : name + " " + address;
    }

    static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }
}
