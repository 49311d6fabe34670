package io.rttpick.grpc;

import io.grpc.Attributes;
import io.grpc.ChannelLogger;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancer.CreateSubchannelArgs;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.LoadBalancer.SubchannelStateListener;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel as a balancer sees it, faked (as grpc-java tests pick_first): subchannels the test
 * moves through their states, the states and pickers reported, name-resolution refreshes counted,
 * the channel's log kept, and a {@link FakeClock} behind the synchronization context's timers.
 */
final class FakeHelper extends LoadBalancer.Helper {
    final FakeClock clock = new FakeClock();
    final SynchronizationContext sync = new SynchronizationContext((t, e) -> {
        throw new AssertionError("uncaught in the synchronization context", e);
    });
    final List<FakeSubchannel> subchannels = new CopyOnWriteArrayList<>();
    final List<ConnectivityState> states = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final AtomicInteger refreshes = new AtomicInteger();
    volatile SubchannelPicker picker;

    @Override
    public Subchannel createSubchannel(CreateSubchannelArgs args) {
        sync.throwIfNotInThisSynchronizationContext();
        FakeSubchannel s = new FakeSubchannel(args, clock.millis());
        subchannels.add(s);
        return s;
    }

    @Override
    public void updateBalancingState(ConnectivityState state, SubchannelPicker newPicker) {
        states.add(state);
        picker = newPicker;
    }

    @Override
    public void refreshNameResolution() {
        refreshes.incrementAndGet();
    }

    @Override
    public ManagedChannel createOobChannel(EquivalentAddressGroup eag, String authority) {
        throw new UnsupportedOperationException("no out-of-band channels here");
    }

    @Override
    public String getAuthority() {
        return "fleet.test";
    }

    @Override
    public SynchronizationContext getSynchronizationContext() {
        return sync;
    }

    @Override
    public java.util.concurrent.ScheduledExecutorService getScheduledExecutorService() {
        return clock;
    }

    @Override
    public NameResolver.Args getNameResolverArgs() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ChannelLogger getChannelLogger() {
        return new ChannelLogger() {
            @Override
            public void log(ChannelLogLevel level, String message) {
                log.add(level + " " + message);
            }

            @Override
            public void log(ChannelLogLevel level, String messageFormat, Object... args) {
                log.add(level + " " + java.text.MessageFormat.format(messageFormat, args));
            }
        };
    }

    /** Runs {@code r} in the synchronization context, as the channel runs every balancer call. */
    void run(Runnable r) {
        sync.execute(r);
    }

    ConnectivityState state() {
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    /** What the current picker does with a call. */
    PickResult pick() {
        return picker.pickSubchannel(null);
    }

    /** The subchannels made for {@code port}, in order. */
    List<FakeSubchannel> to(int port) {
        List<FakeSubchannel> out = new ArrayList<>();
        for (FakeSubchannel s : subchannels) {
            if (s.port() == port) {
                out.add(s);
            }
        }
        return out;
    }

    FakeSubchannel last() {
        return subchannels.get(subchannels.size() - 1);
    }

    /** A subchannel whose state the test sets. */
    final class FakeSubchannel extends Subchannel {
        final CreateSubchannelArgs args;
        final long createdAtMillis;
        SubchannelStateListener listener;
        int connectionRequests;
        boolean shutdown;

        FakeSubchannel(CreateSubchannelArgs args, long createdAtMillis) {
            this.args = args;
            this.createdAtMillis = createdAtMillis;
        }

        int port() {
            SocketAddress a = args.getAddresses().get(0).getAddresses().get(0);
            return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getPort() : -1;
        }

        @Override
        public void start(SubchannelStateListener l) {
            listener = l;
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public void requestConnection() {
            connectionRequests++;
        }

        @Override
        public List<EquivalentAddressGroup> getAllAddresses() {
            return args.getAddresses();
        }

        @Override
        public Attributes getAttributes() {
            return Attributes.EMPTY;
        }

        /** The channel reports {@code state} for this subchannel (in the synchronization context). */
        void is(ConnectivityState state) {
            sync.execute(() -> listener.onSubchannelState(state == ConnectivityState.TRANSIENT_FAILURE
                    ? ConnectivityStateInfo.forTransientFailure(io.grpc.Status.UNAVAILABLE.withDescription("connection refused"))
                    : ConnectivityStateInfo.forNonError(state)));
        }
    }

    /** The subchannel a READY picker hands calls to, or null. */
    static Subchannel pickedSubchannel(SubchannelPicker picker) {
        PickResult r = picker.pickSubchannel((PickSubchannelArgs) null);
        return r.getSubchannel();
    }
}
