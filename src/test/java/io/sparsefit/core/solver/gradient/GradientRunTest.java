package io.sparsefit.core.solver.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.StopReason;
import org.junit.jupiter.api.Test;

class GradientRunTest {

    private static final ShallowNetwork NET = RandomNetworks.network(1, 1, 3, true, 1);

    @Test
    void aRunGoesOnToMaxIterLookingAtTheTokenOnceATurn() {
        int[] looks = {0};
        GradientRun run = new GradientRun(FitSettings.defaults(1).withMaxIter(5), ProgressListener.NONE, () -> {
            looks[0]++;
            return false;
        });
        assertThat(run.started(1.0, 0.5, 0.5, new double[] {1, 2})).isTrue();
        int turns = 0;
        while (run.goesOn()) {
            assertThat(run.count()).isEqualTo(++turns);
        }
        assertThat(turns).isEqualTo(5);
        assertThat(looks[0]).as("no look once maxIter is reached").isEqualTo(5);
        SolverResult result = run.result(NET);
        assertThat(result.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(result.iterations()).isEqualTo(5);
        assertThat(result.lossCurve()).hasSize(1);
        assertThat(result.lossCurve().get(0).objective()).isEqualTo(1.0);
        assertThat(result.network()).isNotSameAs(NET);
    }

    @Test
    void aCancelATurnThatTookNoStepAndAStopAreWhatTheResultSays() {
        int[] looks = {0};
        CancellationToken third = () -> ++looks[0] >= 3;
        GradientRun run = new GradientRun(FitSettings.defaults(1).withMaxIter(100), ProgressListener.NONE, third);
        run.started(1.0, 1.0, 0.0, null);
        while (run.goesOn()) {
            if (run.count() == 2) {
                run.uncount();   // the second turn took no step
            }
        }
        assertThat(run.result(NET).stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(run.result(NET).iterations()).isEqualTo(1);

        GradientRun stopped = new GradientRun(FitSettings.defaults(1).withMaxIter(100), ProgressListener.NONE,
                CancellationToken.NEVER);
        stopped.started(1.0, 1.0, 0.0, null);
        stopped.goesOn();
        stopped.count();
        stopped.stop(StopReason.CONVERGED);
        assertThat(stopped.result(NET).stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(stopped.result(NET).iterations()).isEqualTo(1);
    }

    @Test
    void aStartThatIsNotFiniteHasDivergedAndIsStillLogged() {
        GradientRun nanObjective = new GradientRun(FitSettings.defaults(1), ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(nanObjective.started(Double.NaN, Double.NaN, 0.0, null)).isFalse();
        assertThat(nanObjective.result(NET).stopReason()).isEqualTo(StopReason.DIVERGED);
        assertThat(nanObjective.result(NET).iterations()).isZero();
        assertThat(nanObjective.result(NET).lossCurve()).hasSize(1);

        GradientRun infiniteGradient = new GradientRun(FitSettings.defaults(1), ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(infiniteGradient.started(1.0, 1.0, 0.0, new double[] {0, Double.POSITIVE_INFINITY})).isFalse();
        assertThat(infiniteGradient.result(NET).stopReason()).isEqualTo(StopReason.DIVERGED);
    }

    @Test
    void aPauseDoesNotEndTheRunButMaxIterAndACancelDo() {
        boolean[] cancelled = {false};
        GradientRun run = new GradientRun(FitSettings.defaults(1).withMaxIter(4), ProgressListener.NONE,
                () -> cancelled[0]);
        run.started(1.0, 1.0, 0.0, null);
        while (run.goesOnBefore(2)) {
            run.count();
        }
        assertThat(run.iteration()).isEqualTo(2);
        assertThat(run.ended()).as("paused at 2").isFalse();
        assertThat(run.goesOnBefore(2)).as("still paused, not ended").isFalse();
        assertThat(run.ended()).isFalse();
        while (run.goesOnBefore(10)) {
            run.count();
        }
        assertThat(run.iteration()).isEqualTo(4);
        assertThat(run.ended()).as("maxIter reached before the pause at 10").isTrue();
        assertThat(run.result(NET).stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);

        GradientRun toCancel = new GradientRun(FitSettings.defaults(1).withMaxIter(4), ProgressListener.NONE,
                () -> cancelled[0]);
        toCancel.started(1.0, 1.0, 0.0, null);
        cancelled[0] = true;
        assertThat(toCancel.goesOnBefore(0)).as("the pause is looked at before the token").isFalse();
        assertThat(toCancel.ended()).isFalse();
        assertThat(toCancel.goesOnBefore(3)).isFalse();
        assertThat(toCancel.ended()).isTrue();
        assertThat(toCancel.result(NET).stopReason()).isEqualTo(StopReason.CANCELLED);
    }

    /** auto's probe pauses its narrow run at maxIter itself: there the run has ended, so no wide run follows. */
    @Test
    void aPauseAtMaxIterEndsTheRunTheLimitIsLookedAtFirst() {
        GradientRun run = new GradientRun(FitSettings.defaults(1).withMaxIter(2), ProgressListener.NONE,
                CancellationToken.NEVER);
        run.started(1.0, 1.0, 0.0, null);
        while (run.goesOnBefore(2)) {
            run.count();
        }
        assertThat(run.iteration()).isEqualTo(2);
        assertThat(run.ended()).as("the limit, not the pause, stopped it").isTrue();
        assertThat(run.result(NET).stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
    }
}
