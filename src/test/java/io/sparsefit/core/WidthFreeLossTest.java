package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverCapabilities;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.convex.IndependentDual;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Width-free {@code auto} (issue 20) for every loss of the family (theory A2b), with sample weights and with several
 * outputs: on N = 60 points in two inputs whose optimum needs more than a starting width of 4 neurons, the fit ends
 * at or below {@code lbfgs} at that width and at the optimum (to 1e-6 relative, not below it), which a cold {@code convex} fit reaches and
 * {@link IndependentDual} certifies (T1: its Fenchel dual value, with the exact two-input dual norm of T8 over the full
 * circle, written in the test sources from the formulas, is a proven lower bound on the optimal objective; the cold
 * fit is within 1e-6 of it). Objectives are recomputed independently here ({@link IndependentDual#objective}). A fit
 * that does not fill its width is {@code lbfgs}'s, bit for bit, where its priced gap is below
 * {@link WidthFreeSolver#PRICED_GAP}; above it, it goes on to the convex optimum.
 *
 * <p>Two inputs keep the dual norm exact; there the logistic loss resolves to {@code convex} up to 1,000 rows
 * ({@link SparseFit#AUTO_CONVEX_MAX_ROWS_2D_CLASSIFICATION}), so its width-free solver is run as {@link SparseFit#fit}
 * runs it where {@code auto} resolves to {@code lbfgs} (three inputs and more): {@link SparseFit#create} with
 * {@link SparseFit#widthFree} true.
 */
class WidthFreeLossTest {

    static final int ROWS = 60;
    static final int START = 4;
    /**
     * The probe point of these tests: early enough that every run is still going there, so the widening is decided by
     * the fill test on the unfinished network ({@link WidthFreeSolver#fillsOnData}, with its per-loss data scale) and
     * the wide run goes on alongside the narrow one, as at the default probe point on larger problems.
     */
    static final int PROBE = 25;

    @Test
    void huberWidensToTheCertifiedOptimum() {
        assertWidensToTheOptimum(regression(1, 0.3).withLoss(Loss.of("huber", 0.5, 0)), 0.1);
    }

    @Test
    void sampleWeightsWidenToTheCertifiedOptimum() {
        assertWidensToTheOptimum(regression(1, 0.3).withSampleWeights(weights()), 0.5);
    }

    @Test
    void severalOutputsWidenToTheCertifiedOptimum() {
        assertWidensToTheOptimum(regression(2, 0.3), 0.5);
    }

    @Test
    void logisticWidensToTheCertifiedOptimum() {
        assertWidensToTheOptimum(classification(2), 0.1);
    }

    @Test
    void weightedLogisticWidensToTheCertifiedOptimum() {
        assertWidensToTheOptimum(classification(2).withSampleWeights(weights()), 0.1);
    }

    @Test
    void weightedCrossEntropyWidensToTheCertifiedOptimum() {
        assertWidensToTheOptimum(classification(3).withSampleWeights(weights()), 0.1);
    }

    @Test
    void crossEntropyWidensToTheCertifiedOptimum() {
        assertWidensToTheOptimum(classification(3), 0.1);
    }

    /** Every loss, weighted or not, one output or several: the width was not given, so auto is not width-limited. */
    @Test
    void everyLossWeightsAndOutputsAreWidthFree() {
        FitSettings start = startingAtFour(1.0);
        for (String loss : new String[] {"squared", "huber", "logistic", "cross_entropy"}) {
            for (boolean weighted : new boolean[] {false, true}) {
                for (int outputs : new int[] {1, 3}) {
                    Loss l = Loss.of(loss, 1.0, 3);
                    if (l.classification() && outputs != (loss.equals("logistic") ? 1 : 3)) {
                        continue;
                    }
                    var demand = new SolverCapabilities.Demand(l, weighted, start.regularization(), 1.0, true, false, 3,
                            outputs, 0);
                    SolverType type = SparseFit.resolve(SolverType.AUTO, demand, 2 * ROWS);
                    assertThat(type).as("%s weighted %s m %d", loss, weighted, outputs).isEqualTo(SolverType.LBFGS);
                    assertThat(SparseFit.widthFree(start, demand, type, 2 * ROWS)).as("%s weighted %s m %d", loss, weighted,
                            outputs).isTrue();
                    // a given width stays a cap
                    assertThat(SparseFit.widthFree(start.withWidth(START), demand, type, 2 * ROWS)).isFalse();
                }
            }
        }
    }

    /**
     * Fits that do not fill their width (a large lambda, the default width of 64) and whose pricing finds no atom that
     * opens the gap above {@link WidthFreeSolver#PRICED_GAP} of J (measured: 1.4e-12 and 9.0e-6) are {@code lbfgs}'s, bit
     * for bit, for a classification loss and for a weighted regression, in three inputs where {@code auto} resolves to
     * the width-free solver.
     */
    @Test
    void fitsThatDoNotFillTheirWidthArePlainLbfgsBitForBit() {
        DMatrixRMaj x = RandomNetworks.matrix(100, 3, 1);
        DMatrixRMaj scores = RandomNetworks.network(3, 1, 3, true, 2).predict(x, null);
        DMatrixRMaj labels = new DMatrixRMaj(100, 1);
        for (int n = 0; n < 100; n++) {
            labels.data[n] = scores.data[n] > 0 ? 1 : 0;
        }
        FitProblem logistic = new FitProblem(x, labels).withLoss(Loss.of("logistic", 0, 2));
        double[] w = new double[100];
        for (int n = 0; n < 100; n++) {
            w[n] = 0.5 + (n % 7) / 4.0;
        }
        FitProblem weighted = new FitProblem(x, scores).withSampleWeights(w);
        for (FitProblem p : new FitProblem[] {logistic, weighted}) {
            double lambda = 1.0;
            FitSettings auto = FitSettings.defaults(lambda);
            var demand = SparseFit.demand(p, auto);
            assertThat(SparseFit.widthFree(auto, demand, SparseFit.resolve(SolverType.AUTO, demand, p.rows()), p.rows())).isTrue();
            FitOutcome lbfgs = SparseFit.fit(p, auto.withSolver(SolverType.LBFGS), ProgressListener.NONE, CancellationToken.NEVER);
            assertThat(WidthFreeSolver.filled(lbfgs.diagnostics().activeNeurons(), FitSettings.DEFAULT_WIDTH)).isFalse();
            FitOutcome out = SparseFit.fit(p, auto, ProgressListener.NONE, CancellationToken.NEVER);
            assertThat(out.diagnostics().solver()).isEqualTo("lbfgs");
            WidthFreeSolverTest.assertSameBits(out.shallow(), lbfgs.shallow());
            assertThat(out.diagnostics().objective()).isEqualTo(lbfgs.diagnostics().objective());
            assertThat(out.diagnostics().iterations()).isEqualTo(lbfgs.diagnostics().iterations());
            assertThat(out.diagnostics().lossCurve()).isEqualTo(lbfgs.diagnostics().lossCurve());
        }
    }

    /**
     * A fit that does not fill its width (the default 64 at N = 60 in two inputs) but stops at a local minimum that
     * needs other neurons (theory T8): its exact gap, computed here ({@link IndependentDual}), is above
     * {@link WidthFreeSolver#PRICED_GAP} of J, the fit's pricing finds the atoms, and the warm {@code convex} phase
     * follows and ends at the optimum, which a cold {@code convex} fit reaches and {@link IndependentDual} certifies
     * (T1: at or above its proven lower bound, within 1e-6 of it), below plain {@code lbfgs}'s fit. Every loss of the
     * family, weights and several outputs (plain squared loss in two inputs is {@code convex} after {@code lbfgs}
     * whatever the fill, {@link SparseFit#warmConvex2D}; WidthFreeSolverTest has it in three).
     */
    @Test
    void fitsThatDoNotFillButPriceAnAtomAboveLambdaGoOnToTheOptimum() {
        assertGoesOnToTheOptimum(regression(1, 0.3).withLoss(Loss.of("huber", 0.5, 0)), 0.1);
        assertGoesOnToTheOptimum(regression(1, 0.3).withSampleWeights(weights()), 0.5);
        assertGoesOnToTheOptimum(regression(2, 0.3), 0.5);
        assertGoesOnToTheOptimum(classification(2), 0.3);
        assertGoesOnToTheOptimum(classification(2).withSampleWeights(weights()), 0.1);
        assertGoesOnToTheOptimum(classification(3), 0.1);
    }

    private static void assertGoesOnToTheOptimum(FitProblem p, double lambda) {
        FitSettings auto = FitSettings.defaults(lambda);
        FitOutcome lbfgs = SparseFit.fit(p, auto.withSolver(SolverType.LBFGS), ProgressListener.NONE,
                CancellationToken.NEVER);
        assertThat(WidthFreeSolver.filled(lbfgs.diagnostics().activeNeurons(), FitSettings.DEFAULT_WIDTH)).isFalse();
        double lbfgsJ = IndependentDual.objective(lbfgs.shallow(), p, lambda);
        assertThat(lbfgsJ - IndependentDual.lowerBound(lbfgs.shallow(), p, lambda))
                .as("the narrow fit's exact gap").isGreaterThan(WidthFreeSolver.PRICED_GAP * lbfgsJ);
        // as SparseFit#fit runs it where auto resolves to lbfgs (three inputs and more)
        FitOutcome out = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(), ProgressListener.NONE,
                CancellationToken.NEVER);

        FitOutcome convex = SparseFit.fit(p, auto.withSolver(SolverType.CONVEX), ProgressListener.NONE,
                CancellationToken.NEVER);
        double optimum = IndependentDual.objective(convex.shallow(), p, lambda);
        double lower = IndependentDual.lowerBound(convex.shallow(), p, lambda);
        assertThat(lower).isGreaterThan(optimum * (1 - 1e-6));   // the cold fit is certified optimal

        double j = IndependentDual.objective(out.shallow(), p, lambda);
        assertThat(out.diagnostics().solver()).isEqualTo("convex");
        assertThat(j).isCloseTo(out.diagnostics().objective(), org.assertj.core.api.Assertions.within(1e-9 * j));
        assertThat(j).isGreaterThanOrEqualTo(lower * (1 - 1e-9));   // T1
        assertThat(j).isLessThanOrEqualTo(lower * (1 + 1e-6));      // and it reaches the optimum
        assertThat(j).isLessThan(lbfgsJ * (1 - 1e-4));              // where lbfgs alone stops above it
    }

    /**
     * The weighted fill test against its definition computed here row by row: a neuron is in use when its path-norm
     * share is above 1e-9 of the largest and {@code ||v_k|| (sum_n w_n relu(w_k . x_n - b_k)^2)^(1/2)} is above 1e-4 of
     * the weighted spread of the targets; weights from 1e-12 to 1 make the weighting decide. A neuron active only on
     * rows of weight 1e-12 is not in use, and is once those rows weigh 1.
     */
    @Test
    void theWeightedFillCountIsItsDefinition() {
        FitProblem p = regression(1, 0.3);
        for (long seed = 1; seed <= 5; seed++) {
            ShallowNetwork net = RandomNetworks.network(2, 1, 16, true, seed);
            double[] w = new double[ROWS];
            for (int n = 0; n < ROWS; n++) {
                w[n] = Math.pow(10, -12 * ((n * 7 + seed) % 5) / 4.0);   // 1, 1e-3, 1e-6, 1e-9, 1e-12
            }
            assertThat(WidthFreeSolver.inUseOnData(net, p.withSampleWeights(w))).isEqualTo(inUseByDefinition(net, p, w));
        }
        // one neuron active on a single row: of weight 1e-12 it is negligible, of weight 1 it is in use
        ShallowNetwork net = RandomNetworks.network(2, 1, 4, true, 9);
        double top = Double.NEGATIVE_INFINITY;
        for (int n = 0; n < ROWS; n++) {
            top = Math.max(top, p.x().get(n, 0));
        }
        int lone = -1;
        for (int n = 0; n < ROWS; n++) {
            if (p.x().get(n, 0) == top) {
                lone = n;
            }
        }
        double second = Double.NEGATIVE_INFINITY;
        for (int n = 0; n < ROWS; n++) {
            if (n != lone) {
                second = Math.max(second, p.x().get(n, 0));
            }
        }
        net.inputWeights().set(0, 0, 1.0);   // neuron 0: relu(x_1 - b), b between the two largest x_1
        net.inputWeights().set(0, 1, 0.0);
        net.bias()[0] = (top + second) / 2;
        net.outputWeights().data[0] = 1.0;
        double[] light = new double[ROWS];
        java.util.Arrays.fill(light, 1.0);
        light[lone] = 1e-12;
        double[] heavy = light.clone();
        heavy[lone] = 1.0;
        int withLight = WidthFreeSolver.inUseOnData(net, p.withSampleWeights(light));
        int withHeavy = WidthFreeSolver.inUseOnData(net, p.withSampleWeights(heavy));
        assertThat(withLight).isEqualTo(inUseByDefinition(net, p, light));
        assertThat(withHeavy).isEqualTo(inUseByDefinition(net, p, heavy)).isEqualTo(withLight + 1);
    }

    /** {@link WidthFreeSolver#inUseOnData}'s rule for a regression with weights, written out row by row. */
    private static int inUseByDefinition(ShallowNetwork net, FitProblem p, double[] w) {
        double total = 0;
        double mean = 0;
        for (int n = 0; n < ROWS; n++) {
            total += w[n];
            mean += w[n] * p.y().data[n];
        }
        mean /= total;
        double spread = 0;
        for (int n = 0; n < ROWS; n++) {
            spread += w[n] * (p.y().data[n] - mean) * (p.y().data[n] - mean);
        }
        double scale = Math.sqrt(spread);
        int width = net.width();
        double[] share = new double[width];
        double largest = 0;
        for (int k = 0; k < width; k++) {
            double in = Math.hypot(net.inputWeights().get(k, 0), net.inputWeights().get(k, 1));
            share[k] = Math.abs(net.outputWeights().data[k]) * in;
            largest = Math.max(largest, share[k]);
        }
        int used = 0;
        for (int k = 0; k < width; k++) {
            double sum = 0;
            for (int n = 0; n < ROWS; n++) {
                double z = net.inputWeights().get(k, 0) * p.x().get(n, 0) + net.inputWeights().get(k, 1) * p.x().get(n, 1)
                        - net.bias()[k];
                sum += w[n] * Math.max(0, z) * Math.max(0, z);
            }
            if (share[k] > 1e-9 * largest && Math.abs(net.outputWeights().data[k]) * Math.sqrt(sum) > 1e-4 * scale) {
                used++;
            }
        }
        return used;
    }

    /**
     * With every weight equal to 1 the weighted fill count is the unweighted one (Prune's), and weights that scale every
     * row alike do not change it.
     */
    @Test
    void theWeightedFillCountAgreesWithTheUnweightedOneForEqualWeights() {
        FitProblem p = regression(1, 0.3);
        for (long seed = 1; seed <= 5; seed++) {
            ShallowNetwork net = RandomNetworks.network(2, 1, 16, true, seed);
            // some neurons nearly off on the data: tiny outgoing weights
            for (int k = 0; k < 16; k += 3) {
                net.outputWeights().data[k] *= 1e-6;
            }
            int plain = WidthFreeSolver.inUseOnData(net, p);
            double[] ones = new double[ROWS];
            java.util.Arrays.fill(ones, 1.0);
            double[] sevens = new double[ROWS];
            java.util.Arrays.fill(sevens, 7.0);
            assertThat(WidthFreeSolver.inUseOnData(net, p.withSampleWeights(ones))).isEqualTo(plain);
            assertThat(WidthFreeSolver.inUseOnData(net, p.withSampleWeights(sevens))).isEqualTo(plain);
            assertThat(plain).isLessThan(16);
        }
    }

    private static void assertWidensToTheOptimum(FitProblem p, double lambda) {
        FitSettings auto = startingAtFour(lambda);
        var demand = SparseFit.demand(p, auto);
        SolverType type = SparseFit.resolve(SolverType.AUTO, demand, p.rows());
        if (p.loss().classification() && p.outputDim() == 1 && p.sampleWeights() == null) {
            assertThat(type).isEqualTo(SolverType.CONVEX);   // two inputs; in three and more it is lbfgs, see above
            type = SolverType.LBFGS;
        }
        assertThat(type).isEqualTo(SolverType.LBFGS);
        assertThat(SparseFit.widthFree(auto, demand, type, p.rows())).isTrue();
        // At the probe point the unfinished narrow run fills its width by the loss's own fill test.
        io.sparsefit.core.solver.Lbfgs.Run probe = new io.sparsefit.core.solver.Lbfgs().start(p,
                auto.withSolver(SolverType.LBFGS), ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(probe.advanceTo(PROBE)).isTrue();   // still going there: the probe decides, not the end
        assertThat(WidthFreeSolver.fillsOnData(probe.network(), p, START)).as("filled at the probe").isTrue();
        FitOutcome out = SparseFit.fit(p, auto, type, new WidthFreeSolver(null, PROBE), ProgressListener.NONE,
                CancellationToken.NEVER);

        FitOutcome convex = SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(SolverType.CONVEX), ProgressListener.NONE,
                CancellationToken.NEVER);
        double optimum = IndependentDual.objective(convex.shallow(), p, lambda);
        double lower = IndependentDual.lowerBound(convex.shallow(), p, lambda);
        assertThat(lower).isGreaterThan(optimum * (1 - 1e-6));   // the cold fit is certified optimal
        FitOutcome capped = SparseFit.fit(p, FitSettings.defaults(lambda).withWidth(START).withSolver(SolverType.LBFGS),
                ProgressListener.NONE, CancellationToken.NEVER);
        double cappedJ = IndependentDual.objective(capped.shallow(), p, lambda);

        double j = IndependentDual.objective(out.shallow(), p, lambda);
        assertThat(j).isCloseTo(out.diagnostics().objective(), org.assertj.core.api.Assertions.within(1e-9 * j));
        assertThat(j).isGreaterThanOrEqualTo(lower * (1 - 1e-9));   // T1
        assertThat(j).isLessThanOrEqualTo(lower * (1 + 1e-6));      // and it reaches the optimum
        assertThat(j).isLessThanOrEqualTo(cappedJ);
        assertThat(out.diagnostics().activeNeurons()).isGreaterThan(START);
    }

    /** auto with the width not given, starting at 4 neurons. */
    private static FitSettings startingAtFour(double lambda) {
        return FitSettings.defaults(lambda).withArchitecture(Architecture.startingWidth(START, true));
    }

    /** N = 60 Gaussian points in two inputs, targets from a random 8-neuron network with m outputs plus noise. */
    private static FitProblem regression(int m, double noise) {
        DMatrixRMaj x = RandomNetworks.matrix(ROWS, 2, 1);
        DMatrixRMaj y = RandomNetworks.network(2, m, 8, true, 2).predict(x, null);
        DMatrixRMaj e = RandomNetworks.matrix(ROWS, m, 3);
        for (int i = 0; i < ROWS * m; i++) {
            y.data[i] += noise * e.data[i];
        }
        return new FitProblem(x, y);
    }

    /**
     * Classes from the largest of a random 8-neuron network's outputs (two classes: its one output's sign), every ninth
     * label moved to the next class.
     */
    private static FitProblem classification(int classes) {
        DMatrixRMaj x = RandomNetworks.matrix(ROWS, 2, 4);
        int m = classes == 2 ? 1 : classes;
        DMatrixRMaj scores = RandomNetworks.network(2, m, 8, true, 5).predict(x, null);
        DMatrixRMaj labels = new DMatrixRMaj(ROWS, 1);
        for (int n = 0; n < ROWS; n++) {
            int best = 0;
            for (int i = 1; i < m; i++) {
                best = scores.get(n, i) > scores.get(n, best) ? i : best;
            }
            labels.data[n] = m == 1 ? (scores.data[n] > 0 ? 1 : 0) : best;
            if (n % 9 == 0) {   // a few labels flipped: the optimum needs more neurons than the clean boundary
                labels.data[n] = (labels.data[n] + 1) % classes;
            }
        }
        return new FitProblem(x, labels).withLoss(Loss.of(classes == 2 ? "logistic" : "cross_entropy", 0, classes));
    }

    /** Weights in [0.5, 2], varied by row. */
    private static double[] weights() {
        double[] w = new double[ROWS];
        for (int n = 0; n < ROWS; n++) {
            w[n] = 0.5 + 1.5 * ((n * 37) % 11) / 10.0;
        }
        return w;
    }
}
