package io.rttpick.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.LoopbackFleet;
import io.rttpick.prober.Probers;
import io.rttpick.selector.RttSelector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user meets first: help on every command, dashes never taken for addresses, bad lines named, one-line failures. */
class FirstContactTest {
    private final LoopbackFleet servers = new LoopbackFleet();
    private final CapturedRun cli = CapturedRun.seeded(7);

    @AfterEach
    void close() {
        servers.close();
    }

    @Test
    void helpAndDashHOnEveryCommandPrintItsOwnOptionsAndExitZero() {
        for (String command : List.of("ping", "pick", "probers")) {
            for (String ask : List.of("--help", "-h")) {
                cli.reset();
                assertEquals(0, cli.run(command, ask), command + " " + ask + ": " + cli.err());
                assertTrue(cli.out().startsWith("usage: rttpick " + command), cli.out());
                assertEquals("", cli.err());
            }
        }
        cli.reset();
        assertEquals(0, cli.run("ping", "--timeout-ms", "5", "-h", "127.0.0.1:1"));
        assertTrue(cli.out().contains("--timeout-ms N"), "ping's options: " + cli.out());
        cli.reset();
        assertEquals(0, cli.run("help", "pick"));
        assertTrue(cli.out().startsWith("usage: rttpick pick"), cli.out());
    }

    @Test
    void anArgumentStartingWithADashIsNeverProbedAsAnAddress() throws Exception {
        String open = servers.open();
        assertEquals(2, cli.run("ping", "-x", open));
        assertTrue(cli.err().contains("unknown option -x"), cli.err());
        assertTrue(cli.err().contains("rttpick ping --help"), cli.err());
        assertEquals("", cli.out(), "nothing probed");
        cli.reset();
        assertEquals(2, cli.run("pick", "-", open));
        assertEquals("", cli.out());
        cli.reset();
        assertEquals(1, cli.run("pick", "--", "-weird"), "after -- it is an operand: one INVALID result");
        assertTrue(cli.out().contains("INVALID"), cli.out());
    }

    @Test
    void theBareUsageSaysWhereTheCommandsOfOtherJarsComeFrom() {
        assertEquals(2, cli.run());
        String usage = cli.err();
        for (String name : List.of("demo", "bench", "serve")) {
            assertTrue(usage.contains("rttpick " + name), usage);
        }
        assertTrue(usage.contains("every command takes --help"), usage);
        assertFalse(usage.contains("needs rttpick-bench on the class path: ./rttpick adds it)"), usage);
    }

    @Test
    void everyProberTheReadmeNamesIsListedOrSaidWhereItComesFrom() {
        assertEquals(0, cli.run("probers"));
        for (String name : List.of("linux-epoll", "darwin-kqueue", "connect", "android-connect", "icmp")) {
            assertTrue(cli.out().contains("  " + name), name + " missing from: " + cli.out());
        }
        assertTrue(cli.out().contains("android-connect: rttpick-prober-tcp-android"), cli.out());
        cli.reset();
        assertEquals(2, cli.run("ping", "--prober", "android-connect", "127.0.0.1:1"));
        assertTrue(cli.err().contains("android-connect comes with rttpick-prober-tcp-android"), cli.err());
        cli.reset();
        assertEquals(0, cli.run("help"));
        assertFalse(cli.out().contains("android-connect, connect"), "--prober's help names only what the CLI holds: " + cli.out());
    }

    @Test
    void everyKindOfBadFileLineIsNamedWithItsFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fleet.txt");
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, ':', '1', '\n'};
        Files.write(file, ("# the fleet\nnotanaddress\n[::1:5 v6\nhost:99999 big\nenode://xyz@1.2.3.4:1\n/ip4/1.2.3.4/tcp\n")
                .getBytes(StandardCharsets.UTF_8));
        Files.write(file, notUtf8, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(0, cli.run("ping", "--file", file.toString()));
        String out = cli.out();
        for (int line = 2; line <= 7; line++) {
            assertTrue(out.contains("line " + line + " of " + file), "line " + line + " unnamed in:\n" + out);
        }
        assertEquals(6, out.lines().filter(l -> l.contains("INVALID")).count(), out);
    }

    @Test
    void anUnexpectedFailureIsOneLineAndItsTraceOnlyUnderTheDebugSwitch() {
        Command broken = new Command() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public String usage() {
                return "rttpick broken";
            }

            @Override
            public String summary() {
                return "fails";
            }

            @Override
            public String optionsHelp() {
                return "";
            }

            @Override
            public int run(List<String> args, Console console) {
                return 1 / args.size();
            }
        };
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of(Main.DEBUG_ENV, "1"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Console console = new Console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), Probers.load(), RttSelector::create, env);
            assertEquals(1, new Main(console, Map.of("broken", broken)).run(List.of("broken")));
            String printed = err.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("rttpick: broken failed: ArithmeticException: / by zero"), printed);
            boolean trace = printed.contains("\tat ");
            assertEquals(!env.isEmpty(), trace, printed);
            if (env.isEmpty()) {
                assertEquals(2, printed.lines().count(), "the failure and how to see its trace: " + printed);
            }
        }
    }
}
