package io.rttpick.cli;

import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ./rttpick} runs in the background after a build to make the archive its later runs
 * start from (class data sharing on JDK 17, the AOT cache on JDK 25): the one-shot commands over
 * loopback, output thrown away. An archive made by whatever command came first would hold only
 * what that command loaded (measured: a JDK 25 cache made by {@code probers} left later pings at
 * 0.45 s, against 0.25-0.3 s with one made by a ping).
 */
public final class ArchiveTraining {
    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        train(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        System.exit(0); // the probers' threads are daemons, but the archive is written at exit: say when
    }

    /** Runs the commands, printing to {@code out}; returns their exit codes, in order. */
    static List<Integer> train(PrintStream out) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int closedPort;
        try (ServerSocket closed = new ServerSocket(0, 1, loopback)) {
            closedPort = closed.getLocalPort();
        }
        List<Integer> codes = new ArrayList<>();
        try (ServerSocket open = new ServerSocket(0, 50, loopback)) {
            String host = loopback.getHostAddress();
            List<String> addresses = List.of(host + ":" + open.getLocalPort(), host + ":" + closedPort, host + ":313121");
            Main main = new Main(out, out, Probers.load(), RttSelector::create);
            codes.add(main.run(List.of("probers")));
            for (String command : List.of("ping", "pick")) {
                for (List<String> format : List.of(List.<String>of(), List.of("--json"))) {
                    List<String> run = new ArrayList<>(List.of(command, "--timeout-ms", "300"));
                    run.addAll(format);
                    run.addAll(addresses);
                    codes.add(main.run(run));
                }
            }
        }
        return codes;
    }
}
