package io.sparsefit.bench;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.loss.Loss;
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
 * The sparsefit side of {@code bench/peers-classify} through the core (no JMH, public API only): for every task of a
 * {@code tasks.tsv} written by {@code bench/peers_classify_data.py} ({@code task, csv, rows, d, classes, lambda}) and
 * every solver name (resolved by {@link SolverType#fromWireName}), one {@link SparseFit#fit} per seed with weight
 * decay, skip on, the task's loss ({@code logistic} for two classes, {@code cross_entropy} above; theory A2b: the skip's
 * weights decayed, its intercept free), every other setting at its default (width 64 where a width applies).
 *
 * <p>Each fit is a {@link TimedFit} (time trace from the progress listener, the budget a deadline token, the result
 * line bench/peers_report.py reads, here with the training accuracy). Training accuracy: the class of the largest
 * output ({@code cross_entropy}) or of a positive logit ({@code logistic}), from {@code Network.predict}.
 *
 * <pre>java -cp target/benchmarks.jar io.sparsefit.bench.ClassifyPeersBenchmark tasks.tsv out.jsonl auto,convex 0,1 10</pre>
 */
public final class ClassifyPeersBenchmark {

    private ClassifyPeersBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        List<String[]> tasks = PeersBenchmark.readTasks(Path.of(args[0]));
        String[] solvers = PeersBenchmark.solverNames(args[2]);
        String[] seeds = args[3].split(",");
        double budget = Double.parseDouble(args[4]);
        warmUp();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1])))) {
            for (String[] task : tasks) {
                int classes = Integer.parseInt(task[4]);
                FitProblem problem = read(Path.of(task[1]), Integer.parseInt(task[3]), classes);
                double lambda = Double.parseDouble(task[5]);
                for (String name : solvers) {
                    for (String seed : seeds) {
                        out.println(run(task[0], problem, lambda, name, Long.parseLong(seed.trim()), budget));
                        out.flush();
                    }
                }
            }
        }
    }

    /** One small fit per solver family so that the JIT has compiled the hot loops before the first timed fit. */
    private static void warmUp() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        DMatrixRMaj x = new DMatrixRMaj(200, 2);
        DMatrixRMaj y = new DMatrixRMaj(200, 1);
        for (int i = 0; i < 200; i++) {
            x.set(i, 0, 2 * random.nextDouble() - 1);
            x.set(i, 1, 2 * random.nextDouble() - 1);
            y.set(i, 0, x.get(i, 0) * x.get(i, 1) + 0.2 * random.nextDouble() > 0 ? 1 : 0);
        }
        FitProblem problem = new FitProblem(x, y).withLoss(LogisticLoss.INSTANCE);
        for (SolverType type : new SolverType[] {SolverType.LBFGS, SolverType.CONVEX}) {
            SparseFit.fit(problem, FitSettings.defaults(0.5).withSolver(type).withMaxIter(500),
                    ProgressListener.NONE, CancellationToken.NEVER);
        }
    }

    private static String run(String task, FitProblem problem, double lambda, String solver, long seed, double budget) {
        TimedFit fit = TimedFit.run(problem, lambda, solver, seed, budget);
        fit.log(task, solver, seed);
        return fit.resultLine(task, solver, seed,
                String.format(Locale.ROOT, "\"accuracy\": %.6f, ", accuracy(fit.outcome(), problem)));
    }

    /** Share of training rows whose predicted class (largest output; a positive logit for one output) is the label. */
    static double accuracy(FitOutcome outcome, FitProblem problem) {
        DMatrixRMaj f = outcome.network().predict(problem.x(), null);
        int m = f.numCols;
        int right = 0;
        for (int r = 0; r < f.numRows; r++) {
            int predicted = 0;
            if (m == 1) {
                predicted = f.get(r, 0) > 0 ? 1 : 0;
            } else {
                for (int i = 1; i < m; i++) {
                    if (f.get(r, i) > f.get(r, predicted)) {
                        predicted = i;
                    }
                }
            }
            right += predicted == (int) problem.y().get(r, 0) ? 1 : 0;
        }
        return right / (double) f.numRows;
    }

    /** A CSV with a header: d input columns, then the class index (0..classes-1). */
    static FitProblem read(Path csv, int d, int classes) throws IOException {
        FitProblem plain = PeersBenchmark.read(csv, d, 1);
        Loss loss = classes == 2 ? LogisticLoss.INSTANCE : new CrossEntropyLoss(classes);
        return plain.withLoss(loss);
    }
}
