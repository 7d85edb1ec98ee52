package io.nexusmonitor.state;

import io.nexusmonitor.stats.HistoryRow;
import io.nexusmonitor.stats.RequestStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The telemetry history in the state dir: {@value #FILE}, an SQLite database in WAL mode (one
 * table, {@code request_stats}; the README's "Telemetry history" gives the schema), so it survives
 * a crash and a user can read it with {@code sqlite3}.
 *
 * <p>Per backend × model it keeps one row per minute for {@value #MINUTE_RETENTION_HOURS} h and one
 * per hour for {@value #HOUR_RETENTION_DAYS} days, and only for minutes and hours that had
 * requests. Rows older than that are deleted at every write, and the file may not grow past
 * {@value #MAX_MEGABYTES} MB (SQLite's {@code max_page_count}; when full, the oldest minute rows go
 * first). Writes happen on this class's own thread, once a minute, in one transaction (the rows
 * of the minutes that ended and of the current hour, replaced whole), and once more at
 * {@link #close}; the request path never waits for the disk. At start the rows still inside the
 * in-memory windows (the last hour's minutes, the last day's hours) are read back into
 * {@link RequestStats}.
 *
 * <p>A file that is not a database or is damaged is moved aside as {@code stats.db.corrupt-<time>}
 * (with its {@code -wal} and {@code -shm}) and a new one started; a database another running
 * instance holds is left alone and this run keeps no history. Either is logged, never fatal.
 */
public final class StatsHistory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsHistory.class);
    public static final String FILE = "stats.db";
    public static final int MINUTE_RETENTION_HOURS = 24;
    public static final int HOUR_RETENTION_DAYS = 30;
    public static final int MAX_MEGABYTES = 64;
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final int PAGE_SIZE = 4096;

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS request_stats (
              resolution        TEXT    NOT NULL CHECK (resolution IN ('minute', 'hour')),
              start_ms          INTEGER NOT NULL,
              backend_url       TEXT    NOT NULL,
              backend_name      TEXT    NOT NULL,
              model             TEXT    NOT NULL,
              requests          INTEGER NOT NULL,
              errors            INTEGER NOT NULL,
              client_errors     INTEGER NOT NULL,
              cancelled         INTEGER NOT NULL,
              prompt_tokens     INTEGER NOT NULL,
              completion_tokens INTEGER NOT NULL,
              estimated         INTEGER NOT NULL,
              gen_tokens        INTEGER NOT NULL,
              gen_ns            INTEGER NOT NULL,
              ttft_p50_ms       REAL,
              ttft_p95_ms       REAL,
              duration_p50_ms   REAL,
              duration_p95_ms   REAL,
              ttft_hist         BLOB,
              duration_hist     BLOB,
              PRIMARY KEY (resolution, start_ms, backend_url, model)
            ) WITHOUT ROWID""";

    private final Path file;
    private final RequestStats stats;
    private final ScheduledExecutorService writer;
    private @Nullable Connection db;
    /** Minutes before this start have been written. */
    private long writtenUpTo;
    /** {@link RequestStats#version()} when the hour rows were last written (-1: never). */
    private long hoursWrittenAt = -1;

    private volatile @Nullable String problem;

    private StatsHistory(Path stateDir, RequestStats stats) {
        this.file = stateDir.resolve(FILE);
        this.stats = stats;
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nexus-stats-history");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (or creates) the history on its own thread, reads the recent rows back into {@code stats}
     * and writes once a minute from then on. Returns at once.
     */
    public static StatsHistory start(Path stateDir, RequestStats stats) {
        StatsHistory h = new StatsHistory(stateDir, stats);
        h.writer.execute(h::open);
        long now = stats.now();
        long delay = MINUTE - Math.floorMod(now, MINUTE) + 2_000; // just after each minute ends
        h.writer.scheduleAtFixedRate(() -> h.write(false), delay, MINUTE, TimeUnit.MILLISECONDS);
        return h;
    }

    /** Null while the history works; else the sentence saying why this run keeps none. */
    public @Nullable String problem() {
        return problem;
    }

    public Path path() {
        return file;
    }

    /** Runs {@code task} on the history's thread and waits for it (tests: after a write). */
    void sync() throws Exception {
        writer.submit(() -> {}).get(10, TimeUnit.SECONDS);
    }

    private void open() {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            db = connect();
        } catch (SQLException e) {
            closeQuietly();
            if (isLocked(e)) {
                problem = "the telemetry history " + file
                        + " is in use by another running instance; this run keeps no history";
                log.warn(problem);
                return;
            }
            String why = e.getMessage() == null ? "unreadable" : e.getMessage();
            new StateFile(file).moveAside(why);
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Path side = file.resolveSibling(FILE + suffix);
                if (Files.exists(side)) {
                    new StateFile(side).moveAside(why);
                }
            }
            try {
                db = connect();
            } catch (SQLException again) {
                closeQuietly();
                problem = "the telemetry history " + file + " cannot be opened (" + again.getMessage()
                        + "); this run keeps no history";
                log.warn(problem);
                return;
            }
        } catch (java.io.IOException | RuntimeException | LinkageError e) {
            closeQuietly();
            problem = "the telemetry history " + file + " cannot be opened (" + e + "); this run keeps no history";
            log.warn(problem);
            return;
        }
        try {
            int restored = restore();
            log.info(
                    "telemetry history {}: {} recent row(s) read back in {} ms",
                    file,
                    restored,
                    (System.nanoTime() - t0) / 1_000_000);
        } catch (SQLException e) {
            log.warn("reading the telemetry history back failed ({}); it starts empty", e.getMessage());
        }
        long now = stats.now();
        writtenUpTo = now - Math.floorMod(now, MINUTE);
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 2000");
            try (ResultSet r = s.executeQuery("PRAGMA journal_mode = WAL")) {
                r.next();
            }
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA max_page_count = " + (MAX_MEGABYTES * 1024L * 1024 / PAGE_SIZE));
            try (ResultSet r = s.executeQuery("PRAGMA quick_check")) {
                String verdict = r.next() ? r.getString(1) : "no answer";
                if (!"ok".equals(verdict)) {
                    throw new SQLException("damaged: " + verdict);
                }
            }
            s.execute(SCHEMA);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static boolean isLocked(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED") || m.contains("database is locked");
    }

    private int restore() throws SQLException {
        Connection db = Objects.requireNonNull(this.db); // called by open() right after connect() succeeded
        long now = stats.now();
        long minuteFrom = now - Math.floorMod(now, MINUTE) - 60 * MINUTE;
        long hourFrom = now - Math.floorMod(now, HOUR) - 24 * HOUR;
        List<HistoryRow> rows = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(
                "SELECT resolution, start_ms, backend_url, backend_name, model, "
                        + "requests, errors, client_errors, cancelled, prompt_tokens, completion_tokens, estimated, gen_tokens, "
                        + "gen_ns, ttft_p50_ms, ttft_p95_ms, duration_p50_ms, duration_p95_ms, ttft_hist, duration_hist "
                        + "FROM request_stats WHERE (resolution = 'minute' AND start_ms >= ?) OR (resolution = 'hour' AND start_ms >= ?)")) {
            q.setLong(1, minuteFrom);
            q.setLong(2, hourFrom);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rows.add(new HistoryRow(
                            r.getString(1).equals("hour"),
                            r.getLong(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getLong(6),
                            r.getLong(7),
                            r.getLong(8),
                            r.getLong(9),
                            r.getLong(10),
                            r.getLong(11),
                            r.getLong(12),
                            r.getLong(13),
                            r.getLong(14),
                            r.getDouble(15),
                            r.getDouble(16),
                            r.getDouble(17),
                            r.getDouble(18),
                            r.getBytes(19),
                            r.getBytes(20)));
                }
            }
        }
        stats.restore(rows);
        return rows.size();
    }

    /** Writes the minutes that ended (all of them, the current one too, when {@code everything}) and the current hour. */
    private void write(boolean everything) {
        if (db == null) {
            return;
        }
        long now = stats.now();
        long minute = now - Math.floorMod(now, MINUTE);
        long hour = now - Math.floorMod(now, HOUR);
        long upTo = everything ? minute + MINUTE : minute;
        long version = stats.version(); // before reading: a request added meanwhile is written next time too
        List<HistoryRow> rows = new ArrayList<>(stats.rows(false, writtenUpTo, upTo));
        // the hour that just ended and the one going on, replaced whole (crash-safe to a minute) when
        // a request was added to it since the last write that went through
        rows.addAll(stats.rows(true, hour - HOUR, hour + HOUR, hoursWrittenAt));
        try {
            insert(rows);
            writtenUpTo = upTo;
            hoursWrittenAt = version;
            prune(now);
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("SQLITE_FULL")) {
                try {
                    makeRoom(now);
                    insert(rows);
                    writtenUpTo = upTo;
                    hoursWrittenAt = version;
                    return;
                } catch (SQLException again) {
                    e = again;
                }
            }
            log.warn("writing the telemetry history failed ({}); the figures stay in memory", e.getMessage());
        }
    }

    private void insert(List<HistoryRow> rows) throws SQLException {
        Connection db =
                Objects.requireNonNull(this.db); // called by write(), which returns while there is no connection
        if (rows.isEmpty()) {
            return;
        }
        db.setAutoCommit(false);
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO request_stats VALUES "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (HistoryRow r : rows) {
                int i = 1;
                p.setString(i++, r.hourly() ? "hour" : "minute");
                p.setLong(i++, r.startMillis());
                p.setString(i++, r.backendUrl());
                p.setString(i++, r.backendName() == null ? "" : r.backendName());
                p.setString(i++, r.model());
                p.setLong(i++, r.requests());
                p.setLong(i++, r.errors());
                p.setLong(i++, r.clientErrors());
                p.setLong(i++, r.cancelled());
                p.setLong(i++, r.promptTokens());
                p.setLong(i++, r.completionTokens());
                p.setLong(i++, r.estimated());
                p.setLong(i++, r.genTokens());
                p.setLong(i++, r.genNanos());
                setReal(p, i++, r.ttftP50Ms());
                setReal(p, i++, r.ttftP95Ms());
                setReal(p, i++, r.durationP50Ms());
                setReal(p, i++, r.durationP95Ms());
                p.setBytes(i++, r.ttftHistogram());
                p.setBytes(i, r.durationHistogram());
                p.addBatch();
            }
            p.executeBatch();
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    private static void setReal(PreparedStatement p, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            p.setNull(i, java.sql.Types.REAL);
        } else {
            p.setDouble(i, v);
        }
    }

    private void prune(long now) throws SQLException {
        Connection db =
                Objects.requireNonNull(this.db); // called by write(), which returns while there is no connection
        try (PreparedStatement p =
                db.prepareStatement("DELETE FROM request_stats WHERE (resolution = 'minute' AND start_ms < ?) "
                        + "OR (resolution = 'hour' AND start_ms < ?)")) {
            p.setLong(1, now - MINUTE_RETENTION_HOURS * HOUR);
            p.setLong(2, now - HOUR_RETENTION_DAYS * 24 * HOUR);
            p.executeUpdate();
        }
    }

    /** The file reached its cap: the older half of the minute rows go (hour rows keep the long view). */
    private void makeRoom(long now) throws SQLException {
        Connection db =
                Objects.requireNonNull(this.db); // called by write(), which returns while there is no connection
        try (Statement s = db.createStatement()) {
            s.executeUpdate("DELETE FROM request_stats WHERE resolution = 'minute' AND start_ms < "
                    + (now - MINUTE_RETENTION_HOURS * HOUR / 2));
        }
        log.warn(
                "the telemetry history reached {} MB; minute rows older than {} h were deleted",
                MAX_MEGABYTES,
                MINUTE_RETENTION_HOURS / 2);
    }

    private void closeQuietly() {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // closing a connection that failed to open
            }
            db = null;
        }
    }

    /** Writes what is in memory (the current minute too) and closes the database. */
    @Override
    public void close() {
        writer.execute(() -> {
            write(true);
            closeQuietly();
        });
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("the telemetry history did not finish its last write within 5 s");
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
