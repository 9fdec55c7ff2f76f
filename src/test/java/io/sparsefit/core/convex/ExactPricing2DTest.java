package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pruned rotating sweep of {@link ExactPricing2D} against the plain radial sweep around every anchor
 * ({@link RadialSweep2D}, the algorithm it replaced) and against a direct evaluation of each atom it returns
 * ({@link PricingTest#value}): equal to 1e-12 relative on random problems, sizes from below one grid interval per
 * point to thousands of rows, one to three outputs, random and structured residuals, ties and duplicates.
 */
class ExactPricing2DTest {

    private static final double RELATIVE = 1e-12;

    @ParameterizedTest
    @CsvSource({"3, 1, 1", "5, 1, 2", "17, 2, 3", "50, 1, 4", "120, 3, 5", "200, 1, 6", "400, 2, 7", "1000, 1, 8",
        "3000, 1, 9", "2000, 2, 10"})
    void theMaximumEqualsThePlainRadialSweep(int n, int m, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 2, seed);
        for (DMatrixRMaj r : List.of(PricingTest.residual(x, m, seed + 100), rampResidual(x, m, seed + 200))) {
            Atom fast = new ExactPricing2D(x, m).best(r, null);
            Atom plain = new RadialSweep2D(x, m).best(r, null);
            assertThat(fast.value()).isCloseTo(plain.value(), offset(RELATIVE * plain.value()));
            assertThat(PricingTest.value(x, r, fast.direction(), fast.offset()))
                    .isCloseTo(fast.value(), offset(RELATIVE * Math.max(1e-300, fast.value())));
        }
    }

    @Test
    void tiesDuplicatesAndCollinearPointsGiveThePlainSweepsValue() {
        // An integer grid with repeated points (many equal event angles, zero differences) and a line of points.
        int side = 12;
        DMatrixRMaj grid = new DMatrixRMaj(side * side + 20, 2);
        for (int i = 0; i < side * side; i++) {
            grid.data[2 * i] = i % side;
            grid.data[2 * i + 1] = i / side;
        }
        for (int i = 0; i < 20; i++) {
            grid.data[2 * (side * side + i)] = grid.data[2 * (7 * i)];
            grid.data[2 * (side * side + i) + 1] = grid.data[2 * (7 * i) + 1];
        }
        DMatrixRMaj line = new DMatrixRMaj(60, 2);
        for (int i = 0; i < 60; i++) {
            line.data[2 * i] = i * 0.5;
            line.data[2 * i + 1] = i % 7 == 0 ? 1.0 : 0.0;   // a line with a few points off it (r orthogonal to [1, x])
        }
        for (DMatrixRMaj x : List.of(grid, line)) {
            for (long seed = 1; seed <= 4; seed++) {
                int m = 1 + (int) (seed % 2);
                DMatrixRMaj r = seed % 2 == 0 ? rampResidual(x, m, seed) : PricingTest.residual(x, m, seed);
                double fast = new ExactPricing2D(x, m).best(r, null).value();
                double plain = new RadialSweep2D(x, m).best(r, null).value();
                assertThat(fast).isCloseTo(plain, offset(RELATIVE * plain));
            }
        }
    }

    @Test
    void topStartsWithTheMaximumAndListsDistinctRealAtomsAboveTheThreshold() {
        DMatrixRMaj x = RandomNetworks.matrix(600, 2, 31);
        DMatrixRMaj r = rampResidual(x, 1, 32);
        ExactPricing2D sweep = new ExactPricing2D(x, 1);
        double max = new RadialSweep2D(x, 1).best(r, null).value();
        double threshold = 0.5 * max;
        List<Atom> top = sweep.top(r, threshold, 4);
        assertThat(top.get(0).value()).isCloseTo(max, offset(RELATIVE * max));
        assertThat(top).hasSizeBetween(2, 4);
        for (int i = 0; i < top.size(); i++) {
            Atom a = top.get(i);
            assertThat(a.value()).isGreaterThan(threshold);
            assertThat(PricingTest.value(x, r, a.direction(), a.offset())).isCloseTo(a.value(), offset(RELATIVE * a.value()));
            if (i > 0) {
                assertThat(a.value()).isLessThanOrEqualTo(top.get(i - 1).value());
                Atom b = top.get(i - 1);
                double dot = a.direction()[0] * b.direction()[0] + a.direction()[1] * b.direction()[1];
                assertThat(dot < 1 - 1e-9 || Math.abs(a.offset() - b.offset()) > 1e-9).isTrue();
            }
        }
        // Above the maximum: only the maximum itself.
        assertThat(sweep.top(r, 2 * max, 4)).hasSize(1).first().satisfies(a ->
                assertThat(a.value()).isCloseTo(max, offset(RELATIVE * max)));
        // A start at least as good as the maximum is returned as it is.
        Atom start = new Atom(new double[] {1, 0}, 0.0, max * (1 + 1e-9));
        assertThat(sweep.best(r, start)).isSameAs(start);
    }

    @Test
    void aResidualOfZerosHasNoAtom() {
        DMatrixRMaj x = RandomNetworks.matrix(40, 2, 5);
        assertThat(new ExactPricing2D(x, 1).best(new DMatrixRMaj(40, 1), null)).isNull();
        assertThat(new ExactPricing2D(x, 1).top(new DMatrixRMaj(40, 1), 0.0, 3)).containsExactly((Atom) null);
    }

    /**
     * {@link ExactPricing2D#throughNearestPoints}: each moved hyperplane passes through a data point (a zero
     * pre-activation), along its normal (the weights are not changed), and no data point's projection lies strictly
     * between the old offset and the new one (the nearest); a neuron with zero weights keeps its bias.
     */
    @Test
    void hyperplanesMoveAlongTheirNormalsToTheNearestDataPoint() {
        DMatrixRMaj x = RandomNetworks.matrix(300, 2, 21);
        SplittableRandom random = new SplittableRandom(22);
        int width = 12;
        double[] weights = new double[2 * width];
        double[] bias = new double[width];
        for (int k = 0; k < width; k++) {
            weights[2 * k] = k == 5 ? 0 : 3 * RandomNetworks.gaussian(random);
            weights[2 * k + 1] = k == 5 ? 0 : 3 * RandomNetworks.gaussian(random);
            bias[k] = RandomNetworks.gaussian(random);
        }
        double[] before = bias.clone();
        double[] weightsBefore = weights.clone();
        ExactPricing2D.throughNearestPoints(x, weights, bias, width);
        assertThat(weights).containsExactly(weightsBefore);
        assertThat(bias[5]).isEqualTo(before[5]);
        // Through the network's own pre-activation relu(w.x - b): the moved arrays as a network and as its mirror
        // (-w, -b), each neuron its own output: their difference is the pre-activation. The convention is
        // the network's, not a copy of it here, so a sign flip in throughNearestPoints fails.
        ShallowNetwork mirror = new ShallowNetwork(2, width, width, false);
        ShallowNetwork net = new ShallowNetwork(2, width, width, false);
        for (int k = 0; k < width; k++) {
            net.outputWeights().set(k, k, 1.0);
            mirror.outputWeights().set(k, k, 1.0);
            net.bias()[k] = bias[k];
            mirror.bias()[k] = -bias[k];
        }
        for (int i = 0; i < 2 * width; i++) {
            net.inputWeights().data[i] = weights[i];
            mirror.inputWeights().data[i] = -weights[i];
        }
        DMatrixRMaj up = net.predict(x, null);
        DMatrixRMaj down = mirror.predict(x, null);
        for (int k = 0; k < width; k++) {
            if (k == 5) {
                continue;
            }
            boolean through = false;
            double low = Math.min(before[k], bias[k]);
            double high = Math.max(before[k], bias[k]);
            for (int q = 0; q < x.numRows; q++) {
                double z = weights[2 * k] * x.get(q, 0) + weights[2 * k + 1] * x.get(q, 1);
                // relu(z) - relu(-z) is the network's pre-activation z; zero to its rounding (its products may be
                // summed in another order than throughNearestPoints's)
                through |= Math.abs(up.get(q, k) - down.get(q, k)) <= 1e-12 * (1 + Math.abs(bias[k]));
                // the nearest: no projection strictly closer to the old offset than the new one is
                assertThat(Math.abs(z - before[k])).as("neuron %d, row %d", k, q).isGreaterThanOrEqualTo(high - low);
            }
            assertThat(through).as("neuron %d passes through a data point", k).isTrue();
        }
    }

    /**
     * A residual with a few sharp ramps (projected off [1, x]): large isolated maxima and many near ones, as in column
     * generation's first rounds.
     */
    private static DMatrixRMaj rampResidual(DMatrixRMaj x, int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = x.numRows;
        DMatrixRMaj r = new DMatrixRMaj(n, m);
        for (int k = 0; k < 4; k++) {
            double angle = 2 * Math.PI * random.nextDouble();
            double c = 0.5 * RandomNetworks.gaussian(random);
            double[] amplitude = new double[m];
            for (int i = 0; i < m; i++) {
                amplitude[i] = RandomNetworks.gaussian(random);
            }
            for (int q = 0; q < n; q++) {
                double z = Math.max(0.0, Math.cos(angle) * x.data[2 * q] + Math.sin(angle) * x.data[2 * q + 1] - c);
                for (int i = 0; i < m; i++) {
                    r.data[q * m + i] += amplitude[i] * z + 0.01 * RandomNetworks.gaussian(random);
                }
            }
        }
        AffineProjection.of(x, true).projectInPlace(r);
        return r;
    }
}
