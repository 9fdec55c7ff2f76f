package io.sparsefit.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The queue's gauges (exported at /actuator/prometheus, names kept from when fits were the only jobs): jobs queued
 * (all replicas, every kind) and jobs running in this process. What each kind counts of its own (fits submitted,
 * succeeded...) its runner records, told by {@link JobRunner#ended}.
 */
@Component
class JobMetrics {

    JobMetrics(MeterRegistry registry, JobRepository repository, LiveJobs live) {
        Gauge.builder("sparsefit.fits.queued", repository, JobMetrics::queued)
                .description("Jobs of every kind (fits, paths, scorings) waiting in the queue (all replicas)").register(registry);
        Gauge.builder("sparsefit.fits.running", live, LiveJobs::size)
                .description("Jobs of every kind (fits, paths, scorings) running in this process").register(registry);
    }

    private static double queued(JobRepository repository) {
        try {
            return repository.count(JobState.QUEUED);
        } catch (RuntimeException e) {
            return Double.NaN; // the database is gone (shutdown); a scrape must not fail
        }
    }
}
