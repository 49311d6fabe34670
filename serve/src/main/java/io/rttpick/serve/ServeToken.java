package io.rttpick.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret that the methods changing state need ({@code Authorization: Bearer <token>}): any
 * local process and any web page can reach {@code serve}, only the user can read the file the
 * token is written to (mode 0600), the way notebook servers do it.
 */
final class ServeToken implements AutoCloseable {
    private final String value;
    private Path file;

    private ServeToken(String value) {
        this.value = value;
    }

    /** A new random token (256 bits). */
    static ServeToken random() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new ServeToken(Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    /** Writes it to {@code requested} or, when null, under $XDG_RUNTIME_DIR or the temp dir (named for the port). */
    void writeTo(Path requested, int port) throws IOException {
        Path target = requested != null ? requested : defaultFile(port);
        write(target, value);
        file = target;
    }

    private static Path defaultFile(int port) throws IOException {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "rttpick-serve-" + port + ".token"); // a directory of the user's own
        }
        // a shared directory: a name nobody can guess or plant beforehand
        return Files.createTempFile("rttpick-serve-" + port + "-", ".token",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** Written under a fresh name (0600 from the start) and moved into place: never through a planted link. */
    private static void write(Path file, String value) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path fresh = Files.createTempFile(dir, ".rttpick-token-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(fresh, value + "\n", StandardCharsets.US_ASCII);
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(fresh);
        }
    }

    String value() {
        return value;
    }

    Path file() {
        return file;
    }

    /** Whether an {@code Authorization} header carries this token (compared in constant time). */
    boolean authorizes(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, value.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // the file goes with the machine's temp dir, or the next start replaces it
        }
    }
}
