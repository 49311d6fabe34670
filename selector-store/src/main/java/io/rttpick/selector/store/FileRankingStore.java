package io.rttpick.selector.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rttpick.selector.RankingStore;
import io.rttpick.selector.RememberedRankings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The fleet selector's remembered rankings in one JSON file, for
 * {@link io.rttpick.selector.FleetSelector.Builder#remember}. On Android, put it in
 * {@code getNoBackupFilesDir()}: rankings are per device and network, not for backups.
 *
 * <ul>
 *   <li>Readable by its owner only (mode 0600 where the file system has POSIX modes).</li>
 *   <li>Written atomically: a temporary file beside it, forced to disk, then moved over it, and
 *       the directory forced too (where the platform allows), so that the move survives a power
 *       cut. A temporary file left by a process killed mid-save is removed, under the lock, at the
 *       next load.</li>
 *   <li>Each save locks {@code FILE.lock}, reads the file again and merges (the newer entry wins
 *       per network and server): two processes of one app keep each other's updates.</li>
 *   <li>A file that is corrupt, truncated, of another format or version, too large or
 *       unreadable is ignored with one log line (java.util.logging, logger
 *       {@code io.rttpick.selector.store}) and replaced at the next save; it never throws.</li>
 * </ul>
 *
 * <p>Calls block on disk: the fleet selector makes them on its store scheduler, never on the caller's thread.
 */
public final class FileRankingStore implements RankingStore {
    static final String FORMAT = "rttpick-rankings";
    static final int VERSION = 1;
    /** Far above 32 networks of a few hundred servers; a bigger file is not ours to parse. */
    static final long MAX_BYTES = 8L << 20;
    private static final Logger LOG = Logger.getLogger("io.rttpick.selector.store");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    /** One JVM may not hold two locks on one file: its stores of one path take turns here first. */
    private static final ConcurrentHashMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private final Path tempFile;
    private final ObjectMapper json = new ObjectMapper();
    /** The last complaint logged: a save re-reads the file, and a file that stays bad is reported once. */
    private volatile String lastComplaint;

    private FileRankingStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
        this.tempFile = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    /** A store in {@code file} (created at the first save; its directory must exist). */
    public static FileRankingStore at(Path file) {
        return new FileRankingStore(Objects.requireNonNull(file, "file"));
    }

    public Path file() {
        return file;
    }

    @Override
    public RememberedRankings load() {
        synchronized (IN_PROCESS.computeIfAbsent(file, k -> new Object())) {
            try (FileChannel lock = openLock(); FileLock held = lock.lock()) {
                // a save killed before its move left this; under the lock no save is under way
                Files.deleteIfExists(tempFile);
                return read();
            } catch (IOException | RuntimeException e) {
                complain("rttpick: the rankings file " + file + " could not be locked or read (" + oneLine(e)
                        + "); starting from nothing");
                return RememberedRankings.EMPTY;
            }
        }
    }

    @Override
    public void save(RememberedRankings rankings) {
        synchronized (IN_PROCESS.computeIfAbsent(file, k -> new Object())) {
            try (FileChannel lock = openLock(); FileLock held = lock.lock()) {
                write(read().mergedWith(rankings));
            } catch (IOException | RuntimeException e) {
                complain("rttpick: the rankings file " + file + " could not be written (" + oneLine(e) + ")");
            }
        }
    }

    /** What went wrong, on one line: Jackson's own message without its source excerpt and location lines. */
    static String oneLine(Throwable e) {
        String text = e instanceof JsonProcessingException
                ? e.getClass().getSimpleName() + ": " + ((JsonProcessingException) e).getOriginalMessage()
                        + (((JsonProcessingException) e).getLocation() == null ? ""
                                : " (line " + ((JsonProcessingException) e).getLocation().getLineNr() + ", column "
                                        + ((JsonProcessingException) e).getLocation().getColumnNr() + ")")
                : String.valueOf(e);
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    private void complain(String line) {
        line = line.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        if (!line.equals(lastComplaint)) {
            lastComplaint = line;
            LOG.warning(line);
        }
    }

    private FileChannel openLock() throws IOException {
        createOwnerOnly(lockFile);
        return FileChannel.open(lockFile, StandardOpenOption.WRITE);
    }

    /** What the file holds; nothing when it is missing or not ours (one log line). */
    private RememberedRankings read() {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                complain("rttpick: the rankings file " + file + " is over " + MAX_BYTES + " bytes: ignored, rewritten at the"
                        + " next save");
                return RememberedRankings.EMPTY;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            return RememberedRankings.EMPTY;
        } catch (IOException | SecurityException e) {
            complain("rttpick: the rankings file " + file + " could not be read (" + oneLine(e) + "): ignored, rewritten at the next"
                    + " save");
            return RememberedRankings.EMPTY;
        }
        try {
            JsonNode root = json.readTree(bytes);
            RememberedRankings read = RankingsJson.fromJson(root);
            lastComplaint = null;
            return read;
        } catch (IOException | RankingsJson.NotOurs e) {
            complain("rttpick: the rankings file " + file + " is not a readable rankings file ("
                    + (e instanceof RankingsJson.NotOurs ? e.getMessage() : oneLine(e)) + "): ignored, rewritten at the next save");
            return RememberedRankings.EMPTY;
        }
    }

    private void write(RememberedRankings rankings) throws IOException {
        ObjectNode root = RankingsJson.toJson(json, rankings);
        Path temp = tempFile;
        Files.deleteIfExists(temp);
        createOwnerOnly(temp);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(json.writeValueAsBytes(root));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(file.getParent());
    }

    /** The rename is the directory's change: forced to disk where a directory can be opened (Linux, macOS; not Windows). */
    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException unsupported) {
            // the file itself was forced; where the platform has no directory sync, that is what can be done
        }
    }

    private static void createOwnerOnly(Path path) throws IOException {
        try {
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(path);
            }
        } catch (FileAlreadyExistsException exists) {
            // a lock file from before, or another process's: fine
        }
    }

    @Override
    public String toString() {
        return "FileRankingStore[" + file + "]";
    }
}
