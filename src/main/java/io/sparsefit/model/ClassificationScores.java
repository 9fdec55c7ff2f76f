package io.sparsefit.model;

import io.sparsefit.core.loss.Loss;
import org.ejml.data.DMatrixRMaj;

/**
 * How well a classification model's outputs fit rows of known classes: accuracy (the share of rows whose most probable
 * class is theirs), the mean log loss {@code (1/N) sum_n -log p_{y_n}(x_n)} (the loss itself, theory A2b, unweighted),
 * the confusion matrix and, for two classes, the AUC.
 *
 * @param confusion {@code confusion[k][j]}: rows of class k predicted as class j
 * @param auc       for two classes the area under the ROC curve of the second class's probability (the probability
 *                  that a random row of the second class scores above a random row of the first, ties counting half);
 *                  null for more classes or when a class is absent
 */
record ClassificationScores(int rows, double accuracy, double logLoss, long[][] confusion, Double auc) {

    /**
     * Scores of outputs {@code f} (N x m, not modified) against class indices {@code y} (N x 1, not modified) under
     * {@code loss} over {@code classes} classes.
     */
    static ClassificationScores of(DMatrixRMaj f, DMatrixRMaj y, Loss loss, int classes) {
        int n = f.numRows;
        double[][] p = ClassProbabilities.of(ModelService.rowsOf(f), loss);
        int[] predicted = ClassProbabilities.argmax(p);
        long[][] confusion = new long[classes][classes];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int k = (int) y.data[i];
            confusion[k][predicted[i]]++;
            correct += k == predicted[i] ? 1 : 0;
        }
        double logLoss = loss.error(f.data, y.data, n, f.numCols, null) / n;
        return new ClassificationScores(n, (double) correct / n, logLoss, confusion, classes == 2 ? auc(p, y) : null);
    }

    /**
     * Mann-Whitney from ranks (O(N log N)): the sum of the second class's ranks by score, ties given their mean rank,
     * less its least possible value, over the number of (second, first) pairs.
     */
    private static Double auc(double[][] p, DMatrixRMaj y) {
        int n = p.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> p[i][1]));
        double positives = 0;
        double rankSum = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && p[order[end + 1]][1] == p[order[start]][1]) {
                end++;
            }
            double meanRank = (start + end) / 2.0 + 1.0;
            for (int r = start; r <= end; r++) {
                if (y.data[order[r]] == 1) {
                    positives++;
                    rankSum += meanRank;
                }
            }
            start = end + 1;
        }
        double negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
    }
}
