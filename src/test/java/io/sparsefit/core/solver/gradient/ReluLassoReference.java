package io.sparsefit.core.solver.gradient;

import java.util.Arrays;

/**
 * Independent reference for one input with a skip connection: by the 1-D representer theorem (T3) an
 * optimal function is a linear spline with knots at interior data points, whose path norm is the sum of
 * its absolute slope changes (A5). So the exact optimum is the lasso
 * {@code min 1/2 ||y - c0 - c x - sum_j a_j relu(x - x_j)||^2 + lambda sum_j |a_j|} over the interior
 * points x_j, solved here by cyclic coordinate descent after projecting out the unpenalized affine part.
 */
public final class ReluLassoReference {

    private ReluLassoReference() {
    }

    /** The optimal objective (A2) of the problem; runs coordinate descent until the change is below 1e-15. */
    public static double optimum(double[] x, double[] y, double lambda) {
        int n = x.length;
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        int atoms = Math.max(0, n - 2);
        double[][] columns = new double[atoms][];
        for (int j = 0; j < atoms; j++) {
            double knot = sorted[j + 1];
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = Math.max(0, x[i] - knot);
            }
            columns[j] = projectOutAffine(x, c);
        }
        double[] residual = projectOutAffine(x, y);
        double[] norms = new double[atoms];
        for (int j = 0; j < atoms; j++) {
            norms[j] = dot(columns[j], columns[j]);
        }
        double[] a = new double[atoms];
        for (int sweep = 0; sweep < 200_000; sweep++) {
            double change = 0;
            for (int j = 0; j < atoms; j++) {
                if (norms[j] < 1e-300) {
                    continue;
                }
                double rho = dot(columns[j], residual) + norms[j] * a[j];
                double updated = Math.signum(rho) * Math.max(0, Math.abs(rho) - lambda) / norms[j];
                double delta = updated - a[j];
                if (delta != 0) {
                    for (int i = 0; i < n; i++) {
                        residual[i] -= delta * columns[j][i];
                    }
                    change = Math.max(change, Math.abs(delta) * Math.sqrt(norms[j]));
                    a[j] = updated;
                }
            }
            if (change < 1e-15) {
                break;
            }
        }
        double objective = 0.5 * dot(residual, residual);
        for (double aj : a) {
            objective += lambda * Math.abs(aj);
        }
        return objective;
    }

    /** v minus its least-squares fit by {@code c0 + c x}. */
    static double[] projectOutAffine(double[] x, double[] v) {
        int n = x.length;
        double mx = 0;
        double mv = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            mv += v[i];
        }
        mx /= n;
        mv /= n;
        double sxx = 0;
        double sxv = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxv += (x[i] - mx) * (v[i] - mv);
        }
        double slope = sxx > 0 ? sxv / sxx : 0;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = v[i] - mv - slope * (x[i] - mx);
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
