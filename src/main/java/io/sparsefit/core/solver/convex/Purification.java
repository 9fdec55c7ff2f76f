package io.sparsefit.core.solver.convex;

import io.sparsefit.core.linalg.Vectors;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Purification (theory C2, T7): an optimum over K atoms with amplitudes {@code a_k} in R^m is reduced, without
 * changing the fitted values or the penalty, until its atoms are independent in the sense below; that leaves at most
 * the representer bound's {@code q r} atoms ({@link io.sparsefit.core.convex.RepresenterBound}: {@code r = N - (d + 1)},
 * or {@code N - 1} when only the constants are unpenalized, a classification loss whose skip weights are decayed, A2b;
 * {@code q = m}, or {@code m - 1} for cross-entropy). Write {@code a_k = c_k u_k} with the direction {@code u_k} fixed
 * (one output: {@code u_k = 1}, {@code c_k = a_k} signed; several: {@code u_k = a_k / ||a_k||}, {@code c_k = ||a_k||});
 * the projected neural fit is linear in c, with the N m x K matrix whose column k is {@code vec(P h_k u_k^T)}
 * ({@code P h_k}: atom k's features projected off the unpenalized part; for cross-entropy {@code u_k} with its mean
 * removed, since the softmax ignores a shift of all logits). Along a null vector z of that matrix with the signs of c
 * fixed the penalty {@code sum |c_k|} is linear; at an optimum its slope {@code sum sign(c_k) z_k} is zero (else the
 * objective could decrease), so moving along z until a coefficient reaches zero keeps the objective and removes an
 * atom. Repeats until the columns are independent: at most {@code q r} atoms. The bound's other term,
 * {@code r (r + 1) / 2} (smaller only from {@code q > (r + 1) / 2} on), rests on the amplitudes being exactly aligned
 * with the optimal dual point, which a solve to a tolerance gives only approximately: it is not reached here.
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

        /** The amplitudes, K x m row-major from 0 (the caller's array, read only). */
        double[] amplitudes();

        /** Sets the amplitudes (K x m row-major, copied); the unpenalized part absorbs the change in the fitted values. */
        void setAmplitudes(double[] a);

        /** Drops atoms whose amplitude is exactly zero, keeping the order of the rest. */
        void dropZeros();
    }

    /**
     * Reduces {@code atoms} (modified, {@code m} outputs) while they outnumber {@code bound}: one SVD per removed atom
     * and one more that finds the features independent. {@code shiftInvariant}: the loss reads the outputs only up to a
     * common shift (cross-entropy). Looks at {@code stop} before every SVD and returns when it says so: every step keeps
     * the fit and never raises the penalty, so a reduction stopped early is a valid fit with more atoms (each SVD is of an N m x K matrix, and up to
     * K - bound of them may run). Returns whether it ended by itself (false: stopped).
     */
    static boolean reduce(Atoms atoms, int m, boolean shiftInvariant, int bound, BooleanSupplier stop) {
        int guard = atoms.size();
        while (atoms.size() > Math.max(bound, 0) && guard-- > 0) {
            if (stop.getAsBoolean()) {
                return false;
            }
            int k = atoms.size();
            double[] a = atoms.amplitudes();
            double[] c = new double[k];           // the coefficients that move (signed for one output, else magnitudes)
            double[] u = m == 1 ? null : new double[k * m];   // the fixed unit directions (several outputs)
            DMatrixRMaj f = m == 1 ? atoms.projectedFeatures() : directedFeatures(atoms, m, shiftInvariant, a, c, u);
            if (m == 1) {
                System.arraycopy(a, 0, c, 0, k);
            }
            if (f.numRows < k) {
                // More atoms than rows: pad with zero rows so that the SVD returns all K right singular vectors
                // (a thin SVD of an N x K matrix has only N of them, and no null vector among them).
                DMatrixRMaj padded = new DMatrixRMaj(k, k);
                System.arraycopy(f.data, 0, padded.data, 0, f.numRows * k);
                f = padded;
            }
            SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(f.numRows, k, false, true, false);
            if (!svd.decompose(f.copy())) {
                return true;
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
                return true;   // the decomposition did not return a null vector; keep the optimum as it is
            }
            if (sv[smallest] > 1e-10 * largest) {
                return true;   // independent features: nothing to remove
            }
            for (int i = 0; i < k; i++) {
                z[i] = v.get(i, smallest);
            }
            // Step t along z: the first amplitude to reach zero (signs kept) leaves.
            double best = Double.POSITIVE_INFINITY;
            int leaving = -1;
            double slope = 0;
            for (int i = 0; i < k; i++) {
                slope += Math.signum(c[i]) * z[i];
            }
            // Only directions along which the penalty does not grow (both when the slope is zero to rounding).
            boolean flat = Math.abs(slope) <= 1e-9;
            for (int sign = -1; sign <= 1; sign += 2) {
                if (!flat && sign * slope > 0) {
                    continue;
                }
                for (int i = 0; i < k; i++) {
                    double zi = sign * z[i];
                    if (c[i] != 0 && zi != 0 && Math.signum(zi) != Math.signum(c[i])) {
                        double t = Math.abs(c[i] / zi);
                        if (t < best) {
                            best = t;
                            leaving = sign * (i + 1);
                        }
                    }
                }
            }
            if (leaving == 0 || Double.isInfinite(best)) {
                return true;
            }
            int sign = leaving > 0 ? 1 : -1;
            int out = Math.abs(leaving) - 1;
            double[] moved = new double[k * m];
            for (int i = 0; i < k; i++) {
                double ci = i == out ? 0.0 : c[i] + best * sign * z[i];
                if (m == 1) {
                    moved[i] = ci;
                } else {
                    for (int o = 0; o < m; o++) {
                        moved[i * m + o] = ci * u[i * m + o];
                    }
                }
            }
            atoms.setAmplitudes(moved);
            atoms.dropZeros();
        }
        return true;
    }

    /**
     * The N m x K matrix whose column k is {@code vec(P h_k u_k^T)} (row {@code i m + o}), {@code u_k = a_k / ||a_k||}
     * with its mean over the outputs removed when {@code shiftInvariant}; fills {@code c} with {@code ||a_k||} and
     * {@code u} with the unit directions (K x m row-major).
     */
    private static DMatrixRMaj directedFeatures(Atoms atoms, int m, boolean shiftInvariant, double[] a, double[] c,
                                                double[] u) {
        int k = atoms.size();
        DMatrixRMaj ph = atoms.projectedFeatures();
        int n = ph.numRows;
        DMatrixRMaj f = new DMatrixRMaj(n * m, k);
        for (int j = 0; j < k; j++) {
            c[j] = Vectors.norm(a, j * m, m);
            double mean = 0;
            for (int o = 0; o < m; o++) {
                u[j * m + o] = a[j * m + o] / c[j];
                mean += u[j * m + o] / m;
            }
            for (int o = 0; o < m; o++) {
                double uo = shiftInvariant ? u[j * m + o] - mean : u[j * m + o];
                for (int i = 0; i < n; i++) {
                    f.data[(i * m + o) * k + j] = ph.data[i * k + j] * uo;
                }
            }
        }
        return f;
    }
}
