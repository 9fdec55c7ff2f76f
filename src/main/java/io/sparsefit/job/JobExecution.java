package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Problems;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed job on the calling worker thread through the {@link JobRunner} of its kind, with the
 * {@link JobControl} that keeps every write conditional on this replica still owning the job, so a replica that lost
 * its lease can never write a second result (and, as the owner is the replica, a run found lost writes nothing even
 * after this same replica claimed the job again: see {@link LiveJobs#start}). What the runner does not handle itself
 * ends here: after a lost lease nothing is written; at shutdown the job goes back to the queue (its attempt returned);
 * a cancel that was accepted wins over every failure: the job ends CANCELLED (see {@link Control#fail}), and so does a
 * cancel still pending in the database (requested through another replica, not yet passed on to this run) when the
 * job would go back to the queue (see {@link Control#retry}, {@link Control#requeue}); anything else
 * is mapped once, for every kind, by {@link JobFailure}: a transient fault (the database unreachable or full, a 503)
 * queues the job again with its attempt counted, an {@link ApiException} or the core's refusal of the settings ends it
 * FAILED with that status and detail, anything else FAILED with a 500 "internal error" (logged with its stack trace,
 * its message not shown). Final writes are retried while the database is unreachable or full.
 */
@Component
class JobExecution {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);
    private static final long MAX_BACKOFF_MS = 5000;

    private final JobRepository repository;
    private final LiveJobs liveJobs;
    private final JobRunners runners;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SparsefitProperties.Fits config;

    JobExecution(JobRepository repository, LiveJobs liveJobs, JobRunners runners, TransactionTemplate tx, JsonMapper json,
                 SparsefitProperties properties) {
        this.repository = repository;
        this.liveJobs = liveJobs;
        this.runners = runners;
        this.tx = tx;
        this.json = json;
        this.config = properties.fits();
    }

    /** Runs a claimed row; returns when the job ended, went back to the queue, or was lost. */
    void run(JobRepository.Row row, String owner, BooleanSupplier stopping) {
        LiveJobs.Live live = liveJobs.start(row.id());
        JobRunner runner = runners.find(row.kind()).orElse(null);
        Control control = new Control(row.id(), runner, owner, live, stopping);
        try {
            // A cancel that raced with the claim is in the database already (see JobQueue.cancelOrDelete).
            if (repository.isCancelRequested(row.id())) {
                live.cancelled = true;
            }
            if (runner == null) {
                control.fail(500, "Job failed", "No runner for jobs of kind " + row.kind());
                return;
            }
            runner.run(new JobRunner.Job(row.id(), row.datasetId(), row.requestJson(), row.steps(), row.apiKeyId()), control);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            if (live.lost) {
                log.warn("Job {} ({}) stopped after another replica took it over ({})", row.id(), row.kind(), e.toString());
                return;
            }
            if (live.cancelled) {
                // A cancel that was accepted wins over the failure it caused (a solver stopped mid-step, a stream closed
                // under it), at a shutdown too: the user asked for CANCELLED, and a cancelled job does not run again.
                log.info("Job {} ({}) cancelled; its run ended with {}", row.id(), row.kind(), e.toString());
                control.finish(JobState.CANCELLED, live.step, finite(live.objective), () -> null);
                return;
            }
            if (stopping.getAsBoolean()) {
                control.requeue(); // shutdown: any replica runs it again
                return;
            }
            failed(row, runner, control, e);
        } finally {
            liveJobs.end(live);
        }
    }

    /** Ends a run that threw, neither lost, cancelled nor stopping, as {@link JobFailure} maps what it threw. */
    private void failed(JobRepository.Row row, JobRunner runner, Control control, Throwable e) {
        JobFailure failure = JobFailure.of(e);
        String title = kind(runner).failedTitle();
        switch (failure.kind()) {
            case TRANSIENT -> control.retry(failure, title, e);
            case EXPECTED -> {
                // The runner's own words for what went wrong (the problem a request would have answered).
                log.info("Job {} ({}) failed: {} {}", row.id(), row.kind(), failure.status(), failure.detail());
                control.fail(failure.status(), title, failure.detail());
            }
            case REFUSED -> {
                // The core's words: settings the checks let through, or a core check that should never fire; the stack
                // trace tells which.
                log.warn("Job {} ({}) refused by the core: {} {}", row.id(), row.kind(), failure.status(), failure.detail(), e);
                control.fail(failure.status(), title, failure.detail());
            }
            case INTERNAL -> {
                log.error("Job {} ({}) failed", row.id(), row.kind(), e);
                control.fail(failure.status(), title, JobFailure.internal(kind(runner)));
            }
        }
    }

    /** The last objective reported, as stored: null until a finite one was. */
    private static Double finite(double objective) {
        return Double.isFinite(objective) ? objective : null;
    }

    /** The kind of a job whose kind no runner claims: its failure names no resource. */
    static final JobKind UNKNOWN = new JobKind("?", "job", retention -> java.time.Duration.ZERO);

    static JobKind kind(JobRunner runner) {
        return runner == null ? UNKNOWN : runner.kind();
    }

    /** The problem object of a failed job of {@code kind}. */
    static JobError error(JobKind kind, String id, int status, String title, String detail) {
        return new JobError(Problems.TYPE_BASE + kind.resource() + "-failed", title, status, detail,
                kind == UNKNOWN ? null : kind.location(id));
    }

    /**
     * Runs a final write, retrying while the database is unreachable (backing off up to 5 s), until it succeeds, the job
     * is lost to another replica, or the service stops (then the job stays RUNNING until its lease runs out or this
     * instance starts again, and is then queued again, or ends CANCELLED if a cancel is pending, FAILED if that was its
     * last allowed attempt).
     */
    private <T> T whileDatabaseDown(LiveJobs.Live live, BooleanSupplier stopping, Supplier<T> write) {
        long backoffMs = 200;
        boolean logged = false;
        while (true) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (!DatabaseErrors.isUnavailable(e) || live.lost || stopping.getAsBoolean()) {
                    throw e;
                }
                if (!logged) {
                    log.warn("Job {} finished but the database is unreachable; retrying the write ({})", live.id, e.toString());
                    logged = true;
                }
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
        }
    }

    private final class Control implements JobControl {
        private final String id;
        private final JobRunner runner;
        private final String owner;
        private final LiveJobs.Live live;
        private final BooleanSupplier stopping;
        private final long start = System.nanoTime();

        Control(String id, JobRunner runner, String owner, LiveJobs.Live live, BooleanSupplier stopping) {
            this.id = id;
            this.runner = runner;
            this.owner = owner;
            this.live = live;
            this.stopping = stopping;
        }

        @Override
        public CancellationToken token() {
            return () -> live.cancelled || live.lost || stopping.getAsBoolean();
        }

        @Override
        public boolean cancelRequested() {
            return live.cancelled;
        }

        @Override
        public void progress(int step, Double objective) {
            live.step = step;
            live.objective = objective == null ? Double.NaN : objective;
            long now = System.nanoTime();
            if (live.lost || now - live.lastPersistNanos < config.progressPersistInterval().toNanos()) {
                return;
            }
            live.lastPersistNanos = now;
            Double persisted = objective != null && Double.isFinite(objective) ? objective : null;
            try {
                live.renewed(repository.saveProgress(id, owner, step, persisted, Instant.now().plus(config.lease())));
            } catch (RuntimeException e) {
                if (!DatabaseErrors.isUnavailable(e)) {
                    throw e;
                }
                // Database unreachable: progress is only informative, keep going (the heartbeat reports the outage).
            }
        }

        @Override
        public void gap(double gap) {
            live.gap = gap;
        }

        @Override
        public boolean write(Runnable work) {
            if (live.lost) {
                return false; // the owner check below cannot tell this run from a later claim of the job by this replica
            }
            return Boolean.TRUE.equals(tx.execute(status -> {
                // Ownership first: this update also locks the job row until commit, so no reaper can take the job
                // between the check and the writes, and nothing is written for a job that is not ours any more.
                if (!repository.renewLease(id, owner, Instant.now().plus(config.lease())).owned()) {
                    live.lost = true;
                    return false;
                }
                work.run();
                return true;
            }));
        }

        @Override
        public boolean finish(JobState state, int steps, Double objective, Supplier<String> work) {
            boolean done = end(state, steps, objective, work, null);
            if (!done) {
                log.warn("Job {} finished here after another replica took it over; this result is discarded", id);
            }
            return done;
        }

        /**
         * Ends the job FAILED, or CANCELLED when a cancel was accepted before: the cancel wins over the failure, which is
         * often its consequence (a solver stopped mid-step, a stream closed under it), and the user asked for CANCELLED.
         */
        @Override
        public boolean fail(int status, String title, String detail) {
            int steps = live.step;
            Double objective = finite(live.objective);
            if (live.cancelled) {
                return end(JobState.CANCELLED, steps, objective, () -> null, null);
            }
            String error = json.writeValueAsString(error(kind(runner), id, status, title, detail));
            return end(JobState.FAILED, steps, objective, () -> null, error);
        }

        /**
         * The final write of every end: in one transaction, ownership checked first (the update locks the job row until
         * commit), what the runner discards for an end other than SUCCEEDED ({@link JobRunner#discard}), {@code work}
         * (the result's id), the job's final state; rolled back when the job is not ours any more.
         */
        private boolean end(JobState state, int steps, Double objective, Supplier<String> work, String error) {
            boolean done = !live.lost && whileDatabaseDown(live, stopping, () -> Boolean.TRUE.equals(tx.execute(status -> {
                if (!repository.renewLease(id, owner, Instant.now().plus(config.lease())).owned()) {
                    return false;
                }
                if (state != JobState.SUCCEEDED && runner != null) {
                    runner.discard(id);
                }
                String resultId = work.get();
                if (!repository.finish(id, owner, state, steps, objective == null ? null : finite(objective), resultId, error,
                        Instant.now())) {
                    status.setRollbackOnly(); // no longer ours (lease lost): someone else owns the result
                    return false;
                }
                return true;
            })));
            if (done) {
                ended(state, steps);
            }
            return done;
        }

        /**
         * After a transient fault: back to the queue with the attempt counted (a lost lease's way, at once), FAILED with the
         * fault's status and detail when that was the last attempt, CANCELLED when a cancel is pending (the requeue is
         * conditional on none, {@link JobRepository#requeueCountingTheAttempt}: a requeue would cost the job an attempt
         * and a run, or end it FAILED); while the database cannot take even that write, the job stays RUNNING here and
         * its lease running out queues it again, or ends it CANCELLED (a cancel pending) or FAILED (its last allowed
         * attempt): the heartbeat's reaper counts the same way.
         */
        void retry(JobFailure failure, String title, Throwable e) {
            if (live.lost) {
                return;
            }
            try {
                if (repository.requeueCountingTheAttempt(id, owner, config.maxAttempts())) {
                    log.warn("Job {} queued again after a transient fault, its attempt counted ({})", id, e.toString());
                } else if (cancelPending()) {
                    log.info("Job {} cancelled; its run ended with a transient fault ({})", id, e.toString());
                    finishCancelled();
                } else if (fail(failure.status(), title, failure.detail() + " (on its last allowed attempt, "
                        + config.maxAttempts() + ")")) {
                    log.error("Job {} failed: a transient fault on its last allowed attempt ({})", id, e.toString());
                }
            } catch (RuntimeException writeFailed) {
                if (!DatabaseErrors.isUnavailable(writeFailed)) {
                    throw writeFailed;
                }
                log.warn("Job {} stopped: database unreachable ({}); {}", id, e.toString(), afterLeaseRunsOut());
            }
        }

        /**
         * What the reaper ({@link JobHeartbeat}) does with this job, left RUNNING here, once its lease runs out: it queues
         * the job again unless a cancel is pending (then CANCELLED) or that was its last attempt (then FAILED). With the
         * database unreachable this run cannot tell whether a cancel is pending in the database, unless it saw one.
         */
        private String afterLeaseRunsOut() {
            return live.cancelled ? "its cancel is pending, so it ends CANCELLED when its lease runs out"
                    : "when its lease runs out it is queued again, or ends CANCELLED if a cancel is pending by then, or FAILED if "
                    + "this was its last allowed attempt";
        }

        /** Back to the queue (a shutdown), or CANCELLED when a cancel is pending: the requeue is conditional on none. */
        @Override
        public void requeue() {
            if (!live.lost && !repository.requeue(id, owner) && cancelPending()) {
                finishCancelled();
            }
        }

        /**
         * Whether a cancel was requested, here or (pending, not yet passed on to this run) through another replica; a
         * pending one is taken over, so {@link #fail} and the token see it too.
         */
        private boolean cancelPending() {
            if (!live.cancelled && repository.isCancelRequested(id)) {
                live.cancelled = true;
            }
            return live.cancelled;
        }

        private void finishCancelled() {
            finish(JobState.CANCELLED, live.step, finite(live.objective), () -> null);
        }

        private void ended(JobState state, int steps) {
            if (runner != null) {
                runner.ended(state, steps, System.nanoTime() - start);
            }
        }
    }
}
