package io.sparsefit.bench;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * The sparsefit side of {@code bench/peers} through the core (no JMH): for every task of a
 * {@code tasks.tsv} written by {@code bench/peers_data.py} ({@code task, csv, rows, d, m, lambda}) and every
 * solver name (resolved by {@link SolverType#fromWireName} only, so new solvers need no change here), one
 * {@link SparseFit#fit} per seed with weight decay, width 64, skip on, every other setting at its default.
 *
 * <p>Time trace: the progress listener is called every {@code logEvery} = 1 iterations with the objective
 * of the current iterate, and each call is time-stamped here ({@code System.nanoTime} from the start of
 * {@code fit}); the last point is the finished fit's objective (after polish, pruning) at the end of
 * {@code fit}. The time budget is a deadline token ({@link CancellationToken#withDeadline}), as a fit's
 * {@code timeLimit} is in the service: a fit still running at the budget stops with {@code TIME_LIMIT} and is
 * finished and certified by {@link SparseFit#fit} like one that stopped on its own (that time included). Warm-up
 * fits (small tasks, not reported: lbfgs, prox and convex in three inputs, convex in two beyond 500 rows) run first
 * so that the JIT has compiled the hot loops. A solver that
 * cannot take a task (e.g. {@code exact} beyond one input) is skipped with a note on stderr and no result line.
 * Only the core's entry points are used ({@code SparseFit}, {@code FitProblem}, {@code FitSettings}, the token
 * and the diagnostics' values), so the same file builds against earlier cores for {@code bench/before-after}.
 *
 * <pre>java -cp target/benchmarks.jar io.sparsefit.bench.PeersBenchmark tasks.tsv out.jsonl auto,lbfgs,prox 0,1 10 30</pre>
 * (solvers, seeds, time budget in seconds for N &lt;= 2000 and for larger N).
 */
public final class PeersBenchmark {

    private PeersBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        List<String[]> tasks = readTasks(Path.of(args[0]));
        String[] solvers = solverNames(args[2]);
        String[] seeds = args[3].split(",");
        double small = Double.parseDouble(args[4]);
        double large = Double.parseDouble(args[5]);
        warmUp();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])))) {
            for (String[] task : tasks) {
                FitProblem problem = read(Path.of(task[1]), Integer.parseInt(task[3]), Integer.parseInt(task[4]));
                double lambda = Double.parseDouble(task[5]);
                double budget = problem.rows() > 2000 ? large : small;
                for (String name : solvers) {
                    for (String seed : seeds) {
                        try {
                            out.println(run(task[0], problem, lambda, name.trim(), Long.parseLong(seed.trim()), budget));
                            out.flush();
                        } catch (IllegalArgumentException cannot) { // SparseFit.fit: the solver cannot take this task
                            System.err.printf(Locale.ROOT, "core  %-28s %-8s skipped: %s%n", task[0], name.trim(),
                                    cannot.getMessage());
                        }
                    }
                }
            }
        }
    }

    private static void warmUp() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        DMatrixRMaj x = new DMatrixRMaj(300, 3);
        DMatrixRMaj y = new DMatrixRMaj(300, 1);
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 3; j++) {
                x.set(i, j, 2 * random.nextDouble() - 1);
            }
            y.set(i, 0, Math.max(0, x.get(i, 0) + x.get(i, 1)) + 0.1 * random.nextDouble());
        }
        for (SolverType type : new SolverType[] {SolverType.LBFGS, SolverType.PROX, SolverType.CONVEX}) {
            SparseFit.fit(new FitProblem(x, y), FitSettings.defaults(0.1).withSolver(type).withMaxIter(2000),
                    ProgressListener.NONE, CancellationToken.NEVER);
        }
        // Two inputs beyond 500 rows: the exact sweep's candidates, what auto runs on the planted 2-D tasks (the first
        // task of the list: without this its first fit also paid for compiling column generation's loops).
        DMatrixRMaj x2 = new DMatrixRMaj(600, 2);
        DMatrixRMaj y2 = new DMatrixRMaj(600, 1);
        for (int i = 0; i < 600; i++) {
            x2.set(i, 0, 2 * random.nextDouble() - 1);
            x2.set(i, 1, 2 * random.nextDouble() - 1);
            y2.set(i, 0, Math.max(0, x2.get(i, 0) - x2.get(i, 1)) + 0.1 * random.nextDouble());
        }
        SparseFit.fit(new FitProblem(x2, y2), FitSettings.defaults(0.1).withSolver(SolverType.CONVEX).withMaxIter(30),
                ProgressListener.NONE, CancellationToken.NEVER);
    }

    private static String run(String task, FitProblem problem, double lambda, String solver, long seed, double budget) {
        FitSettings settings = FitSettings.defaults(lambda).withSolver(SolverType.fromWireName(solver)).withSeed(seed)
                .withLogEvery(1);
        List<double[]> trace = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + (long) (budget * 1e9);
        ProgressListener listener = (iteration, objective, dataFit, penalty) ->
                trace.add(new double[] {(System.nanoTime() - start) * 1e-9, objective});
        CancellationToken token = CancellationToken.withDeadline(CancellationToken.NEVER, deadline);
        // var for the diagnostics and the certificate: their classes are not among the entry points
        var diagnostics = SparseFit.fit(problem, settings, listener, token).diagnostics();
        double objective = diagnostics.objective();
        int neurons = diagnostics.activeNeurons();
        var c = diagnostics.certificate();
        double seconds = (System.nanoTime() - start) * 1e-9;
        trace.add(new double[] {seconds, objective});
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"task\": \"%s\", \"method\": \"sparsefit-%s\", \"solverRan\": \"%s\", "
                        + "\"seed\": %d, \"objective\": %.17g, \"seconds\": %.6f, \"iterations\": %d, \"stop\": \"%s\", "
                        + "\"neurons\": %d, \"runtimeMs\": %d, ",
                task, solver, diagnostics.solver(), seed, objective, seconds, diagnostics.iterations(),
                diagnostics.stopReason(), neurons, diagnostics.runtimeMs()));
        if (c == null) {
            sb.append("\"certificate\": null, ");
        } else {
            sb.append(String.format(Locale.ROOT, "\"certificate\": {\"gap\": %.6g, \"exact\": %s}, ",
                    finite(c.gap()), c.exact()));
        }
        appendTrace(sb, trace, 1e-6);
        sb.append("}");
        System.err.printf(Locale.ROOT, "core  %-28s %-8s seed=%d J=%.6g %.2fs %s neurons=%d%n", task, solver, seed,
                objective, seconds, diagnostics.stopReason(), neurons);
        return sb.toString();
    }

    /** The tab-separated rows of a {@code tasks.tsv}, blank lines skipped. */
    static List<String[]> readTasks(Path tsv) throws IOException {
        List<String[]> tasks = new ArrayList<>();
        for (String line : Files.readAllLines(tsv)) {
            if (!line.isBlank()) {
                tasks.add(line.split("\t"));
            }
        }
        return tasks;
    }

    /** The comma-separated solver names, each resolved once so that an unknown name fails before any work. */
    static String[] solverNames(String list) {
        String[] names = list.split(",");
        for (int i = 0; i < names.length; i++) {
            names[i] = names[i].trim();
            SolverType.fromWireName(names[i]);
        }
        return names;
    }

    /**
     * {@code "trace": [[t, J], ...]} kept short: every point where the objective improved by at least {@code relative},
     * and the last.
     */
    static void appendTrace(StringBuilder sb, List<double[]> trace, double relative) {
        sb.append("\"trace\": [");
        double last = Double.POSITIVE_INFINITY;
        boolean first = true;
        for (int i = 0; i < trace.size(); i++) {
            double[] p = trace.get(i);
            if (p[1] < last * (1 - relative) - 1e-300 || i == trace.size() - 1) {
                sb.append(first ? "" : ", ").append(String.format(Locale.ROOT, "[%.6f, %.17g]", p[0], p[1]));
                first = false;
                last = Math.min(last, p[1]);
            }
        }
        sb.append("]");
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : -1;
    }

    /** A CSV with a header; the first d columns are x, the next m are y. */
    static FitProblem read(Path csv, int d, int m) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int n = lines.size() - 1;
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, m);
        for (int r = 0; r < n; r++) {
            String[] cells = lines.get(r + 1).split(",");
            for (int j = 0; j < d; j++) {
                x.set(r, j, Double.parseDouble(cells[j]));
            }
            for (int i = 0; i < m; i++) {
                y.set(r, i, Double.parseDouble(cells[d + i]));
            }
        }
        return new FitProblem(x, y);
    }
}
