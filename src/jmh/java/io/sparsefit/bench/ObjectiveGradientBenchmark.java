package io.sparsefit.bench;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.objective.NetworkObjective;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
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
 * One full-batch evaluation of the training objective and its gradient ({@link NetworkObjective}),
 * weight decay, m = 1, on seeded random data, for one hidden layer (shape {@code NxdxK}) or several ReLU layers
 * ({@code NxdxK1xK2...}). Flop count for GFLOP/s, one layer: about 2 N d K for the forward product and 2 N d K for
 * the weight-gradient product (no input gradient is needed); each further layer adds about 6 N K_{l-1} K_l
 * (forward, weight gradient and input gradient).
 *
 * <pre>./mvnw -B -q -Pbench package -DskipTests && java -jar target/benchmarks.jar ObjectiveGradient -f 1 -wi 3 -i 5</pre>
 * ({@code productsOnly} does not depend on {@code kernel}; run it with {@code -p kernel=AUTO} only.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class ObjectiveGradientBenchmark {

    /**
     * "NxdxK" ("x", not ",": JMH's {@code -p} splits values at commas), e.g. {@code -p shape=10000x3x64}; more
     * widths after K make a deeper network of ReLU layers ({@code 10000x10x256x256}: two layers of 256).
     */
    @Param({"1000x1x100", "10000x3x64", "10000x10x256", "50000x20x1024", "10000x10x256x256", "10000x10x64x64x64"})
    public String shape;

    /**
     * {@code AUTO} is what the solvers use (one hidden layer: the fused kernel for d <= 16 with the scalar kernels,
     * else the blocked kernel, which reads every deeper network); {@code BLOCKED} forces the row-block kernel.
     */
    @Param({"AUTO", "BLOCKED"})
    public String kernel;

    private NetworkObjective objective;
    private DMatrixRMaj inputs;
    private DMatrixRMaj transposedWeights;
    private DMatrixRMaj hidden;
    private DMatrixRMaj weightGradient;
    private Network network;
    private double[] gradient;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("[x,]");
        int n = Integer.parseInt(parts[0]);
        int d = Integer.parseInt(parts[1]);
        int k = Integer.parseInt(parts[2]);
        int[] widths = new int[parts.length - 2];
        for (int l = 0; l < widths.length; l++) {
            widths[l] = Integer.parseInt(parts[2 + l]);
        }
        SplittableRandom random = new SplittableRandom(2026);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = random.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = random.nextDouble();
        }
        FitProblem problem = new FitProblem(x, y);
        network = Network.zeros(d, 1, widths, 0, true); // one layer: the ShallowNetwork view
        double[] theta = new double[network.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = random.nextDouble() - 0.5;
        }
        network.setParameters(theta);
        objective = new NetworkObjective(problem, network, NetworkObjective.Kernel.valueOf(kernel));
        gradient = new double[network.parameterCount()];
        inputs = x;
        transposedWeights = new DMatrixRMaj(d, k);
        org.ejml.dense.row.CommonOps_DDRM.transpose(network.layers().get(0).weights(), transposedWeights);
        hidden = new DMatrixRMaj(n, k);
        weightGradient = new DMatrixRMaj(d, k);
    }

    /**
     * Baseline measured in the same run: only the two EJML products of a step of the first layer (forward X W^T and
     * the weight gradient X^T dZ, here with the pre-activations standing in for dZ), no element-wise work.
     * With one hidden layer the ratio objectiveAndGradient / productsOnly is the overhead of everything else (with
     * several, it also holds the other layers' products).
     */
    @Benchmark
    public double productsOnly() {
        org.ejml.dense.row.CommonOps_DDRM.mult(inputs, transposedWeights, hidden);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(inputs, hidden, weightGradient);
        return weightGradient.data[0];
    }

    @Benchmark
    public double objectiveAndGradient() {
        double j = objective.evaluate(network, WeightDecay.INSTANCE, 1e-3, gradient);
        return j + gradient[0];
    }
}
