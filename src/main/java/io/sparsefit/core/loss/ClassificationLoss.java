package io.sparsefit.core.loss;

/**
 * The classification losses (theory A2b): the target column holds a class in {@code 0..classes()-1} as a double, the
 * outputs are logits ({@code logistic}: one, the logit of class 1; {@code cross_entropy}: one per class). The skip's
 * {@code C} is weight-decayed for them ({@link #classification()}), and the error a fit reports is the loss itself.
 */
sealed interface ClassificationLoss extends Loss permits LogisticLoss, CrossEntropyLoss {

    /** The number of classes. */
    int classes();

    /** The network outputs: 1 for two classes read through one logit, else one per class. */
    int outputCount();

    /**
     * One sample's loss at its outputs {@code f[fo .. fo + m)} (not modified before they are read) and class
     * {@code label}; with {@code gradient} not null also {@code gradientScale * dloss/df} into it from {@code go}.
     */
    double rowLoss(double[] f, int fo, int label, int m, double gradientScale, double[] gradient, int go);

    /** Row by row through {@link #rowLoss}, each weighted (the gradient scaled by {@code scale w_n}). */
    @Override
    default double gradient(double[] f, int fOffset, double[] y, int yOffset, double[] w, int wOffset, int rows, int m,
                            double scale, double[] gradient, int gOffset) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w == null ? 1.0 : w[wOffset + r];
            sum += wr * rowLoss(f, fOffset + r * m, (int) y[yOffset + r], m, scale * wr, gradient, gOffset + r * m);
        }
        return sum;
    }

    @Override
    default boolean classification() {
        return true;
    }

    @Override
    default int outputs(int targetColumns) {
        checkOneTargetColumn(targetColumns);
        return outputCount();
    }

    @Override
    default int targetColumns(int outputs) {
        if (outputs != outputCount()) {
            throw new IllegalArgumentException(wireName() + " over " + classes() + " classes has " + outputCount()
                    + (outputCount() == 1 ? " output (the logit)" : " outputs") + ", got " + outputs);
        }
        return 1;
    }

    /** Column 0 of every row must hold a class index in {@code 0..classes-1} (as a double). */
    @Override
    default void checkTargets(double[] y, int rows, int targetColumns) {
        checkOneTargetColumn(targetColumns);
        int classes = classes();
        for (int r = 0; r < rows; r++) {
            double c = y[r];
            if (c != Math.rint(c) || c < 0 || c >= classes) {
                throw new IllegalArgumentException(wireName() + " needs a class in 0.." + (classes - 1)
                        + " as target, row " + r + " has " + c);
            }
        }
    }

    private void checkOneTargetColumn(int targetColumns) {
        if (targetColumns != 1) {
            throw new IllegalArgumentException(wireName() + " takes one target column (the class), got " + targetColumns);
        }
    }

    /**
     * {@code w_n (onehot(y_n) - p)} with {@code p} the weighted class frequencies, read at the classes the outputs
     * stand for (output i is the logit of class {@code i + classes - m}: class 1 for {@code logistic}'s one output).
     */
    @Override
    default void constantDualPoint(double[] y, double[] w, int rows, int m, double[] g) {
        double[] frequency = new double[classes()];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w == null ? 1.0 : w[r];
            total += wr;
            frequency[(int) y[r]] += wr;
        }
        int shift = classes() - m;
        for (int r = 0; r < rows; r++) {
            double wr = w == null ? 1.0 : w[r];
            int label = (int) y[r];
            for (int i = 0; i < m; i++) {
                g[r * m + i] = wr * ((i + shift == label ? 1.0 : 0.0) - frequency[i + shift] / total);
            }
        }
    }

    /** The loss itself (log loss / cross-entropy), unweighted, row by row. */
    @Override
    default double error(double[] f, double[] y, int rows, int m, double[] perRow) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double e = gradient(f, r * m, y, r, null, 0, 1, m, 1.0, null, 0);
            if (perRow != null) {
                perRow[r] = e;
            }
            sum += e;
        }
        return sum;
    }
}
