package io.rttpick.okhttp;

import java.util.Objects;
import okhttp3.Call;
import okhttp3.EventListener;

/**
 * The app's {@link EventListener.Factory}, each of its listeners combined with rttpick's
 * {@link HandshakeListener} (OkHttp's {@code EventListener.plus}: the app's hears every event first).
 */
final class RttpickListenerFactory implements EventListener.Factory {
    private final EventListener.Factory apps;
    private final HostFleets fleets;

    RttpickListenerFactory(EventListener.Factory apps, HostFleets fleets) {
        this.apps = Objects.requireNonNull(apps, "apps");
        this.fleets = fleets;
    }

    @Override
    public EventListener create(Call call) {
        return apps.create(call).plus(new HandshakeListener(fleets, System::nanoTime));
    }

    boolean belongsTo(HostFleets fleets) {
        return this.fleets == fleets;
    }
}
