package io.sparsefit.web;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * Makes what a connection of an H2 pool read durable before the connection goes back to the pool, so that an answer
 * built from a read (a fit seen {@code SUCCEEDED}, a dataset listed) survives {@code kill -9}.
 *
 * <p>Why: H2's MVStore (2.3.232, {@code Transaction.commit}) makes a commit visible to every other session first
 * ({@code TransactionStore.commit} flips the transaction's committing bit) and only then, in {@code endTransaction},
 * writes it to the file ({@code MVStore.commit}, synchronous with {@code WRITE_DELAY=0}). There is no redo log and no
 * setting that reverses the order. A request that read the new state in between answered it, and a kill before the
 * committing thread's write lost it: in EmbeddedStoreReadBarrierTest's child (a writer committing 300 kB rows, a
 * reader printing each new value, killed right after one) 17 of 40 kills lost the value printed last.
 *
 * <p>So every connection runs {@code CHECKPOINT} when it is closed: {@code MVStore.commit} takes the store lock (fair),
 * so it waits for a write in progress, then writes whatever is still unsaved. Everything the connection saw was
 * visible before, so it is in the file (or in an undo log already marked committed, which reopening commits) before
 * the repository call returns and the answer is sent. Same kills with this: 0 of 40 lost. {@code CHECKPOINT} needs
 * an H2 admin user (the default {@code sa} is one).
 *
 * <p>Cost: every connection release waits for H2's store lock, and while another transaction is open it also writes
 * that transaction's unsaved pages (rolled back on reopen if it never commits). Nothing unsaved: about 2 us. Under a
 * large upload it is far more: one thread inserting 32 rows of 8 MB in one transaction (50 ms apart) while another
 * reads one row every 1 ms (raw JDBC, H2 2.3.232) gave reads of p50 6.9 us, p99 0.11 ms, max 104 ms without a
 * checkpoint after each read, and p50 82 us, p99 518 ms, max 1.66 s with one. Workloads with large uploads and many
 * concurrent reads belong on PostgreSQL.
 *
 * <p>A checkpoint that fails is logged, and the connection is closed all the same: at DEBUG when the store is closed
 * or the disk full ({@link EmbeddedStoreReopen#closesTheStore}: the requests that meet it are reported once per episode
 * by {@link DatabaseFaultLog}), otherwise at WARN at most once a minute (DEBUG in between), since every release would
 * fail alike.
 *
 * <p>Only for H2 databases kept in a file ({@link H2FileStore}), the embedded default among them; PostgreSQL makes a
 * commit visible only after its WAL record is written, and is left alone.
 */
@Component
class EmbeddedStoreReadBarrier implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreReadBarrier.class);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof HikariDataSource pool)) {
            return bean;
        }
        boolean wrap = H2FileStore.isFileStore(pool.getJdbcUrl());
        log.info("DataSource '{}': {}", beanName, wrap
                ? "an H2 file store; each connection runs CHECKPOINT when released (read barrier)"
                : "not an H2 file store; connections are not wrapped");
        return wrap ? new BarrierDataSource(pool) : bean;
    }

    /** The pool, whose connections run the barrier when closed; unwrap() still reaches the Hikari pool. */
    private static final class BarrierDataSource extends DelegatingDataSource {

        private final CheckpointFailures failures = new CheckpointFailures();

        BarrierDataSource(DataSource pool) {
            super(pool);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return barrierOnClose(super.getConnection(), failures);
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return barrierOnClose(super.getConnection(username, password), failures);
        }
    }

    private static Connection barrierOnClose(Connection target, CheckpointFailures failures) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        try {
                            checkpoint(target, failures);
                        } finally {
                            target.close();
                        }
                        yield null;
                    }
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> {
                        try {
                            yield method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getTargetException();
                        }
                    }
                });
    }

    /** MVStore.commit(): waits for a store in progress and stores what is unsaved; does not commit an open transaction. */
    private static void checkpoint(Connection target, CheckpointFailures failures) {
        try {
            if (target.isClosed() || !target.getAutoCommit()) {
                // released inside a transaction of its own (never on Spring's paths, which end it first): left to the
                // pool's rollback, since a command run on it here could end that transaction otherwise
                return;
            }
            try (Statement s = target.createStatement()) {
                s.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            failures.record(e, System.nanoTime());
        }
    }

    /** Logs failed checkpoints without a line per connection release (see the class comment). */
    static final class CheckpointFailures {

        static final long WARN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

        private long lastWarnNanos;
        private boolean warned;

        /** Logs {@code e}; returns whether at WARN. */
        synchronized boolean record(SQLException e, long nowNanos) {
            boolean warn = !EmbeddedStoreReopen.closesTheStore(e) && (!warned || nowNanos - lastWarnNanos >= WARN_INTERVAL_NANOS);
            if (warn) {
                warned = true;
                lastWarnNanos = nowNanos;
                log.warn("CHECKPOINT after a use of the embedded store failed; what this connection read may not be on disk yet "
                        + "({}); further failures within a minute are logged at DEBUG", e.toString());
            } else {
                log.debug("CHECKPOINT after a use of the embedded store failed ({})", e.toString());
            }
            return warn;
        }
    }
}
