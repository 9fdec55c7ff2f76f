package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.RepresenterBound;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Purification with several outputs (theory T7, A7, C2; {@code io.sparsefit.core.convex.RepresenterBound}): with the
 * unit directions {@code u_k} of the amplitudes fixed and their magnitudes moving along null vectors of the N m x K
 * matrix of {@code vec(P h_k u_k^T)}, an optimum of m outputs keeps at most {@code m r} atoms ({@code r = N - (d + 1)}
 * with the affine part free) and its objective.
 */
class MultiOutputPurificationTest {

    /**
     * The convex solver on random targets at a small lambda, where the optimum takes many atoms: at most
     * {@code 2 (12 - 3) = 18} (without purification these fits ended with 31 to 34 atoms for squared loss and 22 for
     * Huber, so the count fails without it), and J recomputed from the network's predictions and weights
     * ({@link IndependentDual}) is at most the restricted optimum's J that purification started from (the last logged
     * point: nothing changes the atoms after it). Not equal: the restricted group lasso over that many dependent atoms
     * stops short of its optimum, and the null-vector step then also lowers the penalty (measured: 2e-5 and 3e-5
     * relative lower for the two squared-loss fits).
     */
    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"squared,2", "squared,4", "huber,3"})
    void theConvexSolversOptimumHasAtMostTheMultiOutputBound(String loss, int seed) {
        int n = 12;
        int d = 2;
        int m = 2;
        Random rnd = new Random(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = rnd.nextGaussian();
        }
        DMatrixRMaj y = new DMatrixRMaj(n, m);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = rnd.nextGaussian();
        }
        FitProblem p = new FitProblem(x, y);
        if (loss.equals("huber")) {
            p = p.withLoss(new HuberLoss(0.5));
        }
        double lambda = 1e-3 * DiagnosticsCalculator.lambdaMax(p, 1, () -> false);
        SolverResult r = new ColumnGeneration().solve(p, FitSettings.defaults(lambda).withSolver(SolverType.CONVEX)
                .withTol(1e-10), ProgressListener.NONE, CancellationToken.NEVER);
        ShallowNetwork net = r.network().oneLayer();
        assertThat(net.width()).as("atoms").isLessThanOrEqualTo(m * (n - (d + 1)));
        List<LossPoint> curve = r.lossCurve();
        double before = curve.get(curve.size() - 1).objective();
        assertThat(IndependentDual.objective(net, p, lambda)).as("J after purification").isLessThanOrEqualTo(before * (1 + 1e-12));
    }

    /**
     * An exact optimum built by hand, so that purification must keep J: features {@code h_k} (N = 8, no unpenalized
     * part, r = 8) scaled so that {@code ||Q^T h_k|| = 1} for a random dual point Q, amplitudes
     * {@code a_k = s_k Q^T h_k} with random magnitudes {@code s_k > 0}, targets {@code Y = H A + lambda Q}: then
     * {@code -grad} of the data fit is {@code lambda Q} and every atom meets the group lasso's optimality condition
     * {@code H_k^T (Y - H A) = lambda a_k / ||a_k||} exactly. K = 50 atoms; J recomputed from H, A and Y before and after.
     * With m = 3 the matrix's rank is {@code m r = 24}; with m = 6 the amplitudes' alignment with Q caps it at
     * {@code r (r + 1) / 2 = 36 < m r = 48} (the bound independent of m): exact alignment reaches it.
     */
    @ParameterizedTest(name = "m = {0}")
    @CsvSource({"3,24", "6,36"})
    void aHandBuiltOptimumKeepsItsObjective(int m, int bound) {
        int n = 8;
        int k = 50;
        double lambda = 0.3;
        Random rnd = new Random(5 + m);
        double[] q = new double[n * m];
        for (int i = 0; i < q.length; i++) {
            q[i] = rnd.nextGaussian();
        }
        double[] h = new double[n * k];   // column j at [j n, (j + 1) n)
        double[] a = new double[k * m];
        for (int j = 0; j < k; j++) {
            double[] qh = new double[m];
            for (int i = 0; i < n; i++) {
                h[j * n + i] = Math.max(0, rnd.nextGaussian());   // ReLU-like: non-negative, some zeros
            }
            double norm = 0;
            for (int o = 0; o < m; o++) {
                for (int i = 0; i < n; i++) {
                    qh[o] += q[i * m + o] * h[j * n + i];
                }
                norm += qh[o] * qh[o];
            }
            norm = Math.sqrt(norm);
            double s = 0.1 + rnd.nextDouble();
            for (int i = 0; i < n; i++) {
                h[j * n + i] /= norm;
            }
            for (int o = 0; o < m; o++) {
                a[j * m + o] = s * qh[o] / norm;
            }
        }
        double[] y = fitted(h, a, n, m, k);
        for (int i = 0; i < y.length; i++) {
            y[i] += lambda * q[i];
        }
        Hand atoms = new Hand(h, a, n, m, k);
        double before = atoms.objective(y, lambda);
        Purification.reduce(atoms, m, false, bound, () -> false);
        assertThat(atoms.size()).as("atoms").isLessThanOrEqualTo(bound);
        assertThat(atoms.objective(y, lambda)).as("J").isCloseTo(before, Offset.offset(1e-9 * before));
    }

    /**
     * Cross-entropy (the shift-invariant path): K random ReLU atoms with random amplitudes on C classes, more than the
     * bound {@code (C - 1)(N - 1)}. Purification ends within the bound, the logits move only by a common shift per row
     * (which changes no probability; checked row by row against the logits before), and the path norm and J (recomputed
     * by {@link ActiveAtoms#objective}) do not rise. A stop that is already set leaves the atoms as they are.
     */
    @ParameterizedTest(name = "N = {0}, C = {1}, K = {2}")
    @CsvSource({"12,2,30", "12,3,40", "10,4,60"})
    void crossEntropyReducesToItsBoundUpToAShiftOfTheLogits(int n, int c, int k) {
        Random rnd = new Random(31L * n + c);
        int d = 2;
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = rnd.nextGaussian();
        }
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            y.data[i] = i % c;
        }
        FitProblem p = new FitProblem(x, y).withLoss(Loss.of("cross_entropy", 0.5, c));
        double lambda = 0.01;
        ActiveAtoms atoms = new ActiveAtoms(p, AffineProjection.of(x, false));
        atoms.fitAffine(lambda);
        for (int j = 0; j < k; j++) {
            double[] u = {rnd.nextGaussian(), rnd.nextGaussian()};
            double norm = Math.hypot(u[0], u[1]);
            atoms.add(new double[] {u[0] / norm, u[1] / norm}, 0.5 * rnd.nextGaussian());
        }
        double[] a = new double[atoms.size() * c];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
        }
        atoms.setAmplitudes(a);
        int bound = RepresenterBound.of(p);
        assertThat(bound).isEqualTo((c - 1) * (n - 1));
        int before = atoms.size();
        assertThat(Purification.reduce(atoms, c, true, bound, () -> true)).as("stopped").isFalse();
        assertThat(atoms.size()).as("a stop already set").isEqualTo(before);

        DMatrixRMaj logits = atoms.outputs();
        DMatrixRMaj dual = new DMatrixRMaj(n, c);
        atoms.dualPoint(dual);
        double j0 = atoms.objective(lambda, dual);
        double path0 = atoms.pathNorm();
        assertThat(Purification.reduce(atoms, c, true, bound, () -> false)).as("ended by itself").isTrue();
        assertThat(before).isGreaterThan(bound);
        assertThat(atoms.size()).as("atoms").isLessThanOrEqualTo(bound);
        DMatrixRMaj after = atoms.outputs();
        for (int i = 0; i < n; i++) {
            double shift = after.get(i, 0) - logits.get(i, 0);
            for (int o = 1; o < c; o++) {
                assertThat(after.get(i, o) - logits.get(i, o)).as("row %d, class %d", i, o)
                        .isCloseTo(shift, Offset.offset(1e-9));
            }
        }
        atoms.dualPoint(dual);
        assertThat(atoms.pathNorm()).as("path norm").isLessThanOrEqualTo(path0 * (1 + 1e-12));
        assertThat(atoms.objective(lambda, dual)).as("J").isLessThanOrEqualTo(j0 * (1 + 1e-12));
    }

    /** {@code H A} (N x m row-major) of the first k columns. */
    private static double[] fitted(double[] h, double[] a, int n, int m, int k) {
        double[] f = new double[n * m];
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < n; i++) {
                for (int o = 0; o < m; o++) {
                    f[i * m + o] += h[j * n + i] * a[j * m + o];
                }
            }
        }
        return f;
    }

    /** Atoms with fixed features (nothing unpenalized: {@code P = I}). */
    private static final class Hand implements Purification.Atoms {
        private double[] h;
        private double[] a;
        private final int n;
        private final int m;
        private int k;

        Hand(double[] h, double[] a, int n, int m, int k) {
            this.h = h.clone();
            this.a = a.clone();
            this.n = n;
            this.m = m;
            this.k = k;
        }

        /** {@code 1/2 ||Y - H A||^2 + lambda sum_k ||a_k||}, from scratch. */
        double objective(double[] y, double lambda) {
            double[] f = fitted(h, a, n, m, k);
            double fit = 0;
            for (int i = 0; i < y.length; i++) {
                fit += 0.5 * (y[i] - f[i]) * (y[i] - f[i]);
            }
            double path = 0;
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int o = 0; o < m; o++) {
                    s += a[j * m + o] * a[j * m + o];
                }
                path += Math.sqrt(s);
            }
            return fit + lambda * path;
        }

        @Override
        public int size() {
            return k;
        }

        @Override
        public DMatrixRMaj projectedFeatures() {
            DMatrixRMaj f = new DMatrixRMaj(n, k);
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < n; i++) {
                    f.set(i, j, h[j * n + i]);
                }
            }
            return f;
        }

        @Override
        public double[] amplitudes() {
            return a;
        }

        @Override
        public void setAmplitudes(double[] next) {
            System.arraycopy(next, 0, a, 0, k * m);
        }

        @Override
        public void dropZeros() {
            int kept = 0;
            for (int j = 0; j < k; j++) {
                boolean zero = true;
                for (int o = 0; o < m; o++) {
                    zero &= a[j * m + o] == 0;
                }
                if (!zero) {
                    System.arraycopy(h, j * n, h, kept * n, n);
                    System.arraycopy(a, j * m, a, kept * m, m);
                    kept++;
                }
            }
            k = kept;
        }
    }
}
