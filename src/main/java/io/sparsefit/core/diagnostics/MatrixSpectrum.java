package io.sparsefit.core.diagnostics;

/**
 * The singular values of one weight matrix of a deep network (theory A8).
 *
 * @param layer          index in {@code Network.layers()}; {@code layers().size()} for the output weights V
 * @param kind           {@code relu}, {@code linear} or {@code output}
 * @param rows           units the matrix feeds
 * @param cols           units it reads
 * @param singularValues descending
 * @param effectiveRank  singular values above {@link DiagnosticsCalculator#RANK_THRESHOLD} times the largest
 */
public record MatrixSpectrum(int layer, String kind, int rows, int cols, double[] singularValues, int effectiveRank) {
}
