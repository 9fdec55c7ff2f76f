package io.sparsefit.bench;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.objective.NetworkLoss;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.AdamOptions;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.gradient.Initialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The sparsefit side of {@code bench/peers-deep} through the core (no JMH, no Spring): deep ReLU networks with weight
 * decay (theory A2, A8), skip on, against PyTorch on the same objective. For every line of a {@code tasks.tsv} written
 * by {@code bench/peers_deep_data.py} ({@code task, csv, rows, d, m, lambda, widths} with widths like {@code 32,32}):
 * <ol>
 *   <li><b>starting points</b>: per seed, the network {@link Initialization} gives (what {@code lbfgs} starts from),
 *       its flat parameters, J and dJ/dtheta written to {@code init-<task>-<arch>-s<seed>.txt} (one number a line:
 *       J, then the p parameters, then the p gradient entries) so that PyTorch can evaluate J at the very same
 *       parameters and start from them;</li>
 *   <li><b>time per epoch</b>: one full-batch {@link NetworkLoss#evaluate} (forward and backward, penalty included) at
 *       the seed-0 start, timed call by call after a warm-up, median over the repetitions; also the value alone;</li>
 *   <li><b>fits</b>: {@link SparseFit#fit} per solver and seed with weight decay, the task's lambda and architecture,
 *       skip on, {@code maxIter} 10^6 and a deadline token (the fit is then finished: polish, rebalance, prune). Trace:
 *       the progress listener, time-stamped from the start of {@code fit}, every iteration for lbfgs (every 10 for
 *       adam: each logged point costs adam a full forward pass); the last point is J of the returned network,
 *       evaluated here with {@link WeightDecay} (the same J as PyTorch's).</li>
 * </ol>
 *
 * <pre>java -cp target/benchmarks.jar io.sparsefit.bench.DeepPeersBenchmark tasks.tsv outDir lbfgs,adam 0,1 20 30 200 [line]</pre>
 * (solvers, seeds, budget in seconds for N &lt;= 2000 and for larger N, timed epochs, and optionally the one line of
 * tasks.tsv to run, 0-based). A solver name may carry an Adam learning rate: {@code adam@0.01}. Results are appended
 * to {@code core-epochs.jsonl} and {@code core.jsonl} in outDir.
 */
public final class DeepPeersBenchmark {

    private static final StandardOpenOption[] APPEND = {StandardOpenOption.CREATE, StandardOpenOption.APPEND};

    private DeepPeersBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        List<String[]> tasks = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.isBlank()) {
                tasks.add(line.split("\t"));
            }
        }
        Path out = Path.of(args[1]);
        String[] solvers = args[2].split(",");
        long[] seeds = Arrays.stream(args[3].split(",")).mapToLong(s -> Long.parseLong(s.trim())).toArray();
        double small = Double.parseDouble(args[4]);
        double large = Double.parseDouble(args[5]);
        int reps = Integer.parseInt(args[6]);
        int only = args.length > 7 ? Integer.parseInt(args[7]) : -1;   // run only this line of tasks.tsv (0-based)
        for (String name : solvers) {
            solverOf(name);   // fail before any work on an unknown name
        }
        warmUp();
        try (PrintWriter epochs = new PrintWriter(Files.newBufferedWriter(out.resolve("core-epochs.jsonl"), APPEND));
             PrintWriter fits = new PrintWriter(Files.newBufferedWriter(out.resolve("core.jsonl"), APPEND))) {
            for (int t = 0; t < tasks.size(); t++) {
                if (only >= 0 && t != only) {
                    continue;
                }
                String[] task = tasks.get(t);
                FitProblem problem = PeersBenchmark.read(Path.of(task[1]), Integer.parseInt(task[3]), Integer.parseInt(task[4]));
                double lambda = Double.parseDouble(task[5]);
                List<Integer> widths = Arrays.stream(task[6].split(",")).map(s -> Integer.valueOf(s.trim())).toList();
                String arch = task[6].replace(',', 'x');
                Architecture architecture = new Architecture(widths, 0, true);
                for (long seed : seeds) {
                    writeStart(out, task[0], arch, problem, architecture, lambda, seed);
                }
                epochs.println(timeEpochs(task[0], arch, problem, architecture, lambda, reps));
                epochs.flush();
                double budget = problem.rows() > 2000 ? large : small;
                for (String name : solvers) {
                    for (long seed : seeds) {
                        fits.println(fit(task[0], arch, problem, architecture, lambda, name.trim(), seed, budget));
                        fits.flush();
                    }
                }
            }
        }
    }

    private static SolverType solverOf(String name) {
        return SolverType.fromWireName(name.trim().split("@")[0]);
    }

    private static Network start(FitProblem problem, Architecture a, long seed) {
        return Initialization.initialize(problem, a.widths(), a.linearLayers(), a.skip(), seed, true);
    }

    private static void writeStart(Path out, String task, String arch, FitProblem problem, Architecture a, double lambda,
                                   long seed) throws IOException {
        Network net = start(problem, a, seed);
        NetworkLoss loss = new NetworkLoss(problem, net.copy(), WeightDecay.INSTANCE, lambda);
        double[] theta = new double[loss.dimension()];
        double[] grad = new double[theta.length];
        net.getParameters(theta);
        double j = loss.evaluate(theta, grad);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("init-" + task + "-" + arch + "-s" + seed + ".txt")))) {
            w.println(String.format(Locale.ROOT, "%.17g", j));
            for (double t : theta) {
                w.println(String.format(Locale.ROOT, "%.17g", t));
            }
            for (double g : grad) {
                w.println(String.format(Locale.ROOT, "%.17g", g));
            }
        }
    }

    private static String timeEpochs(String task, String arch, FitProblem problem, Architecture a, double lambda, int reps) {
        Network net = start(problem, a, 0);
        NetworkLoss loss = new NetworkLoss(problem, net.copy(), WeightDecay.INSTANCE, lambda);
        double[] theta = new double[loss.dimension()];
        double[] grad = new double[theta.length];
        net.getParameters(theta);
        double sink = 0;
        long warm = System.nanoTime() + 2_000_000_000L;   // at least 2 s and 50 calls of warm-up
        for (int i = 0; i < 50 || System.nanoTime() < warm; i++) {
            sink += loss.evaluate(theta, grad) + loss.evaluate(theta, null);
        }
        double[] withGradient = new double[reps];
        double[] valueOnly = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            sink += loss.evaluate(theta, grad);
            long t1 = System.nanoTime();
            sink += loss.evaluate(theta, null);
            long t2 = System.nanoTime();
            withGradient[i] = (t1 - t0) * 1e-6;
            valueOnly[i] = (t2 - t1) * 1e-6;
        }
        Arrays.sort(withGradient);
        Arrays.sort(valueOnly);
        System.err.printf(Locale.ROOT, "core  %-22s %-9s epoch %.3f ms (value %.3f ms), p=%d%n", task, arch,
                withGradient[reps / 2], valueOnly[reps / 2], theta.length);
        return String.format(Locale.ROOT, "{\"task\": \"%s\", \"arch\": \"%s\", \"method\": \"sparsefit\", \"parameters\": %d, "
                        + "\"reps\": %d, \"msEpoch\": %.6f, \"msEpochMin\": %.6f, \"msEpochMax\": %.6f, \"msValue\": %.6f, "
                        + "\"sink\": %.3g}",
                task, arch, theta.length, reps, withGradient[reps / 2], withGradient[0], withGradient[reps - 1],
                valueOnly[reps / 2], sink);
    }

    private static String fit(String task, String arch, FitProblem problem, Architecture a, double lambda, String name,
                              long seed, double budget) {
        SolverType type = solverOf(name);
        int logEvery = type == SolverType.ADAM ? 10 : 1;
        FitSettings settings = FitSettings.defaults(lambda).withSolver(type).withSeed(seed).withArchitecture(a)
                .withMaxIter(1_000_000).withLogEvery(logEvery);
        if (name.contains("@")) {
            settings = settings.withAdam(new AdamOptions(Double.parseDouble(name.split("@")[1]), 0));
        }
        List<double[]> trace = new ArrayList<>();
        long start = System.nanoTime();
        ProgressListener listener = (iteration, objective, dataFit, penalty) ->
                trace.add(new double[] {(System.nanoTime() - start) * 1e-9, objective, iteration});
        CancellationToken token = CancellationToken.withDeadline(CancellationToken.NEVER, start + (long) (budget * 1e9));
        FitOutcome outcome = SparseFit.fit(problem, settings, listener, token);
        double seconds = (System.nanoTime() - start) * 1e-9;
        Network net = outcome.network();
        NetworkLoss loss = new NetworkLoss(problem, net.copy(), WeightDecay.INSTANCE, lambda);
        double[] theta = new double[loss.dimension()];
        net.getParameters(theta);
        double objective = loss.evaluate(theta, null);
        double lastIterate = trace.isEmpty() ? Double.NaN : trace.get(trace.size() - 1)[1];
        int iterations = outcome.diagnostics().iterations();
        trace.add(new double[] {seconds, objective, iterations});
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"task\": \"%s\", \"arch\": \"%s\", \"method\": \"sparsefit-%s\", \"seed\": %d, "
                        + "\"objective\": %.17g, \"dataFit\": %.17g, \"penalty\": %.17g, \"lastIterate\": %.17g, "
                        + "\"seconds\": %.6f, \"iterations\": %d, \"stop\": \"%s\", \"units\": \"%s\", \"trace\": [",
                task, arch, name, seed, objective, loss.lastDataFit(), loss.lastPenalty(), lastIterate, seconds, iterations,
                outcome.diagnostics().stopReason(), widths(net)));
        double last = Double.POSITIVE_INFINITY;   // keep improvements of at least 1e-6 relative, and the last point
        boolean first = true;
        for (int i = 0; i < trace.size(); i++) {
            double[] p = trace.get(i);
            if (p[1] < last * (1 - 1e-6) || i == trace.size() - 1) {
                sb.append(first ? "" : ", ").append(String.format(Locale.ROOT, "[%.6f, %.17g]", p[0], p[1]));
                first = false;
                last = Math.min(last, p[1]);
            }
        }
        sb.append("]}");
        System.err.printf(Locale.ROOT, "core  %-22s %-9s %-10s seed=%d J=%.6g (last iterate %.6g) %.2fs %d it %s units=%s%n",
                task, arch, name, seed, objective, lastIterate, seconds, iterations, outcome.diagnostics().stopReason(),
                widths(net));
        return sb.toString();
    }

    private static String widths(Network net) {
        StringBuilder sb = new StringBuilder();
        for (var layer : net.layers()) {
            sb.append(sb.length() == 0 ? "" : "x").append(layer.outputs());
        }
        return sb.toString();
    }

    private static void warmUp() {
        SplittableRandom random = new SplittableRandom(1);
        DMatrixRMaj x = new DMatrixRMaj(300, 3);
        DMatrixRMaj y = new DMatrixRMaj(300, 1);
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 3; j++) {
                x.set(i, j, 2 * random.nextDouble() - 1);
            }
            y.set(i, 0, Math.max(0, x.get(i, 0) + x.get(i, 1)) + 0.1 * random.nextDouble());
        }
        FitProblem p = new FitProblem(x, y);
        for (SolverType type : new SolverType[] {SolverType.LBFGS, SolverType.ADAM}) {
            SparseFit.fit(p, FitSettings.defaults(0.1).withSolver(type).withArchitecture(new Architecture(List.of(16, 16), 0, true))
                    .withMaxIter(1500), ProgressListener.NONE, CancellationToken.NEVER);
        }
    }
}
