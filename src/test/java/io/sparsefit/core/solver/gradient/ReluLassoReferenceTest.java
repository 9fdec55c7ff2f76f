package io.sparsefit.core.solver.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ReluLassoReferenceTest {

    @Test
    void hugeLambdaGivesTheAffineFit() {
        double[] x = {0, 1, 2, 3, 4};
        double[] y = {1, 3, 2, 5, 4};
        // least-squares line: slope 0.8, intercept 1.4; residuals -0.4, 0.8, -1, 1.2, -0.6
        assertThat(ReluLassoReference.optimum(x, y, 1e6)).isCloseTo(0.5 * (0.16 + 0.64 + 1 + 1.44 + 0.36), Offset.offset(1e-12));
    }

    @Test
    void zeroLambdaInterpolates() {
        double[] x = {0, 0.5, 1.5, 2, 3.5, 4};
        double[] y = {1, -1, 2, 0, 3, 1};
        assertThat(ReluLassoReference.optimum(x, y, 0.0)).isLessThan(1e-12);
    }
}
