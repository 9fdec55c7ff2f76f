package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.SolverType;
import java.util.List;
import org.junit.jupiter.api.Test;

class FitRequestTest {

    @Test
    void defaultsFillEveryMissingFieldAndMapToTheCoreSettings() {
        FitRequest r = new FitRequest("ds", null, null, null, null, null, null).withDefaults();
        // An absent width stays absent: it is a starting width auto may go beyond (issue 20), not a cap of 64.
        assertThat(r.architecture()).isEqualTo(new FitRequest.Architecture(null, true, 0));
        assertThat(r.regularization()).isEqualTo(new FitRequest.RegularizationSpec("weight_decay", 0.01));
        assertThat(r.solver()).isEqualTo(new FitRequest.SolverSpec("auto", 20000, 1e-9, 0.0, 0, false, null));
        assertThat(r.validationFraction()).isZero();
        assertThat(r.seed()).isZero();
        FitSettings s = FitValidator.settings(r);
        assertThat(s.regularization()).isEqualTo(Regularization.WEIGHT_DECAY);
        assertThat(s.solver()).isEqualTo(SolverType.AUTO);
        assertThat(s.width()).isEqualTo(64);
        assertThat(s.architecture().widthCapped()).isFalse();
        assertThat(s.maxIter()).isEqualTo(FitSettings.DEFAULT_MAX_ITER);
        assertThat(s.tol()).isEqualTo(FitSettings.DEFAULT_TOL);
        assertThat(s.logEvery()).isEqualTo(20);
    }

    @Test
    void givenFieldsAreKept() {
        FitRequest r = new FitRequest(null, null, new FitRequest.Architecture(List.of(8), false, null),
                new FitRequest.RegularizationSpec("path_norm", null), new FitRequest.SolverSpec("prox", 100, null, null, null, true, null),
                0.2, 9L).withDefaults();
        assertThat(r.architecture()).isEqualTo(new FitRequest.Architecture(List.of(8), false, 0));
        assertThat(r.regularization()).isEqualTo(new FitRequest.RegularizationSpec("path_norm", 0.01));
        assertThat(r.solver()).isEqualTo(new FitRequest.SolverSpec("prox", 100, 1e-9, 0.0, 0, true, null));
        assertThat(FitValidator.settings(r).logEvery()).isEqualTo(10);
        assertThat(FitValidator.settings(r).architecture().widthCapped()).isTrue();
        assertThat(FitValidator.settings(r).width()).isEqualTo(8);
    }
}
