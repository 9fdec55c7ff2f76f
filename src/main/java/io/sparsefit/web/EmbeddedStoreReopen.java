package io.sparsefit.web;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Lets the embedded H2 store recover from a full disk without a restart. Measured on H2 2.3.232: a write that
 * fails for space (ENOSPC under a commit) makes H2 close the whole database ("The database has been closed",
 * error 90098, on every other connection), yet those pooled connections still pass {@code isValid()}, so Hikari
 * kept handing them out and every later request failed, even after space was freed. A new connection opens the
 * file again (every committed row intact, reads work even on the full disk, writes once there is space).
 *
 * <p>So on either error this installs a Hikari {@link SQLExceptionOverride} that evicts the failing connection and
 * soft-evicts the whole pool: idle connections are closed at once, busy ones when returned, and the next borrower
 * gets a fresh connection that reopens the store. PostgreSQL, other databases and H2 in memory are left alone.
 */
@Component
class EmbeddedStoreReopen implements BeanPostProcessor {

    /** H2's ErrorCode.DATABASE_IS_CLOSED. */
    static final int H2_DATABASE_IS_CLOSED = 90098;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreReopen.class);

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && H2FileStore.isFileStore(pool.getJdbcUrl())
                && pool.getExceptionOverride() == null && pool.getExceptionOverrideClassName() == null) {
            pool.setExceptionOverride(new ReopenOnClose(pool));
        }
        return bean;
    }

    /** True for the errors after which the pooled connections of an embedded H2 store are useless. */
    static boolean closesTheStore(SQLException e) {
        return e.getErrorCode() == H2_DATABASE_IS_CLOSED || DatabaseFaults.isStorageFull(e);
    }

    private record ReopenOnClose(HikariDataSource pool) implements SQLExceptionOverride {

        @java.lang.Override
        public Override adjudicate(SQLException e) {
            if (!closesTheStore(e)) {
                return Override.CONTINUE_EVICT; // Hikari's own rules (SQL state 08..., known fatal codes)
            }
            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
            if (bean != null) {
                log.debug("Embedded database closed ({}); evicting the pooled connections so the next one reopens it",
                        e.getErrorCode());
                bean.softEvictConnections();
            }
            return Override.MUST_EVICT;
        }
    }
}
