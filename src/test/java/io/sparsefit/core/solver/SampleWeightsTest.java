package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Integer sample weights are the same problem as repeated rows (theory A2b): the exact solver's optimum, its
 * objective and its certificate agree between the two, and the weighted certificate closes.
 */
class SampleWeightsTest {

    @Test
    void exactWithIntegerWeightsIsExactOnRepeatedRows() {
        Random rnd = new Random(3);
        int n = 25;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] w = new double[n];
        int total = 0;
        for (int i = 0; i < n; i++) {
            x[i] = 3 * rnd.nextDouble();
            y[i] = Math.sin(2 * x[i]) + 0.2 * rnd.nextGaussian();
            w[i] = 1 + rnd.nextInt(3);
            total += (int) w[i];
        }
        double[] xr = new double[total];
        double[] yr = new double[total];
        for (int i = 0, r = 0; i < n; i++) {
            for (int c = 0; c < w[i]; c++, r++) {
                xr[r] = x[i];
                yr[r] = y[i];
            }
        }
        FitSettings settings = FitSettings.defaults(0.05).withSolver(SolverType.EXACT);
        FitOutcome weighted = SparseFit.fit(FitProblem.of1D(x, y).withSampleWeights(w), settings, ProgressListener.NONE,
                CancellationToken.NEVER);
        FitOutcome repeated = SparseFit.fit(FitProblem.of1D(xr, yr), settings, ProgressListener.NONE, CancellationToken.NEVER);
        double j = repeated.diagnostics().objective();
        assertThat(weighted.diagnostics().objective()).isCloseTo(j, within(1e-9 * j));
        assertThat(weighted.diagnostics().knotCount()).isEqualTo(repeated.diagnostics().knotCount());
        assertThat(weighted.diagnostics().certificate().gap()).isCloseTo(0.0, within(1e-8 * j));
        // unweighted, the same data is a different problem
        FitOutcome plain = SparseFit.fit(FitProblem.of1D(x, y), settings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(plain.diagnostics().objective()).isNotCloseTo(j, within(1e-3 * j));
    }
}
