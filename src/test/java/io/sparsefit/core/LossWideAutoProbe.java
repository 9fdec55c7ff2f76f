package io.sparsefit.core;

import io.sparsefit.core.convex.PricedDualPoint;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.finish.DualCertificate;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.convex.WideAutoProbe;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code auto} beyond its starting width for every loss, with sample weights and several outputs (issue 20), run by
 * hand, not a test. Reads a CSV (header line skipped): the inputs, then {@code targets} target columns (one class
 * column for a classification loss), then, when {@code weighted}, one sample-weight column; inputs are used as they
 * are (standardize them beforehand). Prints the objective (data fit + penalty, the diagnostics' J) reached at 0.5, 1,
 * 2, 3, 5, 10, 20, 30 and 60 CPU s of the main thread, then J, active neurons, the solver kept, the stop reason, the
 * wall, main-thread CPU and process CPU seconds (the kernels' row chunks run on a pool: the process's is the cost). Variants:
 * <ul>
 *   <li>{@code auto}: {@link SparseFit#fit} with the default settings (the width not given: {@link WidthFreeSolver}
 *       where {@link SparseFit#widthFree} holds);</li>
 *   <li>{@code auto64}: the same with the width given as the starting width: {@code auto} as it was before width-free
 *       {@code auto} took this loss, weights or outputs ({@code lbfgs} at that width, bit for bit);</li>
 *   <li>{@code convex}: cold column generation; {@code lbfgs}: at the given width;</li>
 *   <li>{@code priced}: {@code lbfgs} at the given width with {@code auto}'s fill test, then the pricing {@code auto}
 *       asks of a finished fit that does not fill its width ({@link DualCertificate#price}): its gap relative to J,
 *       whether the fit goes on (it fills, or {@link WidthFreeSolver#opensGap}), the pricing's main-thread CPU time,
 *       and the CPU of the diagnostics' certificate afresh against from that pricing ({@link #priced}).</li>
 * </ul>
 * Usage: {@code LossWideAutoProbe file.csv loss[:delta] targets weighted lambda variant [seconds] [width]}, e.g.
 * {@code digits-600.csv cross_entropy 1 false 0.3 auto 60}.
 */
public final class LossWideAutoProbe {

    private LossWideAutoProbe() {
    }

    public static void main(String[] args) throws Exception {
        String[] lossSpec = args[1].split(":");
        int targets = Integer.parseInt(args[2]);
        boolean weighted = Boolean.parseBoolean(args[3]);
        double lambda = Double.parseDouble(args[4]);
        String variant = args[5];
        double seconds = args.length > 6 ? Double.parseDouble(args[6]) : 600;
        int width = args.length > 7 ? Integer.parseInt(args[7]) : FitSettings.DEFAULT_WIDTH;

        List<double[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] cells = line.split(",");
                double[] row = new double[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    row[j] = Double.parseDouble(cells[j]);
                }
                rows.add(row);
            }
        }
        int n = rows.size();
        int d = rows.get(0).length - targets - (weighted ? 1 : 0);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, targets);
        double[] w = weighted ? new double[n] : null;
        int classes = 0;
        for (int r = 0; r < n; r++) {
            double[] row = rows.get(r);
            for (int j = 0; j < d; j++) {
                x.set(r, j, row[j]);
            }
            for (int j = 0; j < targets; j++) {
                y.set(r, j, row[d + j]);
            }
            classes = Math.max(classes, (int) row[d] + 1);
            if (weighted) {
                w[r] = row[d + targets];
            }
        }
        Loss loss = Loss.of(lossSpec[0], lossSpec.length > 1 ? Double.parseDouble(lossSpec[1]) : 1.0, classes);
        FitProblem problem = new FitProblem(x, y).withLoss(loss).withSampleWeights(w);

        FitSettings settings = switch (variant) {
            case "auto" -> FitSettings.defaults(lambda).withArchitecture(Architecture.startingWidth(width, true));
            case "auto64" -> FitSettings.defaults(lambda).withWidth(width);
            case "convex" -> FitSettings.defaults(lambda).withSolver(SolverType.CONVEX);
            case "lbfgs", "priced" -> FitSettings.defaults(lambda).withWidth(width).withSolver(SolverType.LBFGS);
            default -> throw new IllegalArgumentException("variant auto | auto64 | convex | lbfgs | priced, got " + variant);
        };
        CancellationToken token = CancellationToken.withDeadline(CancellationToken.NEVER,
                System.nanoTime() + (long) (seconds * 1e9));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (variant.equals("priced")) {
            priced(problem, settings, width, lambda, token, threads);
            return;
        }
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long processStart = os.getProcessCpuTime();
        FitOutcome out = SparseFit.fit(problem, settings, WideAutoProbe.trace(threads, cpuStart), token);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double process = (os.getProcessCpuTime() - processStart) / 1e9;
        Diagnostics diag = out.diagnostics();
        System.out.printf(Locale.ROOT, "%s %s%s lambda %.6g %s: J %.6f, %d neurons, %s %s, %d iterations, %.1f s, "
                        + "main thread CPU %.1f s, process CPU %.1f s%n", Path.of(args[0]).getFileName(), args[1], weighted ? " weighted" : "",
                lambda, variant, diag.objective(), diag.activeNeurons(), diag.solver(), diag.stopReason(), diag.iterations(),
                elapsed, cpu, process);
    }

    /**
     * The {@code priced} variant: the narrow {@code lbfgs} run at {@code width} with {@code auto}'s own fill test (at
     * {@link WidthFreeSolver#PROBE_ITERATIONS} on the unfinished network, {@link WidthFreeSolver#fillsOnData}; on the
     * finished one, {@link WidthFreeSolver#filled} of its active neurons, when the run ended before), finished, then
     * priced as {@code auto} prices it ({@link DualCertificate#price}); then the certificate of that fit as the
     * diagnostics compute it, from that pricing (only the proof) and afresh (the pricing again), in turns, five
     * times each: the medians of their main-thread and process CPU, and whether the two certificates are equal.
     */
    private static void priced(FitProblem problem, FitSettings settings, int width, double lambda, CancellationToken token,
                               ThreadMXBean threads) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        Lbfgs.Run run = new Lbfgs().start(problem, settings, ProgressListener.NONE, token);
        Boolean fills = null;
        if (run.advanceTo(WidthFreeSolver.PROBE_ITERATIONS)) {
            fills = WidthFreeSolver.fillsOnData(run.network(), problem, width);
            run.advanceTo(settings.maxIter());
        }
        SolverResult fit = SparseFit.solveAndFinish(problem, settings, SolverType.LBFGS,
                (p, s, progress, cancel) -> run.result(), ProgressListener.NONE, token);
        ShallowNetwork net = fit.shallow();
        if (fills == null) {
            fills = fit.iterations() <= WidthFreeSolver.PROBE_ITERATIONS
                    && WidthFreeSolver.filled(DiagnosticsCalculator.activeNeurons(net), width);
        }
        System.out.printf(Locale.ROOT, "  lbfgs: %d iterations, %s, %d neurons, main thread CPU %.2f s%n", fit.iterations(),
                fit.stopReason(), DiagnosticsCalculator.activeNeurons(net), (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        long pricingStart = threads.getCurrentThreadCpuTime();
        PricedDualPoint<ShallowNetwork> pricing = DualCertificate.price(net, problem, lambda, settings.seed(), () -> false);
        Certificate priced = DualCertificate.sampled(pricing);
        System.out.printf(Locale.ROOT, "  priced: gap %.3e of J (%s), %s its width, goes on: %b, pricing CPU %.3f s%n",
                priced.gap() / (priced.gap() + priced.dualObjective()), priced.exact() ? "exact" : "sampled",
                fills ? "fills" : "does not fill", fills || WidthFreeSolver.opensGap(priced),
                (threads.getCurrentThreadCpuTime() - pricingStart) / 1e9);
        int repeats = 5;
        double[][] thread = new double[2][repeats];
        double[][] process = new double[2][repeats];
        Certificate[] certificate = new Certificate[2];
        for (int r = 0; r < repeats; r++) {
            for (int carried = 0; carried < 2; carried++) {
                long t0 = threads.getCurrentThreadCpuTime();
                long p0 = os.getProcessCpuTime();
                certificate[carried] = DualCertificate.compute(net, problem, lambda, settings.seed(), () -> false,
                        () -> false, carried == 1 ? pricing : null);
                thread[carried][r] = (threads.getCurrentThreadCpuTime() - t0) / 1e9;
                process[carried][r] = (os.getProcessCpuTime() - p0) / 1e9;
            }
        }
        System.out.printf(Locale.ROOT, "  certificate (%s, gap %.3e): afresh main thread CPU %.3f s (process %.3f), from the "
                        + "carried pricing %.3f s (process %.3f), medians of %d; equal: %b%n",
                certificate[0].exact() ? "exact" : "sampled", certificate[0].gap(), median(thread[0]), median(process[0]),
                median(thread[1]), median(process[1]), repeats, certificate[0].equals(certificate[1]));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
