package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.linalg.Vectors;

/**
 * The last few curvature pairs {@code (s, y)} of L-BFGS and the two-loop recursion that applies the
 * implied inverse-Hessian estimate (Nocedal and Wright, Algorithm 7.4). Buffers are allocated once.
 */
public final class LbfgsMemory {

    private final int capacity;
    private final double[][] s;
    private final double[][] y;
    private final double[] rho;
    private final double[] alpha;
    private int size;
    private int newest = -1;

    public LbfgsMemory(int capacity, int dimension) {
        this.capacity = capacity;
        this.s = new double[capacity][dimension];
        this.y = new double[capacity][dimension];
        this.rho = new double[capacity];
        this.alpha = new double[capacity];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
        newest = -1;
    }

    /**
     * Stores {@code s = xNew - xOld}, {@code y = gNew - gOld} when the curvature {@code s.y} is clearly
     * positive (otherwise the pair would break positive definiteness and is skipped). Returns whether stored.
     */
    public boolean push(double[] xNew, double[] xOld, double[] gNew, double[] gOld) {
        int slot = (newest + 1) % capacity;
        double[] sv = s[slot];
        double[] yv = y[slot];
        double sy = 0;
        double ss = 0;
        double yy = 0;
        for (int i = 0; i < sv.length; i++) {
            sv[i] = xNew[i] - xOld[i];
            yv[i] = gNew[i] - gOld[i];
            sy += sv[i] * yv[i];
            ss += sv[i] * sv[i];
            yy += yv[i] * yv[i];
        }
        if (!(sy > 1e-10 * Math.sqrt(ss * yy))) {
            return false;
        }
        rho[slot] = 1.0 / sy;
        newest = slot;
        size = Math.min(size + 1, capacity);
        return true;
    }

    /** {@code direction = -H g}, with {@code H} the L-BFGS inverse-Hessian estimate (identity when empty). */
    public void direction(double[] g, double[] direction) {
        int dim = g.length;
        for (int i = 0; i < dim; i++) {
            direction[i] = -g[i];
        }
        int slot = newest;
        for (int c = 0; c < size; c++) {
            double a = rho[slot] * Vectors.dot(s[slot], direction);
            alpha[slot] = a;
            Vectors.addScaled(direction, -a, y[slot], direction);
            slot = (slot - 1 + capacity) % capacity;
        }
        if (size > 0) {
            double gamma = 1.0 / (rho[newest] * Vectors.dot(y[newest], y[newest]));
            for (int i = 0; i < dim; i++) {
                direction[i] *= gamma;
            }
        }
        slot = (newest - size + 1 + capacity) % capacity;
        for (int c = 0; c < size; c++) {
            double b = rho[slot] * Vectors.dot(y[slot], direction);
            Vectors.addScaled(direction, alpha[slot] - b, s[slot], direction);
            slot = (slot + 1) % capacity;
        }
    }
}
