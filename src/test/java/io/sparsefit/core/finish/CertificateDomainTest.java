package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A fit whose intercept is far from stationary: projecting its dual point onto the constants-orthogonal space (theory
 * A2b, T8) takes some rows out of the conjugate's domain (a class whose probability is near 0 on rows where the
 * projection subtracts more than that). The certificate must still be a finite, exact lower bound: the dual value is
 * checked against the objective of two networks computed here (weak duality: no feasible dual value exceeds any
 * primal objective), and the cross-entropy objective is written out in the test.
 */
class CertificateDomainTest {

    @Test
    void aClassifierFarFromStationarityStillGetsAFiniteExactBound() {
        int n = 60;
        int classes = 3;
        Random rnd = new Random(11);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 4 * rnd.nextDouble() - 2;
            y[i] = i % 10 == 0 ? 0 : 1 + (x[i] > 0 ? 1 : 0);   // class 0 is rare (frequency 0.1)
        }
        FitProblem p = FitProblem.of1D(x, y).withLoss(Loss.of("cross_entropy", 1.0, classes));
        // logit of class 0 = 10 x: probability near 1 for x > 0.3 (mean about 0.45, far above 0.1), near 0 below
        ShallowNetwork far = new ShallowNetwork(1, classes, 0, true);
        far.skipWeights().data[0] = 10;
        double lambda = 0.5;

        Certificate c = DualCertificate.compute(far, p, lambda, 0);

        double primalFar = crossEntropy(x, y, new double[] {10, 0, 0}, new double[] {0, 0, 0}) + 0.5 * lambda * 100;
        double primalZero = n * Math.log(classes);
        assertThat(c.dualObjective()).as("dual bound").isFinite();
        assertThat(c.exact()).as("1-D pricing is exact").isTrue();
        assertThat(c.dualObjective()).isLessThanOrEqualTo(primalFar + 1e-9).isLessThanOrEqualTo(primalZero + 1e-9);
        assertThat(c.gap()).isCloseTo(primalFar - c.dualObjective(), org.assertj.core.api.Assertions.within(1e-9 * primalFar));
    }

    /** {@code sum_n -log softmax(C x_n + c0)_{y_n}}, the affine network's data fit. */
    private static double crossEntropy(double[] x, double[] y, double[] slope, double[] intercept) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] f = new double[slope.length];
            for (int k = 0; k < f.length; k++) {
                f[k] = slope[k] * x[i] + intercept[k];
                max = Math.max(max, f[k]);
            }
            double z = 0;
            for (double fk : f) {
                z += Math.exp(fk - max);
            }
            sum += max + Math.log(z) - f[(int) y[i]];
        }
        return sum;
    }
}
