package io.rttpick.prober;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random and mutated inputs: the parser answers with an endpoint or its own exception, nothing else. */
class EndpointFuzzTest {
    private static final String ALPHABET = "0123456789abcdefABCDEF.:[]/%@?=-_ \t\n\u0000enodipstcp2";
    private static final String[] SEEDS = {
        "1.2.3.4:443", "[2001:db8::1]:443", "mail.example.org:993",
        "enode://" + "ab".repeat(64) + "@1.2.3.4:30303?discport=30301",
        "/ip4/1.2.3.4/tcp/443/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
        "/dns6/example.org/tcp/1", "[::ffff:1.2.3.4]:1",
    };

    @Test
    void randomStringsNeverThrowAnythingButTheParseError() {
        SplittableRandom random = new SplittableRandom(20261125L);
        for (int i = 0; i < 200_000; i++) {
            String input = i % 2 == 0 ? randomString(random) : mutate(SEEDS[random.nextInt(SEEDS.length)], random);
            try {
                Endpoint e = Endpoint.parse(input);
                assertTrue(e.port() >= 1 && e.port() <= 65535, input);
                assertTrue(!e.host().isEmpty(), input);
            } catch (InvalidEndpointException expected) {
                assertTrue(expected.getMessage().startsWith("address "), expected.getMessage());
            } catch (RuntimeException | Error e) {
                fail("input " + escape(input) + " threw " + e, e);
            }
        }
    }

    private static String randomString(SplittableRandom random) {
        int len = random.nextInt(40);
        StringBuilder s = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            s.append(random.nextInt(10) == 0 ? (char) random.nextInt(0x3000) : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    private static String mutate(String seed, SplittableRandom random) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(3)) {
                case 0: s.deleteCharAt(at); break;
                case 1: s.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length()))); break;
                default: s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return s.toString();
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
