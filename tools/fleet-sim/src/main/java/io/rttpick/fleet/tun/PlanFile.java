package io.rttpick.fleet.tun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fleet plan from a small JSON file:
 * <pre>
 * {"servers": [
 *   {"name": "Amsterdam", "address": "198.18.0.29", "mode": "open", "delayMs": 29, "jitterMs": 2},
 *   {"name": "gone", "address": "2001:db8:1::9", "mode": "unreachable", "delayMs": 5, "unreachable": "host"}
 * ]}
 * </pre>
 * {@code mode}: open, closed, blackhole, unreachable, lossy. {@code delayMs} (default 0) and
 * {@code jitterMs} (default 0) are whole milliseconds, not negative. {@code unreachable}: port
 * (default), host or admin-prohibited. Addresses are IP literals, best in 198.18.0.0/16 or
 * 2001:db8:1::/48, the prefixes tools/fleet-sim/netns-run routes to the fleet. Every mistake names the
 * file and the entry.
 */
public final class PlanFile {
    private static final Set<String> FIELDS = Set.of("name", "address", "mode", "delayMs", "jitterMs", "unreachable");

    private PlanFile() {
    }

    public static FleetPlan read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    public static FleetPlan parse(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("plan " + source + ": not JSON: " + e.getOriginalMessage());
        }
        JsonNode servers = root == null ? null : root.get("servers");
        if (servers == null || !servers.isArray() || servers.isEmpty()) {
            throw new IllegalArgumentException("plan " + source + ": needs a non-empty \"servers\" array");
        }
        FleetPlan plan = new FleetPlan();
        for (int i = 0; i < servers.size(); i++) {
            JsonNode s = servers.get(i);
            String where = "plan " + source + ", server " + (i + 1);
            if (!s.isObject()) {
                throw new IllegalArgumentException(where + ": not an object");
            }
            String name = s.path("name").asText("server-" + (i + 1));
            where += " (" + name + ")";
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!FIELDS.contains(f)) {
                    throw new IllegalArgumentException(where + ": unknown field \"" + f + "\" (fields: "
                            + String.join(", ", new TreeSet<>(FIELDS)) + ")");
                }
            }
            String address = s.path("address").asText("");
            FleetPlan.Mode mode = mode(where, s.path("mode").asText(""));
            Duration delay = millis(where, s, "delayMs");
            Duration jitter = millis(where, s, "jitterMs");
            FleetPlan.Unreachable code = unreachable(where, s.path("unreachable").asText("port"));
            try {
                plan.add(name, address, mode, delay, jitter, code);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return plan;
    }

    private static FleetPlan.Mode mode(String where, String text) {
        try {
            return FleetPlan.Mode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": unknown mode '" + text + "' (open, closed, blackhole, unreachable, lossy)");
        }
    }

    private static FleetPlan.Unreachable unreachable(String where, String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "port": return FleetPlan.Unreachable.PORT;
            case "host": return FleetPlan.Unreachable.HOST;
            case "admin-prohibited": return FleetPlan.Unreachable.ADMIN_PROHIBITED;
            default: throw new IllegalArgumentException(where + ": unknown unreachable '" + text + "' (port, host, admin-prohibited)");
        }
    }

    private static Duration millis(String where, JsonNode server, String field) {
        JsonNode n = server.get(field);
        if (n == null) {
            return Duration.ZERO;
        }
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            throw new IllegalArgumentException(where + ": " + field + " must be a whole number of milliseconds, not negative, got " + n);
        }
        return Duration.ofMillis(n.asLong());
    }
}
