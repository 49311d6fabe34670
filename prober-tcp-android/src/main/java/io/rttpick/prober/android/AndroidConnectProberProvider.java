package io.rttpick.prober.android;

import io.rttpick.prober.Prober;
import io.rttpick.prober.ProberUnavailableException;
import io.rttpick.prober.connect.ConnectProbers;
import io.rttpick.prober.spi.ProberProvider;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code android-connect}: the java.nio probe of {@code connect}, half-open on Android API 26+
 * (TCP_QUICKACK off through {@code android.system.Os}); JNR, and so {@code linux-epoll}, does not
 * run on Android's runtime. Above {@code connect}, below the native probers; available on Android
 * only. Timed in user space.
 */
public final class AndroidConnectProberProvider implements ProberProvider {
    public static final String NAME = "android-connect";

    private final Supplier<AndroidOs> os;
    private final Throwable unavailable;

    /** The real thing, for ServiceLoader: Android's own Os, available on Android only. */
    public AndroidConnectProberProvider() {
        this(AndroidConnectProberProvider::androidOs, Runtime.CAUSE);
    }

    /** Not a method reference to RealAndroidOs: off Android its class must not even be linked (it needs android.*). */
    private static AndroidOs androidOs() {
        return new RealAndroidOs();
    }

    /** Over another Os (the tests' JDK-backed one), available or not as given. */
    AndroidConnectProberProvider(Supplier<AndroidOs> os, Throwable unavailable) {
        this.os = os;
        this.unavailable = unavailable;
    }

    @Override
    public String name() {
        return NAME;
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
        return !unavailabilityCause().isPresent();
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(unavailable);
    }

    @Override
    public String description() {
        return "java.nio connect on Android, user-space timing, half-open on API 26+ (TCP_QUICKACK off through android.system.Os)";
    }

    @Override
    public Prober create() {
        ensureAvailability();
        return ConnectProbers.create(NAME, new AndroidDelayedAck(os.get()));
    }

    /** Judged once, from what the runtime says it is: Android's runs as "Dalvik" (ART keeps the name). */
    private static final class Runtime {
        static final Throwable CAUSE = check(System.getProperty("java.vm.name", ""), System.getProperty("java.vm.vendor", ""));
    }

    static Throwable check(String vmName, String vmVendor) {
        String vm = (vmName + " " + vmVendor).toLowerCase(Locale.ROOT);
        if (vm.contains("dalvik") || vm.contains("android")) {
            return null;
        }
        return new ProberUnavailableException("not Android (java.vm.name is " + vmName + "): elsewhere connect does the same");
    }
}
