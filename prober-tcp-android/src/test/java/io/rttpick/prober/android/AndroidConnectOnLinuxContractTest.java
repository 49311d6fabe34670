package io.rttpick.prober.android;

import io.rttpick.prober.Handshake;
import io.rttpick.prober.Prober;
import io.rttpick.prober.connect.ConnectProbers;
import io.rttpick.prober.spi.ProberProvider;
import io.rttpick.prober.testing.ProberContractTest;
import java.util.Optional;

/**
 * The Android prober's code path (AndroidDelayedAck over java.nio) through the whole contract
 * suite on Linux, with Os.setsockoptInt played by the JDK: half-open, no listener accepting. What
 * this does not show: that it runs on a device (nothing here ran on one).
 */
class AndroidConnectOnLinuxContractTest extends ProberContractTest {
    @Override
    protected ProberProvider provider() {
        return new ProberProvider() {
            @Override
            public String name() {
                return AndroidConnectProberProvider.NAME;
            }

            @Override
            public int priority() {
                return 20;
            }

            @Override
            public boolean isNative() {
                return false;
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public Optional<Throwable> unavailabilityCause() {
                return Optional.empty();
            }

            @Override
            public String description() {
                return "android-connect with the JDK standing in for android.system.Os";
            }

            @Override
            public Prober create() {
                return ConnectProbers.create(name(), new AndroidDelayedAck(new JdkBackedAndroidOs(26)));
            }
        };
    }

    @Override
    protected Handshake expectedHandshake() {
        return Handshake.HALF_OPEN;
    }
}
