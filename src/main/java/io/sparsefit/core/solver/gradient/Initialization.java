package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.FitProblem;
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
 */
public final class Initialization {

    static final double JITTER = 1e-2;

    private Initialization() {
    }

    public static ShallowNetwork initialize(FitProblem problem, int width, boolean skip, long seed) {
        int n = problem.rows();
        int d = problem.inputDim();
        int m = problem.outputDim();
        double[] x = problem.x().data;
        double[] y = problem.y().data;
        double spreadX = spread(x, n, d);
        double spreadY = spread(y, n, m);
        ShallowNetwork net = new ShallowNetwork(d, m, width, skip);
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = net.inputWeights.data;
        double[] v = net.outputWeights.data;
        double outScale = 1e-2 * spreadY / Math.sqrt(Math.max(1, width));
        for (int k = 0; k < width; k++) {
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
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int r = 0; r < n; r++) {
                s += y[r * m + i];
            }
            net.skipBias[i] = s / n;
        }
        return net;
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
