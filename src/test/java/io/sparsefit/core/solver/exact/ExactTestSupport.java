package io.sparsefit.core.solver.exact;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.DualNorm1D;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.SolverType;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Independent computations the exact-solver tests compare against: nothing here uses the solver's code. */
final class ExactTestSupport {

    private ExactTestSupport() {
    }

    static FitSettings settings(double lambda) {
        return FitSettings.defaults(lambda).withSolver(SolverType.EXACT).withRegularization(Regularization.PATH_NORM);
    }

    /** {@code 1/2 ||f(X) - y||^2} from the network's own forward pass. */
    static double dataFit(ShallowNetwork net, double[] x, double[] y) {
        DMatrixRMaj out = net.predict(new DMatrixRMaj(x.length, 1, true, x), null);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double r = out.data[i] - y[i];
            s += r * r;
        }
        return 0.5 * s;
    }

    /** The objective of theory A2 with the path norm, recomputed from scratch. */
    static double objective(ShallowNetwork net, double[] x, double[] y, double lambda) {
        return dataFit(net, x, y) + lambda * PathNorm.of(net);
    }

    static double[] predict(ShallowNetwork net, double[] x) {
        return net.predict(new DMatrixRMaj(x.length, 1, true, x), null).data;
    }

    /**
     * The T8 gap computed literally from its definition: residual, projection onto the complement of
     * span{1, x} (dense least squares in the sample space), scaling by min(1, lambda / S),
     * gap = J - (r.y - 1/2 ||r||^2).
     */
    static double certificateGap(ShallowNetwork net, double[] x, double[] y, double lambda) {
        int n = x.length;
        double[] f = predict(net, x);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = y[i] - f[i];
        }
        projectOutAffine(x, r);
        double s = DualNorm1D.supremum(x, new DMatrixRMaj(n, 1, true, r));
        double alpha = s > lambda ? lambda / s : 1.0;
        double ry = 0;
        double rr = 0;
        for (int i = 0; i < n; i++) {
            ry += alpha * r[i] * y[i];
            rr += alpha * alpha * r[i] * r[i];
        }
        return objective(net, x, y, lambda) - (ry - 0.5 * rr);
    }

    /** Removes the least-squares affine part of v (in place), Gram-Schmidt on {1, x - mean}. */
    static void projectOutAffine(double[] x, double[] v) {
        int n = x.length;
        double xm = 0;
        double vm = 0;
        for (int i = 0; i < n; i++) {
            xm += x[i];
            vm += v[i];
        }
        xm /= n;
        vm /= n;
        double sxx = 0;
        double sxv = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - xm) * (x[i] - xm);
            sxv += (x[i] - xm) * (v[i] - vm);
        }
        double b = sxx > 0 ? sxv / sxx : 0;
        for (int i = 0; i < n; i++) {
            v[i] -= vm + b * (x[i] - xm);
        }
    }

    /**
     * Brute force: the lasso over ReLU atoms {@code relu(x - x_j)} at the interior points of the sorted
     * distinct x, plus an unpenalized affine part (projected out), solved by cyclic coordinate descent
     * on the Gram matrix, polished by solving the KKT system on the support it finds (dense elimination)
     * and accepted once that point satisfies the lasso optimality conditions (or once the CD iterate's
     * own lasso duality gap is below {@code 1e-11 * max(1, objective)}).
     * Returns the optimal objective {@code 1/2 ||f - y||^2 + lambda ||beta||_1} (with the affine part at its
     * optimum, the data fit is {@code 1/2 ||P(y - Phi beta)||^2}, P the projection). Dense O(N^2): small N only.
     */
    static double bruteForceObjective(double[] x, double[] y, double lambda) {
        int n = x.length;
        double[] sorted = x.clone();
        java.util.Arrays.sort(sorted);
        int p = n - 2;
        double[][] phi = new double[p][n];
        for (int j = 0; j < p; j++) {
            double knot = sorted[j + 1];
            for (int i = 0; i < n; i++) {
                phi[j][i] = Math.max(0.0, x[i] - knot);
            }
            projectOutAffine(x, phi[j]);
        }
        double[] t = y.clone();
        projectOutAffine(x, t);
        double[][] gram = new double[p][p];
        double[] corr = new double[p];
        for (int j = 0; j < p; j++) {
            for (int k = 0; k <= j; k++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += phi[j][i] * phi[k][i];
                }
                gram[j][k] = s;
                gram[k][j] = s;
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += phi[j][i] * t[i];
            }
            corr[j] = s;
        }
        double tt = 0;
        for (double v : t) {
            tt += v * v;
        }
        double[] beta = new double[p];
        double[] grad = corr.clone(); // Phi^T (t - Phi beta)
        for (int round = 0; round < 2000; round++) {
            for (int sweep = 0; sweep < 50; sweep++) {
                for (int j = 0; j < p; j++) {
                    double g = gram[j][j];
                    if (g <= 0) {
                        continue;
                    }
                    double z = grad[j] + g * beta[j];
                    double nb = Math.signum(z) * Math.max(0.0, Math.abs(z) - lambda) / g;
                    double d = nb - beta[j];
                    if (d != 0) {
                        beta[j] = nb;
                        for (int k = 0; k < p; k++) {
                            grad[k] -= gram[k][j] * d;
                        }
                    }
                }
            }
            // Polish: with the support and signs of the CD iterate fixed, the lasso optimum solves
            // G_SS b_S = c_S - lambda s_S exactly (dense elimination). Accept it if it satisfies the KKT
            // conditions; otherwise keep sweeping from the CD iterate.
            double polished = polish(gram, corr, tt, beta, lambda);
            if (!Double.isNaN(polished)) {
                return polished;
            }
            // Or accept the CD iterate itself once its lasso duality gap is negligible.
            double bGb = 0;
            double bc = 0;
            double l1 = 0;
            double maxCorr = 0;
            for (int j = 0; j < p; j++) {
                bc += beta[j] * corr[j];
                bGb += beta[j] * (corr[j] - grad[j]);
                l1 += Math.abs(beta[j]);
                maxCorr = Math.max(maxCorr, Math.abs(grad[j]));
            }
            double rr = tt - 2 * bc + bGb;
            double primal = 0.5 * rr + lambda * l1;
            double alpha = maxCorr > lambda ? lambda / maxCorr : 1.0;
            double dual = alpha * (tt - bc) - 0.5 * alpha * alpha * rr;
            if (primal - dual <= 1e-11 * Math.max(1.0, primal)) {
                return primal;
            }
        }
        throw new AssertionError("brute-force lasso did not converge");
    }

    /**
     * A dense active-set refinement started from the support and signs of {@code beta}: solve
     * {@code G_SS b = c_S - lambda s_S}; drop entries whose sign disagrees; otherwise add the worst
     * violator of {@code |grad_j| <= lambda}. Returns the objective of the KKT point it reaches, or NaN.
     */
    private static double polish(double[][] gram, double[] corr, double tt, double[] beta, double lambda) {
        int p = beta.length;
        double[] sign = new double[p];
        for (int j = 0; j < p; j++) {
            sign[j] = Math.signum(beta[j]);
        }
        double[] full = new double[p];
        for (int attempt = 0; attempt < 4 * p + 20; attempt++) {
            int[] support = new int[p];
            int size = 0;
            for (int j = 0; j < p; j++) {
                if (sign[j] != 0) {
                    support[size++] = j;
                }
            }
            double[][] a = new double[size][size + 1];
            for (int u = 0; u < size; u++) {
                for (int v = 0; v < size; v++) {
                    a[u][v] = gram[support[u]][support[v]];
                }
                a[u][size] = corr[support[u]] - lambda * sign[support[u]];
            }
            double[] b = gaussianElimination(a, size);
            java.util.Arrays.fill(full, 0.0);
            boolean dropped = false;
            for (int u = 0; u < size; u++) {
                if (Math.signum(b[u]) != sign[support[u]]) {
                    sign[support[u]] = 0;
                    dropped = true;
                }
                full[support[u]] = b[u];
            }
            if (dropped) {
                continue;
            }
            double bc = 0;
            double bGb = 0;
            double l1 = 0;
            int worst = -1;
            double worstValue = lambda * (1 + 1e-10);
            for (int j = 0; j < p; j++) {
                double gj = corr[j];
                for (int k = 0; k < p; k++) {
                    gj -= gram[j][k] * full[k];
                }
                if (full[j] == 0 && Math.abs(gj) > worstValue) {
                    worst = j;
                    worstValue = Math.abs(gj);
                    sign[j] = 0;
                }
                bc += full[j] * corr[j];
                bGb += full[j] * (corr[j] - gj);
                l1 += Math.abs(full[j]);
                if (full[j] == 0 && worst == j) {
                    sign[j] = Math.signum(gj);
                }
            }
            if (worst < 0) {
                return 0.5 * (tt - 2 * bc + bGb) + lambda * l1;
            }
            // Keep only the single worst violator as the new entry.
            for (int j = 0; j < p; j++) {
                if (full[j] == 0 && j != worst) {
                    sign[j] = 0;
                }
            }
        }
        return Double.NaN;
    }

    /** Solves the n x n system stored in the first n columns of {@code a} with right side in column n; partial pivoting. */
    private static double[] gaussianElimination(double[][] a, int n) {
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= n; c++) {
                    a[r][c] -= f * a[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= a[r][c] * x[c];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    static double[] randomUniform(SplittableRandom rnd, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return v;
    }

    static FitProblem problem(double[] x, double[] y) {
        return FitProblem.of1D(x, y);
    }
}
