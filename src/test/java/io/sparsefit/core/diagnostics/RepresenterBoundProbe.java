package io.sparsefit.core.diagnostics;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Several outputs against their representer bound (T7 for m outputs, {@code RepresenterBound}), run by hand, not a
 * test: {@code convex} fits (tolerance 1e-10) of linnerud (bench/peers' CSV: three inputs, three targets, a header
 * line) and of seeded Gaussian problems with several outputs and three classes, printing active neurons, the reported
 * bound and J at lambda = 0.001, 0.01, 0.1 (linnerud 0.01, 0.1, 0.5) of lambda_max. The figures of docs/benchmarks.md
 * "Several outputs: the representer bound" came from it. Usage: {@code RepresenterBoundProbe target/peers/linnerud.csv}.
 */
public final class RepresenterBoundProbe {

    private RepresenterBoundProbe() {
    }

    public static void main(String[] args) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        int n = lines.size() - 1;
        DMatrixRMaj x = new DMatrixRMaj(n, 3);
        DMatrixRMaj y = new DMatrixRMaj(n, 3);
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int j = 0; j < 3; j++) {
                x.set(i, j, Double.parseDouble(f[j]));
                y.set(i, j, Double.parseDouble(f[3 + j]));
            }
        }
        run("linnerud", new FitProblem(x, y), new double[] {0.01, 0.1, 0.5});
        Random rnd = new Random(7);
        for (int[] s : new int[][] {{20, 3, 3}, {30, 2, 2}, {12, 1, 4}, {16, 2, 3}}) {
            run("random N" + s[0] + " d" + s[1] + " m" + s[2], new FitProblem(gaussian(rnd, s[0], s[1]),
                    gaussian(rnd, s[0], s[2])), new double[] {0.001, 0.01, 0.1});
        }
        for (int[] s : new int[][] {{15, 2}, {12, 1}}) {
            DMatrixRMaj labels = new DMatrixRMaj(s[0], 1);
            for (int i = 0; i < s[0]; i++) {
                labels.data[i] = i % 3;
            }
            run("cross_entropy C3 N" + s[0] + " d" + s[1], new FitProblem(gaussian(rnd, s[0], s[1]), labels)
                    .withLoss(Loss.of("cross_entropy", 0, 3)), new double[] {0.001, 0.01, 0.1});
        }
    }

    private static DMatrixRMaj gaussian(Random rnd, int rows, int cols) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rnd.nextGaussian();
        }
        return a;
    }

    private static void run(String name, FitProblem problem, double[] fractions) {
        double lambdaMax = DiagnosticsCalculator.lambdaMax(problem, 1, () -> false);
        for (double fraction : fractions) {
            FitOutcome out = SparseFit.fit(problem, FitSettings.defaults(fraction * lambdaMax)
                    .withSolver(SolverType.CONVEX).withTol(1e-10), ProgressListener.NONE, CancellationToken.NEVER);
            Diagnostics d = out.diagnostics();
            System.out.printf(Locale.ROOT, "%-24s %-6s active %3d bound %3d J %.12g%n", name, fraction,
                    d.activeNeurons(), d.representerBound(), d.objective());
        }
    }
}
