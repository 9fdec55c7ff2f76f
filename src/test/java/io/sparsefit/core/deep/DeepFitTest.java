package io.sparsefit.core.deep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.LayerDiagnostics;
import io.sparsefit.core.diagnostics.LinearRun;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Deep fits end to end in the core (theory A8). */
class DeepFitTest {

    /** y = g(A x) for a planted {@code index x 10} matrix A with orthonormal rows. */
    private static FitProblem teacher(int index, int n, long seed) {
        int d = 10;
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed + 1);
        double[][] directions = new double[index][d];
        for (int a = 0; a < index; a++) {
            for (int j = 0; j < d; j++) {
                directions[a][j] = RandomNetworks.gaussian(random);
            }
            for (int b = 0; b < a; b++) {   // Gram-Schmidt
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += directions[a][j] * directions[b][j];
                }
                for (int j = 0; j < d; j++) {
                    directions[a][j] -= dot * directions[b][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += directions[a][j] * directions[a][j];
            }
            for (int j = 0; j < d; j++) {
                directions[a][j] /= Math.sqrt(norm);
            }
        }
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int r = 0; r < n; r++) {
            double value = 0;
            for (int a = 0; a < index; a++) {
                double t = 0;
                for (int j = 0; j < d; j++) {
                    t += directions[a][j] * x.get(r, j);
                }
                value += Math.max(0.0, t - 0.3) + 0.5 * Math.max(0.0, -t - 0.2);
            }
            y.set(r, 0, value);
        }
        return new FitProblem(x, y);
    }

    @ParameterizedTest(name = "{0}-index teacher")
    @CsvSource({"1", "2"})
    void linearLayerProductHasTheTeachersRank(int index) {
        FitProblem problem = teacher(index, 400, 17L * index);
        FitSettings settings = FitSettings.defaults(0.5).withSolver(SolverType.LBFGS)
                .withArchitecture(new Architecture(List.of(16), 1, true)).withMaxIter(4000).withSeed(3);
        FitOutcome outcome = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        LayerDiagnostics deep = outcome.diagnostics().deep();
        assertThat(deep.linearRuns()).hasSize(1);
        LinearRun run = deep.linearRuns().get(0);
        assertThat(run.effectiveRank()).as("singular values %s", java.util.Arrays.toString(run.singularValues()))
                .isEqualTo(index);
        // Two factors: 1/2 (||W1||^2 + ||W2||^2) = ||W2 W1||_* (A8), computed here from the matrices themselves.
        Network net = outcome.network();
        DMatrixRMaj w1 = net.layers().get(0).weights();
        DMatrixRMaj w2 = net.layers().get(1).weights();
        double raw = 0.5 * (CommonOps_DDRM.elementSum(square(w1)) + CommonOps_DDRM.elementSum(square(w2)));
        DMatrixRMaj product = new DMatrixRMaj(w2.numRows, w1.numCols);
        CommonOps_DDRM.mult(w2, w1, product);
        var svd = org.ejml.dense.row.factory.DecompositionFactory_DDRM.svd(product.numRows, product.numCols, false, false, true);
        assertThat(svd.decompose(product.copy())).isTrue();
        double nuclear = 0;
        for (double s : svd.getSingularValues()) {
            nuclear += s;
        }
        assertThat(raw).isCloseTo(nuclear, within(1e-6 * nuclear));
        // And the fit is good: well below the variance of y.
        assertThat(outcome.diagnostics().trainMse()).isLessThan(0.2 * variance(problem.y()));
    }

    @Test
    void deepFitIsDeterministicAndItsLayersEvaluateToItsPredictions() {
        FitProblem problem = teacher(2, 300, 5);
        FitSettings settings = FitSettings.defaults(0.1).withArchitecture(new Architecture(List.of(8, 6), 0, true))
                .withMaxIter(500).withSeed(11);
        FitOutcome a = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        FitOutcome b = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(a.diagnostics().solver()).isEqualTo("lbfgs");
        double[] pa = new double[a.network().parameterCount()];
        double[] pb = new double[b.network().parameterCount()];
        a.network().getParameters(pa);
        b.network().getParameters(pb);
        assertThat(pa).containsExactly(pb);
        Network net = a.network();
        assertThat(net.layers()).extracting(Layer::kind).containsOnly(Layer.Kind.RELU);
        assertThat(RandomDeepNetworks.maxRelativeDifference(RandomDeepNetworks.evaluate(net, problem.x()),
                net.predict(problem.x(), null))).isLessThan(1e-12);
        // The objective went down from the start and the diagnostics agree with the network.
        assertThat(a.diagnostics().lossCurve().get(a.diagnostics().lossCurve().size() - 1).objective())
                .isLessThan(a.diagnostics().lossCurve().get(0).objective());
        assertThat(a.diagnostics().deep().lastLayerCertificate().gap()).isGreaterThanOrEqualTo(0.0);
        assertThat(a.diagnostics().deep().activeUnits()).hasSize(2);
    }

    @Test
    void adamTrainsDeepNetworksWithMiniBatches() {
        FitProblem problem = teacher(1, 200, 9);
        FitSettings settings = FitSettings.defaults(0.05).withSolver(SolverType.ADAM)
                .withArchitecture(new Architecture(List.of(8, 8), 1, true)).withMaxIter(300)
                .withAdam(new io.sparsefit.core.solver.AdamOptions(0.01, 32));
        FitOutcome outcome = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        var curve = outcome.diagnostics().lossCurve();
        assertThat(curve.get(curve.size() - 1).objective()).isLessThan(curve.get(0).objective());
        assertThat(outcome.diagnostics().deep().matrices()).hasSize(5);
    }

    @Test
    void globalSolversAndThePathNormRefuseDeepArchitectures() {
        FitProblem problem = teacher(1, 50, 1);
        Architecture deep = new Architecture(List.of(4, 4), 0, true);
        for (SolverType type : List.of(SolverType.EXACT, SolverType.CONVEX, SolverType.PROX)) {
            assertThatThrownBy(() -> SparseFit.fit(problem, FitSettings.defaults(0.1).withSolver(type).withArchitecture(deep),
                    ProgressListener.NONE, CancellationToken.NEVER)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one hidden layer");
        }
        assertThatThrownBy(() -> SparseFit.fit(problem, FitSettings.defaults(0.1).withArchitecture(deep)
                .withRegularization(io.sparsefit.core.penalty.Regularization.PATH_NORM), ProgressListener.NONE,
                CancellationToken.NEVER)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path_norm");
    }

    @Test
    void severalOutputsShareLastLayerUnits() {
        FitProblem one = teacher(1, 200, 31);
        DMatrixRMaj y = new DMatrixRMaj(200, 2);
        for (int r = 0; r < 200; r++) {
            y.set(r, 0, one.y().get(r, 0));
            y.set(r, 1, -2.0 * one.y().get(r, 0) + 0.1 * one.x().get(r, 0));
        }
        FitProblem problem = new FitProblem(one.x(), y);
        FitOutcome outcome = SparseFit.fit(problem, FitSettings.defaults(0.2)
                .withArchitecture(new Architecture(List.of(8, 8), 0, true)).withMaxIter(800), ProgressListener.NONE,
                CancellationToken.NEVER);
        Network net = outcome.network();
        int shared = 0;
        for (int k = 0; k < net.lastWidth(); k++) {   // counted here from V itself
            if (net.outputWeights().get(k, 0) != 0 && net.outputWeights().get(k, 1) != 0) {
                shared++;
            }
        }
        assertThat(outcome.diagnostics().sharedNeurons()).isEqualTo(shared).isPositive();
        assertThat(outcome.diagnostics().trainMse()).isLessThan(0.2 * (variance(column(y, 0)) + variance(column(y, 1))));
    }

    private static DMatrixRMaj column(DMatrixRMaj y, int j) {
        DMatrixRMaj c = new DMatrixRMaj(y.numRows, 1);
        for (int r = 0; r < y.numRows; r++) {
            c.set(r, 0, y.get(r, j));
        }
        return c;
    }

    @Test
    void aPathOfDeepFitsRunsWithCrossValidation() {
        FitProblem problem = teacher(1, 120, 21);
        FitSettings settings = FitSettings.defaults(0.1).withArchitecture(new Architecture(List.of(6, 6), 0, true))
                .withMaxIter(200);
        var path = io.sparsefit.core.path.PathRunner.run(problem,
                new io.sparsefit.core.path.PathSpec(settings, null, 3, 1e-2, 3, 0, false),
                io.sparsefit.core.path.PathListener.NONE, CancellationToken.NEVER);
        assertThat(path.points()).hasSize(3);
        assertThat(path.points()).allSatisfy(p -> assertThat(p.outcome().network().layers()).hasSize(2));
    }

    private static DMatrixRMaj square(DMatrixRMaj a) {
        DMatrixRMaj s = a.copy();
        CommonOps_DDRM.elementMult(s, a);
        return s;
    }

    private static double variance(DMatrixRMaj y) {
        double mean = CommonOps_DDRM.elementSum(y) / y.getNumElements();
        double s = 0;
        for (int i = 0; i < y.getNumElements(); i++) {
            s += (y.data[i] - mean) * (y.data[i] - mean);
        }
        return s / y.getNumElements();
    }
}
