package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.NetworkObjective;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Penalty;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.gradient.Initialization;
import io.sparsefit.core.solver.gradient.KnotRevival;
import io.sparsefit.core.solver.gradient.LbfgsMemory;
import io.sparsefit.core.solver.gradient.TrainingLog;
import io.sparsefit.core.solver.gradient.Vectors;

/**
 * Limited-memory BFGS ({@value #MEMORY} pairs) with a backtracking Armijo line search on the full
 * smooth objective, penalty inside (theory C3).
 *
 * <ul>
 *   <li>{@code weight_decay}: minimizes {@code J} itself (weight decay is smooth).</li>
 *   <li>{@code path_norm}: the path norm is not differentiable where a neuron vanishes, which breaks
 *       quasi-Newton updates, so this minimizes the weight-decay form instead. Both have the same
 *       minimal objective and minimizing functions (A3); at any point the path norm is at most the
 *       weight-decay penalty, with equality once rebalanced (A4), which the finishing step does. The loss
 *       curve reports the path-norm objective of the iterate.</li>
 *   <li>{@code none}: plain least squares.</li>
 * </ul>
 *
 * <p>Curvature pairs with {@code s.y <= 1e-10 ||s|| ||y||} are skipped. A failed line search restarts from
 * steepest descent; if even that finds no decrease, the iterate is stationary to working precision and the
 * fit stops as CONVERGED. Otherwise CONVERGED when {@code ||grad J|| <= tol max(1, |J|)} or when the
 * relative decrease over the last {@value #WINDOW} iterations, {@code (J_old - J) / max(|J_old|, |J|, 1)},
 * is at most {@code tol}. A window rather than a single step: a neuron that starts small and whose
 * correlation with the residual beats lambda grows out of the saddle at zero only geometrically, and
 * single steps there decrease the objective by far less than {@code tol} before the decrease picks up.
 * Initialization: {@link Initialization}, balanced (A4), seeded by the settings.
 *
 * <p>One input: where the fit would stop as CONVERGED, {@link KnotRevival} first checks (T8) whether a knot
 * at some data point would lower the objective, moves the weakest neuron there if so, and training goes on
 * (at most N revivals per fit).
 */
public final class Lbfgs implements Solver {

    static final int MEMORY = 10;
    static final int MAX_BACKTRACKS = 40;
    static final double ARMIJO = 1e-4;
    static final int WINDOW = 100;

    public Lbfgs() {
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        int width = settings.width();
        boolean skip = settings.skip();
        Regularization regularization = settings.regularization();
        double lambda = regularization == Regularization.NONE ? 0.0 : settings.lambda();
        Penalty trained = regularization == Regularization.NONE ? null : WeightDecay.INSTANCE;
        Penalty reported = regularization.penalty();

        ShallowNetwork net = Initialization.initialize(problem, width, skip, settings.seed(), true);
        NetworkObjective objective = new NetworkObjective(problem, width, skip);
        int p = net.parameterCount();
        double[] theta = new double[p];
        double[] grad = new double[p];
        double[] trialTheta = new double[p];
        double[] trialGrad = new double[p];
        double[] direction = new double[p];
        LbfgsMemory memory = new LbfgsMemory(MEMORY, p);
        KnotRevival revival = new KnotRevival(problem, lambda, trained, problem.rows());
        TrainingLog log = new TrainingLog(progress, settings.logEvery());

        net.getParameters(theta);
        double j = objective.evaluate(net, trained, lambda, grad);
        log.record(0, objective.lastDataFit(), lambda * reported.value(net));
        if (!Double.isFinite(j) || !Vectors.allFinite(grad)) {
            return new SolverResult(net.copy(), StopReason.DIVERGED, 0, log.points());
        }
        int iteration = 0;
        double[] history = new double[WINDOW];   // history[i % WINDOW] = J after iteration i
        history[0] = j;
        StopReason reason = StopReason.MAX_ITERATIONS;
        while (iteration < settings.maxIter()) {
            if (cancel.isCancelled()) {
                reason = StopReason.CANCELLED;
                break;
            }
            double gradNorm = Vectors.norm(grad);
            if (gradNorm <= settings.tol() * Math.max(1.0, Math.abs(j))) {
                if (revival.revive(net)) {
                    j = restartFrom(net, theta, objective, trained, lambda, grad, memory);
                    continue;
                }
                reason = StopReason.CONVERGED;
                break;
            }
            iteration++;
            memory.direction(grad, direction);
            double slope = Vectors.dot(grad, direction);
            if (!(slope < 0)) {
                memory.clear();
                memory.direction(grad, direction);
                slope = -gradNorm * gradNorm;
            }
            // Without curvature information the direction is -g: start with a step of length ~1.
            double step = memory.size() == 0 ? Math.min(1.0, 1.0 / gradNorm) : 1.0;
            double trialJ = Double.NaN;
            boolean accepted = false;
            for (int attempt = 0; attempt < MAX_BACKTRACKS; attempt++) {
                Vectors.addScaled(theta, step, direction, trialTheta);
                net.setParameters(trialTheta);
                trialJ = objective.evaluate(net, trained, lambda, trialGrad);
                if (trialJ <= j + ARMIJO * step * slope && Vectors.allFinite(trialGrad)) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                net.setParameters(theta);
                if (memory.size() == 0) {
                    iteration--;
                    if (revival.revive(net)) {
                        j = restartFrom(net, theta, objective, trained, lambda, grad, memory);
                        continue;
                    }
                    reason = StopReason.CONVERGED;
                    break;
                }
                memory.clear();
                continue;
            }
            memory.push(trialTheta, theta, trialGrad, grad);
            j = trialJ;
            System.arraycopy(trialTheta, 0, theta, 0, p);
            double[] swap = grad;
            grad = trialGrad;
            trialGrad = swap;
            if (log.due(iteration)) {
                log.record(iteration, objective.lastDataFit(), lambda * reported.value(net));
            }
            double older = history[iteration % WINDOW];   // J after iteration - WINDOW (or the start)
            history[iteration % WINDOW] = j;
            if (iteration >= WINDOW
                    && older - j <= settings.tol() * Math.max(1.0, Math.max(Math.abs(older), Math.abs(j)))) {
                if (revival.revive(net)) {
                    j = restartFrom(net, theta, objective, trained, lambda, grad, memory);
                    continue;
                }
                reason = StopReason.CONVERGED;
                break;
            }
        }
        // The final point from the returned network itself: a knot revival may have changed it since the last
        // accepted step (one extra forward pass per fit).
        net.setParameters(theta);
        log.recordLast(iteration, objective.dataFit(net, null), lambda * reported.value(net));
        return new SolverResult(net.copy(), reason, iteration, log.points());
    }

    /** After a {@link KnotRevival} changed {@code net}: new parameters, objective and gradient, empty memory. */
    private static double restartFrom(ShallowNetwork net, double[] theta, NetworkObjective objective, Penalty trained,
                                      double lambda, double[] grad, LbfgsMemory memory) {
        net.getParameters(theta);
        memory.clear();
        return objective.evaluate(net, trained, lambda, grad);
    }
}
