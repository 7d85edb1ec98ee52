package io.nexusmonitor.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON file in the state dir ({@code pins.json}, {@code window.json}), written atomically and
 * read forgivingly.
 *
 * <p>Writes go to a temp file in the same directory, are flushed to disk, then moved over the old
 * file in one atomic rename, so a crash leaves the old file or the new one, never half of one.
 * A file that cannot be parsed is moved aside as {@code NAME.corrupt-<time>} with a warning and
 * reading goes on as if there were none: bad state never stops the program, and is never lost.
 * A write killed half-way ({@code kill -9}, power loss) leaves its temp file {@code .NAME*.tmp}
 * behind; reading (at start) removes such leftovers.
 */
public final class StateFile {
    private static final Logger log = LoggerFactory.getLogger(StateFile.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private static final java.util.Set<PosixFilePermission> OWNER_ONLY =
            java.util.EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** A temp file no write touched for this long is a leftover. */
    static final long LEFTOVER_AGE_S = 10;

    private final Path file;
    private final Clock clock;
    private final boolean ownerOnly;

    public StateFile(Path file) {
        this(file, Clock.systemUTC());
    }

    public StateFile(Path file, Clock clock) {
        this(file, clock, false);
    }

    /**
     * @param ownerOnly true for a file that may hold secrets (backend keys in {@code pins.json}): it is
     *                  written with mode 0600 where the file system has POSIX permissions. The temp
     *                  file is created with that mode before a byte is written and renamed over the old
     *                  file, so the file never exists with a wider mode, whatever the old one had.
     */
    public StateFile(Path file, Clock clock, boolean ownerOnly) {
        this.file = file;
        this.clock = clock;
        this.ownerOnly = ownerOnly;
    }

    public Path path() {
        return file;
    }

    /**
     * The file's JSON, or empty when it does not exist or was corrupt (then it is moved aside).
     * First removes the temp files of writes that never finished.
     */
    public Optional<JsonNode> read() {
        removeLeftoverTempFiles();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new IOException("file is empty");
            }
            return Optional.of(node);
        } catch (IOException e) {
            moveAside(e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Moves the file aside as corrupt (for a caller that found its JSON well-formed but its content
     * unusable), with a warning naming where it went.
     */
    public void moveAside(@Nullable String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(clock.instant()));
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.warn(
                    "state file {} is unreadable ({}); moved it to {} and started without it",
                    file,
                    firstLine(why),
                    aside.getFileName());
        } catch (IOException moveFailed) {
            log.warn(
                    "state file {} is unreadable ({}) and could not be moved aside: {}",
                    file,
                    firstLine(why),
                    moveFailed.getMessage());
        }
    }

    /**
     * Deletes {@code .NAME*.tmp} files next to the file that no write touched for
     * {@value #LEFTOVER_AGE_S} s (a write takes milliseconds; a younger one may belong to a write in
     * progress). Returns how many went.
     */
    int removeLeftoverTempFiles() {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = "." + file.getFileName();
        Instant before = Instant.now().minusSeconds(LEFTOVER_AGE_S); // file times are wall-clock times
        int removed = 0;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
        })) {
            for (Path t : temps) {
                try {
                    if (Files.getLastModifiedTime(t, LinkOption.NOFOLLOW_LINKS)
                            .toInstant()
                            .isBefore(before)) {
                        Files.deleteIfExists(t);
                        removed++;
                    }
                } catch (IOException e) {
                    log.debug("cannot remove leftover {}: {}", t.getFileName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            log.debug("cannot look for leftover temp files of {}: {}", file.getFileName(), e.getMessage());
        }
        if (removed > 0) {
            log.info("removed {} unfinished temp file(s) of {} left by an earlier run", removed, file.getFileName());
        }
        return removed;
    }

    /** Replaces the file with this JSON atomically (temp file, fsync, rename). */
    public void write(JsonNode json) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        Path tmp = ownerOnly && posix
                ? Files.createTempFile(
                        dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (ownerOnly && posix && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY); // a move that copied instead of renaming
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
