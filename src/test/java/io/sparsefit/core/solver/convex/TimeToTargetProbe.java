package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.finish.WideFitSparsity;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How soon {@code auto} (the default settings, {@link SparseFit#fit}) reports an objective at or below a target, run by
 * hand, not a test: the same fit {@code repeats} times in one JVM (the first pays for compiling the hot loops, the
 * later ones are what a warm service or bench/peers' warmed-up core sees), each with a wall-time budget, printing the
 * main thread's CPU seconds until the first progress event at or below the target (-1: never), its CPU and wall seconds
 * to the end (the certificate included), the finished objective, the stop reason and the certificate's relative gap. Reads a bench/peers CSV as {@link WideAutoProbe} does.
 * Usage: {@code TimeToTargetProbe file.csv lambda target [repeats] [seconds]}; the 2-D figures of docs/benchmarks.md
 * "auto in two inputs" came from it.
 */
public final class TimeToTargetProbe {

    private TimeToTargetProbe() {
    }

    public static void main(String[] args) throws Exception {
        FitProblem problem = WideFitSparsity.read(Path.of(args[0]));
        double lambda = Double.parseDouble(args[1]);
        double target = Double.parseDouble(args[2]);
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 3;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < repeats; rep++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            double[] reached = {-1};
            ProgressListener listener = (iteration, objective, dataFit, penalty) -> {
                if (reached[0] < 0 && objective <= target) {
                    reached[0] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                }
            };
            var out = SparseFit.fit(problem, FitSettings.defaults(lambda).withLogEvery(1), listener,
                    CancellationToken.withDeadline(CancellationToken.NEVER, start + (long) (seconds * 1e9)));
            var certificate = out.diagnostics().certificate();
            System.out.printf(Locale.ROOT, "run %d: CPU s to %.6g: %.3f, to the end %.3f (wall %.3f), J %.6f (%s %s), gap / J "
                            + "%.2e (exact %s)%n", rep, target, reached[0], (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9,
                    (System.nanoTime() - start) / 1e9, out.diagnostics().objective(), out.diagnostics().solver(),
                    out.diagnostics().stopReason(), certificate == null ? Double.NaN
                            : certificate.gap() / Math.max(1, out.diagnostics().objective()),
                    certificate != null && certificate.exact());
        }
    }
}
