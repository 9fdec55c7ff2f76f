"""The parts of a fit or path request (api.md) that come from the estimator's parameters."""
import numbers

import numpy as np
from sklearn.utils import check_random_state


def job_request(x, y, *, penalty, lam, solver, hidden_layers, linear_layers, skip, max_iter, tol, time_limit,
                random_state):
    """Data, architecture, regularization (without lambda when ``lam`` is None, as a path wants it),
    solver and seed; parameters left at None are left out, so the service's defaults apply. Without
    ``hidden_layers`` the request has no ``architecture.hiddenLayers``: one layer whose training starts at
    64 neurons and which ``auto`` may widen to what the optimum needs; given widths are a cap the fit keeps."""
    solver_spec = {"type": solver}
    if max_iter is not None:
        solver_spec["maxIter"] = integer("max_iter", max_iter)
    if tol is not None:
        solver_spec["tol"] = float(tol)
    if time_limit is not None:
        solver_spec["timeLimit"] = float(time_limit)
    regularization = {"type": penalty}
    if lam is not None:
        regularization["lambda"] = float(lam)
    architecture = {"skip": bool(skip), "linearLayers": integer("linear_layers", linear_layers)}
    if hidden_layers is not None:  # absent: the service starts at 64 neurons and auto may widen (README, fit request defaults)
        architecture["hiddenLayers"] = _hidden_layers(hidden_layers)
    return {
        "data": {"x": x.tolist(), "y": y},
        "architecture": architecture,
        "regularization": regularization,
        "solver": solver_spec,
        "seed": _seed(random_state),
    }


def _hidden_layers(value):
    if isinstance(value, numbers.Integral):
        value = (value,)
    try:
        layers = [integer("hidden_layers", v) for v in value]
    except TypeError:
        raise ValueError(f"hidden_layers must be an int or a sequence of ints, got {value!r}") from None
    if not layers:
        raise ValueError("hidden_layers must name at least one layer")
    return layers


def integer(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return int(value)


def _seed(random_state):
    """The service's seed: the int itself, else one drawn from the RandomState (None: numpy's global one)."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
