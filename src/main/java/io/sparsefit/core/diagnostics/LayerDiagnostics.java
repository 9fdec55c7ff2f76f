package io.sparsefit.core.diagnostics;

import io.sparsefit.core.finish.Certificate;
import java.util.List;

/**
 * What a network read layer by layer adds to the diagnostics (theory A8).
 *
 * @param matrices             every weight matrix, first layer first, V last
 * @param linearRuns           every run of linear layers with the ReLU layer it feeds (empty without linear layers)
 * @param activeUnits          per hidden layer, units with {@code ||in|| ||out|| > }{@link
 *                             DiagnosticsCalculator#ACTIVE_THRESHOLD} times the layer's largest such product
 * @param balanceError         {@code max | ||out_k|| - ||in_k|| | / ||in_k||} over ReLU units (A4 per layer)
 * @param lastLayerCertificate duality gap of the last-layer group lasso with the earlier layers fixed
 *                             ({@code Polish.certificate}); null without weight decay, with lambda = 0, or
 *                             when a fit past its deadline's grace stopped its features
 */
public record LayerDiagnostics(List<MatrixSpectrum> matrices, List<LinearRun> linearRuns, List<Integer> activeUnits,
                              double balanceError, Certificate lastLayerCertificate) {

    public LayerDiagnostics {
        matrices = List.copyOf(matrices);
        linearRuns = List.copyOf(linearRuns);
        activeUnits = List.copyOf(activeUnits);
    }
}
