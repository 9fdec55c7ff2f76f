package io.sparsefit.core.convex;

import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * {@code min_a 1/2 a^T Q a - c^T a + lambda sum_g ||a_g||} over K groups of m entries ({@code Q} PSD, Km x Km): the
 * subproblem of each proximal Newton step of {@link LossGroupLasso}. FISTA (step {@code 1/L}, {@code L} the largest
 * eigenvalue of Q by power iteration, gradient restart of O'Donoghue and Candes) finds the support; every
 * {@value LossGroupLasso#CHECK_EVERY} iterations Newton's method on the support (where the group norms are smooth:
 * Hessian {@code Q_SS + lambda (I / ||a_g|| - a_g a_g^T / ||a_g||^3)} per group) tries to finish exactly, kept when it
 * lowers the objective. Stops when the KKT conditions hold to {@value #KKT_TOLERANCE} of lambda.
 */
final class GramGroupLasso {

    static final double KKT_TOLERANCE = 1e-11;

    private final double[] q;
    private final double[] c;
    private final int k;
    private final int m;
    private final int size;
    private final double lambda;
    private final BooleanSupplier stop;

    /** {@code q} (Km x Km row-major) and {@code c} (Km) are not modified. */
    GramGroupLasso(double[] q, double[] c, int groups, int m, double lambda, BooleanSupplier stop) {
        this.q = q;
        this.c = c;
        this.k = groups;
        this.m = m;
        this.size = groups * m;
        this.lambda = lambda;
        this.stop = stop;
    }

    /** The solution from {@code start} (not modified). */
    double[] solve(double[] start) {
        double[] a = start.clone();
        double[] grad = new double[size];
        if (kkt(a, grad) <= KKT_TOLERANCE * lambda) {
            return a;
        }
        double[] refined = supportNewton(a);
        if (refined != null) {
            a = refined;
            if (kkt(a, grad) <= KKT_TOLERANCE * lambda) {
                return a;
            }
        }
        double lipschitz = GroupLasso.largestEigenvalue(q, size) * GroupLasso.STEP_MARGIN;
        if (!(lipschitz > 0)) {
            return a;
        }
        double[] previous = new double[size];
        double[] point = a.clone();
        java.util.BitSet tried = support(a);
        double t = 1.0;
        for (int it = 1; it <= LossGroupLasso.INNER_ITERATIONS && !stop.getAsBoolean(); it++) {
            times(point, grad);
            System.arraycopy(a, 0, previous, 0, size);
            for (int i = 0; i < size; i++) {
                a[i] = point[i] - (grad[i] - c[i]) / lipschitz;
            }
            GroupLasso.shrinkGroups(a, k, m, lambda / lipschitz);
            t = GroupLasso.extrapolate(a, previous, point, size, t);
            if (it % LossGroupLasso.CHECK_EVERY != 0) {
                continue;
            }
            java.util.BitSet support = support(a);
            if (support.equals(tried)) {
                if (kkt(a, grad) <= KKT_TOLERANCE * lambda) {
                    break;
                }
                continue;   // Newton on this support was tried already: FISTA has to change it first
            }
            tried = support;
            refined = supportNewton(a);
            if (refined != null && value(refined) <= value(a)) {
                a = refined;
                System.arraycopy(a, 0, point, 0, size);
                t = 1.0;
            }
            if (kkt(a, grad) <= KKT_TOLERANCE * lambda) {
                break;
            }
        }
        return a;
    }

    private java.util.BitSet support(double[] a) {
        java.util.BitSet s = new java.util.BitSet(k);
        for (int g = 0; g < k; g++) {
            if (norm(a, g) > 0) {
                s.set(g);
            }
        }
        return s;
    }

    /** The largest violation of the KKT conditions at {@code a}; {@code work} (Km) is scratch. */
    private double kkt(double[] a, double[] work) {
        times(a, work);
        double worst = 0;
        for (int g = 0; g < k; g++) {
            double norm = norm(a, g);
            double s = 0;
            for (int i = g * m; i < (g + 1) * m; i++) {
                double r = work[i] - c[i] + (norm > 0 ? lambda * a[i] / norm : 0.0);
                s += r * r;
            }
            s = Math.sqrt(s);
            worst = Math.max(worst, norm > 0 ? s : Math.max(0.0, s - lambda));
        }
        return worst;
    }

    /** Newton's method on the support of {@code a} (not modified); null without a support or without progress. */
    private double[] supportNewton(double[] a) {
        int[] support = java.util.stream.IntStream.range(0, k).filter(g -> norm(a, g) > 0).toArray();
        if (support.length == 0) {
            return null;
        }
        int s = support.length * m;
        double[] x = a.clone();
        double current = value(x);
        double[] qx = new double[size];
        boolean moved = false;
        for (int step = 0; step < LossGroupLasso.SUPPORT_STEPS; step++) {
            times(x, qx);
            DMatrixRMaj hess = new DMatrixRMaj(s, s);
            DMatrixRMaj grad = new DMatrixRMaj(s, 1);
            double largest = 0;
            for (int u = 0; u < support.length; u++) {
                int g = support[u];
                double norm = norm(x, g);
                if (!(norm > 0)) {
                    return moved ? x : null;
                }
                for (int i = 0; i < m; i++) {
                    int row = u * m + i;
                    int gi = g * m + i;
                    grad.data[row] = qx[gi] - c[gi] + lambda * x[gi] / norm;
                    for (int v = 0; v < support.length; v++) {
                        for (int j = 0; j < m; j++) {
                            hess.data[row * s + v * m + j] = q[gi * size + support[v] * m + j];
                        }
                    }
                    for (int j = 0; j < m; j++) {
                        hess.data[row * s + u * m + j] += lambda * ((i == j ? 1.0 : 0.0) / norm
                                - x[gi] * x[g * m + j] / (norm * norm * norm));
                    }
                    largest = Math.max(largest, hess.data[row * s + row]);
                }
            }
            double gradNorm = 0;
            for (int i = 0; i < s; i++) {
                hess.data[i * s + i] += 1e-14 * largest;
                gradNorm = Math.max(gradNorm, Math.abs(grad.data[i]));
            }
            if (gradNorm <= KKT_TOLERANCE * lambda) {
                return x;   // stationary on the support
            }
            DMatrixRMaj delta = new DMatrixRMaj(s, 1);
            if (!CommonOps_DDRM.solveSPD(hess.copy(), grad, delta) && !CommonOps_DDRM.solve(hess, grad, delta)) {
                break;
            }
            double[] trial = x.clone();
            double t = 1.0;
            boolean improved = false;
            for (int attempt = 0; attempt < 30; attempt++) {
                for (int u = 0; u < support.length; u++) {
                    for (int i = 0; i < m; i++) {
                        trial[support[u] * m + i] = x[support[u] * m + i] - t * delta.data[u * m + i];
                    }
                }
                double v = value(trial);
                if (v < current) {
                    current = v;
                    System.arraycopy(trial, 0, x, 0, size);
                    improved = true;
                    moved = true;
                    break;
                }
                t *= 0.5;
            }
            if (!improved) {
                break;
            }
        }
        return moved ? x : null;
    }

    private double value(double[] a) {
        double[] qa = new double[size];
        times(a, qa);
        double v = 0;
        for (int i = 0; i < size; i++) {
            v += 0.5 * a[i] * qa[i] - c[i] * a[i];
        }
        for (int g = 0; g < k; g++) {
            v += lambda * norm(a, g);
        }
        return v;
    }

    private void times(double[] a, double[] out) {
        for (int i = 0; i < size; i++) {
            double s = 0;
            for (int j = 0; j < size; j++) {
                s += q[i * size + j] * a[j];
            }
            out[i] = s;
        }
    }

    private double norm(double[] a, int g) {
        double s = 0;
        for (int i = g * m; i < (g + 1) * m; i++) {
            s += a[i] * a[i];
        }
        return Math.sqrt(s);
    }
}
