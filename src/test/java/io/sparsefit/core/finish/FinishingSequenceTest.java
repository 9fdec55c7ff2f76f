package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19: the flat finishing prunes at most twice and rebalances at most twice, whatever it is given. The steps are
 * read from the finishing's trace; every call of {@link Prune} and {@link Rebalance} in {@link Finishing} goes through the
 * two traced helpers (checked on the bytecode), so no untraced prune can slip in.
 */
class FinishingSequenceTest {

    private static final DMatrixRMaj X2 = RandomNetworks.matrix(80, 2, 41);

    private static FitProblem regression(DMatrixRMaj x) {
        return new FitProblem(x, RandomNetworks.matrix(x.numRows, 1, 42));
    }

    private static FitProblem classification(DMatrixRMaj x) {
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, 1);
        for (int r = 0; r < x.numRows; r++) {
            y.set(r, 0, x.get(r, 0) + 0.3 * x.get(r, 1) > 0 ? 1 : 0);
        }
        return new FitProblem(x, y).withLoss(LogisticLoss.INSTANCE);
    }

    static Stream<Arguments> cases() {
        DMatrixRMaj x1 = RandomNetworks.matrix(40, 1, 43);
        Network deep = Network.zeros(2, 1, new int[] {6, 5}, 1, true);
        double[] theta = RandomNetworks.matrix(1, deep.parameterCount(), 44).data;
        deep.setParameters(theta);
        return Stream.of(
                Arguments.of("2-D, data, weight decay", RandomNetworks.network(2, 1, 40, true, 1), regression(X2),
                        Regularization.WEIGHT_DECAY, 0.1),
                Arguments.of("1-D with skip: the spline's polish", RandomNetworks.network(1, 1, 12, true, 2), regression(x1),
                        Regularization.WEIGHT_DECAY, 0.1),
                Arguments.of("deep with a linear layer", deep, regression(X2), Regularization.WEIGHT_DECAY, 0.1),
                Arguments.of("logistic", RandomNetworks.network(2, 1, 20, true, 3), classification(X2),
                        Regularization.WEIGHT_DECAY, 0.1),
                Arguments.of("path norm", RandomNetworks.network(2, 1, 20, true, 4), regression(X2), Regularization.PATH_NORM,
                        0.1),
                Arguments.of("no penalty", RandomNetworks.network(2, 1, 20, true, 5), regression(X2), Regularization.NONE,
                        0.1),
                Arguments.of("convex solver's: no lambda", RandomNetworks.network(2, 1, 20, true, 6), regression(X2),
                        Regularization.WEIGHT_DECAY, 0.0),
                Arguments.of("without data", RandomNetworks.network(2, 1, 20, false, 7), null, Regularization.WEIGHT_DECAY,
                        0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void prunesAtMostTwiceAndRebalancesAtMostTwice(String name, Network network, FitProblem problem,
                                                   Regularization regularization, double lambda) {
        List<String> steps = new ArrayList<>();
        Network finished = Finishing.finish(network, problem, regularization, lambda, () -> false, steps::add);
        assertThat(Collections.frequency(steps, "prune")).as("%s: %s", name, steps).isBetween(1, 2);
        assertThat(Collections.frequency(steps, "rebalance")).as("%s: %s", name, steps).isEqualTo(2);
        assertThat(steps.get(steps.size() - 1)).isEqualTo("rebalance");
        assertThat(Rebalance.balanceError(finished)).isLessThanOrEqualTo(1e-8);
    }

    @Test
    void theFullSequenceOnDataIsTheDocumentedOne() {
        List<String> steps = new ArrayList<>();
        ShallowNetwork net = RandomNetworks.network(2, 1, 40, true, 1);
        Finishing.finish(net, regression(X2), Regularization.WEIGHT_DECAY, 0.1, () -> false, steps::add);
        assertThat(steps).containsExactly("prune", "polish", "merge", "rebalance", "canonicalize", "prune", "rebalance");
    }

    /**
     * A merged hyperplane is a different feature: the polish over both copies can end lower than over their merge. The
     * finishing merges after its polish (when the polish is affordable), so it ends no higher than the polish of the
     * unmerged network, computed here on its own. Few rows and a wide network make shared activation patterns common.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theMergeCostsThePolishNothing(long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(12, 2, 100 + seed);
        FitProblem problem = regression(x);
        double lambda = 0.05;
        ShallowNetwork net = RandomNetworks.network(2, 1, 60, true, seed);
        double polishedUnmerged = Polish.polish(Prune.prune(net, problem), problem, lambda, () -> false).objective();
        Network finished = Finishing.finish(net, problem, Regularization.WEIGHT_DECAY, lambda);
        assertThat(Polish.objective(finished, problem, lambda))
                .isLessThanOrEqualTo(polishedUnmerged + 1e-10 * Math.abs(polishedUnmerged));
    }

    @Test
    void everyPruneAndRebalanceInTheFinishingGoesThroughTheTracedHelpers() {
        JavaClass finishing = new ClassFileImporter().importClass(Finishing.class);
        int prunes = 0;
        int rebalancings = 0;
        for (JavaMethodCall call : finishing.getMethodCallsFromSelf()) {
            String owner = call.getTargetOwner().getName();
            String caller = call.getOrigin().getName();
            if (owner.equals(Prune.class.getName()) && call.getName().equals("prune")) {
                assertThat(caller).as("Prune.prune called from %s", caller).isEqualTo("prune");
                prunes++;
            }
            if (owner.equals(Rebalance.class.getName()) && call.getName().startsWith("rebalance")) {
                assertThat(caller).as("Rebalance.%s called from %s", call.getName(), caller).isEqualTo("rebalance");
                rebalancings++;
            }
        }
        assertThat(prunes).isPositive();
        assertThat(rebalancings).isPositive();
        // ... and the traced helpers are called twice each in the sequence's source, no more.
        long pruneSites = finishing.getMethodCallsFromSelf().stream()
                .filter(c -> c.getTargetOwner().isEquivalentTo(Finishing.class) && c.getName().equals("prune")).count();
        long rebalanceSites = finishing.getMethodCallsFromSelf().stream()
                .filter(c -> c.getTargetOwner().isEquivalentTo(Finishing.class) && c.getName().equals("rebalance")).count();
        assertThat(pruneSites).isEqualTo(2);
        assertThat(rebalanceSites).isEqualTo(2);
    }
}
