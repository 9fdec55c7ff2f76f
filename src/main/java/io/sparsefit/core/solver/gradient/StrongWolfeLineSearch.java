package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.linalg.Vectors;
import java.util.function.BooleanSupplier;

/**
 * A line search that returns only steps satisfying the strong Wolfe conditions
 * <pre>
 *   phi(t) &lt;= phi(0) + c1 t phi'(0)          (sufficient decrease, Armijo)
 *   |phi'(t)| &lt;= c2 |phi'(0)|                 (strong curvature)
 * </pre>
 * for {@code phi(t) = f(x + t d)} along a descent direction ({@code phi'(0) < 0}), with
 * {@code c1 = }{@value #C1}, {@code c2 = }{@value #C2} (the usual quasi-Newton values).
 *
 * <p>The algorithm is bracketing followed by zoom with safeguarded cubic interpolation (Nocedal and Wright,
 * Numerical Optimization, 2nd ed., Algorithms 3.5 and 3.6), in the same arrangement as PyTorch's
 * {@code torch.optim.lbfgs._strong_wolfe}: extrapolation by cubic interpolation clamped to
 * {@code [t + 0.01 (t - t_prev), 10 t]}, zoom steps kept at least 10 % of the bracket away from its ends
 * after a step that made insufficient progress, at most {@value #MAX_EVALUATIONS} evaluations. Unlike
 * PyTorch, a search that ends without a strong Wolfe point is reported as failed ({@link #search} returns
 * false) instead of returning the best point found, so that every step a caller accepts satisfies both
 * conditions (and the L-BFGS curvature {@code s.y > 0} is guaranteed). Non-finite trial values count as
 * failed sufficient decrease and are bisected away.
 *
 * <p>On the objectives here (piecewise smooth: the ReLU kinks make {@code phi'} jump) a search can fail at
 * a kink that sits at the minimum along the line; the caller then restarts from steepest descent.
 *
 * <p>Work buffers are allocated once; {@link #search} allocates nothing. Deterministic. Not thread-safe.
 */
public final class StrongWolfeLineSearch {

    /** Sufficient-decrease constant. */
    public static final double C1 = 1e-4;
    /** Curvature constant. */
    public static final double C2 = 0.9;
    /** Most function evaluations per search (PyTorch's {@code max_ls = 25}). */
    public static final int MAX_EVALUATIONS = 25;
    /**
     * The zoom gives up when the bracket's length times {@code max |d_i|} falls below this (PyTorch's
     * {@code tolerance_change}, relative here to {@code max(1, max |x_i|)}): the trial points then differ only
     * in the last bits of the parameters.
     */
    public static final double BRACKET_TOLERANCE = 1e-12;

    /** A differentiable function of a flat parameter vector. */
    @FunctionalInterface
    public interface Function {
        /** Returns {@code f(point)} and writes its gradient into {@code gradient} (overwritten); {@code point} is not modified. */
        double evaluate(double[] point, double[] gradient);
    }

    private final int dimension;
    private final double[] trial;
    private final double[][] pool;

    private double step;
    private double value;
    private double[] gradient;
    private int evaluations;
    private BooleanSupplier stop = () -> false;

    public StrongWolfeLineSearch(int dimension) {
        this.dimension = dimension;
        this.trial = new double[dimension];
        this.pool = new double[3][dimension];
    }

    /**
     * Makes {@link #search} look at {@code stop} before every evaluation after the first and fail once it is true (a
     * cancelled fit: one evaluation of a large objective can take a good part of a second). Returns this.
     */
    public StrongWolfeLineSearch stopWhen(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /**
     * Searches along {@code direction} from {@code x}.
     *
     * @param f           the function
     * @param x           start point, not modified
     * @param fx          {@code f(x)}
     * @param gx          gradient at {@code x}, not modified
     * @param direction   a descent direction, not modified
     * @param slope       {@code gx . direction}, must be negative
     * @param initialStep first trial step, positive
     * @return whether a strong Wolfe step was found; if so {@link #step()}, {@link #value()} and
     *         {@link #copyGradient} describe it, and the new point is {@code x + step * direction}
     *         (computed as {@link Vectors#addScaled}, bit for bit the point that was evaluated)
     */
    public boolean search(Function f, double[] x, double fx, double[] gx, double[] direction, double slope,
                          double initialStep) {
        if (x.length != dimension || !(slope < 0) || !(initialStep > 0)) {
            throw new IllegalArgumentException("need a descent direction and a positive step (slope " + slope
                    + ", step " + initialStep + ")");
        }
        double dMax = 0;
        double xMax = 1;
        for (int i = 0; i < dimension; i++) {
            dMax = Math.max(dMax, Math.abs(direction[i]));
            xMax = Math.max(xMax, Math.abs(x[i]));
        }
        double tolerance = BRACKET_TOLERANCE * xMax;
        evaluations = 0;

        // ---- bracketing phase (N&W Alg. 3.5) -----------------------------------------------------------------
        double tPrev = 0;
        double fPrev = fx;
        double gtdPrev = slope;
        double[] gPrev = gx;                  // read-only while it is the caller's array
        double t = initialStep;
        double[] gNew = freeBuffer(gPrev, null);
        double fNew = evaluateAt(f, x, t, direction, gNew);
        double gtdNew = Vectors.dot(gNew, direction);

        // bracket [lo, hi] with values; lo is the end with the lower value
        double tLo;
        double fLo;
        double gtdLo;
        double[] gLo;
        double tHi;
        double fHi;
        double gtdHi;
        double[] gHi;
        int iteration = 0;
        while (true) {
            if (!sufficientDecrease(fNew, fx, t, slope) || (iteration > 1 && fNew >= fPrev)) {
                tLo = tPrev; fLo = fPrev; gtdLo = gtdPrev; gLo = gPrev;
                tHi = t; fHi = fNew; gtdHi = gtdNew; gHi = gNew;
                break;
            }
            if (Math.abs(gtdNew) <= -C2 * slope) {
                return accept(t, fNew, gNew);
            }
            if (gtdNew >= 0) {
                // the minimum along the line lies between tPrev and t (both satisfy Armijo): lo is the lower one
                if (fNew <= fPrev) {
                    tLo = t; fLo = fNew; gtdLo = gtdNew; gLo = gNew;
                    tHi = tPrev; fHi = fPrev; gtdHi = gtdPrev; gHi = gPrev;
                } else {
                    tLo = tPrev; fLo = fPrev; gtdLo = gtdPrev; gLo = gPrev;
                    tHi = t; fHi = fNew; gtdHi = gtdNew; gHi = gNew;
                }
                break;
            }
            if (evaluations >= MAX_EVALUATIONS || stop.getAsBoolean()) {
                return false;
            }
            // still descending: extrapolate
            double next = cubicMinimizer(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, t + 0.01 * (t - tPrev), 10 * t);
            tPrev = t; fPrev = fNew; gtdPrev = gtdNew; gPrev = gNew;
            t = next;
            gNew = freeBuffer(gPrev, null);
            fNew = evaluateAt(f, x, t, direction, gNew);
            gtdNew = Vectors.dot(gNew, direction);
            iteration++;
        }

        // ---- zoom phase (N&W Alg. 3.6) ------------------------------------------------------------------------
        boolean insufficientProgress = false;
        while (evaluations < MAX_EVALUATIONS && !stop.getAsBoolean()) {
            if (Math.abs(tHi - tLo) * dMax < tolerance) {
                return false;
            }
            double lower = Math.min(tLo, tHi);
            double upper = Math.max(tLo, tHi);
            double tz = cubicMinimizer(tLo, fLo, gtdLo, tHi, fHi, gtdHi, lower, upper);
            double eps = 0.1 * (upper - lower);
            if (Math.min(upper - tz, tz - lower) < eps) {
                // too close to an end: after a step that already made little progress, or at an end, move inward
                if (insufficientProgress || tz >= upper || tz <= lower) {
                    tz = Math.abs(tz - upper) < Math.abs(tz - lower) ? upper - eps : lower + eps;
                    insufficientProgress = false;
                } else {
                    insufficientProgress = true;
                }
            } else {
                insufficientProgress = false;
            }
            double[] gz = freeBuffer(gLo, gHi);
            double fz = evaluateAt(f, x, tz, direction, gz);
            double gtdz = Vectors.dot(gz, direction);
            if (!sufficientDecrease(fz, fx, tz, slope) || fz >= fLo) {
                tHi = tz; fHi = fz; gtdHi = gtdz; gHi = gz;
            } else {
                if (Math.abs(gtdz) <= -C2 * slope) {
                    return accept(tz, fz, gz);
                }
                if (gtdz * (tHi - tLo) >= 0) {
                    tHi = tLo; fHi = fLo; gtdHi = gtdLo; gHi = gLo;
                }
                tLo = tz; fLo = fz; gtdLo = gtdz; gLo = gz;
            }
        }
        return false;
    }

    /** Step of the last successful search. */
    public double step() {
        return step;
    }

    /** {@code f} at the last successful step. */
    public double value() {
        return value;
    }

    /** Function evaluations of the last search (successful or not; what the tests look at, not API). */
    int evaluations() {
        return evaluations;
    }

    /** Copies the gradient at the last successful step into {@code out}. */
    public void copyGradient(double[] out) {
        System.arraycopy(gradient, 0, out, 0, dimension);
    }

    private boolean accept(double t, double f, double[] g) {
        step = t;
        value = f;
        gradient = g;
        return true;
    }

    private double evaluateAt(Function f, double[] x, double t, double[] direction, double[] g) {
        Vectors.addScaled(x, t, direction, trial);
        evaluations++;
        double v = f.evaluate(trial, g);
        return Vectors.allFinite(g) ? v : Double.NaN;
    }

    /** Armijo; false for a non-finite value. */
    private static boolean sufficientDecrease(double ft, double f0, double t, double slope) {
        return ft <= f0 + C1 * t * slope;
    }

    /** One of the pool's buffers that is neither {@code a} nor {@code b}. */
    private double[] freeBuffer(double[] a, double[] b) {
        for (double[] buffer : pool) {
            if (buffer != a && buffer != b) {
                return buffer;
            }
        }
        throw new AssertionError("unreachable: three buffers, two taken at most");
    }

    /**
     * Minimizer of the cubic through {@code (t1, f1, g1)} and {@code (t2, f2, g2)} (values and derivatives),
     * clamped to {@code [lo, hi]}; the midpoint of {@code [lo, hi]} when the cubic has no minimizer or an input
     * is not finite (N&amp;W eq. 3.59; PyTorch's {@code _cubic_interpolate}).
     */
    static double cubicMinimizer(double t1, double f1, double g1, double t2, double f2, double g2, double lo, double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (t1 - t2);
        double d2Square = d1 * d1 - g1 * g2;
        double candidate;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            candidate = t1 <= t2
                    ? t2 - (t2 - t1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : t1 - (t1 - t2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
        } else {
            candidate = Double.NaN;
        }
        if (!Double.isFinite(candidate)) {
            return 0.5 * (lo + hi);
        }
        return Math.min(Math.max(candidate, lo), hi);
    }
}
