package io.sparsefit.core.deep;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.finish.LowRankStep;
import io.sparsefit.core.finish.Rebalance;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deep fits end balanced to 1e-8 (theory A4 per layer) and a linear layer ends at the low rank weight decay's optimum
 * has on a single-index teacher (A8). Every figure is computed here from the weights.
 */
class DeepFidelityTest {

    private static final double LAMBDA = 0.5;

    /** {@code y = relu(u . x - 0.3) + 0.5 relu(-u . x - 0.2)} for a random unit {@code u} in R^d. */
    private static FitProblem singleIndex(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed + 1);
        double[] u = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            u[j] = RandomNetworks.gaussian(random);
            norm += u[j] * u[j];
        }
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int r = 0; r < n; r++) {
            double t = 0;
            for (int j = 0; j < d; j++) {
                t += u[j] / Math.sqrt(norm) * x.get(r, j);
            }
            y.set(r, 0, Math.max(0.0, t - 0.3) + 0.5 * Math.max(0.0, -t - 0.2));
        }
        return new FitProblem(x, y);
    }

    private static FitSettings settings(List<Integer> widths, int linear, int maxIter) {
        return FitSettings.defaults(LAMBDA).withSolver(SolverType.LBFGS).withArchitecture(new Architecture(widths, linear, true))
                .withMaxIter(maxIter).withSeed(3);
    }

    @Test
    void theLowRankStepMakesTheLinearLayerRankOneWithoutRaisingTheObjective() {
        FitProblem problem = singleIndex(300, 8, 17);
        // A short training run: the product's small singular values are still far from zero.
        Network trained = new Lbfgs().solve(problem, settings(List.of(16), 1, 150), ProgressListener.NONE,
                CancellationToken.NEVER).network();
        Network before = Rebalance.rebalance(trained);
        double[] s0 = singularValues(before.layers().get(0).weights());
        assertThat(s0[1]).as("the step has work to do: %s", java.util.Arrays.toString(s0)).isGreaterThan(1e-6 * s0[0]);

        Network after = LowRankStep.apply(before, problem, LAMBDA, () -> false);
        Rebalance.rebalanceInPlace(after);

        assertThat(objective(after, problem)).isLessThanOrEqualTo(objective(before, problem));
        double[] s = singularValues(after.layers().get(0).weights());
        assertThat(s[1]).as("singular values %s", java.util.Arrays.toString(s)).isLessThanOrEqualTo(1e-6 * s[0]);
        assertThat(s[0]).isPositive();
    }

    @ParameterizedTest(name = "hidden {0}, linear {1}")
    @CsvSource({"16, 1", "16, 2", "12;12, 1", "10;10;10, 0"})
    void aFinishedDeepFitIsBalancedTo1e8(String hidden, int linear) {
        FitProblem problem = singleIndex(300, 8, 23);
        List<Integer> widths = java.util.Arrays.stream(hidden.split(";")).map(String::trim).map(Integer::valueOf).toList();
        FitOutcome outcome = SparseFit.fit(problem, settings(widths, linear, 1500).withLambda(0.1), ProgressListener.NONE,
                CancellationToken.NEVER);
        Network net = outcome.network();
        assertThat(balanceError(net)).isLessThanOrEqualTo(1e-8);
        if (linear > 0) {
            // The single-index teacher: the first matrix (the run's first factor) has rank one (pruning drops the
            // units of exact zero singular values, so it may have one row left).
            double[] s = singularValues(net.layers().get(0).weights());
            assertThat(s[0]).isPositive();
            assertThat(s.length == 1 || s[1] <= 1e-6 * s[0]).as("singular values %s", java.util.Arrays.toString(s)).isTrue();
        }
    }

    /** {@code 1/2 ||f(X) - Y||^2 + lambda/2 sum ||W||_F^2} over every weight matrix and V (A2, A8). */
    private static double objective(Network net, FitProblem problem) {
        DMatrixRMaj f = net.predict(problem.x(), null);
        double fit = 0;
        for (int i = 0; i < f.getNumElements(); i++) {
            double r = f.data[i] - problem.y().data[i];
            fit += 0.5 * r * r;
        }
        double squares = CommonOps_DDRM.elementSumAbs(squared(net.outputWeights()));
        for (Layer layer : net.layers()) {
            squares += CommonOps_DDRM.elementSumAbs(squared(layer.weights()));
        }
        return fit + 0.5 * LAMBDA * squares;
    }

    /** {@code max | ||out_k|| - ||in_k|| | / ||in_k||} over the ReLU units, from the matrices' rows and columns. */
    private static double balanceError(Network net) {
        List<Layer> layers = net.layers();
        double worst = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).kind() != Layer.Kind.RELU) {
                continue;
            }
            DMatrixRMaj w = layers.get(l).weights();
            for (int k = 0; k < w.numRows; k++) {
                double in = 0;
                for (int j = 0; j < w.numCols; j++) {
                    in += w.get(k, j) * w.get(k, j);
                }
                double out = 0;
                if (l + 1 < layers.size()) {
                    DMatrixRMaj next = layers.get(l + 1).weights();
                    for (int i = 0; i < next.numRows; i++) {
                        out += next.get(i, k) * next.get(i, k);
                    }
                } else {
                    for (int i = 0; i < net.outputDim(); i++) {
                        out += net.outputWeights().get(k, i) * net.outputWeights().get(k, i);
                    }
                }
                if (in > 0) {
                    worst = Math.max(worst, Math.abs(Math.sqrt(out) - Math.sqrt(in)) / Math.sqrt(in));
                }
            }
        }
        return worst;
    }

    private static DMatrixRMaj squared(DMatrixRMaj a) {
        DMatrixRMaj s = a.copy();
        CommonOps_DDRM.elementMult(s, a);
        return s;
    }

    /** Descending. */
    private static double[] singularValues(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
        assertThat(svd.decompose(a.copy())).isTrue();
        double[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            double t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }
}
