package io.sparsefit.core.convex;

import static io.sparsefit.core.linalg.Vectors.dot;
import static io.sparsefit.core.linalg.Vectors.norm;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.NormOps_DDRM;

/**
 * The T8 dual norm {@code S(r) = max_{||u|| = 1, c} |sum_n r_n relu(u . x_n - c)|} of one output, in any d, by brute
 * force over every activation pattern: an independent computation for tests (small N only, {@code O(2^N N^(d+1))}).
 *
 * <p>For each of the 2^N sign patterns sigma (sigma_n = +1: x_n on the active side of the hyperplane, -1: on the
 * other; the closed sides, so every (u, c) has a pattern) the value on the pattern's set is linear,
 * {@code a . u - s c} with {@code a = sum_{sigma_n = +1} r_n x_n}, {@code s = sum_{sigma_n = +1} r_n}, and
 * {@code S = max over sigma and both signs of max {+-(a . u - s c) : sigma_n (u . x_n - c) >= 0, ||u|| <= 1}} (a
 * feasible point with {@code ||u|| < 1} scales up to the sphere within its pattern, and u = 0 has value 0). Each of
 * these is a convex program with a Slater point (u, c) = 0, so it equals its Lagrange dual
 * {@code min {||alpha + sum_n mu_n sigma_n x_n|| : mu >= 0, sum_n mu_n sigma_n = -beta}} ({@code alpha, beta} the signed
 * {@code a, s}), the distance from the origin to a polyhedron. An optimal mu has a support T whose lifted vectors
 * {@code sigma_n (x_n, 1)} are linearly independent (conic Caratheodory, so {@code |T| <= d + 1}), and with all its
 * weights positive it is the unique solution of the equality-constrained least squares on T (its KKT system is
 * nonsingular for independent lifted vectors). So the minimum over every T of size at most d + 1 whose KKT solution is
 * non-negative is exact. Nothing here uses the anchors, the arrangement's vertices or any bound of the code under test.
 */
public final class ActivationPatterns {

    private ActivationPatterns() {
    }

    /** {@code S(r)} for inputs x (N x d) and a residual r (N x 1) orthogonal to [1, x]. */
    public static double maximum(DMatrixRMaj x, DMatrixRMaj r) {
        int n = x.numRows;
        int d = x.numCols;
        if (n > 16 || r.numCols != 1) {
            throw new IllegalArgumentException("brute force: one output and at most 16 rows");
        }
        List<int[]> supports = new ArrayList<>();
        subsets(n, d + 1, 0, new int[0], supports);
        double scale = 0;
        for (int q = 0; q < n; q++) {
            scale += Math.abs(r.data[q]);
        }
        double best = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            double[] a = new double[d];
            double s = 0;
            for (int q = 0; q < n; q++) {
                if ((mask >>> q & 1) == 1) {
                    for (int t = 0; t < d; t++) {
                        a[t] += r.data[q] * x.data[q * d + t];
                    }
                    s += r.data[q];
                }
            }
            for (int sign = -1; sign <= 1; sign += 2) {
                double[] alpha = new double[d];
                for (int t = 0; t < d; t++) {
                    alpha[t] = sign * a[t];
                }
                best = Math.max(best, patternValue(x, mask, alpha, sign * s, supports, scale));
            }
        }
        return best;
    }

    /** The dual of one pattern's program (see the class comment). */
    private static double patternValue(DMatrixRMaj x, int mask, double[] alpha, double beta, List<int[]> supports, double scale) {
        int d = x.numCols;
        double value = Double.POSITIVE_INFINITY;
        for (int[] support : supports) {
            int k = support.length;
            if (k == 0) {
                if (Math.abs(beta) <= 1e-12 * scale) {
                    value = Math.min(value, norm(alpha));
                }
                continue;
            }
            double[][] b = new double[k][d];   // columns sigma_n x_n, stored as rows
            double[] e = new double[k];
            for (int i = 0; i < k; i++) {
                int q = support[i];
                e[i] = (mask >>> q & 1) == 1 ? 1.0 : -1.0;
                for (int t = 0; t < d; t++) {
                    b[i][t] = e[i] * x.data[q * d + t];
                }
            }
            // KKT: [B^T B, e; e^T, 0] [mu; nu] = [-B^T alpha; -beta]
            DMatrixRMaj kkt = new DMatrixRMaj(k + 1, k + 1);
            DMatrixRMaj rhs = new DMatrixRMaj(k + 1, 1);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    kkt.set(i, j, dot(b[i], b[j]));
                }
                kkt.set(i, k, e[i]);
                kkt.set(k, i, e[i]);
                rhs.set(i, -dot(b[i], alpha));
            }
            rhs.set(k, -beta);
            if (!(NormOps_DDRM.conditionP2(kkt) < 1e10)) {
                continue;   // dependent lifted vectors: a smaller support covers it
            }
            DMatrixRMaj solution = new DMatrixRMaj(k + 1, 1);
            CommonOps_DDRM.solve(kkt, rhs, solution);
            double[] mu = solution.data;
            boolean feasible = true;
            for (int i = 0; i < k; i++) {
                feasible &= mu[i] >= -1e-12 * (1 + Math.abs(mu[i]));
            }
            if (!feasible) {
                continue;
            }
            double[] v = alpha.clone();
            for (int i = 0; i < k; i++) {
                for (int t = 0; t < d; t++) {
                    v[t] += Math.max(0.0, mu[i]) * b[i][t];
                }
            }
            value = Math.min(value, norm(v));
        }
        return value;
    }

    private static void subsets(int n, int most, int from, int[] prefix, List<int[]> out) {
        out.add(prefix);
        if (prefix.length == most) {
            return;
        }
        for (int q = from; q < n; q++) {
            int[] next = java.util.Arrays.copyOf(prefix, prefix.length + 1);
            next[prefix.length] = q;
            subsets(n, most, q + 1, next, out);
        }
    }
}
