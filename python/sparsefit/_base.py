"""What the regressor and the classifier share: parameters, the fit over HTTP, the fitted network."""
import numbers

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from ._connect import client_for
from ._jobs import run_job
from ._network import evaluate, network_from_model
from ._standardize import fold_standardization, for_service, standardize_with


class SparseFitEstimator(BaseEstimator):
    """Base class; use SparseFitRegressor or SparseFitClassifier."""

    def __init__(self, lam=0.01, penalty="weight_decay", solver="auto", hidden_layers=(64,), linear_layers=0,
                 skip=True, loss=None, standardize=True, max_iter=None, tol=None, time_limit=None,
                 random_state=None, url=None, api_key=None, verbose=False):
        self.lam = lam
        self.penalty = penalty
        self.solver = solver
        self.hidden_layers = hidden_layers
        self.linear_layers = linear_layers
        self.skip = skip
        self.loss = loss
        self.standardize = standardize
        self.max_iter = max_iter
        self.tol = tol
        self.time_limit = time_limit
        self.random_state = random_state
        self.url = url
        self.api_key = api_key
        self.verbose = verbose

    # ---- fitting -------------------------------------------------------------------------------

    def _fit_on_service(self, X, y_sent, loss_type):
        """Fits X (validated, float) against the JSON-ready targets ``y_sent`` and sets every fitted attribute."""
        body_x, mean, scale = for_service(X, self.standardize)
        body = self._request(body_x, y_sent, loss_type)
        client = client_for(self.url, self.api_key)
        fit = run_job(client, "fits", body, self.verbose)
        self._load_model(client, fit["modelId"], mean, scale)
        self.feature_range_ = np.vstack([X.min(axis=0), X.max(axis=0)])
        return self

    def _load_model(self, client, model_id, mean, scale):
        model = client.call("GET", f"/v1/models/{model_id}")
        network = network_from_model(model)
        self.model_id_ = model_id
        self.fit_id_ = model.get("fitId")
        self.x_mean_, self.x_scale_ = mean, scale
        self.network_ = network if mean is None else fold_standardization(network, mean, scale)
        self.diagnostics_ = client.call("GET", f"/v1/models/{model_id}/diagnostics")
        self.n_iter_ = int(self.diagnostics_.get("iterations") or 0)

    def _request(self, x, y_sent, loss_type):
        """The fit request (api.md, POST /v1/fits) for these parameters; unset ones take the service's defaults."""
        solver = {"type": self.solver}
        if self.max_iter is not None:
            solver["maxIter"] = _integer("max_iter", self.max_iter)
        if self.tol is not None:
            solver["tol"] = float(self.tol)
        if self.time_limit is not None:
            solver["timeLimit"] = float(self.time_limit)
        body = {
            "data": {"x": x.tolist(), "y": y_sent},
            "architecture": {"hiddenLayers": _hidden_layers(self.hidden_layers), "skip": bool(self.skip),
                             "linearLayers": _integer("linear_layers", self.linear_layers)},
            "regularization": {"type": self.penalty, "lambda": float(self.lam)},
            "solver": solver,
            "seed": _seed(self.random_state),
        }
        if loss_type is not None:
            body["loss"] = {"type": loss_type}
        return body

    # ---- the fitted function -------------------------------------------------------------------

    def _outputs(self, X):
        """The network's outputs at raw X, N x m, evaluated here in numpy (no service needed)."""
        check_is_fitted(self, "network_")
        X = self._validate_data(X, reset=False, dtype=np.float64)
        return evaluate(self.network_, X)

    def _outputs_on_service(self, X):
        """The service's answer to ``POST /v1/models/{model_id_}/predict`` at raw X (standardized as at fit time)."""
        check_is_fitted(self, "network_")
        X = self._validate_data(X, reset=False, dtype=np.float64)
        body = {"x": standardize_with(X, self.x_mean_, self.x_scale_).tolist()}
        answer = client_for(self.url, self.api_key).call("POST", f"/v1/models/{self.model_id_}/predict", body)
        return answer

    def plot(self, X=None, y=None, output=0, ax=None):
        """Draws the fitted function of a 1-D model (curve, knots, data if given) or a 2-D model (heat map,
        each neuron's line ``w . x = b``, data if given); returns the matplotlib Axes."""
        from ._plot import plot_model
        check_is_fitted(self, "network_")
        return plot_model(self, X, y, output, ax)

    def _more_tags(self):
        return {"multioutput": True}


def _hidden_layers(value):
    if isinstance(value, numbers.Integral):
        value = (value,)
    try:
        layers = [_integer("hidden_layers", v) for v in value]
    except TypeError:
        raise ValueError(f"hidden_layers must be an int or a sequence of ints, got {value!r}") from None
    if not layers:
        raise ValueError("hidden_layers must name at least one layer")
    return layers


def _integer(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return int(value)


def _seed(random_state):
    """The service's seed: the int itself, else one drawn from the RandomState (None: numpy's global one)."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
