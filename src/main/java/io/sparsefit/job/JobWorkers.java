package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The bounded pool of platform threads that runs jobs of every kind (fits, paths, scorings), never on request
 * threads. The queue is the job table itself, shared by every replica: each worker claims the oldest QUEUED row (see
 * {@link JobRepository#claimNext}) under a lease that {@link JobHeartbeat} renews while the job runs, and runs it
 * ({@link JobExecution}). Submissions to this replica wake a worker; idle workers also look every
 * {@code poll-interval}, which is how jobs submitted through other replicas are found.
 *
 * <p>On startup, the jobs this same instance (see {@link InstanceIdentity}) left RUNNING when it died
 * are queued again at once; jobs of other replicas are only ever taken back when their lease runs out.
 * On shutdown, workers stop claiming, running jobs are stopped through their cancellation token and
 * given back to the queue, so any replica runs them again, to the same result.
 */
@Component
class JobWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final JobRepository repository;
    private final JobExecution execution;
    private final JobHeartbeat heartbeat;
    private final SparsefitProperties.Fits config;
    /** sparsefit.security.per-key.max-running-fits: a key's further jobs wait even when a worker is free (0: no limit). */
    private final int maxRunningPerKey;
    private final String owner;
    private final Semaphore wake = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean stopping;

    JobWorkers(JobRepository repository, JobExecution execution, JobHeartbeat heartbeat, InstanceIdentity identity,
               SparsefitProperties properties) {
        this.repository = repository;
        this.execution = execution;
        this.heartbeat = heartbeat;
        this.config = properties.fits();
        this.maxRunningPerKey = properties.security().perKey().maxRunningFits();
        this.owner = identity.id();
    }

    /** Tells an idle worker that a job was queued. */
    void wake() {
        wake.release();
    }

    @Override
    public void start() {
        if (config.recoverOnStartup()) {
            // A job whose cancel was requested ends CANCELLED; one whose last allowed claim died with this instance
            // (it may be what killed the JVM) ends FAILED; the others go back to the queue, their attempts counted by
            // their claims.
            heartbeat.cancelPendingOwnedBy(owner);
            heartbeat.failExhaustedOwnedBy(owner);
            int recovered = repository.requeueOwnedBy(owner, config.maxAttempts());
            if (recovered > 0) {
                log.info("Re-queued {} jobs this instance ({}) left RUNNING when it stopped", recovered, owner);
            }
        }
        // Leases that ran out while no replica was up are taken back before the first claim, so the
        // queue keeps its order.
        heartbeat.beat(owner);
        stopping = false;
        int n = config.effectiveThreads();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::loop, "sparsefit-job-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        heartbeat.start(owner);
        running = true;
        log.info("Job workers started: {} threads, instance {}, lease {}, heartbeat {}, dense-layer kernels: {}", n, owner,
                config.lease(), config.heartbeatInterval(), io.sparsefit.core.kernel.Kernels.name());
    }

    private void loop() {
        Duration backoff = config.pollInterval();
        DatabaseErrors.Outage outage = new DatabaseErrors.Outage();
        while (!stopping) {
            try {
                Instant now = Instant.now();
                Optional<JobRepository.Row> claimed = repository.claimNext(owner, now, now.plus(config.lease()), maxRunningPerKey);
                outage.reached(() -> log.info("Job worker {} reaches the database again", Thread.currentThread().getName()));
                backoff = config.pollInterval();
                if (claimed.isPresent()) {
                    execution.run(claimed.get(), owner, () -> stopping);
                } else {
                    wake.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    return;
                }
                if (!outage.failedWithOutage(e, () -> log.warn("Job worker {} cannot reach the database; retrying with back-off ({})",
                        Thread.currentThread().getName(), e.toString()))) {
                    log.error("Job worker error; retrying", e);
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void sleep(Duration d) {
        try {
            wake.tryAcquire(d.toMillis(), TimeUnit.MILLISECONDS); // a shutdown wakes it early
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        wake.release(threads.size() * 2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                log.warn("Job worker {} did not stop in time; its job stays RUNNING until this instance restarts or its lease runs out",
                        t.getName());
            }
        }
        threads.clear();
        // Last: leases stay renewed while the workers give their jobs back.
        heartbeat.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Low phase: started before and stopped after the web server; always stopped before the database closes. */
    @Override
    public int getPhase() {
        return 0;
    }
}
