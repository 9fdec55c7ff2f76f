package io.sparsefit.core.solver;

/** One logged point of the loss curve (objective = dataFit + penalty, theory A2). */
public record LossPoint(int iteration, double objective, double dataFit, double penalty) {
}
