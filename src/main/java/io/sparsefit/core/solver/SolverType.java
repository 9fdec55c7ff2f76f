package io.sparsefit.core.solver;

import io.sparsefit.core.penalty.Regularization;
import java.util.Set;

/**
 * The solvers of theory C1-C3, by the names the HTTP contract uses, each with what it can fit declared once
 * ({@link #capabilities()}).
 */
public enum SolverType {
    /**
     * Picked by {@code SparseFit.resolve} from the problem and the solvers' capabilities ({@link #capabilities()}):
     * {@code adam} with mini-batches; {@code lbfgs} for every deep architecture; with a penalty other than
     * {@code none}, {@code lambda > 0} and the skip connection on, {@code exact} or {@code convex} where capable and
     * measured better (the limits are {@code SparseFit}'s {@code AUTO_CONVEX_MAX_*} constants); {@code lbfgs} for
     * everything else. Never {@code prox}. When the width was not given ({@link Architecture#widthCapped} false), a
     * fit that fills its width goes on wider and then as warm {@code convex}: {@code SparseFit.create} returns the
     * composite {@code WidthFreeSolver} for it ({@code SparseFit.widthFree}).
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
    /**
     * Limited-memory BFGS on the full smooth objective: weight decay as it is, the path norm in its smooth variational
     * form, weight decay, which has the same minimum and minimizers (A3), none as it is.
     */
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

    /**
     * What this solver can fit (theory A2b, C1-C3): {@code exact} the squared loss (with weights) in one input and one output;
     * {@code convex}, {@code prox}, {@code lbfgs} and {@code adam} every loss and weights
     * ({@code convex}: its restricted problem is a group lasso with that loss, theory A2b, C2). {@code auto} has none of its own.
     *
     * @throws IllegalStateException for {@code auto}
     */
    public SolverCapabilities capabilities() {
        Set<Regularization> penalties = Set.of(Regularization.WEIGHT_DECAY, Regularization.PATH_NORM);
        Set<Regularization> all = Set.of(Regularization.WEIGHT_DECAY, Regularization.PATH_NORM, Regularization.NONE);
        Set<String> squared = Set.of("squared");
        int any = Integer.MAX_VALUE;
        return switch (this) {
            case AUTO -> throw new IllegalStateException("auto stands for another solver; resolve it first");
            case EXACT -> new SolverCapabilities(squared, true, penalties, false, true, false, 1, 1, false, false);
            case CONVEX -> new SolverCapabilities(SolverCapabilities.ALL_LOSSES, true, penalties, true, true, false, any, any,
                    false, true);
            case PROX -> new SolverCapabilities(SolverCapabilities.ALL_LOSSES, true, all, false, false, false, any, any,
                    false, true);
            case LBFGS -> new SolverCapabilities(SolverCapabilities.ALL_LOSSES, true, all, false, false, true, any, any,
                    false, true);
            case ADAM -> new SolverCapabilities(SolverCapabilities.ALL_LOSSES, true, all, false, false, true, any, any,
                    true, true);
        };
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
