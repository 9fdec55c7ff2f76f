package io.sparsefit.web;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells the two database faults that are worth waiting for from errors that retrying would only repeat (a
 * constraint violation, bad SQL): the database cannot be reached right now ({@link #isUnavailable}, answered
 * 503), and its storage is full ({@link #isStorageFull}, answered 507). Spring translates connection failures
 * into several exception types depending on where they happen, so the causes are inspected too.
 */
public final class DatabaseFaults {

    /** Hikari's message, with no SQL state, for any call on a pooled connection it has evicted as broken. */
    static final String HIKARI_EVICTED = "Connection is closed";

    private DatabaseFaults() {
    }

    /** The database is unreachable, refuses connections, is shutting down, or (embedded H2) was closed. */
    public static boolean isUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof SQLNonTransientConnectionException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                    && isUnavailable(rollback.getApplicationException())) {
                return true; // the rollback on a broken connection hid the reason the transaction failed
            }
            if (t instanceof SQLException sql && sql.getSQLState() == null && HIKARI_EVICTED.equals(sql.getMessage())) {
                // Hikari's answer on a connection it already evicted as broken: after a commit that failed when the
                // server went away, Spring's rollback meets it and throws it instead of the commit's error.
                return true;
            }
            // SQL state class 08 is "connection exception"; 57P01..03 is the server shutting down or not ready.
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A write failed for lack of space: the embedded H2 store's file write ended in ENOSPC or EDQUOT (H2 wraps
     * the {@link IOException} in its own exceptions), or PostgreSQL answered SQL state 53100 ({@code disk_full}).
     */
    public static boolean isStorageFull(Throwable error) {
        for (Throwable t = error; t != null; t = next(t)) {
            if (t instanceof SQLException sql && "53100".equals(sql.getSQLState())) {
                return true;
            }
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
                    && isStorageFull(rollback.getApplicationException())) {
                return true;
            }
            if (t instanceof IOException io && io.getMessage() != null) {
                String message = io.getMessage().toLowerCase(Locale.ROOT);
                if (message.contains("no space left on device") || message.contains("disk quota exceeded")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }
}
