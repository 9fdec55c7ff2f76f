package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The README's library example, line for line, and what its comments claim. */
class ReadmeLibraryExampleTest {

    @Test
    void readmeExampleRunsAndShowsAFewKnotsAndACertifiedOptimum() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("FitProblem data = FitProblem.of1D(new double[] {0, 1, 2, 3, 4, 5}, new double[] {0, 0, 1, 3, 6, 10});")
                .contains("FitSettings settings = FitSettings.defaults(0.1);")
                .contains("FitOutcome out = SparseFit.fit(data, settings, ProgressListener.NONE, CancellationToken.NEVER);");

        FitProblem data = FitProblem.of1D(new double[] {0, 1, 2, 3, 4, 5}, new double[] {0, 0, 1, 3, 6, 10});
        FitSettings settings = FitSettings.defaults(0.1);
        FitOutcome out = SparseFit.fit(data, settings, ProgressListener.NONE, CancellationToken.NEVER);
        DMatrixRMaj prediction = out.network().predict(new DMatrixRMaj(new double[][] {{2.5}}), null);

        assertThat(out.diagnostics().knots()).isNotEmpty().hasSizeLessThanOrEqualTo(4);
        assertThat(out.diagnostics().knots().get(0).x()).isEqualTo(1.0);
        assertThat(out.diagnostics().certificate().gap()).isLessThan(1e-9 * Math.max(1, out.diagnostics().objective()));
        // between the data values at 2 and 3 (1 and 3), as a linear spline through the near-interpolating fit
        assertThat(prediction.get(0, 0)).isBetween(1.0, 3.0);
    }
}
