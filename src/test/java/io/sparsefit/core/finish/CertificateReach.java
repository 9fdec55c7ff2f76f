package io.sparsefit.core.finish;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.convex.OffsetCellBound;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.convex.ProvenDualNorm;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The reach of the certificate as wired (theory T8, C4; {@link DualCertificate} with
 * {@link io.sparsefit.core.convex.ProvenDualNorm}), run by hand, not a test (speed is measured, never asserted): for
 * each {@code d:N} a planted target (x uniform in [-1, 1]^d, 4 ReLU units with unit normals and offsets in
 * [-0.5, 0.5], an affine part, noise 0.05: the planted tasks of bench/peers_data.py), a fit with the given solver at
 * {@code lambda = fraction * lambda_max}, then the certificate of the finished network computed again and timed on its
 * own (wall and thread CPU seconds). Prints one Markdown row per case. With {@code --budgets b1,b2,...} it also runs
 * the branch and bound alone on the fit's dual point, from the sampled atom, to the certificate's tolerance, within
 * each work budget, and prints what it proved (how the budgets of {@link ProvenDualNorm} were chosen).
 * With {@code --loss logistic} the labels are the planted target above its median (y in {0, 1}), with {@code --loss
 * cross_entropy} its three terciles (classes 0, 1, 2: three outputs); with {@code --outputs 2} (squared loss) a second
 * output is a second planted combination of the same units (its amplitudes from another seed, so the first output is
 * the same as with one). Usage: {@code CertificateReach [--budgets b1,b2] [--loss name] [--outputs m] solver fraction
 * d:N ...}.
 */
public final class CertificateReach {

    private CertificateReach() {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int first = 0;
        long[] budgets = new long[0];
        String loss = "squared";
        int outputs = 1;
        while (args[first].startsWith("--")) {
            switch (args[first]) {
                case "--budgets" -> budgets = java.util.Arrays.stream(args[first + 1].split(",")).mapToLong(Long::parseLong)
                        .toArray();
                case "--loss" -> loss = args[first + 1];
                case "--outputs" -> outputs = Integer.parseInt(args[first + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[first]);
            }
            first += 2;
        }
        SolverType solver = SolverType.fromWireName(args[first]);
        double fraction = Double.parseDouble(args[first + 1]);
        System.out.println("| d | N | solver | lambda | objective | fit s | certificate s (CPU s) | exact | gap / J | gapBound / J |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int a = first + 2; a < args.length; a++) {
            String[] p = args[a].split(":");
            run(task(Integer.parseInt(p[1]), Integer.parseInt(p[0]), loss, outputs), solver, fraction, budgets);
        }
    }

    /** The planted task of {@link #planted} made into the given loss's labels or given several outputs (class comment). */
    static FitProblem task(int n, int d, String loss, int outputs) {
        long seed = 1000L * d + 1;
        if (loss.equals("squared")) {
            return outputs == 1 ? planted(n, d, seed) : planted(n, d, seed, outputs);
        }
        double[] f = planted(n, d, seed).y().data;
        double[] sorted = f.clone();
        java.util.Arrays.sort(sorted);
        int classes = loss.equals("logistic") ? 2 : 3;
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            int label = 0;
            for (int k = 1; k < classes; k++) {
                if (f[i] > sorted[k * n / classes]) {
                    label = k;
                }
            }
            y[i][0] = label;
        }
        DMatrixRMaj x = planted(n, d, seed).x();
        return new FitProblem(x, new DMatrixRMaj(y)).withLoss(Loss.of(loss, 0, classes));
    }

    static FitProblem planted(int n, int d, long seed) {
        return planted(n, d, seed, 1);
    }

    /** {@link #planted(int, int, long)} with {@code outputs - 1} more outputs, other combinations of the same units. */
    static FitProblem planted(int n, int d, long seed, int outputs) {
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
        SplittableRandom more = new SplittableRandom(seed + 1);
        double[][] extra = new double[outputs - 1][units];
        for (double[] e : extra) {
            for (int k = 0; k < units; k++) {
                e[k] = (more.nextBoolean() ? 1 : -1) * more.nextDouble(0.5, 2.0);
            }
        }
        double[][] x = new double[n][d];
        double[][] y = new double[n][outputs];
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
                for (int o = 1; o < outputs; o++) {
                    y[i][o] += extra[o - 1][k] * Math.max(0, z);
                }
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

    static void run(FitProblem problem, SolverType solver, double fraction, long[] budgets) {
        int d = problem.inputDim();
        int n = problem.rows();
        double lambda = fraction * DiagnosticsCalculator.lambdaMax(problem, 0, () -> false);
        FitSettings settings = FitSettings.defaults(lambda).withSolver(solver);
        long t0 = System.nanoTime();
        FitOutcome out = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        double fitSeconds = (System.nanoTime() - t0) * 1e-9;
        long t1 = System.nanoTime();
        long c1 = THREADS.getCurrentThreadCpuTime();
        Certificate c = DualCertificate.compute(out.shallow(), problem, lambda, settings.seed());
        double certCpu = (THREADS.getCurrentThreadCpuTime() - c1) * 1e-9;
        double certSeconds = (System.nanoTime() - t1) * 1e-9;
        double j = out.diagnostics().objective();
        System.out.printf(Locale.ROOT, "| %d | %d | %s | %.4g | %.6f | %.1f | %.2f (%.2f) | %s | %.2e | %s |%n", d, n,
                out.diagnostics().solver(), lambda, j, fitSeconds, certSeconds, certCpu, c.exact(), c.gap() / j,
                c.gapBound() == null ? "-" : String.format(Locale.ROOT, "%.2e", c.gapBound() / j));
        if (budgets.length > 0) {
            sweep(problem, out, lambda, settings.seed(), budgets);
        }
    }

    /** The branch and bound alone, as {@link DualCertificate} runs it, within each budget. */
    private static void sweep(FitProblem p, FitOutcome out, double lambda, long seed, long[] budgets) {
        DMatrixRMaj g = FenchelDual.point(p, out.network().predict(p.x(), null), true);
        boolean constantsOnly = p.loss().classification();
        int m = g.numCols;
        Pricing.Best found = new Pricing(p.x(), m, seed).best(g, out.shallow().inputWeights(), constantsOnly);
        double primal = out.diagnostics().objective();
        double tol = ProvenDualNorm.tolerance(s -> FenchelDual.value(p, g, lambda, s, true), found.value(), primal);
        for (long budget : budgets) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            OffsetCellBound.Result r = new OffsetCellBound(p.x(), m, constantsOnly).bound(g, found.atom(), tol,
                    Long.MAX_VALUE, budget, null);
            double cpu = (THREADS.getCurrentThreadCpuTime() - c0) * 1e-9;
            System.out.printf(Locale.ROOT, "    offset cells %.1e: tolerance %.2e, upper/lower - 1 = %.2e, %d cells, work %.2e,"
                            + " %.2f CPU s (%.2e per s), converged %s, gapBound / J %.2e%n", (double) budget, tol, r.ratio() - 1,
                    r.cells(), (double) r.work(), cpu, r.work() / cpu, r.converged(),
                    (primal - FenchelDual.value(p, g, lambda, r.upper(), true)) / primal);
        }
    }
}
