package io.sparsefit.core.deep;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.LinearRun;
import io.sparsefit.core.diagnostics.MatrixSpectrum;
import io.sparsefit.core.finish.Rebalance;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * Deep fidelity (issue 20), run by hand, not a test: a single-index teacher {@code y = relu(u . x - 0.3) + 0.5 relu(-u .
 * x - 0.2) + noise} (N = 400, d = 10, Gaussian inputs, {@code java.util.Random(18)}), an {@code lbfgs} deep fit, and
 * the balance error (A4 per layer), the objective and the singular values of the first matrix and of each run's
 * product (A8). Usage: {@code DeepFidelityProbe lambda maxIter widths(comma-separated) linearLayers noise}.
 */
public final class DeepFidelityProbe {

    private DeepFidelityProbe() {
    }

    public static void main(String[] args) {
        int n = 400;
        int d = 10;
        Random random = new Random(18);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int i = 0; i < n * d; i++) {
            x.data[i] = random.nextGaussian();
        }
        double[] u = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            u[j] = random.nextGaussian();
            norm += u[j] * u[j];
        }
        double noise = Double.parseDouble(args[4]);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int r = 0; r < n; r++) {
            double t = 0;
            for (int j = 0; j < d; j++) {
                t += u[j] / Math.sqrt(norm) * x.get(r, j);
            }
            y.set(r, 0, Math.max(0, t - 0.3) + 0.5 * Math.max(0, -t - 0.2) + noise * random.nextGaussian());
        }
        List<Integer> widths = new ArrayList<>();
        for (String w : args[2].split(",")) {
            widths.add(Integer.valueOf(w));
        }
        FitSettings settings = FitSettings.defaults(Double.parseDouble(args[0])).withSolver(SolverType.LBFGS)
                .withArchitecture(new Architecture(widths, Integer.parseInt(args[3]), true))
                .withMaxIter(Integer.parseInt(args[1])).withSeed(3);
        long start = System.nanoTime();
        FitOutcome out = SparseFit.fit(new FitProblem(x, y), settings, ProgressListener.NONE, CancellationToken.NEVER);
        System.out.printf(Locale.ROOT, "lambda %s, hidden %s, linear %s, noise %s: %.1f s, objective %.10f, balance error %.2e%n",
                args[0], args[2], args[3], args[4], (System.nanoTime() - start) / 1e9, out.diagnostics().objective(),
                Rebalance.balanceError(out.network()));
        MatrixSpectrum first = out.diagnostics().deep().matrices().get(0);
        System.out.println("first matrix (" + first.rows() + " x " + first.cols() + "): " + Arrays.toString(first.singularValues()));
        for (LinearRun run : out.diagnostics().deep().linearRuns()) {
            System.out.println("run product: " + Arrays.toString(run.singularValues()));
        }
    }
}
