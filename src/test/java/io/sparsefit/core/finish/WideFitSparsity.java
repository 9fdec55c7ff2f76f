package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * How sparse a wide gradient fit ends (issue 20), run by hand, not a test: reads a CSV (inputs, then one target; a
 * header line is skipped), standardizes inputs and target (z-scores), trains {@code lbfgs} at the given width and
 * lambda, and prints the active neurons and the objective ({@link Polish#objective}: data fit + lambda path norm, + the
 * skip decay of a classification loss) of the raw network, after the data prune, after {@link Canonicalize#mergeOnData}, and after
 * the whole {@link Finishing}, with the finishing's steps. With {@code logistic} the target becomes its sign (1 above
 * its mean, else 0) and the loss is logistic.
 * Usage: {@code WideFitSparsity file.csv lambda width maxIter [logistic]}.
 */
public final class WideFitSparsity {

    private WideFitSparsity() {
    }

    /**
     * The squared-loss problem of a CSV file: inputs, then one target per line, a header line skipped (as bench/peers
     * writes them), values as they are (not standardized).
     */
    public static FitProblem read(Path file) throws java.io.IOException {
        List<String> lines = Files.readAllLines(file);
        if (!lines.isEmpty() && !Character.isDigit(lines.get(0).trim().replace("-", "").charAt(0))) {
            lines = lines.subList(1, lines.size());
        }
        int n = lines.size();
        int d = lines.get(0).split(",").length - 1;
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int r = 0; r < n; r++) {
            String[] cells = lines.get(r).split(",");
            for (int j = 0; j <= d; j++) {
                double value = Double.parseDouble(cells[j]);
                if (j < d) {
                    x.set(r, j, value);
                } else {
                    y.set(r, 0, value);
                }
            }
        }
        return new FitProblem(x, y);
    }

    public static void main(String[] args) throws Exception {
        FitProblem read = read(Path.of(args[0]));
        DMatrixRMaj x = read.x().copy();
        DMatrixRMaj y = read.y().copy();
        int n = x.numRows;
        int d = x.numCols;
        standardize(x);
        standardize(y);
        boolean logistic = args.length > 4 && args[4].equals("logistic");
        if (logistic) {
            for (int r = 0; r < n; r++) {
                y.set(r, 0, y.get(r, 0) > 0 ? 1 : 0);
            }
        }
        FitProblem problem = logistic ? new FitProblem(x, y).withLoss(LogisticLoss.INSTANCE) : new FitProblem(x, y);
        double lambda = Double.parseDouble(args[1]);
        FitSettings settings = FitSettings.defaults(lambda).withSolver(SolverType.LBFGS).withWidth(Integer.parseInt(args[2]))
                .withMaxIter(Integer.parseInt(args[3]));
        long start = System.nanoTime();
        SolverResult result = new Lbfgs().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        double solve = seconds(start);
        ShallowNetwork raw = result.shallow();
        ShallowNetwork pruned = Prune.prune(raw, problem);
        ShallowNetwork merged = Canonicalize.mergeOnData(pruned, problem, !logistic);
        List<String> steps = new java.util.ArrayList<>();
        start = System.nanoTime();
        Network finished = Finishing.finish(raw, problem, Regularization.WEIGHT_DECAY, lambda, () -> false, steps::add);
        double finishing = seconds(start);
        System.out.printf(Locale.ROOT, "%s: N = %d, d = %d, lambda %s, width %s, %s; lbfgs %d iterations (%s) in %.1f s%n",
                args[0], n, d, args[1], args[2], logistic ? "logistic" : "squared", result.iterations(), result.stopReason(),
                solve);
        print("raw", DiagnosticsCalculator.activeNeurons(raw), Polish.objective(raw, problem, lambda));
        print("after the data prune", pruned.width(), Polish.objective(pruned, problem, lambda));
        print("after the pattern merge", merged.width(), Polish.objective(merged, problem, lambda));
        print("finished " + steps + String.format(Locale.ROOT, " in %.1f s", finishing),
                DiagnosticsCalculator.activeNeurons(finished.oneLayer()), Polish.objective(finished, problem, lambda));
    }

    private static void print(String what, int neurons, double objective) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.10f |%n", what, neurons, objective);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Each column to mean 0 and (population) standard deviation 1; constant columns only centred. */
    private static void standardize(DMatrixRMaj a) {
        for (int j = 0; j < a.numCols; j++) {
            double mean = 0;
            for (int r = 0; r < a.numRows; r++) {
                mean += a.get(r, j);
            }
            mean /= a.numRows;
            double var = 0;
            for (int r = 0; r < a.numRows; r++) {
                var += (a.get(r, j) - mean) * (a.get(r, j) - mean);
            }
            double sd = Math.sqrt(var / a.numRows);
            for (int r = 0; r < a.numRows; r++) {
                a.set(r, j, sd > 0 ? (a.get(r, j) - mean) / sd : a.get(r, j) - mean);
            }
        }
    }
}
