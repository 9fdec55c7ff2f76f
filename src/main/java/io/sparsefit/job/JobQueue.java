package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Cursors;
import io.sparsefit.web.FieldProblem;
import io.sparsefit.web.Ownership;
import io.sparsefit.web.Page;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one job queue of fits, paths and scorings, as the API sees it: submit (admission, the idempotent replay, the
 * insert), read, list, and cancel or delete. A job is a row of one table, claimed in submission order by the bounded
 * worker pool ({@link JobWorkers}) whatever its kind, under leases renewed by {@link JobHeartbeat}, and run by the
 * {@link JobRunner} of its kind. Features keep only their own: the request and its checks, what the job computes,
 * their views.
 */
@Component
public class JobQueue {

    /** What a submission stores, computed inside the insert's transaction (e.g. after storing inline data). */
    public record Stored(String datasetId, String requestJson) {
    }

    /**
     * A job to queue; the queue gives it its id.
     *
     * @param steps          the progress denominator
     * @param idempotencyKey the client's Idempotency-Key, or null (see {@link #replay})
     * @param requestSha256  the hash of the request that key stands for ("-" without a key)
     * @param warnings       found at submit, shown with the job
     * @param stored         what to store, called with the job's id inside the insert's transaction
     */
    public record NewJob(JobKind kind, int steps, String idempotencyKey, String requestSha256, List<String> warnings,
                         Function<String, Stored> stored) {

        /** A job of a kind that takes no Idempotency-Key (a path, a scoring): no request hash to compare. */
        public NewJob(JobKind kind, int steps, List<String> warnings, Function<String, Stored> stored) {
            this(kind, steps, null, "-", warnings, stored);
        }
    }

    /** The job, and whether it existed already (an Idempotency-Key replay). */
    public record Submitted(JobView job, boolean replayed) {
    }

    private final JobRepository repository;
    private final JobWorkers workers;
    private final LiveJobs liveJobs;
    private final JobRunners runners;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SparsefitProperties properties;
    private final Object admission = new Object();

    JobQueue(JobRepository repository, JobWorkers workers, LiveJobs liveJobs, JobRunners runners, TransactionTemplate tx,
             JsonMapper json, SparsefitProperties properties) {
        this.repository = repository;
        this.workers = workers;
        this.liveJobs = liveJobs;
        this.runners = runners;
        this.tx = tx;
        this.json = json;
        this.properties = properties;
    }

    /** 422 unless {@code key} (an Idempotency-Key header) is absent or 1 to 200 characters. */
    public static void checkIdempotencyKey(String key) {
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to 200 characters");
        }
    }

    /**
     * The job the caller's key already submitted under Idempotency-Key {@code key}, if any; 422 when it was submitted
     * with another request (hash {@code sha}). The job is never named (keys were once global; they are per API key now).
     */
    public Optional<JobView> replay(String key, String sha) {
        return repository.findByIdempotencyKey(Ownership.keyIdForNew(), key).map(existing -> {
            if (!existing.requestSha256().equals(sha)) {
                throw ApiException.invalid(List.of(new FieldProblem("Idempotency-Key",
                        "was already used with a different request body; use a new key for a new request")));
            }
            return view(existing);
        });
    }

    /**
     * Queues a job behind every job already queued, owned by the caller's key, and wakes a worker; 429 as {@link #admit}
     * says. When another request with the same Idempotency-Key won the insert, answers that job (replayed).
     */
    public Submitted submit(NewJob job) {
        String apiKeyId = Ownership.keyIdForNew();
        String id = UUID.randomUUID().toString();
        String warnings = job.warnings().isEmpty() ? null : json.writeValueAsString(job.warnings());
        try {
            admit(apiKeyId, () -> tx.executeWithoutResult(status -> {
                Stored s = job.stored().apply(id);
                repository.insert(job.kind().name(), id, s.datasetId(), s.requestJson(), job.requestSha256(), job.idempotencyKey(),
                        job.steps(), warnings, Instant.now().truncatedTo(ChronoUnit.MICROS), apiKeyId);
            }));
        } catch (DuplicateKeyException duplicate) {
            if (job.idempotencyKey() == null) {
                throw duplicate;
            }
            return new Submitted(replay(job.idempotencyKey(), job.requestSha256()).orElseThrow(() -> duplicate), true);
        }
        workers.wake();
        return new Submitted(get(job.kind(), id), false);
    }

    /**
     * Admission of every new job, of every kind, under one lock so that two submissions cannot both take the last
     * place: 429 with Retry-After when the queue holds {@code queue-capacity} jobs or the key already has its
     * {@code max-queued-fits} queued; otherwise {@code insert} runs (inside the lock). The lock is this process's:
     * with replicas the limit is approximate.
     */
    private void admit(String apiKeyId, Runnable insert) {
        long retryAfter = Math.max(1, properties.fits().retryAfter().toSeconds());
        synchronized (admission) {
            int queued = repository.count(JobState.QUEUED);
            if (queued >= properties.fits().queueCapacity()) {
                throw ApiException.tooManyRequests("The job queue is full (" + queued + " jobs waiting); retry later", retryAfter);
            }
            int maxQueuedPerKey = properties.security().perKey().maxQueuedFits();
            if (maxQueuedPerKey > 0) {
                int mine = repository.count(JobState.QUEUED, apiKeyId);
                if (mine >= maxQueuedPerKey) {
                    throw ApiException.tooManyRequests("This API key has " + mine + " jobs waiting, its limit; retry when one has "
                            + "started", retryAfter);
                }
            }
            insert.run();
        }
    }

    /** The job of {@code kind} if the caller may see it; 404 named by the kind's resource otherwise. */
    public JobView get(JobKind kind, String id) {
        return view(row(kind, id));
    }

    /**
     * A page of the jobs of {@code kind} the caller may see, in submission order, optionally in one state (at most
     * {@code max-page-size}), with the cursor of the next page.
     */
    public Page<JobView> page(JobKind kind, JobState state, int limit, String cursor) {
        int size = properties.limits().pageSize(limit);
        List<JobRepository.Row> rows = repository.page(kind.name(), Cursors.decode(cursor), size + 1, state, Ownership.scope());
        return Page.ofFetched(rows, size, JobRepository.Row::seq, this::view);
    }

    /**
     * {@code DELETE} of a job: one not yet final is cancelled (a queued one ends CANCELLED at once; a running one is asked
     * to stop, through a flag in the database read by the replica that runs it at its next heartbeat, progress write or
     * cancel poll, or set here at once when this replica runs it). A final one is deleted and the answer is empty; what
     * it produced (a fit's model, a path's point models) stays. So a second DELETE of a cancelled job deletes it.
     */
    public Optional<JobView> cancelOrDelete(JobKind kind, String id) {
        JobRepository.Row row = row(kind, id);
        if (row.state().isFinal()) {
            if (!repository.deleteFinished(id)) {
                throw ApiException.notFound(kind.resource(), id);
            }
            return Optional.empty();
        }
        // The flag goes to the database first, so a worker that claims the job right now still sees it.
        repository.requestCancel(id);
        if (repository.cancelQueued(id, Instant.now())) {
            runners.find(kind.name()).ifPresent(runner -> runner.ended(JobState.CANCELLED, 0, -1));
        } else {
            LiveJobs.Live live = liveJobs.get(id);
            if (live != null) {
                live.cancelled = true;
            }
        }
        return Optional.of(get(kind, id));
    }

    /** The row of job {@code id} of {@code kind} if the caller may see it; 404 named by the kind's resource otherwise. */
    private JobRepository.Row row(JobKind kind, String id) {
        return Ownership.owned(kind.resource(), id, (jobId, scope) -> repository.find(jobId, scope).filter(r -> kind.name().equals(r.kind())));
    }

    private JobView view(JobRepository.Row row) {
        int step = row.step();
        Double objective = row.objective();
        Double gap = null;
        LiveJobs.Live live = row.state() == JobState.RUNNING ? liveJobs.get(row.id()) : null;
        if (live != null) {
            step = live.step;
            double liveObjective = live.objective;
            if (Double.isFinite(liveObjective)) {
                objective = liveObjective;
            }
            double liveGap = live.gap;
            if (Double.isFinite(liveGap)) {
                gap = liveGap;
            }
        }
        JobError error = row.errorJson() == null ? null : json.readValue(row.errorJson(), JobError.class);
        List<String> warnings = row.warningsJson() == null ? List.of() : List.of(json.readValue(row.warningsJson(), String[].class));
        return new JobView(row.id(), row.state(), row.datasetId(), row.requestJson(), row.requestSha256(), step, row.steps(), objective,
                gap, row.resultId(), error, warnings, row.createdAt(), row.startedAt(), row.finishedAt());
    }
}
