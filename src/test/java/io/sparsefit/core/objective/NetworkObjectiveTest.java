package io.sparsefit.core.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Penalty;
import io.sparsefit.core.penalty.Regularization;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

class NetworkObjectiveTest {

    /** Central differences with step 1e-6 have error ~1e-9 relative here; 1e-6 leaves a wide margin. */
    private static final double GRADIENT_TOLERANCE = 1e-6;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Regularization reg : Regularization.values()) {
            for (int d : new int[] {1, 3}) {
                for (int m : new int[] {1, 2}) {
                    for (boolean skip : new boolean[] {true, false}) {
                        cases.add(Arguments.of(reg, d, m, skip));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Regularization reg, int d, int m, boolean skip) {
        long seed = 31L * d + 7L * m + (skip ? 1 : 0) + 100L * reg.ordinal();
        int n = 40;
        int k = 6;
        FitProblem problem = new FitProblem(RandomNetworks.matrix(n, d, seed), RandomNetworks.matrix(n, m, seed + 1));
        ShallowNetwork net = networkAwayFromKinks(problem, d, m, k, skip, seed + 2);
        Penalty penalty = reg.penalty();
        double lambda = 0.7;
        NetworkObjective objective = new NetworkObjective(problem, k, skip);

        double[] gradient = new double[net.parameterCount()];
        double value = objective.evaluate(net, penalty, lambda, gradient);

        double expectedValue = directDataFit(net, problem.x(), problem.y()) + lambda * penalty.value(net);
        assertThat(value).isCloseTo(expectedValue, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(expectedValue)));
        double[] numeric = centralDifferences(net, theta -> {
            ShallowNetwork probe = net.copy();
            probe.setParameters(theta);
            return objective.evaluate(probe, penalty, lambda, null);
        });
        assertRelativeClose(gradient, numeric);
    }

    @Test
    void miniBatchIsTheScaledObjectiveOfItsRows() {
        int n = 1300;   // more than two row blocks
        int d = 3;
        int m = 2;
        int k = 5;
        FitProblem problem = new FitProblem(RandomNetworks.matrix(n, d, 5), RandomNetworks.matrix(n, m, 6));
        ShallowNetwork net = RandomNetworks.network(d, m, k, true, 7);
        int[] rows = new int[700];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (i * 37) % n;
        }
        DMatrixRMaj xs = new DMatrixRMaj(rows.length, d);
        DMatrixRMaj ys = new DMatrixRMaj(rows.length, m);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                xs.set(i, j, problem.x().get(rows[i], j));
            }
            for (int j = 0; j < m; j++) {
                ys.set(i, j, problem.y().get(rows[i], j));
            }
        }
        Penalty penalty = Regularization.WEIGHT_DECAY.penalty();
        double scale = (double) n / rows.length;
        NetworkObjective full = new NetworkObjective(problem, k, true);
        NetworkObjective sub = new NetworkObjective(new FitProblem(xs, ys), k, true);
        double[] g1 = new double[net.parameterCount()];
        double[] g2 = new double[net.parameterCount()];
        double[] gPenalty = new double[net.parameterCount()];
        double batch = full.evaluateRows(net, rows, rows.length, scale, penalty, 0.3, g1);
        double unscaled = sub.evaluate(net, null, 0.0, g2);
        penalty.addGradient(net, 0.3, gPenalty);

        assertThat(batch).isCloseTo(scale * unscaled + 0.3 * penalty.value(net), org.assertj.core.data.Offset.offset(1e-10 * batch));
        for (int i = 0; i < g1.length; i++) {
            assertThat(g1[i]).isCloseTo(scale * g2[i] + gPenalty[i], org.assertj.core.data.Offset.offset(1e-10 * (1 + Math.abs(g1[i]))));
        }
        // Full evaluation over several blocks agrees with the network's own predict.
        assertThat(full.evaluate(net, null, 0, null))
                .isCloseTo(directDataFit(net, problem.x(), problem.y()), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void zeroWidthNetworkIsTheAffinePart() {
        FitProblem problem = new FitProblem(RandomNetworks.matrix(10, 2, 1), RandomNetworks.matrix(10, 1, 2));
        ShallowNetwork net = RandomNetworks.network(2, 1, 0, true, 3);
        NetworkObjective objective = new NetworkObjective(problem, 0, true);
        double[] gradient = new double[net.parameterCount()];
        double value = objective.evaluate(net, Regularization.PATH_NORM.penalty(), 1.0, gradient);
        assertThat(value).isCloseTo(directDataFit(net, problem.x(), problem.y()), org.assertj.core.data.Offset.offset(1e-12));
        double[] numeric = centralDifferences(net, theta -> {
            ShallowNetwork probe = net.copy();
            probe.setParameters(theta);
            return objective.evaluate(probe, null, 0, null);
        });
        assertRelativeClose(gradient, numeric);
    }

    @Test
    void shapeMismatchNamesTheSizes() {
        FitProblem problem = new FitProblem(RandomNetworks.matrix(10, 2, 1), RandomNetworks.matrix(10, 1, 2));
        NetworkObjective objective = new NetworkObjective(problem, 4, true);
        assertThatThrownBy(() -> objective.evaluate(RandomNetworks.network(3, 1, 4, true, 1), null, 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d=3");
    }

    static ShallowNetwork networkAwayFromKinks(FitProblem problem, int d, int m, int k, boolean skip, long seed) {
        for (long s = seed; ; s += 1000) {
            ShallowNetwork net = RandomNetworks.network(d, m, k, skip, s);
            if (RandomNetworks.kinkMargin(net, problem.x()) > 1e-3) {
                return net;
            }
        }
    }

    static double directDataFit(ShallowNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
        DMatrixRMaj prediction = net.predict(x, null);
        double s = 0;
        for (int i = 0; i < y.getNumElements(); i++) {
            double r = prediction.data[i] - y.data[i];
            s += r * r;
        }
        return 0.5 * s;
    }

    static double[] centralDifferences(ShallowNetwork net, java.util.function.ToDoubleFunction<double[]> f) {
        double[] theta = new double[net.parameterCount()];
        net.getParameters(theta);
        double[] numeric = new double[theta.length];
        double h = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            double keep = theta[i];
            theta[i] = keep + h;
            double plus = f.applyAsDouble(theta.clone());
            theta[i] = keep - h;
            double minus = f.applyAsDouble(theta.clone());
            theta[i] = keep;
            numeric[i] = (plus - minus) / (2 * h);
        }
        return numeric;
    }

    /** Each entry within {@link #GRADIENT_TOLERANCE} of the numeric one, relative to max(1, |entry|). */
    static void assertRelativeClose(double[] analytic, double[] numeric) {
        for (int i = 0; i < analytic.length; i++) {
            double scale = Math.max(1.0, Math.abs(numeric[i]));
            assertThat(Math.abs(analytic[i] - numeric[i]) / scale).as("entry %d: %s vs %s", i, analytic[i], numeric[i])
                    .isLessThanOrEqualTo(GRADIENT_TOLERANCE);
        }
    }
}
