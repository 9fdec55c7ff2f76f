package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.solver.AdamOptions;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverCapabilities;
import io.sparsefit.core.solver.SolverType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The facade end to end: solver choice, finishing, diagnostics consistency, determinism. */
class SparseFitTest {

    private static FitProblem noisySine(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble(-2, 2);
            y[i] = Math.sin(2 * x[i]) + 0.1 * rnd.nextGaussian();
        }
        return FitProblem.of1D(x, y);
    }

    /** {@link SparseFit#resolve} for squared loss without weights or mini-batches, one hidden layer. */
    private static SolverType resolveSquared(SolverType requested, int rows, int inputDim, int outputDim,
                                             Regularization regularization, boolean skip, double lambda) {
        return SparseFit.resolve(requested, new SolverCapabilities.Demand(Loss.squared(), false, regularization, lambda,
                skip, false, inputDim, outputDim, 0), rows);
    }

    @Test
    void autoPicksExactInOneDimensionConvexForSeveralInputsAndLbfgsOtherwise() {
        Regularization wd = Regularization.WEIGHT_DECAY;
        assertThat(resolveSquared(SolverType.AUTO, 100, 1, 1, wd, true, 0.1)).isEqualTo(SolverType.EXACT);
        assertThat(resolveSquared(SolverType.AUTO, 100, 1, 1, Regularization.PATH_NORM, true, 0.1)).isEqualTo(SolverType.EXACT);
        assertThat(resolveSquared(SolverType.AUTO, 100, 1, 1, Regularization.NONE, true, 0.1)).isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.AUTO, 100, 1, 1, wd, true, 0.0)).isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.AUTO, 100, 1, 2, wd, true, 0.1)).isEqualTo(SolverType.CONVEX);
        assertThat(resolveSquared(SolverType.AUTO, SparseFit.AUTO_CONVEX_MAX_ROWS + 1, 1, 2, wd, true, 0.1))
                .isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.AUTO, 100, 3, 2, wd, true, 0.1)).isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.AUTO, 20, 3, 3, wd, true, 0.1)).isEqualTo(SolverType.CONVEX);
        assertThat(resolveSquared(SolverType.AUTO, 20, 3, 3, wd, false, 0.1)).isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.AUTO, 100, 1, 1, wd, false, 0.1)).isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.AUTO, 100, 2, 1, wd, true, 0.1)).isEqualTo(SolverType.CONVEX);
        assertThat(resolveSquared(SolverType.AUTO, 100, 3, 1, wd, true, 0.1)).isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.AUTO, 1_000, 2, 1, wd, true, 0.1)).isEqualTo(SolverType.CONVEX);   // issue 20
        assertThat(resolveSquared(SolverType.AUTO, SparseFit.AUTO_CONVEX_MAX_ROWS_2D + 1, 2, 1, wd, true, 0.1))
                .isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.AUTO, 100, SparseFit.AUTO_CONVEX_MAX_INPUTS + 1, 1, wd, true, 0.1))
                .isEqualTo(SolverType.LBFGS);
        // two classes in two inputs: convex measured up to 1,000 rows only
        var logistic2D = new SolverCapabilities.Demand(Loss.of("logistic", 0, 2),
                false, wd, 0.1, true, false, 2, 1, 0);
        assertThat(SparseFit.resolve(SolverType.AUTO, logistic2D, SparseFit.AUTO_CONVEX_MAX_ROWS_2D_CLASSIFICATION))
                .isEqualTo(SolverType.CONVEX);
        assertThat(SparseFit.resolve(SolverType.AUTO, logistic2D, SparseFit.AUTO_CONVEX_MAX_ROWS_2D_CLASSIFICATION + 1))
                .isEqualTo(SolverType.LBFGS);
        assertThat(resolveSquared(SolverType.LBFGS, 100, 1, 1, wd, true, 0.1)).isEqualTo(SolverType.LBFGS);
    }

    @Test
    void exactFitReportsConsistentDiagnosticsAndACertificateOfOptimality() {
        FitProblem p = noisySine(60, 1);
        FitOutcome out = SparseFit.fit(p, FitSettings.defaults(0.05), ProgressListener.NONE, CancellationToken.NEVER);
        Diagnostics d = out.diagnostics();
        assertThat(d.solver()).isEqualTo("exact");
        assertThat(d.converged()).isTrue();
        assertThat(d.objective()).isCloseTo(d.dataFit() + d.penalty(), within(1e-12 * d.objective()));
        // balanced network: weight decay penalty equals lambda * path norm (A3, A4)
        assertThat(d.penalty()).isCloseTo(0.05 * d.pathNorm(), within(1e-9 * d.penalty()));
        assertThat(d.balanceError()).isLessThanOrEqualTo(1e-6);
        assertThat(d.knotCount()).isEqualTo(d.activeNeurons()).isLessThanOrEqualTo(d.representerBound());
        assertThat(d.representerBound()).isEqualTo(60 - 2);
        assertThat(d.certificate().exact()).isTrue();
        assertThat(d.certificate().gap()).isBetween(-1e-9, 1e-9 * Math.max(1, d.objective()));
        assertThat(d.trainMse()).isCloseTo(2 * d.dataFit() / 60, within(1e-15));
    }

    @ParameterizedTest
    @EnumSource(value = SolverType.class, names = {"EXACT", "PROX", "LBFGS", "ADAM"})
    void everySolverIsDeterministicForAGivenSeed(SolverType type) {
        FitProblem p = noisySine(30, 7);
        FitSettings s = FitSettings.defaults(0.05).withSolver(type).withWidth(16).withMaxIter(300).withSeed(42)
                .withAdam(new AdamOptions(0, type == SolverType.ADAM ? 8 : 0));
        ShallowNetwork a = SparseFit.fit(p, s, ProgressListener.NONE, CancellationToken.NEVER).shallow();
        ShallowNetwork b = SparseFit.fit(p, s, ProgressListener.NONE, CancellationToken.NEVER).shallow();
        double[] pa = new double[a.parameterCount()];
        double[] pb = new double[b.parameterCount()];
        a.getParameters(pa);
        b.getParameters(pb);
        assertThat(pb).containsExactly(pa);
    }

    @Test
    void progressIsReportedAndCancellationStopsTheFit() {
        FitProblem p = noisySine(40, 3);
        List<Integer> seen = new ArrayList<>();
        int[] calls = {0};
        CancellationToken afterFive = () -> ++calls[0] > 5;
        FitSettings s = FitSettings.defaults(0.05).withSolver(SolverType.PROX).withMaxIter(100000).withTol(1e-300).withLogEvery(1);
        FitOutcome out = SparseFit.fit(p, s, (it, obj, fit, pen) -> seen.add(it), afterFive);
        assertThat(out.diagnostics().stopReason().name()).isEqualTo("CANCELLED");
        assertThat(out.diagnostics().iterations()).isLessThanOrEqualTo(6);
        assertThat(seen).isNotEmpty();
    }

    @Test
    void exactSolverRejectsSeveralInputs() {
        FitProblem p = FitProblem.of(new double[][] {{0, 1}, {1, 0}, {1, 1}, {2, 2}}, new double[][] {{0}, {1}, {2}, {3}});
        assertThatThrownBy(() -> SparseFit.fit(p, FitSettings.defaults(0.1).withSolver(SolverType.EXACT),
                ProgressListener.NONE, CancellationToken.NEVER)).isInstanceOf(IllegalArgumentException.class);
    }
}
