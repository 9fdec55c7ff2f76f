package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.dataset.TargetClasses;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Ownership;
import io.sparsefit.web.Problems;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fit queue for jobs of other kinds (a regularization path is one, {@code io.sparsefit.path}): they are rows
 * of the same table with another {@code kind}, claimed by the same bounded worker pool ({@link FitWorkers}) in
 * submission order with fits, under the same leases, heartbeat, re-queue on restart or expiry, attempt limit and
 * cross-replica cancellation. A {@link Runner} bean of that kind runs a claimed job; it writes its results
 * through {@link Control#write}, conditional on still owning the job, like {@link FitJob}.
 */
@Component
public class JobQueue {

    /** The job kinds (the {@code fit_kind_check} constraint of V20). */
    public static final String FIT = "FIT";
    public static final String PATH = "PATH";
    public static final String SCORING = "SCORING";

    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

    /** Runs claimed jobs of one kind on a worker thread. */
    public interface Runner {
        String kind();

        void run(Job job, Control control);
    }

    /** A claimed job: its stored request, its number of steps (the progress denominator), and the key that owns it (what it stores belongs to that key). */
    public record Job(String id, String datasetId, String requestJson, int steps, String apiKeyId) {
    }

    /** What a runner can do with the job it runs. */
    public interface Control {
        /** Cancelled by a user, taken over by another replica, or the service is stopping. */
        CancellationToken token();

        /** Whether a user asked to cancel (as opposed to a shutdown or a lost lease). */
        boolean cancelRequested();

        /** Live progress; persisted (and the lease renewed) at most every progress-persist-interval. */
        void progress(int step, Double objective);

        /** Runs {@code work} in one transaction if the job is still ours; false (nothing written) otherwise. */
        boolean write(Runnable work);

        /** Ends the job in {@code state}, with {@code work} in the same transaction; false if it is not ours any more. */
        boolean finish(FitState state, int steps, Double objective, String errorJson, Runnable work);

        /** Gives the job back to the queue (shutdown): it runs again from the start, on any replica. */
        void requeue();

        /**
         * Ends a run its token stopped: CANCELLED with {@code steps} done when a user asked, otherwise (a shutdown; after a
         * lost lease this is a no-op) back to the queue, to run again from the start on any replica.
         */
        default void stop(int steps) {
            if (cancelRequested()) {
                finish(FitState.CANCELLED, steps, null, null, () -> { });
            } else {
                requeue();
            }
        }
    }

    /** A job as stored, with live progress when this replica runs it. */
    public record View(String id, FitState state, String datasetId, String requestJson, int step, int steps, Double objective,
                       String errorJson, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    /** What a submission stores, computed inside the insert's transaction (e.g. after storing inline data). */
    public record Stored(String datasetId, String requestJson, String sha256) {
    }

    private final FitRepository repository;
    private final FitWorkers workers;
    private final LiveFits liveFits;
    private final FitValidator validator;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SparsefitProperties properties;
    private final ObjectProvider<Runner> runners;
    private final Object admission = new Object();

    JobQueue(FitRepository repository, FitWorkers workers, LiveFits liveFits, FitValidator validator, TransactionTemplate tx,
             JsonMapper json, SparsefitProperties properties, ObjectProvider<Runner> runners) {
        this.repository = repository;
        this.workers = workers;
        this.liveFits = liveFits;
        this.validator = validator;
        this.tx = tx;
        this.json = json;
        this.properties = properties;
        this.runners = runners;
    }

    /** The checks of a fit request (with defaults) that need no data; 422 listing every bad field. */
    public void checkFitRequest(FitRequest request) {
        validator.checkRequest(request);
    }

    /**
     * The checks of a fit request against the data: its shape and its targets' {@code classes} (null: no labels), which
     * the request's loss must suit, for unweighted data (paths refuse weighted tables); 422.
     */
    public void checkFitRequestAgainstData(FitRequest request, int rows, int inputDim, int targetColumns, TargetClasses classes) {
        Loss loss = FitLoss.resolve(request.loss(), classes, targetColumns, 0).toLoss();
        validator.checkAgainstData(request, rows, inputDim, loss.outputs(targetColumns), loss, false);
    }

    /** The core settings of a checked fit request. */
    public static FitSettings settings(FitRequest request) {
        return FitValidator.settings(request);
    }

    /** Queues a job of {@code kind} behind every fit and job already queued; 429 as {@link #admit} says. */
    public void submit(String kind, String id, int steps, Supplier<Stored> stored) {
        String apiKeyId = Ownership.keyIdForNew();
        admit(apiKeyId, () -> {
            tx.executeWithoutResult(status -> {
                Stored s = stored.get();
                repository.insertJob(kind, id, s.datasetId(), s.requestJson(), s.sha256(), steps,
                        Instant.now().truncatedTo(ChronoUnit.MICROS), apiKeyId);
            });
            return null;
        });
        workers.wake();
    }

    /**
     * Admission of every new job, fits and paths alike, under one lock so that two submissions cannot both take the
     * last place: 429 with Retry-After when the queue holds {@code queue-capacity} jobs or the key already has its
     * {@code max-queued-fits} queued; otherwise {@code insert} runs (inside the lock) and its value is returned.
     */
    <T> T admit(String apiKeyId, Supplier<T> insert) {
        long retryAfter = Math.max(1, properties.fits().retryAfter().toSeconds());
        synchronized (admission) {
            int queued = repository.count(FitState.QUEUED);
            if (queued >= properties.fits().queueCapacity()) {
                throw ApiException.tooManyRequests("The fit queue is full (" + queued + " jobs waiting); retry later", retryAfter);
            }
            int maxQueuedPerKey = properties.security().perKey().maxQueuedFits();
            if (maxQueuedPerKey > 0) {
                int mine = repository.count(FitState.QUEUED, apiKeyId);
                if (mine >= maxQueuedPerKey) {
                    throw ApiException.tooManyRequests("This API key has " + mine + " jobs waiting, its limit; retry when one has "
                            + "started", retryAfter);
                }
            }
            return insert.get();
        }
    }

    public Optional<View> find(String kind, String id) {
        return repository.find(id, Ownership.scope()).filter(r -> kind.equals(r.kind())).map(this::view);
    }

    /**
     * A page of the jobs of {@code kind} the caller may see, in submission order, optionally in one state (at most
     * {@code max-page-size}); the cursor as for fits.
     */
    public io.sparsefit.web.Page<View> page(String kind, FitState state, int limit, String cursor) {
        int size = Math.min(limit, properties.limits().maxPageSize());
        java.util.List<FitRepository.Row> rows = repository.page(kind, io.sparsefit.web.Cursors.decode(cursor), size + 1, state,
                Ownership.scope());
        boolean more = rows.size() > size;
        java.util.List<FitRepository.Row> page = more ? rows.subList(0, size) : rows;
        String next = more ? io.sparsefit.web.Cursors.encode(page.get(page.size() - 1).seq()) : null;
        return new io.sparsefit.web.Page<>(page.stream().map(this::view).toList(), next);
    }

    /**
     * Cancels or deletes like a fit ({@link FitService#cancelOrDelete}): a job not yet final is cancelled (a queued one
     * at once, a running one at its next step); a final one is deleted and the answer is empty. {@code what} names the
     * resource in a 404.
     */
    public Optional<View> cancelOrDelete(String kind, String id, String what) {
        FitRepository.Row row = repository.find(id, Ownership.scope()).filter(r -> kind.equals(r.kind()))
                .orElseThrow(() -> ApiException.notFound(what, id));
        if (row.state().isFinal()) {
            if (!repository.deleteFinished(id)) {
                throw ApiException.notFound(what, id);
            }
            return Optional.empty();
        }
        cancel(id);
        return Optional.of(find(kind, id).orElseThrow(() -> ApiException.notFound(what, id)));
    }

    /**
     * Asks a job that is not final to stop: a queued one becomes CANCELLED at once (true); a running one stops at its next
     * step. The flag goes to the database first, so a worker that claims the job right now still sees it.
     */
    boolean cancel(String id) {
        repository.requestCancel(id);
        if (repository.cancelQueued(id, Instant.now())) {
            return true;
        }
        LiveFits.Live live = liveFits.get(id);
        if (live != null) {
            live.cancelled = true;
        }
        return false;
    }

    /** Retention: deletes the jobs of {@code kind} that ended before {@code before}; returns how many. */
    public int deleteFinishedBefore(String kind, Instant before) {
        return repository.deleteFinishedBefore(kind, before);
    }

    private View view(FitRepository.Row row) {
        int step = row.iteration();
        Double objective = row.objective();
        LiveFits.Live live = row.state() == FitState.RUNNING ? liveFits.get(row.id()) : null;
        if (live != null) {
            step = live.iteration;
            if (Double.isFinite(live.objective)) {
                objective = live.objective;
            }
        }
        return new View(row.id(), row.state(), row.datasetId(), row.requestJson(), step, row.maxIter(), objective, row.errorJson(),
                row.createdAt(), row.startedAt(), row.finishedAt());
    }

    /** Called by a worker for a claimed row that is not a fit. */
    void run(FitRepository.Row row, String owner, BooleanSupplier stopping) {
        LiveFits.Live live = liveFits.start(row.id(), row.maxIter());
        ControlImpl control = new ControlImpl(row.id(), owner, live, stopping);
        try {
            if (repository.isCancelRequested(row.id())) {
                live.cancelled = true;
            }
            Runner runner = runners.orderedStream().filter(r -> r.kind().equals(row.kind())).findFirst().orElse(null);
            if (runner == null) {
                control.fail("No runner for jobs of kind " + row.kind());
                return;
            }
            runner.run(new Job(row.id(), row.datasetId(), row.requestJson(), row.maxIter(), row.apiKeyId()), control);
        } catch (RuntimeException e) {
            if (stopping.getAsBoolean() || live.lost) {
                throw e;
            }
            if (DatabaseErrors.isUnavailable(e)) {
                log.warn("Job {} stopped: database unreachable ({}); it runs again when its lease expires", row.id(), e.toString());
                return;
            }
            log.error("Job {} ({}) failed", row.id(), row.kind(), e);
            control.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            liveFits.end(row.id());
        }
    }

    private final class ControlImpl implements Control {
        private final String id;
        private final String owner;
        private final LiveFits.Live live;
        private final BooleanSupplier stopping;

        ControlImpl(String id, String owner, LiveFits.Live live, BooleanSupplier stopping) {
            this.id = id;
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
            live.iteration = step;
            live.objective = objective == null ? Double.NaN : objective;
            long now = System.nanoTime();
            if (now - live.lastPersistNanos < properties.fits().progressPersistInterval().toNanos()) {
                return;
            }
            live.lastPersistNanos = now;
            try {
                FitRepository.Renewal renewal = repository.saveProgress(id, owner, step, objective,
                        Instant.now().plus(properties.fits().lease()));
                if (!renewal.owned()) {
                    live.lost = true;
                } else if (renewal.cancelRequested()) {
                    live.cancelled = true;
                }
            } catch (RuntimeException e) {
                if (!DatabaseErrors.isUnavailable(e)) {
                    throw e;
                }
            }
        }

        @Override
        public boolean write(Runnable work) {
            return Boolean.TRUE.equals(tx.execute(status -> {
                // Ownership first: the update locks the row until commit (see FitJob).
                if (!repository.renewLease(id, owner, Instant.now().plus(properties.fits().lease())).owned()) {
                    live.lost = true;
                    return false;
                }
                work.run();
                return true;
            }));
        }

        @Override
        public boolean finish(FitState state, int steps, Double objective, String errorJson, Runnable work) {
            return Boolean.TRUE.equals(tx.execute(status -> {
                if (!repository.renewLease(id, owner, Instant.now().plus(properties.fits().lease())).owned()) {
                    return false;
                }
                work.run();
                if (!repository.finish(id, owner, state, steps, objective, null, errorJson, Instant.now())) {
                    status.setRollbackOnly();
                    return false;
                }
                return true;
            }));
        }

        @Override
        public void requeue() {
            repository.requeue(id, owner);
        }

        void fail(String detail) {
            FitView.FitError error = new FitView.FitError(Problems.TYPE_BASE + "fit-failed", "Job failed",
                    HttpStatus.INTERNAL_SERVER_ERROR.value(), detail, null);
            finish(FitState.FAILED, live.iteration, null, json.writeValueAsString(error), () -> { });
        }
    }
}
