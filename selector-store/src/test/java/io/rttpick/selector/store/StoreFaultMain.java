package io.rttpick.selector.store;

import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.NetworkId;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import reactor.core.scheduler.Schedulers;

/**
 * A fault under the rankings file, in a process of its own (a mount namespace or dropped
 * capabilities are the caller's): {@code StoreFaultMain MODE DIR}. It prints "check ..." lines,
 * "log: ..." for each line the store logged, and ends 0 only if every check held.
 * <ul>
 *   <li>{@code prepare}: a selector learns network "home" and saves it at close.</li>
 *   <li>{@code full}: DIR is a small tmpfs: it fills the disk, then learns another network, saves again and again.</li>
 *   <li>{@code readonly}, {@code noaccess}: DIR cannot be written (a read-only mount; no permission, DAC capabilities dropped).</li>
 * </ul>
 */
public final class StoreFaultMain {
    private static final List<String> LOGGED = new StoreLog().start().lines;
    private static int failures;

    private StoreFaultMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        Path file = dir.resolve("rankings.json");
        switch (mode) {
            case "prepare":
                try (FleetSelector s = selector(file)) {
                    check("a new network is probed", "PROBED".equals(s.networkChanged(NetworkId.of("home")).block().reason().name()));
                    Thread.sleep(400);
                }
                check("saved", FileRankingStore.at(file).load().networks().containsKey("home"));
                break;
            case "full":
                try (FleetSelector s = selector(file)) {
                    check("the first network is probed", "PROBED".equals(s.networkChanged(NetworkId.of("home")).block().reason().name()));
                    Thread.sleep(400);
                }
                fill(dir);
                faultyDiskKeepsAnswering(file);
                check("no temporary file left on the full disk", !Files.exists(dir.resolve("rankings.json.tmp")));
                Files.delete(dir.resolve("filler"));
                FileRankingStore.at(file).save(FileRankingStore.at(file).load());
                check("the disk freed, a save works again", FileRankingStore.at(file).load().networks().containsKey("home"));
                break;
            case "readonly":
            case "noaccess":
                faultyDiskKeepsAnswering(file);
                break;
            default:
                throw new IllegalArgumentException(mode);
        }
        for (String line : LOGGED) {
            System.out.println("log: " + line);
        }
        System.out.println(failures == 0 ? "all checks held" : failures + " checks failed");
        System.exit(failures == 0 ? 0 : 1);
    }

    /**
     * The store can write nothing: the selector answers from what it loaded and what it learns,
     * nothing is thrown, and the fault is said once however often it saves.
     */
    private static void faultyDiskKeepsAnswering(Path file) throws InterruptedException {
        boolean readable = Files.isReadable(file);
        try (FleetSelector s = selector(file)) {
            FleetChoice home = s.networkChanged(NetworkId.of("home")).block();
            if (readable) {
                check("a network on the disk is answered from it: " + home.reason(), "REMEMBERED".equals(home.reason().name()));
            }
            check("a new network is probed", "PROBED".equals(s.networkChanged(NetworkId.of("cafe")).block().reason().name()));
            Thread.sleep(400);
            check("home from memory", "REMEMBERED".equals(s.networkChanged(NetworkId.of("home")).block().reason().name()));
            check("cafe from memory, though never on the disk",
                    "REMEMBERED".equals(s.networkChanged(NetworkId.of("cafe")).block().reason().name()));
        }
        int before = LOGGED.size();
        FileRankingStore store = FileRankingStore.at(file);
        for (int i = 0; i < 10; i++) {
            store.save(store.load());
        }
        check("ten more saves said nothing more (" + (LOGGED.size() - before) + " lines)", LOGGED.size() - before <= 2);
        check("at most two lines said what happened (" + LOGGED.size() + ")", LOGGED.size() >= 1 && LOGGED.size() <= 3);
        if (readable) {
            check("the file on the disk is whole and as it was", store.load().networks().containsKey("home"));
        }
    }

    private static FleetSelector selector(Path file) {
        ScriptedProber prober = new ScriptedProber(Schedulers.parallel()).set("a.example:993", 20).set("b.example:993", 150);
        return FleetSelector.builder(prober, List.of("a.example:993", "b.example:993")).remember(FileRankingStore.at(file))
                .storeScheduler(Schedulers.boundedElastic(), Duration.ofMillis(50)).build();
    }

    /** Writes until the disk says it is full. */
    private static void fill(Path dir) throws IOException {
        byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
            for (int i = 0; i < 1 << 20; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            System.out.println("check ok: the disk is full (" + full.getMessage() + ")");
        }
    }

    private static void check(String what, boolean held) {
        System.out.println("check " + (held ? "ok" : "FAILED") + ": " + what);
        if (!held) {
            failures++;
        }
    }
}
