package io.sparsefit.core.loss;

/**
 * The cross-entropy loss of {@code classes >= 2} classes with one output per class (theory A2b):
 * {@code loss(f; y) = -log softmax(f)_y = lse(f) - f_y}, {@code lse(f) = max f + log sum_i exp(f_i - max f)}
 * (no overflow), with the class {@code y} in {@code 0..classes-1} stored as a double in the one target column. Its
 * gradient is {@code softmax(f) - e_y}.
 *
 * <p>Conjugate: {@code loss*(u; y) = lse*(u + e_y) = sum_i p_i log p_i} with {@code p = u + e_y} on the probability
 * simplex ({@code p_i >= 0}, {@code sum_i p_i = 1}), {@code +infinity} outside. So a dual point must have rows that
 * sum to zero and {@code e_y - g_n / w_n >= 0}: the fit's own point {@code w_n (e_y - softmax(f_n))} does, so do its
 * multiples by a factor in {@code [0, 1]}, and centring its columns keeps the row sums at zero.
 */
public record CrossEntropyLoss(int classes) implements ClassificationLoss {

    /** @throws IllegalArgumentException unless {@code classes >= 2} */
    public CrossEntropyLoss {
        if (classes < 2) {
            throw new IllegalArgumentException("cross_entropy needs at least 2 classes, got " + classes);
        }
    }

    @Override
    public String wireName() {
        return "cross_entropy";
    }

    /** One output per class. */
    @Override
    public int outputCount() {
        return classes;
    }

    @Override
    public double rowLoss(double[] f, int fo, int label, int m, double gradientScale, double[] gradient, int go) {
        double lse = Classes.logSumExp(f, fo, m);
        double target = f[fo + label];
        for (int i = 0; i < m && gradient != null; i++) {
            double p = Math.exp(f[fo + i] - lse);
            gradient[go + i] = gradientScale * (i == label ? p - 1.0 : p);
        }
        return lse - target;
    }

    /** {@code diag(p) - p p^T} with {@code p = softmax(f)}. */
    @Override
    public void hessian(double[] f, int fOffset, double[] y, int yOffset, int m, double[] out) {
        double lse = Classes.logSumExp(f, fOffset, m);
        for (int i = 0; i < m; i++) {
            double pi = Math.exp(f[fOffset + i] - lse);
            for (int k = 0; k < m; k++) {
                double pk = Math.exp(f[fOffset + k] - lse);
                out[i * m + k] = (i == k ? pi : 0.0) - pi * pk;
            }
        }
    }

    @Override
    public double conjugate(double[] u, int uOffset, double[] y, int yOffset, int m) {
        int label = (int) y[yOffset];
        double total = 0;
        double s = 0;
        for (int i = 0; i < m; i++) {
            double p = u[uOffset + i] + (i == label ? 1.0 : 0.0);
            total += p;
            s += Classes.entropyTerm(p);
        }
        if (Double.isNaN(s) || Math.abs(total - 1.0) > Loss.DOMAIN_TOLERANCE) {
            return Double.POSITIVE_INFINITY;
        }
        return s;
    }

    /** The class probabilities, {@code softmax(f)} per row. */
    @Override
    public void predict(double[] f, int rows, int m, double[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * m;
            double lse = Classes.logSumExp(f, o, m);
            for (int i = 0; i < m; i++) {
                out[o + i] = Math.exp(f[o + i] - lse);
            }
        }
    }
}
