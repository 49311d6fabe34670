package io.rttpick.grpc;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A resolver whose addresses the test sets and changes, under a scheme of its own
 * ({@code fixed-N:///fleet}), registered in grpc's default registry until closed.
 */
public final class FixedResolver extends NameResolverProvider implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String scheme = "fixed-" + SEQUENCE.incrementAndGet();
    private volatile List<InetSocketAddress> addresses;
    private final List<Resolver> started = new CopyOnWriteArrayList<>();
    private final AtomicInteger refreshes = new AtomicInteger();

    public FixedResolver(List<InetSocketAddress> addresses) {
        this.addresses = new ArrayList<>(addresses);
        NameResolverRegistry.getDefaultRegistry().register(this);
    }

    /** How often a channel asked its resolver to resolve again ({@code refresh()}). */
    int refreshes() {
        return refreshes.get();
    }

    public String target() {
        return scheme + ":///fleet";
    }

    /** New addresses for every channel of this resolver, as a DNS change would bring. */
    void update(List<InetSocketAddress> next) {
        addresses = new ArrayList<>(next);
        for (Resolver r : started) {
            r.publish();
        }
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        return scheme.equals(targetUri.getScheme()) ? new Resolver(args.getSynchronizationContext()) : null;
    }

    @Override
    public String getDefaultScheme() {
        return scheme;
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
        return Collections.singleton(InetSocketAddress.class);
    }

    @Override
    public void close() {
        NameResolverRegistry.getDefaultRegistry().deregister(this);
    }

    private final class Resolver extends NameResolver {
        private final SynchronizationContext sync;
        private Listener2 listener;

        Resolver(SynchronizationContext sync) {
            this.sync = sync;
        }

        @Override
        public String getServiceAuthority() {
            return "fleet";
        }

        @Override
        public void start(Listener2 listener) {
            this.listener = listener;
            started.add(this);
            publish();
        }

        void publish() {
            List<EquivalentAddressGroup> groups = new ArrayList<>();
            for (InetSocketAddress a : addresses) {
                groups.add(new EquivalentAddressGroup(a));
            }
            sync.execute(() -> listener.onResult2(ResolutionResult.newBuilder().setAddresses(groups).build()));
        }

        @Override
        public void refresh() {
            refreshes.incrementAndGet();
            publish();
        }

        @Override
        public void shutdown() {
            started.remove(this);
        }
    }
}
