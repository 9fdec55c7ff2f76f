package io.sparsefit.model;

import io.sparsefit.core.loss.Loss;
import io.sparsefit.dataset.TargetClasses;

/**
 * What a classification model's outputs (logits) say (theory A2b): the class probabilities, read by the loss's own
 * {@link Loss#predict} (softmax for {@code cross_entropy}; for {@code logistic} the sigmoid of the one logit is the
 * second class's probability and one minus it the first's, as the ONNX export computes them), and the most probable
 * class of each row (the first on a tie).
 */
final class ClassProbabilities {

    private ClassProbabilities() {
    }

    /**
     * The probabilities, N x C, of outputs {@code f} (N x m, not modified): C = 2 for one logistic output, else m.
     */
    static double[][] of(double[][] f, Loss loss) {
        int n = f.length;
        int m = n == 0 ? 0 : f[0].length;
        double[] flat = new double[n * m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(f[i], 0, flat, i * m, m);
        }
        loss.predict(flat, n, m, flat);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = m == 1 ? new double[] {1.0 - flat[i], flat[i]} : java.util.Arrays.copyOfRange(flat, i * m, (i + 1) * m);
        }
        return p;
    }

    /** The index of the largest probability of each row (the first of equal ones). */
    static int[] argmax(double[][] p) {
        int[] best = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int k = 1; k < p[i].length; k++) {
                if (p[i][k] > p[i][best[i]]) {
                    best[i] = k;
                }
            }
        }
        return best;
    }

    /** The labels of classes {@code index} (strings or integers, as the dataset's classes). */
    static Object[] labels(int[] index, TargetClasses classes) {
        Object[] out = new Object[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = classes.labels().get(index[i]);
        }
        return out;
    }
}
