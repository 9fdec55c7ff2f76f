package io.sparsefit.core.loss;

/**
 * The logistic loss (theory A2b) of two classes with one output, the logit of class 1:
 * {@code loss(f; y) = log(1 + exp(f)) - y f} with {@code y} in {0, 1}, computed as
 * {@code max(f, 0) + log1p(exp(-|f|)) - y f} (no overflow for any f). Its derivative is {@code sigmoid(f) - y}.
 *
 * <p>Conjugate: {@code loss*(u; y) = s*(u + y)} with {@code s*} the conjugate of the softplus,
 * {@code s*(p) = p log p + (1 - p) log(1 - p)} on {@code 0 <= p <= 1} ({@code 0 log 0 = 0}), {@code +infinity}
 * outside. So a dual point {@code g_n} must satisfy {@code 0 <= y_n - g_n / w_n <= 1}: the fit's own point
 * {@code g_n = w_n (y_n - sigmoid(f_n))} does, and so does any multiple by a factor in {@code [0, 1]}.
 */
public record LogisticLoss() implements ClassificationLoss {

    /** The one instance. */
    public static final LogisticLoss INSTANCE = new LogisticLoss();

    @Override
    public String wireName() {
        return "logistic";
    }

    @Override
    public int classes() {
        return 2;
    }

    /** One output, the logit of class 1. */
    @Override
    public int outputCount() {
        return 1;
    }

    @Override
    public double rowLoss(double[] f, int fo, int label, int m, double gradientScale, double[] gradient, int go) {
        double fr = f[fo];
        double loss = Classes.softplus(fr) - label * fr;
        if (gradient != null) {
            gradient[go] = gradientScale * (Classes.sigmoid(fr) - label);
        }
        return loss;
    }

    @Override
    public void hessian(double[] f, int fOffset, double[] y, int yOffset, int m, double[] out) {
        double s = Classes.sigmoid(f[fOffset]);
        out[0] = s * (1.0 - s);
    }

    @Override
    public double conjugate(double[] u, int uOffset, double[] y, int yOffset, int m) {
        double p = u[uOffset] + y[yOffset];
        double s = Classes.entropyTerm(p) + Classes.entropyTerm(1.0 - p);
        return Double.isNaN(s) ? Double.POSITIVE_INFINITY : s;
    }

    /** The probability of class 1, {@code sigmoid(f)}. */
    @Override
    public void predict(double[] f, int rows, int m, double[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = Classes.sigmoid(f[r]);
        }
    }
}
