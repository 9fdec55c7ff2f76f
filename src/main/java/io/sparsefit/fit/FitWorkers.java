package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The bounded pool of platform threads that runs fits, never on request threads. The queue is the
 * {@code fit} table itself: each worker claims the oldest QUEUED row with a conditional update, so a
 * restart (or, later, another replica) picks up exactly what is left. Submissions wake a worker;
 * idle workers also look every {@code poll-interval}.
 *
 * <p>On startup, fits left RUNNING by a dead process are queued again (in creation order, with the
 * others). On shutdown, running fits are stopped through their cancellation token and put back in the
 * queue, so they run again, to the same result, after the next start.
 */
@Component
class FitWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FitWorkers.class);

    private final FitRepository repository;
    private final FitJob job;
    private final SparsefitProperties.Fits config;
    private final String owner;
    private final Semaphore wake = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean stopping;

    FitWorkers(FitRepository repository, FitJob job, SparsefitProperties properties) {
        this.repository = repository;
        this.job = job;
        this.config = properties.fits();
        // Identifies this process as the owner of the fits it claims (host/pid plus a random part).
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Tells an idle worker that a fit was queued. */
    void wake() {
        wake.release();
    }

    @Override
    public void start() {
        if (config.recoverOnStartup()) {
            int recovered = repository.recover(true, Instant.now());
            if (recovered > 0) {
                log.info("Re-queued {} fits left RUNNING by a previous process", recovered);
            }
        }
        stopping = false;
        int n = config.effectiveThreads();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(this::loop, "sparsefit-fit-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        running = true;
    }

    private void loop() {
        while (!stopping) {
            try {
                Instant now = Instant.now();
                Optional<FitRepository.Row> claimed = repository.claimNext(owner, now, now.plus(config.lease()));
                if (claimed.isPresent()) {
                    job.run(claimed.get(), owner, () -> stopping);
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
                log.error("Fit worker error; retrying", e);
                sleep(config.pollInterval());
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        wake.release(threads.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                log.warn("Fit worker {} did not stop in time; its fit stays RUNNING and is recovered at the next start", t.getName());
            }
        }
        threads.clear();
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
