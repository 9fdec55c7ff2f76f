package io.sparsefit.fit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The service's own metrics (exported at /actuator/prometheus): fits submitted, succeeded, failed and
 * cancelled; queued and running fits; fit duration (with histogram); solver iterations per second.
 */
@Component
class FitMetrics {

    private final Counter submitted;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter cancelled;
    private final Timer duration;
    private final DistributionSummary iterationsPerSecond;

    FitMetrics(MeterRegistry registry, FitRepository repository, LiveFits live) {
        submitted = Counter.builder("sparsefit.fits.submitted").description("Fits accepted for queueing").register(registry);
        succeeded = Counter.builder("sparsefit.fits.succeeded").description("Fits that produced a model").register(registry);
        failed = Counter.builder("sparsefit.fits.failed").description("Fits that ended FAILED").register(registry);
        cancelled = Counter.builder("sparsefit.fits.cancelled").description("Fits that ended CANCELLED").register(registry);
        Gauge.builder("sparsefit.fits.queued", repository, r -> safeCount(r, FitState.QUEUED))
                .description("Fits waiting in the queue (all replicas)").register(registry);
        Gauge.builder("sparsefit.fits.running", live, LiveFits::size)
                .description("Fits running in this process").register(registry);
        duration = Timer.builder("sparsefit.fit.duration").description("Wall-clock time of one fit run, from claim to final state")
                .publishPercentileHistogram().register(registry);
        iterationsPerSecond = DistributionSummary.builder("sparsefit.fit.iterations.per.second")
                .description("Solver iterations per second of each finished fit").register(registry);
    }

    private static double safeCount(FitRepository repository, FitState state) {
        try {
            return repository.count(state);
        } catch (RuntimeException e) {
            return Double.NaN; // the database is gone (shutdown); a scrape must not fail
        }
    }

    void submitted() {
        submitted.increment();
    }

    void finished(FitState state, long nanos, int iterations) {
        switch (state) {
            case SUCCEEDED -> succeeded.increment();
            case FAILED -> failed.increment();
            case CANCELLED -> cancelled.increment();
            default -> {
                return;
            }
        }
        duration.record(Duration.ofNanos(nanos));
        if (nanos > 0 && iterations > 0) {
            iterationsPerSecond.record(iterations * 1e9 / nanos);
        }
    }

    /** A fit ended FAILED by the reaper (its last lease ran out): counted, but it has no run duration. */
    void failedWithoutRun() {
        failed.increment();
    }

    void cancelledWhileQueued() {
        cancelled.increment();
    }
}
