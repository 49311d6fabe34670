package io.rttpick.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThrottledLogTest {

    @Test
    void aThousandWarningsInASecondAreOneLineAndTheNextSaysHowManyWereLeftOut() {
        long[] now = {0};
        List<String> lines = new ArrayList<>();
        ThrottledLog log = new ThrottledLog(1, TimeUnit.SECONDS, () -> now[0], lines::add);
        for (int i = 0; i < 1_000; i++) {
            log.log("refused GET /: Origin 'http://evil.example'");
            now[0] += 900_000; // 0.9 ms apart: the whole burst within one second
        }
        assertEquals(List.of("refused GET /: Origin 'http://evil.example'"), lines);
        now[0] += 1_000_000_000L;
        log.log("refused GET /: Host 'x'");
        assertEquals("refused GET /: Host 'x' (and 999 more like it since the last such line)", lines.get(1));
        assertEquals(2, lines.size());
    }
}
