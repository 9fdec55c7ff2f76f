package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sparsefit.core.network.RandomNetworks;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * The three-input dual norm of theory T8 on small random problems by a brute force over activation patterns, written
 * here independently of {@link ArrangementPricing3D}: the offset sits at a data point x_j (the value vanishes outside
 * the projections and is convex in c between them), and for each anchor j and each subset P of the other points the
 * value on the cone {@code u . (x_n - x_j) >= 0 (n in P), <= 0 (otherwise)} is {@code ||A_P u||} with
 * {@code A_P = sum_P r_n (x_n - x_j)^T}, a convex function whose maximum over the cone's part of the sphere is at a
 * critical point of a face (an eigenvector of {@code A_P^T A_P}), of an edge (the same restricted to a plane
 * {@code u . (x_k - x_j) = 0}) or at a vertex (where two such planes meet); every such candidate that lies in the cone
 * counts. Against it: the three-input enumeration ({@link ArrangementPricing3D}) and the proven bracket
 * ({@link ProvenDualNorm}) agree with it, with one output as with several; {@link OffsetCellBoundTest} holds the branch
 * and bound against it.
 */
class DualNormBruteForceTest {

    private static final double ROUND = 1e-9;
    private static final double IN_CONE = 1e-10;

    @Test
    void theEnumerationAndTheProvenBracketAgreeWithTheMaximumOverActivationPatterns() {
        for (long seed = 1; seed <= SMALL_PROBLEMS; seed++) {
            DMatrixRMaj[] xr = smallProblem(seed);
            DMatrixRMaj x = xr[0];
            DMatrixRMaj r = xr[1];
            int m = r.numCols;
            double exact = bruteForce(x, r);
            assertThat(exact).isPositive();
            assertThat(new ArrangementPricing3D(x, m).best(r, null).value()).isCloseTo(exact, offset(ROUND * exact));
            Pricing.Best sampled = new Pricing.Best(new LocalPricing(x, m, seed).search(r, null, 4, 4,
                    Double.POSITIVE_INFINITY, 1).get(0), false);
            ProvenDualNorm.Bracket s = ProvenDualNorm.of(x, r, sampled, false, 1e-6, () -> false);
            assertThat(s.proven()).isTrue();
            assertThat(s.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND));
            assertThat(s.lower()).isLessThanOrEqualTo(exact * (1 + ROUND));
        }
    }

    /** How many {@link #smallProblem}s the tests run. */
    static final int SMALL_PROBLEMS = 24;

    /** The brute force's small problem {@code seed}, {x, r}: 6 to 9 rows, three inputs, every third two outputs. */
    static DMatrixRMaj[] smallProblem(long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(6 + (int) (seed % 4), 3, 700 + seed);
        return new DMatrixRMaj[] {x, PricingTest.residual(x, seed % 3 == 0 ? 2 : 1, 800 + seed)};
    }

    /** {@code max ||sum_n r_n relu(u . x_n - c)||} over unit u and c, by anchors, activation patterns and candidates. */
    static double bruteForce(DMatrixRMaj x, DMatrixRMaj r) {
        int n = x.numRows;
        int m = r.numCols;
        double best = 0;
        for (int j = 0; j < n; j++) {
            double[][] y = new double[n][3];
            int[] others = new int[n - 1];
            int count = 0;
            for (int q = 0; q < n; q++) {
                for (int t = 0; t < 3; t++) {
                    y[q][t] = x.get(q, t) - x.get(j, t);
                }
                if (q != j && dot(y[q], y[q]) > 0) {
                    others[count++] = q;
                }
            }
            for (int mask = 0; mask < 1 << count; mask++) {
                DMatrixRMaj a = new DMatrixRMaj(m, 3);
                for (int k = 0; k < count; k++) {
                    if ((mask >>> k & 1) != 0) {
                        int q = others[k];
                        for (int i = 0; i < m; i++) {
                            for (int t = 0; t < 3; t++) {
                                a.add(i, t, r.get(q, i) * y[q][t]);
                            }
                        }
                    }
                }
                for (double[] u : candidates(a, y, others, count)) {
                    if (inCone(u, y, others, count, mask)) {
                        best = Math.max(best, norm(a, u));
                    }
                }
            }
        }
        return best;
    }

    private static java.util.List<double[]> candidates(DMatrixRMaj a, double[][] y, int[] others, int count) {
        java.util.List<double[]> out = new java.util.ArrayList<>();
        DMatrixRMaj ata = new DMatrixRMaj(3, 3);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(a, a, ata);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(3, true, true);
        if (eig.decompose(ata.copy())) {
            for (int e = 0; e < 3; e++) {
                DMatrixRMaj v = eig.getEigenVector(e);
                if (v != null) {
                    addBothSigns(out, new double[] {v.get(0), v.get(1), v.get(2)});
                }
            }
        }
        for (int k = 0; k < count; k++) {
            // The plane u . y_k = 0 with an orthonormal basis (e1, e2): maximize the 2 x 2 form of A^T A on it.
            double[] yk = y[others[k]];
            double[] e1 = unit(cross(yk, Math.abs(yk[0]) < 0.9 * Math.sqrt(dot(yk, yk)) ? new double[] {1, 0, 0}
                    : new double[] {0, 1, 0}));
            double[] e2 = unit(cross(yk, e1));
            double p11 = quadratic(ata, e1, e1);
            double p12 = quadratic(ata, e1, e2);
            double p22 = quadratic(ata, e2, e2);
            double phi = 0.5 * Math.atan2(2 * p12, p11 - p22);
            for (double angle : new double[] {phi, phi + Math.PI / 2}) {
                double[] u = new double[3];
                for (int t = 0; t < 3; t++) {
                    u[t] = Math.cos(angle) * e1[t] + Math.sin(angle) * e2[t];
                }
                addBothSigns(out, u);
            }
            for (int l = k + 1; l < count; l++) {
                double[] v = cross(yk, y[others[l]]);
                if (dot(v, v) > 1e-24) {
                    addBothSigns(out, unit(v));
                }
            }
        }
        return out;
    }

    private static boolean inCone(double[] u, double[][] y, int[] others, int count, int mask) {
        for (int k = 0; k < count; k++) {
            double[] yk = y[others[k]];
            double z = dot(u, yk) / Math.sqrt(dot(yk, yk));
            boolean active = (mask >>> k & 1) != 0;
            if (active ? z < -IN_CONE : z > IN_CONE) {
                return false;
            }
        }
        return true;
    }

    private static void addBothSigns(java.util.List<double[]> out, double[] u) {
        out.add(u);
        out.add(new double[] {-u[0], -u[1], -u[2]});
    }

    private static double norm(DMatrixRMaj a, double[] u) {
        double s = 0;
        for (int i = 0; i < a.numRows; i++) {
            double v = a.get(i, 0) * u[0] + a.get(i, 1) * u[1] + a.get(i, 2) * u[2];
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static double quadratic(DMatrixRMaj q, double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 3; t++) {
                s += a[i] * q.get(i, t) * b[t];
            }
        }
        return s;
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] unit(double[] v) {
        double s = Math.sqrt(dot(v, v));
        return new double[] {v[0] / s, v[1] / s, v[2] / s};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
