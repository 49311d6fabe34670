package io.rttpick.grpc;

import io.rttpick.selector.FleetChoice;
import io.rttpick.selector.FleetSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * One fleet selector per fleet, shared by the balancers of every channel whose resolver gives the
 * same addresses under the same config (one provider, so one prober and one customizer):
 * rankings, cool-offs and probes are shared, and 1,000 channels to one service probe it as one.
 * Reference-counted: closed with its last user. The selector is thread-safe; each balancer hands
 * its answers to its own channel's synchronization context.
 */
final class SharedSelectors {
    private final Map<Key, Shared> byKey = new HashMap<>();

    /** The fleet's shared selector, made by {@code make} for the first user. */
    synchronized Lease acquire(List<String> servers, RttpickPolicyConfig config, Function<List<String>, FleetSelector> make) {
        Key key = new Key(servers, config);
        Shared s = byKey.get(key);
        if (s == null) {
            s = new Shared(make.apply(new ArrayList<>(servers)));
            byKey.put(key, s);
        }
        s.users++;
        return new Lease(this, key, s);
    }

    /**
     * The lease for the fleet {@code servers} after a resolver update: the same selector, re-keyed,
     * when {@code lease} is its only user and no other fleet has that key (its rankings and
     * cool-offs kept: the caller adds and removes the servers); else a lease of the new fleet's,
     * and {@code lease} released.
     */
    Lease moveTo(Lease lease, List<String> servers, RttpickPolicyConfig config, Function<List<String>, FleetSelector> make) {
        Key next = new Key(servers, config);
        synchronized (this) {
            if (next.equals(lease.key)) {
                return lease;
            }
            if (lease.shared.users == 1 && !byKey.containsKey(next) && !lease.released) {
                byKey.remove(lease.key, lease.shared);
                byKey.put(next, lease.shared);
                lease.key = next;
                return lease;
            }
        }
        Lease moved = acquire(servers, config, make);
        lease.release();
        return moved;
    }

    synchronized int size() {
        return byKey.size();
    }

    private void release(Key key, Shared s) {
        boolean last;
        synchronized (this) {
            last = --s.users == 0;
            if (last) {
                byKey.remove(key, s);
            }
        }
        if (last) {
            s.selector.close();
        }
    }

    /** The fleet as a set of servers and the config: the order the resolver gave does not matter. */
    private static final class Key {
        final TreeSet<String> servers;
        final RttpickPolicyConfig config;

        Key(List<String> servers, RttpickPolicyConfig config) {
            this.servers = new TreeSet<>(servers);
            this.config = config.withoutPin(); // the pin is the balancer's preference, not the fleet's
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && servers.equals(((Key) o).servers) && config.equals(((Key) o).config);
        }

        @Override
        public int hashCode() {
            return Objects.hash(servers, config);
        }
    }

    private static final class Shared {
        final FleetSelector selector;
        int users;

        Shared(FleetSelector selector) {
            this.selector = selector;
        }
    }

    /** One balancer's use of a shared selector; {@link #release()} once. */
    static final class Lease {
        private final SharedSelectors owner;
        private Key key; // guarded by owner
        private final Shared shared;
        private boolean released;

        private Lease(SharedSelectors owner, Key key, Shared shared) {
            this.owner = owner;
            this.key = key;
            this.shared = shared;
        }

        FleetSelector selector() {
            return shared.selector;
        }

        /**
         * {@code server} failed for this channel. A server already cooling off is not reported
         * again: many channels seeing one server go down, or the retries of one channel, count
         * once, and its cool-off does not climb with them.
         */
        Mono<FleetChoice> reportFailure(String server) {
            FleetSelector s = shared.selector;
            return s.isUsable(server) ? s.reportFailure(server) : s.current();
        }

        void release() {
            Key k;
            synchronized (owner) {
                if (released) {
                    return;
                }
                released = true;
                k = key;
            }
            owner.release(k, shared);
        }
    }
}
