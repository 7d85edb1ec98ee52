package io.nexusmonitor.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <state dir>/api-token}: the local secret that changes through the HTTP API need
 * ({@code Authorization: Bearer <token>}), like Jupyter's token. The engine creates it on its first
 * start with the API on; the CLI on the same machine reads it. The file holds one line, is readable
 * by its owner only (0600 where the file system has POSIX permissions) and appears atomically
 * (written to a temp file, then hard-linked into place, which fails instead of replacing when
 * another instance created it first), so a reader never sees half a token. The token itself is
 * never logged.
 */
public final class ApiTokenFile {
    public static final String FILE_NAME = "api-token";
    private static final Logger log = LoggerFactory.getLogger(ApiTokenFile.class);
    /** What a token may look like: one line of visible ASCII, at least 16 characters. */
    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{16,512}");

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private ApiTokenFile() {}

    /** Where the token lives for this state dir (the one rule engine and CLI share). */
    public static Path path(Path stateDir) {
        return stateDir.resolve(FILE_NAME);
    }

    /** The token in this state dir, or empty when there is none (or it cannot be read, or is not a token). */
    public static Optional<String> read(Path stateDir) {
        Path file = path(stateDir);
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim())
                    .filter(t -> VALID.matcher(t).matches());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * The token in this state dir, created first when there is none. A file that holds no usable
     * token is replaced; a file others may read is made owner-only, each with a warning.
     *
     * @throws IOException when the file can be neither read nor created
     */
    public static String readOrCreate(Path stateDir) throws IOException {
        Path file = path(stateDir);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (Files.exists(file)) {
                Optional<String> existing = read(stateDir);
                if (existing.isPresent()) {
                    tighten(file);
                    return existing.get();
                }
                log.warn("{} holds no usable token; writing a new one", file);
                return write(file, true);
            }
            try {
                return write(file, false);
            } catch (FileAlreadyExistsException raced) {
                // another instance created it a moment ago: read theirs
            }
        }
        throw new IOException("cannot settle " + file + ": it keeps changing");
    }

    private static String write(Path file, boolean replace) throws IOException {
        Path dir = Objects.requireNonNull(file.toAbsolutePath().getParent()); // a file's absolute path has one
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir,
                    posix(
                            dir,
                            PosixFilePermissions.asFileAttribute(EnumSet.of(
                                    PosixFilePermission.OWNER_READ,
                                    PosixFilePermission.OWNER_WRITE,
                                    PosixFilePermission.OWNER_EXECUTE))));
        }
        byte[] raw = new byte[32];
        // made here, not at class load: a start that finds its token needs no random source
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path tmp = Files.createTempFile(
                dir, "." + FILE_NAME, ".tmp", posix(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY)));
        try {
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
            if (replace) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try {
                    Files.createLink(file, tmp);
                } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
                    if (noLinks instanceof FileAlreadyExistsException e) {
                        throw e;
                    }
                    // no hard links here (some network or FAT file systems): move, which is atomic but may replace
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        log.info(
                "created {} (owner-only): changes through the HTTP API need this token as 'Authorization: Bearer <token>'",
                file);
        return token;
    }

    /** Makes a token file that group or others may read owner-only. */
    private static void tighten(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
                log.warn(
                        "{} was readable by other users; made it owner-only (0600). Anyone who read it could change "
                                + "the backends: delete the file to get a new token at the next start.",
                        file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX permissions on this file system
        }
    }

    private static FileAttribute<?>[] posix(Path dir, FileAttribute<?> attribute) throws IOException {
        return Files.getFileStore(dirOrAncestor(dir)).supportsFileAttributeView("posix")
                ? new FileAttribute<?>[] {attribute}
                : new FileAttribute<?>[0];
    }

    private static Path dirOrAncestor(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir : p;
    }
}
