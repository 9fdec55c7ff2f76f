package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.Vectors;
import org.ejml.data.DMatrixRMaj;

/**
 * The geometry of the direction cells of the branch and bound over the dual norm of theory T8 (theory C4,
 * {@link OffsetCellBound}): the cover of the sphere by boxes on the faces of the cube, each inside a spherical cap, and
 * the closed forms over a cap. The d faces {@code v_k = +1} of the cube {@code [-1, 1]^d}, each a box in the other
 * d - 1 coordinates, cover the half sphere after {@code u = v / ||v||} (for any unit u, the largest |u_k| is positive
 * for u or for -u; the 2 d faces {@code v_k = +-1} cover the whole sphere). A cell's image on the sphere is the
 * spherical hull of its box's corners, so it lies in the cap around the centre's image u0 whose radius theta is the
 * largest angle from u0 to a corner (the cap is convex while theta is below a right angle; for d above
 * {@value #MAX_CORNER_DIMENSION} the cheaper bound {@code sin theta <= |v - v0| / |v0|} replaces the corners).
 * Stateless; the work buffers are the caller's.
 */
final class CapGeometry {

    /** Above this many inputs the cap radius comes from the box's half-diagonal instead of its 2^(d-1) corners. */
    static final int MAX_CORNER_DIMENSION = 13;
    /** Relative inflation of every cell's upper bound, covering the rounding of its sums. */
    static final double ROUNDING = 1e-11;

    private CapGeometry() {
    }

    /**
     * The inputs minus their mean (N x d, row-major, returned), writing the mean into {@code mean} (d, zero on entry)
     * and each row's distance from it into {@code radius} (N); x not modified. The bound's centred coordinates.
     */
    static double[] centre(DMatrixRMaj x, double[] mean, double[] radius) {
        int n = x.numRows;
        int d = x.numCols;
        for (int q = 0; q < n; q++) {
            for (int t = 0; t < d; t++) {
                mean[t] += x.data[q * d + t] / n;
            }
        }
        double[] centred = new double[n * d];
        for (int q = 0; q < n; q++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                double e = x.data[q * d + t] - mean[t];
                centred[q * d + t] = e;
                s += e * e;
            }
            radius[q] = Math.sqrt(s);
        }
        return centred;
    }

    /**
     * The cap around a box on a face of the cube (see the class comment): writes its unit centre into {@code u0} and
     * returns the sine of its radius, rounded up (at most 1), or 2 when the cap reaches a right angle (then take the
     * whole sphere: sine 1, cosine -1). {@code v0} and {@code corner} are work buffers of length d.
     */
    static double capSine(int face, double[] lo, double[] hi, double[] v0, double[] u0, double[] corner) {
        int d = u0.length;
        for (int t = 0, b = 0; t < d; t++) {
            v0[t] = t == face ? 1.0 : 0.5 * (lo[b] + hi[b++]);
        }
        double len = Vectors.norm(v0);
        for (int t = 0; t < d; t++) {
            u0[t] = v0[t] / len;
        }
        double sin;
        boolean wide = false;
        if (d - 1 <= MAX_CORNER_DIMENSION) {
            sin = 0.0;
            int corners = 1 << (d - 1);
            for (int mask = 0; mask < corners; mask++) {
                double cs = 0;
                for (int t = 0, b = 0; t < d; t++) {
                    if (t == face) {
                        corner[t] = 1.0;
                    } else {
                        corner[t] = ((mask >>> b) & 1) == 0 ? lo[b] : hi[b];
                        b++;
                    }
                    cs += corner[t] * corner[t];
                }
                double cl = Math.sqrt(cs);
                double dot = 0;
                for (int t = 0; t < d; t++) {
                    corner[t] /= cl;
                    dot += corner[t] * u0[t];
                }
                if (dot <= 0) {
                    wide = true;
                }
                double perp = 0;
                for (int t = 0; t < d; t++) {
                    double e = corner[t] - dot * u0[t];
                    perp += e * e;
                }
                sin = Math.max(sin, Math.sqrt(perp));
            }
        } else {
            // sin angle(v, v0) <= |v - v0| / |v0|: the ball of radius |v - v0| around v0 seen from the origin.
            double half = 0;
            for (int b = 0; b < d - 1; b++) {
                double h = 0.5 * (hi[b] - lo[b]);
                half += h * h;
            }
            sin = Math.sqrt(half) / len;
            wide = sin >= 1.0;
        }
        // wide: the whole sphere, every point ambiguous, every sup at |y|
        return wide ? 2.0 : Math.min(1.0, sin * (1 + 1e-12) + 1e-15);
    }

    /**
     * The cosine of a cap's radius from {@link #capSine}'s value: -1 for the whole sphere (a value above 1). Any other
     * value of {@link #capSine} lies in [0, 1], where {@code sin * sin <= 1} in floating point too (rounding is monotone
     * and {@code 1 * 1} is exact), so the square root needs no clamp.
     */
    static double capCosine(double capSine) {
        return capSine > 1.0 ? -1.0 : Math.sqrt(1.0 - capSine * capSine);
    }

    /**
     * {@code max_{u in cap} a . u} over the cap around u0 of radius theta ({@code ct}, {@code st} its cosine and sine),
     * for a vector a of norm {@code norm} with {@code a . u0 = dot} (0 for a = 0); the minimum is
     * {@code -capMax(norm, -dot, ...)}. The one range of a linear function over the cap.
     */
    static double capMax(double norm, double dot, double ct, double st) {
        return norm > 0 ? norm * largestCosine(Math.max(-1.0, Math.min(1.0, dot / norm)), ct, st) : 0.0;
    }

    /** {@code max_{u in cap} cos angle(u, y)} given {@code cos angle(u0, y)}: cos(max(0, alpha - theta)). */
    private static double largestCosine(double cos, double ct, double st) {
        if (cos >= ct) {
            return 1.0;
        }
        double sin = Math.sqrt(Math.max(0.0, 1.0 - cos * cos));
        return cos * ct + sin * st;
    }
}
