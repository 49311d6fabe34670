package io.rttpick.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NetworkIdTest {
    private static final byte[] SECRET = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theSameInputsAndSecretGiveTheSameIdAndItRevealsNeitherInput() {
        NetworkId a = NetworkId.derive(SECRET, "26201", "2001:db8:1:2::/64");
        assertEquals(a, NetworkId.derive(SECRET, "26201", "2001:db8:1:2::/64"));
        assertEquals(32, a.value().length());
        assertTrue(a.value().matches("[0-9a-f]{32}"), a.value());
        assertFalse(a.value().contains("26201"));
    }

    @Test
    void anotherSecretOrAnotherSplitOfTheInputsGivesAnotherId() {
        assertNotEquals(NetworkId.derive(SECRET, "gw 192.0.2.1"), NetworkId.derive(OTHER, "gw 192.0.2.1"), "per install");
        assertNotEquals(NetworkId.derive(SECRET, "a", "bc"), NetworkId.derive(SECRET, "ab", "c"), "inputs are length-prefixed");
    }

    @Test
    void aShortSecretNoInputAndAnEmptyOrLongIdAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NetworkId.derive(new byte[8], "x"));
        assertThrows(IllegalArgumentException.class, () -> NetworkId.derive(SECRET));
        assertThrows(IllegalArgumentException.class, () -> NetworkId.of(""));
        assertThrows(IllegalArgumentException.class, () -> NetworkId.of("x".repeat(129)));
        assertEquals("home", NetworkId.of("home").value());
    }
}
