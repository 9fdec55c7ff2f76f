package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The certificate for a loss other than plain least squares (theory A2b): for lambda far above lambda_max the optimum
 * has no neuron, so the optimum is the best affine function, found here independently (Newton on {@code (c0, C)}
 * for the logistic loss, whose {@code C} is weight-decayed, and for weighted least squares; majorize-minimize steps
 * with curvature 1 for the Huber loss). The gap is zero there and positive away from it.
 */
class LossCertificateTest {

    private static final int N = 30;

    private static FitProblem data(Loss loss, long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[N];
        double[] y = new double[N];
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = 4 * rnd.nextDouble() - 2;
            y[i] = loss.classification() ? (rnd.nextDouble() < 1 / (1 + Math.exp(-2 * x[i])) ? 1 : 0)
                    : 0.7 * x[i] + 0.3 + (i % 7 == 0 ? 3 : 0.2) * rnd.nextGaussian();
            w[i] = 0.5 + rnd.nextDouble();
        }
        return FitProblem.of1D(x, y).withLoss(loss).withSampleWeights(w);
    }

    private static ShallowNetwork affine(double c0, double c) {
        ShallowNetwork net = new ShallowNetwork(1, 1, 0, true);
        net.skipBias()[0] = c0;
        net.skipWeights().data[0] = c;
        return net;
    }

    /** Newton on {@code sum_n w_n loss(c0 + c x_n) + lambda/2 c^2} (logistic) or without the decay (Huber, squared). */
    private static double[] bestAffine(FitProblem p, double lambda) {
        double[] x = p.x().data;
        double[] y = p.y().data;
        double[] w = p.sampleWeights();
        double decay = p.loss().classification() ? lambda : 0.0;
        double c0 = 0;
        double c = 0;
        for (int it = 0; it < 5000; it++) {
            double g0 = 0;
            double g1 = decay * c;
            double h00 = 0;
            double h01 = 0;
            double h11 = decay;
            for (int n = 0; n < N; n++) {
                double f = c0 + c * x[n];
                double d1;
                double d2;
                if (p.loss() instanceof LogisticLoss) {
                    double s = 1 / (1 + Math.exp(-f));
                    d1 = s - y[n];
                    d2 = s * (1 - s);
                } else if (p.loss() instanceof HuberLoss h) {
                    double r = f - y[n];
                    d1 = Math.max(-h.delta(), Math.min(h.delta(), r));
                    d2 = 1; // a majorizer (Huber's curvature is at most 1): monotone MM steps
                } else {
                    d1 = f - y[n];
                    d2 = 1;
                }
                g0 += w[n] * d1;
                g1 += w[n] * d1 * x[n];
                h00 += w[n] * d2;
                h01 += w[n] * d2 * x[n];
                h11 += w[n] * d2 * x[n] * x[n];
            }
            double det = h00 * h11 - h01 * h01;
            c0 -= (h11 * g0 - h01 * g1) / det;
            c -= (h00 * g1 - h01 * g0) / det;
        }
        return new double[] {c0, c};
    }

    private static void zeroGapAtTheAffineOptimum(Loss loss) {
        FitProblem p = data(loss, 5);
        double lambda = 500;   // far above lambda_max: no neuron pays
        double[] best = bestAffine(p, lambda);
        Certificate at = DualCertificate.compute(affine(best[0], best[1]), p, lambda, 0);
        assertThat(at.exact()).isTrue();
        assertThat(at.gap()).isCloseTo(0.0, within(1e-9));
        Certificate off = DualCertificate.compute(affine(best[0], best[1] + 0.2), p, lambda, 0);
        assertThat(off.gap()).isGreaterThan(1e-6);
    }

    @Test
    void logisticWithWeightsAndDecayedSkip() {
        zeroGapAtTheAffineOptimum(LogisticLoss.INSTANCE);
    }

    @Test
    void huberWithWeights() {
        zeroGapAtTheAffineOptimum(new HuberLoss(0.5));
    }

    @Test
    void squaredWithWeights() {
        zeroGapAtTheAffineOptimum(Loss.squared());
    }
}
