package io.rttpick.prober.android;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.connect.ConnectProbers;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Android adapter through its small interface: what it asks of Android, and when. */
class AndroidDelayedAckTest {

    @Test
    void onApi26TcpQuickAckIsTurnedOffBeforeEveryConnectAndTheProbeIsHalfOpen() throws Exception {
        JdkBackedAndroidOs os = new JdkBackedAndroidOs(26);
        try (LoopbackFleet servers = new LoopbackFleet(); Prober prober = ConnectProbers.create("android-connect", new AndroidDelayedAck(os))) {
            String open = servers.open();
            List<RttSample> samples = prober.probe(List.of(open, open), ProbeOptions.defaults()).collectList().block();
            assertTrue(samples.stream().allMatch(s -> s.isOk() && s.handshake() == Handshake.HALF_OPEN), samples.toString());
            assertEquals(List.of("6/12=0", "6/12=0"), os.calls, "IPPROTO_TCP, TCP_QUICKACK, 0, before each connect");
            Thread.sleep(100);
            assertEquals(0, servers.accepted(), "half-open: the server's application never saw a connection");
        }
    }

    @Test
    void belowApi26NothingIsSetAndTheSamplesSayWhy() throws Exception {
        JdkBackedAndroidOs os = new JdkBackedAndroidOs(25);
        AndroidDelayedAck ack = new AndroidDelayedAck(os);
        assertTrue(ack.unavailable().orElseThrow().contains("Android API level 25"), ack.unavailable().toString());
        try (LoopbackFleet servers = new LoopbackFleet(); Prober prober = ConnectProbers.create("android-connect", ack)) {
            RttSample s = prober.probe(List.of(servers.open()), ProbeOptions.defaults()).blockFirst();
            assertEquals(Handshake.COMPLETED, s.handshake());
            assertTrue(String.valueOf(s.details().get("handshakeNote")).contains("API level 25"), s.toString());
            assertEquals(List.of(), os.calls);
        }
    }

    private static AndroidOs failing(String message) {
        return new AndroidOs() {
            @Override
            public int sdkInt() {
                return 30;
            }

            @Override
            public void setsockoptInt(SocketChannel channel, int level, int option, int value) throws IOException {
                throw new IOException(message);
            }
        };
    }

    @Test
    void aFailingSetsockoptFailsThatAttemptOnlyAndNamesIt() throws Exception {
        try (LoopbackFleet servers = new LoopbackFleet();
             Prober invalid = ConnectProbers.create("android-connect", new AndroidDelayedAck(failing("setsockopt(6, 12): EINVAL (Invalid argument)")));
             Prober denied = ConnectProbers.create("android-connect", new AndroidDelayedAck(failing("setsockopt(6, 12): EPERM (Operation not permitted)")))) {
            String open = servers.open();
            RttSample s = invalid.probe(List.of(open), ProbeOptions.defaults()).blockFirst();
            assertEquals(Outcome.ERROR, s.outcome(), s.toString());
            assertTrue(s.error().orElseThrow().contains("EINVAL"), s.toString());
            // what an app without the INTERNET permission gets from the socket calls: named as such
            RttSample d = denied.probe(List.of(open), ProbeOptions.defaults()).blockFirst();
            assertEquals(Outcome.PERMISSION_DENIED, d.outcome(), d.toString());
            assertTrue(d.error().orElseThrow().contains("INTERNET permission"), d.toString());
        }
    }

    @Test
    void theProviderIsAvailableOnAndroidsRuntimeOnly() {
        assertNull(AndroidConnectProberProvider.check("Dalvik", "The Android Project"));
        Throwable here = AndroidConnectProberProvider.check("OpenJDK 64-Bit Server VM", "Eclipse Adoptium");
        assertTrue(here.getMessage().startsWith("not Android"), here.getMessage());
        AndroidConnectProberProvider provider = new AndroidConnectProberProvider();
        assertFalse(provider.isAvailable());
        assertEquals(20, provider.priority());
    }
}
