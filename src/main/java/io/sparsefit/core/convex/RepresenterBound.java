package io.sparsefit.core.convex;

import io.sparsefit.core.FitProblem;

/**
 * The representer bound (theory T7, A7, A2b): the fewest neurons some optimum of the infinite-width problem is
 * guaranteed to need at most, for any convex loss, m outputs and vector amplitudes with the group penalty
 * {@code sum_k ||v_k||}. The one place the count is made: the diagnostics report it, {@code auto}'s widening is capped by
 * it, and the convex solver's purification reduces towards it (to {@code q r}: the {@code r (r + 1) / 2} term needs
 * amplitudes exactly along the dual point, which a solve to a tolerance gives only approximately).
 *
 * <p>With {@code r} the dimension of the fitted values left once the unpenalized part is projected off
 * ({@code N - (d + 1)} when the affine part is free, {@code N - 1} for a classification loss, whose skip weights are
 * decayed and only the intercept is free) and {@code q} the outputs the loss tells apart ({@code m}; {@code C - 1}
 * for cross-entropy over C classes, whose softmax ignores a shift of all logits, so an optimal amplitude is orthogonal
 * to the all-ones vector: its component along it costs penalty and changes no loss), the bound is
 * {@code min(q r, r (r + 1) / 2)}:
 * <ul>
 *   <li>{@code q r}: the projected neural fitted values {@code sum_k s_k P h_k u_k^T} (magnitudes {@code s_k > 0},
 *       unit directions {@code u_k}) lie in a space of dimension {@code q r}; with the directions fixed, the
 *       penalty {@code sum_k s_k} is linear in the magnitudes, so Caratheodory's theorem (the null-vector argument
 *       of purification) leaves at most {@code q r} atoms with the same fit and penalty. One output: {@code r}.</li>
 *   <li>{@code r (r + 1) / 2}, independent of m (Shenouda, Parhi, Lee, Nowak, JMLR 25 2024, who state it as
 *       {@code N^2}): at an optimum every active amplitude is {@code s_k Q^T P h_k} with {@code Q} the optimal dual
 *       point ({@code ||Q^T P h_k|| = 1}), so the fit is {@code M Q} with {@code M = sum_k s_k (P h_k)(P h_k)^T}
 *       symmetric on an r-dimensional space and the penalty {@code sum_k s_k = trace(Q^T M Q)}: any conic
 *       combination of the same {@code (P h_k)(P h_k)^T} with the same M keeps both, and Caratheodory in the
 *       {@code r (r + 1) / 2}-dimensional space of symmetric matrices leaves that many. It is the smaller one only
 *       from {@code q > (r + 1) / 2} on (more outputs than about half the rows).</li>
 * </ul>
 * Data on one hyperplane (rank of {@code [1, X]} below {@code d + 1}) leave a larger r; the bound takes the
 * general-position count, as T7 states it.
 */
public final class RepresenterBound {

    private RepresenterBound() {
    }

    /** The bound for {@code problem}: its rows, inputs, outputs and loss. */
    public static int of(FitProblem problem) {
        return of(problem.rows(), problem.inputDim(), problem.outputDim(), problem.loss().classification());
    }

    /**
     * The bound for {@code n} rows, {@code d} inputs, {@code m} outputs; {@code classification}: a classification
     * loss (only the intercept free; with {@code m >= 2} the softmax of cross-entropy, A2b).
     */
    public static int of(int n, int d, int m, boolean classification) {
        long r = Math.max(0, n - (classification ? 1 : d + 1));
        long q = distinguishedOutputs(m, classification);
        return (int) Math.min(Integer.MAX_VALUE, Math.min(q * r, r * (r + 1) / 2));
    }

    /**
     * The outputs a loss tells apart: {@code m}, or {@code m - 1} for cross-entropy (a classification loss with two
     * outputs or more; logistic has one), which reads logits only up to a common shift.
     */
    public static int distinguishedOutputs(int m, boolean classification) {
        return classification && m >= 2 ? m - 1 : m;
    }
}
