package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.path.PathListener;
import io.sparsefit.core.path.PathRunner;
import io.sparsefit.core.path.PathSpec;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.convex.ColumnGeneration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code auto} is width-free beyond 1,000 rows, up to {@link SparseFit#AUTO_WIDTH_FREE_MAX_ROWS} in a single fit (issue 20, theory T7:
 * the optimum may need up to N - (d + 1) neurons, more than the starting width of 64): beyond 1,000 rows the continuation ({@link WidthFreeSolver}) runs as
 * below them, its convex phase's round cap scaled down with N ({@link WidthFreeSolver#scaledRoundCap}) so that a fit
 * without a time limit still ends in minutes. On 1,100 rows in four inputs {@code auto} from a starting width of four
 * ends with more neurons, below plain {@code lbfgs} at that width (the fit {@code auto} returned there before), the same
 * bits on a second run.
 */
class WidthFreeRowsTest {

    static final int ROWS = 1_100;
    static final double LAMBDA = 5;
    static final int WIDTH = 4;

    @Test
    void autoIsWidthFreeBeyondAThousandRows() {
        FitSettings auto = FitSettings.defaults(LAMBDA);
        var demand = SparseFit.demand(problem(), auto);
        for (int rows : new int[] {1_000, 1_001, 10_000}) {
            assertThat(SparseFit.widthFree(auto, demand, SolverType.LBFGS, rows)).as("%d rows", rows).isTrue();
        }
        // up to the measured range in a single fit (beyond WIDE_MAX_ROWS without the wide lbfgs restart: the test below)
        assertThat(SparseFit.widthFree(auto, demand, SolverType.LBFGS, WidthFreeSolver.WIDE_MAX_ROWS + 1)).isTrue();
        assertThat(SparseFit.widthFree(auto, demand, SolverType.LBFGS, SparseFit.AUTO_WIDTH_FREE_MAX_ROWS)).isTrue();
        // beyond the measured range the convex phase's work and memory grow with N: the starting width stays
        assertThat(SparseFit.widthFree(auto, demand, SolverType.LBFGS, SparseFit.AUTO_WIDTH_FREE_MAX_ROWS + 1)).isFalse();
        // a path widens every point and fold: up to 1,000 rows only (where auto is lbfgs)
        assertThat(SparseFit.widthFreePath(auto, demand, SolverType.LBFGS, 1_000)).isTrue();
        assertThat(SparseFit.widthFreePath(auto, demand, SolverType.LBFGS, 1_001)).isFalse();
        // a given width stays a cap at every size
        assertThat(SparseFit.widthFree(auto.withWidth(64), demand, SolverType.LBFGS, 10_000)).isFalse();
    }

    /**
     * The rule pinned: after a gradient fit 600 rounds at 1,000 rows, 600 x (1,000 / N)^2 below with one output (at
     * most 5,000), 600 x 1,000 / N beyond (at least 25), rounded down.
     */
    @Test
    void theConvexPhasesRoundCapFollowsTheRows() {
        int cap = WidthFreeSolver.ROUND_CAP;
        assertThat(cap).isEqualTo(600);
        assertThat(WidthFreeSolver.scaledRoundCap(cap, 442)).isEqualTo(600);
        assertThat(WidthFreeSolver.scaledRoundCap(cap, 1_000)).isEqualTo(600);
        assertThat(WidthFreeSolver.scaledRoundCap(cap, 1_001)).isEqualTo(599);
        assertThat(WidthFreeSolver.scaledRoundCap(cap, 2_000)).isEqualTo(300);
        assertThat(WidthFreeSolver.scaledRoundCap(cap, 5_000)).isEqualTo(120);
        assertThat(WidthFreeSolver.scaledRoundCap(cap, 10_000)).isEqualTo(60);
        assertThat(WidthFreeSolver.scaledRoundCap(cap, 100_000)).isEqualTo(WidthFreeSolver.MIN_ROUND_CAP);
        assertThat(WidthFreeSolver.scaledRoundCap(10, 100_000)).isEqualTo(10);   // never above the cap it scales
        SolverResult gradient = new SolverResult(RandomNetworks.network(3, 1, 4, true, 1), StopReason.CONVERGED, 1, List.of());
        // after a gradient fit (three inputs and more), a path's later points (no gradient fit), two inputs (unscaled)
        assertThat(WidthFreeSolver.roundCap(gradient, false, 10_000, 1)).isEqualTo(60);
        assertThat(WidthFreeSolver.roundCap(null, false, 2_000, 1)).isEqualTo(ColumnGeneration.MAX_ROUNDS / 2);
        assertThat(WidthFreeSolver.roundCap(null, false, 10_000, 1)).isEqualTo(WidthFreeSolver.MIN_ROUND_CAP);   // not 20
        assertThat(WidthFreeSolver.roundCap(gradient, true, 10_000, 1)).isEqualTo(ColumnGeneration.MAX_ROUNDS);
        assertThat(WidthFreeSolver.roundCap(gradient, false, 1_000, 1)).isEqualTo(600);
        assertThat(WidthFreeSolver.roundCap(gradient, false, 999, 1)).isEqualTo(601);   // 600 x 1.002004..^2 = 601.2
        assertThat(WidthFreeSolver.roundCap(gradient, false, 800, 1)).isEqualTo(937);   // 600 x 1.5625 = 937.5
        assertThat(WidthFreeSolver.roundCap(gradient, false, 442, 1)).isEqualTo(3_071); // diabetes: 600 x 5.1187
        assertThat(WidthFreeSolver.MAX_ROUND_CAP).isEqualTo(5_000);
        assertThat(WidthFreeSolver.roundCap(gradient, false, 347, 1)).isEqualTo(4_983);   // 600 x 8.3050 = 4983.0
        assertThat(WidthFreeSolver.roundCap(gradient, false, 346, 1)).isEqualTo(WidthFreeSolver.MAX_ROUND_CAP);
        assertThat(WidthFreeSolver.roundCap(gradient, false, 20, 1)).isEqualTo(WidthFreeSolver.MAX_ROUND_CAP);
        // several outputs, a path's later points and two inputs are not raised below 1,000 rows
        assertThat(WidthFreeSolver.roundCap(gradient, false, 442, 3)).isEqualTo(600);
        assertThat(WidthFreeSolver.roundCap(null, false, 442, 1)).isEqualTo(ColumnGeneration.MAX_ROUNDS);
        assertThat(WidthFreeSolver.roundCap(gradient, true, 442, 1)).isEqualTo(ColumnGeneration.MAX_ROUNDS);
    }

    /**
     * The whole fit beyond 1,000 rows, from a starting width of four (as {@link WidthFreeSolverTest} does on 60 rows, so
     * that the test stays cheap: from 64 neurons the phases are the same, only dearer): the {@code lbfgs} fit at four
     * neurons fills its width, the fit widens and its convex phase ends with more neurons, below plain {@code lbfgs} at
     * four (what {@code auto} returned beyond 1,000 rows before), and a second run repeats it bit for bit.
     */
    @Test
    void beyondAThousandRowsAutoWidensBelowLbfgsAtItsStartingWidthAndRepeatsItsBits() {
        FitProblem p = problem();
        FitSettings auto = FitSettings.defaults(LAMBDA).withArchitecture(Architecture.startingWidth(WIDTH, true));
        List<Integer> steps = new ArrayList<>();
        int[] rounds = {0};   // the convex phase reports its gap once a round
        FitOutcome out = SparseFit.fit(p, auto, new ProgressListener() {
            @Override
            public void onProgress(int iteration, double objective, double dataFit, double penalty) {
                steps.add(iteration);
            }

            @Override
            public void onGap(int iteration, double gap) {
                rounds[0]++;
            }
        }, CancellationToken.NEVER);
        FitOutcome lbfgs = SparseFit.fit(p, auto.withWidth(WIDTH).withSolver(SolverType.LBFGS), ProgressListener.NONE,
                CancellationToken.NEVER);
        assertThat(WidthFreeSolver.filled(lbfgs.diagnostics().activeNeurons(), WIDTH)).isTrue();
        assertThat(out.diagnostics().solver()).isEqualTo("convex");
        assertThat(out.diagnostics().activeNeurons()).isGreaterThan(WIDTH);
        assertThat(out.diagnostics().activeNeurons()).isLessThanOrEqualTo(ROWS - 5);   // T7: N - (d + 1)
        assertThat(out.diagnostics().objective()).isLessThan(lbfgs.diagnostics().objective());
        assertThat(steps.get(steps.size() - 1)).isEqualTo(auto.maxIter());   // progress ends at maxIter
        // the convex phase ran rounds (it ends at its gap after about 34, below any cap: the cap's rule is pinned above)
        assertThat(rounds[0]).isPositive();

        FitOutcome again = SparseFit.fit(p, auto, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(again.diagnostics().objective()).isEqualTo(out.diagnostics().objective());
        WidthFreeSolverTest.assertSameBits(again.shallow(), out.shallow());
    }

    /**
     * A regularization path's points take {@link SparseFit#widthFreePath}, not {@link SparseFit#widthFree}
     * ({@code PathRunner}): beyond {@link SparseFit#AUTO_WIDTH_FREE_PATH_MAX_ROWS} rows its {@code auto} points stay
     * {@code lbfgs} at the starting width (the 1,100 rows on which the single fit above widens), while up to it they
     * widen as a single fit does (1,000 rows of the same teacher).
     */
    @Test
    void aPathsPointsWidenUpToAThousandRowsOnly() {
        FitSettings auto = FitSettings.defaults(LAMBDA).withArchitecture(Architecture.startingWidth(WIDTH, true));
        PathSpec onePoint = new PathSpec(auto, new double[] {LAMBDA}, 0, 0, 0, 0, false);

        Diagnostics beyond = PathRunner.run(problem(), onePoint, PathListener.NONE, CancellationToken.NEVER)
                .points().get(0).outcome().diagnostics();
        assertThat(beyond.solver()).isEqualTo("lbfgs");
        assertThat(beyond.totalNeurons()).isLessThanOrEqualTo(WIDTH);

        Diagnostics within = PathRunner.run(WidthFreeSolverTest.planted(SparseFit.AUTO_WIDTH_FREE_PATH_MAX_ROWS, 4, 21),
                onePoint, PathListener.NONE, CancellationToken.NEVER).points().get(0).outcome().diagnostics();
        assertThat(within.solver()).isEqualTo("convex");
        assertThat(within.activeNeurons()).isGreaterThan(WIDTH);
    }

    /**
     * Beyond {@link WidthFreeSolver#WIDE_MAX_ROWS} rows (here lowered below the 1,100 rows, so that the test stays cheap)
     * a fit that fills its width does not restart {@code lbfgs} wider: it is priced, and the convex phase adds the atoms
     * it lacks (T8). Shown by its progress: the {@code lbfgs} phase reports plain {@code lbfgs}'s iterations at the
     * starting width one by one, and nothing after them is above that fit's objective, where a wide restart, seeded
     * afresh, would report its first iterations far above it. It still ends {@code convex} with more neurons than the
     * starting width, below plain {@code lbfgs} at that width, its iterations within {@code maxIter}. Both places the
     * restart is decided: the probe point (at 100 iterations, before that {@code lbfgs} fit converges at about 260)
     * and a run that ended before it (at the default probe point).
     */
    @ParameterizedTest
    @ValueSource(ints = {WidthFreeSolver.PROBE_ITERATIONS, 100})
    void beyondTheWideRestartsRowsAFilledFitGoesStraightToTheConvexPhase(int probeIterations) {
        FitProblem p = problem();
        FitSettings auto = FitSettings.defaults(LAMBDA).withArchitecture(Architecture.startingWidth(WIDTH, true));
        List<double[]> lbfgsEvents = new ArrayList<>();
        FitOutcome lbfgs = SparseFit.fit(p, auto.withWidth(WIDTH).withSolver(SolverType.LBFGS),
                (iteration, objective, dataFit, penalty) -> lbfgsEvents.add(new double[] {iteration, objective}),
                CancellationToken.NEVER);
        assertThat(WidthFreeSolver.filled(lbfgs.diagnostics().activeNeurons(), WIDTH)).isTrue();
        List<double[]> events = new ArrayList<>();
        FitOutcome out = SparseFit.fit(p, auto, SolverType.LBFGS,
                new WidthFreeSolver(null, probeIterations, ROWS - 1),
                (iteration, objective, dataFit, penalty) -> events.add(new double[] {iteration, objective}),
                CancellationToken.NEVER);
        assertThat(events.size()).isGreaterThan(lbfgsEvents.size());
        for (int i = 0; i < lbfgsEvents.size(); i++) {
            assertThat(events.get(i)).as("event %d", i).containsExactly(lbfgsEvents.get(i));
        }
        double lbfgsJ = lbfgs.diagnostics().objective();
        for (int i = lbfgsEvents.size(); i < events.size(); i++) {
            // the convex phase starts from the lbfgs fit's neurons: at most its objective, to the solves' tolerance
            assertThat(events.get(i)[1]).as("event %d", i).isLessThanOrEqualTo(lbfgsJ * (1 + 1e-6));
        }
        assertThat(out.diagnostics().solver()).isEqualTo("convex");
        assertThat(out.diagnostics().activeNeurons()).isGreaterThan(WIDTH);
        assertThat(out.diagnostics().objective()).isLessThan(lbfgsJ);
        assertThat(events.get(events.size() - 1)[0]).isLessThanOrEqualTo(auto.maxIter());
    }

    /** 1,100 standard normal points in four inputs, the targets of a random 8-neuron teacher plus noise. */
    static FitProblem problem() {
        return WidthFreeSolverTest.planted(ROWS, 4, 21);
    }
}
