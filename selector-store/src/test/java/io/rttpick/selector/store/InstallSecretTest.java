package io.rttpick.selector.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rttpick.selector.NetworkId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallSecretTest {
    @TempDir
    Path dir;

    @Test
    void madeOnceOwnerOnlyThenReadAgainSoIdsStayTheSame() throws Exception {
        Path file = dir.resolve("network-id.secret");
        byte[] first = InstallSecret.at(file);
        assertEquals(32, first.length);
        assertFalse(Arrays.equals(new byte[32], first));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertArrayEquals(first, InstallSecret.at(file));
        assertEquals(NetworkId.derive(first, "26201"), NetworkId.derive(InstallSecret.at(file), "26201"));
        Files.write(file, new byte[] {1, 2, 3}); // damaged: replaced
        assertEquals(32, InstallSecret.at(file).length);
        assertFalse(Arrays.equals(InstallSecret.at(dir.resolve("another-install")), InstallSecret.at(file)));
    }
}
