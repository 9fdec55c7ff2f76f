package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Column generation in three inputs beyond the enumeration's rows confirms a local stop by the certificate's branch
 * and bound (theory T8, C4; {@code ColumnGeneration#bounded}): the local search can miss the dual norm's maximum.
 * On FitFingerprint's three-input problem (80 rows, lambda 0.05) {@code auto} with the width not given stopped, before
 * the confirmation, at a proven gap of 1.7e-2 of J (the certificate's branch and bound found the atoms the local search
 * missed); with it, 6.3e-4 when written; with the local ascent's tight steps ({@code LocalPricing}) the fit ends at
 * its optimum (sampled gap 6.7e-10 of J) and the certificate proves 1.3e-5 ({@code ProvenDualNorm.ABSOLUTE_SLACK}). The gap asserted is the certificate's proven one ({@code exact}), whose
 * bounds are tested against brute force in {@code OffsetCellBoundTest}.
 */
class BoundedStopTest {

    @Test
    void autoInThreeInputsEndsWithinAProvenGapTheLocalStopMissed() {
        DMatrixRMaj x = FitFingerprint.x(80, 3, 3);
        FitProblem p = new FitProblem(x, FitFingerprint.y(x, 3, 0));
        FitOutcome o = SparseFit.fit(p, FitSettings.defaults(0.05).withMaxIter(3000), ProgressListener.NONE,
                CancellationToken.NEVER);
        Certificate c = o.diagnostics().certificate();
        assertThat(c.exact()).isTrue();
        assertThat(c.gap()).isLessThan(2e-3 * o.diagnostics().objective());
    }
}
