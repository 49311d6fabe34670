package io.rttpick.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedSelectorsTest {
    private final List<String> closed = new ArrayList<>();

    private AutoCloseable value(String key) {
        return () -> closed.add(key);
    }

    @Test
    void aPeekIsNotAUseTheLeastRecentlyUsedIsEvicted() {
        BoundedSelectors<String, AutoCloseable> b = new BoundedSelectors<>(2);
        b.get("a", this::value);
        b.get("b", this::value);
        assertNotNull(b.peek("a")); // a listener looking up where to report: not a use
        b.get("c", this::value);
        assertEquals(List.of("a"), closed, "a, used least recently, is evicted; the peek did not save it");
        b.get("b", this::value); // a use
        b.get("d", this::value);
        assertEquals(List.of("a", "c"), closed);
    }

    @Test
    void closedItMakesNothingAndThrowsNothing() {
        BoundedSelectors<String, AutoCloseable> b = new BoundedSelectors<>(2);
        b.get("a", this::value);
        b.close();
        assertEquals(List.of("a"), closed);
        assertNull(b.get("b", this::value));
        assertNull(b.peek("a"));
        assertEquals(List.of("a"), closed, "nothing made after close");
    }
}
