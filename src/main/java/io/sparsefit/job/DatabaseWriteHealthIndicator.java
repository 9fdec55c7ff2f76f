package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.DatabaseFaults;
import java.io.File;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness contributor {@code dbWrite}: DOWN when the database answers queries but cannot take a
 * write (the validation query of Boot's {@code db} indicator is not enough: a broken constraint, a
 * read-only or full database still pass it). Probes with a rolled-back insert and update of a job row
 * (see {@link JobRepository#probeWrite}); details carry no SQL or exception text.
 *
 * <p>On a full store the probe itself is a failing write, and the embedded H2 closes its database on every
 * such write (reopened by {@code web.EmbeddedStoreReopen}, but a read in flight at that moment fails). So after
 * a probe failed for space, the next probes answer DOWN without writing until the data directory's free space
 * has grown or {@link #FULL_REPROBE} has passed (PostgreSQL's disk is not the data directory's).
 */
@Component("dbWrite")
class DatabaseWriteHealthIndicator extends AbstractHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    static final Duration FULL_REPROBE = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(DatabaseWriteHealthIndicator.class);

    private final JobRepository repository;
    private final File dataDir;
    private volatile boolean failing;
    /** Free bytes of the data directory when a probe last failed for space, and when; 0 while the store is not full. */
    private volatile long fullFreeBytes;
    private volatile long fullSinceNanos;

    DatabaseWriteHealthIndicator(JobRepository repository, SparsefitProperties properties) {
        super(ex -> "Database write probe failed");
        this.repository = repository;
        this.dataDir = new File(properties.dataDir());
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (fullSinceNanos != 0 && dataDir.getUsableSpace() <= fullFreeBytes
                && System.nanoTime() - fullSinceNanos < FULL_REPROBE.toNanos()) {
            builder.down().withDetail("error", "the database's storage is full");
            return;
        }
        fullSinceNanos = 0;
        try {
            repository.probeWrite(TIMEOUT);
            if (failing) {
                failing = false;
                log.info("Database takes writes again; readiness may go UP");
            }
            builder.up();
        } catch (RuntimeException e) {
            boolean full = DatabaseFaults.isStorageFull(e);
            if (full) {
                fullFreeBytes = dataDir.getUsableSpace();
                fullSinceNanos = System.nanoTime() | 1;
            }
            if (!failing) {
                failing = true;
                log.warn("Database cannot take writes; readiness is DOWN until it can ({})", e.toString());
            }
            builder.down().withDetail("error", full ? "the database's storage is full" : "the database cannot take writes");
        }
    }
}
