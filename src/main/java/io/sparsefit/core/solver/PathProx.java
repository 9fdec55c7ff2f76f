package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.NetworkObjective;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.gradient.Initialization;
import io.sparsefit.core.solver.gradient.PathNormProx;
import io.sparsefit.core.solver.gradient.TrainingLog;

/**
 * Proximal path-norm training, PathProx (theory C3, after Yang et al. 2022).
 *
 * <p>Each iteration takes a gradient step of size {@code eta} on the data fit alone, renormalizes every
 * neuron to {@code ||w_k|| = 1} (moving the scale into {@code v_k}) and group soft-thresholds
 * {@code v_k <- max(0, 1 - eta lambda / ||v_k||) v_k} ({@link PathNormProx}). Neurons reach exact zero.
 *
 * <ul>
 *   <li>{@code path_norm}: this is proximal gradient on {@code dataFit + lambda sum ||v_k|| ||w_k||}.</li>
 *   <li>{@code weight_decay}: the same iteration is used, because weight decay and the path norm have the
 *       same minimal objective and the same minimizing functions (A3); the finishing step rebalances the
 *       result (A4). The loss curve reports the objective of the rebalanced iterate, whose weight-decay
 *       penalty equals its path norm.</li>
 *   <li>{@code none}: plain gradient descent (no thresholding).</li>
 * </ul>
 *
 * <p>Step size: deterministic and adaptive. A trial step is accepted only when it does not increase
 * the objective (so the objective is monotone); on rejection {@code eta} is halved, after an accepted
 * step it grows by {@value #GROWTH}. The first {@code eta} is {@code 1 / (N (1 + mean ||x||^2))}, the
 * scale of the data fit's curvature in the affine part. If {@value #MAX_BACKTRACKS} halvings give no
 * decrease, no step of any size helps: the iterate is stationary to working precision (CONVERGED).
 *
 * <p>Stopping: CONVERGED when the objective fell by at most {@code tol * |J|} over the last
 * {@value #WINDOW} iterations. Initialization: {@link Initialization} (random hyperplanes through data
 * points), seeded by the settings.
 */
public final class PathProx implements Solver {

    static final double GROWTH = 1.25;
    static final int MAX_BACKTRACKS = 60;
    static final int WINDOW = 100;

    public PathProx() {
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        int width = settings.width();
        boolean skip = settings.skip();
        double lambda = settings.regularization() == Regularization.NONE ? 0.0 : settings.lambda();
        ShallowNetwork net = Initialization.initialize(problem, width, skip, settings.seed());
        PathNormProx.apply(net, 0.0);
        ShallowNetwork trial = net.copy();
        NetworkObjective objective = new NetworkObjective(problem, width, skip);
        int p = net.parameterCount();
        double[] theta = new double[p];
        double[] grad = new double[p];
        double[] trialTheta = new double[p];
        double[] trialGrad = new double[p];
        double[] history = new double[WINDOW];
        TrainingLog log = new TrainingLog(progress, settings.logEvery());

        double dataFit = objective.dataFit(net, grad);
        double penalty = lambda * PathNorm.of(net);
        double j = dataFit + penalty;
        log.record(0, dataFit, penalty);
        if (!Double.isFinite(j) || !io.sparsefit.core.solver.gradient.Vectors.allFinite(grad)) {
            return new SolverResult(net.copy(), StopReason.DIVERGED, 0, log.points());
        }
        net.getParameters(theta);
        double eta = initialStep(problem);
        int iteration = 0;
        StopReason reason = StopReason.MAX_ITERATIONS;
        while (iteration < settings.maxIter()) {
            if (cancel.isCancelled()) {
                reason = StopReason.CANCELLED;
                break;
            }
            iteration++;
            boolean accepted = false;
            double trialFit = 0;
            double trialPenalty = 0;
            for (int attempt = 0; attempt < MAX_BACKTRACKS; attempt++) {
                for (int i = 0; i < p; i++) {
                    trialTheta[i] = theta[i] - eta * grad[i];
                }
                trial.setParameters(trialTheta);
                PathNormProx.apply(trial, eta * lambda);
                trialFit = objective.dataFit(trial, trialGrad);
                trialPenalty = lambda * PathNorm.of(trial);
                double trialJ = trialFit + trialPenalty;
                if (trialJ <= j && io.sparsefit.core.solver.gradient.Vectors.allFinite(trialGrad)) {
                    accepted = true;
                    break;
                }
                eta *= 0.5;
            }
            if (!accepted) {
                iteration--;
                reason = StopReason.CONVERGED;
                break;
            }
            trial.getParameters(theta);
            net.setParameters(theta);
            double[] swap = grad;
            grad = trialGrad;
            trialGrad = swap;
            double previous = history[iteration % WINDOW];
            history[iteration % WINDOW] = j;
            dataFit = trialFit;
            penalty = trialPenalty;
            j = dataFit + penalty;
            eta *= GROWTH;
            log.maybeRecord(iteration, dataFit, penalty);
            if (iteration > WINDOW && previous - j <= settings.tol() * Math.max(Math.abs(j), Double.MIN_NORMAL)) {
                reason = StopReason.CONVERGED;
                break;
            }
        }
        log.record(iteration, dataFit, penalty);
        return new SolverResult(net.copy(), reason, iteration, log.points());
    }

    /** {@code 1 / (N (1 + mean ||x_n||^2))}: the curvature scale of the data fit in {@code c0} and {@code C}. */
    static double initialStep(FitProblem problem) {
        double[] x = problem.x().data;
        double s = 0;
        for (double value : x) {
            s += value * value;
        }
        int n = problem.rows();
        return 1.0 / (n * (1.0 + s / n));
    }
}
