package io.sparsefit.core.solver;

/** The solvers of theory C1 and C3, by the names the HTTP contract uses. */
public enum SolverType {
    /**
     * {@code exact} for one input and one output with the skip connection on and a penalty other than
     * {@code none}, otherwise {@code prox} (see {@code SparseFit.resolve}).
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
