package io.rttpick.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one option parser: both value forms, flags, operands, and every mistake named. */
class OptionsTest {
    private final List<String> seen = new ArrayList<>();

    private Options table() {
        return new Options("try")
                .positive("--count", "how many", n -> seen.add("count=" + n))
                .value("--name", "TEXT", "a name\nsaid again on a second line", v -> seen.add("name=" + v))
                .flag("--json", "machine-readable", () -> seen.add("json"));
    }

    @Test
    void valuesComeAfterTheOptionOrAfterAnEqualsSign() throws Exception {
        table().operands(a -> seen.add("operand " + a)).parse(List.of("--count", "3", "--name=a=b", "x:1", "--json", "--", "--count"));
        assertEquals(List.of("count=3", "name=a=b", "operand x:1", "json", "operand --count"), seen);
    }

    @Test
    void everyMistakeNamesItself() {
        assertEquals("--count needs a value", message(List.of("--count")));
        assertEquals("--count needs a positive whole number, got '0'", message(List.of("--count=0")));
        assertEquals("--count needs a positive whole number, got '2147483648'", message(List.of("--count", "2147483648")));
        assertEquals("--json takes no value", message(List.of("--json=yes")));
        assertEquals("unknown option --frobnicate for try", message(List.of("--frobnicate")));
        assertEquals("try takes no addresses, got 'x:1'", message(List.of("x:1")));
        assertEquals("try takes no addresses, got 'a\\nb'", message(List.of("a\nb")), "control characters are escaped");
    }

    @Test
    void aCommandMayWordItsUnknownOptionItsOwnWay() {
        UsageException e = assertThrows(UsageException.class,
                () -> table().unknownOption(n -> "unknown try option " + n).parse(List.of("--x")));
        assertEquals("unknown try option --x", e.getMessage());
    }

    @Test
    void theHelpComesFromTheSameTableAligned() {
        String help = table().help();
        assertEquals(String.join("\n",
                "  --count N    how many",
                "  --name TEXT  a name",
                "               said again on a second line",
                "  --json       machine-readable"), help);
    }

    @Test
    void anOptionDeclaredTwiceIsAProgrammingMistake() {
        assertThrows(IllegalArgumentException.class, () -> table().flag("--json", "again", () -> { }));
    }

    private String message(List<String> args) {
        UsageException e = assertThrows(UsageException.class, () -> table().parse(args));
        return e.getMessage();
    }
}
