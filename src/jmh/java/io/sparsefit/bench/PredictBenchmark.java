package io.sparsefit.bench;

import io.sparsefit.core.network.ShallowNetwork;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link ShallowNetwork#predict} of 1,000 rows on a width-256 model (issue 9's target: under 0.5 ms in the core), one
 * output, random Gaussian weights and inputs. Run with and without {@code --add-modules jdk.incubator.vector} (or
 * {@code -Dsparsefit.kernels=scalar}) for the same-run baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PredictBenchmark {

    @Param({"1", "10"})
    public int inputDim;

    private ShallowNetwork net;
    private DMatrixRMaj x;
    private DMatrixRMaj out;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        net = new ShallowNetwork(inputDim, 1, 256, true);
        double[] p = new double[net.parameterCount()];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextGaussian();
        }
        net.setParameters(p);
        x = new DMatrixRMaj(1000, inputDim);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = r.nextGaussian();
        }
        out = new DMatrixRMaj(1000, 1);
    }

    @Benchmark
    public DMatrixRMaj predict() {
        return net.predict(x, out);
    }
}
