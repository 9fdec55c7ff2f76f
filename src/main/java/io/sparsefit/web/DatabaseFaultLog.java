package io.sparsefit.web;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Logs database faults answered to HTTP requests (503 unavailable, 507 storage full) once per episode instead of a
 * stack trace per request: one WARN when the first request of an episode fails, naming the cause, and one WARN
 * with the number of requests answered and the episode's length once no request has failed for
 * {@value #QUIET_SECONDS} s. The stack trace of the first failure is logged at DEBUG.
 */
@Component
public class DatabaseFaultLog {

    static final long QUIET_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(DatabaseFaultLog.class);

    private final ScheduledExecutorService ticker = DaemonScheduler.named("sparsefit-db-fault-log");

    private final Episode unavailable = new Episode(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable");
    private final Episode storageFull = new Episode(HttpStatus.INSUFFICIENT_STORAGE, "Database storage full");

    public DatabaseFaultLog() {
        ticker.scheduleWithFixedDelay(this::closeQuietEpisodes, 1, 1, TimeUnit.SECONDS);
    }

    /** Counts one request answered {@code status} (503 or 507) because of {@code cause}. */
    public void record(HttpStatus status, Throwable cause, String path) {
        (status == HttpStatus.INSUFFICIENT_STORAGE ? storageFull : unavailable).record(cause, path);
    }

    /** Requests answered in the episode under way for {@code status}, 0 when there is none (for tests). */
    public long ongoing(HttpStatus status) {
        return (status == HttpStatus.INSUFFICIENT_STORAGE ? storageFull : unavailable).count();
    }

    void closeQuietEpisodes() {
        unavailable.closeIfQuiet();
        storageFull.closeIfQuiet();
    }

    @PreDestroy
    void close() {
        ticker.shutdownNow();
        closeQuietEpisodes();
    }

    private static final class Episode {
        private final HttpStatus status;
        private final String what;
        private long count;
        private long startedNanos;
        private long lastNanos;

        Episode(HttpStatus status, String what) {
            this.status = status;
            this.what = what;
        }

        synchronized void record(Throwable cause, String path) {
            long now = System.nanoTime();
            if (count == 0) {
                startedNanos = now;
                log.warn("{}: answering {} until it recovers; first on {} ({}). One more line follows when no request "
                        + "has failed for {} s", what, status.value(), path, rootMessage(cause), QUIET_SECONDS);
                log.debug("{}: the first failure", what, cause);
            }
            count++;
            lastNanos = now;
        }

        synchronized long count() {
            return count;
        }

        synchronized void closeIfQuiet() {
            if (count > 0 && System.nanoTime() - lastNanos >= TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
                Duration length = Duration.ofNanos(lastNanos - startedNanos);
                log.warn("{}: {} requests answered {} over {} s; none failed in the last {} s", what, count, status.value(),
                        Math.round(length.toMillis() / 100.0) / 10.0, QUIET_SECONDS);
                count = 0;
            }
        }

        private static String rootMessage(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getClass().getSimpleName() + ": " + root.getMessage();
        }
    }
}
