package io.sparsefit.core.finish;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far past its budget a fit ends (issue 20), run by hand, not a test. One wall-clock deadline
 * ({@link CancellationToken#withDeadline}) per fit through {@link SparseFit#fit}; a sampler thread reads the fitting
 * thread's stack every {@value #SAMPLE_MILLIS} ms or so from the deadline on and charges each sample to the innermost
 * finishing or diagnostics step on it ({@code io.sparsefit.core.finish} / {@code .diagnostics} but not this probe,
 * which is on every stack, with its caller), else to the innermost solver frame: the time each step takes after the
 * deadline (solver stop, finishing steps, certificate, diagnostics). Each sample is charged the wall time measured since
 * the previous one, not {@value #SAMPLE_MILLIS} ms: on a loaded machine a sleep and a stack read take longer. Prints
 * the fit's wall time, its end past the deadline and past the deadline plus the grace
 * ({@link CancellationToken#grace}), J, the active neurons and the stop reason, then the steps over
 * {@value #SAMPLE_MILLIS} * 2 ms.
 * Usage: {@code OvershootProbe case budgetSeconds repeats} with case one of {@code diabetes:<csv>:<lambda>} (auto),
 * {@code planted:<d>:<rows>:<solver>[:<width>]} ({@link CertificateReach#planted}, lambda a tenth of lambda_max),
 * {@code deep:<d>:<rows>:<width>} (lbfgs, two hidden layers of that width, the same data). One discarded fit first
 * warms the JIT.
 */
public final class OvershootProbe {

    static final long SAMPLE_MILLIS = 5;

    private OvershootProbe() {
    }

    public static void main(String[] args) throws Exception {
        String[] spec = args[0].split(":");
        double budget = Double.parseDouble(args[1]);
        int repeats = Integer.parseInt(args[2]);
        FitProblem problem;
        FitSettings settings;
        switch (spec[0]) {
            case "diabetes" -> {
                problem = WideFitSparsity.read(Path.of(spec[1]));
                settings = FitSettings.defaults(Double.parseDouble(spec[2]));
            }
            case "planted", "deep" -> {
                int d = Integer.parseInt(spec[1]);
                int rows = Integer.parseInt(spec[2]);
                problem = CertificateReach.planted(rows, d, 7);
                double lambda = 0.1 * DiagnosticsCalculator.lambdaMax(problem, 1, () -> false);
                if (spec[0].equals("deep")) {
                    int width = Integer.parseInt(spec[3]);
                    settings = FitSettings.defaults(lambda).withSolver(SolverType.LBFGS)
                            .withArchitecture(new Architecture(List.of(width, width), 0, true));
                } else {
                    settings = FitSettings.defaults(lambda).withSolver(SolverType.valueOf(spec[3].toUpperCase(Locale.ROOT)));
                    settings = spec.length > 4 ? settings.withWidth(Integer.parseInt(spec[4])) : settings;
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        long grace = CancellationToken.grace((long) (budget * 1e9));
        SparseFit.fit(problem, settings, ProgressListener.NONE, deadline(budget));   // JIT warm-up, discarded
        for (int r = 0; r < repeats; r++) {
            Thread fitting = Thread.currentThread();
            long start = System.nanoTime();
            long deadline = start + (long) (budget * 1e9);
            Map<String, Long> samples = new TreeMap<>();
            AtomicLong done = new AtomicLong();
            Thread sampler = new Thread(() -> sample(fitting, deadline, deadline + grace, done, samples), "overshoot-sampler");
            sampler.setDaemon(true);
            sampler.start();
            FitOutcome out = SparseFit.fit(problem, settings, ProgressListener.NONE,
                    CancellationToken.withDeadline(CancellationToken.NEVER, deadline, grace));
            long end = System.nanoTime();
            done.set(1);
            sampler.join();
            Diagnostics diag = out.diagnostics();
            System.out.printf(Locale.ROOT,
                    "%s budget %.1f s grace %.2f s: wall %.2f s, past deadline %.2f s, past grace %+.2f s, J %.6g, active %d (%s, %s, %s)%n",
                    args[0], budget, grace / 1e9, (end - start) / 1e9, (end - deadline) / 1e9,
                    (end - deadline - grace) / 1e9, Polish.objective(out.network(), problem, settings.lambda()), diag.activeNeurons(),
                    diag.solver(), diag.stopReason(),
                    diag.deep() != null ? (diag.deep().lastLayerCertificate() == null ? "last-layer certificate not computed"
                            : "last-layer certificate")
                            : diag.certificate() == null ? "no certificate" : diag.certificate().exact() ? "exact" : "sampled");
            System.out.printf(Locale.ROOT, "    %6d ms sampled past the deadline%n",
                    samples.values().stream().mapToLong(Long::longValue).sum() / 1_000_000);
            samples.entrySet().stream().filter(e -> e.getValue() > 2 * SAMPLE_MILLIS * 1_000_000)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> System.out.printf(Locale.ROOT, "    %6d ms  %s%n", e.getValue() / 1_000_000, e.getKey()));
        }
    }

    private static CancellationToken deadline(double seconds) {
        return CancellationToken.withDeadline(CancellationToken.NEVER, System.nanoTime() + (long) (seconds * 1e9));
    }

    /**
     * Samples {@code fitting}'s stack every {@link #SAMPLE_MILLIS} ms or so past {@code deadline} until {@code done},
     * each sample marked as in the grace or past its end {@code graceEnd} and charged the nanoseconds since the previous
     * sample (or since the deadline for the first).
     */
    private static void sample(Thread fitting, long deadline, long graceEnd, AtomicLong done, Map<String, Long> samples) {
        long previous = System.nanoTime();
        while (done.get() == 0) {
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            StackTraceElement[] stack = fitting.getStackTrace();
            long now = System.nanoTime();
            long since = now - Math.max(previous, deadline);
            previous = now;
            if (now - deadline < 0 || done.get() != 0) {
                continue;
            }
            String when = now - graceEnd < 0 ? "in grace   " : "past grace ";
            samples.merge(when + label(stack), since, Long::sum);
        }
    }

    /**
     * The innermost finishing or diagnostics frame with its caller's, else the innermost solver frame; never this
     * probe's own frames (its {@code main} is at the bottom of every sampled stack, in the finishing's package).
     */
    static String label(StackTraceElement[] stack) {
        for (int i = 0; i < stack.length; i++) {
            String c = stack[i].getClassName();
            if (!probe(c) && (c.startsWith("io.sparsefit.core.finish.") || c.startsWith("io.sparsefit.core.diagnostics."))) {
                String caller = "";
                for (int j = i + 1; j < stack.length; j++) {
                    String o = stack[j].getClassName();
                    if (o.startsWith("io.sparsefit.") && !o.equals(c) && !probe(o)) {
                        caller = " < " + shortName(stack[j]);
                        break;
                    }
                }
                String outer = "";
                for (int j = i + 1; j < stack.length; j++) {
                    String o = stack[j].getClassName();
                    if (o.equals("io.sparsefit.core.finish.Finishing") || o.equals("io.sparsefit.core.SparseFit")
                            || o.equals("io.sparsefit.core.diagnostics.DiagnosticsCalculator")) {
                        outer = " < " + shortName(stack[j]);
                        break;
                    }
                }
                return shortName(stack[i]) + caller + (outer.equals(caller) ? "" : outer);
            }
        }
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith("io.sparsefit.core.solver.") || c.equals("io.sparsefit.core.WidthFreeSolver")) {
                return "solver " + shortName(e);
            }
        }
        for (StackTraceElement e : stack) {
            if (e.getClassName().startsWith("io.sparsefit.") && !probe(e.getClassName())) {
                return "other " + shortName(e);
            }
        }
        return "outside";
    }

    /** This probe's class, its nested classes and its lambdas' classes. */
    private static boolean probe(String className) {
        return className.startsWith(OvershootProbe.class.getName());
    }

    private static String shortName(StackTraceElement e) {
        String c = e.getClassName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + e.getMethodName();
    }
}
