package io.sparsefit.core.solver.convex;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Purification (theory C2, T7) for one output: an optimum over K atoms whose projected features
 * {@code P H} (N x K) have rank below K is reduced, without changing the fitted values or the penalty,
 * to at most {@code rank(P H) <= N - (d + 1)} atoms ({@code N - 1} when only the constants are unpenalized: a
 * classification loss, whose skip weights are decayed, A2b). Along a null vector z of {@code P H} with the signs of
 * the amplitudes fixed, {@code sum |a_k|} is linear; at an optimum its slope {@code sum sign(a_k) z_k} is
 * zero (else the objective could decrease), so moving along z until an amplitude reaches zero keeps the
 * objective and removes an atom. Repeats until the features are independent.
 */
final class Purification {

    private Purification() {
    }

    /**
     * The active atoms of one output as purification sees them. Moving amplitudes along a null vector of the
     * projected features changes the fitted values by a function of the unpenalized part only (the affine functions,
     * or the constants for a classification loss), which that part absorbs, so the fit and the data term stay.
     */
    interface Atoms {
        int size();

        /** {@code P H}: the features (N x K) projected off the unpenalized part; a fresh matrix. */
        DMatrixRMaj projectedFeatures();

        /** The amplitudes, K entries from 0 (the caller's array, read only). */
        double[] amplitudes();

        /** Sets the amplitudes (K entries, copied); the unpenalized part absorbs the change in the fitted values. */
        void setAmplitudes(double[] a);

        /** Drops atoms whose amplitude is exactly zero, keeping the order of the rest. */
        void dropZeros();
    }

    /** Reduces {@code atoms} (modified) while they outnumber {@code bound}; at most one SVD per removed atom. */
    static void reduce(Atoms atoms, int bound) {
        int guard = atoms.size();
        while (atoms.size() > Math.max(bound, 0) && guard-- > 0) {
            DMatrixRMaj f = atoms.projectedFeatures();
            int k = f.numCols;
            if (f.numRows < k) {
                // More atoms than samples: pad with zero rows so that the SVD returns all K right singular vectors
                // (a thin SVD of an N x K matrix has only N of them, and no null vector among them).
                DMatrixRMaj padded = new DMatrixRMaj(k, k);
                System.arraycopy(f.data, 0, padded.data, 0, f.numRows * k);
                f = padded;
            }
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(f.numRows, k, false, true, false);
            if (!svd.decompose(f.copy())) {
                return;
            }
            double[] sv = svd.getSingularValues();
            DMatrixRMaj v = svd.getV(null, false);   // K x K, columns right singular vectors
            int smallest = 0;
            double largest = 0;
            for (int i = 0; i < svd.numberOfSingularValues(); i++) {
                largest = Math.max(largest, sv[i]);
                if (sv[i] < sv[smallest]) {
                    smallest = i;
                }
            }
            double[] z = new double[k];
            if (svd.numberOfSingularValues() < k) {
                return;   // the decomposition did not return a null vector; keep the optimum as it is
            }
            if (sv[smallest] > 1e-10 * largest) {
                return;   // independent features: nothing to remove
            }
            for (int i = 0; i < k; i++) {
                z[i] = v.get(i, smallest);
            }
            double[] a = atoms.amplitudes();
            // Step t along z: the first amplitude to reach zero (signs kept) leaves.
            double best = Double.POSITIVE_INFINITY;
            int leaving = -1;
            double slope = 0;
            for (int i = 0; i < k; i++) {
                slope += Math.signum(a[i]) * z[i];
            }
            // Only directions along which the penalty does not grow (both when the slope is zero to rounding).
            boolean flat = Math.abs(slope) <= 1e-9;
            for (int sign = -1; sign <= 1; sign += 2) {
                if (!flat && sign * slope > 0) {
                    continue;
                }
                for (int i = 0; i < k; i++) {
                    double zi = sign * z[i];
                    if (a[i] != 0 && zi != 0 && Math.signum(zi) != Math.signum(a[i])) {
                        double t = Math.abs(a[i] / zi);
                        if (t < best) {
                            best = t;
                            leaving = sign * (i + 1);
                        }
                    }
                }
            }
            if (leaving == 0 || Double.isInfinite(best)) {
                return;
            }
            int sign = leaving > 0 ? 1 : -1;
            int out = Math.abs(leaving) - 1;
            double[] moved = new double[k];
            for (int i = 0; i < k; i++) {
                moved[i] = a[i] + best * sign * z[i];
            }
            moved[out] = 0.0;
            atoms.setAmplitudes(moved);
            atoms.dropZeros();
        }
    }
}
