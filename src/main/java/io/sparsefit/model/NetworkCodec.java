package io.sparsefit.model;

import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.dataset.MatrixCodec;
import org.ejml.data.DMatrixRMaj;

/** A network's flat parameter vector (core layout {@code [W | b | V | c0 | C]}) as a 1 x P binary matrix. */
final class NetworkCodec {

    private NetworkCodec() {
    }

    static byte[] encode(ShallowNetwork net) {
        double[] p = new double[net.parameterCount()];
        net.getParameters(p);
        return MatrixCodec.encode(p, 1, p.length);
    }

    static ShallowNetwork decode(byte[] bytes, int inputDim, int outputDim, int width, boolean skip) {
        ShallowNetwork net = new ShallowNetwork(inputDim, outputDim, width, skip);
        DMatrixRMaj p = MatrixCodec.decode(bytes);
        net.setParameters(p.data);
        return net;
    }
}
