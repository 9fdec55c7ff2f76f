package io.sparsefit.core.loss;

/**
 * The Huber loss with parameter {@code delta > 0} (theory A2b), per output with {@code r = f - y}: {@code 1/2 r^2} for
 * {@code |r| <= delta}, else {@code delta (|r| - delta/2)}; real targets, m outputs. Its derivative, curvature and
 * conjugate are those of {@link RegressionLoss}.
 */
public record HuberLoss(double delta) implements RegressionLoss {

    /** @throws IllegalArgumentException unless {@code delta} is finite and positive */
    public HuberLoss {
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("huber delta must be finite and > 0, got " + delta);
        }
    }

    @Override
    public String wireName() {
        return "huber";
    }
}
