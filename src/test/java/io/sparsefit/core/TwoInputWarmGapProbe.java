package io.sparsefit.core;

import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * The two-input warm chain ({@code auto}, {@link SparseFit#warmConvex2D}) against a cold {@code convex} fit on
 * {@code TwoInputAutoTest}'s planted data, run by hand, not a test: per fit the main thread's CPU seconds, the
 * objective, the stop reason, the iterations (lbfgs's, then the convex rounds on its scale) and the certificate's
 * relative gap. Usage: {@code TwoInputWarmGapProbe rows lambda}.
 */
public final class TwoInputWarmGapProbe {

    private TwoInputWarmGapProbe() {
    }

    public static void main(String[] args) {
        int rows = Integer.parseInt(args[0]);
        double lambda = Double.parseDouble(args[1]);
        DMatrixRMaj x = RandomNetworks.matrix(rows, 2, 31);
        DMatrixRMaj y = RandomNetworks.network(2, 1, 6, true, 32).predict(x, null);
        DMatrixRMaj e = RandomNetworks.matrix(rows, 1, 33);
        for (int i = 0; i < rows; i++) {
            y.data[i] += 0.3 * e.data[i];
        }
        FitProblem p = new FitProblem(x, y);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (SolverType type : new SolverType[] {SolverType.AUTO, SolverType.CONVEX}) {
            long cpu = threads.getCurrentThreadCpuTime();
            FitOutcome out = SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(type), ProgressListener.NONE,
                    CancellationToken.NEVER);
            var c = out.diagnostics().certificate();
            double j = out.diagnostics().objective();
            System.out.printf(Locale.ROOT, "%s rows %d lambda %s: CPU s %.2f, J %.8f, %s %s, iterations %d, gap/J %.2e%n",
                    type, rows, lambda, (threads.getCurrentThreadCpuTime() - cpu) / 1e9, j, out.diagnostics().solver(),
                    out.diagnostics().stopReason(), out.diagnostics().iterations(), c.gap() / Math.max(1, j));
        }
    }
}
