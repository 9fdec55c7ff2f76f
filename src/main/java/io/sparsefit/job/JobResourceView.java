package io.sparsefit.job;

/**
 * What the answers every job resource gives alike ({@link JobAnswers}) and its event stream ({@link JobEvents}) read from a feature's view of a job (a fit, a
 * path, a scoring): its id and its state. The views are records whose components these are.
 */
public interface JobResourceView {

    String id();

    JobState state();
}
