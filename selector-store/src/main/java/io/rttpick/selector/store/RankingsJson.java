package io.rttpick.selector.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rttpick.selector.RememberedNetwork;
import io.rttpick.selector.RememberedRankings;
import io.rttpick.selector.RememberedServer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file's JSON, version 1:
 * {@code {"format":"rttpick-rankings","version":1,"forgottenBeforeMillis":0,
 * "networks":{ID:{"lastUsedMillis","lastFullProbeMillis","servers":{KEY:{"medianMicros",
 * "jitterMicros","loss","samples","whenMillis"}}}},"lastContactMillis":{KEY:MILLIS}}}.
 * Read strictly: anything else is not ours, and the whole file is passed over.
 */
final class RankingsJson {
    private RankingsJson() {
    }

    /** The file is not a rankings file this version reads. */
    static final class NotOurs extends Exception {
        NotOurs(String why) {
            super(why, null, false, false);
        }
    }

    static ObjectNode toJson(ObjectMapper json, RememberedRankings r) {
        ObjectNode root = json.createObjectNode();
        root.put("format", FileRankingStore.FORMAT);
        root.put("version", FileRankingStore.VERSION);
        root.put("forgottenBeforeMillis", r.forgottenBeforeMillis());
        ObjectNode nets = root.putObject("networks");
        r.networks().forEach((id, n) -> {
            ObjectNode net = nets.putObject(id);
            net.put("lastUsedMillis", n.lastUsedMillis());
            net.put("lastFullProbeMillis", n.lastFullProbeMillis());
            ObjectNode servers = net.putObject("servers");
            n.servers().forEach((key, s) -> {
                ObjectNode e = servers.putObject(key);
                e.put("medianMicros", s.medianMicros());
                e.put("jitterMicros", s.jitterMicros());
                e.put("loss", s.loss());
                e.put("samples", s.samples());
                e.put("whenMillis", s.whenMillis());
            });
        });
        ObjectNode contacts = root.putObject("lastContactMillis");
        r.lastContactMillis().forEach(contacts::put);
        return root;
    }

    static RememberedRankings fromJson(JsonNode root) throws NotOurs {
        if (root == null || !root.isObject() || !FileRankingStore.FORMAT.equals(root.path("format").asText(null))) {
            throw new NotOurs("no \"format\": \"" + FileRankingStore.FORMAT + "\"");
        }
        JsonNode version = root.path("version");
        if (!version.isInt() || version.intValue() != FileRankingStore.VERSION) {
            throw new NotOurs("version " + version + ", this library reads " + FileRankingStore.VERSION);
        }
        Map<String, RememberedNetwork> networks = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "networks").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> net = it.next();
            JsonNode n = net.getValue();
            Map<String, RememberedServer> servers = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> s = object(n, "servers").fields(); s.hasNext(); ) {
                Map.Entry<String, JsonNode> e = s.next();
                JsonNode v = e.getValue();
                double loss = number(v, "loss").doubleValue();
                if (!(loss >= 0 && loss <= 1)) {
                    throw new NotOurs("loss " + loss + " of " + e.getKey());
                }
                servers.put(e.getKey(), new RememberedServer(number(v, "medianMicros").longValue(),
                        number(v, "jitterMicros").longValue(), loss, number(v, "samples").intValue(), number(v, "whenMillis").longValue()));
            }
            networks.put(net.getKey(), new RememberedNetwork(number(n, "lastUsedMillis").longValue(),
                    number(n, "lastFullProbeMillis").longValue(), servers));
        }
        Map<String, Long> contacts = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(root, "lastContactMillis").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            if (!c.getValue().isIntegralNumber()) {
                throw new NotOurs("lastContactMillis of " + c.getKey() + " is not a number");
            }
            contacts.put(c.getKey(), c.getValue().longValue());
        }
        return new RememberedRankings(networks, contacts, number(root, "forgottenBeforeMillis").longValue());
    }

    private static JsonNode object(JsonNode parent, String field) throws NotOurs {
        JsonNode n = parent.path(field);
        if (!n.isObject()) {
            throw new NotOurs("\"" + field + "\" is not an object");
        }
        return n;
    }

    private static JsonNode number(JsonNode parent, String field) throws NotOurs {
        JsonNode n = parent.path(field);
        if (!n.isNumber()) {
            throw new NotOurs("\"" + field + "\" is not a number");
        }
        return n;
    }
}
