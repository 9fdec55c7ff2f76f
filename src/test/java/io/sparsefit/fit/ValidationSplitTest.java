package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

    private static DMatrixRMaj column(int n, double offset) {
        DMatrixRMaj m = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            m.data[i] = i + offset;
        }
        return m;
    }

    @Test
    void holdsOutTheRoundedFractionDisjointlyInOrderAndReproducibly() {
        DMatrixRMaj x = column(20, 0);
        DMatrixRMaj y = column(20, 100);
        ValidationSplit a = ValidationSplit.of(x, y, 0.24, 7);
        ValidationSplit b = ValidationSplit.of(x, y, 0.24, 7);
        assertThat(a.validX().numRows).isEqualTo(5);
        assertThat(a.trainX().numRows).isEqualTo(15);
        assertThat(a.validX().data).isEqualTo(b.validX().data);
        List<Double> all = new ArrayList<>();
        for (double v : a.trainX().data) {
            all.add(v);
        }
        for (double v : a.validX().data) {
            all.add(v);
        }
        assertThat(all).doesNotHaveDuplicates().hasSize(20);
        assertThat(a.trainX().data).isSorted();
        assertThat(a.validX().data).isSorted();
        for (int i = 0; i < a.trainX().numRows; i++) {
            assertThat(a.trainY().data[i]).isEqualTo(a.trainX().data[i] + 100);
        }
        assertThat(ValidationSplit.of(x, y, 0.24, 8).validX().data).isNotEqualTo(a.validX().data);
    }

    @Test
    void zeroFractionKeepsEveryRow() {
        DMatrixRMaj x = column(5, 0);
        ValidationSplit s = ValidationSplit.of(x, x, 0.0, 1);
        assertThat(s.hasValidation()).isFalse();
        assertThat(s.trainX()).isSameAs(x);
    }
}
