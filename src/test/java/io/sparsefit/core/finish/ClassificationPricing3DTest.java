package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.convex.PricedDualPoint;
import io.sparsefit.core.convex.ProvenDualNorm;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.mult.VectorVectorMult_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * The certificate's production pricing for the classification losses in three inputs (theory T8, A2b: the dual point
 * is orthogonal to the constants only, so directions over the whole sphere count and {@code relu(-u . x + c)} is not
 * the mirror image of {@code relu(u . x - c)}): on small random problems (N = 20-36, logistic and three-class
 * cross-entropy), for a gradient fit at width 8, the cold {@code convex} fit and the network without neurons, the dual norm
 * {@code S(g) = sup_{||w||=1, b} ||sum_n g_n relu(w . x_n - b)||} of the certificate's own dual point is computed
 * here by brute force ({@link #bruteDualNorm}), independently of the production code. Checked: the pricing's value
 * (an atom's) is at most S, and equal to it where the pricing says it is exact; the proof's bracket
 * ({@link ProvenDualNorm#of}) contains S and, where the certificate says exact, is within its relative tolerance of it;
 * the certificate's gap is at least {@code -1e-9 J}; the pricing finds S to {@link #PRICED_FRACTION} (it searches
 * x and -x, {@code Pricing#best} with constantsOnly); the cold {@code convex} fit's gap, with the enumerated S, is
 * at most {@link #CONVEX_GAP} of J. The proof ({@link io.sparsefit.core.convex.OffsetCellBound} over the whole sphere)
 * proves S on every case with one output (to the tolerance of {@code ProvenDualNorm#tolerance}: at a fit at its optimum,
 * 1e-5 of max(1, J)); every proven gap is at least the true gap of its dual point
 * (the one computed with the enumerated S) and within the tolerance's slack of it. Measured: before the search over -x the pricing was up to
 * 7 % below S on the gradient fits and the convex fits' true gap was 2e-3 to 1.3e-2 of J (priced at lambda, S 0.3-2 %
 * above it); with it, the pricing is at least 0.998 S on every case and the convex fits' true gap 3e-4 to 1.2e-3; with
 * the local ascent's tight steps ({@link io.sparsefit.core.convex.LocalPricing}) the pricing finds S on every case and the
 * convex fits' true gap is about 7e-10 of J (before the proof's floor was raised to 1e-5 of J the one-output convex
 * fit's proof ran out of budget at 6.7e-7).
 */
class ClassificationPricing3DTest {

    /** Relative rounding allowance between two evaluations of the same atom's value. */
    private static final double ROUNDING = 1e-9;
    /** The pricing's value is at least this fraction of S on these cases (measured: 0.998 at the least). */
    private static final double PRICED_FRACTION = 0.995;
    /** The cold convex fit's true relative gap (with the enumerated S) is at most this (measured: 1.2e-3 at most). */
    private static final double CONVEX_GAP = 2e-3;

    private static FitProblem problem(int n, int classes, long seed) {
        Random rnd = new Random(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, 3);
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x.set(i, j, rnd.nextGaussian());
            }
            // labels from a nonlinear rule plus noise, so the optimum needs neurons
            double score = Math.abs(x.get(i, 0)) - 0.7 + 0.5 * x.get(i, 1) * x.get(i, 2) + 0.4 * rnd.nextGaussian();
            labels[i] = classes == 2 ? (score > 0 ? 1 : 0) : (score > 0.5 ? 2 : score > -0.5 ? 1 : 0);
        }
        Loss loss = Loss.of(classes == 2 ? "logistic" : "cross_entropy", 0, classes);
        return new FitProblem(x, new DMatrixRMaj(n, 1, true, labels)).withLoss(loss);
    }

    @Test
    void logisticPricingIsCloseBelowTheEnumeratedDualNormAndTheCertificateHoldsIt() {
        check(problem(20, 2, 1), 0.05);
        check(problem(30, 2, 2), 0.2);
        check(problem(32, 2, 3), 0.1);
    }

    @Test
    void crossEntropyPricingIsCloseBelowTheEnumeratedDualNormAndTheCertificateHoldsIt() {
        check(problem(24, 3, 4), 0.1);
        check(problem(36, 3, 5), 0.05);
    }

    /**
     * The enumeration itself: no direction among 200,000 random ones (each with its exact offset sweep) is above it,
     * and the best of them comes within 2 % of it, on a random point orthogonal to the constants with two columns.
     */
    @Test
    void theEnumerationIsTheMaximumOverDirections() {
        Random rnd = new Random(8);
        int n = 16;
        double[][] x = rows(RandomNetworks.matrix(n, 3, 8));
        double[][] g = rows(RandomNetworks.matrix(n, 2, 9));
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (double[] row : g) {
                mean += row[c] / n;
            }
            for (double[] row : g) {
                row[c] -= mean;
            }
        }
        double s = bruteDualNorm(x, g);
        double sampled = 0;
        for (int trial = 0; trial < 200_000; trial++) {
            double[] w = unit(new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()});
            sampled = Math.max(sampled, offsetSweep(x, g, w));
        }
        assertThat(sampled).isLessThanOrEqualTo(s * (1 + ROUNDING));
        assertThat(sampled).isGreaterThan(0.98 * s);
    }

    private static void check(FitProblem p, double lambda) {
        FitSettings settings = FitSettings.defaults(lambda).withWidth(8).withSolver(SolverType.LBFGS);
        ShallowNetwork fit = SparseFit.fit(p, settings, ProgressListener.NONE, CancellationToken.NEVER).shallow();
        ShallowNetwork convex = SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(SolverType.CONVEX),
                ProgressListener.NONE, CancellationToken.NEVER).shallow();
        ShallowNetwork none = new ShallowNetwork(3, p.outputDim(), 0, true);
        checkNetwork(p, lambda, fit);
        double convexGap = checkNetwork(p, lambda, convex);
        assertThat(convexGap).as("convex, N = " + p.rows()).isLessThanOrEqualTo(CONVEX_GAP);
        checkNetwork(p, lambda, none);
    }

    /** Checks the pricing and certificate of {@code net}; returns its true relative gap (with the enumerated S). */
    private static double checkNetwork(FitProblem p, double lambda, ShallowNetwork net) {
        long seed = 17;
        PricedDualPoint<ShallowNetwork> priced = DualCertificate.price(net, p, lambda, seed, () -> false);
        double s = bruteDualNorm(rows(p.x()), rows(priced.g()));
        double found = priced.found().value();
        String at = "N = " + p.rows() + ", " + p.loss().wireName() + ", width " + net.width();
        assertThat(found).as(at).isLessThanOrEqualTo(s * (1 + ROUNDING));
        assertThat(found).as(at).isGreaterThanOrEqualTo(PRICED_FRACTION * s);
        if (priced.found().exact()) {
            assertThat(found).as(at).isGreaterThanOrEqualTo(s * (1 - ROUNDING));
        }
        double relTol = ProvenDualNorm.tolerance(priced::dual, found, priced.primal());
        // The direct bracket is checked for containment only, within a tenth of the certificate's work (proving it again
        // here cost as much as the certificate below, which runs the same search to the end: review of classcert).
        ProvenDualNorm.Bracket bracket = ProvenDualNorm.of(p.x(), priced.g(), priced.found(), true, relTol,
                ProvenDualNorm.WORK_BUDGET_LOW_D / 10, () -> false);
        assertThat(bracket.lower()).as(at).isLessThanOrEqualTo(s * (1 + ROUNDING));
        assertThat(bracket.upper()).as(at).isGreaterThanOrEqualTo(s * (1 - ROUNDING));
        Certificate certificate = DualCertificate.compute(net, p, lambda, seed);
        double trueGap = priced.primal() - priced.dual(s);
        double scale = ROUNDING * Math.abs(priced.primal());
        assertThat(certificate.gapBound()).as(at).isNotNull();
        assertThat(certificate.gapBound()).as(at).isGreaterThanOrEqualTo(trueGap - scale);
        if (p.outputDim() == 1) {   // one output: proven to the tolerance within the budget (several: not always)
            assertThat(certificate.exact()).as(at).isTrue();
        }
        if (bracket.proven()) {
            assertThat(bracket.upper()).as(at).isLessThanOrEqualTo(s * (1 + relTol) * (1 + ROUNDING));
        }
        if (certificate.exact()) {
            assertThat(certificate.gap()).as(at).isLessThanOrEqualTo(trueGap + Math.max(ProvenDualNorm.GAP_SLACK
                    * Math.max(0, trueGap), ProvenDualNorm.ABSOLUTE_SLACK * Math.max(1, Math.abs(priced.primal()))) + scale);
        }
        assertThat(certificate.gap()).as(at).isGreaterThanOrEqualTo(-ROUNDING * Math.abs(priced.primal()));
        if (certificate.gapBound() != null) {
            assertThat(certificate.gapBound()).as(at).isGreaterThanOrEqualTo(certificate.gap() - ROUNDING * Math.abs(priced.primal()));
        }
        return (priced.primal() - priced.dual(s)) / Math.abs(priced.primal());
    }

    private static double[][] rows(DMatrixRMaj a) {
        double[][] out = new double[a.numRows][a.numCols];
        for (int i = 0; i < a.numRows; i++) {
            for (int j = 0; j < a.numCols; j++) {
                out[i][j] = a.get(i, j);
            }
        }
        return out;
    }

    /**
     * {@code S(g)} for points {@code x} (N x 3) and a dual point {@code g} (N x m) by enumeration. For a direction w
     * the best offset is at a data point ({@link #offsetSweep}: on each interval between sorted projections the sum is
     * affine in b, its norm convex). With the offset at {@code x_k} the value is {@code ||V^T w||},
     * {@code V = sum_{n active} (x_n - x_k) g_n^T}, on each cell of the sphere cut by the great circles
     * {@code w . (x_n - x_k) = 0}; a quadratic form's maximum on a closed cell is at a vertex (a plane through x_k and
     * two more points), on an edge (the top eigenvector of the form restricted to that circle) or inside (its top
     * eigenvector). Every cell and every edge touches a vertex (points in general position), so the patterns next to
     * every vertex (the four quadrants of its two circles, the two sides of each circle) give every candidate; each
     * candidate is valued by the exact offset sweep (an atom's value, never above S), and the largest is S.
     */
    static double bruteDualNorm(double[][] x, double[][] g) {
        int n = x.length;
        int m = g[0].length;
        double best = 0;
        double[][] e = new double[n][3];
        boolean[] active = new boolean[n];
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(3, true, true);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    e[i][c] = x[i][c] - x[k][c];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    if (i == k || j == k) {
                        continue;
                    }
                    double[] vertex = unit(cross(e[i], e[j]));
                    if (vertex == null) {
                        continue;
                    }
                    for (int sign = -1; sign <= 1; sign += 2) {
                        double[] w0 = scaled(vertex, sign);
                        best = Math.max(best, offsetSweep(x, g, w0));
                        for (int t = 0; t < n; t++) {
                            active[t] = t != k && dot(w0, e[t]) > 0;
                        }
                        for (int quadrant = 0; quadrant < 4; quadrant++) {
                            active[i] = (quadrant & 1) != 0;
                            active[j] = (quadrant & 2) != 0;
                            double[][] v = patternMatrix(e, g, active, m);
                            for (double[] w : topDirections(v, eig)) {
                                best = Math.max(best, offsetSweep(x, g, w));
                            }
                        }
                        for (int side = 0; side < 2; side++) {
                            // the arcs of circle i next to the vertex (j on either side), and of circle j
                            active[i] = false;
                            active[j] = side == 1;
                            for (double[] w : topDirectionsOnCircle(patternMatrix(e, g, active, m), e[i])) {
                                best = Math.max(best, offsetSweep(x, g, w));
                            }
                            active[i] = side == 1;
                            active[j] = false;
                            for (double[] w : topDirectionsOnCircle(patternMatrix(e, g, active, m), e[j])) {
                                best = Math.max(best, offsetSweep(x, g, w));
                            }
                        }
                    }
                }
            }
        }
        return best;
    }

    /** {@code max_b ||sum_n g_n relu(w . x_n - b)||} over the offsets at the data points (the exact maximum over b). */
    static double offsetSweep(double[][] x, double[][] g, double[] w) {
        int n = x.length;
        int m = g[0].length;
        double[] t = new double[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = dot(w, x[i]);
            int at = i;   // insertion sort, descending projections
            while (at > 0 && t[order[at - 1]] < t[i]) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = i;
        }
        double[] sumGt = new double[m];
        double[] sumG = new double[m];
        double best = 0;
        for (int idx : order) {
            double b = t[idx];
            double norm = 0;
            for (int c = 0; c < m; c++) {
                double value = sumGt[c] - b * sumG[c];   // the points above b, each g_n (t_n - b)
                norm += value * value;
            }
            best = Math.max(best, Math.sqrt(norm));
            for (int c = 0; c < m; c++) {
                sumGt[c] += g[idx][c] * t[idx];
                sumG[c] += g[idx][c];
            }
        }
        return best;
    }

    private static double[][] patternMatrix(double[][] e, double[][] g, boolean[] active, int m) {
        double[][] v = new double[3][m];
        for (int t = 0; t < e.length; t++) {
            if (active[t]) {
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < m; c++) {
                        v[r][c] += e[t][r] * g[t][c];
                    }
                }
            }
        }
        return v;
    }

    /** Both signs of the top eigenvector of {@code V V^T} (3 x 3). */
    private static List<double[]> topDirections(double[][] v, EigenDecomposition_F64<DMatrixRMaj> eig) {
        DMatrixRMaj form = gram(v);
        List<double[]> out = new ArrayList<>();
        if (!eig.decompose(form)) {
            return out;
        }
        int top = 0;
        for (int i = 1; i < 3; i++) {
            if (eig.getEigenvalue(i).real > eig.getEigenvalue(top).real) {
                top = i;
            }
        }
        double[] u = unit(eig.getEigenVector(top).data.clone());
        if (u != null) {
            out.add(u);
            out.add(scaled(u, -1));
        }
        return out;
    }

    /** Both signs of the top eigenvector of {@code V V^T} restricted to the plane orthogonal to {@code normal}. */
    private static List<double[]> topDirectionsOnCircle(double[][] v, double[] normal) {
        double[] nrm = unit(normal);
        double[] helper = Math.abs(nrm[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
        double[] p = unit(cross(nrm, helper));
        double[] q = cross(nrm, p);
        DMatrixRMaj form = gram(v);
        double a = quadratic(form, p, p);
        double b = quadratic(form, p, q);
        double c = quadratic(form, q, q);
        double angle = 0.5 * Math.atan2(2 * b, a - c);   // the maximizing angle of a cos^2 + 2 b cos sin + c sin^2
        double[] w = new double[3];
        for (int r = 0; r < 3; r++) {
            w[r] = Math.cos(angle) * p[r] + Math.sin(angle) * q[r];
        }
        return List.of(w, scaled(w, -1));
    }

    private static DMatrixRMaj gram(double[][] v) {
        DMatrixRMaj form = new DMatrixRMaj(3, 3);
        for (int r = 0; r < 3; r++) {
            for (int s = 0; s < 3; s++) {
                double sum = 0;
                for (int c = 0; c < v[0].length; c++) {
                    sum += v[r][c] * v[s][c];
                }
                form.set(r, s, sum);
            }
        }
        return form;
    }

    private static double quadratic(DMatrixRMaj form, double[] a, double[] b) {
        return VectorVectorMult_DDRM.innerProdA(DMatrixRMaj.wrap(3, 1, a), form, DMatrixRMaj.wrap(3, 1, b));
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] unit(double[] a) {
        double norm = Math.sqrt(dot(a, a));
        return norm > 1e-12 ? scaled(a, 1 / norm) : null;
    }

    private static double[] scaled(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }
}
