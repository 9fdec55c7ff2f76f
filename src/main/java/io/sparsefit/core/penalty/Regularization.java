package io.sparsefit.core.penalty;

/** The regularizers of theory A2, by the names the HTTP contract uses. */
public enum Regularization {
    WEIGHT_DECAY("weight_decay"),
    PATH_NORM("path_norm"),
    NONE("none");

    private final String wireName;

    Regularization(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name used in requests and reports, e.g. {@code weight_decay}. */
    public String wireName() {
        return wireName;
    }

    public static Regularization fromWireName(String name) {
        for (Regularization r : values()) {
            if (r.wireName.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown regularization '" + name + "', expected weight_decay, path_norm or none");
    }

    /** The factor in front of R for a requested {@code lambda}: 0 for {@code none} (J is the data fit alone), else lambda. */
    public double lambda(double requested) {
        return this == NONE ? 0.0 : requested;
    }

    /** The penalty term that implements this regularizer. */
    public Penalty penalty() {
        return switch (this) {
            case WEIGHT_DECAY -> WeightDecay.INSTANCE;
            case PATH_NORM -> PathNorm.INSTANCE;
            case NONE -> NoPenalty.INSTANCE;
        };
    }
}
