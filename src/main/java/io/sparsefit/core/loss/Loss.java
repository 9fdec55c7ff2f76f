package io.sparsefit.core.loss;

/**
 * A convex loss {@code loss(f; y)} of the network's outputs {@code f} (m numbers per sample) against a target row
 * {@code y} (theory A2b). The fit term is {@code sum_n w_n loss(f_n; y_n)} with sample weights {@code w_n > 0}
 * (null: all ones).
 *
 * <p>Layout of every kernel: outputs {@code f} are {@code rows x m} row-major; targets are {@code rows x t}
 * row-major with {@code t = }{@link #targetColumns(int)} (m for the regression losses, 1 for the classification
 * losses, whose target column holds the class as a double); weights have one entry per row. Offsets say where row 0
 * starts in each array. Arrays that are read are not modified; the output argument comes last.
 *
 * <p>The certificate (A2b, T8) uses the dual point {@code g_n = -w_n dloss/df (f_n; y_n)} ({@link #dualPoint}),
 * made feasible by the caller, and the dual value {@code D(g) = -sum_n w_n loss*(-g_n / w_n; y_n)} ({@link
 * #dualValue}), with {@code loss*} the convex conjugate in the first argument ({@link #conjugate}), which is
 * {@code +infinity} outside its domain.
 */
public sealed interface Loss permits RegressionLoss, ClassificationLoss {

    /**
     * How far (absolute) a dual point may stray outside a conjugate's domain through the rounding of its projection
     * and still be clipped back onto it instead of giving {@code +infinity}. The conjugates are continuous up to
     * their domain's boundary, so this moves the dual value by about as much.
     */
    double DOMAIN_TOLERANCE = 1e-9;

    /** The squared loss {@code 1/2 ||f - y||^2} (theory A2), the default. */
    static Loss squared() {
        return SquaredLoss.INSTANCE;
    }

    /**
     * The member of the family with wire name {@code name} ({@link #wireName()}): {@code huber} with {@code delta},
     * {@code cross_entropy} over {@code classes} classes; the other arguments are ignored.
     *
     * @throws IllegalArgumentException for an unknown name, or an invalid delta or class count
     */
    static Loss of(String name, double delta, int classes) {
        return switch (name) {
            case "squared" -> SquaredLoss.INSTANCE;
            case "huber" -> new HuberLoss(delta);
            case "logistic" -> LogisticLoss.INSTANCE;
            case "cross_entropy" -> new CrossEntropyLoss(classes);
            default -> throw new IllegalArgumentException("unknown loss '" + name + "'; the losses are squared, huber, logistic, "
                    + "cross_entropy");
        };
    }

    /**
     * Whether this is the squared loss (A2), for which the data fit is least squares: the closed-form affine fit, the
     * polish's group lasso, the exact 1-D solver and the least-squares certificate (T8) read it so. Code outside the
     * loss family asks this instead of naming a member.
     */
    default boolean leastSquares() {
        return false;
    }

    /** The name used in requests and reports: {@code squared}, {@code huber}, {@code logistic}, {@code cross_entropy}. */
    String wireName();

    /**
     * Whether this is a classification loss: then the skip's weight matrix {@code C} is weight-decayed,
     * {@code lambda/2 ||C||_F^2}, and only its intercept stays free (A2b: with a free {@code C} separable data has
     * no minimizer), so the certificate's dual point is made orthogonal to the constants only.
     */
    default boolean classification() {
        return false;
    }

    /** The network outputs m this loss reads from {@code targetColumns} target columns (regression: as many). */
    default int outputs(int targetColumns) {
        return targetColumns;
    }

    /** The target columns for m network outputs (m for regression, 1 for classification). */
    default int targetColumns(int outputs) {
        return outputs;
    }

    /**
     * Checks that targets are admissible (e.g. classes in range); regression losses take any finite target
     * ({@code FitProblem} checks finiteness).
     *
     * @param y    targets, {@code rows x targetColumns} row-major, not modified
     * @throws IllegalArgumentException naming the first bad row
     */
    default void checkTargets(double[] y, int rows, int targetColumns) {
    }

    /**
     * {@code sum_n w_n loss(f_n; y_n)} over {@code rows} samples; with {@code gradient} not null also
     * {@code gradient[n m + i] = scale * w_n * dloss/df_i (f_n; y_n)} (it may be the same array as {@code f} with
     * the same offset: each row is read before it is written).
     *
     * @param f        outputs from {@code fOffset}, not modified (unless it is {@code gradient})
     * @param y        targets from {@code yOffset}, not modified
     * @param w        weights from {@code wOffset}, or null for all ones, not modified
     * @param gradient the scaled gradient from {@code gOffset}, or null, modified
     * @return the weighted sum of the losses, unscaled
     */
    double gradient(double[] f, int fOffset, double[] y, int yOffset, double[] w, int wOffset, int rows, int m,
                    double scale, double[] gradient, int gOffset);

    /** {@code sum_n w_n loss(f_n; y_n)}; arrays from index 0, not modified. */
    default double value(double[] f, double[] y, double[] w, int rows, int m) {
        return gradient(f, 0, y, 0, w, 0, rows, m, 1.0, null, 0);
    }

    /**
     * The dual point of a fit (A2b): {@code g[n m + i] = -w_n dloss/df_i (f_n; y_n)} (for squared loss the residual
     * {@code y - f}, times the weight).
     *
     * @param g modified; may be {@code f}
     */
    default void dualPoint(double[] f, double[] y, double[] w, int rows, int m, double[] g) {
        gradient(f, 0, y, 0, w, 0, rows, m, -1.0, g, 0);
    }

    /**
     * A dual point that is orthogonal to the constants and inside the conjugate's domain, into {@code g}
     * ({@code rows x m}, modified): the one the certificate falls back towards when the projection of a fit's dual
     * point leaves the domain ({@link io.sparsefit.core.convex.FenchelDual}). For the regression losses zero (inside
     * every domain); for the classification losses the dual point of the best constant prediction,
     * {@code w_n (onehot(y_n) - p)} with {@code p} the weighted class frequencies (A2b).
     *
     * @param y targets, not modified
     * @param w sample weights or null, not modified
     */
    default void constantDualPoint(double[] y, double[] w, int rows, int m, double[] g) {
        java.util.Arrays.fill(g, 0, rows * m, 0.0);
    }

    /**
     * The Hessian {@code d^2 loss / df^2} of one sample, m x m row-major into {@code out} from 0 (modified), for the
     * Newton steps of the affine refit; where the loss has a kink of its second derivative (Huber at
     * {@code |r| = delta}) the one-sided value from inside.
     *
     * @param f outputs of the sample from {@code fOffset}, not modified
     * @param y its target row from {@code yOffset}, not modified
     */
    void hessian(double[] f, int fOffset, double[] y, int yOffset, int m, double[] out);

    /**
     * {@code loss*(u; y) = sup_f (u . f - loss(f; y))} for one sample: {@code u} (m entries from {@code uOffset}) and
     * its target row from {@code yOffset}; {@code +infinity} outside the domain (beyond {@link #DOMAIN_TOLERANCE}).
     * Not modified.
     */
    double conjugate(double[] u, int uOffset, double[] y, int yOffset, int m);

    /**
     * The dual value {@code D(g) = -sum_n w_n loss*(-g_n / w_n; y_n)} of a feasible dual point (A2b); the caller
     * subtracts {@code ||X^T g||_F^2 / (2 lambda)} when {@code C} is penalized. {@code -infinity} when some
     * {@code -g_n / w_n} is outside the conjugate's domain.
     *
     * @param g    the dual point, {@code rows x m}, not modified
     * @param work at least m entries, modified
     */
    default double dualValue(double[] g, double[] y, double[] w, int rows, int m, double[] work) {
        int t = targetColumns(m);
        double dual = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w == null ? 1.0 : w[r];
            for (int i = 0; i < m; i++) {
                work[i] = -g[r * m + i] / wr;
            }
            dual -= wr * conjugate(work, 0, y, r * t, m);
        }
        return dual;
    }

    /**
     * The error a fit reports ({@code trainMse}) and a path validates with, unweighted: for a regression loss the
     * squared error {@code ||f_n - y_n||^2} (so its mean is the mean squared error whatever the training loss), for a
     * classification loss the loss itself (log loss / cross-entropy). Writes each row's error into {@code perRow}
     * when it is not null (modified) and returns their sum (for the regression losses summed entry by entry in order).
     *
     * @param f outputs, {@code rows x m}, not modified
     * @param y targets, not modified
     */
    double error(double[] f, double[] y, int rows, int m, double[] perRow);

    /**
     * Reads predictions from outputs: the identity for regression, the probability of class 1 (the sigmoid of the
     * logit) for {@code logistic}, the class probabilities (softmax) for {@code cross_entropy}.
     *
     * @param f   outputs, {@code rows x m}, not modified (unless it is {@code out})
     * @param out {@code rows x m}, modified; may be {@code f}
     */
    default void predict(double[] f, int rows, int m, double[] out) {
        if (out != f) {
            System.arraycopy(f, 0, out, 0, rows * m);
        }
    }
}
