package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.objective.NetworkObjective;
import io.sparsefit.core.objective.SkipDecay;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.solver.gradient.GradientRun;
import io.sparsefit.core.solver.gradient.Initialization;
import io.sparsefit.core.solver.gradient.KnotRevival;
import io.sparsefit.core.solver.gradient.TrainingLog;

/**
 * Proximal path-norm training, PathProx (theory C3, after Yang et al. 2022).
 *
 * <p>Each iteration takes a gradient step of size {@code eta} on the data fit alone, renormalizes every
 * neuron to {@code ||w_k|| = 1} (moving the scale into {@code v_k}) and group soft-thresholds
 * {@code v_k <- max(0, 1 - eta lambda / ||v_k||) v_k} ({@link PathNorm#prox}). Neurons reach exact zero.
 *
 * <ul>
 *   <li>{@code path_norm}: this is proximal gradient on {@code dataFit + lambda sum ||v_k|| ||w_k||}.</li>
 *   <li>{@code weight_decay}: the same iteration is used, because weight decay and the path norm have the
 *       same minimal objective and the same minimizing functions (A3); the finishing step rebalances the
 *       result (A4). The loss curve reports the objective of the rebalanced iterate, whose weight-decay
 *       penalty equals its path norm.</li>
 *   <li>{@code none}: plain gradient descent (no thresholding).</li>
 * </ul>
 * For a classification loss the skip's {@code C} is weight-decayed too ({@code lambda/2 ||C||_F^2}, intercept free,
 * theory A2b): that term is smooth and goes with the data fit into the gradient step; the objective tested and reported
 * includes it.
 *
 * <p>Step size: deterministic and adaptive. A trial step is accepted only when it does not increase
 * the objective {@code dataFit + lambda pathNorm}, so the objective is monotone; on rejection {@code eta}
 * is halved, after an accepted step it grows by {@value #GROWTH}. The first {@code eta} is
 * {@code 1 / (N (1 + mean ||x||^2))}, the scale of the data fit's curvature in the affine part. If
 * {@value #MAX_BACKTRACKS} halvings give no decrease, no step of any size helps: the iterate is stationary
 * to working precision (CONVERGED).
 *
 * <p>Acceleration (default): the gradient step is taken from the extrapolated point
 * {@code theta + beta (theta - theta_previous)} with FISTA's {@code beta = (t - 1)/(t + 2)}; whenever that
 * step fails the monotonicity test the momentum is dropped (function-value restart) and the plain step from
 * {@code theta} is backtracked as above. So every accepted iterate still decreases the objective.
 * {@code new PathProx(false)} runs the plain iteration.
 *
 * <p>Known limit: a neuron whose {@code v_k} is exactly zero has zero gradient in {@code w_k}, so it can only
 * come back where it is (when its correlation with the residual exceeds lambda). PathProx therefore stops
 * at sparse stationary points whose objective can be a little above what L-BFGS on weight decay reaches.
 *
 * <p>One input: before stopping as CONVERGED, {@link KnotRevival} checks (T8) whether a knot at some data
 * point would lower the objective; if so the weakest neuron is moved there and training goes on with a fresh
 * step size and no momentum (at most N revivals per fit). This answers the limit above for d = 1.
 *
 * <p><b>Where it loses to {@code lbfgs}</b> (measured by {@code bench/peers}, see docs/benchmarks.md): for d &gt;= 2,
 * on every planted-network and public-data task there, at equal wall time, PathProx ends above the objective
 * L-BFGS reaches, and it rarely stops on its own before {@code maxIter}. The reasons:
 * <ul>
 *   <li>it is a first-order method with one step size for all parameters, bounded by the largest curvature of the
 *       data fit; after the renormalization {@code ||w_k|| = 1} the curvature in {@code w_k} scales with
 *       {@code ||v_k||^2}, so the step that the largest neuron allows is far too small for the others, and the
 *       data fit is a sum over N samples, so it shrinks like {@code 1/N}. L-BFGS estimates the curvature and
 *       needs orders of magnitude fewer iterations;</li>
 *   <li>a neuron thresholded to exactly zero never comes back in d &gt;= 2 (the knot revival above is 1-D only),
 *       so early in training, when the residual is still large and the hyperplanes are not yet in place, neurons
 *       die that the optimum needs; the fit then converges to a sparse stationary point above the optimum;</li>
 *   <li>its stopping rule (a relative decrease of at most {@code tol} over {@value #WINDOW} iterations) is met
 *       only late on a slow tail.</li>
 * </ul>
 * Where it is useful: d = 1 (where {@code exact} is better still), or when exact zeros during training matter
 * more than the objective. It should not be {@code auto}'s choice for d &gt;= 2 where {@code lbfgs} (or a convex
 * solver) applies.
 *
 * <p>Stopping: CONVERGED when the objective fell by at most {@code tol * |J|} over the last
 * {@value #WINDOW} iterations. Initialization: {@link Initialization} (random hyperplanes through data
 * points), seeded by the settings.
 */
public final class PathProx implements Solver {

    static final double GROWTH = 1.25;
    static final int MAX_BACKTRACKS = 60;
    static final int WINDOW = 100;

    private final boolean accelerated;
    private ShallowNetwork warmStart;

    /**
     * The accelerated variant started from {@code warmStart} (a regularization path's previous point); null: a cold
     * start, as {@link #PathProx()}.
     */
    public PathProx(ShallowNetwork warmStart) {
        this(true);
        this.warmStart = warmStart;
    }

    /** The accelerated variant (momentum with function-value restart). */
    public PathProx() {
        this(true);
    }

    /** {@code accelerated = false} gives the plain proximal gradient iteration. */
    public PathProx(boolean accelerated) {
        this.accelerated = accelerated;
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        double lambda = settings.regularization().lambda(settings.lambda());
        ShallowNetwork net = Networks.shallow(StartingNetwork.of(problem, settings, warmStart, false));
        PathNorm.INSTANCE.prox(net, 0.0);
        NetworkObjective objective = new NetworkObjective(problem, net);
        int p = net.parameterCount();
        double[] theta = new double[p];
        double[] previous = new double[p];
        double[] grad = new double[p];
        double[] point = new double[p];
        double[] pointGrad = new double[p];
        double[] trial = new double[p];
        double[] history = new double[WINDOW];
        GradientRun run = new GradientRun(settings, progress, cancel);
        TrainingLog log = run.log();
        KnotRevival revival = new KnotRevival(problem, lambda, PathNorm.INSTANCE, problem.rows());

        Loss loss = problem.loss();
        double dataFit = smooth(objective, net, grad, loss, lambda);
        double penalty = penalty(net, loss, lambda);
        double j = dataFit + penalty;
        if (!run.started(j, dataFit, penalty, grad)) {
            return run.result(net);
        }
        net.getParameters(theta);
        boolean gradientCurrent = true;   // whether grad is the data-fit gradient at theta
        int momentumSteps = 0;            // accepted steps since the last restart
        double eta = initialStep(problem);
        while (run.goesOn()) {
            int iteration = run.count();
            // Extrapolated point y = theta + beta (theta - previous), FISTA's beta = (t - 1) / (t + 2).
            double beta = accelerated && momentumSteps > 1 ? (momentumSteps - 1.0) / (momentumSteps + 2.0) : 0.0;
            double[] base = theta;
            double[] baseGrad = grad;
            if (beta > 0) {
                for (int i = 0; i < p; i++) {
                    point[i] = theta[i] + beta * (theta[i] - previous[i]);
                }
                net.setParameters(point);
                smooth(objective, net, pointGrad, loss, lambda);
                if (Vectors.allFinite(pointGrad)) {
                    base = point;
                    baseGrad = pointGrad;
                } else {
                    momentumSteps = 0;
                }
            }
            if (base == theta && !gradientCurrent) {
                net.setParameters(theta);
                smooth(objective, net, grad, loss, lambda);
                gradientCurrent = true;
            }
            boolean accepted = false;
            double trialFit = 0;
            double trialPenalty = 0;
            for (int attempt = 0; attempt < MAX_BACKTRACKS && !cancel.isCancelled(); attempt++) {
                Vectors.addScaled(base, -eta, baseGrad, trial);
                net.setParameters(trial);
                PathNorm.INSTANCE.prox(net, eta * lambda);
                trialFit = objective.dataFit(net, null);
                trialPenalty = penalty(net, loss, lambda);
                if (trialFit + trialPenalty <= j) {
                    accepted = true;
                    break;
                }
                if (base != theta) {
                    // Momentum overshot: restart from theta with a plain step (function-value restart).
                    momentumSteps = 0;
                    if (!gradientCurrent) {
                        net.setParameters(theta);
                        smooth(objective, net, grad, loss, lambda);
                        gradientCurrent = true;
                    }
                    base = theta;
                    baseGrad = grad;
                    continue;
                }
                eta *= 0.5;
            }
            // Stalled: either no step of any size decreases J (stationary to working precision), or J fell by at
            // most tol |J| over the last WINDOW accepted steps. In both cases net holds theta.
            if (!accepted && cancel.isCancelled()) {
                run.uncount();   // the backtracking was stopped, not exhausted
                run.stop(StopReason.CANCELLED);
                break;
            }
            boolean stalled;
            if (!accepted) {
                run.uncount();
                net.setParameters(theta);
                stalled = true;
            } else {
                System.arraycopy(theta, 0, previous, 0, p);
                net.getParameters(theta);
                gradientCurrent = false;
                momentumSteps++;
                double older = history[iteration % WINDOW];
                history[iteration % WINDOW] = j;
                dataFit = trialFit;
                penalty = trialPenalty;
                j = dataFit + penalty;
                eta *= GROWTH;
                log.maybeRecord(iteration, dataFit, penalty);
                stalled = iteration > WINDOW && older - j <= settings.tol() * Math.max(Math.abs(j), Double.MIN_NORMAL);
            }
            if (stalled) {
                if (!revival.revive(net)) {
                    run.stop(StopReason.CONVERGED);
                    break;
                }
                // A knot came back (T8): continue from the new point with a fresh step size and no momentum.
                net.getParameters(theta);
                System.arraycopy(theta, 0, previous, 0, p);
                dataFit = smooth(objective, net, grad, loss, lambda);
                penalty = penalty(net, loss, lambda);
                j = dataFit + penalty;
                gradientCurrent = true;
                momentumSteps = 0;
                eta = initialStep(problem);
            }
        }
        net.setParameters(theta);
        log.recordLast(run.iteration(), dataFit, penalty);
        return run.result(net);
    }

    /**
     * The data fit of {@code net}, returned; with {@code gradient} not null the gradient of the smooth part of J into it
     * (overwritten): the data fit's plus, for a classification loss, the skip decay's {@code lambda C} (A2b: C is
     * weight-decayed there, its intercept free; without it separable data would send C to infinity).
     */
    private static double smooth(NetworkObjective objective, ShallowNetwork net, double[] gradient, Loss loss, double lambda) {
        double fit = objective.dataFit(net, gradient);
        if (gradient != null) {
            SkipDecay.addGradient(loss, net, lambda, gradient);
        }
        return fit;
    }

    /** {@code lambda pathNorm} plus the skip decay {@code lambda/2 ||C||_F^2} of a classification loss (A2b). */
    private static double penalty(ShallowNetwork net, Loss loss, double lambda) {
        return lambda * PathNorm.of(net) + SkipDecay.value(loss, net, lambda);
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
