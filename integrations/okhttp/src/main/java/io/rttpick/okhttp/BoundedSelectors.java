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
 * Thread-safe; closing happens outside the lock.
 */
final class BoundedSelectors<K, V extends AutoCloseable> implements AutoCloseable {
    private final int max;
    private final Map<K, V> byKey = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    BoundedSelectors(int max) {
        this.max = max;
    }

    /** The value for {@code key}, made by {@code make} when absent (and the eldest evicted beyond the bound). */
    V get(K key, Function<K, V> make) {
        List<V> evicted = new ArrayList<>();
        V value;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("rttpick-okhttp is closed");
            }
            value = byKey.get(key);
            if (value == null) {
                value = make.apply(key);
                byKey.put(key, value);
                for (Iterator<V> it = byKey.values().iterator(); byKey.size() > max && it.hasNext(); ) {
                    evicted.add(it.next());
                    it.remove();
                }
            }
        }
        evicted.forEach(BoundedSelectors::closeQuietly);
        return value;
    }

    /** The value for {@code key} if present, without making one (and without counting as a use). */
    synchronized V peek(K key) {
        return closed ? null : byKey.get(key);
    }

    synchronized int size() {
        return byKey.size();
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
