package io.rttpick.prober.android;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.testing.ProberContractTest;

/**
 * The Android prober's code path (AndroidDelayedAck over java.nio) through the whole contract
 * suite on Linux, with Os.setsockoptInt played by the JDK: half-open, no listener accepting. What
 * this does not show: that it runs on a device (nothing here ran on one).
 */
class AndroidConnectOnLinuxContractTest extends ProberContractTest {
    @Override
    protected ProberProvider provider() {
        return new AndroidConnectProberProvider(() -> new JdkBackedAndroidOs(26), null);
    }

    @Override
    protected Handshake expectedHandshake() {
        return Handshake.HALF_OPEN;
    }
}
