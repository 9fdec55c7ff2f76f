package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scalar prox behind {@link LowRankStep}'s singular value thresholding (theory A8). */
class LowRankStepTest {

    @ParameterizedTest(name = "q = {0}, x = {1}, c = {2}")
    @CsvSource({"2, 1.0, 0.3", "2, 0.2, 0.3", "3, 1.0, 0.3", "3, 0.5, 0.4", "3, 0.05, 0.01", "4, 2.0, 0.7", "4, 0.3, 0.2",
            "5, 1.5, 1.0"})
    void theScalarProxIsTheGlobalMinimizerOnAFineGrid(int q, double x, double c) {
        double p = 2.0 / q;
        double s = LowRankStep.shrink(x, c, q);
        // Brute force: 1/2 (t - x)^2 + c t^p on a grid of [0, x] (the minimizer is never above x), 2e5 points.
        double best = Double.POSITIVE_INFINITY;
        double argBest = 0;
        int points = 200_000;
        for (int i = 0; i <= points; i++) {
            double t = x * i / points;
            double value = 0.5 * (t - x) * (t - x) + c * Math.pow(t, p);
            if (value < best) {
                best = value;
                argBest = t;
            }
        }
        double atS = 0.5 * (s - x) * (s - x) + c * Math.pow(s, p);
        assertThat(atS).isLessThanOrEqualTo(best + 1e-12);
        assertThat(Math.abs(s - argBest)).isLessThanOrEqualTo(2 * x / points);
    }

    @org.junit.jupiter.api.Test
    void aNetworkWithoutLinearLayersIsReturnedAsItIs() {
        ShallowNetwork net = RandomNetworks.network(2, 1, 5, true, 3);
        FitProblem problem = new FitProblem(RandomNetworks.matrix(20, 2, 4), RandomNetworks.matrix(20, 1, 5));
        assertThat(LowRankStep.apply(net, problem, 0.1, () -> false)).isSameAs(net);
    }
}
