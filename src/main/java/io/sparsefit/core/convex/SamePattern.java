package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.Vectors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Units of one hidden layer that share their hyperplane <i>on the data</i>, merged exactly (theory C2: one cone of
 * activation patterns; A3, A6): the one implementation for the convex solver's atoms and the finishing's neurons.
 *
 * <p>Units {@code v_k relu(w_k . x - b_k)} active on exactly the same samples S are affine on S and zero elsewhere, so
 * for outer weights along one direction e ({@code v_k = alpha_k e}, one output always)
 * {@code sum_k alpha_k relu(w_k . x - b_k) = (w . x - b)} on S and 0 elsewhere, with {@code w = sum alpha_k w_k},
 * {@code b = sum alpha_k b_k}. When {@code A = sum alpha_k} is not zero and {@code (w . x_n - b) / A} is positive exactly on
 * S (always so when the alpha_k share a sign: a positive combination), that is the single unit
 * {@code A e relu((w . x - b) / A)}: the same fitted values (to rounding), so the same data fit for every loss, and a
 * path norm {@code ||w|| <= sum |alpha_k| ||w_k||} that cannot grow. This moves a unit inside its cell, which pricing at
 * data points cannot, and turns near-copies of one hyperplane (as gradient training leaves them, hundreds at width
 * 1024 in 2-D) into one unit.
 */
public final class SamePattern {

    /** Outer weights are along one direction when their unit vectors agree to this. */
    static final double PARALLEL = 1e-12;

    private SamePattern() {
    }

    /** Whether unit {@code unit} is active ({@code w . x - b > 0}) at data row {@code row}. */
    @FunctionalInterface
    public interface Activity {
        boolean active(int unit, int row);
    }

    /** What {@link #merge} did: the units merged into (their features changed) and the units merged away. */
    public record Merged(boolean[] changed, boolean[] removed) {
    }

    /**
     * Merges in place the units of the same activation pattern. Units with a zero {@code w_k} or {@code v_k} are left
     * alone. A merged unit t keeps its index (rows of {@code w}, {@code b}, {@code v} modified: unit-normal form,
     * {@code ||w_t|| = 1}, A6), the units merged into it keep their values and are flagged removed (the caller drops
     * them). For unit-normal atoms of one output the merged atom is {@code u = W / ||W||}, {@code c = beta / ||W||},
     * amplitude {@code sign ||W||} with {@code W = sum |a_k| u_k}, {@code beta = sum |a_k| c_k}.
     *
     * @param x        N x d data, row-major, not modified
     * @param w        K x d input weights, modified
     * @param b        K biases (the unit is {@code relu(w . x - b)}), modified
     * @param v        K x m outer weights, modified
     * @param activity   each unit's pattern, read for every unit before anything is merged
     * @param mixedSigns whether units of opposite amplitude sign may merge (when the merged hyperplane keeps the
     *                   pattern); false merges only positive combinations
     * @return what changed, or null when nothing was merged
     */
    public static Merged merge(double[] x, int n, int d, int m, int k, double[] w, double[] b, double[] v,
                               Activity activity, boolean mixedSigns) {
        Map<BitSet, List<Integer>> groups = new LinkedHashMap<>();
        for (int q = 0; q < k; q++) {
            if (Vectors.norm(w, q * d, d) == 0 || Vectors.norm(v, q * m, m) == 0) {
                continue;
            }
            BitSet pattern = new BitSet(n);
            for (int r = 0; r < n; r++) {
                if (activity.active(q, r)) {
                    pattern.set(r);
                }
            }
            groups.computeIfAbsent(pattern, p -> new ArrayList<>()).add(q);
        }
        boolean[] removed = new boolean[k];
        boolean[] changed = new boolean[k];
        boolean any = false;
        double[] merged = new double[d];
        for (Map.Entry<BitSet, List<Integer>> group : groups.entrySet()) {
            List<Integer> members = group.getValue();
            for (int i = 0; i < members.size(); i++) {
                int t = members.get(i);
                if (removed[t]) {
                    continue;
                }
                for (int j = i + 1; j < members.size(); j++) {
                    int q = members.get(j);
                    if (!removed[q] && mergeInto(x, n, d, m, w, b, v, t, q, group.getKey(), mixedSigns, merged)) {
                        removed[q] = true;
                        changed[t] = true;
                        any = true;
                    }
                }
            }
        }
        return any ? new Merged(changed, removed) : null;
    }

    /**
     * Merges unit q into unit t (same pattern) when their outer weights are parallel, their scalar amplitudes do not
     * cancel and the merged hyperplane keeps the pattern on every sample; returns whether it did (t modified, in
     * unit-normal form).
     */
    private static boolean mergeInto(double[] x, int n, int d, int m, double[] w, double[] b, double[] v, int t, int q,
                                     BitSet pattern, boolean mixedSigns, double[] merged) {
        double normT = Vectors.norm(v, t * m, m);
        double normQ = Vectors.norm(v, q * m, m);
        // e = v_t / ||v_t||, alpha_t = ||v_t||, alpha_q = v_q . e; v_q must be alpha_q e.
        double alphaQ = 0;
        for (int i = 0; i < m; i++) {
            alphaQ += v[q * m + i] * (v[t * m + i] / normT);
        }
        for (int i = 0; i < m; i++) {
            if (Math.abs(v[q * m + i] / normQ - Math.signum(alphaQ) * v[t * m + i] / normT) > PARALLEL) {
                return false;
            }
        }
        if (alphaQ < 0 && !mixedSigns) {
            return false;
        }
        double alphaT = normT;
        double total = alphaT + alphaQ;
        if (!(Math.abs(total) > PARALLEL * (alphaT + Math.abs(alphaQ)))) {
            return false;
        }
        // On S the pair is e (W . x - B), W = alpha_t w_t + alpha_q w_q, B = alpha_t b_t + alpha_q b_q; with s the sign of
        // the combination that is e s ||W|| relu(u . x - c), u = s W / ||W||, c = s B / ||W||.
        for (int j = 0; j < d; j++) {
            merged[j] = alphaT * w[t * d + j] + alphaQ * w[q * d + j];
        }
        double norm = Vectors.norm(merged, 0, d);
        if (!(norm > 0)) {
            return false;
        }
        double s = total > 0 ? 1.0 : -1.0;
        double beta = alphaT * b[t] + alphaQ * b[q];
        for (int j = 0; j < d; j++) {
            merged[j] = s * merged[j] / norm;
        }
        double offset = s * beta / norm;
        if (alphaQ < 0) {
            // Mixed signs: the combination is not positive by construction; keep it only when the pattern survives.
            for (int r = 0; r < n; r++) {
                if ((preActivation(merged, 0, offset, x, r, d) > 0) != pattern.get(r)) {
                    return false;
                }
            }
        }
        System.arraycopy(merged, 0, w, t * d, d);
        b[t] = offset;
        for (int i = 0; i < m; i++) {
            v[t * m + i] = s * (v[t * m + i] / normT) * norm;
        }
        return true;
    }

    /**
     * {@code w . x_r - b}: unit k's pre-activation at data row r ({@code w} from row k of a K x d array, {@code b} its
     * bias; nothing modified).
     */
    public static double preActivation(double[] w, int k, double b, double[] x, int r, int d) {
        double z = -b;
        for (int j = 0; j < d; j++) {
            z += w[k * d + j] * x[r * d + j];
        }
        return z;
    }
}
