package io.sparsefit.core.finish;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The reach of the certificate as wired (theory T8, C4; {@link DualCertificate} with
 * {@link io.sparsefit.core.convex.ProvenDualNorm}), run by hand, not a test (speed is measured, never asserted): for
 * each {@code d:N} a planted target (x uniform in [-1, 1]^d, 4 ReLU units with unit normals and offsets in
 * [-0.5, 0.5], an affine part, noise 0.05: the planted tasks of bench/peers_data.py), a fit with the given solver at
 * {@code lambda = fraction * lambda_max}, then the certificate of the finished network computed again and timed on its
 * own. Prints one Markdown row per case. Usage: {@code CertificateReach solver fraction d:N ...}.
 */
public final class CertificateReach {

    private CertificateReach() {
    }

    public static void main(String[] args) {
        SolverType solver = SolverType.fromWireName(args[0]);
        double fraction = Double.parseDouble(args[1]);
        System.out.println("| d | N | solver | lambda | objective | fit s | certificate s | exact | gap / J | gapBound / J |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int a = 2; a < args.length; a++) {
            String[] p = args[a].split(":");
            run(Integer.parseInt(p[0]), Integer.parseInt(p[1]), solver, fraction);
        }
    }

    static FitProblem planted(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int units = 4;
        double[][] w = new double[units][d];
        double[] b = new double[units];
        double[] v = new double[units];
        for (int k = 0; k < units; k++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                w[k][j] = gaussian(random);
                s += w[k][j] * w[k][j];
            }
            for (int j = 0; j < d; j++) {
                w[k][j] /= Math.sqrt(s);
            }
            b[k] = random.nextDouble(-0.5, 0.5);
            v[k] = (random.nextBoolean() ? 1 : -1) * random.nextDouble(0.5, 2.0);
        }
        double[] c = new double[d];
        for (int j = 0; j < d; j++) {
            c[j] = 0.3 * gaussian(random);
        }
        double[][] x = new double[n][d];
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            double f = 0.1 + 0.05 * gaussian(random);
            for (int j = 0; j < d; j++) {
                x[i][j] = random.nextDouble(-1, 1);
                f += c[j] * x[i][j];
            }
            for (int k = 0; k < units; k++) {
                double z = -b[k];
                for (int j = 0; j < d; j++) {
                    z += w[k][j] * x[i][j];
                }
                f += v[k] * Math.max(0, z);
            }
            y[i][0] = f;
        }
        return FitProblem.of(x, y);
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double t = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * t);
    }

    static void run(int d, int n, SolverType solver, double fraction) {
        FitProblem problem = planted(n, d, 1000L * d + 1);
        double lambda = fraction * DiagnosticsCalculator.lambdaMax(problem, 0);
        FitSettings settings = FitSettings.defaults(lambda).withSolver(solver);
        long t0 = System.nanoTime();
        FitOutcome out = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        double fitSeconds = (System.nanoTime() - t0) * 1e-9;
        long t1 = System.nanoTime();
        Certificate c = DualCertificate.compute(out.shallow(), problem, lambda, settings.seed());
        double certSeconds = (System.nanoTime() - t1) * 1e-9;
        double j = out.diagnostics().objective();
        System.out.printf(Locale.ROOT, "| %d | %d | %s | %.4g | %.6f | %.1f | %.2f | %s | %.2e | %s |%n", d, n,
                out.diagnostics().solver(), lambda, j, fitSeconds, certSeconds, c.exact(), c.gap() / j,
                c.gapBound() == null ? "-" : String.format(Locale.ROOT, "%.2e", c.gapBound() / j));
    }
}
