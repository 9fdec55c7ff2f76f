package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replica's side of the shared queue, on one scheduler thread at a fixed rate
 * ({@code heartbeat-interval}), independent of solver progress, so a fit stuck in one long
 * iteration keeps its lease. Each beat:
 * <ol>
 * <li>renews the lease of every fit running in this process, and marks a fit lost when its row is no
 *     longer ours (another replica re-queued it after our lease ran out): its solver then stops and
 *     writes nothing;</li>
 * <li>passes on cancel requests made through any replica (the {@code cancel_requested} column) to the
 *     local solver's cancellation token;</li>
 * <li>reaps: RUNNING fits of any replica whose lease ran out go back to the queue, or end FAILED once
 *     they used {@code max-attempts} claims.</li>
 * </ol>
 * Database errors are logged and the next beat tries again: a database outage never stops it. Between beats, every
 * {@code poll-interval} while this replica runs fits, the same thread also looks for cancel requests made through
 * other replicas ({@link #passOnCancels}), so they reach the solver within about a second, not a heartbeat.
 */
@Component
class FitHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(FitHeartbeat.class);

    private final FitRepository repository;
    private final LiveFits liveFits;
    private final FitMetrics metrics;
    private final JsonMapper json;
    private final Duration lease;
    private final Duration interval;
    private final Duration cancelPoll;
    private final int maxAttempts;
    private ScheduledExecutorService scheduler;
    private volatile boolean databaseDown;

    FitHeartbeat(FitRepository repository, LiveFits liveFits, FitMetrics metrics, JsonMapper json, SparsefitProperties properties) {
        this.repository = repository;
        this.liveFits = liveFits;
        this.metrics = metrics;
        this.json = json;
        this.lease = properties.fits().lease();
        this.interval = properties.fits().heartbeatInterval();
        this.cancelPoll = properties.fits().pollInterval();
        this.maxAttempts = properties.fits().maxAttempts();
    }

    synchronized void start(String owner) {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sparsefit-fit-heartbeat");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(() -> beat(owner), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> passOnCancels(owner), cancelPoll.toMillis(), cancelPoll.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /** One heartbeat; public to the package so startup can reap once before the workers claim. */
    void beat(String owner) {
        try {
            renew(owner);
            reap();
            if (databaseDown) {
                databaseDown = false;
                log.info("Database reachable again; fit leases renewed");
            }
        } catch (RuntimeException e) {
            if (!DatabaseErrors.isUnavailable(e)) {
                log.error("Fit heartbeat failed; next beat in {}", interval, e);
            } else if (!databaseDown) {
                databaseDown = true;
                log.warn("Database unreachable; fits keep running and their leases are renewed when it returns ({})", e.toString());
            }
        }
    }

    private void renew(String owner) {
        for (LiveFits.Live live : liveFits.all()) {
            FitRepository.Renewal renewal = repository.renewLease(live.id, owner, Instant.now().plus(lease));
            if (!renewal.owned()) {
                // The row is final (a cancel of a fit finishing right now) or another replica took it over.
                if (!live.lost && repository.find(live.id).map(r -> r.state() == FitState.RUNNING || r.state() == FitState.QUEUED)
                        .orElse(false)) {
                    log.warn("Fit {} was taken over by another replica after its lease ran out; stopping it here", live.id);
                }
                live.lost = true;
            } else if (renewal.cancelRequested()) {
                live.cancelled = true;
            }
        }
    }

    /**
     * Sets the cancellation flag of each fit running here whose cancel was requested through any replica (one indexed
     * query, only while fits run). A cancel through this replica needs none of it: {@link JobQueue#cancel} sets the
     * flag at once. Database errors are left to the heartbeat to report.
     */
    void passOnCancels(String owner) {
        if (liveFits.size() == 0) {
            return;
        }
        try {
            for (String id : repository.cancelRequestedOwnedBy(owner)) {
                LiveFits.Live live = liveFits.get(id);
                if (live != null) {
                    live.cancelled = true;
                }
            }
        } catch (RuntimeException e) {
            if (!DatabaseErrors.isUnavailable(e)) {
                log.warn("Looking for cancel requests failed; the heartbeat looks again", e);
            }
        }
    }

    /** At startup: ends FAILED the fits this instance left RUNNING on their last allowed attempt. */
    void failExhaustedOwnedBy(String owner) {
        for (String id : repository.failOwnedWithoutAttemptsLeft(owner, maxAttempts, this::attemptsExhausted, Instant.now())) {
            log.error("Fit {} failed: this instance stopped while running it on attempt {} of {}", id, maxAttempts, maxAttempts);
            metrics.failedWithoutRun();
        }
    }

    /** The error of a fit whose every allowed claim ended without a result. */
    String attemptsExhausted(String id) {
        FitView.FitError error = new FitView.FitError(Problems.TYPE_BASE + "fit-failed", "Fit failed",
                HttpStatus.INTERNAL_SERVER_ERROR.value(), "The fit was claimed " + maxAttempts
                + " times and each time its replica stopped before finishing it (crash, out of memory, or lost database)",
                "/v1/fits/" + id);
        return json.writeValueAsString(error);
    }

    private void reap() {
        Instant now = Instant.now();
        int requeued = repository.requeueExpired(now, maxAttempts);
        if (requeued > 0) {
            log.warn("Queued again {} fit(s) whose replica stopped renewing its lease", requeued);
        }
        List<String> exhausted = repository.expiredWithoutAttemptsLeft(now, maxAttempts);
        for (String id : exhausted) {
            if (repository.failExpired(id, attemptsExhausted(id), now, maxAttempts)) {
                log.error("Fit {} failed: its lease ran out on attempt {} of {}", id, maxAttempts, maxAttempts);
                metrics.failedWithoutRun();
            }
        }
    }
}
