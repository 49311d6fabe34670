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
    /**
     * The last line said of reading and of writing each file, by this process's stores of it: a
     * fault that stays (a full disk, a read-only directory) is said once, not at every save; a
     * read or a write that works again clears what was said of it.
     */
    private static final ConcurrentHashMap<String, String> SAID = new ConcurrentHashMap<>();

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
            FileChannel lock;
            try {
                lock = openLock();
            } catch (IOException | RuntimeException e) {
                // no lock can be had (a read-only directory, no permission): nobody can be mid-save there either
                Read r = read();
                complain(READING, "rttpick: the rankings file " + file + " is read without its lock, which cannot be opened ("
                        + oneLine(e) + ")" + (r.problem == null ? "" : "; " + r.problem));
                return r.rankings;
            }
            try (FileChannel held = lock; FileLock locked = held.lock()) {
                // a save killed before its move left this; under the lock no save is under way
                Files.deleteIfExists(tempFile);
                Read r = read();
                if (r.problem != null) {
                    complain(READING, "rttpick: the rankings file " + file + " " + r.problem + ": ignored, rewritten at the next save");
                } else {
                    cleared(READING);
                }
                return r.rankings;
            } catch (IOException | RuntimeException e) {
                complain(READING, "rttpick: the rankings file " + file + " could not be locked or read (" + oneLine(e)
                        + "); starting from nothing");
                return RememberedRankings.EMPTY;
            }
        }
    }

    /**
     * Merges {@code rankings} with what the file holds and writes the result. Never throws: a fault
     * is one log line (what was read and what was written said together), and the file is left as
     * it was, whole, with no temporary file beside it.
     */
    @Override
    public void save(RememberedRankings rankings) {
        synchronized (IN_PROCESS.computeIfAbsent(file, k -> new Object())) {
            String unreadable = null;
            try (FileChannel lock = openLock(); FileLock held = lock.lock()) {
                Read r = read();
                unreadable = r.problem;
                write(r.rankings.mergedWith(rankings));
                if (unreadable != null) {
                    // the same line a load says: said once, whichever noticed first
                    complain(READING, "rttpick: the rankings file " + file + " " + unreadable
                            + ": ignored, rewritten at the next save");
                }
                cleared(READING);
                cleared(WRITING);
            } catch (IOException | RuntimeException e) {
                complain(WRITING, "rttpick: the rankings file " + file + " could not be written (" + oneLine(e) + ")"
                        + (unreadable == null ? "" : "; it " + unreadable.replaceFirst("^is ", "was ")) + "; what this process"
                        + " learnt stays in its memory");
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

    private static final String READING = " reading";
    private static final String WRITING = " writing";

    /** Says {@code line} on one line, unless it is what was said last of this file's {@code what} (reading, writing). */
    private void complain(String what, String line) {
        String one = line.replaceAll("\\s*[\\r\\n]+\\s*", " ");
        if (!one.equals(SAID.put(file + what, one))) {
            LOG.warning(one);
        }
    }

    /** {@code what} (reading, writing) works again: a fault of it that comes back is said again. */
    private void cleared(String what) {
        SAID.remove(file + what);
    }

    private FileChannel openLock() throws IOException {
        createOwnerOnly(lockFile);
        return FileChannel.open(lockFile, StandardOpenOption.WRITE);
    }

    /** What the file holds, or nothing and why not (a missing file is nothing, with no complaint). */
    private static final class Read {
        final RememberedRankings rankings;
        final String problem;

        Read(RememberedRankings rankings, String problem) {
            this.rankings = rankings;
            this.problem = problem;
        }
    }

    private Read read() {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                return new Read(RememberedRankings.EMPTY, "is over " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            return new Read(RememberedRankings.EMPTY, null);
        } catch (IOException | SecurityException e) {
            return new Read(RememberedRankings.EMPTY, "could not be read (" + oneLine(e) + ")");
        }
        try {
            JsonNode root = json.readTree(bytes);
            return new Read(RankingsJson.fromJson(root), null);
        } catch (IOException | RankingsJson.NotOurs e) {
            return new Read(RememberedRankings.EMPTY, "is not a readable rankings file ("
                    + (e instanceof RankingsJson.NotOurs ? e.getMessage() : oneLine(e)) + ")");
        }
    }

    private void write(RememberedRankings rankings) throws IOException {
        ObjectNode root = RankingsJson.toJson(json, rankings);
        Path temp = tempFile;
        Files.deleteIfExists(temp);
        createOwnerOnly(temp);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(json.writeValueAsBytes(root));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // a full disk, the file turned into a directory: the half-written copy goes, the file stays as it was
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the directory refuses that too: the next load removes it
            }
            throw e;
        }
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
