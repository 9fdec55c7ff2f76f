package io.sparsefit.bench;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.path.PathListener;
import io.sparsefit.core.path.PathPoint;
import io.sparsefit.core.path.PathRunner;
import io.sparsefit.core.path.PathSpec;
import io.sparsefit.core.path.RegularizationPath;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.exact.SplinePath;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The cost of a regularization path ({@link PathRunner#run}) against ONE cold fit ({@link SparseFit#fit}) at the
 * path's smallest lambda, through the core (no JMH: a convex path takes up to a minute, and what matters is the ratio of
 * timings taken in the same run, interleaved). Not a test.
 *
 * <p>Per case ({@code d:N:solver}, data {@code DATA_DIR/planted-d{d}-n{N}.csv} from {@code bench/path_cost_data.py}):
 * the default grid (20 log-spaced lambdas from lambda_max down to 1e-3 lambda_max, {@link PathSpec} defaults),
 * weight decay, skip on, seed 0, every other setting at its default. Each repeat times, in alternating order:
 * <ul>
 *   <li>{@code single}: {@code SparseFit.fit} at the smallest lambda of the grid (bit-identical to the path's,
 *       computed by the same {@code lambdaSequence(lambdaMax)}), cold;</li>
 *   <li>{@code path}: the path without validation;</li>
 *   <li>{@code path5}: the path with 5-fold validation (5 training sequences plus the refit on all data);</li>
 *   <li>{@code exact} only, {@code homotopy}: {@link SplinePath#trace} of all the data down to the smallest
 *       lambda, which is what the path does first for the exact solver (the whole breakpoint path).</li>
 * </ul>
 * Wall time ({@code System.nanoTime}) and the thread's CPU time (everything here is single-threaded, so CPU time
 * is the robust figure on a shared machine); medians over the repeats. Once per case (first repeat) it also
 * records the path's per-point time and solver iterations (from the path listener and the diagnostics) and, with
 * {@code cold=1}, a cold single fit at every lambda of the grid (the path without warm starts, the baseline
 * that says what the warm starts buy). Before the cases, a warm-up (two paths and fits with at most 20 solver
 * iterations each, on the first 150 rows of each case, not reported) lets the JIT compile the hot loops.
 *
 * <p>Arguments: data directory, output JSON lines, repeats of {@code single} and {@code path}, how many of those
 * repeats also run {@code path5} (the most expensive), repeats of every part for the {@code exact} cases (which take
 * seconds), {@code 1} to run the cold path, then the cases.
 * It prints a Markdown table (CPU seconds, wall seconds in parentheses) on stdout and the details on stderr.
 *
 * <pre>java -Xmx2g -cp target/benchmarks.jar io.sparsefit.bench.PathCostBenchmark DATA_DIR OUT.jsonl 3 1 7 1 1:10000:exact 2:200:convex</pre>
 */
public final class PathCostBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long SEED = 0L;
    private static final int FOLDS = 5;
    private static final int WARM_UP_ROWS = 150;
    private static final int WARM_UP_ROUNDS = 20;

    private PathCostBenchmark() {
    }

    /** Wall and thread CPU seconds of one timed call, and what it returned. */
    record Timed<T>(double wall, double cpu, T value) {
    }

    static <T> Timed<T> time(Supplier<T> work) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        T value = work.get();
        long wall1 = System.nanoTime();
        long cpu1 = THREADS.getCurrentThreadCpuTime();
        return new Timed<>((wall1 - wall0) * 1e-9, (cpu1 - cpu0) * 1e-9, value);
    }

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args[0]);
        Path outFile = Path.of(args[1]);
        int repeats = Integer.parseInt(args[2]);
        int repeatsCv = Math.min(repeats, Integer.parseInt(args[3]));
        int exactRepeats = Integer.parseInt(args[4]);
        boolean cold = "1".equals(args[5]);
        List<String[]> cases = new ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            cases.add(args[i].split(":"));
        }
        List<FitProblem> problems = new ArrayList<>();
        for (String[] c : cases) {
            int d = Integer.parseInt(c[0]);
            problems.add(PeersBenchmark.read(dataDir.resolve("planted-d" + d + "-n" + c[1] + ".csv"), d, 1));
        }
        for (int i = 0; i < cases.size(); i++) {
            warmUp(head(problems.get(i), WARM_UP_ROWS), SolverType.fromWireName(cases.get(i)[2]));
        }
        List<String> rows = new ArrayList<>();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(outFile))) {
            for (int i = 0; i < cases.size(); i++) {
                String[] c = cases.get(i);
                SolverType type = SolverType.fromWireName(c[2]);
                // the exact cases take seconds: every repeat runs all of them
                int r = type == SolverType.EXACT ? exactRepeats : repeats;
                int rCv = type == SolverType.EXACT ? exactRepeats : repeatsCv;
                String line = runCase(problems.get(i), Integer.parseInt(c[0]), type, r, rCv, cold, rows);
                out.println(line);
                out.flush();
            }
        }
        System.out.println();
        System.out.println("| case | single fit (s) | path (s) | path / single | path + 5-fold (s) | path5 / single"
                + " | cold path (s) | cold path / single | homotopy (s) | breakpoints | J path vs single (rel.)"
                + " | single: stop, gap/J | path's last: stop, gap/J | path points with gap/J > 1e-6 |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|");
        rows.forEach(System.out::println);
    }

    private static FitSettings base(SolverType type) {
        return FitSettings.defaults(1.0).withSolver(type).withSeed(SEED);
    }

    private static PathSpec spec(SolverType type, int folds) {
        return new PathSpec(base(type), null, PathSpec.DEFAULT_GRID_COUNT, PathSpec.DEFAULT_MIN_RATIO, folds, 0.0, false);
    }

    /** JIT warm-up: two short paths (at most {@value #WARM_UP_ROUNDS} solver iterations per fit) and fits. */
    private static void warmUp(FitProblem problem, SolverType type) {
        double[] lambdas = spec(type, 0).lambdaSequence(DiagnosticsCalculator.lambdaMax(problem, SEED, () -> false));
        FitSettings settings = base(type).withMaxIter(WARM_UP_ROUNDS);
        PathSpec short20 = new PathSpec(settings, null, PathSpec.DEFAULT_GRID_COUNT, PathSpec.DEFAULT_MIN_RATIO, 0, 0.0, false);
        for (int k = 0; k < 2; k++) {
            PathRunner.run(problem, short20, PathListener.NONE, CancellationToken.NEVER);
            SparseFit.fit(problem, settings.withLambda(lambdas[lambdas.length - 1]), ProgressListener.NONE, CancellationToken.NEVER);
        }
        if (type == SolverType.EXACT) {
            SplinePath.trace(problem.x().data, problem.y().data, lambdas[lambdas.length - 1], PathRunner.MAX_BREAKPOINTS,
                    CancellationToken.NEVER);
        }
    }

    private static String runCase(FitProblem problem, int d, SolverType type, int repeats, int repeatsCv, boolean cold,
                                  List<String> rows) {
        String name = "d=" + d + ", N=" + problem.rows() + ", " + type.wireName();
        double lambdaMax = DiagnosticsCalculator.lambdaMax(problem, SEED, () -> false);
        double[] lambdas = spec(type, 0).lambdaSequence(lambdaMax);
        double smallest = lambdas[lambdas.length - 1];
        System.err.printf(Locale.ROOT, "== %s: lambda_max %.6g, smallest lambda %.6g, %d points, %d repeats (%d with 5-fold)%n",
                name, lambdaMax, smallest, lambdas.length, repeats, repeatsCv);
        List<Double> singleWall = new ArrayList<>();
        List<Double> singleCpu = new ArrayList<>();
        List<Double> pathWall = new ArrayList<>();
        List<Double> pathCpu = new ArrayList<>();
        List<Double> path5Wall = new ArrayList<>();
        List<Double> path5Cpu = new ArrayList<>();
        List<Double> traceWall = new ArrayList<>();
        List<Double> traceCpu = new ArrayList<>();
        Diagnostics single = null;
        RegularizationPath path = null;
        RegularizationPath path5 = null;
        int breakpoints = -1;
        List<double[]> profile = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            List<String> order = new ArrayList<>(List.of("single", "path", "path5", "homotopy"));
            if (type != SolverType.EXACT) {
                order.remove("homotopy");
            }
            if (r >= repeatsCv) {
                order.remove("path5");
            }
            if (r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String what : order) {
                switch (what) {
                    case "single" -> {
                        Timed<FitOutcome> t = time(() -> SparseFit.fit(problem, base(type).withLambda(smallest),
                                ProgressListener.NONE, CancellationToken.NEVER));
                        singleWall.add(t.wall());
                        singleCpu.add(t.cpu());
                        single = t.value().diagnostics();
                        System.err.printf(Locale.ROOT, "  [%d] single   %8.3f s wall %8.3f s cpu  J=%.10g iters=%d %s neurons=%d%n",
                                r, t.wall(), t.cpu(), single.objective(), single.iterations(), single.stopReason(), single.activeNeurons());
                    }
                    case "path" -> {
                        List<double[]> points = new ArrayList<>();
                        long[] last = {System.nanoTime()};
                        PathListener listener = (index, total, point) -> {
                            long now = System.nanoTime();
                            Diagnostics dg = point.outcome().diagnostics();
                            points.add(new double[] {point.lambda() / lambdaMax, (now - last[0]) * 1e-9, dg.iterations(),
                                    dg.activeNeurons(), dg.objective(), gapRel(dg)});
                            last[0] = now;
                        };
                        Timed<RegularizationPath> t = time(() -> PathRunner.run(problem, spec(type, 0), listener, CancellationToken.NEVER));
                        pathWall.add(t.wall());
                        pathCpu.add(t.cpu());
                        path = t.value();
                        breakpoints = path.breakpoints().size();
                        if (profile.isEmpty()) {
                            profile.addAll(points);
                        }
                        System.err.printf(Locale.ROOT, "  [%d] path     %8.3f s wall %8.3f s cpu  J(last)=%.10g breakpoints=%d%n",
                                r, t.wall(), t.cpu(), lastDiagnostics(path).objective(), breakpoints);
                    }
                    case "path5" -> {
                        Timed<RegularizationPath> t = time(() -> PathRunner.run(problem, spec(type, FOLDS), PathListener.NONE,
                                CancellationToken.NEVER));
                        path5Wall.add(t.wall());
                        path5Cpu.add(t.cpu());
                        path5 = t.value();
                        System.err.printf(Locale.ROOT, "  [%d] path5    %8.3f s wall %8.3f s cpu  J(last)=%.10g chosen=%d%n",
                                r, t.wall(), t.cpu(), lastDiagnostics(path5).objective(), path5.chosen());
                    }
                    default -> {
                        Timed<SplinePath> t = time(() -> SplinePath.trace(problem.x().data, problem.y().data, smallest,
                                PathRunner.MAX_BREAKPOINTS, CancellationToken.NEVER));
                        traceWall.add(t.wall());
                        traceCpu.add(t.cpu());
                        System.err.printf(Locale.ROOT, "  [%d] homotopy %8.3f s wall %8.3f s cpu  breakpoints=%d complete=%s%n",
                                r, t.wall(), t.cpu(), t.value().breakpoints().size(), t.value().complete());
                    }
                }
            }
        }
        System.err.println("  path profile (first repeat): lambda/lambda_max, seconds, iterations, neurons, J, gap/J"
                + (cold ? "  | cold single fit: seconds, iterations, J, gap/J" : ""));
        double coldTotal = 0;
        double coldWall = 0;
        List<double[]> coldFits = new ArrayList<>();
        for (double[] p : profile) {
            String coldText = "";
            if (cold) {
                double lambda = p[0] * lambdaMax;
                Timed<FitOutcome> t = time(() -> SparseFit.fit(problem, base(type).withLambda(lambda), ProgressListener.NONE,
                        CancellationToken.NEVER));
                Diagnostics dg = t.value().diagnostics();
                coldTotal += t.cpu();
                coldWall += t.wall();
                coldFits.add(new double[] {t.cpu(), dg.iterations(), dg.objective(), gapRel(dg)});
                coldText = String.format(Locale.ROOT, "  | %7.3f %4d %.10g %9.2e", t.cpu(), dg.iterations(), dg.objective(), gapRel(dg));
            }
            System.err.printf(Locale.ROOT, "    %.3e %7.3f %4d %4d %.10g %9.2e%s%n", p[0], p[1], (int) p[2], (int) p[3], p[4], p[5], coldText);
        }
        Diagnostics pathLast = lastDiagnostics(path);
        double relDiff = Math.abs(pathLast.objective() - single.objective()) / Math.abs(single.objective());
        double sw = median(singleWall);
        double sc = median(singleCpu);
        double pw = median(pathWall);
        double pc = median(pathCpu);
        double p5w = median(path5Wall);
        double p5c = median(path5Cpu);
        double tw = traceWall.isEmpty() ? Double.NaN : median(traceWall);
        double tc = traceCpu.isEmpty() ? Double.NaN : median(traceCpu);
        boolean exact = type == SolverType.EXACT;
        int uncertified = 0;
        for (PathPoint point : path.points()) {
            Certificate c = point.outcome().diagnostics().certificate();
            if (c == null || !(c.gap() <= 1e-6 * Math.max(1.0, Math.abs(point.outcome().diagnostics().objective())))) {
                uncertified++;
            }
        }
        rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %.1f | %s | %s | %s | %s | %.1e | %s, %s | %s, %s | %d of %d |",
                name, fmt(sw, sc), fmt(pw, pc), pc / sc, fmt(p5w, p5c), p5c / sc, cold ? fmt(coldWall, coldTotal) : "-",
                cold ? String.format(Locale.ROOT, "%.1f", coldTotal / sc) : "-", exact ? fmt(tw, tc) : "-",
                exact ? Integer.toString(breakpoints) : "-", relDiff, single.stopReason(), gap(single), pathLast.stopReason(),
                gap(pathLast), uncertified, path.points().size()));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"case\": \"%s\", \"d\": %d, \"n\": %d, \"solver\": \"%s\", \"repeats\": %d, "
                        + "\"lambdaMax\": %.17g, \"smallestLambda\": %.17g, \"singleWall\": %s, \"singleCpu\": %s, \"pathWall\": %s, "
                        + "\"pathCpu\": %s, \"path5Wall\": %s, \"path5Cpu\": %s, \"homotopyWall\": %s, \"homotopyCpu\": %s, "
                        + "\"breakpoints\": %d, \"singleObjective\": %.17g, \"pathLastObjective\": %.17g, \"path5LastObjective\": %.17g, "
                        + "\"objectiveRelDiff\": %.6g, \"singleIterations\": %d, \"singleStop\": \"%s\", \"singleNeurons\": %d, "
                        + "\"singleGapRel\": %s, \"pathLastIterations\": %d, \"pathLastStop\": \"%s\", \"pathLastNeurons\": %d, "
                        + "\"pathLastGapRel\": %s, \"uncertifiedPoints\": %d, \"coldPathCpu\": %s, \"profile\": %s, \"cold\": %s}",
                name, d, problem.rows(), type.wireName(), repeats, lambdaMax, smallest, json(singleWall), json(singleCpu),
                json(pathWall), json(pathCpu), json(path5Wall), json(path5Cpu), json(traceWall), json(traceCpu), breakpoints,
                single.objective(), pathLast.objective(), lastDiagnostics(path5).objective(), relDiff, single.iterations(),
                single.stopReason(), single.activeNeurons(), gap(single), pathLast.iterations(), pathLast.stopReason(),
                pathLast.activeNeurons(), gap(pathLast), uncertified, cold ? Double.toString(coldTotal) : "null", jsonRows(profile),
                jsonRows(coldFits)));
        System.err.printf(Locale.ROOT, "  medians (cpu): single %.3f s, path %.3f s (%.1fx), path5 %.3f s (%.1fx)%s; J rel diff %.2e;"
                        + " single %s, %d iterations, gap/J %s; path's last %s, %d iterations, gap/J %s%n",
                sc, pc, pc / sc, p5c, p5c / sc, cold ? String.format(Locale.ROOT, ", cold path %.3f s (%.1fx)", coldTotal, coldTotal / sc) : "",
                relDiff, single.stopReason(), single.iterations(), gap(single), pathLast.stopReason(), pathLast.iterations(), gap(pathLast));
        return sb.toString();
    }

    private static Diagnostics lastDiagnostics(RegularizationPath path) {
        List<PathPoint> points = path.points();
        return points.get(points.size() - 1).outcome().diagnostics();
    }

    /** The certificate's gap over max(1, |J|); NaN without one. */
    private static double gapRel(Diagnostics dg) {
        Certificate c = dg.certificate();
        return c == null ? Double.NaN : c.gap() / Math.max(1.0, Math.abs(dg.objective()));
    }

    private static String gap(Diagnostics dg) {
        Certificate c = dg.certificate();
        if (c == null || !Double.isFinite(c.gap())) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3g", c.gap() / Math.max(1.0, Math.abs(dg.objective())));
    }

    private static String fmt(double wall, double cpu) {
        return String.format(Locale.ROOT, "%s (%s)", seconds(cpu), seconds(wall));
    }

    private static String seconds(double s) {
        return s >= 10 ? String.format(Locale.ROOT, "%.1f", s) : s >= 0.1 ? String.format(Locale.ROOT, "%.2f", s)
                : String.format(Locale.ROOT, "%.4f", s);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    private static String json(List<Double> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", values.get(i)));
        }
        return sb.append("]").toString();
    }

    private static String jsonRows(List<double[]> rows) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("[");
            double[] r = rows.get(i);
            for (int j = 0; j < r.length; j++) {
                sb.append(j == 0 ? "" : ", ").append(Double.isFinite(r[j]) ? String.format(Locale.ROOT, "%.10g", r[j]) : "null");
            }
            sb.append("]");
        }
        return sb.append("]").toString();
    }

    /** The first {@code n} rows (for the warm-up). */
    private static FitProblem head(FitProblem p, int n) {
        int rows = Math.min(n, p.rows());
        DMatrixRMaj x = new DMatrixRMaj(rows, p.inputDim());
        DMatrixRMaj y = new DMatrixRMaj(rows, p.outputDim());
        System.arraycopy(p.x().data, 0, x.data, 0, rows * p.inputDim());
        System.arraycopy(p.y().data, 0, y.data, 0, rows * p.outputDim());
        return new FitProblem(x, y);
    }
}
