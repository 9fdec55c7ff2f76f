package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sparsefit.support.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

/**
 * What a read on the embedded H2 store answered survives {@code kill -9}: a child JVM commits {@code v = 1, 2, ...}
 * (each with a 300 kB row, so that each write to the file takes a while) on one thread and on another reads {@code v}
 * through the barrier'd pool and prints it (the answer leaving the process); this JVM kills it right after a printed
 * value and opens the file: the value there must be at least the last one printed. Without the barrier (the child's
 * argument {@code plain}) 17 of 40 such kills lost the printed value (H2 2.3.232, see {@link EmbeddedStoreReadBarrier}),
 * with it 0 of 40.
 */
class EmbeddedStoreReadBarrierTest {

    /** Without the barrier 17 of 40 kills lost the value: 15 trials miss that with a chance of about 2.5e-4. */
    private static final int TRIALS = 15;

    @TempDir
    Path dir;

    @Test
    void aValueReadIsOnDiskBeforeTheReadAnswers() throws Exception {
        Assumptions.assumeFalse(TestDatabase.postgres(), "H2 only (the PostgreSQL run of the tests has nothing more to check here)");
        Random random = new Random(7);
        for (int trial = 0; trial < TRIALS; trial++) {
            Path store = dir.resolve("t" + trial);
            long printed = readThenKill(store, "barrier", 100 + random.nextInt(200));
            try (Connection c = DriverManager.getConnection(url(store), "sa", "");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select v from t where id = 1")) {
                rs.next();
                assertThat(rs.getLong(1)).as("trial %d: v in the file after kill -9, the child had printed %d", trial, printed)
                        .isGreaterThanOrEqualTo(printed);
            }
            FileSystemUtils.deleteRecursively(store); // tens of MB each
        }
    }

    @Test
    void onlyH2StoresOnFilesAreWrapped() {
        assertThat(H2FileStore.isFileStore("jdbc:h2:file:./data/sparsefit;MODE=PostgreSQL;WRITE_DELAY=0")).isTrue();
        assertThat(H2FileStore.isFileStore("jdbc:h2:./data/sparsefit")).isTrue();
        assertThat(H2FileStore.isFileStore("jdbc:h2:tcp://db:9092/sparsefit")).isTrue();
        assertThat(H2FileStore.isFileStore("jdbc:h2:tcp://db:9092/~/mem")).isTrue();
        assertThat(H2FileStore.isFileStore("jdbc:h2:ssl://db/./data/sparsefit")).isTrue();
        assertThat(H2FileStore.isFileStore("jdbc:h2:mem:test")).isFalse();
        assertThat(H2FileStore.isFileStore("jdbc:h2:tcp://db:9092/mem:test")).isFalse();
        assertThat(H2FileStore.isFileStore("jdbc:h2:ssl://db/mem:test;DB_CLOSE_DELAY=-1")).isFalse();
        assertThat(H2FileStore.isFileStore("jdbc:postgresql://db:5432/sparsefit")).isFalse();
        assertThat(H2FileStore.isFileStore(null)).isFalse();
        try (HikariDataSource mem = new HikariDataSource()) {
            mem.setJdbcUrl("jdbc:h2:tcp://db:9092/mem:test");
            assertThat(new EmbeddedStoreReadBarrier().postProcessAfterInitialization(mem, "dataSource")).isSameAs(mem);
        }
    }

    /**
     * A checkpoint failing on every release warns once a minute, not once a release; a closed store or a full disk
     * (whose requests {@link DatabaseFaultLog} reports) is never warned about here.
     */
    @Test
    void failedCheckpointsWarnAtMostOnceAMinute() {
        var failures = new EmbeddedStoreReadBarrier.CheckpointFailures();
        SQLException closed = new SQLException("The database has been closed", "90098", EmbeddedStoreReopen.H2_DATABASE_IS_CLOSED);
        SQLException full = new SQLException("write failed", "HY000", 0, new IOException("No space left on device"));
        SQLException other = new SQLException("a failure made up by this test", "HYT00", 50200);
        long minute = EmbeddedStoreReadBarrier.CheckpointFailures.WARN_INTERVAL_NANOS;
        long t0 = -5_000_000_000L; // nanoTime may be negative
        assertThat(failures.record(closed, t0)).isFalse();
        assertThat(failures.record(full, t0)).isFalse();
        assertThat(failures.record(other, t0)).isTrue();
        assertThat(failures.record(other, t0 + 1)).isFalse();
        assertThat(failures.record(other, t0 + minute - 1)).isFalse();
        assertThat(failures.record(other, t0 + minute)).isTrue();
        assertThat(failures.record(closed, t0 + 3 * minute)).isFalse();
        assertThat(failures.record(other, t0 + 3 * minute)).isTrue();
    }

    /** Runs the child until {@code millis} after it is ready and it printed a value, kills it, returns the last value printed. */
    private static long readThenKill(Path store, String mode, int millis) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ReadWhileWriting.class.getName(), store.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            long until = Long.MAX_VALUE; // from "ready" on (other lines are the child's log)
            long printed = 0;
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("ready")) {
                    until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                } else if (line.startsWith("v ")) {
                    printed = Long.parseLong(line.substring(2));
                }
                if (System.nanoTime() > until && printed > 0) {
                    break;
                }
            }
            assertThat(printed).as("values printed before the kill").isPositive();
            return printed;
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static String url(Path store) {
        return "jdbc:h2:file:" + store + "/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    /** The child JVM: args {@code <dir> barrier|plain}. */
    public static final class ReadWhileWriting {

        public static void main(String[] args) throws Exception {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(url(Path.of(args[0])));
            pool.setUsername("sa");
            pool.setPassword("");
            pool.setMaximumPoolSize(4);
            DataSource reads = "plain".equals(args[1]) ? pool
                    : (DataSource) new EmbeddedStoreReadBarrier().postProcessAfterInitialization(pool, "dataSource");
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            jdbc.execute("create table t(id int primary key, v bigint)");
            jdbc.execute("create table m(id bigint primary key, b varbinary(1000000))");
            jdbc.update("insert into t values (1, 0)");
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(pool));
            byte[] row = new byte[300_000];
            new Random(1).nextBytes(row);
            Thread writer = new Thread(() -> {
                for (long v = 1; ; v++) {
                    long value = v;
                    tx.executeWithoutResult(status -> {
                        jdbc.update("insert into m values (?, ?)", value, row);
                        jdbc.update("update t set v = ? where id = 1", value);
                    });
                }
            });
            writer.setDaemon(true);
            writer.start();
            System.out.println("ready");
            System.out.flush();
            JdbcTemplate reader = new JdbcTemplate(reads);
            long last = -1;
            while (true) {
                long v = reader.queryForObject("select v from t where id = 1", Long.class);
                if (v != last) { // each value once, as soon as it is read: no backlog in the pipe
                    System.out.println("v " + v);
                    System.out.flush();
                    last = v;
                }
            }
        }
    }
}
