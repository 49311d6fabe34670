package io.rttpick.prober.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Handshake;
import io.rttpick.prober.Outcome;
import io.rttpick.prober.ProbeOptions;
import io.rttpick.prober.Prober;
import io.rttpick.prober.RttSample;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.testing.ProberContractTest;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectProberTest extends ProberContractTest {
    @Override
    protected ProberProvider provider() {
        return new ConnectProberProvider();
    }

    @Override
    protected Handshake expectedHandshake() {
        return Handshake.HALF_OPEN; // TCP_QUICKACK off through jdk.net on this Linux JDK
    }

    @Test
    void theAppsSocketHookSeesEverySocketBeforeItsConnectAndItsFailureCostsOnlyThatAttempt() throws Exception {
        try (LoopbackFleet servers = new LoopbackFleet(); Prober prober = provider().create()) {
            String open = servers.open();
            List<Boolean> connectedWhenSeen = new ArrayList<>();
            List<RttSample> samples = prober.probe(List.of(open, open), ProbeOptions.builder().socketConfigurer(ch -> {
                synchronized (connectedWhenSeen) {
                    connectedWhenSeen.add(ch.isConnected() || ch.isConnectionPending());
                }
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 8_192); // what an app might set
            }).build()).collectList().block();
            assertEquals(List.of(false, false), connectedWhenSeen);
            assertTrue(samples.stream().allMatch(RttSample::isOk), samples.toString());

            List<RttSample> failed = prober.probe(List.of(open), ProbeOptions.builder().socketConfigurer(ch -> {
                throw new IOException("no network to bind to");
            }).build()).collectList().block();
            assertEquals(Outcome.ERROR, failed.get(0).outcome());
            assertTrue(failed.get(0).error().orElseThrow().contains("no network to bind to"), failed.toString());
        }
    }

    @Test
    void withoutTheDelayedAckTheHandshakeCompletesAndTheSampleSaysWhy() throws Exception {
        try (LoopbackFleet servers = new LoopbackFleet();
             Prober prober = ConnectProbers.create("connect", DelayedAck.none("no TCP_QUICKACK on this test's runtime"))) {
            RttSample s = prober.probe(List.of(servers.open()), ProbeOptions.defaults()).blockFirst();
            assertEquals(Handshake.COMPLETED, s.handshake());
            assertEquals("no TCP_QUICKACK on this test's runtime", s.details().get(NioTransport.HANDSHAKE_NOTE));
            Thread.sleep(100);
            assertEquals(1, servers.accepted(), "a completed handshake is a connection the server accepts");
        }
    }

    @Test
    void thisLinuxJdkOffersTheDelayedAck() {
        assertEquals(Optional.empty(), ConnectProbers.jdkDelayedAck().unavailable());
        assertTrue(new ConnectProberProvider().description().contains("half-open"));
    }
}
