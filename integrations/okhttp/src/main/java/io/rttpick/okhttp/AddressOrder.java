package io.rttpick.okhttp;

import io.rttpick.selector.Bucket;
import io.rttpick.selector.RandomDraw;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.Ranking;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The order a host's addresses are handed to OkHttp: the selector's choice first, then the rest
 * of the ranking group by group (fast, average, slow, unmeasured, silent), random within a group
 * so that clients spread over equal servers, and the servers cooling off after a failure last.
 */
final class AddressOrder {
    private AddressOrder() {
    }

    /**
     * @param servers the host's servers ({@code ip:port}), in the resolver's order
     * @param chosen the selector's choice, or null
     * @param ranking the last ranking, or null
     * @param usable whether a server may be chosen now (false: cooling off)
     */
    static List<String> of(List<String> servers, String chosen, Ranking ranking, Predicate<String> usable, RandomDraw random) {
        Map<String, Bucket> bucketOf = new LinkedHashMap<>();
        if (ranking != null) {
            for (RankedEndpoint e : ranking.entries()) {
                bucketOf.put(e.address(), e.bucket());
            }
        }
        Map<Bucket, List<String>> groups = new EnumMap<>(Bucket.class);
        List<String> failed = new ArrayList<>();
        for (String server : servers) {
            if (server.equals(chosen)) {
                continue;
            }
            if (!usable.test(server)) {
                failed.add(server);
                continue;
            }
            Bucket bucket = bucketOf.getOrDefault(server, Bucket.MEASURING);
            groups.computeIfAbsent(bucket, b -> new ArrayList<>()).add(server);
        }
        List<String> out = new ArrayList<>(servers.size());
        if (chosen != null && servers.contains(chosen)) {
            out.add(chosen);
        }
        for (Bucket b : new Bucket[] {Bucket.FAST, Bucket.AVERAGE, Bucket.SLOW, Bucket.MEASURING, Bucket.NONE}) {
            List<String> group = groups.getOrDefault(b, Collections.emptyList());
            if (ranking != null) {
                shuffle(group, random); // with nothing measured, the resolver's order stands
            }
            out.addAll(group);
        }
        out.addAll(failed);
        return out;
    }

    /** Fisher-Yates with the selector's kind of draw. */
    private static void shuffle(List<String> list, RandomDraw random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }
}
