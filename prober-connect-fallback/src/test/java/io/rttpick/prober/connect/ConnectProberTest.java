package io.rttpick.prober.connect;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.testing.ProberContractTest;

class ConnectProberTest extends ProberContractTest {
    @Override
    protected ProberProvider provider() {
        return new ConnectProberProvider();
    }

    @Override
    protected Handshake expectedHandshake() {
        return Handshake.COMPLETED;
    }
}
