package io.sparsefit.core.finish;

import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Neural balance (theory A4, layer by layer for depth, A8): rescalings that never change the function and never
 * increase the weight decay.
 * <ul>
 *   <li><b>Units</b> ({@link Network#balanceUnits}): {@code (v, w, b) -> (v/a, a w, a b)} with {@code a = sqrt(||v|| /
 *       ||w||)} gives {@code ||v_k|| = ||w_k||}; the path norm is unchanged and the weight decay drops to it (A3).</li>
 *   <li><b>Linear runs</b>: the q factors of a run (the linear layers in front of a ReLU layer and that layer's own
 *       matrix) enter f only through their product {@code M = U S V^T}; the factorization
 *       {@code F_1 = S^{1/q} V^T, F_i = S^{1/q}, F_q = U S^{1/q}} (padded with zeros to the layers' shapes) has the same
 *       product and the least penalty, {@code 1/2 sum ||F_i||^2 = (q/2) sum sigma_i^{2/q}} (A8; the nuclear norm for
 *       q = 2).</li>
 * </ul>
 * One ReLU layer is balanced by one pass of the unit step. With several layers balancing one layer unbalances its
 * neighbours, so the two steps alternate: block coordinate descent on the weight decay as a function of the units'
 * log-scales (a convex function, a sum of exponentials of linear forms) and of the runs' factorizations, which
 * converges linearly (a factor 0.25-0.65 a round on trained fits). It stops on the quantity A4 states, not on the
 * penalty's decrease (which is quadratic in the imbalance, so a penalty-based stop leaves an imbalance of about the
 * square root of its tolerance): once {@link #balanceError} is at most {@link #BALANCE_TOLERANCE}, or once
 * {@link #STALL_ROUNDS} rounds have not lowered it (the rounding floor, about 1e-15). The last step of every round is
 * the run step, so the returned runs are balanced factorizations. Exact up to rounding (the tests hold predictions to
 * 1e-12 relative).
 */
public final class Rebalance {

    /** Rounds of the alternation at most; each costs one SVD per run and two passes over the weights. */
    public static final int MAX_ROUNDS = 10_000;
    /** The alternation stops once {@link #balanceError} is at most this (A4; the API promises 1e-8 for depth). */
    public static final double BALANCE_TOLERANCE = 1e-12;
    /** ... or once this many rounds in a row have not lowered the balance error (rounding). */
    public static final int STALL_ROUNDS = 20;

    private Rebalance() {
    }

    /** A rebalanced copy of {@code network} (not modified). */
    @SuppressWarnings("unchecked")
    public static <N extends Network> N rebalance(N network) {
        N out = (N) network.copy();
        rebalanceInPlace(out);
        return out;
    }

    /** Rebalances {@code net} in place (modified). */
    public static void rebalanceInPlace(Network net) {
        if (net.layers().size() == 1) {
            net.balanceUnits();
            return;
        }
        double best = Double.POSITIVE_INFINITY;
        int stalled = 0;
        for (int round = 0; round < MAX_ROUNDS && stalled < STALL_ROUNDS; round++) {
            net.balanceUnits();
            balanceRuns(net);
            double error = balanceError(net);
            if (error <= BALANCE_TOLERANCE) {
                return;
            }
            if (error < best) {
                best = error;
                stalled = 0;
            } else {
                stalled++;
            }
        }
    }

    /**
     * {@code max_k | ||out_k|| - ||in_k|| | / max(||in_k||, eps)} over the ReLU units of every layer (A4; for one hidden
     * layer {@code ||v_k||} against {@code ||w_k||}); {@code net} not modified.
     */
    public static double balanceError(Network net) {
        double worst = 0;
        List<Layer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).kind() != Layer.Kind.RELU) {
                continue;
            }
            for (int k = 0; k < layers.get(l).outputs(); k++) {
                double nw = MatrixNorms.rowNorm(layers.get(l).weights(), k);
                double nv = outgoingNorm(net, l, k);
                worst = Math.max(worst, Math.abs(nv - nw) / Math.max(nw, 1e-300));
            }
        }
        return worst;
    }

    /** The norm of what unit k of layer l sends on: column k of the next layer's matrix, or row k of {@code V}. */
    public static double outgoingNorm(Network net, int l, int k) {
        List<Layer> layers = net.layers();
        return l + 1 < layers.size() ? MatrixNorms.columnNorm(layers.get(l + 1).weights(), k)
                : MatrixNorms.rowNorm(net.outputWeights(), k);
    }

    /** The run step on every ReLU layer that has linear layers in front of it. */
    static void balanceRuns(Network net) {
        for (int[] run : runs(net)) {
            balanceRun(net.layers().subList(run[0], run[1] + 1));
        }
    }

    /**
     * Every run of {@code net} (not modified) as {@code {first, relu}}: layers {@code first..relu-1} are linear and
     * {@code relu} is the ReLU layer they feed, first run first.
     */
    public static List<int[]> runs(Network net) {
        List<Layer> layers = net.layers();
        List<int[]> runs = new java.util.ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).kind() != Layer.Kind.RELU || l == 0 || layers.get(l - 1).kind() != Layer.Kind.LINEAR) {
                continue;
            }
            int first = l;
            while (first > 0 && layers.get(first - 1).kind() == Layer.Kind.LINEAR) {
                first--;
            }
            runs.add(new int[] {first, l});
        }
        return runs;
    }

    /** The product of a run's factors, last factor first: {@code F_q ... F_1}. */
    public static DMatrixRMaj product(List<Layer> run) {
        DMatrixRMaj p = run.get(0).weights().copy();
        for (int i = 1; i < run.size(); i++) {
            DMatrixRMaj next = new DMatrixRMaj(run.get(i).outputs(), p.numCols);
            CommonOps_DDRM.mult(run.get(i).weights(), p, next);
            p = next;
        }
        return p;
    }

    private static void balanceRun(List<Layer> run) {
        DMatrixRMaj m = product(run);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.numRows, m.numCols, true, true, true);
        if (!svd.decompose(m.copy())) {
            return;
        }
        factorize(run, svd.getU(null, false), svd.getSingularValues(), svd.getV(null, true), svd.numberOfSingularValues());
    }

    /**
     * Writes the balanced factorization of {@code M = U diag(sigma) V^T} into the run's factors (modified):
     * {@code F_1 = S^{1/q} V^T, F_i = S^{1/q}, F_q = U S^{1/q}}, padded with zeros to the layers' shapes (A8). Only the
     * first {@code min(r, inner width)} singular triplets are used; {@code u} (rows x r), {@code sigma} and {@code vt}
     * (r x cols) are not modified.
     */
    static void factorize(List<Layer> run, DMatrixRMaj u, double[] sigma, DMatrixRMaj vt, int r) {
        int q = run.size();
        int inner = run.get(0).outputs();           // every inner dimension of a run is the ReLU layer's input width
        int rank = Math.min(r, inner);
        double[] root = new double[rank];
        for (int i = 0; i < rank; i++) {
            root[i] = Math.pow(Math.max(sigma[i], 0.0), 1.0 / q);
        }
        for (int f = 0; f < q; f++) {
            DMatrixRMaj w = run.get(f).weights();
            w.zero();
            for (int i = 0; i < rank; i++) {
                if (f == 0 && q > 1) {                     // S^{1/q} V^T, padded
                    for (int j = 0; j < w.numCols; j++) {
                        w.unsafe_set(i, j, root[i] * vt.unsafe_get(i, j));
                    }
                } else if (f == q - 1) {                   // U S^{1/q}, padded
                    for (int k = 0; k < w.numRows; k++) {
                        w.unsafe_set(k, i, u.unsafe_get(k, i) * root[i]);
                    }
                } else {                                   // S^{1/q}
                    w.unsafe_set(i, i, root[i]);
                }
            }
        }
    }
}
