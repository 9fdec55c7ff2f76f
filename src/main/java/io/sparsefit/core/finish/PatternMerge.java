package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Neurons of one hidden layer that share their hyperplane <i>on the data</i>, merged exactly: the data-aware form of the
 * canonical form's merge (A6), for any loss.
 *
 * <p>Two neurons active on exactly the same samples S ({@code w_k . x_n > b_k} for n in S only) are affine on S and zero
 * elsewhere, so for outer weights along one direction e ({@code v_k = alpha_k e}, one output always)
 * {@code sum_k alpha_k relu(w_k . x - b_k) = (w . x - b)} on S and 0 elsewhere, with {@code w = sum alpha_k w_k},
 * {@code b = sum alpha_k b_k}. When {@code A = sum alpha_k} is not zero and {@code (w . x_n - b) / A} is positive exactly on
 * S (always so when the alpha_k share a sign: a positive combination), that is the single neuron
 * {@code A e relu((w . x - b) / A)}: the same fitted values (to rounding), so the same data fit for every loss, and a
 * path norm {@code ||w|| <= sum |alpha_k| ||w_k||} that cannot grow. Gradient training at a large width leaves many
 * such copies (hundreds at width 1024 in 2-D, where the optimum has a few dozen neurons); they are neither sparse nor
 * canonical, and they keep the polish (at most {@link Polish#MAX_NEURONS} neurons) from running.
 *
 * <p>With {@code turnAround} (a regression loss with a skip connection: {@code C} is free, A1, A6) every neuron is first
 * oriented so that the first sample is not active, by {@code a relu(z) = a relu(-z) + a z} with the linear remainder
 * moved into {@code C} and {@code c0}: that changes neither f nor the penalty, and it lets antipodal neurons (active on
 * complementary samples) merge too. A classification loss decays {@code C} (A2b), so there no neuron is turned around.
 */
public final class PatternMerge {

    /** Outer weights are along one direction when their unit vectors agree to this. */
    static final double PARALLEL = 1e-12;

    private PatternMerge() {
    }

    /** A merged copy of {@code network} (not modified); the neurons kept are in their first index's order. */
    public static ShallowNetwork merge(ShallowNetwork network, FitProblem problem, boolean turnAround) {
        int n = problem.rows();
        int d = network.inputDim();
        int width = network.width();
        ShallowNetwork net = network.copy();
        double[] x = problem.x().data;
        double[] w = net.inputWeights().data;
        double[] b = net.bias();
        if (turnAround && net.hasSkip() && n > 0) {
            for (int k = 0; k < width; k++) {
                if (preActivation(w, b, k, x, 0, d) > 0) {
                    turnAround(net, k);
                }
            }
        }
        Map<BitSet, List<Integer>> groups = new LinkedHashMap<>();
        for (int k = 0; k < width; k++) {
            if (net.inputNorm(k) == 0 || net.outputNorm(k) == 0) {
                continue;
            }
            groups.computeIfAbsent(pattern(w, b, k, x, n, d), p -> new ArrayList<>()).add(k);
        }
        boolean[] removed = new boolean[width];
        double[] mergedW = new double[d];
        for (Map.Entry<BitSet, List<Integer>> group : groups.entrySet()) {
            List<Integer> members = group.getValue();
            for (int i = 0; i < members.size(); i++) {
                int t = members.get(i);
                if (removed[t]) {
                    continue;
                }
                for (int j = i + 1; j < members.size(); j++) {
                    int k = members.get(j);
                    if (!removed[k] && mergeInto(net, t, k, group.getKey(), x, n, mergedW)) {
                        removed[k] = true;
                    }
                }
            }
        }
        int[] keep = new int[width];
        int kept = 0;
        for (int k = 0; k < width; k++) {
            if (!removed[k]) {
                keep[kept++] = k;
            }
        }
        return kept == width ? net : net.select(java.util.Arrays.copyOf(keep, kept));
    }

    /**
     * Merges neuron k into neuron t (same pattern) when their outer weights are parallel, their scalar amplitudes do not
     * cancel and the merged hyperplane keeps the pattern on every sample; returns whether it did (t modified).
     */
    private static boolean mergeInto(ShallowNetwork net, int t, int k, BitSet pattern, double[] x, int n, double[] mergedW) {
        int d = net.inputDim();
        int m = net.outputDim();
        double[] w = net.inputWeights().data;
        double[] b = net.bias();
        double[] v = net.outputWeights().data;
        double normT = net.outputNorm(t);
        double normK = net.outputNorm(k);
        // alpha_t = ||v_t|| along e = v_t / ||v_t||; alpha_k = v_k . e, and v_k must be alpha_k e.
        double alphaK = 0;
        for (int i = 0; i < m; i++) {
            alphaK += v[k * m + i] * v[t * m + i] / normT;
        }
        for (int i = 0; i < m; i++) {
            if (Math.abs(v[k * m + i] / normK - Math.signum(alphaK) * v[t * m + i] / normT) > PARALLEL) {
                return false;
            }
        }
        double alphaT = normT;
        double total = alphaT + alphaK;
        if (!(Math.abs(total) > PARALLEL * (alphaT + Math.abs(alphaK)))) {
            return false;
        }
        double mergedB = (alphaT * b[t] + alphaK * b[k]) / total;
        for (int j = 0; j < d; j++) {
            mergedW[j] = (alphaT * w[t * d + j] + alphaK * w[k * d + j]) / total;
        }
        if (alphaK < 0) {
            // Mixed signs: the combination is not positive by construction; keep it only when the pattern survives.
            for (int r = 0; r < n; r++) {
                double z = -mergedB;
                for (int j = 0; j < d; j++) {
                    z += mergedW[j] * x[r * d + j];
                }
                if ((z > 0) != pattern.get(r)) {
                    return false;
                }
            }
        }
        System.arraycopy(mergedW, 0, w, t * d, d);
        b[t] = mergedB;
        for (int i = 0; i < m; i++) {
            v[t * m + i] *= total / alphaT;
        }
        return true;
    }

    /** {@code a relu(w . x - b) = a relu(-w . x + b) + a (w . x - b)}: neuron k turned around, the remainder in the skip. */
    private static void turnAround(ShallowNetwork net, int k) {
        int d = net.inputDim();
        int m = net.outputDim();
        double[] w = net.inputWeights().data;
        double[] v = net.outputWeights().data;
        double[] c = net.skipWeights().data;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                c[i * d + j] += v[k * m + i] * w[k * d + j];
            }
            net.skipBias()[i] -= v[k * m + i] * net.bias()[k];
        }
        for (int j = 0; j < d; j++) {
            w[k * d + j] = -w[k * d + j];
        }
        net.bias()[k] = -net.bias()[k];
    }

    private static BitSet pattern(double[] w, double[] b, int k, double[] x, int n, int d) {
        BitSet pattern = new BitSet(n);
        for (int r = 0; r < n; r++) {
            if (preActivation(w, b, k, x, r, d) > 0) {
                pattern.set(r);
            }
        }
        return pattern;
    }

    private static double preActivation(double[] w, double[] b, int k, double[] x, int r, int d) {
        double z = -b[k];
        for (int j = 0; j < d; j++) {
            z += w[k * d + j] * x[r * d + j];
        }
        return z;
    }
}
