package io.sparsefit.core;

import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;

/**
 * The cost of the bounded confirmations of a three-input stop ({@code ColumnGeneration#bounded}) on a bench/peers CSV,
 * run by hand, not a test: per fit the main thread's CPU seconds (run it with {@code -Dsparsefit.kernel-threads=1} so
 * the fit's work is all on that thread), the wall seconds, J, the certificate's gap (exact or sampled, and its proven
 * bound), the stop reason and the rounds. The run without confirmations is the same probe on a scratch build with
 * {@code ColumnGeneration.BOUNDED_CONFIRMATIONS = 0}, first on the class path.
 * Usage: {@code BoundedStopCostProbe file.csv timeLimitSeconds solver@lambda...} (the last CSV column is the target,
 * a header line first; a time limit of 0: none).
 */
public final class BoundedStopCostProbe {

    private BoundedStopCostProbe() {
    }

    public static void main(String[] args) throws IOException {
        FitProblem problem = read(Path.of(args[0]));
        double limit = Double.parseDouble(args[1]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.println("| solver (ran) | lambda | CPU s | wall s | J | gap | gap/J | certificate | stop | rounds |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|---|---:|");
        for (int i = 2; i < args.length; i++) {
            String[] fit = args[i].split("@");
            SolverType type = SolverType.valueOf(fit[0].toUpperCase(Locale.ROOT));
            double lambda = Double.parseDouble(fit[1]);
            long wall = System.nanoTime();
            CancellationToken token = limit > 0
                    ? CancellationToken.withDeadline(CancellationToken.NEVER, wall + (long) (limit * TimeUnit.SECONDS.toNanos(1)))
                    : CancellationToken.NEVER;
            long cpu = threads.getCurrentThreadCpuTime();
            FitOutcome out = SparseFit.fit(problem, FitSettings.defaults(lambda).withSolver(type), ProgressListener.NONE, token);
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            Diagnostics d = out.diagnostics();
            Certificate c = d.certificate();
            String proof = c == null ? "none" : c.exact() ? "exact" : "sampled, bound " + fmt(c.gapBound());
            System.out.printf(Locale.ROOT, "| %s (%s) | %s | %.1f | %.1f | %.8f | %.3e | %.2e | %s | %s | %d |%n",
                    fit[0], d.solver(), fit[1], cpuSeconds, wallSeconds, d.objective(), c == null ? Double.NaN : c.gap(),
                    c == null ? Double.NaN : c.gap() / d.objective(), proof, d.stopReason(), d.iterations());
        }
    }

    private static String fmt(Double v) {
        return v == null ? "none" : String.format(Locale.ROOT, "%.3e", v);
    }

    /** A numeric CSV with a header line; the last column is the target. */
    static FitProblem read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv).stream().filter(l -> !l.isBlank()).toList();
        int cols = lines.get(0).split(",").length;
        DMatrixRMaj x = new DMatrixRMaj(lines.size() - 1, cols - 1);
        DMatrixRMaj y = new DMatrixRMaj(lines.size() - 1, 1);
        for (int i = 1; i < lines.size(); i++) {
            String[] v = lines.get(i).split(",");
            for (int j = 0; j < cols - 1; j++) {
                x.set(i - 1, j, Double.parseDouble(v[j]));
            }
            y.set(i - 1, 0, Double.parseDouble(v[cols - 1]));
        }
        return new FitProblem(x, y);
    }
}
