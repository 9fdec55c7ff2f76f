package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.NetworkLoss;
import io.sparsefit.core.objective.SkipDecay;
import io.sparsefit.core.penalty.Penalty;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.gradient.GradientRun;
import io.sparsefit.core.solver.gradient.KnotRevival;
import io.sparsefit.core.solver.gradient.LbfgsMemory;
import io.sparsefit.core.solver.gradient.StrongWolfeLineSearch;
import io.sparsefit.core.solver.gradient.TrainingLog;

/**
 * Limited-memory BFGS ({@value #MEMORY} pairs) with a strong Wolfe line search on the full smooth objective,
 * penalty inside (theory C3).
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
 * <p>Line search: {@link StrongWolfeLineSearch} (bracketing and zoom with cubic interpolation,
 * {@code c1 = 1e-4}, {@code c2 = 0.9}, as PyTorch's {@code LBFGS(line_search_fn="strong_wolfe")}). The first
 * trial step is 1, or {@code min(1, 1/||g||)} when the memory is empty (the direction is then {@code -g}).
 * Every accepted step satisfies both Wolfe conditions, so every stored curvature pair has {@code s.y > 0}
 * (pairs with {@code s.y <= 1e-10 ||s|| ||y||} are still skipped as numerically useless). A failed search
 * clears the memory and searches again along steepest descent; if that fails too, the iterate is
 * stationary to working precision along every direction tried (a kink at the line minimum, or rounding)
 * and the fit stops as CONVERGED.
 *
 * <p>Stopping, with {@code tol} from the settings (each rule is checked after every accepted step):
 * <ul>
 *   <li>gradient: {@code ||grad J|| <= tol max(1, |J|)};</li>
 *   <li>plateau: over the last {@value #WINDOW} iterations the objective fell by at most
 *       {@code WINDOW * tol * max(|J_old|, |J|, 1)}, i.e. on average by at most {@code tol} relative per
 *       iteration (the per-step rule of SciPy's L-BFGS-B {@code ftol} and PyTorch's {@code tolerance_change},
 *       averaged over a window). A window rather than a single step: a neuron that starts small and whose
 *       correlation with the residual beats lambda grows out of the saddle at zero only geometrically, and
 *       single steps there decrease the objective by far less than {@code tol} before the decrease picks up;
 *       the window also lets the 1-D knot revival below see a real stall;</li>
 *   <li>step: the accepted step moved no parameter by more than {@code tol * max(1, max |theta_i|)}
 *       (PyTorch's {@code tolerance_change} on {@code t d}, made relative).</li>
 * </ul>
 * Initialization: {@link Initialization}, balanced (A4), seeded by the settings. No random choice is made
 * after it, so the same seed gives a bit-identical network.
 *
 * <p>One input: where the fit would stop as CONVERGED, {@link KnotRevival} first checks (T8) whether a knot
 * at some data point would lower the objective, moves the weakest neuron there if so, and training goes on
 * (at most N revivals per fit).
 *
 * <p>Resumable ({@link #start}, {@link Run}): a run stopped between two iterations and resumed later computes the same
 * bits as the run done at once, so a caller can decide on the unfinished fit, or alternate two runs on one thread.
 */
public final class Lbfgs implements Solver {

    static final int MEMORY = 10;
    static final int WINDOW = 100;

    /** Sees every accepted step (for tests): {@code to = from + step * direction}, all read-only. */
    interface StepObserver {
        void accepted(double[] from, double[] direction, double step, double[] to);
    }

    private final StepObserver observer;
    private ShallowNetwork warmStart;

    public Lbfgs() {
        this((StepObserver) null);
    }

    /**
     * Starts from {@code warmStart} (e.g. the previous point of a regularization path), see {@link Initialization#warm};
     * null: a cold start, as {@link #Lbfgs()}.
     */
    public Lbfgs(ShallowNetwork warmStart) {
        this((StepObserver) null);
        this.warmStart = warmStart;
    }

    Lbfgs(StepObserver observer) {
        this.observer = observer;
    }

    /**
     * The smooth penalty L-BFGS minimizes for {@code regularization}: weight decay as it is; for the path norm, which
     * is not differentiable where a neuron vanishes, its smooth variational form {@code min over rescalings of the
     * weight decay} (A3), i.e. weight decay, whose minimum and minimizing functions are the path norm's and which
     * equals it once rebalanced (A4, done by the finishing); none as it is (null). Every regularizer L-BFGS accepts
     * ({@link SolverType#capabilities()}) is trained this way, and no other.
     */
    public static Penalty trainedPenalty(Regularization regularization) {
        return switch (regularization) {
            case WEIGHT_DECAY, PATH_NORM -> WeightDecay.INSTANCE;
            case NONE -> null;
        };
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        Run run = start(problem, settings, progress, cancel);
        run.advanceTo(settings.maxIter());
        return run.result();
    }

    /**
     * A run from its start (the seeded one, or the warm start), stopped before its first iteration: {@link Run#advanceTo}
     * steps it, {@link Run#result} ends it. {@link #solve} is {@code advanceTo(maxIter)} then {@code result()}.
     */
    public Run start(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        return new Run(problem, settings, progress, cancel);
    }

    /**
     * One L-BFGS run that can be stopped between two iterations and resumed ({@code auto}'s narrow and wide
     * runs alternate on one thread, handing over at counted iterations). A pause changes nothing: the iterate, the
     * memory, the plateau window and the log stay as they are, so a run advanced in any number of pieces computes the
     * bits of the run advanced at once, and {@link #result} at iteration {@code k} those of a run with
     * {@code maxIter = k}. Used by one thread at a time.
     */
    public final class Run {
        private final FitProblem problem;
        private final CancellationToken cancel;
        private final double lambda;
        private final Penalty trained;
        private final Penalty reported;
        private final double tol;
        private final Network net;
        private final NetworkLoss objective;
        private final int p;
        private double[] theta;
        private double[] grad;
        private double[] trialTheta;
        private double[] trialGrad;
        private final double[] direction;
        private final LbfgsMemory memory;
        private final StrongWolfeLineSearch search;
        private final StrongWolfeLineSearch.Function f;
        private final KnotRevival revival;
        private final GradientRun run;
        private final TrainingLog log;
        private final double[] history = new double[WINDOW];   // history[i % WINDOW] = J after iteration i
        private double j;
        private SolverResult result;

        private Run(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
            this.problem = problem;
            this.cancel = cancel;
            Regularization regularization = settings.regularization();
            lambda = regularization.lambda(settings.lambda());
            trained = trainedPenalty(regularization);
            reported = regularization.penalty();
            tol = settings.tol();

            net = StartingNetwork.of(problem, settings, warmStart, true);
            objective = new NetworkLoss(problem, net, trained, lambda);
            p = objective.dimension();
            theta = new double[p];
            grad = new double[p];
            trialTheta = new double[p];
            trialGrad = new double[p];
            direction = new double[p];
            memory = new LbfgsMemory(MEMORY, p);
            search = new StrongWolfeLineSearch(p).stopWhen(cancel::isCancelled);
            f = objective::evaluate;
            // The 1-D knot revival (T8 in one dimension) applies to one hidden layer only.
            revival = net.oneLayer() != null ? new KnotRevival(problem, lambda, trained, problem.rows()) : null;
            run = new GradientRun(settings, progress, cancel);
            log = run.log();

            net.getParameters(theta);
            j = objective.evaluate(theta, grad);
            // The skip decay of a classification loss (A2b) is part of the penalty the curve reports, as in the diagnostics.
            double penalty = lambda * reported.value(net) + SkipDecay.value(problem.loss(), net, lambda);
            if (!run.started(j, objective.lastDataFit(), penalty, grad)) {
                result = run.result(net);
            }
            history[0] = j;
        }

        /** Iterations accepted so far. */
        public int iterations() {
            return run.iteration();
        }

        /**
         * The objective L-BFGS minimizes at the current iterate (data fit plus the trained penalty, {@link #trainedPenalty}),
         * not re-evaluated.
         */
        public double objective() {
            return j;
        }

        /** Whether the run has ended (converged, diverged, cancelled or at {@code maxIter}). */
        public boolean ended() {
            return run.ended();
        }

        /** The current network, not a copy: read it, do not modify it, and not past {@link #result}. */
        public Network network() {
            return net;
        }

        /**
         * Steps the run until it has accepted {@code until} iterations in all or has ended, whichever is first; a run
         * that has ended stays as it is. Returns whether it goes on.
         */
        public boolean advanceTo(int until) {
            while (!run.ended() && run.goesOnBefore(until)) {
                step();
            }
            return !run.ended();
        }

        /**
         * The run's result (unfinished), ending it where it is: a run that goes on ends as {@link StopReason#MAX_ITERATIONS}
         * (the caller's budget for it), as a run with {@code maxIter} at its current iteration count would. The same
         * result on every call.
         */
        public SolverResult result() {
            if (result != null) {
                return result;
            }
            // The final point from the returned network itself: a knot revival may have changed it since the last
            // accepted step (one extra forward pass per fit).
            net.setParameters(theta);
            log.recordLast(run.iteration(), objective.dataFitCurrent(),
                    lambda * reported.value(net) + SkipDecay.value(problem.loss(), net, lambda));
            result = run.result(net);
            return result;
        }

        /** One pass of the loop: an accepted step (or none), then the stopping rules; {@link GradientRun#stop}s the run. */
        private void step() {
            double gradNorm = Vectors.norm(grad);
            boolean found = false;
            if (!(gradNorm <= tol * Math.max(1.0, Math.abs(j)))) {   // not stationary; a NaN norm goes to the search
                run.count();
                if (memory.size() > 0) {
                    memory.direction(grad, direction);
                    double slope = Vectors.dot(grad, direction);
                    found = slope < 0 && search.search(f, theta, j, grad, direction, slope, 1.0);
                    if (!found) {
                        memory.clear();
                    }
                }
                if (!found && !cancel.isCancelled()) {
                    memory.direction(grad, direction);   // -g with the memory empty
                    // Without curvature information the direction is -g: start with a step of length ~1.
                    found = search.search(f, theta, j, grad, direction, -gradNorm * gradNorm, Math.min(1.0, 1.0 / gradNorm));
                }
                if (!found) {
                    run.uncount();   // no step was taken
                }
                if (!found && cancel.isCancelled()) {
                    run.stop(StopReason.CANCELLED);   // the search was stopped, not failed
                    return;
                }
            }
            if (found) {
                int iteration = run.iteration();
                double step = search.step();
                Vectors.addScaled(theta, step, direction, trialTheta);
                search.copyGradient(trialGrad);
                if (observer != null) {
                    observer.accepted(theta, direction, step, trialTheta);
                }
                memory.push(trialTheta, theta, trialGrad, grad);
                double moved = 0;
                double largest = 1;
                for (int i = 0; i < p; i++) {
                    moved = Math.max(moved, Math.abs(trialTheta[i] - theta[i]));
                    largest = Math.max(largest, Math.abs(trialTheta[i]));
                }
                j = search.value();
                double[] swap = theta;
                theta = trialTheta;
                trialTheta = swap;
                swap = grad;
                grad = trialGrad;
                trialGrad = swap;
                net.setParameters(theta);   // the search's last evaluation may have been elsewhere on the line
                if (log.due(iteration)) {
                    double trainedPenalty = trained == null ? 0.0 : lambda * trained.value(net);
                    double skipDecay = SkipDecay.value(problem.loss(), net, lambda);
                    log.record(iteration, j - trainedPenalty - skipDecay, lambda * reported.value(net) + skipDecay);
                }
                double older = history[iteration % WINDOW];   // J after iteration - WINDOW (or the start)
                history[iteration % WINDOW] = j;
                boolean plateau = iteration >= WINDOW
                        && older - j <= WINDOW * tol * Math.max(1.0, Math.max(Math.abs(older), Math.abs(j)));
                boolean tinyStep = moved <= tol * largest;
                if (!plateau && !tinyStep) {
                    return;
                }
            } else {
                net.setParameters(theta);
            }
            // stationary, no descent along either direction, a plateau or a tiny step: revive dead knots or stop
            if (revive(revival, net)) {
                j = restartFrom(net, theta, objective, grad, memory);
                return;
            }
            run.stop(StopReason.CONVERGED);
        }
    }

    private static boolean revive(KnotRevival revival, Network net) {
        return revival != null && revival.revive(net.oneLayer());
    }

    /** After a {@link KnotRevival} changed {@code net}: new parameters, objective and gradient, empty memory. */
    private static double restartFrom(Network net, double[] theta, NetworkLoss objective, double[] grad, LbfgsMemory memory) {
        net.getParameters(theta);
        memory.clear();
        return objective.evaluate(theta, grad);
    }
}
