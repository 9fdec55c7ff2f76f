package io.sparsefit.fit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sparsefit.job.JobState;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The fits' own metrics (exported at /actuator/prometheus): fits submitted, succeeded, failed and cancelled; fit
 * duration (with histogram); solver iterations per second. The queue's gauges (queued, running) are the job
 * package's.
 */
@Component
class FitMetrics {

    private final Counter submitted;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter cancelled;
    private final Timer duration;
    private final DistributionSummary iterationsPerSecond;

    FitMetrics(MeterRegistry registry) {
        submitted = Counter.builder("sparsefit.fits.submitted").description("Fits accepted for queueing").register(registry);
        succeeded = Counter.builder("sparsefit.fits.succeeded").description("Fits that produced a model").register(registry);
        failed = Counter.builder("sparsefit.fits.failed").description("Fits that ended FAILED").register(registry);
        cancelled = Counter.builder("sparsefit.fits.cancelled").description("Fits that ended CANCELLED").register(registry);
        duration = Timer.builder("sparsefit.fit.duration").description("Wall-clock time of one fit run, from claim to final state")
                .publishPercentileHistogram().register(registry);
        iterationsPerSecond = DistributionSummary.builder("sparsefit.fit.iterations.per.second")
                .description("Solver iterations per second of each finished fit").register(registry);
    }

    void submitted() {
        submitted.increment();
    }

    /** A fit ended in {@code state} after {@code nanos} of running; negative: it never ran (cancelled queued, reaped). */
    void finished(JobState state, long nanos, int iterations) {
        switch (state) {
            case SUCCEEDED -> succeeded.increment();
            case FAILED -> failed.increment();
            case CANCELLED -> cancelled.increment();
            default -> {
                return;
            }
        }
        if (nanos < 0) {
            return;
        }
        duration.record(Duration.ofNanos(nanos));
        if (nanos > 0 && iterations > 0) {
            iterationsPerSecond.record(iterations * 1e9 / nanos);
        }
    }
}
