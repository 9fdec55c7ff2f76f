package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.ColumnMoments;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.Gaussian;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.objective.AffineRefit;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.LayerForward;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import java.util.SplittableRandom;

/**
 * Deterministic starting network for the gradient solvers, of any depth, built layer by layer (theory A1, A8).
 *
 * <p>A linear layer starts as the identity (it is square): the network then computes what its ReLU layers alone
 * would, and weight decay shrinks the directions the data does not need (A8). ReLU unit k of a layer whose input
 * {@code h} (the data pushed through the layers before it; the data itself for the first) gets a random direction {@code u_k} (Gaussian, normalized) divided by the spread
 * {@code s_x} of that input (root mean squared distance of its rows to their mean), and a bias that puts its
 * hyperplane through the input of a data row drawn at random, {@code b_k = w_k . h_n}, nudged by a Gaussian of
 * standard deviation {@value #JITTER} (in units of the data spread) so that no sample starts exactly on a
 * kink. For d = 1 this places the knots (A5) next to random data points, where the representer theorem
 * (T3) says optimal knots live.
 * The outer weights {@code v_k} of the last layer are small Gaussians ({@code 1e-2 s_y / sqrt(K)}, {@code s_y} the
 * target spread), drawn with their unit, so the start is close to the affine part; {@code c0} starts at the target mean and {@code C} at zero.
 * Everything is drawn from one {@link SplittableRandom} seeded with the fit's seed.
 *
 * <p>One hidden layer, one input (d = 1), when the width is at least the number of distinct interior data points: the
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
        System.arraycopy(previous.inputWeights().data, 0, net.inputWeights().data, 0, keep * d);
        System.arraycopy(previous.bias(), 0, net.bias(), 0, keep);
        System.arraycopy(previous.outputWeights().data, 0, net.outputWeights().data, 0, keep * m);
        if (skip && previous.hasSkip()) {
            System.arraycopy(previous.skipWeights().data, 0, net.skipWeights().data, 0, m * d);
            System.arraycopy(previous.skipBias(), 0, net.skipBias(), 0, m);
        }
        return net;
    }

    /** One hidden layer of {@code width} neurons; see {@link #initialize(FitProblem, int[], int, boolean, long, boolean)}. */
    public static ShallowNetwork initialize(FitProblem problem, int width, boolean skip, long seed, boolean balanced) {
        return initialize(problem, new int[] {width}, 0, skip, seed, balanced).oneLayer();
    }

    /**
     * The start described above for the architecture of {@link Network#zeros}, optionally rescaled per unit to
     * {@code ||out_k|| = ||in_k||} (same function, A4, see {@link Network#balanceUnits}). L-BFGS on weight decay wants it balanced;
     * Adam does not (its per-coordinate steps of fixed size would move the knot {@code b_k/w_k} of a small balanced
     * neuron by a lot per step).
     */
    public static Network initialize(FitProblem problem, int[] hiddenWidths, int linearLayers, boolean skip, long seed,
                                     boolean balanced) {
        int n = problem.rows();
        int m = problem.outputDim();
        Network net = Network.zeros(problem.inputDim(), m, hiddenWidths, linearLayers, skip);
        SplittableRandom random = new SplittableRandom(seed);
        List<Layer> layers = net.layers();
        double outScale = 1e-2 * targetSpread(problem) / Math.sqrt(Math.max(1, net.lastWidth()));
        double[] v = net.outputWeights().data;
        DMatrixRMaj h = problem.x();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            boolean last = l == layers.size() - 1;
            if (layer.kind() == Layer.Kind.LINEAR) {
                CommonOps_DDRM.setIdentity(layer.weights());
            } else {
                int inputs = layer.inputs();
                double[] w = layer.weights().data;
                double spread = spread(h.data, n, inputs);
                int placed = layers.size() == 1 && inputs == 1
                        ? knotsAtInteriorPoints(layer, v, m, h.data, n, spread, outScale, random) : 0;
                for (int k = placed; k < layer.outputs(); k++) {
                    double norm = 0;
                    for (int j = 0; j < inputs; j++) {
                        double g = Gaussian.next(random);
                        w[k * inputs + j] = g;
                        norm += g * g;
                    }
                    norm = Math.sqrt(norm);
                    if (norm == 0) {           // probability zero, but keep the unit usable
                        w[k * inputs] = 1;
                        norm = 1;
                    }
                    int row = random.nextInt(n);
                    double b = 0;
                    for (int j = 0; j < inputs; j++) {
                        w[k * inputs + j] /= norm * spread;
                        b += w[k * inputs + j] * h.data[row * inputs + j];
                    }
                    layer.bias()[k] = b + JITTER * Gaussian.next(random);
                    for (int i = 0; last && i < m; i++) {
                        v[k * m + i] = outScale * Gaussian.next(random);
                    }
                }
            }
            if (!last) {
                DMatrixRMaj next = new DMatrixRMaj(n, layer.outputs());
                LayerForward.apply(layer, h, next);
                h = next;
            }
        }
        if (balanced) {
            // Every unit at ||out_k|| = ||in_k|| (A4), the same starting function. With the small outer weights above
            // and ||w_k|| ~ 1/s_x, an unbalanced start lets weight decay shrink w_k (and so push the knot b_k/w_k out
            // of the data) long before v_k can grow; balanced, a neuron grows exactly when its correlation with the
            // residual beats lambda.
            net.balanceUnits();
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
        if (problem.plainLeastSquares()) {
            for (int i = 0; i < problem.outputDim(); i++) {
                net.skipBias()[i] = ColumnMoments.mean(problem.y().data, problem.rows(), problem.outputDim(), i);
            }
            return;
        }
        AffineRefit.refit(net, problem, 0.0, true);
    }

    /**
     * d = 1: one knot just right of every distinct interior data point (see the class comment) when the width
     * allows; returns how many neurons were placed (0 when it does not).
     */
    private static int knotsAtInteriorPoints(Layer layer, double[] v, int m, double[] x, int n, double spreadX,
                                             double outScale, SplittableRandom random) {
        double[] sorted = Vectors.sortedDistinct(x, n);
        int interior = sorted.length - 2;
        if (interior < 1 || interior > layer.outputs()) {
            return 0;
        }
        for (int k = 0; k < interior; k++) {
            double point = sorted[k + 1];
            double knot = point + KNOT_JITTER * random.nextDouble() * (sorted[k + 2] - point);
            double w = (random.nextBoolean() ? 1.0 : -1.0) / spreadX;
            layer.weights().data[k] = w;
            layer.bias()[k] = w * knot;
            for (int i = 0; i < m; i++) {
                v[k * m + i] = outScale * Gaussian.next(random);
            }
        }
        return interior;
    }

    /** Root mean squared distance of the rows to their mean; 1 when the rows all coincide. */
    static double spread(double[] a, int rows, int cols) {
        double s = Math.sqrt(ColumnMoments.centredSquares(a, rows, cols) / rows);
        return s > 0 && Double.isFinite(s) ? s : 1.0;
    }
}
