package io.sparsefit.core.diagnostics;

/**
 * A run of linear layers and the ReLU layer they feed: q weight-decayed factors of one matrix {@code W = F_q ... F_1}
 * (theory A8). At a balanced factorization {@code rawPenalty = schattenPenalty}, the least weight decay of any
 * factorization of W; for q = 2 that is the nuclear norm of W.
 *
 * @param firstLayer     index of the run's first linear layer
 * @param reluLayer      index of the ReLU layer that ends it
 * @param factors        q, the number of factors (linear layers + 1)
 * @param singularValues of the product W, descending
 * @param effectiveRank  singular values of W above {@link DiagnosticsCalculator#RANK_THRESHOLD} times the largest
 * @param rawPenalty     {@code 1/2 sum_i ||F_i||_F^2}
 * @param schattenPenalty {@code (q/2) sum_i sigma_i(W)^{2/q}}
 */
public record LinearRun(int firstLayer, int reluLayer, int factors, double[] singularValues, int effectiveRank,
                        double rawPenalty, double schattenPenalty) {
}
