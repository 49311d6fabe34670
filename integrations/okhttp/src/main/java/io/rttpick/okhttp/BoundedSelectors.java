package io.rttpick.okhttp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * At most {@code max} values by key, the least recently used evicted and closed: OkHttp has no
 * close hook, so what a client made per host must not grow with every host it ever called.
 * Thread-safe; closing happens outside the lock. Only {@link #get} is a use: {@link #peek} (a
 * listener looking up where to report) leaves the order alone.
 */
final class BoundedSelectors<K, V extends AutoCloseable> implements AutoCloseable {
    private final int max;
    /** Least recently used first; a use moves its key to the end by hand (an access-ordered map would count peeks too). */
    private final Map<K, V> byKey = new LinkedHashMap<>();
    private boolean closed;

    BoundedSelectors(int max) {
        this.max = max;
    }

    /**
     * The value for {@code key}, made by {@code make} when absent (and the eldest evicted beyond
     * the bound); null once closed.
     */
    V get(K key, Function<K, V> make) {
        List<V> evicted = new ArrayList<>();
        V value;
        synchronized (this) {
            if (closed) {
                return null;
            }
            value = byKey.remove(key);
            if (value == null) {
                value = make.apply(key);
            }
            byKey.put(key, value);
            for (Iterator<V> it = byKey.values().iterator(); byKey.size() > max && it.hasNext(); ) {
                evicted.add(it.next());
                it.remove();
            }
        }
        evicted.forEach(BoundedSelectors::closeQuietly);
        return value;
    }

    /** The value for {@code key} if present, without making one and without counting as a use. */
    synchronized V peek(K key) {
        return closed ? null : byKey.get(key);
    }

    synchronized int size() {
        return byKey.size();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        List<V> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(byKey.values());
            byKey.clear();
        }
        all.forEach(BoundedSelectors::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // a selector's close stops its probes and does not fail; nothing to do about one that did
        }
    }
}
