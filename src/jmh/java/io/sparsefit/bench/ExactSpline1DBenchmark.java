package io.sparsefit.bench;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.ExactSpline1D;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.exact.LambdaMax;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The exact 1-D solver (theory C1) on noisy data: x uniform on [0, 2 pi), y = sin(3x) + 0.3 * N(0, 1),
 * seed 42, lambda = 0.01 * lambda_max (T6), tol 1e-9 (the default). Measures one full solve
 * (sorting, lambda_max and the active-set iterations, stopped on the T8 gap), average time.
 *
 * <p>{@code ./mvnw -B -q -Pbench package -DskipTests && java -jar target/benchmarks.jar ExactSpline1D -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class ExactSpline1DBenchmark {

    @Param({"1000", "10000", "100000", "1000000"})
    public int n;

    private FitProblem problem;
    private FitSettings settings;
    private double[] unsortedX;
    private double[] sortBuffer;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble() * 2 * Math.PI;
            y[i] = Math.sin(3 * x[i]) + 0.3 * rnd.nextGaussian();
        }
        problem = FitProblem.of1D(x, y);
        unsortedX = x.clone();
        sortBuffer = new double[n];
        settings = FitSettings.defaults(0.01 * LambdaMax.lambdaMax(x, y)).withSolver(SolverType.EXACT);
        SolverResult check = solve();
        if (check.stopReason() != StopReason.CONVERGED) {
            throw new IllegalStateException("benchmark problem did not converge: " + check.stopReason());
        }
    }

    /**
     * Baseline measured in the same run: sorting the N inputs once, which any exact 1-D method must do.
     * The ratio solve / sortBaseline says how many sorts one certified solve costs.
     */
    @Benchmark
    public double[] sortBaseline() {
        System.arraycopy(unsortedX, 0, sortBuffer, 0, n);
        java.util.Arrays.sort(sortBuffer);
        return sortBuffer;
    }

    @Benchmark
    public SolverResult solve() {
        return new ExactSpline1D().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
    }
}
