package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sparsefit.core.network.RandomNetworks;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact d = 3 dual norm (theory T8) against two computations written here: (1) a generic-position brute
 * force over planes through three data points: every vertex, and from each vertex the four adjacent
 * activation patterns, each pattern's maximum over the sphere (m = 1: the normalized linear map; m = 2:
 * power iteration on its Gram matrix) and over the rotating planes through two of the points (projection
 * onto the circle), every candidate evaluated directly; (2) a Fibonacci grid of directions with the exact
 * best offset per direction, refined by a shrinking pattern search, which must stay below the exact value and
 * come within 1e-4 of it (a
 * pattern search can stall on a kink, so this check is loose; the brute force is the exact one). Residuals are projected off [1, x] here.
 */
class ArrangementPricing3DTest {

    @ParameterizedTest
    @CsvSource({"6, 1, 1", "7, 1, 2", "8, 1, 3", "9, 2, 4", "10, 1, 5", "12, 1, 6", "11, 2, 7", "12, 2, 8"})
    void matchesTheBruteForceOverPlanesThroughThreePointsAndARefinedGrid(int n, int m, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 3, seed);
        DMatrixRMaj r = PricingTest.residual(x, m, seed + 50);
        Atom atom = new ArrangementPricing3D(x, m).best(r, null);
        double exact = atom.value();
        double tol = 1e-9 * Math.max(1, exact);

        assertThat(PricingTest.value(x, r, atom.direction(), atom.offset())).isCloseTo(exact, offset(tol));
        assertThat(exact).isCloseTo(bruteForce(x, r), offset(tol));

        double grid = refinedGrid(x, r, 4000);
        assertThat(grid).isLessThanOrEqualTo(exact + tol);
        assertThat(grid).isGreaterThanOrEqualTo(exact * (1 - 1e-4));
    }

    /** A 3 x 3 x 2 integer lattice: many points on each plane through three others. */
    static DMatrixRMaj lattice() {
        DMatrixRMaj x = new DMatrixRMaj(18, 3);
        int row = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                for (int c = 0; c < 2; c++) {
                    x.data[3 * row] = a;
                    x.data[3 * row + 1] = b;
                    x.data[3 * row + 2] = c;
                    row++;
                }
            }
        }
        return x;
    }

    @Test
    void handlesDegenerateLatticesWhereManyCirclesMeet() {
        DMatrixRMaj x = lattice();
        for (long seed = 1; seed <= 4; seed++) {
            DMatrixRMaj r = PricingTest.residual(x, 1, seed);
            double exact = new ArrangementPricing3D(x, r.numCols).best(r, null).value();
            OffsetCellBound.Result b = new OffsetCellBound(x, 1).bound(r, null, 1e-5, 2_000_000, Long.MAX_VALUE, null);
            assertThat(b.converged()).isTrue();
            assertThat(b.upper()).isGreaterThanOrEqualTo(exact * (1 - 1e-12));
            assertThat(b.lower()).isLessThanOrEqualTo(exact * (1 + 1e-12));
            assertThat(b.upper()).isLessThanOrEqualTo(exact * (1 + 1e-5) * (1 + 1e-12));
            assertThat(refinedGrid(x, r, 4000)).isLessThanOrEqualTo(exact * (1 + 1e-12));
        }
    }

    @Test
    void aStartAtomIsKeptWhenNothingBeatsIt() {
        DMatrixRMaj x = RandomNetworks.matrix(9, 3, 11);
        DMatrixRMaj r = PricingTest.residual(x, 1, 12);
        Atom exact = new ArrangementPricing3D(x, 1).best(r, null);
        Atom again = new ArrangementPricing3D(x, 1).best(r, exact);
        assertThat(again.value()).isCloseTo(exact.value(), offset(1e-12 * exact.value()));
    }

    /** Generic-position enumeration over planes through x_a, x_b, x_c (see the class comment). */
    static double bruteForce(DMatrixRMaj x, DMatrixRMaj r) {
        int n = x.numRows;
        int m = r.numCols;
        double best = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < n; c++) {
                    if (b == a || c == a || c == b) {
                        continue;
                    }
                    double[] yb = diff(x, b, a);
                    double[] yc = diff(x, c, a);
                    double[] v = unit(cross(yb, yc));
                    double ca = dot(v, row(x, a));
                    best = Math.max(best, PricingTest.value(x, r, v, ca));
                    for (int sb = 0; sb < 2; sb++) {
                        for (int sc = 0; sc < 2; sc++) {
                            // the pattern of a face touching the vertex: strict sides at v, chosen sides for b, c
                            double[] map = new double[3 * m];
                            for (int q = 0; q < n; q++) {
                                double p = dot(v, diff(x, q, a));
                                boolean on = q == b ? sb == 1 : q == c ? sc == 1 : p > 1e-12;
                                if (q == a || !on) {
                                    continue;
                                }
                                double[] y = diff(x, q, a);
                                for (int i = 0; i < m; i++) {
                                    for (int t = 0; t < 3; t++) {
                                        map[3 * i + t] += r.data[q * m + i] * y[t];
                                    }
                                }
                            }
                            double[] face = topRightSingular(map, m, null);
                            best = Math.max(best, PricingTest.value(x, r, face, dot(face, row(x, a))));
                            // the edge along the circle normal to y_b (its own term vanishes there); b's side is then
                            // irrelevant, c's side chooses the edge
                            double[] edge = topRightSingular(map, m, yb);
                            best = Math.max(best, PricingTest.value(x, r, edge, dot(edge, row(x, a))));
                        }
                    }
                }
            }
        }
        return best;
    }

    /** Top right singular vector of the m x 3 map, restricted to the plane normal to {@code normal} when given. */
    static double[] topRightSingular(double[] map, int m, double[] normal) {
        double[][] g = new double[3][3];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < 3; p++) {
                for (int q = 0; q < 3; q++) {
                    g[p][q] += map[3 * i + p] * map[3 * i + q];
                }
            }
        }
        double[] u = {0.3, -0.5, 0.8};
        double[] nn = normal == null ? null : unit(normal);
        for (int step = 0; step < 3000; step++) {
            if (nn != null) {
                double s = dot(u, nn);
                for (int t = 0; t < 3; t++) {
                    u[t] -= s * nn[t];
                }
            }
            double[] next = new double[3];
            for (int p = 0; p < 3; p++) {
                for (int q = 0; q < 3; q++) {
                    next[p] += g[p][q] * u[q];
                }
                next[p] += 1e-3 * u[p];   // shift: converges on a PSD form even when the top is degenerate
            }
            if (nn != null) {
                double s = dot(next, nn);
                for (int t = 0; t < 3; t++) {
                    next[t] -= s * nn[t];
                }
            }
            u = unit(next);
        }
        return u;
    }

    /** Fibonacci directions, exact best offset each, then a shrinking pattern search from the best ten. */
    static double refinedGrid(DMatrixRMaj x, DMatrixRMaj r, int count) {
        double[][] dirs = new double[count][];
        double[] vals = new double[count];
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int k = 0; k < count; k++) {
            double z = 1 - (k + 0.5) * 2.0 / count;
            double rad = Math.sqrt(1 - z * z);
            dirs[k] = new double[] {rad * Math.cos(golden * k), rad * Math.sin(golden * k), z};
            vals[k] = PricingTest.bruteAlong(x, r, dirs[k]);
        }
        double best = 0;
        for (int pick = 0; pick < 10; pick++) {
            int arg = 0;
            for (int k = 1; k < count; k++) {
                if (vals[k] > vals[arg]) {
                    arg = k;
                }
            }
            double[] u = dirs[arg].clone();
            double value = vals[arg];
            vals[arg] = -1;
            int steps = 0;
            for (double h = 0.05; h > 1e-10 && steps < 3000; steps++) {
                boolean moved = false;
                for (int t = 0; t < 3 && !moved; t++) {
                    for (int s = -1; s <= 1 && !moved; s += 2) {
                        double[] v = u.clone();
                        v[t] += s * h;
                        v = unit(v);
                        double f = PricingTest.bruteAlong(x, r, v);
                        if (f > value) {
                            value = f;
                            u = v;
                            moved = true;
                        }
                    }
                }
                h *= moved ? 2.0 : 0.5;   // expand after a success, so that creeping along a ridge stays cheap
            }
            best = Math.max(best, value);
        }
        return best;
    }

    static double[] row(DMatrixRMaj x, int a) {
        return new double[] {x.data[3 * a], x.data[3 * a + 1], x.data[3 * a + 2]};
    }

    static double[] diff(DMatrixRMaj x, int q, int a) {
        return new double[] {x.data[3 * q] - x.data[3 * a], x.data[3 * q + 1] - x.data[3 * a + 1], x.data[3 * q + 2] - x.data[3 * a + 2]};
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] unit(double[] a) {
        double l = Math.sqrt(dot(a, a));
        return new double[] {a[0] / l, a[1] / l, a[2] / l};
    }
}
