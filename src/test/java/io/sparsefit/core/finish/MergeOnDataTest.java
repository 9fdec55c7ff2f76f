package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import java.util.HashSet;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wide fits end sparse (issue 20): neurons that share a hyperplane on the data merge, for every loss, with the same
 * fitted values and no larger path norm (A6); antipodal ones only for a regression loss (A2b).
 */
class MergeOnDataTest {

    private static final int BASE = 6;

    /**
     * {@code BASE} random neurons, then for each a positively rescaled copy with a slightly tilted hyperplane (far less
     * than the smallest distance of a sample to a kink, so the same samples are active) and an amplitude of the same
     * sign, and for the first three an antipodal copy ({@code -s w, -s b}) with an amplitude of the same sign.
     */
    private static ShallowNetwork withCopies(ShallowNetwork base, DMatrixRMaj x, double relativeTilt) {
        int d = base.inputDim();
        double margin = RandomNetworks.kinkMargin(base, x);
        assertThat(margin).isGreaterThan(1e-6);
        int width = base.width();
        ShallowNetwork net = new ShallowNetwork(d, 1, 2 * width + 3, base.hasSkip());
        for (int k = 0; k < width; k++) {
            copy(base, k, net, k, 1.0, 1.0, 0.0);
            copy(base, k, net, width + k, 2.5, 0.4, relativeTilt * margin);
        }
        for (int k = 0; k < 3; k++) {
            copy(base, k, net, 2 * width + k, -0.7, 0.3, 0.0);
        }
        net.skipWeights().setTo(base.skipWeights());
        System.arraycopy(base.skipBias(), 0, net.skipBias(), 0, 1);
        return net;
    }

    /** Neuron k of {@code from} as neuron j of {@code to}: (s w + tilt, s b), amplitude a v. */
    private static void copy(ShallowNetwork from, int k, ShallowNetwork to, int j, double s, double a, double tilt) {
        int d = from.inputDim();
        for (int i = 0; i < d; i++) {
            to.inputWeights().data[j * d + i] = s * from.inputWeights().data[k * d + i] + (i == 0 ? tilt : 0.0);
        }
        to.bias()[j] = s * from.bias()[k];
        to.outputWeights().data[j] = a * from.outputWeights().data[k];
    }

    /** Distinct activation patterns on the data, each identified with its complement when {@code antipodal}. */
    private static int distinctPatterns(ShallowNetwork net, DMatrixRMaj x, boolean antipodal) {
        Set<String> patterns = new HashSet<>();
        for (int k = 0; k < net.width(); k++) {
            StringBuilder p = new StringBuilder();
            StringBuilder complement = new StringBuilder();
            for (int r = 0; r < x.numRows; r++) {
                double z = -net.bias()[k];
                for (int j = 0; j < net.inputDim(); j++) {
                    z += net.inputWeights().get(k, j) * x.get(r, j);
                }
                p.append(z > 0 ? '1' : '0');
                complement.append(z > 0 ? '0' : '1');
            }
            if (!(antipodal && patterns.contains(complement.toString()))) {
                patterns.add(p.toString());
            }
        }
        return patterns.size();
    }

    @ParameterizedTest(name = "turn around antipodal neurons: {0}")
    @ValueSource(booleans = {true, false})
    void copiesOnTheDataMergeWithTheSameFittedValuesAndNoLargerPathNorm(boolean turnAround) {
        DMatrixRMaj x = RandomNetworks.matrix(200, 3, 11);
        ShallowNetwork base = RandomNetworks.network(3, 1, BASE, true, 12);
        ShallowNetwork wide = withCopies(base, x, 1e-3);
        FitProblem problem = new FitProblem(x, RandomNetworks.matrix(200, 1, 13));

        ShallowNetwork merged = Canonicalize.mergeOnData(wide, problem, turnAround);

        int expected = distinctPatterns(wide, x, turnAround);
        assertThat(expected).isEqualTo(turnAround ? BASE : BASE + 3);
        assertThat(merged.width()).isEqualTo(expected);
        assertThat(RandomNetworks.relativeDifference(wide.predict(x, null), merged.predict(x, null))).isLessThan(1e-12);
        assertThat(PathNorm.of(merged)).isLessThanOrEqualTo(PathNorm.of(wide) * (1 + 1e-12));
        if (!turnAround) {
            // C is untouched: a classification loss decays it (A2b).
            assertThat(merged.skipWeights().data).containsExactly(wide.skipWeights().data);
        }
    }

    @Test
    void aNeuronWhoseAmplitudeHasTheOtherSignMergesOnlyWhenThePatternSurvives() {
        DMatrixRMaj x = RandomNetworks.matrix(100, 2, 21);
        ShallowNetwork base = RandomNetworks.network(2, 1, 1, true, 22);
        ShallowNetwork net = new ShallowNetwork(2, 1, 2, true);
        copy(base, 0, net, 0, 1.0, 1.0, 0.0);
        copy(base, 0, net, 1, 1.0, -0.5, 0.0);     // the same hyperplane, half the amplitude taken away: one neuron
        FitProblem problem = new FitProblem(x, RandomNetworks.matrix(100, 1, 23));
        ShallowNetwork merged = Canonicalize.mergeOnData(net, problem, false);
        assertThat(merged.width()).isEqualTo(1);
        assertThat(RandomNetworks.relativeDifference(net.predict(x, null), merged.predict(x, null))).isLessThan(1e-12);
        // Exactly cancelling amplitudes: nothing to merge into (the pair is zero on the data, left to pruning).
        copy(base, 0, net, 1, 1.0, -1.0, 0.0);
        assertThat(Canonicalize.mergeOnData(net, problem, false).width()).isEqualTo(2);
    }

    @Test
    void theFinishingMergesNeuronsOfAClassifierOnOneHyperplaneButNeverTurnsOneAround() {
        DMatrixRMaj x = RandomNetworks.matrix(120, 2, 31);
        ShallowNetwork base = RandomNetworks.network(2, 1, BASE, true, 32);
        ShallowNetwork wide = withCopies(base, x, 0.0);
        DMatrixRMaj labels = new DMatrixRMaj(120, 1);
        DMatrixRMaj f = base.predict(x, null);
        for (int r = 0; r < 120; r++) {
            labels.set(r, 0, f.get(r, 0) > 0 ? 1 : 0);
        }
        FitProblem problem = new FitProblem(x, labels).withLoss(LogisticLoss.INSTANCE);
        ShallowNetwork finished = Finishing.finish(wide, problem, Regularization.WEIGHT_DECAY);
        // The rescaled copies share their original's hyperplane and merge; the antipodal three stay (C is decayed).
        assertThat(finished.width()).isEqualTo(BASE + 3);
        assertThat(finished.skipWeights().data).containsExactly(wide.skipWeights().data);
        assertThat(RandomNetworks.relativeDifference(wide.predict(x, null), finished.predict(x, null))).isLessThan(1e-12);
    }

    /**
     * End to end: an {@code lbfgs} fit wider than the polish takes ({@link Polish#MAX_NEURONS}) on a planted 2-D problem
     * ends within the representer bound N - (d + 1) (T7), with an objective no higher than the pruned fit's.
     */
    @Test
    void aWideGradientFitEndsWithinTheRepresenterBound() {
        int n = 150;
        DMatrixRMaj x = RandomNetworks.matrix(n, 2, 51);
        ShallowNetwork teacher = RandomNetworks.network(2, 1, 4, true, 52);
        DMatrixRMaj y = teacher.predict(x, null);
        FitProblem problem = new FitProblem(x, y);
        double lambda = 0.05;
        io.sparsefit.core.solver.FitSettings settings = io.sparsefit.core.solver.FitSettings.defaults(lambda)
                .withSolver(io.sparsefit.core.solver.SolverType.LBFGS).withWidth(400).withMaxIter(400);
        ShallowNetwork raw = new io.sparsefit.core.solver.Lbfgs().solve(problem, settings,
                io.sparsefit.core.solver.ProgressListener.NONE, io.sparsefit.core.solver.CancellationToken.NEVER).shallow();
        ShallowNetwork pruned = Prune.prune(raw, problem);
        assertThat(pruned.width()).as("wider than the polish takes").isGreaterThan(Polish.MAX_NEURONS);
        ShallowNetwork finished = Finishing.finish(raw, problem, Regularization.WEIGHT_DECAY, lambda);
        int active = 0;
        for (int k = 0; k < finished.width(); k++) {
            active += finished.outputNorm(k) * finished.inputNorm(k) > 0 ? 1 : 0;
        }
        assertThat(active).isLessThanOrEqualTo(n - 3);
        assertThat(Polish.objective(finished, problem, lambda)).isLessThanOrEqualTo(Polish.objective(pruned, problem, lambda));
    }
}
