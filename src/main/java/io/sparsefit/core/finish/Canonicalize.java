package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.SamePattern;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.CanonicalNeuron;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Canonical form of theory A6: each neuron is read as a unit-normal hyperplane {@code (u, c)} =
 * {@code (w/||w||, b/||w||)} with amplitude {@code a = v ||w||}; neurons on the same hyperplane (to
 * {@value #TOLERANCE}) are merged by summing amplitudes; with a skip connection, a neuron on the antipodal
 * hyperplane {@code (-u, -c)} is turned around first with {@code relu(-z) = relu(z) - z}, its linear
 * remainder going into {@code C} and {@code c0}. Without a skip connection there is nowhere to put that
 * remainder, and for a classification loss {@code C} is weight-decayed (A2b), so antipodal neurons stay separate there. The result is balanced (A4) and sorted like
 * {@link io.sparsefit.core.network.CanonicalNeuron}: by normalized {@code w}, then normalized {@code b}.
 *
 * <p>The function is unchanged up to rounding (and up to the tolerance when near-equal hyperplanes
 * merge); the path norm cannot grow, since {@code ||a_1 + a_2|| <= ||a_1|| + ||a_2||}.
 */
public final class Canonicalize {

    /** Hyperplanes whose normals and offsets agree to this (relative for the offset) are one hyperplane. */
    public static final double TOLERANCE = 1e-12;
    /**
     * The tolerance of the near merge the finishing tries on data ({@link Finishing}: kept when the objective does not
     * rise by more than {@link Finishing#NEAR_MERGE_SLACK} relative).
     */
    public static final double NEAR_TOLERANCE = 1e-6;

    private Canonicalize() {
    }

    private record Plane(double[] u, double c, double[] a, int orientation) {
    }

    /**
     * A canonical copy of {@code network} (not modified); with {@code turnAround} false antipodal neurons stay separate even with a
     * skip connection: for a classification loss, which weight-decays {@code C} (A2b), so moving a linear function into
     * it would change the objective. Neurons on the same hyperplane merge for every loss.
     */
    public static ShallowNetwork canonicalize(ShallowNetwork network, boolean turnAround) {
        return canonicalize(network, turnAround, TOLERANCE);
    }

    /**
     * As {@link #canonicalize(ShallowNetwork, boolean)} with hyperplanes one when their unit normals and offsets agree to
     * {@code tolerance} (relative for the offset) instead of {@link #TOLERANCE}: the function then changes by at most
     * about {@code tolerance ||a|| (||x|| + 1)} per merged neuron, on the samples between the two hyperplanes.
     */
    public static ShallowNetwork canonicalize(ShallowNetwork network, boolean turnAround, double tolerance) {
        int d = network.inputDim();
        int m = network.outputDim();
        boolean turn = network.hasSkip() && turnAround;
        double[] skipWeights = network.skipWeights().data.clone();
        double[] skipBias = network.skipBias().clone();
        List<Plane> planes = new ArrayList<>();
        for (int k = 0; k < network.width(); k++) {
            double nw = network.inputNorm(k);
            if (nw == 0) {
                // v relu(-b) is a constant (A5): it belongs to c0.
                double level = Math.max(0.0, -network.bias()[k]);
                for (int i = 0; i < m; i++) {
                    skipBias[i] += network.outputWeights().data[k * m + i] * level;
                }
                continue;
            }
            if (network.outputNorm(k) == 0) {
                continue;
            }
            double[] u = new double[d];
            double[] a = new double[m];
            double c = network.unitNormal(k, u, 0, a, 0);
            planes.add(new Plane(u, c, a, orientation(u)));
        }

        List<Plane> merged = new ArrayList<>();
        boolean[] used = new boolean[planes.size()];
        for (int p = 0; p < planes.size(); p++) {
            if (used[p]) {
                continue;
            }
            List<Plane> group = new ArrayList<>();
            for (int q = p; q < planes.size(); q++) {
                if (!used[q] && sameLine(planes.get(p), planes.get(q), tolerance)) {
                    used[q] = true;
                    group.add(planes.get(q));
                }
            }
            if (turn) {
                Plane leader = strongest(group, 0);
                double[] sum = new double[m];
                for (Plane member : group) {
                    if (member.orientation() != leader.orientation()) {
                        // a relu(u.x - c) = a relu(-u.x + c) + a (u.x - c): the affine remainder goes to the skip.
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < d; j++) {
                                skipWeights[i * d + j] += member.a()[i] * member.u()[j];
                            }
                            skipBias[i] -= member.a()[i] * member.c();
                        }
                    }
                    add(sum, member.a());
                }
                merged.add(new Plane(leader.u(), leader.c(), sum, leader.orientation()));
            } else {
                for (int orientation : new int[] {1, -1}) {
                    Plane leader = strongest(group, orientation);
                    if (leader == null) {
                        continue;
                    }
                    double[] sum = new double[m];
                    for (Plane member : group) {
                        if (member.orientation() == orientation) {
                            add(sum, member.a());
                        }
                    }
                    merged.add(new Plane(leader.u(), leader.c(), sum, orientation));
                }
            }
        }
        merged.removeIf(plane -> Vectors.norm(plane.a()) == 0);
        merged.sort(ORDER);

        ShallowNetwork out = new ShallowNetwork(d, m, merged.size(), network.hasSkip());
        for (int k = 0; k < merged.size(); k++) {
            Plane plane = merged.get(k);
            // Balanced (A4): ||w|| = ||v|| = sqrt(||a||).
            double scale = Math.sqrt(Vectors.norm(plane.a()));
            for (int j = 0; j < d; j++) {
                out.inputWeights().data[k * d + j] = plane.u()[j] * scale;
            }
            out.bias()[k] = plane.c() * scale;
            for (int i = 0; i < m; i++) {
                out.outputWeights().data[k * m + i] = plane.a()[i] / scale;
            }
        }
        System.arraycopy(skipWeights, 0, out.skipWeights().data, 0, m * d);
        System.arraycopy(skipBias, 0, out.skipBias(), 0, m);
        return out;
    }

    /**
     * A copy of {@code network} (not modified) whose neurons active on the same samples of {@code problem} are merged
     * exactly ({@link SamePattern}): the data-aware form of the canonical merge, the same fitted values for every loss
     * and a path norm that cannot grow; the neurons kept are in their first index's order.
     *
     * <p>With {@code turnAround} (a regression loss with a skip connection: {@code C} is free, A1, A6) every neuron is
     * first oriented so that the first sample is not active, by {@code a relu(z) = a relu(-z) + a z} with the linear
     * remainder moved into {@code C} and {@code c0}: that changes neither f nor the penalty, and it lets antipodal
     * neurons (active on complementary samples) merge too. A classification loss decays {@code C} (A2b), so there no
     * neuron is turned around.
     */
    public static ShallowNetwork mergeOnData(ShallowNetwork network, FitProblem problem, boolean turnAround) {
        int n = problem.rows();
        int d = network.inputDim();
        int m = network.outputDim();
        int width = network.width();
        ShallowNetwork net = network.copy();
        double[] x = problem.x().data;
        double[] w = net.inputWeights().data;
        double[] b = net.bias();
        double[] v = net.outputWeights().data;
        if (turnAround && net.hasSkip() && n > 0) {
            double[] c = net.skipWeights().data;
            for (int k = 0; k < width; k++) {
                if (SamePattern.preActivation(w, k, b[k], x, 0, d) > 0) {
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < d; j++) {
                            c[i * d + j] += v[k * m + i] * w[k * d + j];
                        }
                        net.skipBias()[i] -= v[k * m + i] * b[k];
                    }
                    for (int j = 0; j < d; j++) {
                        w[k * d + j] = -w[k * d + j];
                    }
                    b[k] = -b[k];
                }
            }
        }
        SamePattern.Merged merged = SamePattern.merge(x, n, d, m, width, w, b, v,
                (k, r) -> SamePattern.preActivation(w, k, b[k], x, r, d) > 0, true);
        if (merged == null) {
            return net;
        }
        int[] keep = new int[width];
        int kept = 0;
        for (int k = 0; k < width; k++) {
            if (!merged.removed()[k]) {
                keep[kept++] = k;
            }
        }
        return net.select(java.util.Arrays.copyOf(keep, kept));
    }

    /** +1 when the first non-zero entry of the unit normal is positive, else -1. */
    static int orientation(double[] u) {
        for (double value : u) {
            if (value != 0) {
                return value > 0 ? 1 : -1;
            }
        }
        return 1;
    }

    /** Whether two planes coincide, or (when orientations differ) are antipodal, to the tolerance. */
    private static boolean sameLine(Plane p, Plane q, double tolerance) {
        double sign = p.orientation() == q.orientation() ? 1.0 : -1.0;
        for (int j = 0; j < p.u().length; j++) {
            if (Math.abs(p.u()[j] - sign * q.u()[j]) > tolerance) {
                return false;
            }
        }
        return Math.abs(p.c() - sign * q.c()) <= tolerance * Math.max(1.0, Math.abs(p.c()));
    }

    /** The member of largest amplitude (first on ties) with the given orientation, 0 meaning any. */
    private static Plane strongest(List<Plane> group, int orientation) {
        Plane best = null;
        double bestNorm = -1;
        for (Plane plane : group) {
            if (orientation != 0 && plane.orientation() != orientation) {
                continue;
            }
            double n = Vectors.norm(plane.a());
            if (n > bestNorm) {
                best = plane;
                bestNorm = n;
            }
        }
        return best;
    }

    private static void add(double[] sum, double[] a) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += a[i];
        }
    }

    private static final Comparator<Plane> ORDER = (p, q) -> CanonicalNeuron.compare(p.u(), p.c(), q.u(), q.c());
}
