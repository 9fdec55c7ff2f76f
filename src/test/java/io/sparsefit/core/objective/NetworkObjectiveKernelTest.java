package io.sparsefit.core.objective;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.kernel.Kernels;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Penalty;
import io.sparsefit.core.penalty.Regularization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused and the blocked kernels of {@link NetworkObjective} against each other and against a
 * straightforward reference evaluation written here (plain loops over samples and neurons, no blocking, no
 * EJML): value and every gradient entry to 1e-12 relative (of the largest gradient entry), on whole data
 * sets over several row blocks and on mini-batches with repeated rows.
 */
class NetworkObjectiveKernelTest {

    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest
    @CsvSource({"1,1,7,true,50", "3,1,64,true,1300", "3,2,64,false,700", "5,3,16,true,1100", "10,1,33,true,600",
            "16,2,8,false,515", "20,1,40,true,1030", "12,1,40,true,2600", "2,1,0,true,100", "4,2,5,true,1"})
    void bothKernelsMatchAPlainReference(int d, int m, int k, boolean skip, int n) {
        long seed = 1000L * d + 10L * m + k;
        FitProblem problem = new FitProblem(RandomNetworks.matrix(n, d, seed), RandomNetworks.matrix(n, m, seed + 1));
        ShallowNetwork net = RandomNetworks.network(d, m, k, skip, seed + 2);
        for (Regularization reg : Regularization.values()) {
            Penalty penalty = reg.penalty();
            double lambda = 0.3;
            double[] expectedGradient = new double[net.parameterCount()];
            double expected = reference(net, problem, null, n, 1.0, expectedGradient) + lambda * penalty.value(net);
            penalty.addGradient(net, lambda, expectedGradient);
            for (NetworkObjective.Kernel kernel : NetworkObjective.Kernel.values()) {
                NetworkObjective objective = new NetworkObjective(problem, k, skip, kernel);
                double[] gradient = new double[net.parameterCount()];
                double value = objective.evaluate(net, penalty, lambda, gradient);
                assertClose(kernel + " " + reg, value, expected, gradient, expectedGradient);
                // again on the same instance: buffers are reset between calls
                value = objective.evaluate(net, penalty, lambda, gradient);
                assertClose(kernel + " " + reg + " (second call)", value, expected, gradient, expectedGradient);
            }
        }
        // a mini-batch with repeated rows, scaled
        int count = Math.max(1, n / 2);
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            rows[i] = (int) ((i * 7919L) % n);
        }
        double scale = (double) n / count;
        double[] expectedGradient = new double[net.parameterCount()];
        double expected = reference(net, problem, rows, count, scale, expectedGradient);
        for (NetworkObjective.Kernel kernel : NetworkObjective.Kernel.values()) {
            double[] gradient = new double[net.parameterCount()];
            double value = new NetworkObjective(problem, k, skip, kernel).evaluateRows(net, rows, count, scale, null, 0.0, gradient);
            assertClose(kernel + " mini-batch", value, expected, gradient, expectedGradient);
        }
    }

    @org.junit.jupiter.api.Test
    void autoPicksTheFusedKernelOnlyBelowTheActiveKernelSetsThreshold() {
        int threshold = NetworkObjective.fusedMaxInputDim();
        for (int d = 1; d <= threshold + 1; d++) {
            FitProblem problem = new FitProblem(RandomNetworks.matrix(10, d, 1), RandomNetworks.matrix(10, 1, 2));
            assertThat(new NetworkObjective(problem, 4, true).fused()).as("d = " + d).isEqualTo(d <= threshold);
        }
        // With the Vector API kernels the blocked kernel is the faster one at every d (docs/benchmarks.md).
        assertThat(threshold).isEqualTo(Kernels.active() == Kernels.scalar()
                ? NetworkObjective.FUSED_MAX_INPUT_DIM : NetworkObjective.FUSED_MAX_INPUT_DIM_VECTOR);
    }

    private static void assertClose(String what, double value, double expected, double[] gradient, double[] expectedGradient) {
        assertThat(Math.abs(value - expected)).as(what + " value").isLessThanOrEqualTo(TOLERANCE * Math.abs(expected));
        double scale = 0;
        for (double g : expectedGradient) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < gradient.length; i++) {
            assertThat(Math.abs(gradient[i] - expectedGradient[i])).as("%s gradient entry %d", what, i)
                    .isLessThanOrEqualTo(TOLERANCE * scale);
        }
    }

    /**
     * {@code scale * 1/2 sum_q ||f(x_rows[q]) - y_rows[q]||^2} and its gradient (added into {@code gradient}), by
     * the chain rule written out per sample and neuron.
     */
    static double reference(ShallowNetwork net, FitProblem problem, int[] rows, int count, double scale, double[] gradient) {
        int d = net.inputDim();
        int m = net.outputDim();
        int k = net.width();
        double[] x = problem.x().data;
        double[] y = problem.y().data;
        double total = 0;
        for (int q = 0; q < count; q++) {
            int r = rows == null ? q : rows[q];
            double[] z = new double[k];
            for (int a = 0; a < k; a++) {
                z[a] = -net.bias()[a];
                for (int j = 0; j < d; j++) {
                    z[a] += net.inputWeights().get(a, j) * x[r * d + j];
                }
            }
            for (int i = 0; i < m; i++) {
                double f = net.skipBias()[i];
                for (int a = 0; a < k; a++) {
                    f += net.outputWeights().get(a, i) * Math.max(0, z[a]);
                }
                if (net.hasSkip()) {
                    for (int j = 0; j < d; j++) {
                        f += net.skipWeights().get(i, j) * x[r * d + j];
                    }
                }
                double res = f - y[r * m + i];
                total += 0.5 * scale * res * res;
                double g = scale * res;
                gradient[net.offsetSkipBias() + i] += g;
                if (net.hasSkip()) {
                    for (int j = 0; j < d; j++) {
                        gradient[net.offsetSkipWeights() + i * d + j] += g * x[r * d + j];
                    }
                }
                for (int a = 0; a < k; a++) {
                    gradient[net.offsetOutput() + a * m + i] += g * Math.max(0, z[a]);
                    if (z[a] > 0) {
                        double gz = g * net.outputWeights().get(a, i);
                        gradient[net.offsetBias(0) + a] -= gz;
                        for (int j = 0; j < d; j++) {
                            gradient[net.offsetLayer(0) + a * d + j] += gz * x[r * d + j];
                        }
                    }
                }
            }
        }
        return total;
    }
}
