package io.sparsefit.e2e;

import tools.jackson.databind.JsonNode;

/** Lets other test packages evaluate a model's JSON the way the walkthrough test does. */
public final class ReadmeWalkthroughTestAccess {

    private ReadmeWalkthroughTestAccess() {
    }

    public static double[] fromLayers(JsonNode model, double[] x) {
        return ReadmeWalkthroughTest.fromLayers(model, x);
    }

    public static double[] fromNeurons(JsonNode model, double[] x) {
        return ReadmeWalkthroughTest.fromNeurons(model, x);
    }
}
