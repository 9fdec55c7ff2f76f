package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.loss.LogisticLoss;
import org.junit.jupiter.api.Test;

/** The loss and the sample weights a problem carries (theory A2b), and what it refuses. */
class FitProblemTest {

    private static final double[][] X = {{0}, {1}, {2}, {3}};

    @Test
    void defaultsToSquaredLossWithoutWeights() {
        FitProblem p = FitProblem.of1D(new double[] {0, 1, 2}, new double[] {1, 2, 0});
        assertThat(p.loss()).isEqualTo(Loss.squared());
        assertThat(p.sampleWeights()).isNull();
        assertThat(p.weight(1)).isEqualTo(1.0);
    }

    @Test
    void weightsAreValidatedAndCopied() {
        FitProblem p = FitProblem.of1D(new double[] {0, 1, 2}, new double[] {1, 2, 0});
        double[] w = {1, 2, 3};
        FitProblem weighted = p.withSampleWeights(w).withLoss(new HuberLoss(1));
        w[0] = 9;
        assertThat(weighted.sampleWeights()).containsExactly(1, 2, 3);
        assertThat(weighted.loss()).isEqualTo(new HuberLoss(1));
        assertThat(weighted.withSampleWeights(null).sampleWeights()).isNull();
        assertThat(p.sampleWeights()).isNull();
        assertThatThrownBy(() -> p.withSampleWeights(new double[] {1, 2})).hasMessageContaining("length 2");
        assertThatThrownBy(() -> p.withSampleWeights(new double[] {1, 0, 2})).hasMessageContaining("weight 1");
        assertThatThrownBy(() -> p.withSampleWeights(new double[] {1, Double.NaN, 2})).hasMessageContaining("weight 1");
        assertThatThrownBy(() -> p.withSampleWeights(new double[] {1, 1, Double.POSITIVE_INFINITY})).hasMessageContaining("weight 2");
    }

    @Test
    void classificationTargetsAreChecked() {
        FitProblem classes = FitProblem.of(X, new double[][] {{0}, {2}, {1}, {2}});
        FitProblem ce = classes.withLoss(new CrossEntropyLoss(3));
        assertThat(ce.outputDim()).isEqualTo(3);
        assertThat(ce.targetDim()).isEqualTo(1);
        assertThatThrownBy(() -> classes.withLoss(LogisticLoss.INSTANCE)).hasMessageContaining("row 1 has 2.0");
        assertThatThrownBy(() -> FitProblem.of(X, new double[][] {{0}, {0.5}, {1}, {0}}).withLoss(LogisticLoss.INSTANCE))
                .hasMessageContaining("row 1");
        assertThatThrownBy(() -> FitProblem.of(X, new double[][] {{0, 1}, {0, 1}, {1, 0}, {0, 1}}).withLoss(LogisticLoss.INSTANCE))
                .hasMessageContaining("one target column");
    }
}
