package io.rttpick.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.rttpick.prober.SocketAddresses;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real gRPC servers on loopback (grpc-netty-shaded), each answering "who are you?" with its name. */
final class WhoamiServers implements AutoCloseable {
    static final MethodDescriptor<String, String> WHOAMI = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("rttpick.test.Fleet/Whoami")
            .setRequestMarshaller(new Utf8())
            .setResponseMarshaller(new Utf8())
            .build();

    private final Map<String, Server> byName = new LinkedHashMap<>();
    private final Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();

    /** Starts a server named {@code name} on a free loopback port (or {@code port}, to restart one). */
    InetSocketAddress start(String name, int port) throws IOException {
        String who = name;
        ServerServiceDefinition service = ServerServiceDefinition.builder("rttpick.test.Fleet")
                .addMethod(WHOAMI, ServerCalls.asyncUnaryCall((request, answer) -> {
                    answer.onNext(who);
                    answer.onCompleted();
                }))
                .build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .addService(service).build().start();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort());
        byName.put(name, server);
        addresses.put(name, address);
        return address;
    }

    InetSocketAddress start(String name) throws IOException {
        return start(name, 0);
    }

    /** Stops {@code name} at once: its connections are closed under their calls. */
    void stop(String name) throws InterruptedException {
        Server server = byName.remove(name);
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    InetSocketAddress address(String name) {
        return addresses.get(name);
    }

    /** The address as the selector names it ({@code 127.0.0.1:port}). */
    String key(String name) {
        return SocketAddresses.format(addresses.get(name));
    }

    List<InetSocketAddress> addresses(String... names) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String n : names) {
            out.add(addresses.get(n));
        }
        return out;
    }

    /** Which server answers a call on {@code channel}. */
    static String whoAnswers(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, WHOAMI, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "?");
    }

    @Override
    public void close() throws InterruptedException {
        for (Server s : byName.values()) {
            s.shutdownNow();
        }
        for (Server s : byName.values()) {
            s.awaitTermination(5, TimeUnit.SECONDS);
        }
        byName.clear();
    }

    private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
