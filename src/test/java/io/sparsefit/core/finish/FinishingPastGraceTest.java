package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: the steps after a deadline that read the whole data set stop at their first look past the grace, counted
 * in looks (a stop that turns true after a set number of them), never in milliseconds. The polish's features and the
 * layered certificate's look every {@link Polish#ROWS_PER_LOOK} rows; the finishing's merge and near merge are not
 * started and its prune on the data gives way to the relative rule, each keeping a valid network.
 */
class FinishingPastGraceTest {

    /** 600 rows: ten looks of the features' loop (64 rows each). */
    private static final DMatrixRMaj X = RandomNetworks.matrix(600, 2, 51);
    private static final FitProblem PROBLEM = new FitProblem(X, RandomNetworks.matrix(600, 1, 52));
    private static final double LAMBDA = 0.1;

    @Test
    void thePolishOfADeepNetworkStopsItsFeaturesAtTheirFirstLookPastTheStop() {
        Network deep = deep();
        // looks: one before the earlier layer's forward pass, then rows 0, 64, 128: the fourth is the first past
        CountedStop stop = new CountedStop(3);
        Polish.Result<Network> cut = Polish.polish(deep, PROBLEM, LAMBDA, stop);
        assertThat(stop.looks).isEqualTo(4);
        assertThat(cut.iterations()).isZero();
        assertThat(cut.objective()).isEqualTo(Polish.objective(deep, PROBLEM, LAMBDA));
        assertThat(cut.network().predict(X, null).data).isEqualTo(deep.predict(X, null).data);

        // without a stop it builds all ten row blocks and solves: an objective below the input's
        CountedStop never = new CountedStop(Long.MAX_VALUE);
        Polish.Result<Network> whole = Polish.polish(deep, PROBLEM, LAMBDA, never);
        assertThat(never.looks).isGreaterThan(1 + 600 / Polish.ROWS_PER_LOOK);
        assertThat(whole.objective()).isLessThan(cut.objective());
    }

    @Test
    void theLayeredCertificateIsNotComputedPastTheStop() {
        Network deep = deep();
        CountedStop stop = new CountedStop(5);
        assertThat(Polish.certificate(deep, PROBLEM, LAMBDA, stop)).isNull();
        assertThat(stop.looks).isEqualTo(6);

        // the same certificate as without any stop once the stop never trips (the features are the same bits)
        Certificate whole = Polish.certificate(deep, PROBLEM, LAMBDA, new CountedStop(Long.MAX_VALUE));
        assertThat(whole).isNotNull();
        assertThat(whole).isEqualTo(Polish.certificate(deep, PROBLEM, LAMBDA, () -> false));
        assertThat(whole.gap()).isGreaterThanOrEqualTo(0.0);
    }

    /*
     * A CountedStop(n) turns true at look n + 1 whoever makes it, so a count alone cannot tell one guard from the
     * next one reached: these cases also name the method that made each look (CountedStop#lookers).
     */

    @Test
    void aStopAlreadyTrueIsSeenBeforeTheFirstEarlierLayerAndNothingIsComputed() {
        Network deep = deep(12, 8);
        double[] input = deep.predict(X, null).data;
        CountedStop polishStop = new CountedStop(0);
        Polish.Result<Network> cut = Polish.polish(deep, PROBLEM, LAMBDA, polishStop);
        // one look, before the earlier layer's forward pass (not the features' first row block after it)
        assertThat(polishStop.lookers).containsExactly("of");
        assertThat(cut.iterations()).isZero();
        assertThat(cut.gap()).isNaN();
        assertThat(cut.network().predict(X, null).data).isEqualTo(input);

        CountedStop certificateStop = new CountedStop(0);
        assertThat(Polish.certificate(deep, PROBLEM, LAMBDA, certificateStop)).isNull();
        assertThat(certificateStop.lookers).containsExactly("of");
    }

    @Test
    void theLayeredCertificateLooksBeforeEachEarlierLayerAtEachRowBlockAndAfterTheFeatures() {
        Network deeper = deep(12, 8, 6);
        CountedStop never = new CountedStop(Long.MAX_VALUE);
        assertThat(Polish.certificate(deeper, PROBLEM, LAMBDA, never)).isNotNull();
        List<String> expected = new ArrayList<>(List.of("of", "of"));
        expected.addAll(Collections.nCopies(rowBlocks(), "features"));
        expected.add("certificate");
        assertThat(never.lookers).isEqualTo(expected);
    }

    @Test
    void aStopTrippingAtTheLookAfterTheLastRowBlockLeavesThePolishAndTheCertificateUndone() {
        Network deep = deep(12, 8);
        double[] input = deep.predict(X, null).data;
        // one look before the earlier layer, one per row block: the next look is the one after the features
        long beforeTheLastLook = (deep.layers().size() - 1) + rowBlocks();

        CountedStop polishStop = new CountedStop(beforeTheLastLook);
        Polish.Result<Network> cut = Polish.polish(deep, PROBLEM, LAMBDA, polishStop);
        assertThat(cut.iterations()).isZero();
        assertThat(cut.gap()).isNaN();
        assertThat(cut.objective()).isEqualTo(Polish.objective(deep, PROBLEM, LAMBDA));
        assertThat(cut.network().predict(X, null).data).isEqualTo(input);
        assertThat(polishStop.looks).isEqualTo(beforeTheLastLook + 1);
        assertThat(polishStop.lookers.get(polishStop.lookers.size() - 1)).isEqualTo("polish");

        CountedStop certificateStop = new CountedStop(beforeTheLastLook);
        assertThat(Polish.certificate(deep, PROBLEM, LAMBDA, certificateStop)).isNull();
        assertThat(certificateStop.looks).isEqualTo(beforeTheLastLook + 1);
        assertThat(certificateStop.lookers.get(certificateStop.lookers.size() - 1)).isEqualTo("certificate");
    }

    @Test
    void pastTheStopTheFinishingSkipsTheDataPassesAndKeepsTheFunction() {
        ShallowNetwork net = RandomNetworks.network(2, 1, 40, true, 1);
        List<String> steps = new ArrayList<>();
        CountedStop stop = new CountedStop(0);
        ShallowNetwork finished = Finishing.finish(net, PROBLEM, Regularization.WEIGHT_DECAY, LAMBDA, stop, steps::add);
        // no polish and no merge; the two prunes and rebalancings still run
        assertThat(steps).containsExactly("prune", "rebalance", "canonicalize", "prune", "rebalance");
        // each guarded step looked once: prune, polish, merge, near merge, prune
        assertThat(stop.looks).isEqualTo(5);

        // the same steps done by hand with the rules that do not read the data
        ShallowNetwork byHand = Rebalance.rebalance(Prune.prune(Canonicalize.canonicalize(
                Rebalance.rebalance(Prune.prune(net, Prune.DEFAULT_RELATIVE_THRESHOLD)), true),
                Prune.DEFAULT_RELATIVE_THRESHOLD));
        assertThat(finished.predict(X, null).data).isEqualTo(byHand.predict(X, null).data);
        assertThat(finished.width()).isEqualTo(byHand.width());
        // the function is the input's (a random network has no neuron at 1e-9 of the largest): equal to rounding
        double[] before = net.predict(X, null).data;
        double[] after = finished.predict(X, null).data;
        for (int r = 0; r < before.length; r++) {
            assertThat(after[r]).isCloseTo(before[r], org.assertj.core.api.Assertions.within(1e-9 * (1 + Math.abs(before[r]))));
        }
    }

    /** Two hidden ReLU layers of 12 and 8 units on two inputs with a skip, random weights. */
    private static Network deep() {
        return deep(12, 8);
    }

    /** Hidden ReLU layers of the given widths on two inputs with a skip, random weights. */
    private static Network deep(int... widths) {
        Network deep = Network.zeros(2, 1, widths, 0, true);
        deep.setParameters(RandomNetworks.matrix(1, deep.parameterCount(), 53).data);
        return deep;
    }

    /** The features' looks over the problem's rows: one per {@link Polish#ROWS_PER_LOOK} rows, rounded up. */
    private static int rowBlocks() {
        return (X.numRows + Polish.ROWS_PER_LOOK - 1) / Polish.ROWS_PER_LOOK;
    }

    /**
     * False for its first {@code trueAfter} looks, true from then on; counts every look and records the name of the
     * method that made it.
     */
    private static final class CountedStop implements BooleanSupplier {
        private static final StackWalker WALKER = StackWalker.getInstance();
        private final long trueAfter;
        final List<String> lookers = new ArrayList<>();
        long looks;

        CountedStop(long trueAfter) {
            this.trueAfter = trueAfter;
        }

        @Override
        public boolean getAsBoolean() {
            lookers.add(WALKER.walk(frames -> frames.skip(1).findFirst().orElseThrow().getMethodName()));
            return ++looks > trueAfter;
        }
    }
}
