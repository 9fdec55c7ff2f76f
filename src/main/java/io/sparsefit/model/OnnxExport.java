package io.sparsefit.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.sparsefit.core.network.ShallowNetwork;

/**
 * The network as an ONNX model (opset 13, all tensors DOUBLE), built with the generated ONNX protobuf
 * classes that {@code org.tribuo:tribuo-util-onnx} ships and serialized by protobuf-java:
 * <pre>
 *   hidden = Gemm(x, W, -b, transB = 1)      [N, K]   (W is K x d: neuron k computes w_k . x - b_k)
 *   relu   = Relu(hidden)
 *   net    = Gemm(relu, V)                   [N, m]   (V is K x m)
 *   skip   = Gemm(x, C, c0, transB = 1)      [N, m]   (C is m x d, zero when the skip connection is off)
 *   y      = Add(net, skip)
 * </pre>
 * A network without neurons is {@code y = Gemm(x, C, c0)}. Input {@code x} is [N, d], output {@code y}
 * [N, m], N symbolic; the same names as the Open Inference Protocol tensors.
 */
final class OnnxExport {

    static final int OPSET = 13;
    /** IR version 7 is the one that goes with opset 13 (ONNX 1.8). */
    static final long IR_VERSION = 7;

    private OnnxExport() {
    }

    static byte[] export(String modelId, ShallowNetwork net) {
        int d = net.inputDim();
        int m = net.outputDim();
        int k = net.width();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("sparsefit_relu")
                .setDocString("f(x) = V^T relu(W x - b) + C x + c0, fitted by sparsefit (model " + modelId + ")")
                .addInput(tensorInfo("x", d))
                .addOutput(tensorInfo("y", m));
        double[] c = net.skipWeights.data.clone(); // m x d, row-major
        graph.addInitializer(tensor("C", new long[] {m, d}, c));
        graph.addInitializer(tensor("c0", new long[] {m}, net.skipBias.clone()));
        if (k == 0) {
            graph.addNode(gemm("skip_gemm", "x", "C", "c0", "y", true));
        } else {
            double[] negB = new double[k];
            for (int i = 0; i < k; i++) {
                negB[i] = -net.bias[i];
            }
            graph.addInitializer(tensor("W", new long[] {k, d}, net.inputWeights.data.clone()));
            graph.addInitializer(tensor("neg_b", new long[] {k}, negB));
            graph.addInitializer(tensor("V", new long[] {k, m}, net.outputWeights.data.clone()));
            graph.addNode(gemm("hidden_gemm", "x", "W", "neg_b", "hidden", true));
            graph.addNode(NodeProto.newBuilder().setName("hidden_relu").setOpType("Relu").addInput("hidden").addOutput("relu"));
            graph.addNode(gemm("output_gemm", "relu", "V", null, "net", false));
            graph.addNode(gemm("skip_gemm", "x", "C", "c0", "skip", true));
            graph.addNode(NodeProto.newBuilder().setName("sum").setOpType("Add").addInput("net").addInput("skip").addOutput("y"));
        }
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("sparsefit")
                .setProducerVersion("v1")
                .setDomain("io.sparsefit")
                .setModelVersion(1)
                .setDocString("Shallow ReLU network with an affine skip connection, fitted under sparse regularization.")
                .addMetadataProps(StringStringEntryProto.newBuilder().setKey("sparsefit.model_id").setValue(modelId))
                .setGraph(graph)
                .build();
        return model.toByteArray();
    }

    private static NodeProto gemm(String name, String a, String b, String bias, String out, boolean transB) {
        NodeProto.Builder node = NodeProto.newBuilder().setName(name).setOpType("Gemm").addInput(a).addInput(b);
        if (bias != null) {
            node.addInput(bias);
        }
        node.addOutput(out);
        if (transB) {
            node.addAttribute(AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1));
        }
        return node.build();
    }

    private static TensorProto tensor(String name, long[] dims, double[] values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE.getNumber());
        for (long dim : dims) {
            t.addDims(dim);
        }
        for (double v : values) {
            t.addDoubleData(v);
        }
        return t.build();
    }

    private static ValueInfoProto tensorInfo(String name, int columns) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(columns))
                .build();
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.DOUBLE.getNumber()).setShape(shape)))
                .build();
    }
}
