package io.rttpick.serve;

import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/** What the service tests share: loopback servers, the prober in use here (watched), a service on a free port. */
abstract class ServeTestCase {
    final LoopbackFleet servers = new LoopbackFleet();
    final Prober prober = Probers.load().open(Optional.empty());
    final WatchedProber watched = new WatchedProber(prober);
    RttpickService service;

    /** Starts the service on 127.0.0.1 and a free port over the watched prober; returns the port. */
    int start(ServeSettings settings) throws Exception {
        service = RttpickService.start(settings.listen(new InetSocketAddress("127.0.0.1", 0)), watched);
        return service.port();
    }

    /** Stops the service, so that a test can start another. */
    void stop() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    @AfterEach
    void closeAll() {
        stop();
        prober.close();
        servers.close();
    }
}
