package io.sparsefit.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every member of the loss family (theory A2b) against independent computations: the gradient against central
 * differences of the value, the conjugate against a numerical supremum, the Fenchel-Young inequality and its
 * equality case, and the duality gap of the intercept-only problem against its closed-form optimum.
 */
class LossTest {

    static List<Loss> losses() {
        return List.of(Loss.squared(), new HuberLoss(0.7), LogisticLoss.INSTANCE, new CrossEntropyLoss(3));
    }

    /** Outputs of a loss: 2 for the regression losses (to exercise m > 1), its own for classification. */
    private static int outputs(Loss loss) {
        return loss instanceof CrossEntropyLoss ce ? ce.classes() : loss instanceof LogisticLoss ? 1 : 2;
    }

    private static double[] targets(Loss loss, int rows, Random rnd) {
        int m = outputs(loss);
        int t = loss.targetColumns(m);
        double[] y = new double[rows * t];
        for (int i = 0; i < y.length; i++) {
            y[i] = loss.classification() ? rnd.nextInt(m == 1 ? 2 : m) : 1.5 * rnd.nextGaussian();
        }
        return y;
    }

    private static double[] gaussian(int length, double scale, Random rnd) {
        double[] a = new double[length];
        for (int i = 0; i < length; i++) {
            a[i] = scale * rnd.nextGaussian();
        }
        return a;
    }

    private static double[] weights(int rows, Random rnd) {
        double[] w = new double[rows];
        for (int i = 0; i < rows; i++) {
            w[i] = 0.3 + 2 * rnd.nextDouble();
        }
        return w;
    }

    @ParameterizedTest
    @MethodSource("losses")
    void gradientMatchesCentralDifferencesWithWeightsAndScale(Loss loss) {
        Random rnd = new Random(1);
        int rows = 7;
        int m = outputs(loss);
        double[] y = targets(loss, rows, rnd);
        double[] w = weights(rows, rnd);
        double[] f = gaussian(rows * m, 2.0, rnd);
        double scale = 1.7;
        double[] grad = new double[rows * m];
        double value = loss.gradient(f, 0, y, 0, w, 0, rows, m, scale, grad, 0);
        assertThat(value).isCloseTo(loss.value(f, y, w, rows, m), within(0.0));
        double h = 1e-6;
        for (int i = 0; i < f.length; i++) {
            double[] plus = f.clone();
            double[] minus = f.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (loss.value(plus, y, w, rows, m) - loss.value(minus, y, w, rows, m)) / (2 * h);
            assertThat(grad[i]).as("entry %d", i).isCloseTo(scale * fd, within(1e-6 * (1 + Math.abs(scale * fd))));
        }
        // in place: the gradient may overwrite the outputs
        double[] inPlace = f.clone();
        assertThat(loss.gradient(inPlace, 0, y, 0, w, 0, rows, m, scale, inPlace, 0)).isEqualTo(value);
        assertThat(inPlace).containsExactly(grad);
        // the weights multiply each row's loss
        double unweighted = loss.value(f, y, null, rows, m);
        double byRow = 0;
        int t = loss.targetColumns(m);
        for (int r = 0; r < rows; r++) {
            double[] fr = java.util.Arrays.copyOfRange(f, r * m, r * m + m);
            double[] yr = java.util.Arrays.copyOfRange(y, r * t, r * t + t);
            byRow += w[r] * loss.value(fr, yr, null, 1, m);
        }
        assertThat(value).isCloseTo(byRow, within(1e-12 * (1 + Math.abs(byRow))));
        assertThat(unweighted).isNotCloseTo(value, within(1e-6));
    }

    @ParameterizedTest
    @MethodSource("losses")
    void hessianMatchesCentralDifferencesOfTheGradient(Loss loss) {
        Random rnd = new Random(6);
        int m = outputs(loss);
        for (int trial = 0; trial < 20; trial++) {
            double[] y = targets(loss, 1, rnd);
            double[] f = gaussian(m, 2.0, rnd);
            double[] hessian = new double[m * m];
            loss.hessian(f, 0, y, 0, m, hessian);
            double h = 1e-6;
            for (int k = 0; k < m; k++) {
                double[] plus = f.clone();
                double[] minus = f.clone();
                plus[k] += h;
                minus[k] -= h;
                double[] gp = new double[m];
                double[] gm = new double[m];
                loss.gradient(plus, 0, y, 0, null, 0, 1, m, 1.0, gp, 0);
                loss.gradient(minus, 0, y, 0, null, 0, 1, m, 1.0, gm, 0);
                for (int i = 0; i < m; i++) {
                    double fd = (gp[i] - gm[i]) / (2 * h);
                    assertThat(hessian[i * m + k]).as("trial %d entry (%d, %d)", trial, i, k).isCloseTo(fd, within(1e-6));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("losses")
    void valueIsStableForLargeOutputs(Loss loss) {
        int m = outputs(loss);
        double[] f = new double[m];
        java.util.Arrays.fill(f, 800.0);
        f[0] = -800.0;
        double[] y = new double[loss.targetColumns(m)];
        double[] g = new double[m];
        double v = loss.gradient(f, 0, y, 0, null, 0, 1, m, 1.0, g, 0);
        assertThat(v).isFinite();
        for (double gi : g) {
            assertThat(gi).isFinite();
        }
        if (loss instanceof LogisticLoss) {
            assertThat(v).isCloseTo(0.0, within(1e-300)); // log(1 + e^-800) - 0
        }
        if (loss instanceof CrossEntropyLoss) {
            assertThat(v).isCloseTo(1600.0 + Math.log(m - 1), within(1e-9)); // class 0 has f = -800
        }
    }

    /** {@code sup_f (u . f - loss(f; y))} by coordinate ascent with golden-section searches (the objective is concave). */
    private static double bruteConjugate(Loss loss, double[] u, double[] y, int m) {
        double[] f = new double[m];
        DoubleUnaryOperator[] coordinate = new DoubleUnaryOperator[1];
        double best = Double.NEGATIVE_INFINITY;
        for (int sweep = 0; sweep < (m == 1 ? 1 : 60); sweep++) {
            for (int i = 0; i < m; i++) {
                final int c = i;
                coordinate[0] = t -> {
                    double saved = f[c];
                    f[c] = t;
                    double s = 0;
                    for (int k = 0; k < m; k++) {
                        s += u[k] * f[k];
                    }
                    double value = s - loss.value(f, y, null, 1, m);
                    f[c] = saved;
                    return value;
                };
                f[i] = goldenMax(coordinate[0], -60, 60);
            }
            double s = 0;
            for (int k = 0; k < m; k++) {
                s += u[k] * f[k];
            }
            best = s - loss.value(f, y, null, 1, m);
        }
        return best;
    }

    private static double goldenMax(DoubleUnaryOperator fn, double a, double b) {
        double r = (Math.sqrt(5) - 1) / 2;
        double c = b - r * (b - a);
        double d = a + r * (b - a);
        double fc = fn.applyAsDouble(c);
        double fd = fn.applyAsDouble(d);
        for (int it = 0; it < 200 && b - a > 1e-13; it++) {
            if (fc > fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - r * (b - a);
                fc = fn.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + r * (b - a);
                fd = fn.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }

    /** A point in the conjugate's domain: the derivative of the loss at a random output (so u in the interior). */
    private static double[] domainPoint(Loss loss, double[] y, int m, Random rnd) {
        double[] f = gaussian(m, 1.5, rnd);
        double[] u = new double[m];
        loss.gradient(f, 0, y, 0, null, 0, 1, m, 1.0, u, 0);
        return u;
    }

    @ParameterizedTest
    @MethodSource("losses")
    void conjugateMatchesTheNumericalSupremum(Loss loss) {
        Random rnd = new Random(2);
        int m = outputs(loss);
        for (int trial = 0; trial < 40; trial++) {
            double[] y = targets(loss, 1, rnd);
            double[] u = domainPoint(loss, y, m, rnd);
            if (!loss.classification() && trial % 2 == 1) {
                // squared: anywhere; huber: anywhere inside the box
                for (int i = 0; i < m; i++) {
                    u[i] = loss instanceof HuberLoss h ? h.delta() * (2 * rnd.nextDouble() - 1) : 3 * rnd.nextGaussian();
                }
            }
            double exact = loss.conjugate(u, 0, y, 0, m);
            double brute = bruteConjugate(loss, u, y, m);
            assertThat(exact).as("trial %d u=%s", trial, java.util.Arrays.toString(u)).isCloseTo(brute, within(1e-7 * (1 + Math.abs(brute))));
        }
    }

    @ParameterizedTest
    @MethodSource("losses")
    void conjugateIsInfiniteOutsideItsDomainWhereTheSupremumGrowsWithoutBound(Loss loss) {
        int m = outputs(loss);
        double[] y = new double[loss.targetColumns(m)];   // target 0 (class 0 or the value 0)
        double[] u = new double[m];
        if (loss instanceof SquaredLoss) {
            return; // defined everywhere
        }
        // huber: |u| > delta; logistic with y = 0: u < 0; cross entropy with y = 0: u_1 < 0 (rows summing to 0)
        if (loss instanceof HuberLoss h) {
            u[0] = 1.1 * h.delta();
        } else if (loss instanceof LogisticLoss) {
            u[0] = -0.1;
        } else {
            u[0] = 0.1;
            u[1] = -0.1;
        }
        assertThat(loss.conjugate(u, 0, y, 0, m)).isEqualTo(Double.POSITIVE_INFINITY);
        // the objective of the supremum keeps growing along a ray
        double[] f = new double[m];
        double previous = Double.NEGATIVE_INFINITY;
        for (double t = 10; t <= 1e4; t *= 10) {
            for (int i = 0; i < m; i++) {
                f[i] = t * Math.signum(u[i]);
            }
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += u[i] * f[i];
            }
            double value = s - loss.value(f, y, null, 1, m);
            assertThat(value).isGreaterThan(previous);
            previous = value;
        }
        assertThat(previous).isGreaterThan(50);
        if (loss instanceof CrossEntropyLoss) {
            double[] unnormalized = {0.1, 0.1, 0.1}; // p = u + e_0 sums to 1.3: off the simplex
            assertThat(loss.conjugate(unnormalized, 0, y, 0, m)).isEqualTo(Double.POSITIVE_INFINITY);
        }
    }

    @ParameterizedTest
    @MethodSource("losses")
    void fenchelYoungHoldsWithEqualityAtTheDerivative(Loss loss) {
        Random rnd = new Random(3);
        int m = outputs(loss);
        for (int trial = 0; trial < 200; trial++) {
            double[] y = targets(loss, 1, rnd);
            double[] f = gaussian(m, 2.0, rnd);
            double[] u = domainPoint(loss, y, m, rnd);
            double lossValue = loss.value(f, y, null, 1, m);
            double inner = 0;
            for (int i = 0; i < m; i++) {
                inner += u[i] * f[i];
            }
            assertThat(lossValue + loss.conjugate(u, 0, y, 0, m)).isGreaterThanOrEqualTo(inner - 1e-12 * (1 + Math.abs(inner)));
            double[] derivative = new double[m];
            loss.gradient(f, 0, y, 0, null, 0, 1, m, 1.0, derivative, 0);
            double innerAt = 0;
            for (int i = 0; i < m; i++) {
                innerAt += derivative[i] * f[i];
            }
            assertThat(lossValue + loss.conjugate(derivative, 0, y, 0, m)).isCloseTo(innerAt, within(1e-10 * (1 + Math.abs(innerAt))));
        }
    }

    /**
     * The intercept-only problem {@code min_c sum_n w_n loss(c; y_n)} has dual {@code max D(g)} over {@code sum_n g_n = 0}
     * (the constant is unpenalized). Its optimum in closed form (a weighted mean; logit and log of weighted class
     * frequencies; for Huber the root of the monotone derivative found by bisection here) gives gap 0; any other
     * intercept gives gap > 0 for its centred dual point.
     */
    @ParameterizedTest
    @MethodSource("losses")
    void dualityGapOfTheInterceptProblemIsZeroAtItsOptimumOnly(Loss loss) {
        Random rnd = new Random(4);
        int rows = 9;
        int m = outputs(loss);
        int t = loss.targetColumns(m);
        double[] y = targets(loss, rows, rnd);
        double[] w = weights(rows, rnd);
        double weightSum = 0;
        for (double wi : w) {
            weightSum += wi;
        }
        double[] c = new double[m];
        if (loss instanceof SquaredLoss) {
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < m; i++) {
                    c[i] += w[r] * y[r * m + i] / weightSum;
                }
            }
        } else if (loss instanceof HuberLoss h) {
            for (int i = 0; i < m; i++) {
                final int col = i;
                double lo = -20;
                double hi = 20;
                for (int it = 0; it < 200; it++) {
                    double mid = 0.5 * (lo + hi);
                    double slope = 0;
                    for (int r = 0; r < rows; r++) {
                        slope += w[r] * Math.max(-h.delta(), Math.min(h.delta(), mid - y[r * m + col]));
                    }
                    if (slope > 0) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                c[i] = 0.5 * (lo + hi);
            }
        } else {
            int classes = m == 1 ? 2 : m;
            double[] freq = new double[classes];
            for (int r = 0; r < rows; r++) {
                freq[(int) y[r]] += w[r] / weightSum;
            }
            if (m == 1) {
                c[0] = Math.log(freq[1] / freq[0]);
            } else {
                for (int i = 0; i < m; i++) {
                    c[i] = Math.log(freq[i]);
                }
            }
        }
        assertThat(gap(loss, c, y, w, rows, m)).isCloseTo(0.0, within(1e-12));
        for (int trial = 0; trial < 20; trial++) {
            double[] other = c.clone();
            for (int i = 0; i < m; i++) {
                other[i] += 0.3 * rnd.nextGaussian();
            }
            assertThat(gap(loss, other, y, w, rows, m)).isGreaterThan(1e-8);
        }
    }

    /** Primal minus dual at the intercept {@code c}: the fit's dual point, centred to sum to zero. */
    private static double gap(Loss loss, double[] c, double[] y, double[] w, int rows, int m) {
        double[] f = new double[rows * m];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(c, 0, f, r * m, m);
        }
        double primal = loss.value(f, y, w, rows, m);
        double[] g = new double[rows * m];
        loss.dualPoint(f, y, w, rows, m, g);
        for (int i = 0; i < m; i++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += g[r * m + i] / rows;
            }
            for (int r = 0; r < rows; r++) {
                g[r * m + i] -= mean;
            }
        }
        double dual = loss.dualValue(g, y, w, rows, m, new double[m]);
        assertThat(primal - dual).isGreaterThanOrEqualTo(-1e-12);
        return primal - dual;
    }

    @ParameterizedTest
    @MethodSource("losses")
    void predictionsAreReadAsTheLossSays(Loss loss) {
        Random rnd = new Random(5);
        int m = outputs(loss);
        double[] f = gaussian(4 * m, 2.0, rnd);
        double[] p = new double[f.length];
        loss.predict(f, 4, m, p);
        for (int r = 0; r < 4; r++) {
            if (!loss.classification()) {
                assertThat(p[r * m]).isEqualTo(f[r * m]);
            } else if (m == 1) {
                assertThat(p[r]).isCloseTo(1 / (1 + Math.exp(-f[r])), within(1e-15));
            } else {
                double z = 0;
                for (int i = 0; i < m; i++) {
                    z += Math.exp(f[r * m + i]);
                }
                for (int i = 0; i < m; i++) {
                    assertThat(p[r * m + i]).isCloseTo(Math.exp(f[r * m + i]) / z, within(1e-15));
                }
            }
        }
    }
}
