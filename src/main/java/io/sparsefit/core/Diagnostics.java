package io.sparsefit.core;

import io.sparsefit.core.diagnostics.LayerDiagnostics;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.StopReason;
import java.util.List;

/**
 * The numbers that show the theory holding for one finished fit (see docs/diagnostics.md).
 *
 * @param objective        {@code dataFit + penalty} (theory A2)
 * @param dataFit          {@code sum_n w_n loss(f(x_n); y_n)} (A2b; {@code 1/2 sum_n ||f(x_n) - y_n||^2} for squared loss)
 * @param penalty          {@code lambda * R(theta)} for the trained regularizer
 * @param pathNorm         {@code sum_k ||v_k|| ||w_k||}, whatever the regularizer
 * @param lambda           regularization strength
 * @param regularization   wire name of the regularizer
 * @param activeNeurons    neurons with {@code ||v_k|| ||w_k|| > 0}
 * @param totalNeurons     width of the returned network
 * @param representerBound {@code min(q r, r (r + 1) / 2)} with {@code r = N - (d + 1)} ({@code N - 1} for a
 *                         classification loss) and {@code q = m} ({@code m - 1} for cross-entropy): some optimum has
 *                         no more neurons (T7, A7; {@code io.sparsefit.core.convex.RepresenterBound}); one output
 *                         {@code N - (d + 1)}, in 1-D {@code N - 2} (T3)
 * @param balanceError     {@code max_k | ||v_k|| - ||w_k|| | / ||w_k||} (A4)
 * @param knotCount        number of knots (d = 1), else 0
 * @param knots            knots sorted by position (d = 1), else empty
 * @param certificate      duality-gap certificate (T8), null when lambda = 0, the penalty is none or the fit was cancelled
 * @param trainMse         {@code (1/N) sum_n ||f(x_n) - y_n||^2} for a regression loss, the mean log loss for a
 *                         classification loss ({@code Loss.error})
 * @param iterations       solver iterations
 * @param converged        the solver met its tolerance
 * @param stopReason       why the solver stopped
 * @param solver           wire name of the solver that actually ran (after {@code auto})
 * @param runtimeMs        wall-clock time of solve + finish + diagnostics
 * @param singularValues   singular values of each weight matrix, first layer first (A8)
 * @param lossCurve        logged objective, data fit and penalty
 * @param lambdaMax        S of the affine fit's residual (T6, generalized to d >= 2 by T8): at or above it the
 *                         optimum is the affine fit with zero neurons; exact for d = 1 and for d = 2 up to
 *                         {@link io.sparsefit.core.convex.Pricing#EXACT_2D_MAX_ROWS} rows, else a lower bound; NaN
 *                         for a cancelled fit unless known beforehand
 * @param sharedNeurons    active neurons whose outer weight is non-zero in every output (A7); equals
 *                         {@code activeNeurons} for one output
 * @param deep             per-matrix spectra, linear runs, active units per layer and the last-layer certificate of a
 *                         deep network (A8); null for one hidden layer without linear layers. For a deep network
 *                         {@code pathNorm} and {@code lambdaMax} are NaN, {@code knots} empty, {@code certificate} null,
 *                         and the neuron counts are those of the last hidden layer
 */
public record Diagnostics(
        double objective,
        double dataFit,
        double penalty,
        double pathNorm,
        double lambda,
        String regularization,
        int activeNeurons,
        int totalNeurons,
        int representerBound,
        double balanceError,
        int knotCount,
        List<Knot> knots,
        Certificate certificate,
        double trainMse,
        int iterations,
        boolean converged,
        StopReason stopReason,
        String solver,
        long runtimeMs,
        List<double[]> singularValues,
        List<LossPoint> lossCurve,
        double lambdaMax,
        int sharedNeurons,
        LayerDiagnostics deep) {
}
