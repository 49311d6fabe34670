package io.rttpick.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Android grpc-java loads only the policies it names (pick_first, round_robin): with a stub
 * {@code android.app.Application} on the class path its {@code ServiceProviders} takes that path on
 * the JVM too, and "rttpick" is found only after {@link RttpickGrpc#register()}.
 */
class AndroidRegistrationTest {
    @TempDir
    Path dir;

    @Test
    void onGrpcsAndroidPathThePolicyIsFoundOnlyAfterRegister() throws Exception {
        Path src = dir.resolve("src/android/app/Application.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package android.app; public class Application { }\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), src.toString()), "the stub did not compile");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classes + File.pathSeparator + System.getProperty("java.class.path"), AndroidRegistrationMain.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = out.lines().filter(l -> l.matches("(before|after|pick_first) .*")).collect(Collectors.toList());
        assertEquals(List.of("before none", "after RttpickLoadBalancerProvider", "pick_first PickFirstLoadBalancerProvider"), lines,
                out);
    }
}
