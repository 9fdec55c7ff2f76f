package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.model.ModelService;
import io.sparsefit.web.DaemonScheduler;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Retention ({@code sparsefit.retention.*}, off by default): every {@code interval} deletes the finished jobs of each
 * kind that ended longer than their kind's time to live ago ({@link JobKind#timeToLive}: fits and scorings
 * {@code fits}, paths {@code paths}; what a job stored goes with it), models created longer than {@code models} ago and datasets
 * created longer than {@code datasets} ago, except datasets a queued or running fit still needs. What
 * pointed at a deleted resource keeps its id (a fit's {@code datasetId} and {@code modelId}, a model's
 * {@code fitId}); following it answers 404. Each replica runs it; the deletes are idempotent.
 *
 * <p>Disk space: PostgreSQL reuses the space of deleted rows after autovacuum. The embedded H2 file
 * reuses freed pages for later writes, so deleting stops the file from growing, but it only shrinks
 * when the database closes (H2 compacts for up to {@code MAX_COMPACT_TIME} at a graceful shutdown);
 * online compaction is not safe with open connections, so it is not done here.
 */
@Component
class RetentionCleanup {

    private static final Logger log = LoggerFactory.getLogger(RetentionCleanup.class);

    private final JobRepository jobs;
    private final JobRunners runners;
    private final DatasetService datasets;
    private final ModelService models;
    private final SparsefitProperties.Retention config;
    private final ScheduledExecutorService scheduler;

    RetentionCleanup(JobRepository jobs, JobRunners runners, DatasetService datasets, ModelService models,
                     SparsefitProperties properties) {
        this.jobs = jobs;
        this.runners = runners;
        this.datasets = datasets;
        this.models = models;
        this.config = properties.retention();
        if (config.enabled()) {
            scheduler = DaemonScheduler.named("sparsefit-retention");
            long every = Math.max(1, config.interval().toMillis());
            scheduler.scheduleWithFixedDelay(this::runSafely, every, every, TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    /** What one run deleted: jobs by kind, models, datasets. */
    record Deleted(Map<String, Integer> jobs, int models, int datasets) {

        int total() {
            return jobs.values().stream().mapToInt(Integer::intValue).sum() + models + datasets;
        }
    }

    /** Deletes what expired at {@code now}. Jobs go first, so a dataset whose last fit expired now can go in the same run. */
    Deleted run(Instant now) {
        Map<String, Integer> deletedJobs = new TreeMap<>();
        for (JobRunner runner : runners.all()) {
            JobKind kind = runner.kind();
            Duration ttl = kind.timeToLive().apply(config);
            deletedJobs.put(kind.name(), on(ttl) ? jobs.deleteFinishedBefore(kind.name(), now.minus(ttl)) : 0);
        }
        int m = on(config.models()) ? models.deleteCreatedBefore(now.minus(config.models())) : 0;
        int d = on(config.datasets()) ? datasets.deleteCreatedBefore(now.minus(config.datasets())) : 0;
        return new Deleted(deletedJobs, m, d);
    }

    private static boolean on(Duration ttl) {
        return SparsefitProperties.Retention.on(ttl);
    }

    private void runSafely() {
        try {
            Deleted deleted = run(Instant.now());
            if (deleted.total() > 0) {
                log.info("Retention deleted jobs {}, {} models, {} datasets", deleted.jobs(), deleted.models(), deleted.datasets());
            }
        } catch (RuntimeException e) {
            // The database may be briefly unreachable; the next run tries again.
            log.warn("Retention cleanup failed: {}", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
