package io.sparsefit.model;

import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
import io.sparsefit.dataset.MatrixCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * A stored network: its flat parameter vector (the core layout of {@link Network}, layer by layer
 * {@code [W_l | b_l]}, then {@code [V | c0 | C]}) as a 1 x P binary matrix, and its layer list as text
 * ({@code model.layers}: {@code "kind:outputs"} items joined by commas, first layer first).
 * One ReLU layer decodes to a network whose {@link Network#oneLayer()} view gives one-layer models their canonical
 * neurons and knots.
 */
final class NetworkCodec {

    private NetworkCodec() {
    }

    static byte[] encode(Network net) {
        double[] p = new double[net.parameterCount()];
        net.getParameters(p);
        return MatrixCodec.encode(p, 1, p.length);
    }

    /** The {@code model.layers} text of {@code net}, e.g. {@code "linear:10,relu:32,relu:16"}. */
    static String layers(Network net) {
        StringBuilder text = new StringBuilder();
        for (Layer layer : net.layers()) {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(layer.kind().wireName()).append(':').append(layer.outputs());
        }
        return text.toString();
    }

    static Network decode(byte[] bytes, int inputDim, int outputDim, String layers, boolean skip) {
        List<Layer> shapes = zeroLayers(layers, inputDim);
        Network net = new Network(inputDim, outputDim, skip, shapes, new DMatrixRMaj(shapes.get(shapes.size() - 1).outputs(),
                outputDim), new DMatrixRMaj(outputDim, inputDim), new double[outputDim]);
        DMatrixRMaj p = MatrixCodec.decode(bytes);
        if (p.data.length != net.parameterCount()) {
            throw new IllegalStateException("stored parameters (" + p.data.length + ") do not match the layers '" + layers
                    + "' (" + net.parameterCount() + ")");
        }
        net.setParameters(p.data);
        return net;
    }

    /** The layer list {@code layers} names, as the API shows it. */
    static List<ModelViews.LayerShape> shapes(String layers) {
        List<ModelViews.LayerShape> shapes = new ArrayList<>();
        for (String item : layers.split(",")) {
            int colon = item.indexOf(':');
            shapes.add(new ModelViews.LayerShape(item.substring(0, colon), Integer.parseInt(item.substring(colon + 1))));
        }
        return shapes;
    }

    /** Zero layers of the shapes {@code layers} names, chained from {@code inputDim} inputs. */
    private static List<Layer> zeroLayers(String layers, int inputDim) {
        List<Layer> zeros = new ArrayList<>();
        int inputs = inputDim;
        for (ModelViews.LayerShape shape : shapes(layers)) {
            zeros.add(Layer.zeros(Layer.Kind.valueOf(shape.activation().toUpperCase(Locale.ROOT)), shape.units(), inputs));
            inputs = shape.units();
        }
        return zeros;
    }
}
