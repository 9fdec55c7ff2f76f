package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The convex polish of theory C3 against an independent solution of the same group lasso (cyclic block
 * coordinate descent written here, with the affine part as an exactly solved unpenalized block), and the
 * KKT conditions of that problem checked directly on the polished network.
 */
class PolishTest {

    /** Relative agreement of the two optima; the BCD below runs until its objective stalls at rounding. */
    private static final double OBJECTIVE_TOLERANCE = 1e-9;

    @ParameterizedTest
    @CsvSource({"1,1,true", "2,1,true", "3,1,false", "1,2,true", "2,3,false"})
    void polishedObjectiveIsNoHigherAndMatchesAnIndependentSolution(int d, int m, boolean skip) {
        for (long seed = 1; seed <= 3; seed++) {
            int n = 40;
            ShallowNetwork net = RandomNetworks.network(d, m, 6, skip, seed);
            FitProblem problem = noisyProblem(net, n, seed);
            double lambda = 0.3 + seed * 0.2;

            Polish.Result result = Polish.polish(net, problem, lambda, () -> false);
            double before = Polish.objective(net, problem, lambda);
            double after = Polish.objective(result.network(), problem, lambda);
            double reference = BlockCoordinateDescent.optimum(net, problem, lambda);

            assertThat(after).isLessThanOrEqualTo(before);
            assertThat(result.objective()).isEqualTo(after);
            assertThat(result.converged()).isTrue();
            assertThat(Math.abs(after - reference)).isLessThanOrEqualTo(OBJECTIVE_TOLERANCE * reference);
        }
    }

    @Test
    void polishedSingleOutputSatisfiesTheGroupLassoKktConditions() {
        for (long seed = 1; seed <= 4; seed++) {
            ShallowNetwork net = RandomNetworks.network(2, 1, 8, true, seed);
            FitProblem problem = noisyProblem(net, 30, seed);
            double lambda = 0.5;
            ShallowNetwork polished = Polish.polish(net, problem, lambda, () -> false).network();
            double[] residual = residual(polished, problem);
            double tolerance = 1e-7 * lambda;

            // The affine part is unpenalized: the residual is orthogonal to 1 and to every input column.
            double[] x = problem.x().data;
            for (int column = -1; column < 2; column++) {
                double s = 0;
                for (int r = 0; r < residual.length; r++) {
                    s += residual[r] * (column < 0 ? 1.0 : x[r * 2 + column]);
                }
                assertThat(Math.abs(s)).isLessThanOrEqualTo(1e-9);
            }
            // Every input hyperplane: |h_k . r| <= lambda, with equality and the sign of the amplitude when kept.
            for (int k = 0; k < net.width(); k++) {
                double nw = net.inputNorm(k);
                double[] u = {net.inputWeights().data[k * 2] / nw, net.inputWeights().data[k * 2 + 1] / nw};
                double c = net.bias()[k] / nw;
                double correlation = 0;
                for (int r = 0; r < residual.length; r++) {
                    correlation += residual[r] * Math.max(0.0, u[0] * x[r * 2] + u[1] * x[r * 2 + 1] - c);
                }
                double amplitude = keptAmplitude(polished, u, c);
                if (amplitude == 0) {
                    assertThat(Math.abs(correlation)).isLessThanOrEqualTo(lambda + tolerance);
                } else {
                    assertThat(correlation).isCloseTo(lambda * Math.signum(amplitude), org.assertj.core.data.Offset.offset(tolerance));
                }
            }
        }
    }

    @Test
    void oneDimensionalFinishingPutsAtMostNMinusTwoKnotsOnDataPointsAndNeverRaisesTheObjective() {
        for (long seed = 1; seed <= 4; seed++) {
            int n = 12;
            ShallowNetwork net = RandomNetworks.network(1, 1, 20, true, seed);
            FitProblem problem = noisyProblem(net, n, seed);
            double lambda = 0.05;
            ShallowNetwork spline = Finishing.splineThroughFittedValues(net, problem);
            ShallowNetwork finished = Finishing.finish(net, problem, Regularization.WEIGHT_DECAY, lambda);

            // T3: the spline through the fitted values has the same data fit and no larger TV2 (= path norm).
            assertThat(RandomNetworks.relativeDifference(net.predict(problem.x(), null), spline.predict(problem.x(), null)))
                    .isLessThanOrEqualTo(1e-12);
            assertThat(PathNorm.of(spline)).isLessThanOrEqualTo(PathNorm.of(net) * (1 + 1e-12));
            assertThat(Polish.objective(finished, problem, lambda))
                    .isLessThanOrEqualTo(Polish.objective(net, problem, lambda));
            assertThat(Rebalance.balanceError(finished)).isLessThanOrEqualTo(1e-6);
            assertThat(Knot.of(finished)).hasSizeLessThanOrEqualTo(n - 2);
            double[] x = problem.x().data;
            for (Knot knot : Knot.of(finished)) {
                assertThat(minDistance(knot.x(), x)).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(knot.x())));
            }
        }
    }

    @Test
    void finishingWithoutAPenaltyKeepsTheFunction() {
        ShallowNetwork net = RandomNetworks.network(2, 1, 5, true, 3);
        FitProblem problem = noisyProblem(net, 20, 3);
        ShallowNetwork finished = Finishing.finish(net, problem, Regularization.NONE, 0.0);
        assertThat(RandomNetworks.relativeDifference(net.predict(problem.x(), null), finished.predict(problem.x(), null)))
                .isLessThanOrEqualTo(1e-12);
    }

    /**
     * The restricted problem's two forms ({@code LossGroupLasso.restricted}): squared loss without weights takes the
     * least-squares group lasso on projected features, the same problem with every weight 1 takes proximal Newton;
     * both reach the block coordinate descent optimum, so each checks the other.
     */
    @ParameterizedTest
    @CsvSource({"1,1,true", "2,2,true", "3,1,false"})
    void unitWeightsTakeTheLossPathToTheSameOptimum(int d, int m, boolean skip) {
        ShallowNetwork net = RandomNetworks.network(d, m, 6, skip, 11);
        FitProblem problem = noisyProblem(net, 40, 11);
        double[] ones = new double[40];
        java.util.Arrays.fill(ones, 1.0);
        FitProblem weighted = problem.withSampleWeights(ones);
        double lambda = 0.4;

        double leastSquares = Polish.polish(net, problem, lambda, () -> false).objective();
        double lossPath = Polish.polish(net, weighted, lambda, () -> false).objective();
        double reference = BlockCoordinateDescent.optimum(net, problem, lambda);

        assertThat(Math.abs(leastSquares - reference)).isLessThanOrEqualTo(OBJECTIVE_TOLERANCE * reference);
        assertThat(Math.abs(lossPath - reference)).isLessThanOrEqualTo(OBJECTIVE_TOLERANCE * reference);
    }

    @Test
    void tooLargeProblemsAreNotPolished() {
        assertThat(Polish.affordable(10_000, 64)).isTrue();
        assertThat(Polish.affordable(100_000, 64)).isFalse();   // 6.4e6 feature entries
        assertThat(Polish.affordable(200, Polish.MAX_NEURONS + 1)).isFalse();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Targets: the network's own outputs plus Gaussian noise, so the fixed hyperplanes are relevant. */
    private static FitProblem noisyProblem(ShallowNetwork net, int n, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, net.inputDim(), seed + 100);
        DMatrixRMaj y = net.predict(x, null);
        SplittableRandom random = new SplittableRandom(seed + 200);
        for (int i = 0; i < y.getNumElements(); i++) {
            y.data[i] += 0.3 * RandomNetworks.gaussian(random);
        }
        return new FitProblem(x, y);
    }

    private static double[] residual(ShallowNetwork net, FitProblem problem) {
        double[] pred = net.predict(problem.x(), null).data;
        double[] y = problem.y().data;
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            r[i] = y[i] - pred[i];
        }
        return r;
    }

    /** The amplitude v ||w|| of the polished neuron on hyperplane (u, c), 0 when there is none. */
    private static double keptAmplitude(ShallowNetwork net, double[] u, double c) {
        for (int k = 0; k < net.width(); k++) {
            double nw = net.inputNorm(k);
            if (Math.abs(net.inputWeights().data[k * 2] / nw - u[0]) < 1e-12
                    && Math.abs(net.inputWeights().data[k * 2 + 1] / nw - u[1]) < 1e-12
                    && Math.abs(net.bias()[k] / nw - c) < 1e-12) {
                return net.outputWeights().data[k] * nw;
            }
        }
        return 0;
    }

    private static double minDistance(double t, double[] x) {
        double best = Double.POSITIVE_INFINITY;
        for (double value : x) {
            best = Math.min(best, Math.abs(value - t));
        }
        return best;
    }

    /**
     * Independent solver of the same problem: cyclic block coordinate descent over the groups
     * {@code v_k} (exact group soft-threshold update) and the affine block (exact least squares), from zero,
     * until the objective stops decreasing.
     */
    static final class BlockCoordinateDescent {

        static double optimum(ShallowNetwork net, FitProblem problem, double lambda) {
            int n = problem.rows();
            int d = problem.inputDim();
            int m = problem.outputDim();
            int width = net.width();
            double[] x = problem.x().data;
            double[][] h = new double[width][n];
            double[] hh = new double[width];
            for (int k = 0; k < width; k++) {
                double nw = net.inputNorm(k);
                for (int r = 0; r < n; r++) {
                    double z = -net.bias()[k] / nw;
                    for (int j = 0; j < d; j++) {
                        z += net.inputWeights().data[k * d + j] / nw * x[r * d + j];
                    }
                    h[k][r] = Math.max(0.0, z);
                    hh[k] += h[k][r] * h[k][r];
                }
            }
            int q = net.hasSkip() ? 1 + d : 1;
            DMatrixRMaj a = new DMatrixRMaj(n, q);
            for (int r = 0; r < n; r++) {
                a.set(r, 0, 1.0);
                for (int j = 1; j < q; j++) {
                    a.set(r, j, x[r * d + j - 1]);
                }
            }
            DMatrixRMaj ata = new DMatrixRMaj(q, q);
            CommonOps_DDRM.multTransA(a, a, ata);
            CommonOps_DDRM.invert(ata);
            double[][] v = new double[width][m];
            DMatrixRMaj beta = new DMatrixRMaj(q, m);
            DMatrixRMaj residual = problem.y().copy();   // y - H V - A beta, kept current
            double previous = Double.POSITIVE_INFINITY;
            for (int sweep = 0; sweep < 200_000; sweep++) {
                // Affine block: beta += (A'A)^{-1} A' residual.
                DMatrixRMaj atr = new DMatrixRMaj(q, m);
                CommonOps_DDRM.multTransA(a, residual, atr);
                DMatrixRMaj step = new DMatrixRMaj(q, m);
                CommonOps_DDRM.mult(ata, atr, step);
                CommonOps_DDRM.addEquals(beta, step);
                DMatrixRMaj change = new DMatrixRMaj(n, m);
                CommonOps_DDRM.mult(a, step, change);
                CommonOps_DDRM.subtractEquals(residual, change);
                // Groups: v_k = shrink(h_k' (residual + h_k v_k)) / ||h_k||^2.
                for (int k = 0; k < width; k++) {
                    if (hh[k] == 0) {
                        continue;
                    }
                    double[] z = new double[m];
                    for (int r = 0; r < n; r++) {
                        for (int i = 0; i < m; i++) {
                            residual.data[r * m + i] += h[k][r] * v[k][i];
                        }
                    }
                    for (int r = 0; r < n; r++) {
                        for (int i = 0; i < m; i++) {
                            z[i] += h[k][r] * residual.data[r * m + i];
                        }
                    }
                    double norm = 0;
                    for (double value : z) {
                        norm += value * value;
                    }
                    norm = Math.sqrt(norm);
                    double shrink = norm > lambda ? (1 - lambda / norm) / hh[k] : 0.0;
                    for (int i = 0; i < m; i++) {
                        v[k][i] = shrink * z[i];
                    }
                    for (int r = 0; r < n; r++) {
                        for (int i = 0; i < m; i++) {
                            residual.data[r * m + i] -= h[k][r] * v[k][i];
                        }
                    }
                }
                double objective = 0;
                for (double value : residual.data) {
                    objective += 0.5 * value * value;
                }
                for (int k = 0; k < width; k++) {
                    double norm = 0;
                    for (double value : v[k]) {
                        norm += value * value;
                    }
                    objective += lambda * Math.sqrt(norm);
                }
                if (previous - objective <= 1e-15 * objective) {
                    return objective;
                }
                previous = objective;
            }
            return previous;
        }
    }
}
