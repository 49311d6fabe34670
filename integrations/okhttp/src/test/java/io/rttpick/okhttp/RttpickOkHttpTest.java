package io.rttpick.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.ScriptedProber;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Real OkHttp clients against real MockWebServers on loopback; the probes are scripted in virtual
 * time (Amsterdam 29 ms, Iowa 127, Hong Kong 279), the connections are real.
 */
class RttpickOkHttpTest {
    private static final String HOST = "fleet.test";

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ScriptedProber prober = new ScriptedProber(time);
    private NamedServers servers;
    private RttpickOkHttp rttpick;

    @AfterEach
    void close() {
        if (rttpick != null) {
            rttpick.close();
        }
        if (servers != null) {
            servers.close();
        }
        time.dispose();
    }

    @Test
    void aClientsFirstConnectionGoesToTheFastestAddress() throws Exception {
        OkHttpClient client = seedFleet("127.0.0.2", "127.0.0.3", "127.0.0.4", new OkHttpClient.Builder());
        assertEquals("amsterdam", firstAnswer(client));
        rankingComplete();
        assertEquals(List.of("127.0.0.4", "127.0.0.3", "127.0.0.2"), lookup(client), "Amsterdam, Iowa, Hong Kong");
        assertEquals(1, prober.calls(), "the second lookup reuses the ranking");
    }

    @Test
    void aMixedListPutsTheFastestFirstWhateverItsFamily() throws Exception {
        // Amsterdam on ::1: first in the order, and first in OkHttp's fast fallback, which starts with IPv6
        OkHttpClient client = seedFleet("127.0.0.2", "127.0.0.3", "::1", new OkHttpClient.Builder());
        assertEquals("amsterdam", firstAnswer(client));
        rankingComplete();
        assertEquals(List.of("0:0:0:0:0:0:0:1", "127.0.0.3", "127.0.0.2"), lookup(client));
    }

    @Test
    void withFastFallbackOffTheOrderIsFollowedAcrossFamilies() throws Exception {
        // Amsterdam on IPv4 beside an IPv6 Iowa: fast fallback would try ::1 first; without it the order holds
        OkHttpClient client = seedFleet("127.0.0.2", "::1", "127.0.0.4", new OkHttpClient.Builder().fastFallback(false));
        assertEquals("amsterdam", firstAnswer(client));
        rankingComplete();
        assertEquals(List.of("127.0.0.4", "0:0:0:0:0:0:0:1", "127.0.0.2"), lookup(client));
    }

    @Test
    void theListenersHandshakeTimesReachTheSelectorAndTheAppsOwnListenerStillHearsAll() throws Exception {
        List<String> appEvents = new ArrayList<>();
        OkHttpClient.Builder app = new OkHttpClient.Builder().eventListener(new okhttp3.EventListener() {
            @Override
            public void connectStart(okhttp3.Call call, InetSocketAddress address, Proxy proxy) {
                appEvents.add("connectStart " + address.getAddress().getHostAddress());
            }
        });
        OkHttpClient client = seedFleet("127.0.0.2", "127.0.0.3", "127.0.0.4", app);
        assertEquals("amsterdam", firstAnswer(client));
        assertEquals(List.of("connectStart 127.0.0.4"), appEvents);
        assertEquals(1, rttpick.handshakesReported(HOST));
    }

    @Test
    void aConnectThatFailsCoolsItsServerOffAndTheNextRouteServes() throws Exception {
        OkHttpClient client = seedFleet("127.0.0.2", "127.0.0.3", "127.0.0.4", new OkHttpClient.Builder());
        servers.close(); // every one stopped ...
        servers = new NamedServers(servers.port);
        servers.start("hongkong", "127.0.0.2"); // ... and all but Amsterdam back
        servers.start("iowa", "127.0.0.3");
        // the first lookup came at the early decision: Iowa and Hong Kong, still being measured, in a random order
        String answer = firstAnswer(client);
        assertTrue(answer.equals("iowa") || answer.equals("hongkong"), "Amsterdam refused: OkHttp took the next address; " + answer);
        rankingComplete();
        assertEquals(List.of("127.0.0.3", "127.0.0.2", "127.0.0.4"), lookup(client), "Iowa, Hong Kong; Amsterdam cools off: last");
    }

    @Test
    void throughAProxyTheResolversOrderStandsAndNothingIsProbed() throws Exception {
        OkHttpClient client = seedFleet("127.0.0.2", "127.0.0.3", "127.0.0.4",
                new OkHttpClient.Builder().proxy(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.test", 3128))));
        assertEquals(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), lookup(client));
        assertEquals(0, prober.calls());
        assertEquals(0, rttpick.hosts());
    }

    @Test
    void aHostWithOneAddressIsNotProbed() throws Exception {
        rttpick = RttpickOkHttp.builder(prober).selector(b -> b.clock(() -> time)).build();
        InetAddress only = InetAddress.getByName("127.0.0.2");
        OkHttpClient client = rttpick.install(new OkHttpClient.Builder().dns(host -> List.of(only)).build());
        assertEquals(List.of(only), client.dns().lookup("one.test"));
        assertEquals(0, prober.calls());
        assertEquals(0, rttpick.hosts());
    }

    @Test
    void hostSelectorsAreBoundedTheLeastRecentlyUsedClosed() throws Exception {
        rttpick = RttpickOkHttp.builder(prober).maxHosts(2).selector(b -> b.clock(() -> time)).probeTimeout(Duration.ofMillis(50))
                .build();
        Dns twoEach = host -> Arrays.asList(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
        OkHttpClient client = rttpick.install(new OkHttpClient.Builder().dns(twoEach).build());
        for (String host : List.of("a.test", "b.test", "c.test")) {
            during(() -> client.dns().lookup(host));
        }
        assertEquals(2, rttpick.hosts());
    }

    @Test
    void amongMirrorsTheFastestHostsUrlIsChosenAndAFailedOneIsLeft() throws Exception {
        rttpick = RttpickOkHttp.builder(prober).random(new SplittableRandom(7)::nextInt).selector(b -> b.clock(() -> time)).build();
        HttpUrl hk = HttpUrl.get("https://hk.mirror.test/api");
        HttpUrl ams = HttpUrl.get("https://ams.mirror.test/api");
        HttpUrl iowa = HttpUrl.get("https://iowa.mirror.test/api");
        prober.set("hk.mirror.test:443", 279).set("ams.mirror.test:443", 29).set("iowa.mirror.test:443", 127);
        List<HttpUrl> mirrors = List.of(hk, ams, iowa);
        assertEquals(ams, during(() -> rttpick.choose(mirrors)));
        rankingComplete();
        rttpick.mirrorFailed(mirrors, ams);
        assertEquals(iowa, during(() -> rttpick.choose(mirrors)));
        assertThrows(IllegalArgumentException.class, () -> rttpick.choose(List.of()));
    }

    /** The probe's slower answers arrive (an early decision leaves them out): the ranking complete. */
    private void rankingComplete() {
        time.advanceTimeBy(Duration.ofSeconds(1));
    }

    /** Hong Kong, Iowa, Amsterdam on these addresses (resolver order), scripted 279, 127, 29 ms; the client installed. */
    private OkHttpClient seedFleet(String hk, String iowa, String ams, OkHttpClient.Builder app) throws IOException {
        servers = new NamedServers();
        servers.start("hongkong", hk);
        servers.start("iowa", iowa);
        servers.start("amsterdam", ams);
        List<InetAddress> resolved = Arrays.asList(InetAddress.getByName(hk), InetAddress.getByName(iowa), InetAddress.getByName(ams));
        Map<String, Long> rtt = Map.of(hk, 279L, iowa, 127L, ams, 29L);
        for (InetAddress a : resolved) {
            String literal = a.getHostAddress().contains(":") ? "[" + io.rttpick.prober.SocketAddresses.format(a) + "]" : a.getHostAddress();
            prober.set(literal + ":" + servers.port, rtt.get(a.getHostAddress().contains(":") ? "::1" : a.getHostAddress()));
        }
        rttpick = RttpickOkHttp.builder(prober).port(servers.port).random(new SplittableRandom(7)::nextInt)
                .selector(b -> b.clock(() -> time)).build();
        Dns fake = host -> {
            if (!HOST.equals(host)) {
                throw new UnknownHostException(host + " (only " + HOST + " resolves in this test)");
            }
            return resolved;
        };
        return rttpick.install(app.dns(fake).build());
    }

    /** The first request: its lookup waits for the probe, whose virtual time the test moves on. */
    private String firstAnswer(OkHttpClient client) throws Exception {
        return during(() -> {
            try (Response r = client.newCall(new Request.Builder().url("http://" + HOST + ":" + servers.port + "/").build()).execute()) {
                return r.body().string();
            }
        });
    }

    private List<String> lookup(OkHttpClient client) throws Exception {
        return during(() -> client.dns().lookup(HOST)).stream().map(InetAddress::getHostAddress).collect(Collectors.toList());
    }

    private <T> T during(Callable<T> work) throws Exception {
        return VirtualCalls.during(prober, time, work);
    }
}
