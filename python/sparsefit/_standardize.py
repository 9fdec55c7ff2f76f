"""Input standardization in the client, for regularization paths only.

The estimators' fits send raw X with ``{"preprocessing": {"standardize": true}}`` and the service
answers with the model in the original units. ``POST /v1/paths`` takes no ``preprocessing``, so
``regularization_path`` standardizes X here (``for_service``, with the service's formula: population
std, a constant column only centred) and folds the map into each point's network
(``fold_standardization``), so that the path's estimators take raw X too.
"""
import numpy as np


def for_service(X, standardize):
    """(X as sent to the service, mean, scale); mean and scale are None without standardization."""
    if not standardize:
        return X, None, None
    mean, scale = standardization(X)
    return standardize_with(X, mean, scale), mean, scale


def standardization(X):
    """Mean and population standard deviation of each column; a constant column gets scale 1 (it is
    only centred), as in sklearn's StandardScaler."""
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale <= 10 * np.finfo(float).eps * np.maximum(np.abs(mean), 1.0)] = 1.0
    return mean, scale


def standardize_with(X, mean, scale):
    """X as the service saw it at fit time (unchanged when mean is None)."""
    if mean is None:
        return np.asarray(X, dtype=float)
    return (np.asarray(X, dtype=float) - mean) / scale


def fold_standardization(network, mean, scale):
    """The same function of raw x for a network fitted on z = (x - mean) / scale: the first layer and
    the skip get ``W / scale`` and ``bias - (W / scale) . mean``; neurons are renormalized to
    ``||w|| = 1`` (amplitude times the norm) and knots moved to ``mean + scale * z``."""
    mean = np.asarray(mean, dtype=float)
    scale = np.asarray(scale, dtype=float)
    folded = dict(network)
    layers = [dict(layer) for layer in network["layers"]]
    first = layers[0]
    weights = first["weights"] / scale
    first["weights"], first["bias"] = weights, first["bias"] - weights @ mean
    folded["layers"] = layers
    skip_weights = network["skip"]["weights"] / scale
    folded["skip"] = {"weights": skip_weights, "bias": network["skip"]["bias"] - skip_weights @ mean}
    if "neurons" in network:
        neurons = []
        for n in network["neurons"]:
            w = n["w"] / scale
            norm = np.linalg.norm(w)
            neurons.append({"w": w / norm, "b": (n["b"] + w @ mean) / norm, "v": n["v"] * norm})
        folded["neurons"] = neurons
    if "knots" in network:
        folded["knots"] = [{"x": float(mean[0] + scale[0] * k["x"]), "slopeChange": k["slopeChange"] / scale[0]}
                           for k in network["knots"]]
    return folded
