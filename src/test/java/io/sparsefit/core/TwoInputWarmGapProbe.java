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
 * relative gap. Usage: {@code TwoInputWarmGapProbe rows lambda [auto]} ({@code auto}: the warm chain alone, no cold
 * fit).
 *
 * <p>What it showed at lambda 0.01 (about 0.001 lambda_max; traced per round on the core of c505e7e: atoms, what
 * pricing added, the restricted solve's iterations, gap and time, sliding's decrease, J, the exact S / lambda, the gap):
 * <ul>
 *   <li>the warm start is no head start there: {@code lbfgs} at the starting width ends far above the optimum (300 rows:
 *       J 8.577 with 42 neurons, the optimum about 3.9697 with about 220 atoms; 1,000 rows: the first round's J 39.1,
 *       still 16.9 after 63 rounds), so the convex phase has to build nearly every atom itself;</li>
 *   <li>up to {@code Pricing.LOCAL_CANDIDATES_2D_MAX_ROWS} rows its candidates came from the local search, 4 a round
 *       (plus the exact sweep's maximum), about 4 of the 5 leaving again by merging: the active set grew by about one
 *       atom a round and the 200-round cap came at 193 atoms, J 3.9799, gap 3.1e-2 (S / lambda still 1.04; restricted
 *       solves and sliding well under a second a round);</li>
 *   <li>with the exact sweep's 32 distinct maxima a round (as beyond 500 rows) the same fit reaches J 3.96971 in 45
 *       rounds; the last 1e-6 is then the restricted solve's: J stays put to 12 digits while S / lambda stays at
 *       1 + 4.7e-6 (gap 3e-6 of J), the restricted group lasso ending its 2,000 FISTA iterations at a relative gap of
 *       2e-7 on about 230 nearly dependent atoms (its feature-sign KKT solves on the Gram matrix meet pivots below
 *       {@code GroupLasso.NEAR_NULL}); with 20,000 iterations J fell a further 3e-8 and the gap reached 6.9e-7, at 10 s
 *       a round;</li>
 *   <li>beyond 500 rows (1,000 rows: 32 a round already) the rounds are the restricted solve's: 0.1 s at 50 atoms,
 *       5-20 s at 450-570 atoms (one Cholesky factorization per feature-sign step and per support tried every 20 FISTA
 *       iterations, O(K^3) each), J still 16.9 after 63 rounds (load 7-11 on 2 cores).</li>
 *   <li>on b8b89eb (load 8-12): 300 rows ended column generation at an exact gap of 1.2e-7 of J (K = 236, the restricted
 *       solves at 1e-7 to 1e-10 of P), and the certificate's 2.4e-6 came from the convex fit's finishing, whose relative
 *       prune (a share at most 1e-9 of the largest) dropped one of the last atoms (amplitudes 4e-10 to 6e-10 next to a
 *       largest of 4.3); kept ({@code Finishing.finishOptimal}) the certificate is the solver's 1.2e-7. 1,000 rows
 *       ended at 3.7e-7 of J in 153 CPU s (105 rounds, K = 696; 600 s of the 750 s wall in the restricted solves,
 *       0.3-24 s each at K = 660-770, FISTA's 2,000 iterations after a feature-sign optimum at 3e-10 to 4e-10 of P
 *       leaving it there). Returning that optimum without FISTA (within 100 times the tolerance) took 300 rows to
 *       8e-10 of J, but sent 1,000 rows on another course that stalled at 1.2e-5 (restricted solves stuck at 1.2e-5 of
 *       P, feature-sign optimal on a nearly singular set), so it was not kept.</li>
 * </ul>
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
        boolean autoOnly = args.length > 2 && "auto".equals(args[2]);
        SolverType[] types = autoOnly ? new SolverType[] {SolverType.AUTO} : new SolverType[] {SolverType.AUTO, SolverType.CONVEX};
        for (SolverType type : types) {
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
