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
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
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
 * [N, m], N symbolic; the same names as the Open Inference Protocol tensors. A classification model has a second
 * output, {@code probabilities} [N, C] (Softmax of y, or for one logistic output Sigmoid and its complement).
 *
 * <p>A deep network chains one Gemm per hidden layer, {@code h_l = Relu(Gemm(h_{l-1}, W_l, -b_l, transB = 1))}
 * for a ReLU layer and {@code h_l = Gemm(h_{l-1}, W_l, transB = 1)} for a linear one (initializers {@code W_1},
 * {@code neg_b_1}, ...), then {@code net = Gemm(h_L, V)} and the same skip; a network with an empty layer is its skip.
 */
final class OnnxExport {

    static final int OPSET = 13;
    /** IR version 7 is the one that goes with opset 13 (ONNX 1.8). */
    static final long IR_VERSION = 7;

    private OnnxExport() {
    }

    /**
     * The model with metadata properties added ({@code sparsefit.features}: the names of the columns of {@code x}, as a
     * JSON array; {@code sparsefit.columns}, {@code sparsefit.targets}: the table's input and output names).
     */
    static byte[] export(String modelId, Network net, java.util.Map<String, String> metadata) {
        return export(modelId, net, metadata, ModelLoss.DEFAULT);
    }

    /**
     * As {@link #export(String, Network, java.util.Map)}; for a classification {@code loss} a second output
     * {@code probabilities} [N, C] (theory A2b): {@code Softmax(y)} for cross_entropy; for logistic {@code p1 =
     * Sigmoid(y)} and {@code Concat(1 - p1, p1)}, as predict computes them ({@link ClassProbabilities}).
     */
    static byte[] export(String modelId, Network net, java.util.Map<String, String> metadata, ModelLoss loss) {
        try {
            ModelProto.Builder model = ModelProto.parseFrom(export(modelId, net)).toBuilder();
            metadata.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
            if (loss.classification()) {
                addProbabilities(model.getGraphBuilder(), net.outputDim(), loss.classes().count());
            }
            return model.build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] export(String modelId, Network net) {
        return net.oneLayer() != null ? export(modelId, net.oneLayer()) : exportDeep(modelId, net);
    }

    private static byte[] exportDeep(String modelId, Network net) {
        int d = net.inputDim();
        int m = net.outputDim();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("sparsefit_deep_relu")
                .setDocString("f(x) = V^T h_L(x) + C x + c0 with h_l = relu(W_l h_{l-1} - b_l) or W_l h_{l-1}, fitted by sparsefit (model "
                        + modelId + ")")
                .addInput(tensorInfo("x", d))
                .addOutput(tensorInfo("y", m));
        graph.addInitializer(tensor("C", new long[] {m, d}, net.skipWeights().data.clone()));
        graph.addInitializer(tensor("c0", new long[] {m}, net.skipBias().clone()));
        boolean empty = net.layers().stream().anyMatch(layer -> layer.outputs() == 0);
        if (empty) {
            graph.addNode(gemm("skip_gemm", "x", "C", "c0", "y", true));
            return model(modelId, graph, "Deep ReLU network with an affine skip connection, fitted under sparse regularization.");
        }
        String h = "x";
        for (int l = 0; l < net.layers().size(); l++) {
            Layer layer = net.layers().get(l);
            String n = Integer.toString(l + 1);
            graph.addInitializer(tensor("W_" + n, new long[] {layer.outputs(), layer.inputs()}, layer.weights().data.clone()));
            if (layer.kind() == Layer.Kind.RELU) {
                double[] negB = new double[layer.outputs()];
                for (int k = 0; k < negB.length; k++) {
                    negB[k] = -layer.bias()[k];
                }
                graph.addInitializer(tensor("neg_b_" + n, new long[] {negB.length}, negB));
                graph.addNode(gemm("layer_" + n + "_gemm", h, "W_" + n, "neg_b_" + n, "z_" + n, true));
                graph.addNode(NodeProto.newBuilder().setName("layer_" + n + "_relu").setOpType("Relu").addInput("z_" + n).addOutput("h_" + n));
            } else {
                graph.addNode(gemm("layer_" + n + "_gemm", h, "W_" + n, null, "h_" + n, true));
            }
            h = "h_" + n;
        }
        graph.addInitializer(tensor("V", new long[] {net.lastWidth(), m}, net.outputWeights().data.clone()));
        graph.addNode(gemm("output_gemm", h, "V", null, "net", false));
        graph.addNode(gemm("skip_gemm", "x", "C", "c0", "skip", true));
        graph.addNode(NodeProto.newBuilder().setName("sum").setOpType("Add").addInput("net").addInput("skip").addOutput("y"));
        return model(modelId, graph, "Deep ReLU network with an affine skip connection, fitted under sparse regularization.");
    }

    private static byte[] export(String modelId, ShallowNetwork net) {
        int d = net.inputDim();
        int m = net.outputDim();
        int k = net.width();
        GraphProto.Builder graph = GraphProto.newBuilder().setName("sparsefit_relu")
                .setDocString("f(x) = V^T relu(W x - b) + C x + c0, fitted by sparsefit (model " + modelId + ")")
                .addInput(tensorInfo("x", d))
                .addOutput(tensorInfo("y", m));
        double[] c = net.skipWeights().data.clone(); // m x d, row-major
        graph.addInitializer(tensor("C", new long[] {m, d}, c));
        graph.addInitializer(tensor("c0", new long[] {m}, net.skipBias().clone()));
        if (k == 0) {
            graph.addNode(gemm("skip_gemm", "x", "C", "c0", "y", true));
        } else {
            double[] negB = new double[k];
            for (int i = 0; i < k; i++) {
                negB[i] = -net.bias()[i];
            }
            graph.addInitializer(tensor("W", new long[] {k, d}, net.inputWeights().data.clone()));
            graph.addInitializer(tensor("neg_b", new long[] {k}, negB));
            graph.addInitializer(tensor("V", new long[] {k, m}, net.outputWeights().data.clone()));
            graph.addNode(gemm("hidden_gemm", "x", "W", "neg_b", "hidden", true));
            graph.addNode(NodeProto.newBuilder().setName("hidden_relu").setOpType("Relu").addInput("hidden").addOutput("relu"));
            graph.addNode(gemm("output_gemm", "relu", "V", null, "net", false));
            graph.addNode(gemm("skip_gemm", "x", "C", "c0", "skip", true));
            graph.addNode(NodeProto.newBuilder().setName("sum").setOpType("Add").addInput("net").addInput("skip").addOutput("y"));
        }
        return model(modelId, graph, "Shallow ReLU network with an affine skip connection, fitted under sparse regularization.");
    }

    private static void addProbabilities(GraphProto.Builder graph, int outputs, int classes) {
        if (outputs == 1) {
            graph.addInitializer(tensor("one", new long[] {1}, new double[] {1.0}));
            graph.addNode(NodeProto.newBuilder().setName("probability_sigmoid").setOpType("Sigmoid").addInput("y").addOutput("p1"));
            graph.addNode(NodeProto.newBuilder().setName("probability_complement").setOpType("Sub").addInput("one").addInput("p1")
                    .addOutput("p0"));
            graph.addNode(NodeProto.newBuilder().setName("probability_concat").setOpType("Concat").addInput("p0").addInput("p1")
                    .addOutput("probabilities")
                    .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)));
        } else {
            graph.addNode(NodeProto.newBuilder().setName("probability_softmax").setOpType("Softmax").addInput("y")
                    .addOutput("probabilities")
                    .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(1)));
        }
        graph.addOutput(tensorInfo("probabilities", classes));
    }

    private static byte[] model(String modelId, GraphProto.Builder graph, String doc) {
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("sparsefit")
                .setProducerVersion("v1")
                .setDomain("io.sparsefit")
                .setModelVersion(1)
                .setDocString(doc)
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
