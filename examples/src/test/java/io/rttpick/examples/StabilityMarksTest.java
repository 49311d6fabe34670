package io.rttpick.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of the modules rttpick publishes says what it is with one mark, {@code @Api},
 * {@code @Spi} or {@code @Internal} (io.rttpick.prober.stability), and its javadoc's first word
 * agrees (API, SPI, Internal or Examples). .ci/api-check compares the API and SPI packages with
 * the last release by these marks.
 */
class StabilityMarksTest {
    private static final Pattern MARK = Pattern.compile("(?m)^@(Api|Spi|Internal)\\s*$");
    private static final Pattern WORD = Pattern.compile("\\*\\s+(API|SPI|Internal|Examples)\\b");
    private static final Map<String, String> MARK_OF = Map.of("API", "Api", "SPI", "Spi", "Internal", "Internal", "Examples", "Internal");

    @Test
    void everyPackageCarriesOneMarkThatAgreesWithItsJavadoc() throws IOException {
        Path root = DocsCompileTest.repository();
        List<Path> infos;
        try (Stream<Path> all = Files.walk(root)) {
            infos = all.filter(p -> p.endsWith("package-info.java") && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/") && !p.toString().contains("/tools/fleet-sim/")).sorted()
                    .collect(Collectors.toList());
        }
        List<String> wrong = new ArrayList<>();
        for (Path info : infos) {
            String text = Files.readString(info);
            Matcher mark = MARK.matcher(text);
            Matcher word = WORD.matcher(text);
            String where = root.relativize(info).toString();
            if (!mark.find()) {
                wrong.add(where + ": no @Api, @Spi or @Internal");
            } else if (mark.find()) {
                wrong.add(where + ": more than one mark");
            } else if (!word.find() || !MARK_OF.get(word.group(1)).equals(text.replaceAll("(?s).*?\\n@(\\w+)\\s*\\n.*", "$1"))) {
                wrong.add(where + ": the mark and the javadoc's first word disagree");
            }
        }
        System.out.println(infos.size() + " packages checked for their stability mark");
        assertTrue(infos.size() >= 20, "found only " + infos.size() + " package-info files under " + root);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
