package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.convex.ArrangementPricing3D;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@code auto} is not limited by a width the caller did not give (issue 20, theory C2, T1, T7, T8): on N = 60 random
 * points in d = 3 whose optimum needs more than the starting width of 4 neurons, {@code auto} ends at the width-free
 * optimum, certified independently here: the cold {@code convex} fit's objective minus its T8 gap, computed by
 * {@link ProvenCertificateTest#independentGap} with the exact d = 3 dual norm ({@code new ArrangementPricing3D(x, m).best(r, null).value()},
 * itself checked against brute force over all activation patterns), is a proven lower bound on the optimum (T1).
 * A given width stays a cap, with today's fit unchanged.
 */
class WidthFreeFitTest {

    static final int ROWS = 60;
    static final double LAMBDA = 1.0;

    @Test
    void autoFromAStartingWidthOfFourReachesTheCertifiedOptimumWithMoreNeurons() {
        FitProblem p = problem();
        FitSettings auto = FitSettings.defaults(LAMBDA).withArchitecture(Architecture.startingWidth(4, true));
        FitOutcome convex = SparseFit.fit(p, FitSettings.defaults(LAMBDA).withSolver(SolverType.CONVEX), ProgressListener.NONE,
                CancellationToken.NEVER);
        double certified = convex.diagnostics().objective()
                - ProvenCertificateTest.independentGap(convex.shallow(), p, LAMBDA, (x, r) -> new ArrangementPricing3D(x, r.numCols).best(r, null).value());
        // the convex fit itself is certified optimal to 1e-7 relative, so the bound below is tight
        assertThat(certified).isGreaterThan(convex.diagnostics().objective() * (1 - 1e-7));

        FitOutcome out = SparseFit.fit(p, auto, ProgressListener.NONE, CancellationToken.NEVER);
        double j = out.diagnostics().objective();
        assertThat(j).isGreaterThanOrEqualTo(certified * (1 - 1e-9));   // T1
        assertThat(j).isLessThanOrEqualTo(certified * (1 + 1e-6));
        assertThat(out.diagnostics().activeNeurons()).isGreaterThan(4);
        assertThat(out.diagnostics().activeNeurons()).isLessThanOrEqualTo(ROWS - 4);   // T7

        // The same problem with the width given: lbfgs at 4 neurons, short of the optimum (this fit is today's auto).
        FitOutcome capped = SparseFit.fit(p, FitSettings.defaults(LAMBDA).withWidth(4), ProgressListener.NONE,
                CancellationToken.NEVER);
        FitOutcome lbfgs = SparseFit.fit(p, FitSettings.defaults(LAMBDA).withWidth(4).withSolver(SolverType.LBFGS),
                ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(capped.diagnostics().solver()).isEqualTo("lbfgs");
        assertThat(capped.diagnostics().activeNeurons()).isLessThanOrEqualTo(4);
        assertThat(capped.diagnostics().objective()).isEqualTo(lbfgs.diagnostics().objective());
        assertThat(capped.diagnostics().objective()).isGreaterThan(certified * (1 + 1e-3));
    }

    @Test
    void fitsThatDoNotFillTheirWidthAndGivenWidthsAreLeftToLbfgs() {
        FitSettings start = FitSettings.defaults(LAMBDA).withArchitecture(Architecture.startingWidth(4, true));
        var demand = SparseFit.demand(problem(), start);
        assertThat(SparseFit.widthFree(start, demand, SolverType.LBFGS, ROWS)).isTrue();
        assertThat(SparseFit.widthFree(start, demand, SolverType.LBFGS, SparseFit.AUTO_WIDTH_FREE_MAX_ROWS + 1)).isFalse();
        assertThat(SparseFit.widthFree(start.withWidth(4), demand, SolverType.LBFGS, ROWS)).isFalse();
        assertThat(SparseFit.widthFree(start.withSolver(SolverType.LBFGS), demand, SolverType.LBFGS, ROWS)).isFalse();
        assertThat(SparseFit.widthFree(start.withSkip(false), SparseFit.demand(problem(), start.withSkip(false)),
                SolverType.LBFGS, ROWS)).isFalse();
        // 60 points on a planted network of two neurons at a large lambda: lbfgs from 64 uses a few, convex never runs
        FitProblem narrow = new FitProblem(RandomNetworks.matrix(ROWS, 3, 11),
                RandomNetworks.network(3, 1, 2, true, 12).predict(RandomNetworks.matrix(ROWS, 3, 11), null));
        FitOutcome out = SparseFit.fit(narrow, FitSettings.defaults(0.5), ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(WidthFreeFit.filled(out.diagnostics().activeNeurons(), FitSettings.DEFAULT_WIDTH)).isFalse();
        assertThat(out.diagnostics().solver()).isEqualTo("lbfgs");
    }

    /** N = 60 points in [-1, 1]^3-like Gaussian positions, targets from a random 8-neuron network plus noise. */
    private static FitProblem problem() {
        DMatrixRMaj x = RandomNetworks.matrix(ROWS, 3, 1);
        ShallowNetwork teacher = RandomNetworks.network(3, 1, 8, true, 2);
        DMatrixRMaj y = teacher.predict(x, null);
        DMatrixRMaj e = RandomNetworks.matrix(ROWS, 1, 3);
        for (int i = 0; i < ROWS; i++) {
            y.data[i] += 0.3 * e.data[i];
        }
        return new FitProblem(x, y);
    }
}
