package io.rttpick.serve;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * Event loops whose listening socket has the family of the address it binds: an IPv4 address
 * (0.0.0.0 included) gets an IPv4 socket. Netty's sockets are dual-stack by default, so
 * {@code --listen 0.0.0.0:8545} also listened on every IPv6 address, which nobody asked for;
 * {@code [::]} is how to ask for IPv6.
 */
final class FamilyLoops implements LoopResources {
    private final LoopResources loops;
    private final boolean ipv4;

    FamilyLoops(LoopResources loops, InetSocketAddress listen) {
        this.loops = loops;
        this.ipv4 = listen.getAddress() instanceof Inet4Address;
    }

    @Override
    public <C extends Channel> C onChannel(Class<C> type, EventLoopGroup group) {
        Class<? extends C> concrete = loops.onChannelClass(type, group);
        if (ipv4 && concrete == EpollServerSocketChannel.class) {
            return type.cast(new EpollServerSocketChannel(SocketProtocolFamily.INET));
        }
        if (ipv4 && concrete == NioServerSocketChannel.class) {
            return type.cast(new NioServerSocketChannel(SelectorProvider.provider(), SocketProtocolFamily.INET));
        }
        return loops.onChannel(type, group);
    }

    @Override
    public <C extends Channel> Class<? extends C> onChannelClass(Class<C> type, EventLoopGroup group) {
        return loops.onChannelClass(type, group);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return loops.onServer(useNative);
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return loops.onServerSelect(useNative);
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return loops.onClient(useNative);
    }

    @Override
    public boolean daemon() {
        return loops.daemon();
    }

    @Override
    public Mono<Void> disposeLater() {
        return loops.disposeLater();
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return loops.disposeLater(quietPeriod, timeout);
    }

    @Override
    public boolean isDisposed() {
        return loops.isDisposed();
    }

    @Override
    public void dispose() {
        loops.dispose();
    }
}
