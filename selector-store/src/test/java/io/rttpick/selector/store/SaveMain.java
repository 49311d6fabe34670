package io.rttpick.selector.store;

import io.rttpick.selector.RememberedNetwork;
import io.rttpick.selector.RememberedRankings;
import io.rttpick.selector.RememberedServer;
import java.nio.file.Path;
import java.util.Map;

/** Another process saving to the same file: {@code SaveMain FILE PREFIX N} saves networks PREFIX0..PREFIX(N-1), one at a time. */
public final class SaveMain {
    private SaveMain() {
    }

    public static void main(String[] args) {
        FileRankingStore store = FileRankingStore.at(Path.of(args[0]));
        int n = Integer.parseInt(args[2]);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            store.save(new RememberedRankings(Map.of(args[1] + i, new RememberedNetwork(now, now,
                    Map.of("a.example:993", new RememberedServer(20_000 + i, -1, 0, 1, now)))), Map.of()));
        }
    }
}
