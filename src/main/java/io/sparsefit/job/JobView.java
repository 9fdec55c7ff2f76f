package io.sparsefit.job;

import java.time.Instant;
import java.util.List;

/**
 * A job as stored, with live progress when this replica runs it: what every feature's resource is made from.
 *
 * @param step     steps done (a fit's iterations, a path's points, a scoring's rows)
 * @param steps    the progress denominator given at submit
 * @param gap      the latest duality gap, only while this replica runs the job and its solver reports one
 * @param resultId what the job produced (a fit's model), once SUCCEEDED
 * @param warnings found at submit (not errors)
 */
public record JobView(String id, JobState state, String datasetId, String requestJson, String requestSha256, int step, int steps,
                      Double objective, Double gap, String resultId, JobError error, List<String> warnings, Instant createdAt,
                      Instant startedAt, Instant finishedAt) {

    /** step / steps, 1 once SUCCEEDED, 0 without steps. */
    public double fraction() {
        return fraction(step, steps);
    }

    /** {@code done / total} (a path's points, a scoring's rows), 1 once SUCCEEDED, 0 without a total: every resource's progress. */
    public double fraction(long done, long total) {
        return state == JobState.SUCCEEDED ? 1.0 : total > 0 ? Math.min(1.0, done / (double) total) : 0.0;
    }
}
