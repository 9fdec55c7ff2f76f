package io.sparsefit.job;

import io.sparsefit.core.solver.CancellationToken;
import java.util.function.Supplier;

/** What a {@link JobRunner} can do with the job it runs. Writes are conditional on this replica still owning the job. */
public interface JobControl {

    /** Cancelled by a user, taken over by another replica, or the service is stopping. */
    CancellationToken token();

    /** Whether a user asked to cancel (as opposed to a shutdown or a lost lease). */
    boolean cancelRequested();

    /** Live progress; persisted (and the lease renewed) at most every {@code progress-persist-interval}. */
    void progress(int step, Double objective);

    /** The latest duality gap the solver reported (shown live by the replica running the job). */
    void gap(double gap);

    /** Runs {@code work} in one transaction if the job is still ours; false (nothing written) otherwise. */
    boolean write(Runnable work);

    /**
     * Ends the job in {@code state} with {@code work} in the same transaction; {@code work} answers the id of what the
     * job produced (a fit's model), or null. {@code objective} is stored when it is finite (null or NaN: none). Retried while the database is unreachable or full, so a result is not lost
     * to an outage; false if the job is not ours any more (nothing written).
     */
    boolean finish(JobState state, int steps, Double objective, Supplier<String> work);

    /**
     * Ends the job FAILED with a problem object ({@link JobError}) of HTTP {@code status}, or CANCELLED when a user's
     * cancel was accepted before (the cancel wins over the failure); false if it is not ours.
     */
    boolean fail(int status, String title, String detail);

    /**
     * Gives the job back to the queue (shutdown): it runs again from the start, on any replica; unless a cancel is
     * pending in the database (requested through another replica, not yet seen here): then it ends CANCELLED.
     */
    void requeue();

    /**
     * Ends a run its token stopped: CANCELLED with {@code steps} done when a user asked, otherwise (a shutdown; after a
     * lost lease this is a no-op) back to the queue, to run again from the start on any replica.
     */
    default void stop(int steps) {
        if (cancelRequested()) {
            finish(JobState.CANCELLED, steps, null, () -> null);
        } else {
            requeue();
        }
    }
}
