package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Polish;
import io.sparsefit.core.finish.WideFitSparsity;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.Solver;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where {@code auto}'s width-limited default stops short (issue 20), run by hand, not a test: reads a bench/peers CSV
 * (inputs, then one target, header line skipped; already standardized), and prints J (data fit + lambda path norm,
 * {@link Polish#objective}), active neurons, iterations, seconds and the main thread's CPU seconds (for {@code cgwarm}
 * also those of the column generation and finishing alone: a shared machine's wall time says little) of one candidate,
 * finished as {@link SparseFit} does:
 * {@code lbfgs} (width 64, or the given width), {@code cgwarm} (lbfgs at that width unfinished, then
 * {@link ColumnGeneration} warm from its neurons), {@code convex} (cold), {@code auto} ({@link SparseFit#fit} with
 * the default settings: {@code WidthFreeSolver} where {@link SparseFit#widthFree} holds), {@code lifted} (the same
 * solver whatever the number of rows: {@link SparseFit#create} with {@code widthFree} true; beyond
 * {@code WidthFreeSolver.WIDE_MAX_ROWS} without the wide restart, as {@code auto}), {@code grow} (lbfgs at width 64 finished, then lbfgs at the given
 * width warm from it), {@code growcg} (the same, then the warm convex continuation). While it runs it prints the
 * objective last reported at 0.5, 1, 2, 3, 5, 10, 20, 30 and 60 CPU s of the main thread.
 * Usage: {@code WideAutoProbe file.csv lambda variant [seconds] [width]}, with {@code -Dwarmup=true} first one
 * discarded default fit of the same problem and budget (the JIT warm, as in bench/peers);
 * the figures of docs/benchmarks.md "auto beyond the default width" came from it.
 */
public final class WideAutoProbe {

    private WideAutoProbe() {
    }

    /**
     * Prints the objective reported at the first progress event past each of 0.5, 1, 2, 3, 5, 10, 20, 30, 60 CPU s of
     * the calling thread (also for {@code io.sparsefit.core.LossWideAutoProbe}).
     */
    public static ProgressListener trace(ThreadMXBean threads, long cpuStart) {
        double[] marks = {0.5, 1, 2, 3, 5, 10, 20, 30, 60};
        int[] next = {0};
        return (iteration, objective, dataFit, penalty) -> {
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            if (next[0] < marks.length && cpu >= marks[next[0]]) {
                System.out.printf(Locale.ROOT, "  at %.1f CPU s (iteration %d): %.6f%n", cpu, iteration, objective);
                while (next[0] < marks.length && cpu >= marks[next[0]]) {
                    next[0]++;
                }
            }
        };
    }

    /** The budget from now: CPU seconds of the fit's threads ({@link #cpuDeadline}) or wall-clock seconds. */
    static CancellationToken budget(double seconds, boolean cpu) {
        return cpu ? cpuDeadline(seconds)
                : CancellationToken.withDeadline(CancellationToken.NEVER, System.nanoTime() + (long) (seconds * 1e9));
    }

    /**
     * A deadline on the CPU time of the fit's threads (this one, named {@code main}, and any {@code sparsefit-*} helper
     * of an older core), not the clock: on a shared machine a wall-clock budget measures the load. Its finishing and
     * polishing views trip after the grace {@link CancellationToken#grace} (and halfway through it), as
     * {@link CancellationToken#withDeadline}'s do.
     */
    static CancellationToken cpuDeadline(double seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long budget = (long) (seconds * 1e9);
        long grace = CancellationToken.grace(budget);
        long[][] fitThreads = {new long[0]};
        // the last CPU time seen of every fit thread: a helper that has ended keeps counting what it used
        java.util.Map<Long, Long> seen = new java.util.HashMap<>();
        long[] looks = {0};
        java.util.function.LongSupplier used = () -> {
            if (looks[0]++ % 256 == 0) {
                fitThreads[0] = java.util.Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                        .filter(t -> t != null && (t.getThreadName().equals("main") || t.getThreadName().startsWith("sparsefit-")))
                        .mapToLong(java.lang.management.ThreadInfo::getThreadId).toArray();
            }
            synchronized (seen) {
                for (long id : fitThreads[0]) {
                    long cpu = threads.getThreadCpuTime(id);
                    if (cpu > 0) {
                        seen.merge(id, cpu, Math::max);
                    }
                }
                long sum = 0;
                for (long cpu : seen.values()) {
                    sum += cpu;
                }
                return sum;
            }
        };
        long start = used.getAsLong();
        class Cpu implements CancellationToken {
            private final long limit;

            Cpu(long limit) {
                this.limit = limit;
            }

            @Override
            public boolean isCancelled() {
                return used.getAsLong() - start >= limit;
            }

            @Override
            public boolean timedOut() {
                return isCancelled();
            }

            @Override
            public CancellationToken ignoringDeadline() {
                return CancellationToken.NEVER;
            }

            @Override
            public CancellationToken finishing() {
                return new Cpu(budget + grace);
            }

            @Override
            public CancellationToken polishing() {
                return new Cpu(budget + grace / 2);
            }
        }
        return new Cpu(budget);
    }

    public static void main(String[] args) throws Exception {
        FitProblem problem = WideFitSparsity.read(Path.of(args[0]));
        double lambda = Double.parseDouble(args[1]);
        String variant = args[2];
        boolean cpuBudget = args.length > 3 && args[3].endsWith("cpu");
        double seconds = args.length > 3 ? Double.parseDouble(args[3].replace("cpu", "")) : 600;
        int width = args.length > 4 ? Integer.parseInt(args[4]) : FitSettings.DEFAULT_WIDTH;
        FitSettings settings = FitSettings.defaults(lambda).withWidth(width);
        if (Boolean.getBoolean("warmup")) {
            // as bench/peers does (PeersBenchmark.warmUp, then the earlier tasks): the JIT has compiled the hot loops
            // before the timed fit, here by one default fit of the same problem under the same budget, discarded
            SparseFit.fit(problem, FitSettings.defaults(lambda), ProgressListener.NONE, budget(seconds, cpuBudget));
        }
        CancellationToken token = budget(seconds, cpuBudget);
        long start = System.nanoTime();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long cgCpu = -1;
        ProgressListener trace = trace(threads, cpuStart);
        ShallowNetwork net;
        String detail;
        switch (variant) {
            case "auto", "lifted" -> {
                // lifted: auto's width-free solver whatever the rows (SparseFit#widthFree's row limit ignored), to
                // measure the continuation beyond where auto takes it
                FitSettings defaults = FitSettings.defaults(lambda);
                var out = variant.equals("auto") ? SparseFit.fit(problem, defaults, trace, token)
                        : SparseFit.fit(problem, defaults, SolverType.LBFGS, SparseFit.create(SolverType.LBFGS, true, null),
                                trace, token);
                net = out.network().oneLayer();
                var cert = out.diagnostics().certificate();
                detail = out.diagnostics().solver() + " " + out.diagnostics().stopReason() + ", "
                        + out.diagnostics().iterations() + " iterations, gap/J " + (cert == null ? "-"
                        : String.format(Locale.ROOT, "%.1e%s", cert.gap() / out.diagnostics().objective(),
                                cert.exact() ? "" : " (sampled)"));
            }
            case "cgwarm" -> {
                SolverResult warm = new Lbfgs().solve(problem, settings.withSolver(SolverType.LBFGS), trace, token);
                ShallowNetwork w = warm.shallow();
                long cgStart = threads.getCurrentThreadCpuTime();
                SolverResult r = SparseFit.solveAndFinish(problem, settings.withSolver(SolverType.CONVEX), SolverType.CONVEX,
                        ColumnGeneration.autoContinuation(w, ColumnGeneration.MAX_ROUNDS), trace, token);
                cgCpu = threads.getCurrentThreadCpuTime() - cgStart;
                net = r.shallow();
                detail = warm.iterations() + " lbfgs + " + r.iterations() + " rounds " + r.stopReason();
            }
            case "grow", "growcg" -> {
                // lbfgs at the default width, finished; then lbfgs at the given width warm from it (its neurons first,
                // the rest seeded as a fresh start); for growcg then the warm convex continuation
                FitSettings narrow = settings.withWidth(FitSettings.DEFAULT_WIDTH).withSolver(SolverType.LBFGS);
                SolverResult first = SparseFit.solveAndFinish(problem, narrow, SolverType.LBFGS, new Lbfgs(), trace, token);
                System.out.printf(Locale.ROOT, "  width %d: J %.6f, %d neurons, CPU %.1f s%n", FitSettings.DEFAULT_WIDTH,
                        Polish.objective(first.shallow(), problem, lambda), DiagnosticsCalculator.activeNeurons(first.shallow()),
                        (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
                SolverResult wide = SparseFit.solveAndFinish(problem, settings.withSolver(SolverType.LBFGS), SolverType.LBFGS,
                        new Lbfgs(first.shallow()), trace, token);
                System.out.printf(Locale.ROOT, "  width %d: J %.6f, %d neurons, CPU %.1f s%n", width,
                        Polish.objective(wide.shallow(), problem, lambda), DiagnosticsCalculator.activeNeurons(wide.shallow()),
                        (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
                SolverResult r = wide;
                if (variant.equals("growcg")) {
                    r = SparseFit.solveAndFinish(problem, settings.withSolver(SolverType.CONVEX), SolverType.CONVEX,
                            ColumnGeneration.autoContinuation(wide.shallow(), ColumnGeneration.MAX_ROUNDS), trace, token);
                }
                net = r.shallow();
                detail = first.iterations() + " + " + wide.iterations() + " lbfgs, then " + r.iterations() + " " + r.stopReason();
            }
            default -> {
                SolverType type = variant.equals("convex") ? SolverType.CONVEX : SolverType.LBFGS;
                Solver solver = switch (variant) {
                    case "convex" -> new ColumnGeneration();
                    default -> new Lbfgs();
                };
                SolverResult r = SparseFit.solveAndFinish(problem, settings.withSolver(type), type, solver,
                        trace, token);
                net = r.shallow();
                detail = r.iterations() + " iterations " + r.stopReason();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        String cgPart = cgCpu < 0 ? "" : String.format(Locale.ROOT, ", column generation and finishing %.1f s", cgCpu / 1e9);
        System.out.printf(Locale.ROOT, "%s lambda %.6g %s: J %.6f, %d neurons, %.1f s, main thread CPU %.1f s%s (%s)%n",
                Path.of(args[0]).getFileName(), lambda, variant, Polish.objective(net, problem, lambda),
                DiagnosticsCalculator.activeNeurons(net), elapsed, cpu, cgPart, detail);
    }
}
