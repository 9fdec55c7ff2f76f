package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The classification behind 503 and 507, on the exceptions measured in the faults tests: Hikari's timeout while
 * PostgreSQL is down, H2's disk-full failure (its MVStoreException wraps the IOException, error 50000), H2's
 * closed database (90098), PostgreSQL's disk_full, a rollback that hid the cause (with and without the original
 * attached), and errors that are neither.
 */
class DatabaseFaultsTest {

    /** What H2 2.3.232 throws for a commit on a full disk (message, state and code as measured). */
    private static SQLException h2DiskFull() {
        IOException enospc = new IOException("No space left on device");
        RuntimeException mvStore = new IllegalStateException("Writing to sun.nio.ch.FileChannelImpl@1 failed; length 909312", enospc);
        return new SQLException("General error: \"org.h2.mvstore.MVStoreException: Writing ... failed\"", "HY000", 50000, mvStore);
    }

    @Test
    void unreachableDatabasesAreUnavailable() {
        assertThat(DatabaseFaults.isUnavailable(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 2000ms")))).isTrue();
        assertThat(DatabaseFaults.isUnavailable(new UncategorizedSQLException("q", "select 1",
                new SQLException("I/O error", "08006", 0, new ConnectException("Connection refused"))))).isTrue();
        assertThat(DatabaseFaults.isUnavailable(new SQLNonTransientConnectionException("The database has been closed", "90098", 90098)))
                .isTrue();
        assertThat(DatabaseFaults.isUnavailable(new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(new CannotGetJdbcConnectionException("x", new SQLTransientConnectionException("timeout")));
        assertThat(DatabaseFaults.isUnavailable(rollback)).isTrue();
        assertThat(DatabaseFaults.isStorageFull(rollback)).isFalse();
        // The commit failed as PostgreSQL stopped ("terminating connection due to administrator command"), Hikari evicted
        // the connection, and Spring threw the rollback's error instead, without the commit's (seen in ReplicasOutageTest).
        assertThat(DatabaseFaults.isUnavailable(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed")))).isTrue();
        assertThat(DatabaseFaults.isUnavailable(new SQLException("Connection is closed", "42000"))).isFalse();
    }

    @Test
    void aWriteThatFoundNoSpaceIsStorageFull() {
        assertThat(DatabaseFaults.isStorageFull(new UncategorizedSQLException("insert", "insert into dataset ...", h2DiskFull()))).isTrue();
        assertThat(DatabaseFaults.isUnavailable(new UncategorizedSQLException("insert", "insert into dataset ...", h2DiskFull()))).isFalse();
        assertThat(DatabaseFaults.isStorageFull(new SQLException("could not extend file: No space left on device", "53100"))).isTrue();
        assertThat(DatabaseFaults.isStorageFull(new IOException("Disk quota exceeded"))).isTrue();
    }

    @Test
    void otherErrorsAreNeither() {
        Exception[] others = {new DataIntegrityViolationException("duplicate key"), new SQLException("syntax error", "42601"),
                new IOException("Input/output error"), new IllegalStateException("boom")};
        for (Exception e : others) {
            assertThat(DatabaseFaults.isUnavailable(e)).as(e.toString()).isFalse();
            assertThat(DatabaseFaults.isStorageFull(e)).as(e.toString()).isFalse();
        }
    }
}
