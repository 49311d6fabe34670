package io.rttpick.selector.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The per-install secret {@link io.rttpick.selector.NetworkId#derive} keys network ids with: 32
 * random bytes in a file readable by its owner only, made at the first call and read after. Keep
 * it with the rankings (on Android, in {@code getNoBackupFilesDir()}): a restored backup on another
 * device then derives other ids, as it should.
 */
public final class InstallSecret {
    static final int BYTES = 32;

    private InstallSecret() {
    }

    /**
     * The secret in {@code file}, made now if there is none (or the file is not 32 bytes: then
     * it is replaced, and ids derived before no longer match; their rankings age out).
     *
     * @throws UncheckedIOException when the file can be neither read nor written
     */
    public static byte[] at(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == BYTES) {
                return Files.readAllBytes(file);
            }
            byte[] secret = new byte[BYTES];
            new SecureRandom().nextBytes(secret);
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(temp);
            }
            Files.write(temp, secret);
            try {
                // two processes at once: the first one's secret stays, the other reads it
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(temp);
                return Files.readAllBytes(file);
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("the install secret " + file + " could not be read or made: " + e.getMessage(), e);
        }
    }
}
