package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.exact.LambdaMax;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * T6: for lambda >= lambda_max the optimum is the affine least-squares fit with zero neurons, and every
 * gradient solver (after finishing) must return exactly that: zero active neurons and the affine fit's
 * objective. The affine fit is computed here by the normal equations.
 *
 * <p>d = 1: lambda_max exactly ({@link LambdaMax}, T6). d = 2: no exact lambda_max is at hand, so lambda is
 * taken above a bound that cannot be wrong: for a residual r orthogonal to the affine functions, every
 * {@code sum_n r_n relu(w . x_n - b)} with {@code ||w|| = 1} is zero when the hyperplane misses the data and
 * at most {@code ||r||_1 * diam(X)} otherwise ({@code 0 <= relu(w.x_n - b) <= w.(x_n - x_m) <= diam} for a
 * sample x_m on the inactive side), so {@code S(r) <= ||r||_1 diam(X)} (T8). The test checks that this bound is
 * above a sampled estimate of S, as it must be.
 */
class AboveLambdaMaxTest {

    @ParameterizedTest(name = "{0} d={1} N={2} factor={3}")
    @CsvSource({
            "PROX,1,40,1.05", "LBFGS,1,40,1.05", "ADAM,1,40,1.05",
            "PROX,1,300,3", "LBFGS,1,300,3", "ADAM,1,300,3",
            "PROX,2,300,1.05", "LBFGS,2,300,1.05", "ADAM,2,300,1.05", "LBFGS,3,300,1.05",
            "LBFGS,2,2000,1.05", "CONVEX,1,40,1.05", "CONVEX,2,300,1.05", "CONVEX,3,300,1.05"})
    void atOrAboveLambdaMaxEverySolverReturnsTheAffineFitWithZeroNeurons(SolverType solver, int d, int n, double factor) {
        SplittableRandom random = new SplittableRandom(17 + n + d);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            double f = 0.5;
            for (int j = 0; j < d; j++) {
                double v = 4 * random.nextDouble() - 2;
                x.set(i, j, v);
                f += Math.sin(2 * v) + 0.3 * v;
            }
            y.set(i, 0, f + 0.1 * RandomNetworks.gaussian(random));
        }
        FitProblem problem = new FitProblem(x, y);
        double[] residual = affineResidual(x, y);
        double lambdaMax;
        if (d == 1) {
            lambdaMax = LambdaMax.lambdaMax(x.data, y.data);
        } else {
            lambdaMax = l1(residual) * diameter(x);
            assertThat(lambdaMax).isGreaterThanOrEqualTo(sampledS(x, residual, random));
        }
        double lambda = factor * lambdaMax;
        FitOutcome out = SparseFit.fit(problem, FitSettings.defaults(lambda).withSolver(solver).withSeed(3),
                ProgressListener.NONE, CancellationToken.NEVER);

        assertThat(out.diagnostics().activeNeurons()).isZero();
        assertThat(out.shallow().width()).isZero();
        double affineObjective = 0.5 * dot(residual, residual);
        assertThat(out.diagnostics().objective()).isCloseTo(affineObjective,
                org.assertj.core.data.Offset.offset(1e-9 * affineObjective));
    }

    /** {@code y - [1 X] beta} with beta from the normal equations. */
    static double[] affineResidual(DMatrixRMaj x, DMatrixRMaj y) {
        int n = x.numRows;
        int d = x.numCols;
        DMatrixRMaj a = new DMatrixRMaj(n, d + 1);
        for (int i = 0; i < n; i++) {
            a.set(i, 0, 1.0);
            for (int j = 0; j < d; j++) {
                a.set(i, j + 1, x.get(i, j));
            }
        }
        DMatrixRMaj ata = new DMatrixRMaj(d + 1, d + 1);
        DMatrixRMaj aty = new DMatrixRMaj(d + 1, 1);
        CommonOps_DDRM.multTransA(a, a, ata);
        CommonOps_DDRM.multTransA(a, y, aty);
        DMatrixRMaj beta = new DMatrixRMaj(d + 1, 1);
        assertThat(CommonOps_DDRM.solve(ata, aty, beta)).isTrue();
        DMatrixRMaj fit = new DMatrixRMaj(n, 1);
        CommonOps_DDRM.mult(a, beta, fit);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = y.get(i, 0) - fit.get(i, 0);
        }
        return r;
    }

    /** S(r) estimated from 2000 random unit directions with b at every data point: a lower bound. */
    static double sampledS(DMatrixRMaj x, double[] r, SplittableRandom random) {
        int n = x.numRows;
        int d = x.numCols;
        double best = 0;
        Integer[] order = new Integer[n];
        double[] z = new double[n];
        for (int s = 0; s < 2000; s++) {
            double[] w = new double[d];
            double norm = 0;
            for (int j = 0; j < d; j++) {
                w[j] = RandomNetworks.gaussian(random);
                norm += w[j] * w[j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                z[i] = 0;
                for (int j = 0; j < d; j++) {
                    z[i] += w[j] / norm * x.get(i, j);
                }
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(z[b], z[a]));   // descending
            // sum over z_i > z_m of r_i (z_i - z_m) = sum r_i z_i - z_m sum r_i over the samples before m
            double sumR = 0;
            double sumRz = 0;
            for (int q = 0; q < n; q++) {
                int m = order[q];
                best = Math.max(best, Math.abs(sumRz - z[m] * sumR));
                sumR += r[m];
                sumRz += r[m] * z[m];
            }
        }
        return best;
    }

    static double diameter(DMatrixRMaj x) {
        double best = 0;
        for (int i = 0; i < x.numRows; i++) {
            for (int k = i + 1; k < x.numRows; k++) {
                double s = 0;
                for (int j = 0; j < x.numCols; j++) {
                    double t = x.get(i, j) - x.get(k, j);
                    s += t * t;
                }
                best = Math.max(best, s);
            }
        }
        return Math.sqrt(best);
    }

    static double l1(double[] a) {
        double s = 0;
        for (double v : a) {
            s += Math.abs(v);
        }
        return s;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
