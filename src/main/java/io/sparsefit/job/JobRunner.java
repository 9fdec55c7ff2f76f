package io.sparsefit.job;

/**
 * What a feature implements to have its jobs run by the queue (a fit, a path, a scoring): one Spring bean per
 * {@link #kind()}. The queue claims the job under a lease, renews it, passes on cancels, and calls {@link #run} on a
 * worker thread with a {@link JobControl}; everything the runner stores goes through that control, conditional on
 * still owning the job. An exception out of {@link #run} is mapped once for every kind ({@link JobFailure}): back in the
 * queue when the service is stopping, CANCELLED when a cancel was accepted, queued again with its attempt counted after
 * a transient fault (a 503), FAILED with the status and detail of an {@link io.sparsefit.web.ApiException}, 422 for
 * the core's {@link IllegalArgumentException}, anything else a logged 500 "internal error"; so a runner only handles
 * the failures it can explain better, and lets the core's exceptions through.
 */
public interface JobRunner {

    /** The kind of job it runs: its name, its resource, how long it is kept. */
    JobKind kind();

    /** Runs one claimed job on the calling worker thread. */
    void run(Job job, JobControl control);

    /**
     * Told once a job of this kind ended in {@code state} on this replica: by its run ({@code nanos} its wall-clock
     * time), or without a run ({@code nanos} negative: cancelled while queued, failed or cancelled by the reaper or
     * at startup). For metrics.
     */
    default void ended(JobState state, int steps, long nanos) {
    }

    /**
     * Deletes what runs of job {@code id} stored that the job keeps only when it SUCCEEDED (a scoring's predictions).
     * Called in the transaction that ends a run FAILED or CANCELLED, whoever ends it (the runner through its
     * {@link JobControl}, or the queue for an exception out of {@link #run}). Not for the ends written without a run (a
     * queued job cancelled at once, a job whose attempts ran out, {@code JobHeartbeat}): what an interrupted earlier run
     * stored then stays until the job is deleted (a scoring's blocks go with its row). Nothing by default: a path keeps
     * its points.
     */
    default void discard(String id) {
    }

    /** A claimed job: its stored request, its number of steps (the progress denominator), and the key that owns it. */
    record Job(String id, String datasetId, String requestJson, int steps, String apiKeyId) {
    }
}
