package io.sparsefit.core.loss;

/**
 * {@code loss(f; y) = 1/2 ||f - y||^2} (theory A2), real targets, m outputs: the Huber loss without a linear part
 * ({@code delta = +infinity}, {@link RegressionLoss}). Its conjugate {@code u . y + 1/2 ||u||^2} is defined everywhere
 * and its dual point is the (weighted) residual {@code y - f} (T8 for {@code w = 1}).
 */
public record SquaredLoss() implements RegressionLoss {

    /** The one instance. */
    public static final SquaredLoss INSTANCE = new SquaredLoss();

    @Override
    public String wireName() {
        return "squared";
    }

    @Override
    public boolean leastSquares() {
        return true;
    }

    @Override
    public double delta() {
        return Double.POSITIVE_INFINITY;
    }
}
