package io.rttpick.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * OkHttp 5's contracts kept (issue 37): nothing thrown after close, the request's port probed and
 * the delegate's own call used, rotating answers keeping rankings, IPv6 left out where fast
 * fallback would try it first, connects counted for the redirect's host, no long waits, pooled
 * connections shared. Real clients and real MockWebServers on loopback; probes scripted in
 * virtual time.
 */
class OkHttpContractsTest {
    private static final String HOST = "fleet.test";
    private static final String AMS = "127.0.0.4";
    private static final String IOWA = "127.0.0.3";
    private static final String HK = "127.0.0.2";

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final ScriptedProber prober = new ScriptedProber(time);
    private final AtomicLong ticker = new AtomicLong();
    private final NamedServers servers;
    private RttpickOkHttp rttpick;

    OkHttpContractsTest() throws IOException {
        servers = new NamedServers();
    }

    @AfterEach
    void close() {
        if (rttpick != null) {
            rttpick.close();
        }
        servers.close();
        time.dispose();
    }

    // 1. it never throws what the delegate would not

    @Test
    void afterCloseTheClientKeepsWorkingUnorderedPooledAndNewConnectionsAlike() throws Exception {
        OkHttpClient client = seedFleet(b -> b, new OkHttpClient.Builder());
        assertEquals("amsterdam", during(() -> get(client, "/")));
        rttpick.close();
        assertEquals("amsterdam", get(client, "/"), "the pooled connection");
        client.connectionPool().evictAll();
        assertEquals("hongkong", get(client, "/"), "a new connection: the resolver's order, nothing thrown");
        CompletableFuture<String> async = new CompletableFuture<>();
        client.newCall(request("/")).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                async.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                    async.complete(response.body().string());
                }
            }
        });
        assertEquals("hongkong", async.get(10, TimeUnit.SECONDS), "enqueue: an answer on the dispatcher, no exception");
        assertEquals(List.of(HK, IOWA, AMS), addresses(client.dns().lookup(HOST)));
    }

    // 2. the request's port, the delegate's own call

    @Test
    void aNonDefaultPortIsProbedOnThatPortAndTheAddressWithoutAListenerGoesLast() throws Exception {
        // no builder port: OkHttp 5.5 says the URL's; before, 443 was probed and nothing answered there
        rttpick = RttpickOkHttp.builder(prober).random(new SplittableRandom(7)::nextInt).selector(b -> b.clock(() -> time)).build();
        servers.start("hongkong", HK);
        servers.start("iowa", IOWA); // and nothing on Amsterdam's address at this port
        prober.set(HK + ":" + servers.port, 29).set(IOWA + ":" + servers.port, 127);
        List<InetAddress> resolved = inet(AMS, IOWA, HK);
        OkHttpClient client = rttpick.install(new OkHttpClient.Builder().dns(fixed(resolved)).build());
        assertEquals("hongkong", during(() -> get(client, "/")), "the fastest on port " + servers.port);
        rankingComplete();
        assertEquals(List.of(HK, IOWA, AMS), addresses(collect(client.dns().newCall(new Dns.Request(HOST, servers.port)))));
        assertTrue(rttpick.fleetServers(HOST, servers.port).contains(HK + ":" + servers.port));
        assertTrue(rttpick.fleetServers(HOST, 443).isEmpty(), "nothing probed on 443");
        assertEquals(1, rttpick.handshakesReported(HOST, servers.port));
    }

    @Test
    void plainHttpOnItsDefaultPortIsProbedOn80Not443() throws Exception {
        rttpick = RttpickOkHttp.builder(prober).selector(b -> b.clock(() -> time)).probeTimeout(Duration.ofMillis(100)).build();
        OkHttpClient client = rttpick.install(new OkHttpClient.Builder().dns(fixed(inet(HK, IOWA))).build());
        during(() -> {
            try (Response r = client.newCall(new Request.Builder().url("http://" + HOST + "/").build()).execute()) {
                return "answered";
            } catch (IOException nothingListensOn80) {
                return "refused";
            }
        });
        assertEquals(List.of(HK + ":80", IOWA + ":80"), rttpick.fleetServers(HOST, 80));
        assertTrue(rttpick.fleetServers(HOST, 443).isEmpty(), "OkHttp's Dns.Request says 443 for http's default port");
    }

    @Test
    void theDelegatesOwnCallIsUsedItsOtherRecordsPassedThrough() throws Exception {
        rttpick = RttpickOkHttp.builder(prober).random(new SplittableRandom(7)::nextInt).selector(b -> b.clock(() -> time)).build();
        startSeedServers();
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Dns.Record metadata = new Dns.Record.ServiceMetadata(HOST, List.of(Protocol.HTTP_1_1), servers.port, List.of(), null);
        Dns doh = new Dns() {
            @Override
            public List<InetAddress> lookup(String hostname) throws UnknownHostException {
                lookups.incrementAndGet();
                throw new UnknownHostException("this resolver answers through newCall only");
            }

            @Override
            public Dns.Call newCall(Dns.Request request) {
                calls.incrementAndGet();
                return new Records(request, List.of(List.of(ip(HK)), List.of(metadata, ip(IOWA), ip(AMS))));
            }
        };
        Dns dns = rttpick.dns(doh);
        List<Dns.Record> records = during(() -> collect(dns.newCall(new Dns.Request(HOST, servers.port))));
        rankingComplete();
        assertEquals(metadata, records.get(0), "the service metadata passed through");
        assertEquals(4, records.size(), "two batches, one answer");
        assertEquals(ip(AMS), records.get(1), "the early decision's choice first");
        List<Dns.Record> later = collect(dns.newCall(new Dns.Request(HOST, servers.port)));
        assertEquals(List.of(metadata, ip(AMS), ip(IOWA), ip(HK)), later, "the ranking complete: the fleet's order");
        OkHttpClient client = new OkHttpClient.Builder().dns(dns).eventListenerFactory(rttpick.eventListenerFactory(c -> EventListener.NONE))
                .build();
        assertEquals("amsterdam", get(client, "/"));
        assertEquals(0, lookups.get(), "lookup bypassed nothing: the delegate's newCall answered");
        assertEquals(3, calls.get());
    }

    // 3. rotating answers

    @Test
    void rotatingAnswersKeepRankingsAndCoolOffsAndOnlyTheCurrentAnswerIsHandedBack() throws Exception {
        AtomicReference<List<InetAddress>> answer = new AtomicReference<>(inet(HK, IOWA));
        OkHttpClient client = seedFleet(b -> b.port(servers.port), new OkHttpClient.Builder().dns(host -> answer.get()));
        during(() -> client.dns().lookup(HOST));
        rankingComplete();
        answer.set(inet(IOWA, AMS));
        assertEquals(List.of(IOWA, AMS), sorted(addresses(client.dns().lookup(HOST))), "only the current answer");
        rttpick.selectorOf(HOST, servers.port).reportFailure(IOWA + ":" + servers.port);
        answer.set(inet(HK, AMS));
        client.dns().lookup(HOST);
        answer.set(inet(IOWA, HK, AMS));
        List<String> order = addresses(client.dns().lookup(HOST));
        assertEquals(IOWA, order.get(2), "Iowa left two answers and came back: still cooling off, last; " + order);
        assertEquals(List.of(HK, IOWA, AMS).size(), rttpick.fleetServers(HOST, servers.port).size(), "the union of recent answers");
        assertEquals(1, prober.calls(), "no probe for answers that rotate");
        ticker.addAndGet(TimeUnit.MINUTES.toNanos(9));
        answer.set(inet(HK, AMS));
        client.dns().lookup(HOST);
        assertTrue(rttpick.fleetServers(HOST, servers.port).contains(IOWA + ":" + servers.port), "absent 9 minutes: kept");
        ticker.addAndGet(TimeUnit.MINUTES.toNanos(2));
        client.dns().lookup(HOST);
        assertEquals(List.of(HK + ":" + servers.port, AMS + ":" + servers.port).size(), rttpick.fleetServers(HOST, servers.port).size());
        assertFalse(rttpick.fleetServers(HOST, servers.port).contains(IOWA + ":" + servers.port), "absent 11 minutes: gone");
    }

    // 4. fast fallback and an IPv4 choice

    @Test
    void withFastFallbackSilentOrFailedIpv6AddressesAreLeftOutSoTheIpv4ChoiceIsTriedFirst() throws Exception {
        rttpick = RttpickOkHttp.builder(prober).port(servers.port).random(new SplittableRandom(7)::nextInt)
                .selector(b -> b.clock(() -> time)).build();
        prober.set(AMS + ":" + servers.port, 29).set(IOWA + ":" + servers.port, 127); // ::1 silent
        Dns resolver = fixed(inet("::1", IOWA, AMS));
        OkHttpClient fastFallback = rttpick.install(new OkHttpClient.Builder().dns(resolver).build());
        OkHttpClient inOrder = rttpick.install(new OkHttpClient.Builder().dns(resolver).fastFallback(false).build());
        during(() -> fastFallback.dns().lookup(HOST));
        rankingComplete();
        assertEquals(List.of(AMS, IOWA), addresses(fastFallback.dns().lookup(HOST)), "::1 silent: left out");
        assertEquals(List.of(AMS, IOWA, "0:0:0:0:0:0:0:1"), addresses(inOrder.dns().lookup(HOST)), "without fast fallback: last");
    }

    // 5. the route's host, and no long waits

    @Test
    void aRedirectToAnotherHostCountsItsConnectForThatHost() throws Exception {
        rttpick = RttpickOkHttp.builder(prober).port(servers.port).random(new SplittableRandom(7)::nextInt)
                .selector(b -> b.clock(() -> time)).build();
        servers.redirect(HK, "http://b.test:" + servers.port + "/");
        servers.start("b", "127.0.0.5");
        prober.set(HK + ":" + servers.port, 29).set(IOWA + ":" + servers.port, 127)
                .set("127.0.0.5:" + servers.port, 29).set("127.0.0.6:" + servers.port, 127);
        Map<String, List<InetAddress>> zone = Map.of("a.test", inet(HK, IOWA), "b.test", inet("127.0.0.5", "127.0.0.6"));
        OkHttpClient client = rttpick.install(new OkHttpClient.Builder().dns(host -> zone.get(host)).build());
        during(() -> client.dns().lookup("a.test"));
        during(() -> client.dns().lookup("b.test"));
        rankingComplete();
        try (Response r = client.newCall(new Request.Builder().url("http://a.test:" + servers.port + "/").build()).execute()) {
            assertEquals("b", r.body().string());
        }
        assertEquals(1, rttpick.handshakesReported("a.test"));
        assertEquals(1, rttpick.handshakesReported("b.test"), "the redirect's connect, counted for b.test");
    }

    @Test
    void noCallThreadWaitsLongerThanTheProbeTimeoutAndOnlyOncePerHost() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        rttpick = RttpickOkHttp.builder(prober).probeTimeout(timeout).selector(b -> b.clock(() -> time)).build();
        // virtual time never moves: the probe never answers
        OkHttpClient client = rttpick.install(new OkHttpClient.Builder().dns(fixed(inet(HK, IOWA))).build());
        long first = millis(() -> client.dns().lookup(HOST));
        long second = millis(() -> client.dns().lookup(HOST));
        System.out.printf("lookups with a probe that never answers (timeout %d ms): first %d ms, second %d ms%n",
                timeout.toMillis(), first, second);
        assertTrue(first >= timeout.toMillis() - 10 && first < timeout.toMillis() + 150, "first lookup waited " + first + " ms");
        assertTrue(second < 100, "the second lookup of the host waited again: " + second + " ms");
        assertEquals(List.of(HK, IOWA), addresses(client.dns().lookup(HOST)), "the resolver's order");
    }

    @Test
    void mirrorsHaveANonBlockingChoiceAndAnswerTheFirstMirrorAfterClose() throws Exception {
        rttpick = RttpickOkHttp.builder(prober).random(new SplittableRandom(7)::nextInt).selector(b -> b.clock(() -> time)).build();
        HttpUrl hk = HttpUrl.get("https://hk.mirror.test/api");
        HttpUrl ams = HttpUrl.get("https://ams.mirror.test/api");
        prober.set("hk.mirror.test:443", 279).set("ams.mirror.test:443", 29);
        Mono<HttpUrl> later = rttpick.chooseAsync(List.of(hk, ams));
        assertEquals(0, prober.subscribed(), "nothing is done before the subscription: the call returned at once");
        assertEquals(ams, during(later::block));
        rttpick.close();
        assertEquals(hk, rttpick.choose(List.of(hk, ams)), "closed: the first mirror, nothing thrown");
        assertEquals(hk, rttpick.chooseAsync(List.of(hk, ams)).block());
    }

    // 6. equality, idempotence, composition

    @Test
    void clientsInstalledAlikeSharePooledConnectionsAndASecondInstallChangesNothing() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        OkHttpClient.Builder app = new OkHttpClient.Builder().connectionPool(new ConnectionPool()).eventListener(new EventListener() {
            @Override
            public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                connects.incrementAndGet();
            }
        });
        OkHttpClient first = seedFleet(b -> b, app);
        OkHttpClient base = app.build();
        OkHttpClient second = rttpick.install(base);
        assertEquals(first.dns(), second.dns());
        assertEquals(first.dns().hashCode(), second.dns().hashCode());
        assertSame(first, rttpick.install(first), "installing twice wraps nothing twice");
        assertEquals("amsterdam", during(() -> get(first, "/")));
        assertEquals("amsterdam", get(second, "/"));
        assertEquals(1, connects.get(), "the second client reused the first's pooled connection");
        assertEquals(rttpick.dns(Dns.SYSTEM), rttpick.dns(Dns.SYSTEM));
    }

    // fixtures

    /** Hong Kong, Iowa, Amsterdam answering their names on their addresses; scripted 279, 127, 29 ms; resolver order HK, Iowa, AMS. */
    private OkHttpClient seedFleet(UnaryOperator<RttpickOkHttp.Builder> settings, OkHttpClient.Builder app) throws IOException {
        startSeedServers();
        rttpick = settings.apply(RttpickOkHttp.builder(prober).random(new SplittableRandom(7)::nextInt)
                .selector(b -> b.clock(() -> time)).ticker(ticker::get)).build();
        OkHttpClient probe = app.build();
        if (probe.dns() == Dns.SYSTEM) {
            app.dns(fixed(inet(HK, IOWA, AMS)));
        }
        return rttpick.install(app.build());
    }

    private void startSeedServers() throws IOException {
        servers.start("hongkong", HK);
        servers.start("iowa", IOWA);
        servers.start("amsterdam", AMS);
        prober.set(HK + ":" + servers.port, 279).set(IOWA + ":" + servers.port, 127).set(AMS + ":" + servers.port, 29);
    }

    private static Dns fixed(List<InetAddress> addresses) {
        return host -> {
            if (!HOST.equals(host)) {
                throw new UnknownHostException(host + " (only " + HOST + " resolves in this test)");
            }
            return addresses;
        };
    }

    private static List<InetAddress> inet(String... literals) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        for (String l : literals) {
            out.add(InetAddress.getByName(l));
        }
        return out;
    }

    private static Dns.Record ip(String literal) {
        try {
            return new Dns.Record.IpAddress(HOST, InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private Request request(String path) {
        return new Request.Builder().url("http://" + HOST + ":" + servers.port + path).build();
    }

    private String get(OkHttpClient client, String path) throws IOException {
        try (Response r = client.newCall(request(path)).execute()) {
            return r.body().string();
        }
    }

    private static List<String> addresses(List<?> answer) {
        return answer.stream().map(a -> a instanceof Dns.Record.IpAddress ? ((Dns.Record.IpAddress) a).address() : (InetAddress) a)
                .map(InetAddress::getHostAddress).collect(Collectors.toList());
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().collect(Collectors.toList());
    }

    private static List<Dns.Record> collect(Dns.Call call) throws Exception {
        CompletableFuture<List<Dns.Record>> done = new CompletableFuture<>();
        List<Dns.Record> all = new ArrayList<>();
        call.enqueue(new Dns.Callback() {
            @Override
            public void onRecords(Dns.Call c, boolean last, List<? extends Dns.Record> records) {
                all.addAll(records);
                if (last) {
                    done.complete(all);
                }
            }

            @Override
            public void onFailure(Dns.Call c, IOException e) {
                done.completeExceptionally(e);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private void rankingComplete() {
        time.advanceTimeBy(Duration.ofSeconds(1));
    }

    private <T> T during(Callable<T> work) throws Exception {
        return VirtualCalls.during(prober, time, work);
    }

    private static long millis(Callable<?> work) throws Exception {
        long start = System.nanoTime();
        work.call();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A resolver's call that answers in batches, the last marked. */
    private static final class Records implements Dns.Call {
        private final Dns.Request request;
        private final List<List<Dns.Record>> batches;

        Records(Dns.Request request, List<List<Dns.Record>> batches) {
            this.request = request;
            this.batches = batches;
        }

        @Override
        public Dns.Request getRequest() {
            return request;
        }

        @Override
        public void enqueue(Dns.Callback callback) {
            for (int i = 0; i < batches.size(); i++) {
                callback.onRecords(this, i == batches.size() - 1, batches.get(i));
            }
        }

        @Override
        public void cancel() {
        }

        @Override
        public boolean isCanceled() {
            return false;
        }
    }
}
