package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.ArrangementPricingND;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * By hand, not a test: how far `convex` (or `auto`) ends from its optimum on small seeded planted problems (any number of inputs the enumeration reaches),
 * the true gap computed with the exact dual norm of {@link ArrangementPricingND} (brute-force-checked in its test) on the
 * fit's own dual point, beside the certificate's; and how close ascents started 1e-6 to 0.1 from the maximizer get to it.
 * Usage: {@code ConvexTrueGapProbe rows inputs lambda [convex|auto] [seeds, 8]} (docs/benchmarks.md, "The local ascent's tight steps").
 */
public final class ConvexTrueGapProbe {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        double lambda = Double.parseDouble(args[2]);
        String solver = args.length > 3 ? args[3] : "convex";
        int seeds = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        for (int seed = 0; seed < seeds; seed++) {
            FitProblem p = planted(n, d, seed);
            DMatrixRMaj x = p.x();
            FitSettings st = FitSettings.defaults(lambda).withSeed(seed);
            if (solver.equals("convex")) st = st.withSolver(SolverType.CONVEX);
            long t0 = System.nanoTime();
            FitOutcome o = SparseFit.fit(p, st, ProgressListener.NONE, CancellationToken.NEVER);
            double secs = (System.nanoTime() - t0) / 1e9;
            DMatrixRMaj r = residual(p, o);
            ArrangementPricingND.Result e = new ArrangementPricingND(x).best(r, null);
            double s = e.best() == null ? 0 : e.best().value();
            double j = o.diagnostics().objective();
            double gap = j - FenchelDual.value(p, r, lambda, s, true);
            if (e.best() != null) {
                io.sparsefit.core.convex.LocalPricing lp = new io.sparsefit.core.convex.LocalPricing(x, 1, 3);
                double[] ustar = e.best().direction();
                double at = lp.ascend(r, ustar).value();
                Random rr = new Random(9);
                StringBuilder sb = new StringBuilder();
                for (double eps : new double[] {1e-6, 1e-3, 1e-2, 0.1}) {
                    double[] v = ustar.clone();
                    double nn = 0;
                    for (int q = 0; q < d; q++) { v[q] += eps * rr.nextGaussian(); nn += v[q] * v[q]; }
                    for (int q = 0; q < d; q++) v[q] /= Math.sqrt(nn);
                    sb.append(String.format(Locale.ROOT, " eps %.0e -> %.4f", eps, lp.ascend(r, v).value() / lambda));
                }
                System.out.printf(Locale.ROOT, "   ascend from u*: %.6f;%s%n", at / lambda, sb);
            }
            System.out.printf(Locale.ROOT, "seed %d: J %.9f S/lambda %.6f true gap/J %.2e reported %.2e %s complete %b %.2f s %s it %d act %d%n", seed, j, s / lambda,
                    gap / j, o.diagnostics().certificate().gap() / j, o.diagnostics().certificate().exact() ? "exact" : "sampled", e.complete(), secs, o.diagnostics().stopReason(), o.diagnostics().iterations(), o.diagnostics().activeNeurons());
        }
    }

    /**
     * The probe's seeded problem: gaussian inputs (N x d), a target of four ReLUs {@code relu(v_k . x - 0.2)} with
     * {@code v_kj = sin(1.3 k + 0.7 j)}, plus noise of 0.3 standard deviation.
     */
    public static FitProblem planted(int n, int d, int seed) {
        Random random = new Random(100 + seed);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x.set(i, j, random.nextGaussian());
            }
            for (int k = 0; k < 4; k++) {
                double v = 0;
                for (int j = 0; j < d; j++) {
                    v += Math.sin(1.3 * k + 0.7 * j) * x.get(i, j);
                }
                s += Math.max(0, v - 0.2);
            }
            y.set(i, 0, s + 0.3 * random.nextGaussian());
        }
        return new FitProblem(x, y);
    }

    /** The residual of a squared-loss fit, projected off {@code [1, x]}: its dual point (theory A2b). */
    public static DMatrixRMaj residual(FitProblem p, FitOutcome o) {
        DMatrixRMaj pred = ((ShallowNetwork) o.network()).predict(p.x(), null);
        DMatrixRMaj r = new DMatrixRMaj(p.rows(), 1);
        for (int i = 0; i < p.rows(); i++) {
            r.data[i] = p.y().data[i] - pred.data[i];
        }
        return AffineProjection.of(p.x(), true).project(r);
    }
}
