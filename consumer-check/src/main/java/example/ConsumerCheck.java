package example;

import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.Probers;
import io.rttpick.selector.RankedEndpoint;
import io.rttpick.selector.RttSelector;
import io.rttpick.selector.Selection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Picks between two listeners on loopback with nothing but the BOM, the selector and the connect prober. */
public final class ConsumerCheck {
    public static void main(String[] args) throws Exception {
        try (ServerSocket a = new ServerSocket(); ServerSocket b = new ServerSocket()) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            List<String> fleet = List.of("127.0.0.1:" + a.getLocalPort(), "127.0.0.1:" + b.getLocalPort());
            try (Prober prober = Probers.load().open(Optional.empty())) {
                Selection s = RttSelector.create()
                        .pick(prober, fleet, ProbeOptions.builder().timeout(Duration.ofSeconds(2)).build())
                        .block(Duration.ofSeconds(10));
                String chosen = s.chosen().map(RankedEndpoint::address).orElse("nothing");
                System.out.println("consumer check: prober " + prober.name() + ", chose " + chosen + " of " + fleet);
                if (!fleet.contains(chosen)) {
                    System.exit(1);
                }
            }
        }
    }
}
