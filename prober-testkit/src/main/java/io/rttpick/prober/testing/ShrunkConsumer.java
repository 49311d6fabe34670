package io.rttpick.prober.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ProGuard;

/**
 * A small consumer app shrunk and obfuscated by ProGuard as an Android build would (R8 is not
 * reachable here), with no rules but its own entry point and those the program's jars ship in
 * {@code META-INF/proguard}, then run. What it proves: the consumer rules our jars ship are enough.
 * The program is the test class path's entries whose names start with the given artifact names
 * (jars) or that are those modules' {@code target/classes}; the libraries named are kept as they
 * are (a dependency with rules of its own, the app's platform), and the running JDK too. The shrunk
 * jar runs with every class path entry but the program's beside it.
 */
public final class ShrunkConsumer {
    private final Class<?> main;
    private final List<Path> program = new ArrayList<>();
    private final List<Path> libraries = new ArrayList<>();
    /** Every entry but the program's: what the shrunk consumer runs beside. */
    private final List<Path> runtime = new ArrayList<>();

    /**
     * @param main the consumer: a class with {@code main}, kept by the consumer's one rule
     * @param artifacts the program's artifacts ({@code rttpick-selector}, {@code reactor-core}); a
     *     module of this build is found by its directory ({@code selector/target/classes})
     * @param libraryArtifacts what the program is shrunk against but not part of ({@code grpc-api})
     */
    public ShrunkConsumer(Class<?> main, List<String> artifacts, List<String> libraryArtifacts) {
        this.main = main;
        Path mainClasses = codeSource(main);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.equals(mainClasses)) {
                continue; // the consumer itself is copied alone into its own jar
            }
            if (matches(p, artifacts)) {
                program.add(p);
            } else if (Files.exists(p)) {
                runtime.add(p);
                if (matches(p, libraryArtifacts)) {
                    libraries.add(p);
                }
            }
        }
    }

    private static boolean matches(Path p, List<String> artifacts) {
        String name = p.getFileName().toString();
        for (String a : artifacts) {
            boolean jar = name.startsWith(a + "-") && name.endsWith(".jar") && !name.endsWith("-tests.jar");
            boolean module = p.endsWith(Path.of("target", "classes")) && p.getParent().getParent().getFileName().toString()
                    .equals(a.replace("rttpick-", ""));
            if (jar || module) {
                return true;
            }
        }
        return false;
    }

    /** The program entries found, for a test to check that none is missing. */
    public List<Path> program() {
        return Collections.unmodifiableList(program);
    }

    /** The rules the program ships, one text per file. */
    public List<String> shippedRules() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : program) {
            out.addAll(shippedRules(p));
        }
        return out;
    }

    /** Shrinks the consumer and the program into {@code dir}/shrunk.jar; returns it. */
    public Path shrink(Path dir) throws Exception {
        Path consumer = dir.resolve("consumer.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(consumer))) {
            String name = main.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(name));
            Files.copy(codeSource(main).resolve(name), out);
            out.closeEntry();
        }
        Path shrunk = dir.resolve("shrunk.jar");
        // as an Android build does, the inputs become one, their META-INF/services files merged (ProGuard
        // alone keeps the first of two entries of one name, and the other jar's providers would be lost)
        Path merged = merge(dir.resolve("merged.jar"), consumer, program);
        StringBuilder pro = new StringBuilder();
        pro.append("-injars ").append(merged).append("(!META-INF/versions/**,!module-info.class,!META-INF/MANIFEST.MF)\n");
        pro.append("-outjars ").append(shrunk).append('\n');
        pro.append("-libraryjars ").append(jdkLibrary(dir.resolve("jdk.jar"))).append('\n');
        for (Path library : libraries) {
            pro.append("-libraryjars ").append(library).append("(!META-INF/versions/**,!module-info.class)\n");
        }
        // the consumer's own rule, and nothing else but what the program ships
        pro.append("-keep public class ").append(main.getName()).append(" { public static void main(java.lang.String[]); }\n");
        pro.append("-dontnote\n");
        List<String> all = new ArrayList<>();
        all.add(pro.toString());
        all.addAll(shippedRules());
        Configuration configuration = new Configuration();
        try (ConfigurationParser parser = new ConfigurationParser(String.join("\n", all), "the consumer's rule and the shipped ones",
                dir.toFile(), System.getProperties())) {
            parser.parse(configuration);
        }
        new ProGuard(configuration).execute();
        return shrunk;
    }

    /** Runs the shrunk consumer with the class path but the program beside it; its output, or an assertion error naming its exit code. */
    public String run(Path shrunk, String... args) throws IOException, InterruptedException {
        List<String> classPath = new ArrayList<>();
        classPath.add(shrunk.toString());
        runtime.forEach(l -> classPath.add(l.toString()));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath));
        command.add(main.getName());
        Collections.addAll(command, args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the shrunk consumer did not end within 60 s:\n" + out);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the shrunk consumer exited with " + process.exitValue() + ":\n" + out);
        }
        return out;
    }

    private static Path codeSource(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One jar of everything: classes and resources as they come (the first of a name), service files concatenated. */
    private static Path merge(Path target, Path consumer, List<Path> program) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, StringBuilder> services = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        all.add(consumer);
        all.addAll(program);
        for (Path entry : all) {
            for (Map.Entry<String, byte[]> e : contents(entry).entrySet()) {
                if (e.getKey().startsWith("META-INF/services/") && !e.getKey().endsWith("/")) {
                    services.computeIfAbsent(e.getKey(), k -> new StringBuilder())
                            .append(new String(e.getValue(), StandardCharsets.UTF_8)).append('\n');
                } else {
                    entries.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
            for (Map.Entry<String, StringBuilder> e : services.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return target;
    }

    /** Every file of a jar or a classes directory, by its path inside. */
    private static Map<String, byte[]> contents(Path entry) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    out.put(entry.relativize(f).toString().replace(File.separatorChar, '/'), Files.readAllBytes(f));
                }
            }
            return out;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
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
        for (Map.Entry<String, byte[]> e : contents(entry).entrySet()) {
            if (e.getKey().startsWith("META-INF/proguard/") && e.getKey().endsWith(".pro")) {
                out.add(new String(e.getValue(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The JDK's classes an app runs on, from the running JDK's image (no jmods needed: JDK 24+ has none). */
    private static Path jdkLibrary(Path jar) throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String module : List.of("java.base", "java.logging", "java.management", "jdk.unsupported", "java.sql",
                    "java.naming", "java.net.http", "java.security.jgss", "jdk.net")) {
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
