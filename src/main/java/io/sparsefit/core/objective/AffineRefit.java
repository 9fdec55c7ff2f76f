package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.Network;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one affine refit (theory A1, A2b): with every neuron fixed, the skip connection's intercept {@code c0} (and its
 * weights {@code C} when the network has a skip) minimize {@code sum_n w_n loss(F0_n + c0 + C x_n; y_n)} (plus
 * {@code lambda/2 ||C||_F^2} for a classification loss, {@link SkipDecay}), with {@code F0} what the neurons give.
 * For squared loss without weights that is linear least squares on {@code [1, X]} ({@link #setLeastSquares}); for
 * every other case a small smooth convex problem in {@code m (1 + d)} unknowns, solved by Newton's method with a
 * Levenberg damping (the Huber loss has zero curvature outside delta) and a backtracking line search from the
 * current affine part, so the data fit never rises.
 */
public final class AffineRefit {

    /** Newton steps at most; the problem is smooth and small, so a handful normally suffice. */
    public static final int MAX_STEPS = 50;

    private AffineRefit() {
    }

    /**
     * Sets {@code net}'s {@code c0} (and {@code C} with skip) to the least-squares fit of {@code rest} (N x m, what the
     * neurons leave of the targets, not modified) on {@code [1, X]} (pseudo-inverse: N <= d is allowed). {@code net}
     * is modified.
     */
    public static void setLeastSquares(Network net, DMatrixRMaj x, DMatrixRMaj rest) {
        DMatrixRMaj beta = AffineProjection.leastSquares(x, rest, net.hasSkip());
        int m = net.outputDim();
        int d = net.inputDim();
        double[] c0 = net.skipBias();
        double[] c = net.skipWeights().data;
        for (int i = 0; i < m; i++) {
            c0[i] = beta.data[i];
            if (net.hasSkip()) {
                for (int t = 0; t < d; t++) {
                    c[i * d + t] = beta.data[(1 + t) * m + i];
                }
            }
        }
    }

    /**
     * Refits the affine part of {@code net} (modified) on {@code problem} with its loss and weights; {@code lambda} is
     * the strength of the skip decay of a classification loss (ignored otherwise).
     */
    public static void refit(Network net, FitProblem problem, double lambda) {
        refit(net, problem, lambda, false);
    }

    /**
     * As {@link #refit(Network, FitProblem, double)}; with {@code interceptOnly} only {@code c0} moves ({@code C} is
     * kept), e.g. for a starting network.
     */
    public static void refit(Network net, FitProblem problem, double lambda, boolean interceptOnly) {
        int n = problem.rows();
        int m = net.outputDim();
        int d = net.inputDim();
        double[] c0 = net.skipBias();
        double[] c = net.skipWeights().data;
        double[] savedC0 = c0.clone();
        double[] savedC = c.clone();
        java.util.Arrays.fill(c0, 0.0);
        if (!interceptOnly) {
            java.util.Arrays.fill(c, 0.0);
        }
        DMatrixRMaj neurons = net.predict(problem.x(), null);
        Loss loss = problem.loss();
        if (problem.plainLeastSquares() && !interceptOnly) {
            DMatrixRMaj rest = problem.y().copy();
            CommonOps_DDRM.subtractEquals(rest, neurons);
            setLeastSquares(net, problem.x(), rest);
            return;
        }
        int q = net.hasSkip() && !interceptOnly ? 1 + d : 1;
        double decay = SkipDecay.applies(loss, net) ? lambda : 0.0;
        double[] theta = new double[q * m];
        for (int i = 0; i < m; i++) {
            theta[i] = savedC0[i];
            for (int t = 0; t + 1 < q; t++) {
                theta[(1 + t) * m + i] = savedC[i * d + t];
            }
        }
        new Newton(problem, neurons.data, q, m, decay).minimize(theta);
        for (int i = 0; i < m; i++) {
            c0[i] = theta[i];
            for (int t = 0; t + 1 < q; t++) {
                c[i * d + t] = theta[(1 + t) * m + i];
            }
        }
        if (interceptOnly) {
            System.arraycopy(savedC, 0, c, 0, c.length);
        }
    }

    /** Newton's method on the affine parameters {@code theta[a m + i]}, a over {@code [1, x_1..x_d]}, i over outputs. */
    private static final class Newton {
        private final FitProblem problem;
        private final double[] neurons;
        private final int q;
        private final int m;
        private final double decay;
        private final double[] f;
        private final double[] g;
        private final double[] h;

        Newton(FitProblem problem, double[] neurons, int q, int m, double decay) {
            this.problem = problem;
            this.neurons = neurons;
            this.q = q;
            this.m = m;
            this.decay = decay;
            this.f = new double[problem.rows() * m];
            this.g = new double[problem.rows() * m];
            this.h = new double[m * m];
        }

        private double feature(int row, int a) {
            return a == 0 ? 1.0 : problem.x().data[row * problem.inputDim() + a - 1];
        }

        /** The objective at theta; {@link #f} holds the outputs afterwards. */
        private double value(double[] theta) {
            int n = problem.rows();
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < m; i++) {
                    double s = neurons[r * m + i];
                    for (int a = 0; a < q; a++) {
                        s += feature(r, a) * theta[a * m + i];
                    }
                    f[r * m + i] = s;
                }
            }
            double penalty = 0;
            for (int k = m; k < theta.length; k++) {
                penalty += theta[k] * theta[k];
            }
            return problem.loss().value(f, problem.y().data, problem.sampleWeights(), n, m) + 0.5 * decay * penalty;
        }

        void minimize(double[] theta) {
            int n = problem.rows();
            int p = q * m;
            int t = problem.targetDim();
            double[] w = problem.sampleWeights();
            Loss loss = problem.loss();
            DMatrixRMaj hessian = new DMatrixRMaj(p, p);
            DMatrixRMaj gradient = new DMatrixRMaj(p, 1);
            DMatrixRMaj step = new DMatrixRMaj(p, 1);
            double[] trial = new double[p];
            double j = value(theta);
            double damping = 1e-12;
            for (int it = 0; it < MAX_STEPS; it++) {
                loss.gradient(f, 0, problem.y().data, 0, w, 0, n, m, 1.0, g, 0);
                hessian.zero();
                gradient.zero();
                for (int r = 0; r < n; r++) {
                    double wr = w == null ? 1.0 : w[r];
                    loss.hessian(f, r * m, problem.y().data, r * t, m, h);
                    for (int a = 0; a < q; a++) {
                        double fa = feature(r, a);
                        for (int i = 0; i < m; i++) {
                            gradient.data[a * m + i] += fa * g[r * m + i];
                            for (int b = 0; b < q; b++) {
                                double fab = wr * fa * feature(r, b);
                                for (int k = 0; k < m; k++) {
                                    hessian.data[(a * m + i) * p + b * m + k] += fab * h[i * m + k];
                                }
                            }
                        }
                    }
                }
                double scale = 0;
                for (int k = 0; k < p; k++) {
                    if (k >= m) {
                        gradient.data[k] += decay * theta[k];
                        hessian.data[k * p + k] += decay;
                    }
                    scale = Math.max(scale, hessian.data[k * p + k]);
                }
                double gradNorm = CommonOps_DDRM.elementMaxAbs(gradient);
                if (!(gradNorm > 1e-13 * (1 + Math.abs(j)))) {
                    return;
                }
                boolean improved = false;
                for (int attempt = 0; attempt < 30 && !improved; attempt++) {
                    DMatrixRMaj damped = hessian.copy();
                    for (int k = 0; k < p; k++) {
                        damped.data[k * p + k] += damping * Math.max(scale, 1e-300) + 1e-300;
                    }
                    if (!CommonOps_DDRM.solve(damped, gradient, step)) {
                        damping *= 10;
                        continue;
                    }
                    double slope = -CommonOps_DDRM.dot(gradient, step);
                    for (double alpha = 1.0; alpha > 1e-10; alpha *= 0.5) {
                        for (int k = 0; k < p; k++) {
                            trial[k] = theta[k] - alpha * step.data[k];
                        }
                        double jt = value(trial);
                        if (jt <= j + 1e-4 * alpha * slope) {
                            System.arraycopy(trial, 0, theta, 0, p);
                            improved = jt < j;
                            j = jt;
                            break;
                        }
                    }
                    if (!improved) {
                        damping *= 10;
                    }
                }
                value(theta);
                if (!improved) {
                    return;
                }
                damping = Math.max(1e-12, damping / 10);
            }
        }
    }
}
