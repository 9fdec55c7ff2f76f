package io.sparsefit.core.network;

/** Conversions between the two cases of {@link Network}. */
public final class Networks {

    private Networks() {
    }

    /**
     * {@code network} as a {@link ShallowNetwork}, for code that handles one hidden layer only.
     *
     * @throws IllegalStateException when it is a {@link DeepNetwork}
     */
    public static ShallowNetwork shallow(Network network) {
        if (network instanceof ShallowNetwork s) {
            return s;
        }
        throw new IllegalStateException("a network with " + network.layers().size() + " hidden layers is not a one-layer network");
    }
}
