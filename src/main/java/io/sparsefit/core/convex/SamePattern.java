package io.sparsefit.core.convex;

/**
 * One output: atoms {@code a_k relu(u_k . x - c_k)} ({@code ||u_k|| = 1}) with the same activation pattern on the data
 * and the same amplitude sign are one atom in disguise (theory C2: the cone of that pattern). On the points where they
 * are active each is affine, so {@code sum_k |a_k| relu(u_k . x - c_k) = relu(w . x - beta)} there with
 * {@code w = sum |a_k| u_k}, {@code beta = sum |a_k| c_k}, and both sides vanish elsewhere: the merged atom
 * ({@code u = w / ||w||}, {@code c = beta / ||w||}, amplitude {@code sign ||w||}) fits the data identically at a path
 * norm {@code ||w|| <= sum |a_k|} (A3). This moves an atom inside its cell, which pricing at data points cannot, and
 * turns near-copies of one hyperplane (as gradient training leaves them) into one neuron.
 */
public final class SamePattern {

    private SamePattern() {
    }

    /** Whether atom {@code atom} is active ({@code u . x - c > 0}) at data row {@code row}. */
    @FunctionalInterface
    public interface Activity {
        boolean active(int atom, int row);
    }

    /**
     * Merges in place: directions (K x d row-major), offsets (K) and amplitudes (K) of the first atom of each pattern
     * are modified, the amplitudes of the atoms merged into it set to zero (the caller drops them). Returns which atoms
     * changed (their features must be recomputed), or null when nothing was merged.
     *
     * @param activity read before anything is merged into an atom, and never for an atom after it changed
     */
    public static boolean[] merge(int n, int d, int k, double[] directions, double[] offsets, double[] amplitudes,
                                  Activity activity) {
        java.util.Map<java.util.BitSet, Integer> first = new java.util.HashMap<>();
        boolean[] changed = null;
        for (int q = 0; q < k; q++) {
            double a = amplitudes[q];
            if (a == 0) {
                continue;
            }
            java.util.BitSet pattern = new java.util.BitSet(n + 1);
            for (int i = 0; i < n; i++) {
                if (activity.active(q, i)) {
                    pattern.set(i);
                }
            }
            if (a < 0) {
                pattern.set(n);
            }
            Integer into = first.putIfAbsent(pattern, q);
            if (into == null) {
                continue;
            }
            int t = into;
            double at = Math.abs(amplitudes[t]);
            double aq = Math.abs(a);
            double[] w = new double[d];
            double norm = 0;
            for (int j = 0; j < d; j++) {
                w[j] = at * directions[t * d + j] + aq * directions[q * d + j];
                norm += w[j] * w[j];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 0)) {
                continue;
            }
            double beta = at * offsets[t] + aq * offsets[q];
            for (int j = 0; j < d; j++) {
                directions[t * d + j] = w[j] / norm;
            }
            offsets[t] = beta / norm;
            amplitudes[t] = Math.signum(a) * norm;
            amplitudes[q] = 0.0;
            if (changed == null) {
                changed = new boolean[k];
            }
            changed[t] = true;
        }
        return changed;
    }
}
