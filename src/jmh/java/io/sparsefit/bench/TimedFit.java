package io.sparsefit.bench;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fit as the peers harnesses that take any loss ({@link ClassifyPeersBenchmark}, {@link LossPeersBenchmark}) time
 * it, and its result line. The fit: {@link SparseFit#fit} with weight decay at {@code lambda}, the solver named, the
 * seed, skip on and every other setting at its default; the progress listener is called every iteration and each call
 * is time-stamped ({@code System.nanoTime} from the start), the last trace point being the finished fit's objective at
 * the end of {@code fit} (finishing and diagnostics included). The budget is a deadline token
 * ({@link CancellationToken#withDeadline}), as a fit's {@code timeLimit} is in the service: a fit that reaches it stops
 * as {@code TIME_LIMIT} and is finished and diagnosed like a converged one.
 *
 * @param outcome the fitted network and its diagnostics
 * @param seconds wall time of the whole {@code fit}
 * @param trace   {@code [t, J]} points, the last the finished fit's
 */
record TimedFit(FitOutcome outcome, double seconds, List<double[]> trace) {

    static TimedFit run(FitProblem problem, double lambda, String solver, long seed, double budget) {
        FitSettings settings = FitSettings.defaults(lambda).withSolver(SolverType.fromWireName(solver)).withSeed(seed)
                .withLogEvery(1);
        List<double[]> trace = new ArrayList<>();
        long start = System.nanoTime();
        ProgressListener listener = (iteration, objective, dataFit, penalty) ->
                trace.add(new double[] {(System.nanoTime() - start) * 1e-9, objective});
        CancellationToken token = CancellationToken.withDeadline(CancellationToken.NEVER, start + (long) (budget * 1e9));
        FitOutcome outcome = SparseFit.fit(problem, settings, listener, token);
        double seconds = (System.nanoTime() - start) * 1e-9;
        trace.add(new double[] {seconds, outcome.diagnostics().objective()});
        return new TimedFit(outcome, seconds, trace);
    }

    /**
     * The JSON result line the peers reports read: task, method {@code sparsefit-<solver>}, the solver that ran, seed,
     * objective, seconds, iterations, stop reason, active neurons, then {@code extra} (further {@code "name": value, }
     * fields, or empty), the certificate's gap and exactness, and the trace kept short
     * ({@link PeersBenchmark#appendTrace}, relative 1e-7).
     */
    String resultLine(String task, String solver, long seed, String extra) {
        Diagnostics diagnostics = outcome.diagnostics();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "{\"task\": \"%s\", \"method\": \"sparsefit-%s\", \"solverRan\": \"%s\", "
                        + "\"seed\": %d, \"objective\": %.17g, \"seconds\": %.6f, \"iterations\": %d, \"stop\": \"%s\", "
                        + "\"neurons\": %d, ",
                task, solver, diagnostics.solver(), seed, diagnostics.objective(), seconds, diagnostics.iterations(),
                diagnostics.stopReason(), diagnostics.activeNeurons()));
        sb.append(extra);
        Certificate c = diagnostics.certificate();
        if (c == null) {
            sb.append("\"certificate\": null, ");
        } else {
            sb.append(String.format(Locale.ROOT, "\"certificate\": {\"gap\": %.6g, \"exact\": %s}, ",
                    Double.isFinite(c.gap()) ? c.gap() : -1, c.exact()));
        }
        PeersBenchmark.appendTrace(sb, trace, 1e-7);
        return sb.append("}").toString();
    }

    /** One line on stderr: task, solver, seed, J, seconds, stop reason, the solver that ran, active neurons. */
    void log(String task, String solver, long seed) {
        Diagnostics diagnostics = outcome.diagnostics();
        System.err.printf(Locale.ROOT, "core  %-24s %-7s seed=%d J=%.8g %.2fs %s (%s) neurons=%d%n", task, solver, seed,
                diagnostics.objective(), seconds, diagnostics.stopReason(), diagnostics.solver(),
                diagnostics.activeNeurons());
    }
}
