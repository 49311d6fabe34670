package io.rttpick.selector.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.NetworkId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/** What is learnt is kept when the process ends right after {@code close()}, and a save killed half-way leaves nothing behind. */
class SavedAtCloseTest {
    @TempDir
    Path dir;

    @Test
    void aJvmThatReturnsFromMainRightAfterCloseKeepsItsRankingsAndTheNextOneAnswersFromMemory() throws Exception {
        Path file = dir.resolve("rankings.json");
        assertEquals("PROBED PROBE a.example:993", run(file));
        assertTrue(Files.exists(file), "close() saved nothing: " + list(dir));
        assertFalse(Files.exists(dir.resolve("rankings.json.tmp")), "a temporary file was left: " + list(dir));
        assertEquals("REMEMBERED MEMORY a.example:993", run(file), "the second JVM answers from what the first saved");
    }

    @Test
    void closeAsyncCompletesWhenTheLastChangesAreOnDisk() {
        Path file = dir.resolve("rankings.json");
        ScriptedProber prober = new ScriptedProber(Schedulers.parallel()).set("a.example:993", 5).set("b.example:993", 10);
        FleetSelector servers = FleetSelector.builder(prober, List.of("a.example:993", "b.example:993"))
                .remember(FileRankingStore.at(file)).closeTimeout(Duration.ZERO).build();
        servers.networkChanged(NetworkId.of("cafe")).block();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (servers.lastRanking().map(r -> !r.complete()).orElse(true) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        servers.close(); // closeTimeout zero: does not wait
        servers.closeAsync().block(Duration.ofSeconds(5));
        assertTrue(FileRankingStore.at(file).load().networks().containsKey("cafe"), "not on disk when closeAsync completed");
    }

    @Test
    void aTemporaryFileLeftByAKilledSaveIsRemovedAtTheNextLoad() throws IOException {
        Path file = dir.resolve("rankings.json");
        Path temp = dir.resolve("rankings.json.tmp");
        Files.write(temp, "{\"format\":\"rttpick-rank".getBytes(StandardCharsets.UTF_8)); // a save killed mid-write
        FileRankingStore.at(file).load();
        assertFalse(Files.exists(temp), "the leftover temporary file is still there");
    }

    private static String run(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RememberMain.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM did not end");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.matches("[A-Z_]+ [A-Z_]+ .*")).collect(java.util.stream.Collectors.toList());
        assertEquals(1, lines.size(), out);
        return lines.get(0);
    }

    private static String list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().collect(java.util.stream.Collectors.joining(", "));
        }
    }
}
