package io.nexusmonitor.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nexusmonitor.stats.Outcome;
import io.nexusmonitor.stats.RequestRecord;
import io.nexusmonitor.stats.RequestStats;
import io.nexusmonitor.stats.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsHistoryTest {
    @TempDir
    Path dir;

    private static RequestRecord ok(long at, long ttftMs, int out) {
        return new RequestRecord(
                "b1",
                "http://127.0.0.1:9",
                "box",
                "llama3",
                at,
                ttftMs * 1_000_000,
                ttftMs * 1_000_000,
                (ttftMs + 100) * 1_000_000,
                7,
                out,
                false,
                Outcome.OK);
    }

    private Connection sqlite() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(StatsHistory.FILE));
    }

    private long count(String where) throws Exception {
        try (Connection c = sqlite();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM request_stats WHERE " + where)) {
            return r.getLong(1);
        }
    }

    @Test
    void figuresSurviveARestartInAWalDatabase() throws Exception {
        RequestStats first = new RequestStats();
        StatsHistory h = StatsHistory.start(dir, first);
        h.sync();
        for (int i = 1; i <= 20; i++) {
            first.finished(ok(first.now(), i * 5, 30));
        }
        h.close();

        assertThat(count("resolution = 'minute'")).isEqualTo(1);
        assertThat(count("resolution = 'hour'")).isEqualTo(1);
        try (Connection c = sqlite();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            assertThat(r.getString(1)).isEqualTo("wal");
        }
        try (Connection c = sqlite();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT backend_url, model, requests, completion_tokens, ttft_p50_ms FROM request_stats WHERE resolution = 'minute'")) {
            assertThat(r.getString(1)).isEqualTo("http://127.0.0.1:9");
            assertThat(r.getString(2)).isEqualTo("llama3");
            assertThat(r.getLong(3)).isEqualTo(20);
            assertThat(r.getLong(4)).isEqualTo(600);
            assertThat(r.getDouble(5)).isBetween(49.0, 51.0);
        }

        RequestStats second = new RequestStats();
        StatsHistory again = StatsHistory.start(dir, second);
        again.sync();
        assertThat(again.problem()).isNull();
        assertThat(second.summary(Window.H1)).isEqualTo(first.summary(Window.H1));
        assertThat(second.summary(Window.H24).completionTokens()).isEqualTo(600);
        again.close();
    }

    @Test
    void rowsPastTheirRetentionArePruned() throws Exception {
        StatsHistory h = StatsHistory.start(dir, new RequestStats());
        h.sync();
        h.close();
        long now = System.currentTimeMillis();
        try (Connection c = sqlite();
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO request_stats VALUES ('minute', " + (now - 25 * 3_600_000L)
                    + ", 'http://x', 'x', 'm', 1, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL)");
            s.executeUpdate("INSERT INTO request_stats VALUES ('hour', " + (now - 25 * 3_600_000L)
                    + ", 'http://x', 'x', 'm', 1, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL)");
            s.executeUpdate("INSERT INTO request_stats VALUES ('hour', " + (now - 31 * 24 * 3_600_000L)
                    + ", 'http://x', 'x', 'm', 1, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL)");
        }
        StatsHistory again = StatsHistory.start(dir, new RequestStats());
        again.sync();
        again.close(); // its last write prunes
        assertThat(count("resolution = 'minute'")).isZero();
        assertThat(count("resolution = 'hour'")).isEqualTo(1); // 25 h old: inside 30 days
    }

    @Test
    void aFileThatIsNoDatabaseIsMovedAsideAndANewOneStarted() throws Exception {
        Files.writeString(
                dir.resolve(StatsHistory.FILE), "this is not a database, it is a text file with some length to it");
        RequestStats stats = new RequestStats();
        StatsHistory h = StatsHistory.start(dir, stats);
        h.sync();
        assertThat(h.problem()).isNull();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("stats.db.corrupt-"));
        }
        stats.finished(ok(stats.now(), 10, 1));
        h.close();
        assertThat(count("1 = 1")).isEqualTo(2);
    }

    @Test
    void aDatabaseAnotherInstanceHoldsIsLeftAloneAndThisRunKeepsNoHistory() throws Exception {
        try (Connection other = sqlite();
                Statement s = other.createStatement()) {
            s.execute("PRAGMA locking_mode = EXCLUSIVE");
            s.execute("CREATE TABLE held (x)");
            s.execute("BEGIN EXCLUSIVE");
            s.execute("INSERT INTO held VALUES (1)");
            StatsHistory h = StatsHistory.start(dir, new RequestStats());
            await().atMost(Duration.ofSeconds(15)).until(() -> h.problem() != null);
            assertThat(h.problem()).contains("in use by another running instance");
            h.close();
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("corrupt"));
            }
            s.execute("COMMIT");
        }
    }
}
