package io.rttpick.selector;

import io.rttpick.prober.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's members, immutable: each server by its {@link Endpoint#key() key} (the server
 * however it is written), with the spelling first given kept for display and for probing.
 */
final class Fleet {
    static final Fleet EMPTY = new Fleet(Map.of(), Map.of());

    private final Map<String, String> spellingByKey;
    private final Map<String, String> keyBySpelling;

    private Fleet(Map<String, String> spellingByKey, Map<String, String> keyBySpelling) {
        this.spellingByKey = spellingByKey;
        this.keyBySpelling = keyBySpelling;
    }

    /**
     * The key of an address.
     *
     * @throws io.rttpick.prober.InvalidEndpointException naming the address when it is malformed
     */
    static String keyOf(String address) {
        return Endpoint.parse(address).key();
    }

    /** This fleet with {@code address} added under {@code key}; the same fleet when the server is in it already. */
    Fleet with(String key, String address) {
        if (spellingByKey.containsKey(key)) {
            return this;
        }
        Map<String, String> spellings = new LinkedHashMap<>(spellingByKey);
        spellings.put(key, address);
        Map<String, String> keys = new LinkedHashMap<>(keyBySpelling);
        keys.put(address, key);
        return new Fleet(Collections.unmodifiableMap(spellings), Collections.unmodifiableMap(keys));
    }

    Fleet without(String key) {
        String spelling = spellingByKey.get(key);
        if (spelling == null) {
            return this;
        }
        Map<String, String> spellings = new LinkedHashMap<>(spellingByKey);
        spellings.remove(key);
        Map<String, String> keys = new LinkedHashMap<>(keyBySpelling);
        keys.remove(spelling);
        return new Fleet(Collections.unmodifiableMap(spellings), Collections.unmodifiableMap(keys));
    }

    boolean contains(String key) {
        return spellingByKey.containsKey(key);
    }

    /** The spelling first given for the server with this key, or null when it is not in the fleet. */
    String spelling(String key) {
        return spellingByKey.get(key);
    }

    /**
     * The key of an address as a probe of this fleet spelled it: looked up for members, parsed
     * otherwise (a server removed, or added again spelled another way, since the probe started).
     */
    String keyOfProbed(String address) {
        String key = keyBySpelling.get(address);
        if (key != null) {
            return key;
        }
        try {
            return keyOf(address);
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    /** The servers as first spelled, in the order they joined. */
    /** The keys, in the order servers were added. */
    List<String> keys() {
        return List.copyOf(spellingByKey.keySet());
    }

    List<String> spellings() {
        return List.copyOf(new ArrayList<>(spellingByKey.values()));
    }

    int size() {
        return spellingByKey.size();
    }
}
