package io.sparsefit.core.loss;

/** Numerics shared by the classification losses: softplus, sigmoid, log-sum-exp and the entropy term of their conjugates. */
final class Classes {

    private Classes() {
    }

    /**
     * {@code p log p} with {@code 0 log 0 = 0}, for {@code p} in {@code [0, 1]} up to {@link Loss#DOMAIN_TOLERANCE}
     * (clipped onto it); NaN beyond, which the callers turn into {@code +infinity}.
     */
    static double entropyTerm(double p) {
        if (p < 0 || p > 1) {
            if (p < -Loss.DOMAIN_TOLERANCE || p > 1 + Loss.DOMAIN_TOLERANCE) {
                return Double.NaN;
            }
            p = Math.max(0.0, Math.min(1.0, p));
        }
        return p > 0 ? p * Math.log(p) : 0.0;
    }

    /** {@code log sum_i exp(f_i)} over {@code f[offset..offset+m)} without overflow (the maximum factored out). */
    static double logSumExp(double[] f, int offset, int m) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            max = Math.max(max, f[offset + i]);
        }
        double z = 0;
        for (int i = 0; i < m; i++) {
            z += Math.exp(f[offset + i] - max);
        }
        return max + Math.log(z);
    }

    /** {@code log(1 + exp(f))} without overflow or cancellation. */
    static double softplus(double f) {
        return Math.max(f, 0.0) + Math.log1p(Math.exp(-Math.abs(f)));
    }

    /** {@code 1 / (1 + exp(-f))} without overflow. */
    static double sigmoid(double f) {
        if (f >= 0) {
            return 1.0 / (1.0 + Math.exp(-f));
        }
        double e = Math.exp(f);
        return e / (1.0 + e);
    }
}
