package io.nexusmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenFileTest {
    @TempDir
    Path dir;

    @Test
    void instancesStartingTogetherAgreeOnOneToken() throws Exception {
        Path state = dir.resolve("fresh");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> starts = IntStream.range(0, 8)
                    .<Callable<String>>mapToObj(i -> () -> ApiTokenFile.readOrCreate(state))
                    .toList();
            List<String> tokens = pool.invokeAll(starts).stream()
                    .map(f -> {
                        try {
                            return f.get();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    })
                    .distinct()
                    .toList();

            assertThat(tokens).hasSize(1);
            assertThat(ApiTokenFile.read(state)).hasValue(tokens.get(0));
            try (var files = Files.list(state)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("api-token");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileWithoutAUsableTokenIsReplaced() throws Exception {
        Files.writeString(ApiTokenFile.path(dir), "short\n");

        String token = ApiTokenFile.readOrCreate(dir);

        assertThat(token).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo("short");
        assertThat(ApiTokenFile.read(dir)).hasValue(token);
    }

    @Test
    void aTokenFileOthersCanReadIsMadeOwnerOnly() throws Exception {
        Path file = ApiTokenFile.path(dir);
        Files.writeString(file, "a-token-somebody-wrote-by-hand\n");
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(ApiTokenFile.readOrCreate(dir)).isEqualTo("a-token-somebody-wrote-by-hand");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void readingAStateDirWithoutATokenGivesNothingAndCreatesNothing() {
        assertThat(ApiTokenFile.read(dir.resolve("none"))).isEmpty();
        assertThat(dir.resolve("none")).doesNotExist();
    }
}
