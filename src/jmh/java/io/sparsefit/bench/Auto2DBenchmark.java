package io.sparsefit.bench;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code auto} should pick in two inputs (issue 20): {@code convex} against {@code lbfgs} (and {@code auto} itself)
 * through {@link SparseFit#fit} (solve, finishing and the certificate, as a user's fit), same run, interleaved, medians
 * over the repeats. Not JMH: a fit takes seconds, and what matters is the comparison taken in the same run. Not a test.
 *
 * <p>Per case {@code N}: data {@code DATA_DIR/planted-d2-n{N}.csv} from {@code bench/path_cost_data.py} (the planted
 * network of bench/peers_data.py, inputs and target standardized), weight decay, skip on, seed 0, every other setting at
 * its default, the given lambda. Each repeat runs every solver once, the order rotating. Reports per solver the median
 * wall and thread CPU seconds (everything here is single-threaded, so CPU time is the robust figure on a shared
 * machine), the objective, the certificate's relative gap {@code gap / max(1, J)} and whether it is exact, and the
 * objective above the best any solver reached in the run.
 *
 * <pre>java -Xmx4g -cp target/benchmarks.jar io.sparsefit.bench.Auto2DBenchmark DATA_DIR LAMBDA REPEATS N [N ...]</pre>
 */
public final class Auto2DBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final SolverType[] SOLVERS = {SolverType.CONVEX, SolverType.LBFGS, SolverType.AUTO};

    private Auto2DBenchmark() {
    }

    private record Run(double wall, double cpu, Diagnostics diagnostics) {
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args[0]);
        double lambda = Double.parseDouble(args[1]);
        int repeats = Integer.parseInt(args[2]);
        System.out.println("| N | solver | auto picks | median s (CPU s) | objective | above best | gap / max(1, J) | exact |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int a = 3; a < args.length; a++) {
            int n = Integer.parseInt(args[a]);
            FitProblem problem = PeersBenchmark.read(dataDir.resolve("planted-d2-n" + n + ".csv"), 2, 1);
            FitSettings base = FitSettings.defaults(lambda);
            SolverType auto = SparseFit.resolve(SolverType.AUTO, SparseFit.demand(problem, base), problem.rows());
            List<List<Run>> runs = new ArrayList<>();
            for (int s = 0; s < SOLVERS.length; s++) {
                runs.add(new ArrayList<>());
            }
            for (int rep = 0; rep < repeats; rep++) {
                for (int k = 0; k < SOLVERS.length; k++) {
                    int s = (k + rep) % SOLVERS.length;
                    Run run = time(problem, base.withSolver(SOLVERS[s]));
                    runs.get(s).add(run);
                    Diagnostics d = run.diagnostics();
                    System.err.printf(Locale.ROOT, "N=%d %s rep %d: %.2f s (CPU %.2f s) J=%.9f gap=%.3e exact=%s neurons=%d %s%n", n,
                            d.solver(), rep, run.wall(), run.cpu(), d.objective(), d.certificate().gap(), d.certificate().exact(),
                            d.activeNeurons(), d.stopReason());
                }
            }
            double best = Double.POSITIVE_INFINITY;
            for (List<Run> r : runs) {
                for (Run run : r) {
                    best = Math.min(best, run.diagnostics().objective());
                }
            }
            for (int s = 0; s < SOLVERS.length; s++) {
                List<Run> r = runs.get(s);
                Diagnostics last = r.get(r.size() - 1).diagnostics();   // deterministic: every repeat gives the same fit
                double j = last.objective();
                System.out.printf(Locale.ROOT, "| %d | %s | %s | %.2f (%.2f) | %.6f | %+.4f%% | %.1e | %s |%n", n,
                        SOLVERS[s] == SolverType.AUTO ? "auto (" + last.solver() + ")" : SOLVERS[s].wireName(), auto.wireName(),
                        median(r.stream().mapToDouble(Run::wall).toArray()), median(r.stream().mapToDouble(Run::cpu).toArray()), j,
                        100 * (j / best - 1), last.certificate().gap() / Math.max(1.0, j), last.certificate().exact());
            }
        }
    }

    private static Run time(FitProblem problem, FitSettings settings) {
        long wall0 = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        FitOutcome out = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        return new Run((System.nanoTime() - wall0) * 1e-9, (cpu1 - cpu0) * 1e-9, out.diagnostics());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
