package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The solvers' declared capabilities as auto, the facade and paths read them. */
class SolverCapabilitiesTest {

    private static SolverCapabilities.Demand demand(Loss loss, boolean weighted, int inputs, int batch) {
        return new SolverCapabilities.Demand(loss, weighted, Regularization.WEIGHT_DECAY, 0.1, true, false, inputs, 1, batch);
    }

    @Test
    void autoPicksOnlyACapableSolver() {
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(Loss.squared(), false, 1, 0), 50)).isEqualTo(SolverType.EXACT);
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(Loss.squared(), false, 2, 0), 50)).isEqualTo(SolverType.CONVEX);
        // exact fits the squared loss (with weights); auto takes convex for squared loss and the classification losses
        // without weights (measured), in one and two inputs
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(LogisticLoss.INSTANCE, false, 1, 0), 50)).isEqualTo(SolverType.CONVEX);
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(LogisticLoss.INSTANCE, false, 2, 0), 50)).isEqualTo(SolverType.CONVEX);
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(LogisticLoss.INSTANCE, true, 2, 0), 50)).isEqualTo(SolverType.LBFGS);
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(LogisticLoss.INSTANCE, false, 3, 0), 50)).isEqualTo(SolverType.LBFGS);
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(Loss.squared(), true, 1, 0), 50)).isEqualTo(SolverType.EXACT);
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(Loss.squared(), true, 2, 0), 50)).isEqualTo(SolverType.LBFGS);
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(new HuberLoss(1), false, 2, 0), 50)).isEqualTo(SolverType.LBFGS);
        // only adam takes mini-batches
        assertThat(SparseFit.resolve(SolverType.AUTO, demand(Loss.squared(), false, 1, 16), 50)).isEqualTo(SolverType.ADAM);
    }

    @Test
    void missingCapabilitiesAreNamed() {
        SolverCapabilities exact = SolverType.EXACT.capabilities();
        var missing = exact.missing("exact", new SolverCapabilities.Demand(LogisticLoss.INSTANCE, true, Regularization.NONE, 0,
                false, true, 2, 3, 8));
        assertThat(SolverType.CONVEX.capabilities().missing("convex", demand(LogisticLoss.INSTANCE, true, 2, 0))).isEmpty();
        assertThat(missing).extracting(SolverCapabilities.Missing::capability).containsExactly(
                SolverCapabilities.Capability.LOSS,
                SolverCapabilities.Capability.PENALTY, SolverCapabilities.Capability.SKIP, SolverCapabilities.Capability.DEPTH,
                SolverCapabilities.Capability.INPUTS, SolverCapabilities.Capability.OUTPUTS,
                SolverCapabilities.Capability.MINI_BATCHES);
        assertThat(missing.get(0).message()).isEqualTo("exact fits the loss squared, not logistic");
        assertThat(SolverType.CONVEX.capabilities().missing("convex", demand(Loss.squared(), false, 2, 0))).isEmpty();
        assertThat(SolverType.LBFGS.capabilities().missing("lbfgs", demand(LogisticLoss.INSTANCE, true, 5, 0))).isEmpty();
        assertThat(SolverType.LBFGS.capabilities().missing("lbfgs", demand(Loss.squared(), false, 5, 8)))
                .extracting(SolverCapabilities.Missing::capability).containsExactly(SolverCapabilities.Capability.MINI_BATCHES);
        assertThatThrownBy(() -> SolverType.AUTO.capabilities()).isInstanceOf(IllegalStateException.class);
    }

    private static FitProblem logistic(long seed) {
        Random rnd = new Random(seed);
        double[] x = new double[60];
        double[] y = new double[60];
        double[] w = new double[60];
        for (int i = 0; i < 60; i++) {
            x[i] = 4 * rnd.nextDouble() - 2;
            y[i] = Math.abs(x[i]) < 0.8 ^ rnd.nextDouble() < 0.1 ? 1 : 0;   // a bump: needs two knots
            w[i] = 0.5 + rnd.nextDouble();
        }
        return FitProblem.of1D(x, y).withLoss(LogisticLoss.INSTANCE).withSampleWeights(w);
    }

    @Test
    void theFacadeRefusesAnIncapableSolverByName() {
        FitSettings settings = FitSettings.defaults(0.05).withSolver(SolverType.EXACT);
        assertThatThrownBy(() -> SparseFit.fit(logistic(1), settings, ProgressListener.NONE, CancellationToken.NEVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exact fits the loss squared, not logistic");
    }

    @Test
    void gradientSolversFitAWeightedLogisticProblem() {
        FitProblem p = logistic(2);
        double lambda = 0.05;
        for (SolverType type : new SolverType[] {SolverType.LBFGS, SolverType.ADAM, SolverType.PROX}) {
            FitSettings settings = FitSettings.defaults(lambda).withSolver(type).withWidth(16).withSeed(0).withMaxIter(3000);
            FitOutcome out = SparseFit.fit(p, settings, ProgressListener.NONE, CancellationToken.NEVER);
            double dataFit = Networks.dataFit(out.network(), p);
            assertThat(out.diagnostics().dataFit()).as(type.wireName()).isEqualTo(dataFit);
            // far better than the best constant (the weighted log-odds), which cannot see the bump
            double positive = 0;
            double total = 0;
            for (int i = 0; i < p.rows(); i++) {
                positive += p.sampleWeights()[i] * p.y().data[i];
                total += p.sampleWeights()[i];
            }
            double q = positive / total;
            double constant = -total * (q * Math.log(q) + (1 - q) * Math.log(1 - q));
            assertThat(dataFit).as(type.wireName()).isLessThan(0.8 * constant);
            assertThat(out.diagnostics().certificate().gap()).as(type.wireName()).isGreaterThanOrEqualTo(-1e-9);
            assertThat(out.diagnostics().penalty()).as(type.wireName()).isPositive();
        }
    }

    @Test
    void lbfgsTrainsThePenaltyItIsGiven() {
        assertThat(Lbfgs.trainedPenalty(Regularization.WEIGHT_DECAY)).isSameAs(WeightDecay.INSTANCE);
        assertThat(Lbfgs.trainedPenalty(Regularization.PATH_NORM)).isSameAs(WeightDecay.INSTANCE); // its smooth form, A3
        assertThat(Lbfgs.trainedPenalty(Regularization.NONE)).isNull();
    }
}
