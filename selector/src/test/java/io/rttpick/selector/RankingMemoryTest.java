package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingMemoryTest {
    private static final long T = 1_700_000_000_000L;
    private final Fleet fleet = Fleet.EMPTY.with("a:1", "a:1").with("b:1", "b:1").with("c:1", "c:1").with("d:1", "d:1");

    private static RememberedNetwork net(long when, Object... keyAndMicros) {
        Map<String, RememberedServer> servers = new java.util.HashMap<>();
        for (int i = 0; i < keyAndMicros.length; i += 2) {
            servers.put((String) keyAndMicros[i], new RememberedServer((Long) keyAndMicros[i + 1], -1, 0, 1, when));
        }
        return new RememberedNetwork(when, when, servers);
    }

    @Test
    void aServerThatMovedOnOneNetworkIsUnknownOnTheOthersAndConfirmedThereFirst() {
        RankingMemory memory = new RankingMemory(32, Duration.ofDays(7));
        memory.load(new RememberedRankings(Map.of("home", net(T, "a:1", 20_000L, "b:1", 25_000L, "c:1", 30_000L, "d:1", 250_000L),
                "office", net(T, "a:1", 25_000L, "b:1", 30_000L, "c:1", 35_000L, "d:1", 255_000L)), Map.of()), T + 1);
        Ranking moved = memory.ranking("home", fleet, BucketPolicy.relative(), T + 1); // d:1 measured again at home: next door
        Ranking probe = new Ranking(List.of(new RankedEndpoint(3, "d:1", Bucket.FAST, new RememberedServer(1_000, -1, 0, 1, T + 2))),
                moved.selection(), true);
        memory.remember("home", probe, fleet, false, T + 2);
        assertEquals(java.util.Set.of("d:1"), memory.movedHere("office", fleet, T + 3));
        assertTrue(memory.movedHere("home", fleet, T + 3).isEmpty(), "home knows its new figure");
        List<String> confirm = memory.confirmSet("office", fleet, "a:1", 3, T + 3, k -> false);
        assertEquals(List.of("a:1", "d:1", "b:1"), confirm, "the current, the moved one, then the remembered best");
        assertFalse(memory.ranking("office", fleet, BucketPolicy.relative(), T + 3).entries().stream()
                .anyMatch(e -> e.address().equals("d:1")), "its old office figure is not believed");
    }

    @Test
    void aFailureIsNotAMove() {
        RankingMemory memory = new RankingMemory(32, Duration.ofDays(7));
        memory.load(new RememberedRankings(Map.of("home", net(T, "a:1", 20_000L), "office", net(T, "a:1", 25_000L)), Map.of()), T);
        Ranking probe = new Ranking(List.of(new RankedEndpoint(0, "a:1", Bucket.NONE, new RememberedServer(-1, -1, 1, 1, T + 1))),
                null, true);
        memory.remember("home", probe, fleet, false, T + 1);
        assertTrue(memory.movedHere("office", fleet, T + 2).isEmpty());
    }

    @Test
    void whatTwoProcessesLearnedIsMergedNewestFirstPerServer() {
        RememberedRankings mine = new RememberedRankings(Map.of("home", net(T, "a:1", 20_000L, "b:1", 40_000L)), Map.of("a:1", T));
        RememberedRankings theirs = new RememberedRankings(Map.of("home", net(T + 5, "b:1", 30_000L), "cafe", net(T + 5, "c:1", 9_000L)),
                Map.of("a:1", T + 9, "c:1", T + 5));
        RememberedRankings both = mine.mergedWith(theirs);
        assertEquals(20_000, both.networks().get("home").servers().get("a:1").medianMicros());
        assertEquals(30_000, both.networks().get("home").servers().get("b:1").medianMicros(), "the newer");
        assertTrue(both.networks().containsKey("cafe"));
        assertEquals(T + 9, both.lastContactMillis().get("a:1"));
        assertEquals(T + 5, both.networks().get("home").lastUsedMillis());
    }
}
