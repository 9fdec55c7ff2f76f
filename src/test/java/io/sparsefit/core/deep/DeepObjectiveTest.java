package io.sparsefit.core.deep;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.NetworkLoss;
import io.sparsefit.core.objective.NetworkObjective;
import io.sparsefit.core.penalty.WeightDecay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deep objective against central differences, an independent forward pass, plain-loop backpropagation, and the
 * fused one-layer kernel.
 */
class DeepObjectiveTest {

    @ParameterizedTest(name = "depth {0}, linear {1}, m = {2}, skip {3}")
    @CsvSource({"1,0,1,true", "1,1,2,true", "2,0,1,true", "2,0,2,false", "2,1,1,true", "2,2,2,true",
            "3,0,1,true", "3,1,2,true", "3,0,2,false"})
    void gradientMatchesCentralDifferences(int depth, int linear, int m, boolean skip) {
        int d = 3;
        int[] widths = new int[depth];
        for (int l = 0; l < depth; l++) {
            widths[l] = 4 + l;
        }
        long seed = 100L * depth + 10L * linear + m;
        // 1300 rows: more than two blocks of NetworkObjective.BLOCK_ROWS, so the block accumulation and the two row
        // chunks (RowChunks) added lane 0 + lane 1 are covered.
        FitProblem problem = new FitProblem(RandomNetworks.matrix(1300, d, seed), RandomNetworks.matrix(1300, m, seed + 1));
        Network net = RandomDeepNetworks.network(d, m, widths, linear, skip, seed + 2);
        double lambda = 0.3;
        NetworkLoss loss = new NetworkLoss(problem, net.copy(), WeightDecay.INSTANCE, lambda);
        double[] theta = new double[net.parameterCount()];
        net.getParameters(theta);
        double[] gradient = new double[theta.length];
        loss.evaluate(theta, gradient);
        double[] probe = theta.clone();
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < theta.length; i++) {
            double h = 1e-6 * Math.max(1.0, Math.abs(theta[i]));
            probe[i] = theta[i] + h;
            double up = loss.evaluate(probe, null);
            probe[i] = theta[i] - h;
            double down = loss.evaluate(probe, null);
            probe[i] = theta[i];
            double numeric = (up - down) / (2 * h);
            worst = Math.max(worst, Math.abs(numeric - gradient[i]));
            scale = Math.max(scale, Math.abs(gradient[i]));
        }
        // Central differences carry O(h^2) truncation and ~1e-10 rounding relative to J; a kink crossed by a probe
        // would show as an O(1) error, and the random data put no sample within 1e-6 of a kink here.
        assertThat(worst).isLessThan(1e-5 * Math.max(1.0, scale));
    }

    @Test
    void valueMatchesAnIndependentForwardPass() {
        Network net = RandomDeepNetworks.network(4, 2, new int[] {6, 5, 3}, 1, true, 7);
        FitProblem problem = new FitProblem(RandomNetworks.matrix(1100, 4, 8), RandomNetworks.matrix(1100, 2, 9));
        double[][] f = RandomDeepNetworks.evaluate(net, problem.x());
        double sum = 0;
        for (int n = 0; n < problem.rows(); n++) {
            for (int i = 0; i < 2; i++) {
                double r = f[n][i] - problem.y().get(n, i);
                sum += r * r;
            }
        }
        NetworkLoss loss = new NetworkLoss(problem, net.copy(), null, 0.0);
        double[] theta = new double[net.parameterCount()];
        net.getParameters(theta);
        assertThat(loss.evaluate(theta, null)).isCloseTo(0.5 * sum, org.assertj.core.data.Offset.offset(1e-12 * sum));
        assertThat(RandomDeepNetworks.maxRelativeDifference(f, net.predict(problem.x(), null))).isLessThan(1e-12);
    }

    /**
     * One hidden layer through both kernels: the blocked kernel (the one that reads every network, layer by layer)
     * against the fused one, an independent pass per sample, on 700 rows (two row blocks, one chunk) and 1300 (two
     * chunks).
     */
    @ParameterizedTest(name = "{0} rows")
    @org.junit.jupiter.params.provider.ValueSource(ints = {700, 1300})
    void theBlockedKernelOnOneLayerEqualsTheFusedKernel(int rows) {
        ShallowNetwork shallow = RandomNetworks.network(3, 2, 9, true, 11);
        FitProblem problem = new FitProblem(RandomNetworks.matrix(rows, 3, 12), RandomNetworks.matrix(rows, 2, 13));
        double[] gf = new double[shallow.parameterCount()];
        double[] gb = new double[gf.length];
        double jf = new NetworkObjective(problem, shallow, NetworkObjective.Kernel.FUSED)
                .evaluate(shallow, WeightDecay.INSTANCE, 0.2, gf);
        double jb = new NetworkObjective(problem, shallow, NetworkObjective.Kernel.BLOCKED)
                .evaluate(shallow, WeightDecay.INSTANCE, 0.2, gb);
        assertThat(jb).isCloseTo(jf, org.assertj.core.data.Offset.offset(1e-12 * jf));
        double scale = 0;
        for (double g : gf) {
            scale = Math.max(scale, Math.abs(g));
        }
        for (int i = 0; i < gf.length; i++) {
            assertThat(gb[i]).as("entry %d", i).isCloseTo(gf[i], org.assertj.core.data.Offset.offset(1e-12 * scale));
        }
    }

    /**
     * Several layers through the blocked kernel against backpropagation written out per sample in plain loops
     * ({@link RandomDeepNetworks#dataFitGradient}): the squared-loss data fit and every gradient entry to 1e-12
     * relative (of the largest entry), on the whole data set (three row blocks, two chunks) and on a scaled mini-batch
     * with repeated rows; with the last layer a ReLU layer (the read-out backward pass fused with its mask) and a
     * linear one.
     */
    @ParameterizedTest(name = "widths {0}, linear {1}, last linear {2}, m = {3}, skip {4}")
    @CsvSource({"'8,6',0,false,1,true", "'8,6',1,false,2,true", "'5,7,4',0,false,2,false", "'6,5',0,true,1,true",
            "'9',1,true,2,true", "'4,0,3',0,false,1,true"})
    void theBlockedKernelMatchesPlainBackpropagation(String widthList, int linear, boolean lastLinear, int m,
                                                     boolean skip) {
        int d = 4;
        int[] widths = java.util.Arrays.stream(widthList.split(",")).mapToInt(Integer::parseInt).toArray();
        long seed = widthList.hashCode() + 10L * linear + m;
        Network net = RandomDeepNetworks.network(d, m, widths, linear, skip, seed);
        if (lastLinear) {
            net = RandomDeepNetworks.withLinearLast(net, 3, seed + 5);
        }
        int n = 1100;
        FitProblem problem = new FitProblem(RandomNetworks.matrix(n, d, seed + 1), RandomNetworks.matrix(n, m, seed + 2));
        NetworkObjective objective = new NetworkObjective(problem, net, NetworkObjective.Kernel.BLOCKED);
        assertThat(objective.fused()).isFalse();
        int count = 700;
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
            rows[i] = (int) ((i * 7919L) % 500);   // 500 distinct rows, 200 of them twice: repeated rows, two blocks
        }
        for (int[] subset : new int[][] {null, rows}) {
            int size = subset == null ? n : count;
            double scale = subset == null ? 1.0 : (double) n / count;
            double[] expected = new double[net.parameterCount()];
            double fit = RandomDeepNetworks.dataFitGradient(net, problem, subset, size, scale, expected);
            double[] gradient = new double[expected.length];
            double value = objective.evaluateRows(net, subset, size, scale, null, 0.0, gradient);
            assertThat(value).isCloseTo(fit, org.assertj.core.data.Offset.offset(1e-12 * fit));
            double largest = 0;
            for (double g : expected) {
                largest = Math.max(largest, Math.abs(g));
            }
            for (int i = 0; i < expected.length; i++) {
                assertThat(gradient[i]).as("entry %d of %d", i, expected.length)
                        .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12 * largest));
            }
        }
    }

    /**
     * One network model: a network built from one ReLU layer by the general constructor (as the stored-model decoder
     * does) has the one-layer view over its own arrays, and the objective reads it with the one-layer kernels: the
     * fused kernel is accepted for it, and by shape it gets the very bits of the same parameters held as a
     * {@code ShallowNetwork}.
     */
    @Test
    void everyOneLayerNetworkIsReadByTheOneLayerKernels() {
        ShallowNetwork shallow = RandomNetworks.network(3, 2, 9, true, 11);
        Network plain = RandomNetworks.general(shallow);
        ShallowNetwork view = plain.oneLayer();
        assertThat(view).isNotNull().isSameAs(plain.oneLayer());
        assertThat(view.inputWeights()).isSameAs(plain.layers().get(0).weights());
        assertThat(view.bias()).isSameAs(plain.layers().get(0).bias());
        assertThat(view.outputWeights()).isSameAs(plain.outputWeights());
        FitProblem problem = new FitProblem(RandomNetworks.matrix(300, 3, 12), RandomNetworks.matrix(300, 2, 13));
        assertThat(new NetworkObjective(problem, plain, NetworkObjective.Kernel.FUSED).fused()).isTrue();
        double[] gs = new double[shallow.parameterCount()];
        double[] gp = new double[gs.length];
        double js = new NetworkObjective(problem, shallow).evaluate(shallow, WeightDecay.INSTANCE, 0.2, gs);
        double jp = new NetworkObjective(problem, plain).evaluate(plain, WeightDecay.INSTANCE, 0.2, gp);
        assertThat(jp).isEqualTo(js);
        assertThat(gp).containsExactly(gs);
        assertThat(plain.predict(problem.x(), null).data).containsExactly(shallow.predict(problem.x(), null).data);
    }
}
