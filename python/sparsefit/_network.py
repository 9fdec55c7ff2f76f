"""The learned network as numpy arrays: read from the model resource and evaluated offline."""
import numpy as np


def network_from_model(model):
    """The model resource (``GET /v1/models/{id}``) as arrays: ``layers`` (each ``activation``,
    ``weights`` (out x in), ``bias``), ``skip`` (``weights`` m x d, ``bias`` m) and, when the service
    gives them, ``neurons`` (``w`` d, ``b``, ``v`` m: ``v * relu(w . x - b)``, ``||w|| = 1``), ``knots`` (``x``,
    ``slopeChange`` m), ``columns`` (the input names) and ``impute`` (per input, what an empty cell
    becomes; NaN: nothing)."""
    layers, width = [], int(model["inputDim"])
    for layer in model["layers"]:  # shapes from the biases: a layer may have zero units
        bias = np.asarray(layer["bias"], dtype=float).reshape(-1)
        weights = np.asarray(layer["weights"], dtype=float).reshape(len(bias), width)
        layers.append({"activation": layer["activation"], "weights": weights, "bias": bias})
        width = len(bias)
    network = {
        "layers": layers,
        "skip": {"weights": np.asarray(model["skip"]["weights"], dtype=float).reshape(model["outputDim"], model["inputDim"]),
                 "bias": np.asarray(model["skip"]["bias"], dtype=float).reshape(-1)},
        "input_dim": int(model["inputDim"]),
        "output_dim": int(model["outputDim"]),
    }
    if model.get("neurons") is not None:
        network["neurons"] = [{"w": np.asarray(n["w"], dtype=float), "b": float(n["b"]),
                               "v": np.asarray(n["v"], dtype=float)} for n in model["neurons"]]
    inputs = model.get("inputs") or []
    if len(inputs) == network["input_dim"] and all(i.get("kind", "numeric") == "numeric" for i in inputs) \
            and any(i.get("impute") is not None for i in inputs):
        # What the service fills an empty cell of each input with (preprocessing.missing = impute_mean).
        network["impute"] = np.array([np.nan if i.get("impute") is None else float(i["impute"]) for i in inputs])
    if model.get("columns") is not None:
        network["columns"] = list(model["columns"])
    if model.get("classes") is not None:  # a classification model: the label of each output
        network["classes"] = list(model["classes"])
    if model.get("knots") is not None:
        network["knots"] = [{"x": float(k["x"]), "slopeChange": np.asarray(k["slopeChange"], dtype=float)}
                            for k in model["knots"]]
    return network


def evaluate(network, X):
    """f(X), N x m: ``h = act(W h + bias)`` layer by layer, then ``+ C x + c0`` (the contract's rule)."""
    X = np.asarray(X, dtype=float)
    h = X
    for layer in network["layers"]:
        h = h @ layer["weights"].T + layer["bias"]
        if layer["activation"] == "relu":
            h = np.maximum(h, 0.0)
        elif layer["activation"] != "linear":
            raise ValueError(f"unknown activation {layer['activation']!r}")
    skip = network["skip"]
    return h + X @ skip["weights"].T + skip["bias"]
