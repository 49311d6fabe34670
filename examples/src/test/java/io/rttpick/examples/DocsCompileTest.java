package io.rttpick.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docs that cannot drift: every {@code ```java} block of the README and of {@code docs/} is
 * compiled against the built modules, with the imports the page shows. A block that declares a
 * type is compiled as it stands; one that is statements becomes the body of a method whose
 * parameters are the names the pages use without declaring them ({@link #CONTEXT}). The Android
 * classes the pages name are stubbed (compile-only, their signatures as in Android's API).
 */
class DocsCompileTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\s*\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern TYPE = Pattern.compile("(?m)^(public\\s+)?(final\\s+)?(abstract\\s+)?(class|interface|record|enum)\\s+(\\w+)");
    /** What the pages' statement snippets take as given, unless they declare it themselves: type, simple type, name. */
    private static final String[][] CONTEXT = {
        {"io.rttpick.prober.Prober", "Prober", "prober"},
        {"java.util.List<String>", "List", "fleet"},
        {"android.net.Network", "Network", "network"}};
    private static final List<String> ANDROID_STUBS = List.of(
            "package android.os; public final class SystemClock { public static long elapsedRealtimeNanos() { return 0; } }",
            "package android.net; public final class TrafficStats {"
                    + " public static void tagSocket(java.net.Socket s) throws java.net.SocketException { } }",
            "package android.net; public class Network {"
                    + " public void bindSocket(java.net.Socket s) throws java.io.IOException { } }",
            "package android.net; public class ConnectivityManager {"
                    + " public NetworkCapabilities getNetworkCapabilities(Network n) { return null; }"
                    + " public LinkProperties getLinkProperties(Network n) { return null; } }",
            "package android.net; public final class NetworkCapabilities { public static final int TRANSPORT_CELLULAR = 0;"
                    + " public boolean hasTransport(int t) { return false; } }",
            "package android.net; public final class LinkProperties {"
                    + " public java.util.List<RouteInfo> getRoutes() { return null; }"
                    + " public java.util.List<LinkAddress> getLinkAddresses() { return null; } }",
            "package android.net; public final class RouteInfo { public boolean isDefaultRoute() { return false; }"
                    + " public java.net.InetAddress getGateway() { return null; } }",
            "package android.net; public class LinkAddress { public java.net.InetAddress getAddress() { return null; } }",
            "package android.telephony; public class TelephonyManager { public String getNetworkOperator() { return null; } }");

    static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("README.md")) ? here : here.getParent();
    }

    /** Every page with Java in it: the README and docs/*.md. */
    static List<Path> pages() throws IOException {
        Path root = repository();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            pages.addAll(docs.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList()));
        }
        return pages;
    }

    @Test
    void everyJavaBlockOfTheReadmeAndTheDocsCompiles(@TempDir Path out) throws IOException {
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < ANDROID_STUBS.size(); i++) {
            String stub = ANDROID_STUBS.get(i);
            sources.add(source(stub.substring(8, stub.indexOf(';')).replace('.', '/') + "/" + className(stub), stub));
        }
        int blocks = 0;
        List<String> origins = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page, StandardCharsets.UTF_8);
            Matcher m = JAVA_BLOCK.matcher(text);
            int n = 0;
            while (m.find()) {
                n++;
                blocks++;
                String name = "Doc" + page.getFileName().toString().replaceAll("\\W", "_") + "_" + n;
                String origin = repository().relativize(page) + ", Java block " + n;
                origins.add(origin);
                sources.add(unit(name, m.group(1), origin));
            }
        }
        assertTrue(blocks >= 5, "found only " + blocks + " Java blocks: " + origins);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        boolean ok = javac.getTask(log, null, diagnostics,
                List.of("-d", out.toString(), "-classpath", classPath(), "-proc:none", "-Xlint:none"), null, sources).call();
        String problems = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                .map(d -> ((Named) d.getSource()).origin + ", line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                .collect(Collectors.joining("\n"));
        assertTrue(ok, "the docs' Java does not compile:\n" + problems + "\n" + log);
        System.out.printf("docs: %d Java blocks compiled (%s)%n", blocks, String.join("; ", origins));
    }

    @Test
    void theReadmeExampleShowsItsImportsAndIsQuickStart() throws IOException {
        String readme = Files.readString(repository().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = JAVA_BLOCK.matcher(readme);
        assertTrue(m.find(), "the README has a Java example");
        String block = m.group(1);
        assertTrue(block.contains("import io.rttpick.selector.RttSelector;"), block);
        String quickStart = Files.readString(repository().resolve("examples/src/main/java/io/rttpick/examples/QuickStart.java"));
        for (String line : block.lines().filter(l -> l.startsWith("import ")).collect(Collectors.toList())) {
            assertTrue(quickStart.contains(line), "QuickStart lacks the README's " + line);
        }
        assertTrue(readme.contains("slf4j-simple"), "the README names an SLF4J binding");
        assertFalse(block.isBlank());
    }

    /** A page's block as a compilation unit: as it stands when it declares a type, else statements in a method. */
    private static JavaFileObject unit(String name, String block, String origin) {
        List<String> imports = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String line : block.split("\n", -1)) {
            (line.startsWith("import ") ? imports : rest).add(line);
        }
        Matcher type = TYPE.matcher(block);
        if (type.find()) {
            // a declared type keeps its name: a public one must live in a file of that name
            return new Named("doc/" + type.group(5), "package doc;\n" + block, origin);
        }
        List<String> given = new ArrayList<>();
        for (String[] c : CONTEXT) {
            if (!Pattern.compile("\\b" + c[1] + "(<[^>]*>)?\\s+" + c[2] + "\\s*[=;)]").matcher(block).find()) {
                given.add(c[0] + " " + c[2]);
            }
        }
        String code = "package doc;\n" + String.join("\n", imports) + "\nclass " + name + " {\n"
                + "    @SuppressWarnings(\"unused\") void run(" + String.join(", ", given) + ") throws Exception {\n"
                + String.join("\n", rest) + "\n    }\n}\n";
        return new Named("doc/" + name, code, origin);
    }

    private static JavaFileObject source(String path, String code) {
        return new Named(path, code, path);
    }

    private static String className(String stub) {
        Matcher m = Pattern.compile("class (\\w+)").matcher(stub);
        m.find();
        return m.group(1);
    }

    private static String classPath() {
        String path = System.getProperty("surefire.test.class.path");
        return path == null || path.isBlank() ? System.getProperty("java.class.path") : path;
    }

    /** An in-memory source that knows which page and block it came from. */
    private static final class Named extends SimpleJavaFileObject {
        final String code;
        final String origin;

        Named(String path, String code, String origin) {
            super(URI.create("string:///" + path + ".java"), Kind.SOURCE);
            this.code = code;
            this.origin = origin;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
