package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.convex.RepresenterBound;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverCapabilities;
import io.sparsefit.core.solver.SolverType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wide {@code lbfgs} run of {@link WidthFreeSolver} is at most the representer bound (theory T7), not
 * {@link WidthFreeSolver#WIDEN_FACTOR} times the starting width, where the bound is the smaller: on 40 rows in three
 * inputs with one output the bound is 40 - (3 + 1) = 36, below 6 x 8 = 48 from a starting width of eight.
 */
class WideWidthTest {

    static final int ROWS = 40;
    static final int STARTING_WIDTH = 8;
    static final int PROBE = 100;
    static final int MAX_ITER = 400;
    /** Small enough that all eight neurons are in use at the probe point: the fit widens. */
    static final double LAMBDA = 1e-3;

    /** The rule, against the bound computed by hand. */
    @Test
    void theWideWidthIsSixTimesTheStartingWidthAtMostTheRepresenterBound() {
        assertThat(RepresenterBound.of(ROWS, 3, 1, false)).isEqualTo(36);
        assertThat(WidthFreeSolver.wideWidth(STARTING_WIDTH, ROWS, 3, 1, false)).isEqualTo(36);
        assertThat(WidthFreeSolver.wideWidth(STARTING_WIDTH, 1_000, 3, 1, false)).isEqualTo(48);
        assertThat(WidthFreeSolver.wideWidth(64, 10_000, 10, 1, false)).isEqualTo(384);   // the default start
        // logistic: only the intercept is free, N - 1 = 39, still below 48
        assertThat(WidthFreeSolver.wideWidth(STARTING_WIDTH, ROWS, 3, 1, true)).isEqualTo(39);
        // a bound below the starting width leaves the starting width (the wide run is never narrower)
        assertThat(WidthFreeSolver.wideWidth(STARTING_WIDTH, 6, 3, 1, false)).isEqualTo(STARTING_WIDTH);
    }

    /**
     * The service's view of the same rule ({@link SparseFit#widenedLbfgsWidth}): a default fit where {@code auto} is
     * {@code lbfgs} widens to the wide width, also beyond {@link WidthFreeSolver#WIDE_MAX_ROWS} rows (no wide run there,
     * the convex phase adds the atoms) up to {@link SparseFit#AUTO_WIDTH_FREE_MAX_ROWS}; every fit that does not widen so
     * is 0.
     */
    @Test
    void theWidenedWidthIsTheWideWidthWhereAutoIsLbfgsAndWidens() {
        FitSettings auto = FitSettings.defaults(0.01);
        assertThat(SparseFit.widenedLbfgsWidth(auto, demand(auto, 10, false), 10_000)).isEqualTo(384);
        assertThat(SparseFit.widenedLbfgsWidth(auto, demand(auto, 10, false), WidthFreeSolver.WIDE_MAX_ROWS + 1))
                .isEqualTo(384);
        FitSettings fromEight = auto.withArchitecture(Architecture.startingWidth(STARTING_WIDTH, true));
        assertThat(SparseFit.widenedLbfgsWidth(fromEight, demand(auto, 3, false), ROWS)).isEqualTo(36);   // the bound, as above
        assertThat(SparseFit.widenedLbfgsWidth(auto, demand(auto, 10, false), SparseFit.AUTO_WIDTH_FREE_MAX_ROWS + 1))
                .isZero();
        // a given width (a cap), plain lbfgs: no widening
        assertThat(SparseFit.widenedLbfgsWidth(auto.withWidth(64), demand(auto, 10, false), 10_000)).isZero();
        FitSettings lbfgs = auto.withSolver(SolverType.LBFGS);
        assertThat(SparseFit.widenedLbfgsWidth(lbfgs, demand(lbfgs, 10, false), 10_000)).isZero();
        // auto in two inputs with one output is convex (its atoms grow whatever the width): not this rule
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(auto, 2, false), 1_000)).isEqualTo(SolverType.CONVEX);
        assertThat(SparseFit.widenedLbfgsWidth(auto, demand(auto, 2, false), 1_000)).isZero();
        // the same two inputs with sample weights: auto is lbfgs, and widens
        assertThat(SparseFit.widenedLbfgsWidth(auto, demand(auto, 2, true), 1_000)).isEqualTo(384);
    }

    private static SolverCapabilities.Demand demand(FitSettings settings, int inputs, boolean weighted) {
        return new SolverCapabilities.Demand(Loss.squared(), weighted, settings.regularization(), settings.lambda(),
                settings.skip(), false, inputs, 1, 0);
    }

    /**
     * The solver's own wide run: its progress events (after the narrow run's at the probe point) are those of plain
     * {@code lbfgs} afresh at 36 neurons with the iterations the probe left, bit for bit, and not those at 48 (the
     * wide run is {@code lbfgs} seeded as any start at the wide width, {@link WidthFreeSolver}).
     */
    @Test
    void theSolversWideRunIsLbfgsAtTheBound() {
        FitProblem p = WidthFreeSolverTest.planted(ROWS, 3, 5);
        FitSettings auto = FitSettings.defaults(LAMBDA).withArchitecture(Architecture.startingWidth(STARTING_WIDTH, true))
                .withMaxIter(MAX_ITER);
        List<LossPoint> events = new ArrayList<>();
        new WidthFreeSolver(null, PROBE).solve(p, auto, recorder(events, 0), CancellationToken.NEVER);
        // the narrow run's events up to the probe point, then the wide run's from its iteration 0, also at PROBE
        int narrowAtProbe = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).iteration() == PROBE) {
                narrowAtProbe = i;
                break;
            }
        }
        assertThat(narrowAtProbe).as("the narrow run reached the probe point").isNotNegative();
        List<LossPoint> wide = events.subList(narrowAtProbe + 1, Math.min(events.size(), narrowAtProbe + 1 + 3));
        assertThat(wide).as("the fit widened").hasSize(3);
        assertThat(wide.get(0).iteration()).isEqualTo(PROBE);

        assertThat(wide).isEqualTo(plainLbfgs(p, auto, 36));
        assertThat(wide).isNotEqualTo(plainLbfgs(p, auto, 48));
    }

    /** The first three progress events of plain {@code lbfgs} at {@code width}, counted after the probe point. */
    private static List<LossPoint> plainLbfgs(FitProblem p, FitSettings auto, int width) {
        List<LossPoint> events = new ArrayList<>();
        new Lbfgs().solve(p, auto.withWidth(width).withMaxIter(MAX_ITER - PROBE), recorder(events, PROBE),
                CancellationToken.NEVER);
        return events.subList(0, 3);
    }

    private static ProgressListener recorder(List<LossPoint> events, int offset) {
        return (iteration, objective, dataFit, penalty) -> events.add(new LossPoint(offset + iteration, objective, dataFit,
                penalty));
    }
}
