package io.rttpick.fleettests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.prober.testing.FleetNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system resolver sends no query for RFC 6761's special-use names: a JVM in a network
 * namespace of the test's own, whose resolv.conf names a fake resolver there that logs every
 * question (and answers NXDOMAIN), probes a .invalid name, a localhost name and an ordinary one;
 * the log shows the ordinary one (so queries are seen) and nothing for the others.
 */
class SpecialNamesInNamespaceTest {
    /** A DNS server on 127.0.0.1:53 that writes each question's name to a file and answers NXDOMAIN. */
    private static final String FAKE_DNS = String.join("\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 53))",
            "log = open(sys.argv[1], 'a', buffering=1); print('ready', flush=True)",
            "while True:",
            "    q, peer = s.recvfrom(2048)",
            "    i, labels = 12, []",
            "    while q[i]: labels.append(q[i + 1:i + 1 + q[i]].decode('ascii', 'replace')); i += 1 + q[i]",
            "    log.write('.'.join(labels) + '\\n')",
            "    s.sendto(q[:2] + b'\\x81\\x83' + q[4:6] + b'\\x00\\x00\\x00\\x00\\x00\\x00' + q[12:i + 5], peer)",
            "");

    @TempDir
    Path dir;

    @Test
    void invalidAndLocalhostNamesSendNoQueryAnOrdinaryNameDoes() throws Exception {
        if (!"0".equals(run("id", "-u").trim()) || !new ProcessBuilder("ip", "netns", "list").start().waitFor(5, TimeUnit.SECONDS)) {
            FleetNamespace.skipOrFail("needs root and iproute2 for a network namespace of its own");
        }
        String ns = "rttpick-dns-" + ProcessHandle.current().pid();
        Path etc = Path.of("/etc/netns", ns);
        Path log = dir.resolve("questions.log");
        Files.writeString(log, "");
        Path script = Files.writeString(dir.resolve("fake_dns.py"), FAKE_DNS);
        try {
            mustRun("ip", "netns", "add", ns);
            mustRun("ip", "-n", ns, "link", "set", "lo", "up");
            Files.createDirectories(etc);
            Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
            Process dns = new ProcessBuilder("ip", "netns", "exec", ns, "python3", script.toString(), log.toString())
                    .redirectErrorStream(true).start();
            try {
                assertEquals("ready", new String(dns.getInputStream().readNBytes(5), StandardCharsets.UTF_8), "the fake resolver");
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                String out = run("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                        ResolveMain.class.getName(), "nosuchhost.invalid:80", "mail.localhost:1", "ordinary-name.test:80");
                List<String> samples = out.lines().filter(l -> l.startsWith("sample ")).collect(Collectors.toList());
                System.out.println(String.join("\n", samples));
                assertEquals(3, samples.size(), out);
                String invalid = line(samples, "nosuchhost.invalid:80");
                String local = line(samples, "mail.localhost:1");
                String ordinary = line(samples, "ordinary-name.test:80");
                assertTrue(invalid.contains("RESOLVE_FAILED") && invalid.contains("RFC 6761"), invalid);
                assertTrue(local.contains("127.0.0.1"), "mail.localhost is loopback: " + local);
                assertTrue(ordinary.contains("RESOLVE_FAILED"), ordinary);
                String questions = Files.readString(log);
                System.out.println("questions the namespace's resolver saw: " + questions.lines().collect(Collectors.toList()));
                assertTrue(questions.contains("ordinary-name.test"), "the fake resolver saw no query at all: " + questions);
                assertFalse(questions.contains("invalid"), "a query for a .invalid name left the process: " + questions);
                assertFalse(questions.contains("localhost"), "a query for a localhost name left the process: " + questions);
            } finally {
                dns.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } finally {
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(etc.resolve("resolv.conf"));
            Files.deleteIfExists(etc);
        }
    }

    /** The sample line of {@code address} (samples come in the order they end). */
    private static String line(List<String> samples, String address) {
        return samples.stream().filter(l -> l.startsWith("sample " + address + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no sample for " + address + ": " + samples));
    }

    private static void mustRun(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            FleetNamespace.skipOrFail(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
