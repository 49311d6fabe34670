package io.rttpick.selector.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.FleetNamespace;
import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.NetworkId;
import io.rttpick.selector.RememberedRankings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/**
 * The rankings file under a disk that fails (issue 38): full, read-only, no permission, the file
 * turned into a directory or deleted while in use, and writers killed with SIGKILL mid-save. After
 * each, the file is absent or a whole, parseable version no older than the one before the last
 * save began; the selector answers from its memory; one line says what happened, not one per save.
 * Mount namespaces and dropped capabilities need root: without it these skip, under CI=true they fail.
 */
class StoreFaultsTest {
    /** Kills that land mid-save (a temporary file present) per run; -Drttpick.storeKills=300 for more. */
    private static final int KILLS = Integer.getInteger("rttpick.storeKills", 30);

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

    @Test
    void aFullDiskLosesNothingOnItSaysSoOnceAndTheSelectorAnswersFromMemory() throws Exception {
        requireRoot();
        String out = child(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o size=64k rttpick-full \"$0\" && exec \"$@\"", dir.toString()), "full", dir);
        System.out.println("full disk:\n" + out);
    }

    @Test
    void aReadOnlyDirectoryIsReadWithoutItsLockAndSaidOnce() throws Exception {
        requireRoot();
        child(List.of(), "prepare", dir);
        String out = child(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"", dir.toString()), "readonly", dir);
        System.out.println("read-only directory:\n" + out);
        assertTrue(FileRankingStore.at(dir.resolve("rankings.json")).load().networks().containsKey("home"), "the file as it was");
    }

    @Test
    void permissionsRemovedAreSaidOnceAndTheSelectorAnswersFromMemory() throws Exception {
        requireRoot();
        child(List.of(), "prepare", dir);
        Path file = dir.resolve("rankings.json");
        try {
            run("chmod", "000", file.toString());
            run("chmod", "500", dir.toString());
            // root ignores mode bits: the writer runs without the capabilities that let it
            String out = child(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search"), "noaccess", dir);
            System.out.println("permissions removed:\n" + out);
        } finally {
            run("chmod", "700", dir.toString());
            run("chmod", "600", file.toString());
        }
        assertTrue(FileRankingStore.at(file).load().networks().containsKey("home"), "the file as it was");
    }

    @Test
    void theFileTurnedIntoADirectoryThrowsNothingIsSaidOnceAndAnswersContinueFromMemory() throws Exception {
        Path file = dir.resolve("rankings.json");
        try (FleetSelector s = selector(file)) {
            assertEquals("PROBED", s.networkChanged(NetworkId.of("home")).block().reason().name());
            awaitSaved(file, "home");
            Files.delete(file);
            Files.createDirectory(file);
            logged.clear();
            assertEquals("PROBED", s.networkChanged(NetworkId.of("cafe")).block().reason().name());
            Thread.sleep(500); // saves every 50 ms: all fail
            assertEquals("REMEMBERED", s.networkChanged(NetworkId.of("home")).block().reason().name());
            assertEquals("REMEMBERED", s.networkChanged(NetworkId.of("cafe")).block().reason().name());
            Thread.sleep(300);
        }
        assertEquals(1, logged.size(), "one line for many saves: " + logged);
        assertTrue(logged.get(0).contains("could not be written") && logged.get(0).contains(file.toString()), logged.get(0));
        assertFalse(Files.exists(dir.resolve("rankings.json.tmp")), "a temporary file was left");
    }

    @Test
    void theFileDeletedWhileInUseIsWrittenWholeAgainAtTheNextSave() throws Exception {
        Path file = dir.resolve("rankings.json");
        try (FleetSelector s = selector(file)) {
            s.networkChanged(NetworkId.of("home")).block();
            awaitSaved(file, "home");
            Files.delete(file);
            assertEquals("PROBED", s.networkChanged(NetworkId.of("cafe")).block().reason().name());
            Thread.sleep(400); // cafe's probe ends and is remembered
            assertEquals("REMEMBERED", s.networkChanged(NetworkId.of("home")).block().reason().name(), "from memory");
            awaitSaved(file, "cafe");
        }
        RememberedRankings back = FileRankingStore.at(file).load();
        assertTrue(back.networks().keySet().containsAll(List.of("home", "cafe")), "what memory held is on disk again: "
                + back.networks().keySet());
        assertTrue(logged.isEmpty(), logged.toString());
    }

    /** One writer killed with SIGKILL at random moments of its save loop, counted when a temporary file was there. */
    @Test
    void aWriterKilledMidSaveLeavesAWholeFileNoOlderThanItsLastFinishedSave() throws Exception {
        Path file = Files.createDirectories(Path.of("target", "store-kills")).resolve("one-" + System.nanoTime() + ".json");
        Killer killer = new Killer(file, new SplittableRandom(11));
        int landed = 0;
        int tries = 0;
        while (landed < KILLS && tries < KILLS * 10) {
            tries++;
            landed += killer.round("solo") ? 1 : 0;
        }
        System.out.printf("SIGKILL mid-save: %d kills landed in %d tries, the file whole after each, version %d%n", landed, tries,
                SaveLoopMain.version(FileRankingStore.at(file).load(), "solo"));
        assertTrue(landed >= KILLS, "only " + landed + " kills landed mid-save in " + tries + " tries");
        assertTrue(logged.isEmpty(), "the file never read as broken: " + logged);
    }

    /** Two writers of one file, each killed at random: each keeps at least its last finished save. */
    @Test
    void twoWritersKilledAmongThemLoseNothingButWhatTheKilledOneHadNotWritten() throws Exception {
        Path file = Files.createDirectories(Path.of("target", "store-kills")).resolve("two-" + System.nanoTime() + ".json");
        Killer a = new Killer(file, new SplittableRandom(12));
        Killer b = new Killer(file, new SplittableRandom(13));
        int landed = 0;
        for (int round = 0; round < KILLS; round++) {
            Process other = b.start("b");
            landed += a.round("a") ? 1 : 0;
            b.stop(other, "b");
        }
        RememberedRankings end = FileRankingStore.at(file).load();
        System.out.printf("two writers, %d kills of one landed mid-save: a at %d (last finished %d), b at %d (last finished %d)%n",
                landed, SaveLoopMain.version(end, "a"), a.lastDone.get(), SaveLoopMain.version(end, "b"), b.lastDone.get());
        assertTrue(SaveLoopMain.version(end, "a") >= a.lastDone.get(), "a lost a finished save");
        assertTrue(SaveLoopMain.version(end, "b") >= b.lastDone.get(), "b lost a finished save");
        assertTrue(logged.isEmpty(), "the file never read as broken: " + logged);
    }

    /** Starts a save loop, kills it at a random moment mid-save, and checks the file. */
    private static final class Killer {
        final Path file;
        final SplittableRandom random;
        final AtomicLong lastDone = new AtomicLong();
        /** Saves the process running now has finished. */
        final java.util.concurrent.atomic.AtomicInteger doneHere = new java.util.concurrent.atomic.AtomicInteger();

        Killer(Path file, SplittableRandom random) {
            this.file = file;
            this.random = random;
        }

        Process start(String name) throws IOException {
            doneHere.set(0);
            Process p = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), SaveLoopMain.class.getName(),
                    file.toString(), name).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> read(p), "save-loop-reader");
            reader.setDaemon(true);
            reader.start();
            return p;
        }

        private void read(Process p) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("done ")) {
                        long v = Long.parseLong(line.substring(5));
                        lastDone.accumulateAndGet(v, Math::max);
                        doneHere.incrementAndGet();
                    }
                }
            } catch (IOException | NumberFormatException ended) {
                // killed
            }
        }

        /** One process: after a random number of finished saves (0 to 5), killed when a temporary file is there; whether mid-save. */
        boolean round(String name) throws Exception {
            Process p = start(name);
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            int after = random.nextInt(6);
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            boolean seen = false;
            while (System.nanoTime() < giveUp && p.isAlive()) {
                if (doneHere.get() >= after && Files.exists(temp)) {
                    seen = true;
                    break;
                }
                Thread.onSpinWait();
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor(10, TimeUnit.SECONDS);
            boolean midSave = seen && Files.exists(temp);
            check(name);
            return midSave;
        }

        void stop(Process p, String name) throws Exception {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            check(name);
        }

        /** The file now: absent, or whole with this writer's last finished save (or a newer one). */
        void check(String name) throws IOException {
            if (!Files.exists(file)) {
                assertEquals(0, lastDone.get(), "the file is gone after a finished save");
                return;
            }
            RememberedRankings now = FileRankingStore.at(file).load();
            assertTrue(SaveLoopMain.version(now, name) >= lastDone.get(), name + ": the file holds version "
                    + SaveLoopMain.version(now, name) + ", older than the last finished save " + lastDone.get());
        }
    }

    private FleetSelector selector(Path file) {
        ScriptedProber prober = new ScriptedProber(Schedulers.parallel()).set("a.example:993", 20).set("b.example:993", 150);
        return FleetSelector.builder(prober, List.of("a.example:993", "b.example:993")).remember(FileRankingStore.at(file))
                .storeScheduler(Schedulers.boundedElastic(), Duration.ofMillis(50)).build();
    }

    private static void awaitSaved(Path file, String network) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (Files.isRegularFile(file) && FileRankingStore.at(file).load().networks().containsKey(network)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(network + " was never saved to " + file);
    }

    /** Runs StoreFaultMain MODE DIR after {@code prefix} (a namespace, dropped capabilities); its checks must all hold. */
    private static String child(List<String> prefix, String mode, Path dir) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java(), "-cp", System.getProperty("java.class.path"), StoreFaultMain.class.getName(), mode,
                dir.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not end");
        List<String> failed = out.lines().filter(l -> l.startsWith("check FAILED")).collect(Collectors.toList());
        assertTrue(failed.isEmpty() && p.exitValue() == 0 && out.contains("all checks held"), mode + ":\n" + out);
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void requireRoot() throws Exception {
        String uid = run("id", "-u").trim();
        if (!"0".equals(uid)) {
            FleetNamespace.skipOrFail("needs root (a mount namespace of its own; capabilities to drop), this is uid " + uid);
        }
        for (String tool : List.of("unshare", "setpriv")) {
            if (run("sh", "-c", "command -v " + tool).isBlank()) {
                FleetNamespace.skipOrFail("needs " + tool + " (util-linux)");
            }
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

}
