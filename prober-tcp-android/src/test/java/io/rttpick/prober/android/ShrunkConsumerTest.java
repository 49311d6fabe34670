package io.rttpick.prober.android;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rttpick.fleet.LoopbackFleet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ProGuard;

/**
 * Android-ready jars, tested for real: a small consumer (ShrinkConsumer) and the rttpick jars an
 * Android app takes are shrunk and obfuscated by ProGuard with no rules but the consumer's own
 * entry point and those our jars ship in META-INF/proguard; the shrunk jar then runs, finds the
 * probers through ServiceLoader and picks among loopback listeners.
 */
class ShrunkConsumerTest {
    /** What an Android app takes: the API, the selector, the two java-socket probers, and Reactor. */
    private static final List<String> PROGRAM = List.of("rttpick-prober-api", "rttpick-selector", "rttpick-prober-connect-fallback",
            "reactor-core", "reactive-streams", "slf4j-api");

    @Test
    void aConsumerShrunkWithOnlyTheShippedRulesStillFindsItsProbersAndPicks(@TempDir Path dir) throws Exception {
        List<Path> program = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            boolean ours = p.endsWith(Path.of("prober-tcp-android", "target", "classes"));
            if (ours || PROGRAM.stream().anyMatch(a -> name.startsWith(a + "-") && name.endsWith(".jar") && !name.endsWith("-tests.jar"))
                    || PROGRAM.stream().anyMatch(a -> p.endsWith(Path.of(a.replace("rttpick-", ""), "target", "classes")))) {
                program.add(p);
            }
        }
        assertEquals(PROGRAM.size() + 1, program.size(), "the program entries found: " + program);
        List<String> rules = new ArrayList<>();
        for (Path p : program) {
            rules.addAll(shippedRules(p));
        }
        System.out.println("shipped rules from " + rules.size() + " files");
        assertTrue(rules.size() >= 4, "rules: " + rules.size());

        Path library = jdkLibrary(dir.resolve("jdk.jar"));
        Path consumer = dir.resolve("consumer.jar");
        Path testClasses = Path.of(ShrinkConsumer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(consumer))) {
            String name = ShrinkConsumer.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(name));
            Files.copy(testClasses.resolve(name), out);
            out.closeEntry();
        }
        Path shrunk = dir.resolve("shrunk.jar");
        Path config = dir.resolve("consumer.pro");
        // as an Android build does, the inputs become one, their META-INF/services files merged (ProGuard
        // alone keeps the first of two entries of one name, and the other jar's providers would be lost)
        Path merged = merge(dir.resolve("merged.jar"), consumer, program);
        StringBuilder pro = new StringBuilder();
        pro.append("-injars ").append(merged).append("(!META-INF/versions/**,!module-info.class,!META-INF/MANIFEST.MF)\n");
        pro.append("-outjars ").append(shrunk).append('\n');
        pro.append("-libraryjars ").append(library).append('\n');
        // the consumer's own rule, and nothing else but what our jars ship
        pro.append("-keep public class ").append(ShrinkConsumer.class.getName()).append(" { public static void main(java.lang.String[]); }\n");
        pro.append("-dontnote\n");
        Files.writeString(config, pro.toString());
        List<String> args = new ArrayList<>(List.of("@" + config));
        Configuration configuration = new Configuration();
        List<String> all = new ArrayList<>(List.of(Files.readAllLines(config).stream().collect(Collectors.joining("\n"))));
        all.addAll(rules);
        try (ConfigurationParser parser = new ConfigurationParser(String.join("\n", all), "consumer rules and the shipped ones",
                dir.toFile(), System.getProperties())) {
            parser.parse(configuration);
        }
        new ProGuard(configuration).execute();
        assertTrue(Files.size(shrunk) > 0);
        long before = 0;
        for (Path p : program) {
            before += Files.isDirectory(p) ? 0 : Files.size(p);
        }
        System.out.printf("ProGuard: %d KB of program jars in, %d KB out%n", before / 1024, Files.size(shrunk) / 1024);

        try (LoopbackFleet servers = new LoopbackFleet()) {
            String a = servers.open();
            String b = servers.open();
            Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", shrunk.toString(),
                    ShrinkConsumer.class.getName(), a, b).redirectErrorStream(true).start();
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(60, TimeUnit.SECONDS));
            System.out.print("the shrunk consumer said:\n" + out);
            assertEquals(0, run.exitValue(), out);
            assertTrue(out.contains("provider connect available"), out);
            assertTrue(out.contains("provider android-connect unavailable"), out);
            assertTrue(out.contains("prober connect"), out);
            assertTrue(out.contains("chosen " + a) || out.contains("chosen " + b), out);
            assertTrue(out.contains("handshake HALF_OPEN"), out);
            assertEquals(0, servers.accepted());
        }
        assertTrue(args.size() == 1);
    }

    /** One jar of everything: classes and resources as they come (the first of a name), service files concatenated. */
    private static Path merge(Path target, Path consumer, List<Path> program) throws IOException {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        java.util.Map<String, StringBuilder> services = new java.util.TreeMap<>();
        List<Path> all = new ArrayList<>(List.of(consumer));
        all.addAll(program);
        for (Path entry : all) {
            for (java.util.Map.Entry<String, byte[]> e : contents(entry).entrySet()) {
                if (e.getKey().startsWith("META-INF/services/") && !e.getKey().endsWith("/")) {
                    services.computeIfAbsent(e.getKey(), k -> new StringBuilder())
                            .append(new String(e.getValue(), StandardCharsets.UTF_8)).append('\n');
                } else {
                    entries.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            for (java.util.Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
            for (java.util.Map.Entry<String, StringBuilder> e : services.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return target;
    }

    /** Every file of a jar or a classes directory, by its path inside. */
    private static java.util.Map<String, byte[]> contents(Path entry) throws IOException {
        java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    out.put(entry.relativize(f).toString().replace(java.io.File.separatorChar, '/'), Files.readAllBytes(f));
                }
            }
            return out;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (!e.isDirectory()) {
                    try (InputStream in = jar.getInputStream(e)) {
                        out.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
        return out;
    }

    /** The rules a jar (or classes directory) ships in META-INF/proguard. */
    private static List<String> shippedRules(Path entry) throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(entry)) {
            Path dir = entry.resolve("META-INF/proguard");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".pro")).collect(Collectors.toList())) {
                        out.add(Files.readString(f));
                    }
                }
            }
            return out;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (e.getName().startsWith("META-INF/proguard/") && e.getName().endsWith(".pro")) {
                    try (InputStream in = jar.getInputStream(e)) {
                        out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    /** The JDK's classes an app runs on, from the running JDK's image (no jmods needed: JDK 24+ has none). */
    private static Path jdkLibrary(Path jar) throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String module : List.of("java.base", "java.logging", "java.management", "jdk.unsupported", "java.sql")) {
                Path root = jrt.getPath("/modules", module);
                try (Stream<Path> classes = Files.walk(root)) {
                    for (Path c : classes.filter(p -> p.toString().endsWith(".class") && !p.endsWith("module-info.class"))
                            .collect(Collectors.toList())) {
                        out.putNextEntry(new JarEntry(root.relativize(c).toString()));
                        Files.copy(c, out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }
}
