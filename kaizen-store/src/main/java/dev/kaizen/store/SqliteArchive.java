package dev.kaizen.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kaizen.core.archive.Admission;
import dev.kaizen.core.archive.Archive;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.archive.EliteGrid;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.program.ProgramId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * An {@link Archive} kept in one SQLite file, so that a run survives a crash and can be resumed.
 *
 * <p>Every candidate is a row of {@code candidates}; the current MAP-Elites elites are the rows of
 * {@code members} (one per island and cell); run-level state is in {@code meta}. {@link #add} writes
 * the candidate and, when it takes its cell, the member in one transaction, so a crash at any moment
 * leaves both or neither. The file is in WAL mode with {@code synchronous=NORMAL}: a committed add
 * survives the process being killed (a power loss may lose the last few).
 *
 * <p>One process writes ({@link #open}, which holds {@code <file>-writer.lock} while open); any
 * number of others may read at the same time ({@link #openReadOnly}), e.g. a {@code status} command
 * during a run. A read-only archive follows the writer: elites, best and size are reloaded when the
 * file has changed since the last call.
 *
 * <p>Times are stored in whole milliseconds: {@link #add} returns the candidate as stored (creation
 * time, elapsed time and time limit truncated to milliseconds), which is exactly what {@link #find}
 * returns later. Code text round-trips exactly. Thread-safe: one connection, guarded by a lock.
 */
public final class SqliteArchive implements Archive {

    /** The {@code meta} key under which the archive records its island count; reserved. */
    public static final String ISLANDS_KEY = "archive.islands";

    /** Marks the file as a Kaizen archive ({@code PRAGMA application_id}, "KZAR"). */
    static final int APPLICATION_ID = 0x4B5A4152;

    /** The layout this class reads and writes ({@code PRAGMA user_version}). */
    static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> REGIONS = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<TreeMap<String, Double>> METRICS = new TypeReference<>() {};

    private static final String COLUMNS = "seq, id, code, parents, operator, description, patch, outcome_kind, outcome_reason, "
            + "exit_code, timeout_ms, metrics, feedback, stage, elapsed_ms, fitness, island, cell, generation, created_at_ms";

    private static final List<String> SCHEMA = List.of(
            """
            CREATE TABLE candidates (
              seq INTEGER PRIMARY KEY,
              id TEXT NOT NULL UNIQUE,
              code TEXT NOT NULL,
              parents TEXT NOT NULL,
              operator TEXT NOT NULL,
              description TEXT NOT NULL,
              patch TEXT NOT NULL,
              outcome_kind TEXT NOT NULL,
              outcome_reason TEXT NOT NULL,
              exit_code INTEGER,
              timeout_ms INTEGER,
              metrics TEXT NOT NULL,
              feedback TEXT NOT NULL,
              stage TEXT NOT NULL,
              elapsed_ms INTEGER NOT NULL,
              fitness REAL,
              island INTEGER NOT NULL,
              cell TEXT NOT NULL,
              generation INTEGER NOT NULL,
              created_at_ms INTEGER NOT NULL
            )""",
            """
            CREATE TABLE members (
              island INTEGER NOT NULL,
              cell TEXT NOT NULL,
              seq INTEGER NOT NULL REFERENCES candidates(seq),
              PRIMARY KEY (island, cell)
            ) WITHOUT ROWID""",
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
            "PRAGMA application_id = " + APPLICATION_ID,
            "PRAGMA user_version = " + SCHEMA_VERSION);

    private final Path file;
    private final boolean readOnly;
    private final Connection connection;
    private final FileChannel lockChannel;
    private final int islands;
    private final ReentrantLock lock = new ReentrantLock();

    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement rollback;
    private final PreparedStatement insertCandidate;
    private final PreparedStatement upsertMember;
    private final PreparedStatement selectById;
    private final PreparedStatement containsId;
    private final PreparedStatement selectHistory;
    private final PreparedStatement upsertMeta;
    private final PreparedStatement selectMeta;

    private EliteGrid grid;
    private long size;
    private long dataVersion = Long.MIN_VALUE;
    private boolean closed;

    private SqliteArchive(Path file, boolean readOnly, Connection connection, FileChannel lockChannel, int islands) throws SQLException {
        this.file = file;
        this.readOnly = readOnly;
        this.connection = connection;
        this.lockChannel = lockChannel;
        this.islands = islands;
        this.begin = connection.prepareStatement(readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE");
        this.commit = connection.prepareStatement("COMMIT");
        this.rollback = connection.prepareStatement("ROLLBACK");
        this.insertCandidate = connection.prepareStatement(
                "INSERT INTO candidates (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.upsertMember = connection.prepareStatement(
                "INSERT INTO members (island, cell, seq) VALUES (?, ?, ?) ON CONFLICT (island, cell) DO UPDATE SET seq = excluded.seq");
        this.selectById = connection.prepareStatement("SELECT " + COLUMNS + " FROM candidates WHERE id = ?");
        this.containsId = connection.prepareStatement("SELECT 1 FROM candidates WHERE id = ?");
        this.selectHistory = connection.prepareStatement("SELECT " + COLUMNS + " FROM candidates WHERE seq > ? ORDER BY seq LIMIT ?");
        this.upsertMeta = connection.prepareStatement(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        this.selectMeta = connection.prepareStatement("SELECT value FROM meta WHERE key = ?");
        this.grid = new EliteGrid(islands);
    }

    /**
     * Opens the archive in {@code dbFile} for writing, creating the file (and its directory) with
     * {@code islands} islands when it does not exist. An existing archive must have been created
     * with the same number of islands. Fails when another process has it open for writing.
     */
    public static SqliteArchive open(Path dbFile, int islands) {
        Objects.requireNonNull(dbFile, "dbFile");
        if (islands < 1) {
            throw new IllegalArgumentException("an archive needs at least one island, got " + islands);
        }
        Path file = dbFile.toAbsolutePath();
        FileChannel lockChannel = lockForWriting(file);
        Connection connection = null;
        try {
            connection = connect(file, false);
            int stored = prepareSchema(file, connection, islands);
            if (stored != islands) {
                throw new IllegalArgumentException("archive " + file + " was created with " + stored + " islands, but "
                        + islands + " were asked for; use the same island count to resume it, or start a new archive");
            }
            SqliteArchive archive = new SqliteArchive(file, false, connection, lockChannel, islands);
            archive.load();
            return archive;
        } catch (SQLException e) {
            closeQuietly(connection);
            closeQuietly(lockChannel);
            throw new StoreException("cannot open archive " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            closeQuietly(lockChannel);
            throw e;
        }
    }

    /**
     * Opens an existing archive for reading only, alongside a writer in another process (or none).
     * Writes fail; elites, best and size follow what the writer has committed.
     */
    public static SqliteArchive openReadOnly(Path dbFile) {
        Objects.requireNonNull(dbFile, "dbFile");
        Path file = dbFile.toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no archive at " + file);
        }
        Connection connection = null;
        try {
            connection = connect(file, true);
            int islands = readHeader(file, connection);
            SqliteArchive archive = new SqliteArchive(file, true, connection, null, islands);
            archive.lock.lock();
            try {
                archive.refresh();
            } finally {
                archive.lock.unlock();
            }
            return archive;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreException("cannot open archive " + file + " for reading: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** The archive's file. */
    public Path file() {
        return file;
    }

    /** Whether this archive was opened with {@link #openReadOnly}. */
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public Admission add(Candidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        lock.lock();
        try {
            checkWritable();
            checkIsland(candidate.island());
            Candidate stored = asStored(candidate, size + 1);
            boolean elite = grid.wouldTake(stored, stored.island());
            boolean newBest = elite && grid.wouldBeBest(stored);
            try {
                begin.execute();
                bindCandidate(stored);
                insertCandidate.executeUpdate();
                if (elite) {
                    bindMember(stored.island(), stored.cell(), stored.seq());
                    upsertMember.executeUpdate();
                }
                commit.execute();
            } catch (SQLException e) {
                rollbackAfter(e);
                if (alreadyStored(stored.id(), e)) {
                    throw new IllegalStateException("program " + stored.id().shortHex() + " is already stored in archive " + file);
                }
                throw failure("add candidate " + stored.id().shortHex(), e);
            }
            grid.offer(stored, stored.island());
            size = stored.seq();
            return new Admission(stored, elite, newBest);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean place(ProgramId id, int island) {
        Objects.requireNonNull(id, "id");
        lock.lock();
        try {
            checkWritable();
            checkIsland(island);
            Candidate candidate = findLocked(id).orElseThrow(
                    () -> new IllegalArgumentException("program " + id.shortHex() + " is not stored in archive " + file));
            if (!grid.wouldTake(candidate, island)) {
                return false;
            }
            try {
                begin.execute();
                bindMember(island, candidate.cell(), candidate.seq());
                upsertMember.executeUpdate();
                commit.execute();
            } catch (SQLException e) {
                rollbackAfter(e);
                throw failure("place " + id.shortHex() + " on island " + island, e);
            }
            grid.offer(candidate, island);
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean contains(ProgramId id) {
        Objects.requireNonNull(id, "id");
        lock.lock();
        try {
            checkOpen();
            return containsLocked(id);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Candidate> find(ProgramId id) {
        Objects.requireNonNull(id, "id");
        lock.lock();
        try {
            checkOpen();
            return findLocked(id);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Candidate> elites(int island) {
        lock.lock();
        try {
            checkOpen();
            refresh();
            return grid.elites(island);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Candidate> best() {
        lock.lock();
        try {
            checkOpen();
            refresh();
            return grid.best();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long size() {
        lock.lock();
        try {
            checkOpen();
            refresh();
            return size;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int islands() {
        return islands;
    }

    @Override
    public List<Candidate> history(long afterSeq, int limit) {
        lock.lock();
        try {
            checkOpen();
            if (limit <= 0) {
                return List.of();
            }
            selectHistory.setLong(1, Math.max(0, afterSeq));
            selectHistory.setInt(2, limit);
            List<Candidate> page = new ArrayList<>();
            try (ResultSet rs = selectHistory.executeQuery()) {
                while (rs.next()) {
                    page.add(readCandidate(rs));
                }
            }
            return List.copyOf(page);
        } catch (SQLException e) {
            throw failure("read history after seq " + afterSeq, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Written at once (its own transaction). The key {@value #ISLANDS_KEY} is reserved.
     */
    @Override
    public void putMeta(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of meta key '" + key + "'");
        if (key.equals(ISLANDS_KEY)) {
            throw new IllegalArgumentException("meta key '" + ISLANDS_KEY + "' is reserved: it records the archive's island count");
        }
        lock.lock();
        try {
            checkWritable();
            upsertMeta.setString(1, key);
            upsertMeta.setString(2, value);
            upsertMeta.executeUpdate();
        } catch (SQLException e) {
            throw failure("write meta key '" + key + "'", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<String> meta(String key) {
        Objects.requireNonNull(key, "key");
        lock.lock();
        try {
            checkOpen();
            return readMeta(connection, key);
        } catch (SQLException e) {
            throw failure("read meta key '" + key + "'", e);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the connection (and releases the writer lock); further calls fail. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (!readOnly) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("PRAGMA optimize");
                    }
                }
                connection.close();
            } catch (SQLException e) {
                throw failure("close", e);
            } finally {
                closeQuietly(lockChannel);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SqliteArchive[" + file + (readOnly ? ", read-only" : "") + "]";
    }

    // ---------------------------------------------------------------- opening

    private static FileChannel lockForWriting(Path file) {
        Path lockFile = file.resolveSibling(file.getFileName() + "-writer.lock");
        FileChannel channel = null;
        try {
            Path dir = file.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                throw new IllegalStateException("archive " + file + " is already open for writing by another process (it holds "
                        + lockFile + "); stop that run, or open the archive read-only");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new IllegalStateException("archive " + file + " is already open for writing in this process; close it first", e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock archive " + file + " for writing (" + lockFile + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        if (readOnly) {
            config.setReadOnly(true);
        } else {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.enforceForeignKeys(true);
            config.setCacheSize(-65_536);
        }
        Connection connection = config.createConnection("jdbc:sqlite:" + file);
        if (!readOnly) {
            try (Statement s = connection.createStatement()) {
                // Checkpoint every 32 MiB of WAL rather than every 4 MiB: fewer checkpoints, each of
                // which fsyncs, and pages rewritten by many adds (index, interior) are copied back
                // once. Crash recovery replays at most that much. The WAL file is cut back to 64 MiB.
                s.execute("PRAGMA wal_autocheckpoint = 8192");
                s.execute("PRAGMA journal_size_limit = 67108864");
            } catch (SQLException e) {
                closeQuietly(connection);
                throw e;
            }
        }
        return connection;
    }

    /** Creates the schema in a new file; returns the stored island count. */
    private static int prepareSchema(Path file, Connection connection, int islands) throws SQLException {
        try (Statement s = connection.createStatement()) {
            int applicationId = pragmaInt(s, "application_id");
            int objects;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                objects = rs.next() ? rs.getInt(1) : 0;
            }
            if (applicationId == 0 && objects == 0) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    for (String sql : SCHEMA) {
                        s.execute(sql);
                    }
                    try (PreparedStatement p = connection.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
                        p.setString(1, ISLANDS_KEY);
                        p.setString(2, Integer.toString(islands));
                        p.executeUpdate();
                    }
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    try {
                        s.execute("ROLLBACK");
                    } catch (SQLException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            }
        }
        return readHeader(file, connection);
    }

    /** Checks that the file is a Kaizen archive of the layout this class knows; returns its island count. */
    private static int readHeader(Path file, Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            int applicationId = pragmaInt(s, "application_id");
            if (applicationId != APPLICATION_ID) {
                throw new IllegalArgumentException(file + " is an SQLite database but not a Kaizen archive (application_id "
                        + applicationId + ")");
            }
            int version = pragmaInt(s, "user_version");
            if (version != SCHEMA_VERSION) {
                throw new IllegalArgumentException("archive " + file + " has layout version " + version
                        + ", but this Kaizen reads version " + SCHEMA_VERSION);
            }
        }
        String value = readMeta(connection, ISLANDS_KEY).orElseThrow(
                () -> new IllegalStateException("archive " + file + " does not record its island count (meta '" + ISLANDS_KEY + "')"));
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException("not positive");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalStateException("archive " + file + " records an invalid island count: '" + value + "'", e);
        }
    }

    private static int pragmaInt(Statement s, String pragma) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static Optional<String> readMeta(Connection connection, String key) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Rebuilds the elite grid and size from the file: only the elites are read, not the history. */
    private void load() throws SQLException {
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT m.island, m.cell, m.seq FROM members m "
                    + "LEFT JOIN candidates c ON c.seq = m.seq WHERE c.seq IS NULL OR c.cell <> m.cell OR c.fitness IS NULL "
                    + "OR m.island < 0 OR m.island >= " + islands + " LIMIT 1")) {
                if (rs.next()) {
                    throw new IllegalStateException("archive " + file + " is inconsistent: the elite of island " + rs.getInt(1)
                            + ", cell '" + rs.getString(2) + "' is seq " + rs.getLong(3)
                            + ", which is missing, infeasible, in another cell or on an island that does not exist");
                }
            }
            EliteGrid fresh = new EliteGrid(islands);
            try (ResultSet rs = s.executeQuery("SELECT m.island, " + prefixed("c.") + " FROM members m "
                    + "JOIN candidates c ON c.seq = m.seq ORDER BY c.seq, m.island")) {
                while (rs.next()) {
                    int island = rs.getInt(1);
                    Candidate elite = readCandidate(rs, 1);
                    if (!fresh.offer(elite, island)) {
                        throw new IllegalStateException("archive " + file + " is inconsistent: island " + island + ", cell '"
                                + elite.cell() + "' has more than one elite");
                    }
                }
            }
            long stored;
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM candidates")) {
                stored = rs.next() ? rs.getLong(1) : 0;
            }
            grid = fresh;
            size = stored;
        }
    }

    /** Read-only archives: reloads elites and size when another connection has committed since the last look. */
    private void refresh() {
        if (!readOnly) {
            return;
        }
        try {
            begin.execute();
            try {
                try (Statement s = connection.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT 1 FROM meta LIMIT 1")) {
                        rs.next(); // starts the read snapshot, so data_version and the reload agree
                    }
                    long version;
                    try (ResultSet rs = s.executeQuery("PRAGMA data_version")) {
                        version = rs.next() ? rs.getLong(1) : 0;
                    }
                    if (version != dataVersion) {
                        load();
                        dataVersion = version;
                    }
                }
            } finally {
                commit.execute();
            }
        } catch (SQLException e) {
            throw failure("reload elites", e);
        }
    }

    private static String prefixed(String prefix) {
        StringBuilder out = new StringBuilder();
        for (String column : COLUMNS.split(", ")) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(prefix).append(column);
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- rows

    /** The candidate exactly as it will read back: given its seq, times in whole milliseconds. */
    private static Candidate asStored(Candidate c, long seq) {
        Evaluation e = c.evaluation();
        Outcome o = e.outcome();
        Outcome outcome = Outcome.of(o.kind(), o.reason(), exitCode(o), limitMillis(o));
        Evaluation evaluation = new Evaluation(outcome, e.metrics(), e.feedback(), e.stage(), Duration.ofMillis(e.elapsed().toMillis()));
        double fitness = c.fitness() == 0.0 ? 0.0 : c.fitness(); // SQLite keeps no negative zero
        return new Candidate(seq, c.id(), c.code(), c.parents(), c.operator(), c.description(), c.patch(), evaluation, fitness,
                c.island(), c.cell(), c.generation(), Instant.ofEpochMilli(c.createdAt().toEpochMilli()));
    }

    private static int exitCode(Outcome o) {
        return o instanceof Outcome.Crashed crashed ? crashed.exitCode() : 0;
    }

    private static long limitMillis(Outcome o) {
        return o instanceof Outcome.TimedOut timedOut ? timedOut.limit().toMillis() : 0;
    }

    private void bindCandidate(Candidate c) throws SQLException {
        PreparedStatement p = insertCandidate;
        Evaluation e = c.evaluation();
        Outcome o = e.outcome();
        p.setLong(1, c.seq());
        p.setString(2, c.id().hex());
        p.setString(3, json(c.code().regions()));
        p.setString(4, json(c.parents().stream().map(ProgramId::hex).toList()));
        p.setString(5, c.operator());
        p.setString(6, c.description());
        p.setString(7, c.patch().text());
        p.setString(8, o.kind());
        p.setString(9, o.reason());
        if (o instanceof Outcome.Crashed crashed) {
            p.setInt(10, crashed.exitCode());
        } else {
            p.setNull(10, Types.INTEGER);
        }
        if (o instanceof Outcome.TimedOut timedOut) {
            p.setLong(11, timedOut.limit().toMillis());
        } else {
            p.setNull(11, Types.INTEGER);
        }
        p.setString(12, json(e.metrics()));
        p.setString(13, e.feedback());
        p.setString(14, e.stage());
        p.setLong(15, e.elapsed().toMillis());
        if (c.feasible()) {
            p.setDouble(16, c.fitness());
        } else {
            p.setNull(16, Types.REAL);
        }
        p.setInt(17, c.island());
        p.setString(18, c.cell());
        p.setInt(19, c.generation());
        p.setLong(20, c.createdAt().toEpochMilli());
    }

    private void bindMember(int island, String cell, long seq) throws SQLException {
        upsertMember.setInt(1, island);
        upsertMember.setString(2, cell);
        upsertMember.setLong(3, seq);
    }

    private Candidate readCandidate(ResultSet rs) throws SQLException {
        return readCandidate(rs, 0);
    }

    /** Reads the candidate whose {@link #COLUMNS} start after column {@code offset}. */
    private Candidate readCandidate(ResultSet rs, int offset) throws SQLException {
        long seq = rs.getLong(offset + 1);
        String id = rs.getString(offset + 2);
        try {
            Code code = new Code(JSON.readValue(rs.getString(offset + 3), REGIONS));
            List<ProgramId> parents = JSON.readValue(rs.getString(offset + 4), STRINGS).stream().map(ProgramId::new).toList();
            String operator = rs.getString(offset + 5);
            String description = rs.getString(offset + 6);
            Patch patch = new Patch(rs.getString(offset + 7));
            String kind = rs.getString(offset + 8);
            String reason = rs.getString(offset + 9);
            int exitCode = rs.getInt(offset + 10);
            long limitMillis = rs.getLong(offset + 11);
            Map<String, Double> metrics = JSON.readValue(rs.getString(offset + 12), METRICS);
            String feedback = rs.getString(offset + 13);
            String stage = rs.getString(offset + 14);
            Duration elapsed = Duration.ofMillis(rs.getLong(offset + 15));
            double fitness = rs.getDouble(offset + 16);
            if (rs.wasNull()) {
                fitness = Double.NaN;
            }
            int island = rs.getInt(offset + 17);
            String cell = rs.getString(offset + 18);
            int generation = rs.getInt(offset + 19);
            Instant createdAt = Instant.ofEpochMilli(rs.getLong(offset + 20));
            Evaluation evaluation = new Evaluation(Outcome.of(kind, reason, exitCode, limitMillis), metrics, feedback, stage, elapsed);
            return new Candidate(seq, new ProgramId(id), code, parents, operator, description, patch, evaluation, fitness,
                    island, cell, generation, createdAt);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StoreException("archive " + file + ": candidate seq " + seq + " (id " + id + ") cannot be read: " + e.getMessage(), e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    // ---------------------------------------------------------------- queries

    private boolean containsLocked(ProgramId id) {
        try {
            containsId.setString(1, id.hex());
            try (ResultSet rs = containsId.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure("look up " + id.shortHex(), e);
        }
    }

    private Optional<Candidate> findLocked(ProgramId id) {
        try {
            selectById.setString(1, id.hex());
            try (ResultSet rs = selectById.executeQuery()) {
                return rs.next() ? Optional.of(readCandidate(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("find " + id.shortHex(), e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("archive " + file + " is closed");
        }
    }

    private void checkWritable() {
        checkOpen();
        if (readOnly) {
            throw new IllegalStateException("archive " + file + " is open read-only");
        }
    }

    /** Checked here rather than left to the grid, which does not look at the island of an infeasible candidate. */
    private void checkIsland(int island) {
        if (island < 0 || island >= islands) {
            throw new IllegalArgumentException("island " + island + " does not exist in archive " + file + " (islands: " + islands + ")");
        }
    }

    private void rollbackAfter(SQLException cause) {
        try {
            rollback.execute();
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Whether a failed add failed because the program is already stored (false when that cannot be told). */
    private boolean alreadyStored(ProgramId id, SQLException cause) {
        try {
            return containsLocked(id);
        } catch (StoreException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    private StoreException failure(String operation, SQLException e) {
        return new StoreException("archive " + file + ": cannot " + operation + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already failing with a better message
        }
    }
}
