package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.NetworkLoss;
import io.sparsefit.core.penalty.Penalty;
import io.sparsefit.core.solver.gradient.GradientRun;
import io.sparsefit.core.solver.gradient.Initialization;
import io.sparsefit.core.solver.gradient.TrainingLog;
import java.util.SplittableRandom;

/**
 * Adam (Kingma and Ba 2015; beta1 = 0.9, beta2 = 0.999, eps = 1e-8) on the objective {@code J} of theory
 * A2 with the penalty inside the loss: the penalty gradient goes through the moment estimates like the
 * data-fit gradient. This is not decoupled weight decay (AdamW), which does not minimize {@code J} (C3).
 * For {@code path_norm} the penalty's minimum-norm subgradient is used (zero on a vanished neuron).
 *
 * <p>One iteration is one update. With {@code batchSize = B} in {@code (0, N)} each update uses B rows
 * of a seeded per-epoch shuffle, and the mini-batch data-fit gradient is multiplied by {@code N / B} so
 * that it estimates the gradient of the full sum (A2); the penalty is added once. {@code batchSize = 0}
 * (or {@code >= N}) is full batch. The learning rate is {@code settings.adam().learningRate()}, or
 * {@value #DEFAULT_LEARNING_RATE} when that is 0.
 *
 * <p>The loss curve holds the exact full-data objective, computed at each logged iteration (one extra
 * forward pass every {@code logEvery} updates). CONVERGED when the full objective changed by at most
 * {@code tol * |J|} between two consecutive logged points; DIVERGED when an objective or gradient is not
 * finite. Initialization: {@link Initialization}; the shuffle is drawn from a second stream of the same seed.
 */
public final class Adam implements Solver {

    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    private ShallowNetwork warmStart;

    public Adam() {
    }

    /**
     * Starts from {@code warmStart} (a regularization path's previous point), see {@link Initialization#warm}; null: a
     * cold start, as {@link #Adam()}.
     */
    public Adam(ShallowNetwork warmStart) {
        this.warmStart = warmStart;
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        int n = problem.rows();
        double lambda = settings.regularization().lambda(settings.lambda());
        Penalty penalty = settings.regularization().penalty();
        double rate = settings.adam().learningRate() > 0 ? settings.adam().learningRate() : DEFAULT_LEARNING_RATE;
        int batch = settings.adam().batchSize() == 0 || settings.adam().batchSize() >= n ? n : settings.adam().batchSize();
        boolean fullBatch = batch == n;

        SplittableRandom seedStream = new SplittableRandom(settings.seed());
        Network net = StartingNetwork.of(problem, settings, warmStart, false);
        SplittableRandom shuffler = seedStream.split();
        NetworkLoss objective = new NetworkLoss(problem, net, penalty, lambda);
        int p = objective.dimension();
        double[] theta = new double[p];
        double[] grad = new double[p];
        double[] first = new double[p];
        double[] second = new double[p];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int[] rows = fullBatch ? null : new int[batch];
        int position = n;   // forces a shuffle before the first mini-batch
        GradientRun run = new GradientRun(settings, progress, cancel);
        TrainingLog log = run.log();

        net.getParameters(theta);
        double j = objective.evaluate(theta, null);
        if (!run.started(j, objective.lastDataFit(), objective.lastPenalty(), null)) {
            return run.result(net);
        }
        double lastLogged = j;
        double beta1Power = 1.0;
        double beta2Power = 1.0;
        while (run.goesOn()) {
            int iteration = run.count();
            double batchJ;
            if (fullBatch) {
                batchJ = objective.evaluate(theta, grad);
            } else {
                if (position + batch > n) {
                    shuffle(order, shuffler);
                    position = 0;
                }
                System.arraycopy(order, position, rows, 0, batch);
                position += batch;
                batchJ = objective.evaluateRows(theta, rows, batch, (double) n / batch, grad);
            }
            if (!Double.isFinite(batchJ) || !Vectors.allFinite(grad)) {
                run.stop(StopReason.DIVERGED);
                break;
            }
            beta1Power *= BETA1;
            beta2Power *= BETA2;
            double stepScale = rate * Math.sqrt(1.0 - beta2Power) / (1.0 - beta1Power);
            for (int i = 0; i < p; i++) {
                double g = grad[i];
                first[i] = BETA1 * first[i] + (1.0 - BETA1) * g;
                second[i] = BETA2 * second[i] + (1.0 - BETA2) * g * g;
                theta[i] -= stepScale * first[i] / (Math.sqrt(second[i]) + EPSILON);
            }
            if (log.due(iteration)) {
                j = objective.evaluate(theta, null);
                log.record(iteration, objective.lastDataFit(), objective.lastPenalty());
                if (!Double.isFinite(j)) {
                    run.stop(StopReason.DIVERGED);
                    break;
                }
                if (Math.abs(lastLogged - j) <= settings.tol() * Math.max(Math.abs(j), Double.MIN_NORMAL)) {
                    run.stop(StopReason.CONVERGED);
                    break;
                }
                lastLogged = j;
            }
        }
        if (!log.due(run.iteration())) {
            objective.evaluate(theta, null);
            log.record(run.iteration(), objective.lastDataFit(), objective.lastPenalty());
        }
        net.setParameters(theta);
        return run.result(net);
    }

    /** Fisher-Yates shuffle drawn from {@code random}. */
    static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[k];
            order[k] = t;
        }
    }
}
