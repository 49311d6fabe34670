package io.rttpick.selector;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Which network the device is on, as an opaque string: rankings are remembered per network. Derive
 * it with {@link #derive} from inputs that need no permission (the carrier's MCC/MNC, the IPv6 /64
 * prefix, the gateway's address) and a secret kept per install, so that a stored id reveals
 * neither the inputs nor, across installs, that two users shared a network.
 */
public final class NetworkId {
    private final String value;

    private NetworkId(String value) {
        this.value = value;
    }

    /**
     * An id the app made itself, <b>stored as it is given</b>: with a ranking store it is written
     * in the rankings file verbatim. Give it nothing readable (not an SSID, not a gateway's
     * address): {@link #derive} keys such inputs with a per-install secret first.
     *
     * @throws IllegalArgumentException when it is empty or longer than 128 characters
     */
    public static NetworkId of(String value) {
        Objects.requireNonNull(value, "network id");
        if (value.isEmpty() || value.length() > 128) {
            throw new IllegalArgumentException("a network id is 1 to 128 characters, got " + value.length());
        }
        return new NetworkId(value);
    }

    /**
     * HMAC-SHA256 of the inputs (each length-prefixed, so "a","bc" differs from "ab","c") keyed
     * with {@code secret}, as 32 hex digits.
     *
     * @param secret at least 16 random bytes, made once per install and kept with the app's data
     * @throws IllegalArgumentException when the secret is shorter than 16 bytes or no input is given
     */
    public static NetworkId derive(byte[] secret, String... inputs) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("the network id secret must be at least 16 bytes");
        }
        if (inputs.length == 0) {
            throw new IllegalArgumentException("a network id needs at least one input");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            for (String input : inputs) {
                byte[] bytes = Objects.requireNonNull(input, "network id input").getBytes(StandardCharsets.UTF_8);
                mac.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8),
                        (byte) bytes.length});
                mac.update(bytes);
            }
            byte[] digest = mac.doFinal();
            StringBuilder hex = new StringBuilder(32);
            for (int i = 0; i < 16; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return new NetworkId(hex.toString());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkId && ((NetworkId) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
