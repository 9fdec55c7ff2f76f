package io.sparsefit.core.kernel;

/**
 * Kernels on the JDK Vector API ({@code jdk.incubator.vector}, the machine's preferred width up to 512 bits): register
 * blocked micro-kernels of 4 rows x 2 vectors (8 vector accumulators; the input gradient's below 512 bits 2 x 2
 * entries of two vectors each), cache blocked over the output columns, the
 * summation index of the forward product and the rows of the weight gradient; scalar loops for the column tails.
 * The operand the micro-kernels stream is packed into panels of two vectors' width first ({@code w} once per call
 * for the forward product, each {@code dz} block for the weight gradient), so it is read sequentially instead of
 * with a stride of {@code k} doubles (which for power-of-two {@code k} maps every row onto the same cache sets).
 *
 * <p>Never touch this class unless the module is in the boot layer: {@link Kernels} loads it reflectively, so
 * without {@code --add-modules jdk.incubator.vector} it is never loaded or linked. The Vector API types are written
 * fully qualified rather than imported, because {@code CoreIsPlainJavaTest} allows only java.* and EJML imports in
 * the core (the module is part of the JDK; the check could name it).
 *
 * <p>Summation order, fixed for a shape and the same for every vector width from 256 to 512 bits (so a fit gives
 * the same bits run to run and on AVX2 and AVX-512 machines alike): each output entry of the forward and the weight
 * products is one chain of fused multiply-adds in increasing index order (forward: over {@code p}, in blocks of
 * {@value #FORWARD_DEPTH} continued from {@code out}; weight gradient: over rows {@code i} in blocks of {@value
 * #GRADIENT_ROWS} continued from a {@code d x k} buffer, which is then transposed into {@code out}), whether a
 * vector lane or the scalar column tail computes it, so the lane count does not enter (nor in the backward steps
 * through a ReLU, element-wise with the same operations in lanes and tail). The sums that cross lanes
 * are defined on a fixed number of virtual lanes instead of the machine's: the forward product's last columns (past
 * the last multiple of {@value #TILE_GROUP}, whatever the tile width) are dot products over {@code p} on {@code
 * TAIL_LANES} = 16 lanes (lane {@code l} takes {@code p = l mod 16}; two vectors of 8 doubles or four of 4), lanes
 * {@code l} and {@code l + 8} added, those eight sums in lane order, then the scalar tail; the input gradient is a
 * dot product over {@code k} in blocks of {@value #INPUT_COLUMNS}, each on {@code INPUT_LANES} = 8 lanes (one
 * vector of 8 or two of 4) summed in lane order, plus the scalar tail, added to {@code out} (never {@code
 * reduceLanes}, whose order is unspecified). 16 and 8 lanes are two and one 512-bit vectors: the accumulators
 * the AVX-512 kernels had before the order was fixed, so they run as they did; 256-bit vectors take four and two
 * accumulators for them. Below 256 bits (no AVX2) the virtual lanes are fewer (8 and 4 at 128 bits), so those machines'
 * bits may differ; above 512 bits 512-bit vectors are used.
 */
final class VectorKernels extends CheckedKernels {

    /**
     * System property, for tests only: the vector width in bits (e.g. {@code 256}) instead of the preferred one. The
     * species must be a static constant (with a species held in a field the JIT compiles no vector instruction; a
     * dot product ran 9x slower), so a width is chosen once per JVM, at class initialization.
     */
    static final String BITS_PROPERTY = "sparsefit.vector-bits";
    private static final jdk.incubator.vector.VectorSpecies<Double> S = species(System.getProperty(BITS_PROPERTY));
    private static final int L = S.length();
    /** 8 lanes (512 bits): one vector per 8 virtual lanes; else one per {@code L} of them (two or four vectors). */
    private static final boolean WIDE = L >= 8;
    /** Output columns per micro-tile: two vectors. */
    static final int STEP = 2 * L;
    /**
     * Columns of a cache block taken by the micro-tiles: the largest multiple of this, the same at every width (a
     * multiple of {@link #STEP} up to 512 bits), because the tail sums its columns in another order.
     */
    static final int TILE_GROUP = 16;
    /** Virtual lanes of the forward tail's dot products: 16 from 256 bits up (two or four vectors). */
    static final int TAIL_LANES = WIDE ? 2 * L : 4 * L;
    /** Virtual lanes of the input gradient's dot products: 8 from 256 bits up (one or two vectors). */
    static final int INPUT_LANES = WIDE ? L : 2 * L;
    /** Columns of the output per cache block (a multiple of {@link #STEP} for every species up to 2048 bits). */
    static final int COLUMNS = 256;
    /** Summation indices of the forward product per block (rows of the packed {@code w^T} kept in cache). */
    static final int FORWARD_DEPTH = 256;
    /** Rows of {@code dz} and {@code x} per block of the weight gradient. */
    static final int GRADIENT_ROWS = 128;
    /** Columns of {@code dz} per block of the input gradient. */
    static final int INPUT_COLUMNS = 512;
    private static final double[] ZEROS = new double[STEP];

    /**
     * One thread's work buffers (packed panels, the transposed accumulator, lane sums), grown on demand
     * and reused by every later call on that thread: the kernels run once per row block, and allocating (and
     * zeroing) a panel of {@code k x d} doubles each time cost more than packing it. A thread keeps a buffer only up
     * to {@link #RETAINED} doubles; larger ones are allocated per call, so threads that run many kernels (HTTP
     * threads predicting, fit workers) never pin more than a few MiB each.
     */
    private static final class Work {
        static final int PANELS = 0, ACCUMULATOR = 1, GRADIENT_PANEL = 2, TRANSPOSED = 3;
        private final double[][] kept = new double[4][0];
        final double[] lanes = new double[Math.max(TAIL_LANES, 8 * INPUT_LANES)];

        /** A buffer of at least {@code length} doubles for {@code slot} (contents unspecified). */
        double[] get(int slot, int length) {
            double[] buffer = kept[slot];
            if (buffer.length >= length) {
                return buffer;
            }
            buffer = new double[length];
            if (length <= RETAINED) {
                kept[slot] = buffer;
            }
            return buffer;
        }
    }

    /** The most doubles (2 MiB) a thread keeps per work buffer. */
    static final int RETAINED = 1 << 18;

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** Public for {@link Kernels}' reflective construction only. */
    public VectorKernels() {
    }

    /** The species for {@code bits} (tests, {@link #BITS_PROPERTY}), else the preferred one capped at 512 bits. */
    static jdk.incubator.vector.VectorSpecies<Double> species(String bits) {
        if (bits != null && !bits.isBlank()) {
            return jdk.incubator.vector.VectorSpecies.of(double.class,
                    jdk.incubator.vector.VectorShape.forBitSize(Integer.parseInt(bits.trim())));
        }
        var preferred = jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED;
        return preferred.vectorBitSize() > 512 ? jdk.incubator.vector.DoubleVector.SPECIES_512 : preferred;
    }

    @Override
    public String name() {
        return "vector (" + S.vectorBitSize() + "-bit, " + L + " doubles per vector)";
    }

    private static jdk.incubator.vector.DoubleVector load(double[] a, int off) {
        return jdk.incubator.vector.DoubleVector.fromArray(S, a, off);
    }

    private static jdk.incubator.vector.DoubleVector broadcast(double v) {
        return jdk.incubator.vector.DoubleVector.broadcast(S, v);
    }

    // ---------------------------------------------------------------- forward: out = [max(0,] x w^T [- bias)]

    @Override
    void forwardProduct(double[] x, int n, int d, double[] w, int k, double[] bias, double[] out) {
        boolean relu = bias != null;
        if (n == 0 || k == 0) {
            return;
        }
        if (d == 0) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    out[i * k + j] = relu ? Math.max(0.0, 0.0 - bias[j]) : 0.0;
                }
            }
            return;
        }
        // Panels of STEP units: wp[t][p][0..STEP) = w[t * STEP + l, p], read sequentially by the micro-kernels
        // (rows of a plain w^T are k apart; for k a power of two they all fall in the same cache sets).
        Work work = WORK.get();
        int tiled = k / TILE_GROUP * TILE_GROUP;
        double[] wp = panels(w, tiled / STEP, d, work.get(Work.PANELS, tiled * d));
        double[] lanes = work.lanes;
        for (int j0 = 0; j0 < k; j0 += COLUMNS) {
            int j1 = Math.min(k, j0 + COLUMNS);
            int jv = j0 + (j1 - j0) / TILE_GROUP * TILE_GROUP;
            for (int p0 = 0; p0 < d; p0 += FORWARD_DEPTH) {
                int p1 = Math.min(d, p0 + FORWARD_DEPTH);
                boolean first = p0 == 0;
                boolean fuse = relu && p1 == d;
                int i = 0;
                for (; i + 4 <= n; i += 4) {
                    for (int j = j0; j < jv; j += STEP) {
                        forward4(x, d, wp, k, i, j, p0, p1, first, fuse, bias, out);
                    }
                    for (int r = 0; r < 4; r++) {
                        forwardTail(x, d, w, k, i + r, jv, j1, p0, p1, first, fuse, bias, out, lanes);
                    }
                }
                for (; i < n; i++) {
                    for (int j = j0; j < jv; j += STEP) {
                        forward1(x, d, wp, k, i, j, p0, p1, first, fuse, bias, out);
                    }
                    forwardTail(x, d, w, k, i, jv, j1, p0, p1, first, fuse, bias, out, lanes);
                }
            }
        }
    }

    /** {@code wp[t * d * STEP + p * STEP + l] = w[(t * STEP + l) * d + p]} for the first {@code tiles} tiles. */
    private static double[] panels(double[] w, int tiles, int d, double[] wp) {
        for (int t = 0; t < tiles; t++) {
            int base = t * d * STEP;
            for (int l = 0; l < STEP; l++) {
                int row = (t * STEP + l) * d;
                for (int p = 0; p < d; p++) {
                    wp[base + p * STEP + l] = w[row + p];
                }
            }
        }
        return wp;
    }

    private static void forward4(double[] x, int d, double[] wp, int k, int i, int j, int p0, int p1, boolean first,
            boolean fuse, double[] bias, double[] out) {
        int o0 = i * k + j, o1 = o0 + k, o2 = o1 + k, o3 = o2 + k;
        // The first block starts from zeros; choosing the array (not a vector) keeps the accumulators phi-free.
        double[] src = first ? ZEROS : out;
        int s0 = first ? 0 : o0, s1 = first ? 0 : o1, s2 = first ? 0 : o2, s3 = first ? 0 : o3;
        var c00 = load(src, s0);
        var c01 = load(src, s0 + L);
        var c10 = load(src, s1);
        var c11 = load(src, s1 + L);
        var c20 = load(src, s2);
        var c21 = load(src, s2 + L);
        var c30 = load(src, s3);
        var c31 = load(src, s3 + L);
        int a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
        int base = j / STEP * d * STEP;
        for (int p = p0; p < p1; p++) {
            int b = base + p * STEP;
            var w0 = load(wp, b);
            var w1 = load(wp, b + L);
            var x0 = broadcast(x[a0 + p]);
            c00 = x0.fma(w0, c00);
            c01 = x0.fma(w1, c01);
            var x1 = broadcast(x[a1 + p]);
            c10 = x1.fma(w0, c10);
            c11 = x1.fma(w1, c11);
            var x2 = broadcast(x[a2 + p]);
            c20 = x2.fma(w0, c20);
            c21 = x2.fma(w1, c21);
            var x3 = broadcast(x[a3 + p]);
            c30 = x3.fma(w0, c30);
            c31 = x3.fma(w1, c31);
        }
        if (fuse) {
            var zero = jdk.incubator.vector.DoubleVector.zero(S);
            var m0 = load(bias, j);
            var m1 = load(bias, j + L);
            c00.sub(m0).max(zero).intoArray(out, o0);
            c01.sub(m1).max(zero).intoArray(out, o0 + L);
            c10.sub(m0).max(zero).intoArray(out, o1);
            c11.sub(m1).max(zero).intoArray(out, o1 + L);
            c20.sub(m0).max(zero).intoArray(out, o2);
            c21.sub(m1).max(zero).intoArray(out, o2 + L);
            c30.sub(m0).max(zero).intoArray(out, o3);
            c31.sub(m1).max(zero).intoArray(out, o3 + L);
        } else {
            c00.intoArray(out, o0);
            c01.intoArray(out, o0 + L);
            c10.intoArray(out, o1);
            c11.intoArray(out, o1 + L);
            c20.intoArray(out, o2);
            c21.intoArray(out, o2 + L);
            c30.intoArray(out, o3);
            c31.intoArray(out, o3 + L);
        }
    }

    private static void forward1(double[] x, int d, double[] wp, int k, int i, int j, int p0, int p1, boolean first,
            boolean fuse, double[] bias, double[] out) {
        int o0 = i * k + j;
        double[] src = first ? ZEROS : out;
        int s0 = first ? 0 : o0;
        var c0 = load(src, s0);
        var c1 = load(src, s0 + L);
        int a0 = i * d;
        int base = j / STEP * d * STEP;
        for (int p = p0; p < p1; p++) {
            int b = base + p * STEP;
            var x0 = broadcast(x[a0 + p]);
            c0 = x0.fma(load(wp, b), c0);
            c1 = x0.fma(load(wp, b + L), c1);
        }
        if (fuse) {
            var zero = jdk.incubator.vector.DoubleVector.zero(S);
            c0.sub(load(bias, j)).max(zero).intoArray(out, o0);
            c1.sub(load(bias, j + L)).max(zero).intoArray(out, o0 + L);
        } else {
            c0.intoArray(out, o0);
            c1.intoArray(out, o0 + L);
        }
    }

    /**
     * The columns past the last multiple of {@value #TILE_GROUP} (all of them when {@code k < 16}, e.g. a network's
     * read-out {@code h V}): each entry a dot product over {@code p}, vectorized along {@code p} on {@link
     * #TAIL_LANES} virtual lanes (two or four accumulators: a single chain would wait on the FMA latency), lanes
     * {@code l} and {@code l + TAIL_LANES / 2} added, those sums in lane order, then the scalar tail, added to the
     * value of the earlier depth blocks. The same order for 4 and 8 doubles per vector.
     */
    private static void forwardTail(double[] x, int d, double[] w, int k, int i, int j0, int j1, int p0, int p1,
            boolean first, boolean fuse, double[] bias, double[] out, double[] lanes) {
        int a = i * d + p0;
        int len = p1 - p0;
        int lenV = len / TAIL_LANES * TAIL_LANES;
        for (int j = j0; j < j1; j++) {
            int o = i * k + j;
            int b = j * d + p0;
            double s = 0.0;
            if (lenV > 0) {
                // Virtual lanes [0, L), [L, 2L), ... in c0, c1 (and c2, c3 when narrow); WIDE is a constant, so
                // the JIT drops the unused pair.
                var c0 = jdk.incubator.vector.DoubleVector.zero(S);
                var c1 = c0;
                var c2 = c0;
                var c3 = c0;
                for (int p = 0; p < lenV; p += TAIL_LANES) {
                    c0 = load(x, a + p).fma(load(w, b + p), c0);
                    c1 = load(x, a + p + L).fma(load(w, b + p + L), c1);
                    if (!WIDE) {
                        c2 = load(x, a + p + 2 * L).fma(load(w, b + p + 2 * L), c2);
                        c3 = load(x, a + p + 3 * L).fma(load(w, b + p + 3 * L), c3);
                    }
                }
                // lanes[l] = lane l + lane l + TAIL_LANES / 2
                if (WIDE) {
                    c0.add(c1).intoArray(lanes, 0);
                } else {
                    c0.add(c2).intoArray(lanes, 0);
                    c1.add(c3).intoArray(lanes, L);
                }
                for (int l = 0; l < TAIL_LANES / 2; l++) {
                    s += lanes[l];
                }
            }
            for (int p = lenV; p < len; p++) {
                s = Math.fma(x[a + p], w[b + p], s);
            }
            if (!first) {
                s = out[o] + s;
            }
            out[o] = fuse ? Math.max(0.0, s - bias[j]) : s;
        }
    }

    // ---------------------------------------------------------------- weight gradient: out = dz^T x

    @Override
    void weightProduct(double[] dz, int n, int k, double[] x, int d, double[] out, boolean add) {
        // t = x^T dz (d x k), vectorized over k (long) with the d (short) inputs of a row broadcast; then out = t^T.
        Work work = WORK.get();
        double[] t = work.get(Work.ACCUMULATOR, d * k);
        java.util.Arrays.fill(t, 0, d * k, 0.0);
        // The block of dz is copied into panels of STEP columns (panel[tile][i - i0][0..STEP)), read sequentially
        // by the micro-kernels d/4 times: rows of dz are k apart, and for k a power of two they share cache sets.
        double[] panel = work.get(Work.GRADIENT_PANEL, Math.min(n, GRADIENT_ROWS) * Math.min(k / STEP * STEP, COLUMNS));
        for (int j0 = 0; j0 < k; j0 += COLUMNS) {
            int j1 = Math.min(k, j0 + COLUMNS);
            int jv = j0 + (j1 - j0) / STEP * STEP;
            for (int i0 = 0; i0 < n; i0 += GRADIENT_ROWS) {
                int i1 = Math.min(n, i0 + GRADIENT_ROWS);
                int rows = i1 - i0;
                for (int j = j0; j < jv; j += STEP) {
                    int base = (j - j0) * rows;
                    for (int i = i0; i < i1; i++) {
                        int src = i * k + j;
                        int dst = base + (i - i0) * STEP;
                        load(dz, src).intoArray(panel, dst); // two vectors: cheaper than arraycopy's call
                        load(dz, src + L).intoArray(panel, dst + L);
                    }
                }
                // Rows of t four at a time; the last 1-3 rows in one more pass whose missing rows repeat its last row
                // (each repeat computes and stores the same values, and the four accumulator pairs keep the FMA units
                // as busy as a full pass would).
                for (int p = 0; p < d; p += 4) {
                    int last = Math.min(3, d - 1 - p);
                    int q1 = Math.min(1, last), q2 = Math.min(2, last);
                    for (int j = j0; j < jv; j += STEP) {
                        gradient4(panel, (j - j0) * rows, x, d, i0, i1, p, q1, q2, last, j, k, t);
                    }
                    for (int r = 0; r <= last; r++) {
                        gradientTail(dz, k, x, d, i0, i1, p + r, jv, j1, t);
                    }
                }
            }
        }
        for (int j = 0; j < k; j++) {
            int row = j * d;
            if (add) {
                for (int p = 0; p < d; p++) {
                    out[row + p] += t[p * k + j];
                }
            } else {
                for (int p = 0; p < d; p++) {
                    out[row + p] = t[p * k + j];
                }
            }
        }
    }

    /**
     * Rows {@code p, p + q1, p + q2, p + q3} of {@code t}, columns {@code j .. j + STEP}: {@code t += x^T dz} over the
     * block's samples (offsets {@code 0 <= q1 <= q2 <= q3 <= 3}; a repeated row is computed twice, the same way).
     */
    private static void gradient4(double[] panel, int off, double[] x, int d, int i0, int i1, int p, int q1, int q2,
            int q3, int j, int k, double[] t) {
        int t0 = p * k + j, t1 = t0 + q1 * k, t2 = t0 + q2 * k, t3 = t0 + q3 * k;
        var c00 = load(t, t0);
        var c01 = load(t, t0 + L);
        var c10 = load(t, t1);
        var c11 = load(t, t1 + L);
        var c20 = load(t, t2);
        var c21 = load(t, t2 + L);
        var c30 = load(t, t3);
        var c31 = load(t, t3 + L);
        for (int i = i0; i < i1; i++) {
            int g = off + (i - i0) * STEP;
            int a = i * d + p;
            var g0 = load(panel, g);
            var g1 = load(panel, g + L);
            var x0 = broadcast(x[a]);
            c00 = x0.fma(g0, c00);
            c01 = x0.fma(g1, c01);
            var x1 = broadcast(x[a + q1]);
            c10 = x1.fma(g0, c10);
            c11 = x1.fma(g1, c11);
            var x2 = broadcast(x[a + q2]);
            c20 = x2.fma(g0, c20);
            c21 = x2.fma(g1, c21);
            var x3 = broadcast(x[a + q3]);
            c30 = x3.fma(g0, c30);
            c31 = x3.fma(g1, c31);
        }
        c00.intoArray(t, t0);
        c01.intoArray(t, t0 + L);
        c10.intoArray(t, t1);
        c11.intoArray(t, t1 + L);
        c20.intoArray(t, t2);
        c21.intoArray(t, t2 + L);
        c30.intoArray(t, t3);
        c31.intoArray(t, t3 + L);
    }

    private static void gradientTail(double[] dz, int k, double[] x, int d, int i0, int i1, int p, int j0, int j1,
            double[] t) {
        for (int j = j0; j < j1; j++) {
            double s = t[p * k + j];
            for (int i = i0; i < i1; i++) {
                s = Math.fma(x[i * d + p], dz[i * k + j], s);
            }
            t[p * k + j] = s;
        }
    }

    // ---------------------------------------------------------------- input gradient: out = dz w

    @Override
    void inputProduct(double[] dz, int n, int k, double[] w, int d, double[] out) {
        // out[i, p] = dot(dz row i, w^T row p), vectorized over k (long); d is often shorter than two vectors.
        Work work = WORK.get();
        double[] wt = Checks.transpose(w, k, d, work.get(Work.TRANSPOSED, k * d));
        double[] lanes = work.lanes;
        java.util.Arrays.fill(out, 0, n * d, 0.0);
        for (int j0 = 0; j0 < k; j0 += INPUT_COLUMNS) {
            int j1 = Math.min(k, j0 + INPUT_COLUMNS);
            int len = j1 - j0;
            int lenV = len / INPUT_LANES * INPUT_LANES;
            for (int i = 0; i < n; i += 4) {
                int rows = Math.min(4, n - i);
                int aOff = i * k + j0;
                int p = 0;
                if (rows == 4) {
                    for (; p + 2 <= d; p += 2) {
                        if (WIDE) {
                            input4x2(dz, aOff, k, wt, p * k + j0, k, len, lenV, out, i * d + p, d, lanes);
                        } else {
                            // two vectors per entry: 4 x 2 entries would need 16 accumulators (AVX2 has 16 registers)
                            input2x2(dz, aOff, k, wt, p * k + j0, k, len, lenV, out, i * d + p, d, lanes);
                            input2x2(dz, aOff + 2 * k, k, wt, p * k + j0, k, len, lenV, out, (i + 2) * d + p, d,
                                    lanes);
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    for (int q = p; q < d; q++) {
                        out[(i + r) * d + q] += dot(dz, aOff + r * k, wt, q * k + j0, len, lenV, lanes);
                    }
                }
            }
        }
    }

    /** Rows {@code 0..3} x columns {@code 0, 1} from {@code aOff} and {@code b0}, one vector per entry (WIDE). */
    private static void input4x2(double[] a, int aOff, int aStride, double[] wt, int b0, int k, int len, int lenV,
            double[] out, int o0, int d, double[] lanes) {
        int a0 = aOff, a1 = a0 + aStride, a2 = a1 + aStride, a3 = a2 + aStride;
        int b1 = b0 + k;
        var c00 = jdk.incubator.vector.DoubleVector.zero(S);
        var c01 = c00;
        var c10 = c00;
        var c11 = c00;
        var c20 = c00;
        var c21 = c00;
        var c30 = c00;
        var c31 = c00;
        for (int j = 0; j < lenV; j += L) {
            var w0 = load(wt, b0 + j);
            var w1 = load(wt, b1 + j);
            var g0 = load(a, a0 + j);
            c00 = g0.fma(w0, c00);
            c01 = g0.fma(w1, c01);
            var g1 = load(a, a1 + j);
            c10 = g1.fma(w0, c10);
            c11 = g1.fma(w1, c11);
            var g2 = load(a, a2 + j);
            c20 = g2.fma(w0, c20);
            c21 = g2.fma(w1, c21);
            var g3 = load(a, a3 + j);
            c30 = g3.fma(w0, c30);
            c31 = g3.fma(w1, c31);
        }
        // Entry e's lanes at lanes[e * L]: the vectors are stored here, not passed to a method (a vector argument
        // of a call the JIT did not inline is boxed; one such compilation of input2x2 ran 6x slower).
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, L);
        c10.intoArray(lanes, 2 * L);
        c11.intoArray(lanes, 3 * L);
        c20.intoArray(lanes, 4 * L);
        c21.intoArray(lanes, 5 * L);
        c30.intoArray(lanes, 6 * L);
        c31.intoArray(lanes, 7 * L);
        add2x2(lanes, 0, out, o0, d, a, a0, a1, wt, b0, b1, lenV, len);
        add2x2(lanes, 4 * L, out, o0 + 2 * d, d, a, a2, a3, wt, b0, b1, lenV, len);
    }

    /**
     * Rows {@code 0, 1} x columns {@code 0, 1} from {@code aOff} and {@code b0}, two vectors per entry (virtual lanes
     * {@code [0, L)} and {@code [L, 2L)}; not WIDE).
     */
    private static void input2x2(double[] a, int aOff, int aStride, double[] wt, int b0, int k, int len, int lenV,
            double[] out, int o0, int d, double[] lanes) {
        int a0 = aOff, a1 = a0 + aStride;
        int b1 = b0 + k;
        var c00 = jdk.incubator.vector.DoubleVector.zero(S);
        var h00 = c00;
        var c01 = c00;
        var h01 = c00;
        var c10 = c00;
        var h10 = c00;
        var c11 = c00;
        var h11 = c00;
        for (int j = 0; j < lenV; j += INPUT_LANES) {
            var w0 = load(wt, b0 + j);
            var v0 = load(wt, b0 + j + L);
            var w1 = load(wt, b1 + j);
            var v1 = load(wt, b1 + j + L);
            var g0 = load(a, a0 + j);
            var f0 = load(a, a0 + j + L);
            c00 = g0.fma(w0, c00);
            h00 = f0.fma(v0, h00);
            c01 = g0.fma(w1, c01);
            h01 = f0.fma(v1, h01);
            var g1 = load(a, a1 + j);
            var f1 = load(a, a1 + j + L);
            c10 = g1.fma(w0, c10);
            h10 = f1.fma(v0, h10);
            c11 = g1.fma(w1, c11);
            h11 = f1.fma(v1, h11);
        }
        // entry e's virtual lanes at lanes[e * INPUT_LANES], as in input4x2
        c00.intoArray(lanes, 0);
        h00.intoArray(lanes, L);
        c01.intoArray(lanes, 2 * L);
        h01.intoArray(lanes, 3 * L);
        c10.intoArray(lanes, 4 * L);
        h10.intoArray(lanes, 5 * L);
        c11.intoArray(lanes, 6 * L);
        h11.intoArray(lanes, 7 * L);
        add2x2(lanes, 0, out, o0, d, a, a0, a1, wt, b0, b1, lenV, len);
    }

    /**
     * Adds the sums ({@link #finish}) of rows {@code a0, a1} x columns {@code b0, b1} to a 2 x 2 block of {@code out};
     * their virtual lanes are at {@code lanes[at + e * INPUT_LANES]}, entry {@code e} = 0..3 in row-major order.
     */
    private static void add2x2(double[] lanes, int at, double[] out, int o0, int d, double[] a, int a0, int a1,
            double[] wt, int b0, int b1, int lenV, int len) {
        out[o0] += finish(lanes, at, a, a0, wt, b0, lenV, len);
        out[o0 + 1] += finish(lanes, at + INPUT_LANES, a, a0, wt, b1, lenV, len);
        out[o0 + d] += finish(lanes, at + 2 * INPUT_LANES, a, a1, wt, b0, lenV, len);
        out[o0 + d + 1] += finish(lanes, at + 3 * INPUT_LANES, a, a1, wt, b1, lenV, len);
    }

    private static double dot(double[] a, int aOff, double[] wt, int b, int len, int lenV, double[] lanes) {
        var c = jdk.incubator.vector.DoubleVector.zero(S);
        var h = c;
        for (int j = 0; j < lenV; j += INPUT_LANES) {
            c = load(a, aOff + j).fma(load(wt, b + j), c);
            if (!WIDE) {
                h = load(a, aOff + j + L).fma(load(wt, b + j + L), h);
            }
        }
        c.intoArray(lanes, 0);
        if (!WIDE) {
            h.intoArray(lanes, L);
        }
        return finish(lanes, 0, a, aOff, wt, b, lenV, len);
    }

    /**
     * The {@link #INPUT_LANES} virtual lanes at {@code lanes[at]} summed in lane order, then the scalar tail {@code
     * lenV <= j < len}.
     */
    private static double finish(double[] lanes, int at, double[] a, int aOff, double[] wt, int b, int lenV,
            int len) {
        double s = lanes[at];
        for (int l = 1; l < INPUT_LANES; l++) {
            s += lanes[at + l];
        }
        for (int j = lenV; j < len; j++) {
            s = Math.fma(a[aOff + j], wt[b + j], s);
        }
        return s;
    }

    // ---------------------------------------------------------------- read-out backward (shallow networks)

    @Override
    void readoutBackward(double[] h, int n, int k, double[] g, int m, double[] vt, double[] gradVt,
            double[] gradBias) {
        int kv = k / L * L;
        var zero = jdk.incubator.vector.DoubleVector.zero(S);
        for (int r = 0; r < n; r++) {
            int hr = r * k;
            int gr = r * m;
            for (int j = 0; j < kv; j += L) {
                var hv = load(h, hr + j);
                var dz = zero;
                for (int i = 0; i < m; i++) {
                    var gi = broadcast(g[gr + i]);
                    int o = i * k + j;
                    hv.fma(gi, load(gradVt, o)).intoArray(gradVt, o);
                    dz = gi.fma(load(vt, o), dz);
                }
                // relu'(z): keep dz where h > 0, else +0.0 (a blend, not a branch).
                dz = zero.blend(dz, hv.compare(jdk.incubator.vector.VectorOperators.GT, 0.0));
                dz.intoArray(h, hr + j);
                load(gradBias, j).sub(dz).intoArray(gradBias, j);
            }
            for (int j = kv; j < k; j++) {
                double hj = h[hr + j];
                double dz = 0.0;
                for (int i = 0; i < m; i++) {
                    double gi = g[gr + i];
                    int o = i * k + j;
                    gradVt[o] = Math.fma(hj, gi, gradVt[o]);
                    dz = Math.fma(gi, vt[o], dz);
                }
                dz = hj > 0.0 ? dz : 0.0; // the tail: at most L - 1 entries per row
                h[hr + j] = dz;
                gradBias[j] -= dz;
            }
        }
    }

    @Override
    void maskBackward(double[] dz, double[] h, int n, int k, double[] gradBias) {
        int kv = k / L * L;
        var zero = jdk.incubator.vector.DoubleVector.zero(S);
        for (int r = 0; r < n; r++) {
            int row = r * k;
            for (int j = 0; j < kv; j += L) {
                var active = load(h, row + j).compare(jdk.incubator.vector.VectorOperators.GT, 0.0);
                var g = zero.blend(load(dz, row + j), active);
                g.intoArray(dz, row + j);
                load(gradBias, j).sub(g).intoArray(gradBias, j);
            }
            for (int j = kv; j < k; j++) {
                double g = h[row + j] > 0.0 ? dz[row + j] : 0.0;
                dz[row + j] = g;
                gradBias[j] -= g;
            }
        }
    }
}
