package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.DaemonScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replica's side of the shared queue, on one scheduler thread at a fixed rate
 * ({@code heartbeat-interval}), independent of a job's own progress, so a fit stuck in one long
 * iteration keeps its lease. Each beat:
 * <ol>
 * <li>renews the lease of every job running in this process, and marks a job lost when its row is no
 *     longer ours (another replica re-queued it after our lease ran out): its runner then stops and
 *     writes nothing;</li>
 * <li>passes on cancel requests made through any replica (the {@code cancel_requested} column) to the
 *     local job's cancellation token;</li>
 * <li>reaps: RUNNING jobs of any replica whose lease ran out go back to the queue, or end FAILED once
 *     they used {@code max-attempts} claims; those whose cancel was requested end CANCELLED instead, whatever their
 *     attempts (a pending cancel is never queued again).</li>
 * </ol>
 * Database errors are logged and the next beat tries again: a database outage never stops it. Between beats, every
 * {@code poll-interval} while this replica runs jobs, the same thread also looks for cancel requests made through
 * other replicas ({@link #passOnCancels}), so they reach the runner within about a second, not a heartbeat.
 */
@Component
class JobHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(JobHeartbeat.class);

    private final JobRepository repository;
    private final LiveJobs liveJobs;
    private final JobRunners runners;
    private final JsonMapper json;
    private final Duration lease;
    private final Duration interval;
    private final Duration cancelPoll;
    private final int maxAttempts;
    private ScheduledExecutorService scheduler;
    private final DatabaseErrors.Outage outage = new DatabaseErrors.Outage();

    JobHeartbeat(JobRepository repository, LiveJobs liveJobs, JobRunners runners, JsonMapper json, SparsefitProperties properties) {
        this.repository = repository;
        this.liveJobs = liveJobs;
        this.runners = runners;
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
        scheduler = DaemonScheduler.named("sparsefit-job-heartbeat");
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
            outage.reached(() -> log.info("Database reachable again; job leases renewed"));
        } catch (RuntimeException e) {
            if (!outage.failedWithOutage(e, () -> log.warn(
                    "Database unreachable; jobs keep running and their leases are renewed when it returns ({})", e.toString()))) {
                log.error("Job heartbeat failed; next beat in {}", interval, e);
            }
        }
    }

    private void renew(String owner) {
        for (LiveJobs.Live live : liveJobs.all()) {
            JobRepository.Renewal renewal = repository.renewLease(live.id, owner, Instant.now().plus(lease));
            // Not owned: the row is final (a cancel of a job finishing right now) or another replica took it over.
            if (!renewal.owned() && !live.lost && repository.find(live.id)
                    .map(r -> r.state() == JobState.RUNNING || r.state() == JobState.QUEUED).orElse(false)) {
                log.warn("Job {} was taken over by another replica after its lease ran out; stopping it here", live.id);
            }
            live.renewed(renewal);
        }
    }

    /**
     * Sets the cancellation flag of each job running here whose cancel was requested through any replica (one indexed
     * query, only while jobs run). A cancel through this replica needs none of it: {@link JobQueue#cancelOrDelete} sets the
     * flag at once. Database errors are left to the heartbeat to report.
     */
    void passOnCancels(String owner) {
        if (liveJobs.size() == 0) {
            return;
        }
        try {
            for (String id : repository.cancelRequestedOwnedBy(owner)) {
                LiveJobs.Live live = liveJobs.get(id);
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

    /** At startup: ends CANCELLED the jobs this instance left RUNNING whose cancel was requested (never queued again). */
    void cancelPendingOwnedBy(String owner) {
        for (String id : repository.cancelAbandonedOwnedBy(owner, Instant.now())) {
            log.info("Job {} cancelled: its cancel was requested while this instance, stopped since, ran it", id);
            endedWithoutRun(id, JobState.CANCELLED);
        }
    }

    /** At startup: ends FAILED the jobs this instance left RUNNING on their last allowed attempt (no cancel requested). */
    void failExhaustedOwnedBy(String owner) {
        for (String id : repository.failOwnedWithoutAttemptsLeft(owner, maxAttempts, this::attemptsExhausted, Instant.now())) {
            log.error("Job {} failed: this instance stopped while running it on attempt {} of {}", id, maxAttempts, maxAttempts);
            endedWithoutRun(id, JobState.FAILED);
        }
    }

    /** The error of a job whose every allowed claim ended without a result. */
    String attemptsExhausted(String id) {
        JobKind kind = JobExecution.kind(repository.find(id).flatMap(r -> runners.find(r.kind())).orElse(null));
        JobError error = JobExecution.error(kind, id, 500, kind.failedTitle(), "The " + kind.resource() + " was claimed " + maxAttempts + " times and each time its replica stopped before "
                + "finishing it (crash, out of memory, or lost database)");
        return json.writeValueAsString(error);
    }

    private void endedWithoutRun(String id, JobState state) {
        repository.find(id).flatMap(r -> runners.find(r.kind())).ifPresent(runner -> runner.ended(state, 0, -1));
    }

    private void reap() {
        Instant now = Instant.now();
        for (String id : repository.cancelAbandonedExpired(now)) {
            log.info("Job {} cancelled: its cancel was requested and its replica stopped renewing its lease", id);
            endedWithoutRun(id, JobState.CANCELLED);
        }
        int requeued = repository.requeueExpired(now, maxAttempts);
        if (requeued > 0) {
            log.warn("Queued again {} job(s) whose replica stopped renewing its lease", requeued);
        }
        List<String> exhausted = repository.expiredWithoutAttemptsLeft(now, maxAttempts);
        for (String id : exhausted) {
            if (repository.failExpired(id, attemptsExhausted(id), now, maxAttempts)) {
                log.error("Job {} failed: its lease ran out on attempt {} of {}", id, maxAttempts, maxAttempts);
                endedWithoutRun(id, JobState.FAILED);
            }
        }
    }
}
