package io.sparsefit.support;

/**
 * Class probabilities from a classifier's outputs by their definition (theory A2b), written independently of the
 * service's code for the tests that check its probabilities: one logistic logit f gives {1 - s, s} with s the sigmoid
 * of f (the second class is y = 1); C outputs give softmax(f), shifted by the largest output so no exponential
 * overflows.
 */
public final class ClassProbabilities {

    private ClassProbabilities() {
    }

    /** The probabilities of logits {@code f} (not modified), in class order. */
    public static double[] of(double[] f) {
        if (f.length == 1) {
            double s = 1 / (1 + Math.exp(-f[0]));
            return new double[] {1 - s, s};
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : f) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            p[k] = Math.exp(f[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < f.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
