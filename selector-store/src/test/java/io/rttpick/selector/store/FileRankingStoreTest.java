package io.rttpick.selector.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.selector.RememberedNetwork;
import io.rttpick.selector.RememberedRankings;
import io.rttpick.selector.RememberedServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRankingStoreTest {
    private static final long T = 1_760_000_000_000L;
    @TempDir
    Path dir;
    private final StoreLog storeLog = new StoreLog();
    private final List<String> logged = storeLog.lines;

    @BeforeEach
    void captureLog() {
        storeLog.start();
    }

    @AfterEach
    void releaseLog() {
        storeLog.stop();
    }

    private static RememberedRankings sample(String network, long when) {
        return new RememberedRankings(Map.of(network, new RememberedNetwork(when, when - 5,
                Map.of("ams.example:993", new RememberedServer(29_000, 1_200, 0.25, 4, when),
                        "hkg.example:993", new RememberedServer(-1, -1, 1, 1, when)))),
                Map.of("ams.example:993", when), 0);
    }

    @Test
    void whatIsSavedIsLoadedAgainReadableByItsOwnerOnlyWithNothingLeftBeside() throws IOException {
        FileRankingStore store = FileRankingStore.at(dir.resolve("rankings.json"));
        assertSame(RememberedRankings.EMPTY, store.load(), "no file yet: nothing, and no complaint");
        store.save(sample("home", T));
        RememberedRankings back = FileRankingStore.at(dir.resolve("rankings.json")).load();
        RememberedServer ams = back.networks().get("home").servers().get("ams.example:993");
        assertEquals(29_000, ams.medianMicros());
        assertEquals(1_200, ams.jitterMicros());
        assertEquals(0.25, ams.loss());
        assertEquals(4, ams.samples());
        assertEquals(T, ams.whenMillis());
        assertFalse(back.networks().get("home").servers().get("hkg.example:993").answered());
        assertEquals(T - 5, back.networks().get("home").lastFullProbeMillis());
        assertEquals(T, back.lastContactMillis().get("ams.example:993"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("rankings.json.lock"))));
        assertFalse(Files.exists(dir.resolve("rankings.json.tmp")), "written through a temporary file, moved over");
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void aCorruptTruncatedForeignOrUnreadableFileIsIgnoredWithOneLineAndRewritten() throws IOException {
        Path file = dir.resolve("rankings.json");
        FileRankingStore store = FileRankingStore.at(file);
        store.save(sample("home", T));
        String good = Files.readString(file);
        List<byte[]> bad = List.of(new byte[] {0, (byte) 0xff, 0x7f, '{'}, good.substring(0, good.length() / 2).getBytes(StandardCharsets.UTF_8),
                good.replace("\"version\":1", "\"version\":2").getBytes(StandardCharsets.UTF_8),
                "{\"format\":\"something-else\",\"version\":1}".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8),
                good.replace("\"loss\":0.25", "\"loss\":7").getBytes(StandardCharsets.UTF_8),
                good.replace("29000", "\"29000\"").getBytes(StandardCharsets.UTF_8), new byte[0]);
        for (byte[] content : bad) {
            Files.write(file, content);
            logged.clear();
            assertTrue(store.load().networks().isEmpty(), new String(content, StandardCharsets.UTF_8));
            assertEquals(1, logged.size(), logged.toString());
            assertTrue(logged.get(0).contains(file.toString()) && logged.get(0).contains("ignored"), logged.get(0));
            assertFalse(logged.get(0).contains("\n") || logged.get(0).contains("REDACTED"), "one line, no parser noise: "
                    + logged.get(0));
            store.save(sample("office", T));
            assertEquals(List.of("office"), new ArrayList<>(store.load().networks().keySet()), "rewritten whole");
        }
        Path directory = dir.resolve("a-directory.json");
        Files.createDirectory(directory);
        FileRankingStore unreadable = FileRankingStore.at(directory);
        logged.clear();
        assertTrue(unreadable.load().networks().isEmpty());
        unreadable.save(sample("home", T)); // cannot be written either: one line, no exception
        assertEquals(2, logged.size(), logged.toString());
        for (String line : logged) {
            assertFalse(line.contains("\n"), line);
        }
    }

    @Test
    void aFileOverTheSizeLimitIsNotRead() throws IOException {
        Path file = dir.resolve("rankings.json");
        Files.write(file, new byte[(int) FileRankingStore.MAX_BYTES + 1]);
        assertTrue(FileRankingStore.at(file).load().networks().isEmpty());
        assertTrue(logged.get(0).contains("over"), logged.toString());
    }

    @Test
    void twoStoresOfOneFileInThisProcessKeepEachOthersUpdates() throws Exception {
        Path file = dir.resolve("rankings.json");
        List<Thread> threads = new ArrayList<>();
        for (String prefix : List.of("a", "b")) {
            Thread t = new Thread(() -> {
                FileRankingStore store = FileRankingStore.at(file);
                for (int i = 0; i < 30; i++) {
                    store.save(sample(prefix + i, T + i));
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(60, FileRankingStore.at(file).load().networks().size());
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void anotherProcessWritingTheSameFileLosesNothingAndNeitherDoWe() throws Exception {
        Path file = dir.resolve("rankings.json");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SaveMain.class.getName(), file.toString(), "theirs", "40")
                .redirectErrorStream(true).start();
        FileRankingStore mine = FileRankingStore.at(file);
        for (int i = 0; i < 40; i++) {
            mine.save(sample("mine" + i, System.currentTimeMillis()));
        }
        assertTrue(other.waitFor(60, TimeUnit.SECONDS));
        String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, other.exitValue(), output);
        Map<String, RememberedNetwork> all = mine.load().networks();
        for (int i = 0; i < 40; i++) {
            assertTrue(all.containsKey("mine" + i) && all.containsKey("theirs" + i), "network " + i + " of " + all.keySet());
        }
    }

    @Test
    void forgettingReachesWhatAnotherProcessWroteBefore() {
        Path file = dir.resolve("rankings.json");
        FileRankingStore.at(file).save(sample("home", T));
        FileRankingStore.at(file).save(new RememberedRankings(Map.of(), Map.of(), T + 1)); // the user forgot, elsewhere
        RememberedRankings after = FileRankingStore.at(file).load();
        assertTrue(after.networks().isEmpty() && after.lastContactMillis().isEmpty(), after.toString());
        FileRankingStore.at(file).save(sample("home", T)); // a process that had not heard of it saves its old figures
        assertTrue(FileRankingStore.at(file).load().networks().isEmpty(), "what was forgotten does not come back");
    }
}
