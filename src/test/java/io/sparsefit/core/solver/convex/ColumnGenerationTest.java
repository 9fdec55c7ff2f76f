package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.finish.ExactDualNorm2D;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The width-free convex solver (theory C2, T1, T6, T7, T8) against independent computations: the exact 1-D
 * solver (C1), and in two inputs a duality gap computed here from scratch (objective from the network,
 * residual projected by a QR least-squares fit, S by the O(N^3) arc enumeration), which bounds the
 * distance to the true optimum whatever the solver did.
 */
class ColumnGenerationTest {

    static FitProblem planted(int n, int d, int m, long seed, double noise) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed);
        ShallowNetwork teacher = RandomNetworks.network(d, m, 3, true, seed + 1);
        DMatrixRMaj y = teacher.predict(x, null);
        DMatrixRMaj e = RandomNetworks.matrix(n, m, seed + 2);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] += noise * e.data[i];
        }
        return new FitProblem(x, y);
    }

    static FitOutcome fit(FitProblem p, SolverType solver, double lambda, long seed) {
        FitSettings s = FitSettings.defaults(lambda).withSolver(solver).withSeed(seed);
        return SparseFit.fit(p, s, ProgressListener.NONE, CancellationToken.NEVER);
    }

    /** {@code 1/2 ||f(X) - Y||^2 + lambda sum ||v|| ||w||}, straight from the network. */
    static double objective(ShallowNetwork net, FitProblem p, double lambda) {
        DMatrixRMaj pred = net.predict(p.x(), null);
        double fit = 0;
        for (int i = 0; i < pred.data.length; i++) {
            double r = pred.data[i] - p.y().data[i];
            fit += r * r;
        }
        double path = 0;
        for (int k = 0; k < net.width(); k++) {
            path += net.inputNorm(k) * net.outputNorm(k);
        }
        return 0.5 * fit + lambda * path;
    }

    /** Independent T8 gap: residual off [1, X] by QR least squares, S by arc enumeration (d = 2). */
    static double independentGap(ShallowNetwork net, FitProblem p, double lambda) {
        DMatrixRMaj r = p.y().copy();
        CommonOps_DDRM.subtractEquals(r, net.predict(p.x(), null));
        int n = p.rows();
        int d = p.inputDim();
        DMatrixRMaj a = new DMatrixRMaj(n, d + 1);
        for (int i = 0; i < n; i++) {
            a.set(i, 0, 1.0);
            for (int j = 0; j < d; j++) {
                a.set(i, 1 + j, p.x().get(i, j));
            }
        }
        LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(n, d + 1);
        assertThat(qr.setA(a.copy())).isTrue();
        DMatrixRMaj coef = new DMatrixRMaj(d + 1, r.numCols);
        qr.solve(r.copy(), coef);
        DMatrixRMaj fitted = new DMatrixRMaj(n, r.numCols);
        CommonOps_DDRM.mult(a, coef, fitted);
        CommonOps_DDRM.subtractEquals(r, fitted);
        double s = ExactDualNorm2D.supremum(p.x(), r);
        double scale = s > lambda ? lambda / s : 1.0;
        double dual = 0;
        for (int i = 0; i < r.data.length; i++) {
            double t = scale * r.data[i];
            dual += t * p.y().data[i] - 0.5 * t * t;
        }
        return objective(net, p, lambda) - dual;
    }

    @ParameterizedTest(name = "N={0}, m={1}, lambda={2} x N, seed={3}")
    @CsvSource({"12, 1, 0.01, 1", "20, 1, 0.003, 2", "30, 1, 0.02, 3", "40, 1, 0.001, 5", "200, 1, 0.01, 7"})
    void twoInputsReachTheCertifiedOptimum(int n, int m, double fraction, long seed) {
        FitProblem p = planted(n, 2, m, seed, 0.1);
        double lambda = fraction * n;
        FitOutcome out = fit(p, SolverType.CONVEX, lambda, seed);
        double j = objective(out.shallow(), p, lambda);
        // Independent certificate: the network is within 1e-8 (relative) of the global optimum.
        assertThat(independentGap(out.shallow(), p, lambda)).isLessThanOrEqualTo(1e-8 * Math.max(1, j));
        // The service's own certificate is exact in 2-D and agrees.
        assertThat(out.diagnostics().certificate().exact()).isTrue();
        assertThat(out.diagnostics().certificate().gap()).isLessThanOrEqualTo(1e-8 * Math.max(1, j));
        assertThat(out.diagnostics().objective()).isCloseTo(j, org.assertj.core.data.Offset.offset(1e-10 * j));
        // T7: at most N - (d + 1) neurons (purification); balanced (A4).
        assertThat(out.diagnostics().activeNeurons()).isLessThanOrEqualTo(n - 3);
        assertThat(out.diagnostics().balanceError()).isLessThanOrEqualTo(1e-6);
        assertThat(out.diagnostics().stopReason()).isEqualTo(StopReason.CONVERGED);
    }

    @ParameterizedTest(name = "N={0}, lambda={1} x N, seed={2}")
    @CsvSource({"15, 0.01, 11", "40, 0.003, 12", "80, 0.02, 13"})
    void oneInputMatchesTheExactSolver(int n, double fraction, long seed) {
        FitProblem p = planted(n, 1, 1, seed, 0.2);
        double lambda = fraction * n;
        double convex = fit(p, SolverType.CONVEX, lambda, seed).diagnostics().objective();
        double exact = fit(p, SolverType.EXACT, lambda, seed).diagnostics().objective();
        assertThat(convex).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-8 * Math.max(1, exact)));
    }

    @Test
    void noSolverEndsBelowTheConvexOptimum() {
        // T1 on small two-input problems: every solver's objective is at least the certified optimum.
        for (long seed = 21; seed <= 23; seed++) {
            FitProblem p = planted(25, 2, 1, seed, 0.1);
            double lambda = 0.01 * 25;
            FitOutcome convex = fit(p, SolverType.CONVEX, lambda, seed);
            double optimum = convex.diagnostics().objective() - convex.diagnostics().certificate().gap();
            for (SolverType s : List.of(SolverType.LBFGS, SolverType.PROX, SolverType.ADAM)) {
                FitSettings settings = FitSettings.defaults(lambda).withSolver(s).withSeed(seed).withMaxIter(3000);
                double j = SparseFit.fit(p, settings, ProgressListener.NONE, CancellationToken.NEVER).diagnostics().objective();
                assertThat(j).as("%s, seed %d", s, seed).isGreaterThanOrEqualTo(optimum - 1e-9 * Math.max(1, optimum));
            }
        }
    }

    @Test
    void atOrAboveLambdaMaxTheAnswerIsTheAffineFit() {
        FitProblem p = planted(30, 2, 1, 31, 0.1);
        FitOutcome below = fit(p, SolverType.CONVEX, 0.01, 31);
        ColumnGeneration solver = new ColumnGeneration();
        solver.solve(p, FitSettings.defaults(0.01).withSolver(SolverType.CONVEX), ProgressListener.NONE, CancellationToken.NEVER);
        double lambdaMax = solver.lambdaMax();
        assertThat(lambdaMax).isPositive();
        assertThat(below.diagnostics().activeNeurons()).isPositive();
        for (double factor : new double[] {1.0, 1.5, 10.0}) {
            FitOutcome out = fit(p, SolverType.CONVEX, factor * lambdaMax, 31);
            assertThat(out.diagnostics().activeNeurons()).isZero();
            assertThat(out.diagnostics().certificate().gap()).isLessThanOrEqualTo(1e-9 * out.diagnostics().objective());
        }
        // Just below lambda_max the affine fit is no longer optimal: a neuron enters.
        assertThat(fit(p, SolverType.CONVEX, 0.98 * lambdaMax, 31).diagnostics().activeNeurons()).isPositive();
    }

    @Test
    void threeInputsGiveSmallProvenGapsBelowLbfgs() {
        // The solver's own pricing is sampled in d = 3; the final certificate enumerates the arrangement (N <= 60).
        FitProblem p = planted(60, 3, 1, 41, 0.1);
        double lambda = 0.005 * 60;
        FitOutcome convex = fit(p, SolverType.CONVEX, lambda, 41);
        FitOutcome lbfgs = fit(p, SolverType.LBFGS, lambda, 41);
        assertThat(convex.diagnostics().certificate().exact()).isTrue();
        assertThat(convex.diagnostics().certificate().gap()).isLessThanOrEqualTo(1e-7 * convex.diagnostics().objective());
        // A width-free solver is not above a width-64 network.
        assertThat(convex.diagnostics().objective()).isLessThanOrEqualTo(lbfgs.diagnostics().objective() * (1 + 1e-9));
    }

    @Test
    void severalOutputsShareNeuronsAndBeatAWidth64Network() {
        // Vector amplitudes (A7): no exact restricted solve and no merging, so the gap closes more slowly; the
        // round cap bounds the time. Still below lbfgs, with a small gap.
        FitProblem p = planted(20, 2, 2, 42, 0.1);
        double lambda = 0.02 * 20;
        FitOutcome convex = fit(p, SolverType.CONVEX, lambda, 42);
        FitOutcome lbfgs = fit(p, SolverType.LBFGS, lambda, 42);
        assertThat(convex.diagnostics().certificate().exact()).isTrue();
        assertThat(convex.diagnostics().certificate().gap()).isLessThanOrEqualTo(1e-3 * convex.diagnostics().objective());
        assertThat(convex.diagnostics().objective()).isLessThanOrEqualTo(lbfgs.diagnostics().objective() * (1 + 1e-9));
        assertThat(convex.diagnostics().sharedNeurons()).isPositive().isLessThanOrEqualTo(convex.diagnostics().activeNeurons());
    }

    @Test
    void fitsAreBitIdenticalForTheSameSeed() {
        FitProblem p = planted(40, 3, 1, 51, 0.1);
        ShallowNetwork a = fit(p, SolverType.CONVEX, 0.2, 7).shallow();
        ShallowNetwork b = fit(p, SolverType.CONVEX, 0.2, 7).shallow();
        double[] ta = new double[a.parameterCount()];
        double[] tb = new double[b.parameterCount()];
        a.getParameters(ta);
        b.getParameters(tb);
        assertThat(tb).containsExactly(ta);
    }

    @Test
    void cancellationStopsTheFit() {
        FitProblem p = planted(200, 3, 1, 61, 0.3);
        int[] calls = {0};
        CancellationToken token = () -> calls[0]++ > 2;
        FitOutcome out = SparseFit.fit(p, FitSettings.defaults(0.001).withSolver(SolverType.CONVEX), ProgressListener.NONE, token);
        assertThat(out.diagnostics().stopReason()).isEqualTo(StopReason.CANCELLED);
    }

    @Test
    void progressReportsADecreasingObjective() {
        FitProblem p = planted(50, 2, 1, 71, 0.1);
        List<Double> objectives = new ArrayList<>();
        ProgressListener listener = (it, objective, dataFit, penalty) -> objectives.add(objective);
        SparseFit.fit(p, FitSettings.defaults(0.2).withSolver(SolverType.CONVEX), listener, CancellationToken.NEVER);
        assertThat(objectives.size()).isGreaterThan(2);
        for (int i = 1; i < objectives.size(); i++) {
            assertThat(objectives.get(i)).isLessThanOrEqualTo(objectives.get(i - 1) * (1 + 1e-12));
        }
    }

    /** The gaps reported live close to the tolerance, and the last one is an upper bound the certificate agrees with. */
    @Test
    void progressReportsTheGapClosing() {
        FitProblem p = planted(60, 2, 1, 72, 0.1);
        double lambda = 0.3;
        List<Double> gaps = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onProgress(int iteration, double objective, double dataFit, double penalty) {
            }

            @Override
            public void onGap(int iteration, double gap) {
                gaps.add(gap);
            }
        };
        FitOutcome out = SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(SolverType.CONVEX), listener, CancellationToken.NEVER);
        assertThat(gaps.size()).isGreaterThan(1);
        assertThat(gaps.get(0)).isGreaterThan(gaps.get(gaps.size() - 1));
        double j = out.diagnostics().objective();
        // The last gap was measured on the network before purification and finishing, which keep the objective (C2, A4).
        assertThat(gaps.get(gaps.size() - 1)).isLessThanOrEqualTo(FitSettings.defaults(lambda).tol() * Math.max(1, j));
        assertThat(independentGap(out.shallow(), p, lambda)).isLessThanOrEqualTo(1e-8 * Math.max(1, j));
    }

    @Test
    void convexRefusesProblemsItDoesNotSolve() {
        FitProblem p = planted(20, 2, 1, 81, 0.1);
        ColumnGeneration solver = new ColumnGeneration();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> solver.solve(p,
                FitSettings.defaults(0.1).withRegularization(Regularization.NONE), ProgressListener.NONE, CancellationToken.NEVER))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> solver.solve(p,
                FitSettings.defaults(0.1).withSkip(false), ProgressListener.NONE, CancellationToken.NEVER))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
