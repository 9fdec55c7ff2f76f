package io.sparsefit.fit;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Readiness contributor {@code dbWrite}: DOWN when the database answers queries but cannot take a
 * write (the validation query of Boot's {@code db} indicator is not enough: a broken constraint, a
 * read-only or full database still pass it). Probes with a rolled-back insert and update of a fit row
 * (see {@link FitRepository#probeWrite}); details carry no SQL or exception text.
 */
@Component("dbWrite")
class DatabaseWriteHealthIndicator extends AbstractHealthIndicator {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(DatabaseWriteHealthIndicator.class);

    private final FitRepository repository;
    private volatile boolean failing;

    DatabaseWriteHealthIndicator(FitRepository repository) {
        super(ex -> "Database write probe failed");
        this.repository = repository;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        try {
            repository.probeWrite(TIMEOUT);
            if (failing) {
                failing = false;
                log.info("Database takes writes again; readiness may go UP");
            }
            builder.up();
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Database cannot take writes; readiness is DOWN until it can", e);
            }
            builder.down().withDetail("error", "the database cannot take writes");
        }
    }
}
