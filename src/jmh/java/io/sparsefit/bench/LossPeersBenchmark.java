package io.sparsefit.bench;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * The sparsefit side of {@code bench/peers-losses} through the core (no JMH): the loss family (theory A2b: Huber,
 * logistic, cross-entropy, squared with sample weights, several outputs) on the tasks {@code bench/peers_losses_data.py}
 * writes. Two modes:
 * <ul>
 *   <li>{@code lambda-max datasets.tsv out.tsv}: per data set, lambda_max as the core computes it
 *       ({@link DiagnosticsCalculator#lambdaMax}, seed 0: the dual norm of the best affine fit's dual point, A2b, T6,
 *       T8; for a classification loss of the best intercept-only fit), one line {@code name, lambda_max}: the data
 *       script turns the fractions of lambda_max into the lambdas both sides then read;</li>
 *   <li>{@code tasks.tsv out.jsonl solvers seeds budget paramsDir}: per task, solver and seed one {@link SparseFit#fit}
 *       with weight decay, skip on, the task's loss and sample weights, every other setting at its default, a
 *       {@link TimedFit} (time trace from the progress listener, the budget a deadline token, the result line
 *       bench/peers_report.py reads, here with the data fit and penalty), plus the fitted network's parameters written to {@code paramsDir} as JSON ({@code W} K x d, {@code b}
 *       with the core's sign, {@code relu(W x - b)}, {@code V} K x m, {@code C} m x d, {@code c0}), so that
 *       {@code bench/peers_losses_torch.py check} can evaluate them in the PyTorch objective.</li>
 * </ul>
 * Line layout of both TSVs ({@code peers_losses_data.py}): {@code name, csv, rows, d, targets, loss, delta, classes,
 * weighted}, and for a task then {@code lambda}. The CSV holds d inputs, the target columns (one class column for a
 * classification loss), then the sample weights when weighted.
 *
 * <pre>java -cp target/benchmarks.jar io.sparsefit.bench.LossPeersBenchmark tasks.tsv out.jsonl auto,lbfgs 0 3 params</pre>
 */
public final class LossPeersBenchmark {

    private LossPeersBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("lambda-max")) {
            lambdaMax(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        List<String[]> tasks = PeersBenchmark.readTasks(Path.of(args[0]));
        String[] solvers = PeersBenchmark.solverNames(args[2]);
        String[] seeds = args[3].split(",");
        double budget = Double.parseDouble(args[4]);
        Path params = Path.of(args[5]);
        Files.createDirectories(params);
        warmUp();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])))) {
            for (String[] task : tasks) {
                FitProblem problem = problem(task);
                double lambda = Double.parseDouble(task[9]);
                for (String solver : solvers) {
                    for (String seed : seeds) {
                        Path file = params.resolve(task[0] + "-" + solver + "-" + seed.trim() + ".json");
                        out.println(run(task[0], problem, lambda, solver, Long.parseLong(seed.trim()), budget, file));
                        out.flush();
                    }
                }
            }
        }
    }

    private static void lambdaMax(Path datasets, Path out) throws IOException {
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out))) {
            for (String[] set : PeersBenchmark.readTasks(datasets)) {
                double value = DiagnosticsCalculator.lambdaMax(problem(set), 0, () -> false);
                writer.printf(Locale.ROOT, "%s\t%.17g%n", set[0], value);
                System.err.printf(Locale.ROOT, "lambda_max %-20s %.10g%n", set[0], value);
            }
        }
    }

    /**
     * The problem of a data set or task line: the CSV's inputs, targets and (when weighted) sample weights, with the
     * line's loss ({@link Loss#of}).
     */
    static FitProblem problem(String[] line) throws IOException {
        int d = Integer.parseInt(line[3]);
        int targets = Integer.parseInt(line[4]);
        boolean weighted = Boolean.parseBoolean(line[8]);
        FitProblem read = PeersBenchmark.read(Path.of(line[1]), d, targets + (weighted ? 1 : 0));
        DMatrixRMaj y = new DMatrixRMaj(read.rows(), targets);
        double[] w = weighted ? new double[read.rows()] : null;
        for (int r = 0; r < read.rows(); r++) {
            for (int i = 0; i < targets; i++) {
                y.set(r, i, read.y().get(r, i));
            }
            if (weighted) {
                w[r] = read.y().get(r, targets);
            }
        }
        Loss loss = Loss.of(line[5], Double.parseDouble(line[6]), Integer.parseInt(line[7]));
        return new FitProblem(read.x(), y).withLoss(loss).withSampleWeights(w);
    }

    /**
     * One small fit per loss kind (Huber with weights, logistic) and solver family (lbfgs, convex) so that the JIT has
     * compiled the hot loops before the first timed fit; not reported.
     */
    private static void warmUp() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        DMatrixRMaj x = new DMatrixRMaj(200, 3);
        DMatrixRMaj y = new DMatrixRMaj(200, 1);
        DMatrixRMaj label = new DMatrixRMaj(200, 1);
        double[] w = new double[200];
        for (int i = 0; i < 200; i++) {
            for (int j = 0; j < 3; j++) {
                x.set(i, j, 2 * random.nextDouble() - 1);
            }
            y.set(i, 0, Math.max(0, x.get(i, 0) + x.get(i, 1)) + 0.2 * random.nextDouble());
            label.set(i, 0, x.get(i, 0) * x.get(i, 2) + 0.2 * random.nextDouble() > 0 ? 1 : 0);
            w[i] = 0.5 + random.nextDouble();
        }
        FitProblem[] problems = {
            new FitProblem(x, y).withLoss(new HuberLoss(0.1)).withSampleWeights(w),
            new FitProblem(x, label).withLoss(LogisticLoss.INSTANCE)};
        for (FitProblem problem : problems) {
            for (SolverType type : new SolverType[] {SolverType.LBFGS, SolverType.CONVEX}) {
                SparseFit.fit(problem, FitSettings.defaults(0.1).withSolver(type).withMaxIter(500),
                        ProgressListener.NONE, CancellationToken.NEVER);
            }
        }
    }

    private static String run(String task, FitProblem problem, double lambda, String solver, long seed, double budget,
                              Path params) throws IOException {
        TimedFit fit = TimedFit.run(problem, lambda, solver, seed, budget);
        writeParameters(fit.outcome().network(), params);
        fit.log(task, solver, seed);
        Diagnostics diagnostics = fit.outcome().diagnostics();
        return fit.resultLine(task, solver, seed, String.format(Locale.ROOT,
                "\"dataFit\": %.17g, \"penalty\": %.17g, \"params\": \"%s\", ", diagnostics.dataFit(), diagnostics.penalty(),
                params));
    }

    /**
     * A one-ReLU-layer network's parameters as JSON: {@code W} (K x d), {@code b} ({@code relu(W x - b)}, theory A1),
     * {@code V} (K x m), {@code C} (m x d), {@code c0}; full precision.
     */
    static void writeParameters(Network net, Path file) throws IOException {
        if (net.layers().size() != 1) {
            throw new IllegalStateException("expected one hidden layer, got " + net.layers().size());
        }
        Layer layer = net.layers().get(0);
        String json = "{\"W\": " + rows(layer.weights()) + ", \"b\": " + row(layer.bias()) + ", \"V\": "
                + rows(net.outputWeights()) + ", \"C\": " + rows(net.skipWeights()) + ", \"c0\": " + row(net.skipBias()) + "}\n";
        Files.writeString(file, json);
    }

    private static String rows(DMatrixRMaj m) {
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < m.numRows; r++) {
            double[] row = new double[m.numCols];
            System.arraycopy(m.data, r * m.numCols, row, 0, m.numCols);
            sb.append(r == 0 ? "" : ", ").append(row(row));
        }
        return sb.append("]").toString();
    }

    private static String row(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.17g", values[i]));
        }
        return sb.append("]").toString();
    }
}
