package io.sparsefit.core.solver;

/** The solvers of theory C1 and C3, by the names the HTTP contract uses. */
public enum SolverType {
    /**
     * Picked by {@code SparseFit.resolve} from the problem's shape; all of it needs a penalty other than {@code none},
     * {@code lambda > 0} and the skip connection on, otherwise {@code lbfgs}. Then: {@code exact} for one input and
     * one output; {@code convex} for one output, at most two inputs and at most {@code SparseFit.AUTO_CONVEX_MAX_ROWS}
     * rows, and for several outputs with one input up to that many rows or with more inputs up to
     * {@code SparseFit.AUTO_CONVEX_MAX_ROWS_MULTI_OUTPUT} rows; {@code lbfgs} for everything else, and for every deep
     * architecture. Never {@code prox} or {@code adam}.
     */
    AUTO("auto"),
    /** Global optimum in one input dimension (theory C1). */
    EXACT("exact"),
    /**
     * Width-free column generation on the infinite-width convex problem (theory A6, C2, T8): chooses the
     * number of neurons itself, certified by the duality gap (exactly for d <= 2).
     */
    CONVEX("convex"),
    /** Proximal path-norm training, PathProx (theory C3). */
    PROX("prox"),
    /** Limited-memory BFGS on the full smooth objective (path norm trained in its weight-decay form, A3). */
    LBFGS("lbfgs"),
    /** Adam on the full objective (penalty inside the loss, not decoupled), optional mini-batches. */
    ADAM("adam");

    private final String wireName;

    SolverType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SolverType fromWireName(String name) {
        for (SolverType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown solver '" + name + "', expected auto, exact, convex, prox, lbfgs or adam");
    }
}
