package io.sparsefit.core;

import io.sparsefit.core.convex.Atom;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.convex.LocalPricing;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.finish.WideFitSparsity;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * The time of one {@link LocalPricing#search} as column generation and the certificate run it (issue 20), run by hand,
 * not a test: for each bench/peers CSV given (inputs, then one target; {@link WideFitSparsity#read}), a width-64 lbfgs
 * fit stopped at a fixed iteration count (deterministic), its dual point {@link FenchelDual#point} as the residual and
 * its neuron directions as the seeds, then the search with {@link Pricing#PAIR_STARTS} + {@link Pricing#RANDOM_STARTS}
 * starts repeated from a fresh instance (the same seed). Prints the median and quartiles of the CPU milliseconds per search
 * of this thread (a shared machine's wall time measures its load), the median wall milliseconds (the search's second
 * lane runs on another thread, whose CPU time this thread's does not count: with two threads the wall time is the
 * figure; pick the threads with {@code -Dsparsefit.kernel-threads=1} or {@code 2}), the best value found and a hash of the bits of every distinct maximum returned (two builds, or one and two
 * threads, find the same atoms exactly when the hashes agree).
 * Usage: {@code LocalPricingTiming [-reps=R] [-iterations=I] file.csv...}
 */
public final class LocalPricingTiming {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LocalPricingTiming() {
    }

    public static void main(String[] args) throws Exception {
        int reps = 41;
        int iterations = 400;
        for (String a : args) {
            if (a.startsWith("-reps=")) {
                reps = Integer.parseInt(a.substring(6));
            } else if (a.startsWith("-iterations=")) {
                iterations = Integer.parseInt(a.substring(12));
            }
        }
        for (String a : args) {
            if (!a.startsWith("-")) {
                run(Path.of(a), reps, iterations);
            }
        }
    }

    private static void run(Path file, int reps, int iterations) throws Exception {
        FitProblem problem = WideFitSparsity.read(file);
        double lambda = 0.01;
        FitSettings settings = FitSettings.defaults(lambda).withSolver(SolverType.LBFGS).withMaxIter(iterations);
        ShallowNetwork net = new Lbfgs().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER).shallow();
        DMatrixRMaj x = problem.x();
        DMatrixRMaj g = FenchelDual.point(problem, net.predict(x, null), true);
        DMatrixRMaj seeds = net.inputWeights();
        long hash = 0;
        double best = 0;
        int atoms = 0;
        for (int w = 0; w < Math.max(3, reps / 4); w++) {   // JIT warm-up, discarded
            search(x, g, seeds);
        }
        double[] ms = new double[reps];
        double[] wall = new double[reps];
        for (int k = 0; k < reps; k++) {
            long start = THREADS.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            List<Atom> found = search(x, g, seeds);
            ms[k] = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
            wall[k] = (System.nanoTime() - started) / 1e6;
            long h = hash(found);
            if (k > 0 && h != hash) {
                throw new IllegalStateException("the search is not deterministic");
            }
            hash = h;
            best = found.get(0).value();
            atoms = found.size();
        }
        Arrays.sort(ms);
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%s N %d d %d seeds %d: median %.3f CPU ms (quartiles %.3f-%.3f), wall %.3f ms, best %.17g, "
                + "%d maxima, hash %016x%n", file.getFileName(), x.numRows, x.numCols, seeds.numRows, ms[reps / 2], ms[reps / 4],
                ms[(3 * reps) / 4], wall[reps / 2], best, atoms, hash);
    }

    private static List<Atom> search(DMatrixRMaj x, DMatrixRMaj g, DMatrixRMaj seeds) {
        return new LocalPricing(x, g.numCols, 7L).search(g, seeds, Pricing.PAIR_STARTS, Pricing.RANDOM_STARTS, 0.0, 1000);
    }

    private static long hash(List<Atom> found) {
        long h = 1;
        for (Atom a : found) {
            for (double u : a.direction()) {
                h = 31 * h + Double.doubleToLongBits(u);
            }
            h = 31 * h + Double.doubleToLongBits(a.offset());
            h = 31 * h + Double.doubleToLongBits(a.value());
        }
        return h;
    }
}
