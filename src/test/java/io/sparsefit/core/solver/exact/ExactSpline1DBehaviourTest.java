package io.sparsefit.core.solver.exact;

import static io.sparsefit.core.solver.exact.ExactTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.solver.ExactOptions;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.ExactSpline1D;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Edge cases, contracts and robustness of the exact 1-D solver (theory C1, T3, T5, T6, T8). */
class ExactSpline1DBehaviourTest {

    private static SolverResult solve(double[] x, double[] y, FitSettings settings) {
        return new ExactSpline1D().solve(FitProblem.of1D(x, y), settings, ProgressListener.NONE, CancellationToken.NEVER);
    }

    private static double[][] noisyData(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = ExactTestSupport.randomUniform(rnd, n, 0, 6);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(3 * x[i]) + 0.3 * rnd.nextGaussian();
        }
        return new double[][] {x, y};
    }

    @Test
    void atLambdaMaxTheAffineLeastSquaresFitIsReturnedAndJustBelowItIsNot() {
        double[][] d = noisyData(3, 50);
        double[] x = d[0];
        double[] y = d[1];
        double lambdaMax = LambdaMax.lambdaMax(x, y);
        SolverResult at = solve(x, y, settings(lambdaMax));
        assertThat(at.shallow().width()).isZero();
        assertThat(at.stopReason()).isEqualTo(StopReason.CONVERGED);
        // Closed-form least-squares line, computed here.
        double xm = 0;
        double ym = 0;
        for (int i = 0; i < x.length; i++) {
            xm += x[i] / x.length;
            ym += y[i] / x.length;
        }
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            sxx += (x[i] - xm) * (x[i] - xm);
            sxy += (x[i] - xm) * (y[i] - ym);
        }
        double slope = sxy / sxx;
        assertThat(at.shallow().skipWeights().get(0, 0)).isCloseTo(slope, within(1e-12));
        assertThat(at.shallow().skipBias()[0]).isCloseTo(ym - slope * xm, within(1e-12));
        assertThat(solve(x, y, settings(2 * lambdaMax)).shallow().width()).isZero();

        SolverResult below = solve(x, y, settings(lambdaMax * (1 - 1e-6)));
        assertThat(below.shallow().width()).isGreaterThanOrEqualTo(1);
        assertThat(below.stopReason()).isEqualTo(StopReason.CONVERGED);
    }

    @Test
    void duplicatesAndUnsortedInputMatchBruteForce() {
        SplittableRandom rnd = new SplittableRandom(17);
        int n = 60;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(25) * 0.2; // many ties, random order
            y[i] = Math.cos(x[i]) + 0.2 * rnd.nextGaussian();
        }
        for (double fraction : new double[] {0.02, 0.3}) {
            double lambda = fraction * LambdaMax.lambdaMax(x, y);
            SolverResult result = solve(x, y, settings(lambda));
            assertThat(result.stopReason()).isEqualTo(StopReason.CONVERGED);
            double objective = ExactTestSupport.objective(result.shallow(), x, y, lambda);
            assertThat(objective).isCloseTo(ExactTestSupport.bruteForceObjective(x, y, lambda), within(1e-8 * Math.max(1, objective)));
            assertThat(ExactTestSupport.certificateGap(result.shallow(), x, y, lambda)).isLessThanOrEqualTo(1e-9 * Math.max(1, objective));
            ExactSpline1DRandomTest.assertCanonicalShape(result.shallow(), x);
        }
    }

    @Test
    void lambdaMaxFormulaOfT6HoldsWithDuplicates() {
        double[] x = {2, 0, 1, 1, 3, 2, 4};
        double[] y = {1, 0, 2, 0, 5, 3, 1};
        // T6 written out over the samples sorted by x, with h = y - least-squares line.
        double[][] d = {x.clone(), y.clone()};
        Integer[] idx = {0, 1, 2, 3, 4, 5, 6};
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(x[a], x[b]));
        double[] xs = new double[7];
        double[] h = new double[7];
        for (int i = 0; i < 7; i++) {
            xs[i] = x[idx[i]];
            h[i] = y[idx[i]];
        }
        ExactTestSupport.projectOutAffine(xs, h);
        double expected = 0;
        for (int j = 1; j < 6; j++) {
            double s = 0;
            for (int i = 0; i < j; i++) {
                s += h[i] * (xs[j] - xs[i]);
            }
            expected = Math.max(expected, Math.abs(s));
        }
        assertThat(LambdaMax.lambdaMax(d[0], d[1])).isCloseTo(expected, within(1e-12));
    }

    @Test
    void veryUnevenSpacingIsSolvedToTheCertificate() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 40;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 1; i < n; i++) {
            x[i] = x[i - 1] + (i % 2 == 0 ? 1e3 : 1e-6);
        }
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(x[i] / 3e3) + 0.1 * rnd.nextGaussian();
        }
        double lambdaMax = LambdaMax.lambdaMax(x, y);
        for (double fraction : new double[] {1e-4, 1e-2, 0.3}) {
            double lambda = fraction * lambdaMax;
            SolverResult result = solve(x, y, settings(lambda));
            assertThat(result.stopReason()).isEqualTo(StopReason.CONVERGED);
            double objective = ExactTestSupport.objective(result.shallow(), x, y, lambda);
            assertThat(ExactTestSupport.certificateGap(result.shallow(), x, y, lambda))
                    .isLessThanOrEqualTo(1e-9 * Math.max(1, objective));
            ExactSpline1DRandomTest.assertCanonicalShape(result.shallow(), x);
        }
    }

    @Test
    void sparsestKeepsValuesAndObjectiveAndHasTheT5KnotCount() {
        double[][] d = noisyData(23, 120);
        double[] x = d[0];
        double[] y = d[1];
        double lambda = 0.003 * LambdaMax.lambdaMax(x, y);
        ShallowNetwork canonical = solve(x, y, settings(lambda)).shallow();
        ShallowNetwork sparsest = solve(x, y, settings(lambda).withExact(new ExactOptions(true))).shallow();
        double[] fc = ExactTestSupport.predict(canonical, x);
        double[] fs = ExactTestSupport.predict(sparsest, x);
        for (int i = 0; i < x.length; i++) {
            assertThat(fs[i]).isCloseTo(fc[i], within(1e-10));
        }
        assertThat(PathNorm.of(sparsest)).isCloseTo(PathNorm.of(canonical), within(1e-10 * PathNorm.of(canonical)));
        // T5 count: runs of consecutive data points with equal-sign slope changes, ceil(length / 2) each.
        double[] sorted = x.clone();
        java.util.Arrays.sort(sorted);
        List<Knot> knots = Knot.of(canonical);
        int expected = 0;
        int run = 0;
        double previousSign = 0;
        int previousIndex = -10;
        for (Knot k : knots) {
            int index = java.util.Arrays.binarySearch(sorted, k.x());
            double sign = Math.signum(k.slopeChange()[0]);
            if (index == previousIndex + 1 && sign == previousSign) {
                run++;
            } else {
                expected += (run + 1) / 2;
                run = 1;
            }
            previousSign = sign;
            previousIndex = index;
        }
        expected += (run + 1) / 2;
        assertThat(sparsest.width()).isEqualTo(expected);
        assertThat(sparsest.width()).isLessThan(canonical.width());
        for (int k = 0; k < sparsest.width(); k++) {
            assertThat(sparsest.outputNorm(k)).isCloseTo(sparsest.inputNorm(k), within(1e-12 * sparsest.inputNorm(k)));
        }
    }

    @Test
    void lambdaZeroAndNoRegularizationInterpolate() {
        double[][] d = noisyData(8, 30);
        for (FitSettings s : new FitSettings[] {settings(0.0), settings(0.5).withRegularization(Regularization.NONE)}) {
            SolverResult result = solve(d[0], d[1], s);
            double[] f = ExactTestSupport.predict(result.shallow(), d[0]);
            for (int i = 0; i < f.length; i++) {
                assertThat(f[i]).isCloseTo(d[1][i], within(1e-10));
            }
            assertThat(result.shallow().width()).isLessThanOrEqualTo(28);
            assertThat(result.stopReason()).isEqualTo(StopReason.CONVERGED);
        }
    }

    @Test
    void atMostTwoDistinctPointsGiveTheLineThroughTheirMeans() {
        SolverResult result = solve(new double[] {1, 3, 1, 3}, new double[] {0, 4, 2, 6}, settings(0.1));
        assertThat(result.shallow().width()).isZero();
        assertThat(result.shallow().skipWeights().get(0, 0)).isCloseTo(2.0, within(1e-14));
        assertThat(result.shallow().skipBias()[0]).isCloseTo(-1.0, within(1e-14));
        SolverResult one = solve(new double[] {2, 2}, new double[] {1, 3}, settings(0.1));
        assertThat(one.shallow().width()).isZero();
        assertThat(one.shallow().skipBias()[0]).isCloseTo(2.0, within(1e-14));
    }

    @Test
    void repeatedSolvesAreBitIdentical() {
        double[][] d = noisyData(99, 500);
        FitSettings s = settings(0.01 * LambdaMax.lambdaMax(d[0], d[1]));
        ShallowNetwork a = solve(d[0], d[1], s).shallow();
        ShallowNetwork b = solve(d[0], d[1], s).shallow();
        double[] pa = new double[a.parameterCount()];
        double[] pb = new double[b.parameterCount()];
        a.getParameters(pa);
        b.getParameters(pb);
        assertThat(pb).containsExactly(pa);
    }

    @Test
    void cancellationAndIterationLimitReturnAValidNetwork() {
        double[][] d = noisyData(4, 400);
        FitSettings s = settings(0.001 * LambdaMax.lambdaMax(d[0], d[1]));
        SolverResult cancelled = new ExactSpline1D().solve(FitProblem.of1D(d[0], d[1]), s, ProgressListener.NONE, () -> true);
        assertThat(cancelled.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(cancelled.shallow().width()).isZero();

        AtomicInteger checks = new AtomicInteger();
        SolverResult later = new ExactSpline1D().solve(FitProblem.of1D(d[0], d[1]), s, ProgressListener.NONE,
                () -> checks.incrementAndGet() > 3);
        assertThat(later.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(later.iterations()).isGreaterThan(0);
        assertThat(ExactTestSupport.objective(later.shallow(), d[0], d[1], s.lambda())).isFinite();

        SolverResult limited = solve(d[0], d[1], s.withMaxIter(2));
        assertThat(limited.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(limited.iterations()).isEqualTo(2);
        // The limited network is a valid, balanced spline whose objective is no better than the optimum.
        double optimum = ExactTestSupport.objective(solve(d[0], d[1], s).shallow(), d[0], d[1], s.lambda());
        assertThat(ExactTestSupport.objective(limited.shallow(), d[0], d[1], s.lambda())).isGreaterThanOrEqualTo(optimum * (1 - 1e-12));
    }

    @Test
    void progressIsReportedEveryLogEveryIterations() {
        double[][] d = noisyData(12, 300);
        FitSettings s = settings(0.002 * LambdaMax.lambdaMax(d[0], d[1])).withLogEvery(2);
        List<Integer> seen = new ArrayList<>();
        SolverResult result = new ExactSpline1D().solve(FitProblem.of1D(d[0], d[1]), s,
                (iteration, objective, dataFit, penalty) -> {
                    seen.add(iteration);
                    assertThat(objective).isCloseTo(dataFit + penalty, within(1e-9 * Math.max(1, objective)));
                },
                CancellationToken.NEVER);
        assertThat(result.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(seen).isNotEmpty();
        for (int i = 0; i < seen.size() - 1; i++) {
            assertThat(seen.get(i) % 2).isZero();
        }
        assertThat(result.lossCurve()).extracting(LossPoint::iteration).containsExactlyElementsOf(seen);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(result.iterations());
    }

    @Test
    void rejectsWhatItCannotSolve() {
        FitProblem twoInputs = FitProblem.of(new double[][] {{0, 1}, {1, 2}, {2, 0}}, new double[][] {{1}, {2}, {3}});
        assertThatThrownBy(() -> new ExactSpline1D().solve(twoInputs, settings(0.1), ProgressListener.NONE, CancellationToken.NEVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d = 2");
        FitProblem oneInput = FitProblem.of1D(new double[] {0, 1, 2}, new double[] {0, 1, 0});
        assertThatThrownBy(() -> new ExactSpline1D().solve(oneInput, settings(0.1).withSkip(false), ProgressListener.NONE, CancellationToken.NEVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip");
    }

    @Test
    void structuredDataGiveTheirKnownKnots() {
        int n = 2000;
        double[] x = new double[n];
        double[] vee = new double[n];
        double[] zigzag = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            vee[i] = Math.abs(i - 1000.5);
            zigzag[i] = i % 2;
        }
        // |x - 1000.5| sampled at integers: slope -1 then +1, bent at 1000 and 1001 by +1 each (T3).
        SolverResult v = solve(x, vee, settings(1e-9));
        assertThat(v.stopReason()).isEqualTo(StopReason.CONVERGED);
        List<Knot> knots = Knot.of(v.shallow());
        assertThat(knots).hasSize(2);
        assertThat(knots.get(0).x()).isCloseTo(1000.0, within(1e-9));
        assertThat(knots.get(1).x()).isCloseTo(1001.0, within(1e-9));
        assertThat(knots.get(0).slopeChange()[0]).isCloseTo(1.0, within(1e-6));
        // ... and the sparsest spline is the single bend at 1000.5 (T5).
        List<Knot> merged = Knot.of(solve(x, vee, settings(1e-9).withExact(new ExactOptions(true))).shallow());
        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).x()).isCloseTo(1000.5, within(1e-9));
        assertThat(merged.get(0).slopeChange()[0]).isCloseTo(2.0, within(1e-6));

        // A 0/1 zigzag keeps a knot at every interior point for small lambda, with alternating signs (T4).
        double lambda = 1e-3 * LambdaMax.lambdaMax(x, zigzag);
        SolverResult z = solve(x, zigzag, settings(lambda));
        assertThat(z.stopReason()).isEqualTo(StopReason.CONVERGED);
        List<Knot> zk = Knot.of(z.shallow());
        assertThat(zk).hasSize(n - 2);
        for (int k = 0; k < zk.size(); k++) {
            assertThat(zk.get(k).x()).isCloseTo(k + 1.0, within(1e-12 * (k + 1)));  // t = b / w, one rounding
            assertThat(Math.signum(zk.get(k).slopeChange()[0])).isEqualTo(k % 2 == 0 ? -1.0 : 1.0);
        }
        double objective = ExactTestSupport.objective(z.shallow(), x, zigzag, lambda);
        double reported = z.lossCurve().get(z.lossCurve().size() - 1).objective();
        assertThat(objective).isCloseTo(reported, within(1e-10 * objective));
        // The certificate recomputed from the network's forward pass is limited by rounding here: the
        // sum over 1998 neurons carries errors of about 1e-12, and S(r) weighs residual errors by
        // sum |x_i - x_j| ~ 1e6, so S/lambda - 1 is about 1e-5 even at the optimum. Hence the loose bound.
        assertThat(ExactTestSupport.certificateGap(z.shallow(), x, zigzag, lambda)).isLessThanOrEqualTo(1e-4 * objective);
    }

    @Test
    void scalesToOneHundredThousandPoints() {
        double[][] d = noisyData(2024, 100_000);
        double lambda = 0.01 * LambdaMax.lambdaMax(d[0], d[1]);
        FitSettings s = settings(lambda);
        SolverResult result = solve(d[0], d[1], s);
        assertThat(result.stopReason()).isEqualTo(StopReason.CONVERGED);
        double objective = ExactTestSupport.objective(result.shallow(), d[0], d[1], lambda);
        assertThat(ExactTestSupport.certificateGap(result.shallow(), d[0], d[1], lambda)).isLessThanOrEqualTo(s.tol() * Math.max(1, objective));
        ExactSpline1DRandomTest.assertCanonicalShape(result.shallow(), d[0]);
    }
}
