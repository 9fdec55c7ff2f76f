package io.sparsefit.core.finish;

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
 * neighbours, so the two steps alternate until neither lowers the weight decay (by {@link #RELATIVE_DECREASE}); the
 * last step of every round is the run step, so the returned runs are balanced factorizations. Exact up to rounding
 * (the tests hold predictions to 1e-12 relative).
 */
public final class Rebalance {

    /** Rounds of the alternation at most; each costs one SVD per run and one pass over the units. */
    public static final int MAX_ROUNDS = 200;
    /** Stop once a round lowers the penalty by less than this, relative. */
    public static final double RELATIVE_DECREASE = 1e-13;

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
        double before = weightDecay(net);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            net.balanceUnits();
            balanceRuns(net);
            double after = weightDecay(net);
            if (!(before - after > RELATIVE_DECREASE * Math.max(after, Double.MIN_NORMAL))) {
                return;
            }
            before = after;
        }
    }

    /** {@code 1/2} the sum of squares of every weight matrix. */
    static double weightDecay(Network net) {
        double s = 0;
        for (Layer layer : net.layers()) {
            s += CommonOps_DDRM.elementSum(squares(layer.weights()));
        }
        return 0.5 * (s + CommonOps_DDRM.elementSum(squares(net.outputWeights())));
    }

    private static DMatrixRMaj squares(DMatrixRMaj a) {
        DMatrixRMaj s = a.copy();
        CommonOps_DDRM.elementMult(s, a);
        return s;
    }

    /** The run step on every ReLU layer that has linear layers in front of it. */
    static void balanceRuns(Network net) {
        List<Layer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).kind() != Layer.Kind.RELU || l == 0 || layers.get(l - 1).kind() != Layer.Kind.LINEAR) {
                continue;
            }
            int first = l;
            while (first > 0 && layers.get(first - 1).kind() == Layer.Kind.LINEAR) {
                first--;
            }
            balanceRun(layers.subList(first, l + 1));
        }
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
        int q = run.size();
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.numRows, m.numCols, true, true, true);
        if (!svd.decompose(m.copy())) {
            return;
        }
        DMatrixRMaj u = svd.getU(null, false);      // rows x r
        DMatrixRMaj vt = svd.getV(null, true);      // r x cols
        double[] sigma = svd.getSingularValues();
        int r = svd.numberOfSingularValues();
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
