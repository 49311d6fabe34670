package io.rttpick.selector.store;

import io.rttpick.prober.testing.ScriptedProber;
import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import io.rttpick.selector.NetworkId;
import java.nio.file.Path;
import java.util.List;
import reactor.core.scheduler.Schedulers;

/**
 * An app's main as the docs show it: {@code RememberMain FILE} names its network, prints the
 * choice's reason, source and server, closes the selector and returns at once: the JVM ends with
 * nothing but daemon threads left, so only what {@code close()} saved is kept.
 */
public final class RememberMain {
    private RememberMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // far apart: a alone in the fastest group, so that both JVMs' choice is a, not a draw among equals
        ScriptedProber prober = new ScriptedProber(Schedulers.parallel()).set("a.example:993", 20).set("b.example:993", 150);
        FleetSelector servers = FleetSelector.builder(prober, List.of("b.example:993", "a.example:993"))
                .remember(FileRankingStore.at(Path.of(args[0])))
                .build();
        FleetChoice c = servers.networkChanged(NetworkId.of("home")).block();
        System.out.println(c.reason() + " " + c.source() + " " + c.server().orElse("-"));
        Thread.sleep(400); // the probe's last answers: the ranking complete and remembered, its save 2 s away
        servers.close();
    }
}
