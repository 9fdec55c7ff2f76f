package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.SquaredLoss;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.objective.AffineRefit;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.SplittableRandom;

/**
 * Deterministic starting network for the gradient solvers.
 *
 * <p>Neuron k gets a random direction {@code u_k} (Gaussian, normalized) divided by the data's spread
 * {@code s_x} (root mean squared distance of the inputs to their mean), and a bias that puts its
 * hyperplane through a data point drawn at random, {@code b_k = w_k . x_n}, nudged by a Gaussian of
 * standard deviation {@value #JITTER} (in units of the data spread) so that no sample starts exactly on a
 * kink. For d = 1 this places the knots (A5) next to random data points, where the representer theorem
 * (T3) says optimal knots live.
 * Outer weights are small Gaussians ({@code 1e-2 s_y / sqrt(K)}, {@code s_y} the target spread), so the
 * start is close to the affine part; {@code c0} starts at the target mean and {@code C} at zero.
 * Everything is drawn from one {@link SplittableRandom} seeded with the fit's seed.
 *
 * <p>One input (d = 1), when the width is at least the number of distinct interior data points: the
 * representer theorem (T3) puts every optimal knot at an interior data point, so the first neurons get one
 * knot beside each distinct interior point {@code x_j}, in increasing order: {@code t_j = x_j + delta gap_j}
 * with {@code delta} uniform in {@code [0, }{@value #KNOT_JITTER}{@code )} and {@code gap_j} the distance
 * to the next distinct point (so no sample sits exactly on a kink and the knot stays in its gap), a random
 * orientation {@code w = +-1/s_x}, {@code b = w t_j}. The remaining neurons are placed as above. Gradient
 * training then starts with a knot wherever the optimum may need one instead of relying on random draws
 * to cover every gap.
 */
public final class Initialization {

    static final double JITTER = 1e-2;
    /** Largest offset of a d = 1 knot from its data point, relative to the gap to the next point. */
    static final double KNOT_JITTER = 1e-6;

    private Initialization() {
    }

    /** The start described above, unbalanced (small outer weights, {@code ||w_k|| = 1/s_x}). */
    /**
     * A warm start (regularization paths): the neurons and affine part of {@code previous} (a finished network,
     * so usually narrower than {@code width}) in the first slots, the remaining slots from {@link #initialize}
     * so that neurons pruned at the previous lambda can come back at a smaller one. Neurons beyond
     * {@code width} are dropped (the previous network's first ones are kept).
     */
    public static ShallowNetwork warm(ShallowNetwork previous, FitProblem problem, int width, boolean skip, long seed,
                                      boolean balanced) {
        ShallowNetwork net = initialize(problem, width, skip, seed, balanced);
        int d = net.inputDim();
        int m = net.outputDim();
        if (previous.inputDim() != d || previous.outputDim() != m) {
            return net;
        }
        int keep = Math.min(width, previous.width());
        System.arraycopy(previous.inputWeights.data, 0, net.inputWeights.data, 0, keep * d);
        System.arraycopy(previous.bias, 0, net.bias, 0, keep);
        System.arraycopy(previous.outputWeights.data, 0, net.outputWeights.data, 0, keep * m);
        if (skip && previous.hasSkip()) {
            System.arraycopy(previous.skipWeights.data, 0, net.skipWeights.data, 0, m * d);
            System.arraycopy(previous.skipBias, 0, net.skipBias, 0, m);
        }
        return net;
    }

    public static ShallowNetwork initialize(FitProblem problem, int width, boolean skip, long seed) {
        return initialize(problem, width, skip, seed, false);
    }

    /**
     * The same start, optionally rescaled per neuron to {@code ||v_k|| = ||w_k||} (same function, see
     * {@link #balance}). L-BFGS on weight decay wants it balanced; Adam does not (its per-coordinate steps of
     * fixed size would move the knot {@code b_k/w_k} of a small balanced neuron by a lot per step).
     */
    public static ShallowNetwork initialize(FitProblem problem, int width, boolean skip, long seed, boolean balanced) {
        int n = problem.rows();
        int d = problem.inputDim();
        int m = problem.outputDim();
        double[] x = problem.x().data;
        double[] y = problem.y().data;
        double spreadX = spread(x, n, d);
        double spreadY = targetSpread(problem);
        ShallowNetwork net = new ShallowNetwork(d, m, width, skip);
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = net.inputWeights.data;
        double[] v = net.outputWeights.data;
        double outScale = 1e-2 * spreadY / Math.sqrt(Math.max(1, width));
        int placed = d == 1 ? knotsAtInteriorPoints(net, x, n, width, spreadX, outScale, random) : 0;
        for (int k = placed; k < width; k++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double g = gaussian(random);
                w[k * d + j] = g;
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {           // probability zero, but keep the neuron usable
                w[k * d] = 1;
                norm = 1;
            }
            int row = random.nextInt(n);
            double b = 0;
            for (int j = 0; j < d; j++) {
                w[k * d + j] /= norm * spreadX;
                b += w[k * d + j] * x[row * d + j];
            }
            net.bias[k] = b + JITTER * gaussian(random);
            for (int i = 0; i < m; i++) {
                v[k * m + i] = outScale * gaussian(random);
            }
        }
        if (balanced) {
            balance(net);
        }
        startIntercept(net, problem);
        return net;
    }

    /**
     * The spread of the targets that sets the starting outer weights: that of {@code y} for a regression loss, 1 (the
     * scale of a logit) for a classification loss (A2b).
     */
    static double targetSpread(FitProblem problem) {
        return problem.loss().classification() ? 1.0
                : spread(problem.y().data, problem.rows(), problem.targetDim());
    }

    /**
     * {@code c0} of a starting network: the best constant for the loss with the neurons as they are and {@code C} as
     * it is (zero); for squared loss without weights the target mean (the neurons start negligible). {@code net} is
     * modified.
     */
    static void startIntercept(Network net, FitProblem problem) {
        if (problem.loss() instanceof SquaredLoss && problem.sampleWeights() == null) {
            int n = problem.rows();
            int m = problem.outputDim();
            double[] y = problem.y().data;
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int r = 0; r < n; r++) {
                    s += y[r * m + i];
                }
                net.skipBias()[i] = s / n;
            }
            return;
        }
        AffineRefit.refit(net, problem, 0.0, true);
    }

    /**
     * Rescales every neuron to {@code ||v_k|| = ||w_k||} (A4), which leaves the starting function unchanged.
     * With the small outer weights above and {@code ||w_k|| ~ 1/s_x}, an unbalanced start lets weight decay
     * shrink {@code w_k} (and so push the knot {@code b_k/w_k} out of the data) long before {@code v_k} can
     * grow; balanced, a neuron grows exactly when its correlation with the residual beats lambda.
     */
    static void balance(ShallowNetwork net) {
        net.balance();
    }

    /**
     * d = 1: one knot just right of every distinct interior data point (see the class comment) when the width
     * allows; returns how many neurons were placed (0 when it does not).
     */
    private static int knotsAtInteriorPoints(ShallowNetwork net, double[] x, int n, int width, double spreadX,
                                             double outScale, SplittableRandom random) {
        double[] sorted = java.util.Arrays.copyOf(x, n);
        java.util.Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        int interior = distinct - 2;
        if (interior < 1 || interior > width) {
            return 0;
        }
        int m = net.outputDim();
        for (int k = 0; k < interior; k++) {
            double point = sorted[k + 1];
            double knot = point + KNOT_JITTER * random.nextDouble() * (sorted[k + 2] - point);
            double w = (random.nextBoolean() ? 1.0 : -1.0) / spreadX;
            net.inputWeights.data[k] = w;
            net.bias[k] = w * knot;
            for (int i = 0; i < m; i++) {
                net.outputWeights.data[k * m + i] = outScale * gaussian(random);
            }
        }
        return interior;
    }

    /** Root mean squared distance of the rows to their mean; 1 when the rows all coincide. */
    static double spread(double[] a, int rows, int cols) {
        double total = 0;
        for (int j = 0; j < cols; j++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += a[r * cols + j];
            }
            mean /= rows;
            for (int r = 0; r < rows; r++) {
                double c = a[r * cols + j] - mean;
                total += c * c;
            }
        }
        double s = Math.sqrt(total / rows);
        return s > 0 && Double.isFinite(s) ? s : 1.0;
    }

    /** Standard normal by Box-Muller (SplittableRandom has no nextGaussian on Java 17). */
    static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
