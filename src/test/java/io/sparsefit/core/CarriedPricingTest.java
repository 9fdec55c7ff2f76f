package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.convex.PricedDualPoint;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.finish.DualCertificate;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@code auto} prices a finished narrow {@code lbfgs} fit once (issue 20): a fit it keeps as it is carries that pricing
 * ({@link SolverResult#pricing()}) to the diagnostics, whose certificate ({@link DualCertificate#compute}) then adds
 * only its proof. The certificate is the one pricing afresh gives, field for field; and a pricing is used only for the
 * network object, problem, lambda and seed it was made for.
 */
class CarriedPricingTest {

    private static final double LAMBDA = 0.5;

    /** 60 points in d = 3 of a 2-neuron teacher (WidthFreeSolverTest's narrow problem): auto keeps the lbfgs fit there. */
    private static FitProblem narrow() {
        DMatrixRMaj x = RandomNetworks.matrix(WidthFreeSolverTest.ROWS, 3, 11);
        return new FitProblem(x, RandomNetworks.network(3, 1, 2, true, 12).predict(x, null));
    }

    @Test
    void aKeptLbfgsFitCarriesItsPricingAndTheCertificateIsTheRecomputedOne() {
        FitProblem p = narrow();
        FitSettings auto = FitSettings.defaults(LAMBDA);
        SolverResult kept = SparseFit.solveAndFinish(p, auto, SolverType.LBFGS, new WidthFreeSolver(),
                ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(kept.solverOr(SolverType.LBFGS)).isEqualTo(SolverType.LBFGS);
        assertThat(kept.pricing()).isNotNull();
        assertThat(kept.pricing().isFor(kept.shallow(), p, LAMBDA, auto.seed())).isTrue();
        // the gap that kept it: below PRICED_GAP
        assertThat(WidthFreeSolver.opensGap(DualCertificate.sampled(kept.pricing()))).isFalse();
        // the carried pricing is the one a fresh pricing makes, atom for atom (the proof alone may not depend on it)
        PricedDualPoint<ShallowNetwork> fresh = DualCertificate.price(kept.shallow(), p, LAMBDA, auto.seed(), () -> false);
        assertThat(kept.pricing().primal()).isEqualTo(fresh.primal());
        assertThat(kept.pricing().g().data).containsExactly(fresh.g().data);
        assertThat(kept.pricing().found().exact()).isEqualTo(fresh.found().exact());
        assertThat(kept.pricing().found().atom().direction()).containsExactly(fresh.found().atom().direction());
        assertThat(kept.pricing().found().atom().offset()).isEqualTo(fresh.found().atom().offset());
        assertThat(kept.pricing().found().atom().value()).isEqualTo(fresh.found().atom().value());

        Certificate carried = DualCertificate.compute(kept.shallow(), p, LAMBDA, auto.seed(), () -> false, () -> false,
                kept.pricing());
        Certificate recomputed = DualCertificate.compute(kept.shallow(), p, LAMBDA, auto.seed());
        assertThat(carried.gap()).isEqualTo(recomputed.gap());
        assertThat(carried.dualObjective()).isEqualTo(recomputed.dualObjective());
        assertThat(carried.exact()).isEqualTo(recomputed.exact());
        assertThat(carried.gapBound()).isEqualTo(recomputed.gapBound());
        assertThat(carried).isEqualTo(recomputed);

        // through the facade: the diagnostics' certificate of the kept fit is the recomputed one
        FitOutcome out = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(), ProgressListener.NONE,
                CancellationToken.NEVER);
        assertThat(out.diagnostics().solver()).isEqualTo("lbfgs");
        WidthFreeSolverTest.assertSameBits(out.shallow(), kept.shallow());
        assertThat(out.diagnostics().certificate()).isEqualTo(recomputed);

        // and the diagnostics do use the carried pricing (not a fresh one): a doctored primal shows in their gap
        PricedDualPoint<ShallowNetwork> doctored = new PricedDualPoint<>(kept.shallow(), p, LAMBDA, auto.seed(),
                kept.pricing().primal() + 1.0, kept.pricing().g(), kept.pricing().found(), true);
        Diagnostics fromDoctored = DiagnosticsCalculator.compute(kept.network(), p, auto, SolverType.LBFGS,
                kept.withPricing(doctored), System.nanoTime(), Double.NaN, Double.NaN, () -> false, () -> false);
        assertThat(fromDoctored.certificate().gap()).isCloseTo(recomputed.gap() + 1.0, within(1e-9));
    }

    /** The same for a classification loss, where the proof runs over the full sphere of directions (A2b). */
    @Test
    void aKeptLogisticFitsCertificateIsTheRecomputedOne() {
        FitProblem regression = narrow();
        double[] labels = new double[regression.rows()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = regression.y().data[i] > 0 ? 1 : 0;
        }
        FitProblem p = new FitProblem(regression.x(), new DMatrixRMaj(labels.length, 1, true, labels))
                .withLoss(Loss.of("logistic", 0, 2));
        FitSettings auto = FitSettings.defaults(3.0);
        SolverResult kept = SparseFit.solveAndFinish(p, auto, SolverType.LBFGS, new WidthFreeSolver(),
                ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(kept.solverOr(SolverType.LBFGS)).isEqualTo(SolverType.LBFGS);
        assertThat(kept.pricing()).isNotNull();
        Certificate carried = DualCertificate.compute(kept.shallow(), p, 3.0, auto.seed(), () -> false, () -> false,
                kept.pricing());
        assertThat(carried).isEqualTo(DualCertificate.compute(kept.shallow(), p, 3.0, auto.seed()));
    }

    @Test
    void aPricingIsUsedOnlyForItsOwnNetworkProblemLambdaAndSeed() {
        FitProblem p = narrow();
        ShallowNetwork net = RandomNetworks.network(3, 1, 5, true, 21);
        PricedDualPoint<ShallowNetwork> priced = DualCertificate.price(net, p, LAMBDA, 7, () -> false);
        assertThat(priced.isFor(net, p, LAMBDA, 7)).isTrue();
        assertThat(priced.isFor(net.copy(), p, LAMBDA, 7)).isFalse();
        assertThat(priced.isFor(net, new FitProblem(p.x(), p.y()), LAMBDA, 7)).isFalse();
        assertThat(priced.isFor(net, p, 0.6, 7)).isFalse();
        assertThat(priced.isFor(net, p, LAMBDA, 8)).isFalse();
        PricedDualPoint<ShallowNetwork> stopped = new PricedDualPoint<>(net, p, LAMBDA, 7, priced.primal(), priced.g(),
                priced.found(), false);
        assertThat(stopped.isFor(net, p, LAMBDA, 7)).isFalse();

        // handed with another network (a copy changed after the pricing), it is ignored: that network is priced afresh
        ShallowNetwork moved = net.copy();
        moved.outputWeights().data[0] *= 1.5;
        moved.inputWeights().data[1] += 0.3;
        Certificate ofMoved = DualCertificate.compute(moved, p, LAMBDA, 7);
        assertThat(ofMoved).isNotEqualTo(DualCertificate.compute(net, p, LAMBDA, 7));
        assertThat(DualCertificate.compute(moved, p, LAMBDA, 7, () -> false, () -> false, priced)).isEqualTo(ofMoved);
        // and a result never carries another network's pricing: refused when set, dropped by the finishing
        SolverResult result = new SolverResult(net, StopReason.CONVERGED, 1, java.util.List.of()).withPricing(priced);
        assertThat(result.withStopReason(StopReason.TIME_LIMIT).pricing()).isSameAs(priced);
        assertThat(result.producedBy(SolverType.LBFGS, 1.0).pricing()).isSameAs(priced);
        assertThat(result.finished(net).pricing()).isNull();
        assertThatThrownBy(() -> result.finished(moved).withPricing(priced)).isInstanceOf(IllegalArgumentException.class);
    }
}
