package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.Gaussian;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The reach of the proven dual-norm bounds (theory T8, C4), run by hand, not a test (speed is measured, never
 * asserted): for each (d, N) a planted ReLU target, a least-squares fit on [1, x] and perturbed copies of the
 * planted atoms (a realistic, not yet optimal, fit), its residual, the local search's atom as the start,
 * then {@link OffsetCellBound} to a relative 1e-6 within the budget and, in d = 3 up to N = 400,
 * {@link ArrangementPricing3D}, in d >= 4 {@link ArrangementPricingND} while its forecast is at most 3e10 operations. Usage: {@code DualNormReach [budgetSeconds] [d:N ...]}; the
 * budget is in wall seconds, the seconds printed are the thread's CPU seconds.
 */
public final class DualNormReach {

    /** The any-d enumeration runs beside the search while its work forecast is at most this. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final long ENUMERATION_LIMIT = 30_000_000_000L;

    private DualNormReach() {
    }

    public static void main(String[] args) {
        double budget = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        String[] cases = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"3:100", "3:1000", "5:100", "5:1000", "10:100", "10:1000"};
        System.out.println("d N | local | B&B lower upper ratio cells work seconds converged | exact seconds");
        for (String c : cases) {
            String[] p = c.split(":");
            run(Integer.parseInt(p[0]), Integer.parseInt(p[1]), budget);
        }
    }

    static void run(int d, int n, double budget) {
        DMatrixRMaj[] xr = plantedResidual(d, n);
        DMatrixRMaj x = xr[0];
        DMatrixRMaj r = xr[1];
        List<Atom> found = new LocalPricing(x, 1, 1).search(r, null, 16, 16, Double.POSITIVE_INFINITY, 1);
        Atom start = found.isEmpty() ? null : found.get(0);
        long c0 = CPU.getCurrentThreadCpuTime();
        long deadline = System.nanoTime() + (long) (budget * 1e9);
        OffsetCellBound.Result res = new OffsetCellBound(x, 1).bound(r, start, 1e-6, Long.MAX_VALUE, Long.MAX_VALUE,
                () -> System.nanoTime() - deadline > 0);
        double seconds = (CPU.getCurrentThreadCpuTime() - c0) * 1e-9;
        String exact = "-";
        if (d == 3 && n <= 400) {
            long t1 = CPU.getCurrentThreadCpuTime();
            Atom e = new ArrangementPricing3D(x, 1).best(r, start);
            double s = e == null ? 0 : e.value();
            exact = String.format("%.9g %.2f", s, (CPU.getCurrentThreadCpuTime() - t1) * 1e-9);
        } else if (d >= 4 && ArrangementPricingND.work(n, d) <= ENUMERATION_LIMIT) {
            long t1 = CPU.getCurrentThreadCpuTime();
            ArrangementPricingND.Result e = new ArrangementPricingND(x).best(r, start);
            double s = e.best() == null ? 0 : e.best().value();
            exact = String.format("%.9g %.2f (forecast %.2e, complete %s)", s, (CPU.getCurrentThreadCpuTime() - t1) * 1e-9,
                    (double) ArrangementPricingND.work(n, d), e.complete());
        }
        System.out.printf("%d %d | %.9g | %.9g %.9g %.3e %d %.3e %.2f %s | %s%n", d, n, start == null ? 0 : start.value(),
                res.lower(), res.upper(), res.ratio() - 1, res.cells(), (double) res.work(), seconds, res.converged(), exact);
    }

    /**
     * The reach's problem for (d, N): gaussian inputs, a planted ReLU target with noise, and the residual (projected
     * off {@code [1, x]}) of a least-squares fit on perturbed copies of the planted atoms. Returns {x, r}.
     */
    static DMatrixRMaj[] plantedResidual(int d, int n) {
        SplittableRandom random= new SplittableRandom(7L * d + n);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = Gaussian.next(random);
        }
        int planted = 4;
        double[][] w = new double[planted][];
        double[] b = new double[planted];
        for (int k = 0; k < planted; k++) {
            w[k] = new double[d];
            for (int j = 0; j < d; j++) {
                w[k][j] = Gaussian.next(random);
            }
            LocalPricing.normalize(w[k]);
            b[k] = 0.5 * Gaussian.next(random);
        }
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            double s = 0.1 * Gaussian.next(random);
            for (int k = 0; k < planted; k++) {
                s += (k % 2 == 0 ? 1 : -1) * Math.max(0, dot(w[k], x, i) - b[k]);
            }
            y.data[i] = s;
        }
        // Fit: least squares on [1, x, relu(perturbed planted atoms)]: the residual of an unfinished fit.
        int cols = 1 + d + planted;
        DMatrixRMaj design = new DMatrixRMaj(n, cols);
        for (int i = 0; i < n; i++) {
            design.set(i, 0, 1.0);
            for (int j = 0; j < d; j++) {
                design.set(i, 1 + j, x.get(i, j));
            }
            for (int k = 0; k < planted; k++) {
                double[] u = w[k].clone();
                for (int j = 0; j < d; j++) {
                    u[j] += 0.1 * Math.sin(13.0 * (k + 1) * (j + 1));
                }
                design.set(i, 1 + d + k, Math.max(0, dot(u, x, i) - b[k] - 0.05));
            }
        }
        DMatrixRMaj coef = new DMatrixRMaj(cols, 1);
        CommonOps_DDRM.solve(design, y, coef);
        DMatrixRMaj r = y.copy();
        CommonOps_DDRM.multAdd(-1.0, design, coef, r);
        AffineProjection.of(x, true).projectInPlace(r);
        return new DMatrixRMaj[] {x, r};
    }

    private static double dot(double[] u, DMatrixRMaj x, int i) {
        double s = 0;
        for (int j = 0; j < u.length; j++) {
            s += u[j] * x.get(i, j);
        }
        return s;
    }
}
