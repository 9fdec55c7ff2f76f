package io.sparsefit.fit;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.finish.WideFitSparsity;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The heap a default ({@code auto}, width not given) fit holds, run by hand, not a test (issue 20: admission estimates
 * the working set at the starting width, {@link FitValidator#workingSetBytes}, while a widening fit holds the wide
 * {@code lbfgs} run beside the narrow one, then the convex phase's atoms). Reads a bench/peers CSV (inputs, then one
 * target, header skipped), fits it with {@link FitSettings#defaults} under a wall-clock budget, and once a second
 * collects the whole heap ({@code System.gc()}) and reads what is left in use: the live set then, whose maximum over
 * the fit, less the heap in use before it (the data loaded), is the fit's working set. Prints each new maximum with
 * the fit's progress step and objective, the fit's end (solver, neurons, stop) and the estimate at 64, the wide width
 * and both together ({@link FitValidator#workingSetBytes}), and the widened estimate with the convex phase's atoms
 * ({@link FitValidator#widenedWorkingSetBytes}). Usage: {@code WideFitMemoryProbe file.csv lambda seconds}; the figures
 * of {@link FitValidator#CONVEX_DOUBLES_PER_ATOM_ROW} came from it (planted-d10-n10000.csv of bench/peers, lambda 0.01,
 * 150 s; once more under {@code -Xmx256m}: OutOfMemoryError in the convex phase).
 */
public final class WideFitMemoryProbe {

    private WideFitMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        FitProblem problem = WideFitSparsity.read(Path.of(args[0]));
        double lambda = Double.parseDouble(args[1]);
        double seconds = Double.parseDouble(args[2]);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        long[] step = {0};
        double[] objective = {Double.NaN};
        long[] peak = {0};
        long start = System.nanoTime();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                long live = memory.getHeapMemoryUsage().getUsed() - before;
                if (live > peak[0]) {
                    peak[0] = live;
                    System.out.printf(Locale.ROOT, "  %.1f s, step %d, J %.6f: live %.1f MiB%n", (System.nanoTime() - start) / 1e9,
                            step[0], objective[0], live / 1048576.0);
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "memory-sampler");
        sampler.setDaemon(true);
        sampler.start();
        ProgressListener progress = (iteration, j, dataFit, penalty) -> {
            step[0] = iteration;
            objective[0] = j;
        };
        FitSettings settings = FitSettings.defaults(lambda);
        FitOutcome out = SparseFit.fit(problem, settings, progress,
                CancellationToken.withDeadline(CancellationToken.NEVER, System.nanoTime() + (long) (seconds * 1e9)));
        sampler.interrupt();
        sampler.join();
        long pools = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pools += pool.getPeakUsage().getUsed();
            }
        }
        int n = problem.rows();
        int d = problem.inputDim();
        int m = problem.outputDim();
        int width = FitSettings.DEFAULT_WIDTH;
        int wide = SparseFit.widenedLbfgsWidth(settings, SparseFit.demand(problem, settings), n);
        System.out.printf(Locale.ROOT, "%s lambda %g: %s %s, %d neurons, J %.6f, %.1f s; heap before the fit %.1f MiB; "
                        + "peak live set of the fit %.1f MiB (peak of the heap pools, garbage included, %.1f MiB); "
                        + "estimate at %d: %.1f MiB, at %d: %.1f MiB, at %d: %.1f MiB, widened (with the convex phase's atoms) %.1f MiB%n",
                Path.of(args[0]).getFileName(), lambda, out.diagnostics().solver(), out.diagnostics().stopReason(),
                out.diagnostics().activeNeurons(), out.diagnostics().objective(), (System.nanoTime() - start) / 1e9,
                before / 1048576.0, peak[0] / 1048576.0, pools / 1048576.0,
                width, FitValidator.workingSetBytes(n, d, m, width) / 1048576.0,
                wide, FitValidator.workingSetBytes(n, d, m, wide) / 1048576.0,
                width + wide, FitValidator.workingSetBytes(n, d, m, width + wide) / 1048576.0,
                FitValidator.widenedWorkingSetBytes(n, d, m, width, wide) / 1048576.0);
    }
}
