"""``regularization_path()``: a path of lambdas over ``POST /v1/paths``, cross-validated on the service."""
import numpy as np
from sklearn.utils.validation import check_X_y

from ._connect import client_for
from ._jobs import run_job
from ._request import integer, job_request


class RegularizationPath:
    """A finished path (``GET /v1/paths/{id}``).

    ``resource`` is the service's answer as is; ``lambdas``, ``validation_mse``, ``validation_se``,
    ``train_mse``, ``active_neurons`` and ``knot_count`` are arrays over its points (descending
    lambda); ``best``, ``oneSe`` and ``chosen`` are the choices (``{lambda, modelId, index}``);
    ``lambda_max``; ``breakpoints`` (exact solver).
    """

    def __init__(self, resource, settings, feature_range, url, api_key):
        self.resource = resource
        self.id = resource["id"]
        self.points = resource["points"]
        self.lambda_max = resource.get("lambdaMax")
        self.best = resource.get("best")
        self.oneSe = resource.get("oneSe")
        self.chosen = resource.get("chosen")
        self.breakpoints = resource.get("breakpoints") or []
        self.lambdas = np.array([p["lambda"] for p in self.points], dtype=float)
        self.train_mse = np.array([_number(p.get("trainMse")) for p in self.points], dtype=float)
        self.validation_mse = np.array([_number((p.get("validationMse") or {}).get("mean")) for p in self.points])
        self.validation_se = np.array([_number((p.get("validationMse") or {}).get("standardError")) for p in self.points])
        self.active_neurons = np.array([p.get("activeNeurons") or 0 for p in self.points])
        self.knot_count = np.array([_number(p.get("knotCount")) for p in self.points])
        self._settings, self._feature_range = settings, feature_range
        self._url, self._api_key = url, api_key

    def estimator(self, which="chosen"):
        """The fitted SparseFitRegressor of one point: ``"chosen"``, ``"best"``, ``"oneSe"`` or an index."""
        from ._regressor import SparseFitRegressor
        index = which if isinstance(which, (int, np.integer)) else getattr(self, which)["index"]
        point = self.points[index]
        estimator = SparseFitRegressor(lam=point["lambda"], url=self._url, api_key=self._api_key, **self._settings)
        estimator._load_model(client_for(self._url, self._api_key), point["modelId"])
        estimator._single_output = estimator.network_["output_dim"] == 1
        estimator.n_outputs_ = estimator.network_["output_dim"]
        estimator.n_features_in_ = estimator.network_["input_dim"]
        estimator.feature_range_ = self._feature_range
        return estimator

    def plot(self, ax=None):
        """Validation error (± one standard error) and training error against lambda (log scale), with
        ``best`` and ``oneSe`` marked; returns the matplotlib Axes."""
        from ._plot import plot_path
        return plot_path(self, ax)

    def __repr__(self):
        chosen = self.chosen or {}
        return f"RegularizationPath({len(self.points)} points, chosen lambda {chosen.get('lambda')})"


def regularization_path(X, y, *, lambdas=None, count=20, min_ratio=1e-3, folds=5, fraction=None, choice="oneSe",
                        penalty="weight_decay", solver="auto", hidden_layers=None, linear_layers=0, skip=True,
                        standardize=True, max_iter=None, tol=None, time_limit=None, random_state=0,
                        url=None, api_key=None, verbose=False):
    """Fits a path of lambdas on the service (``POST /v1/paths``): ``lambdas`` as given, or ``count``
    log-spaced from lambda_max down to ``min_ratio * lambda_max``; each validated by ``folds``-fold
    cross-validation (or one hold-out ``fraction``); ``choice`` names the point ``chosen`` takes.
    Inputs are standardized as by the estimators (``standardize``): the service does it
    (``preprocessing.standardize``) and answers every point's model in the original units, so X goes
    raw. Returns a RegularizationPath."""
    X, y = check_X_y(X, y, dtype=np.float64, y_numeric=True, multi_output=True)
    body = job_request(X, y.reshape(len(y), -1).tolist(), penalty=penalty, lam=None, solver=solver,
                       hidden_layers=hidden_layers, linear_layers=linear_layers, skip=skip, max_iter=max_iter,
                       tol=tol, time_limit=time_limit, random_state=random_state)
    body.update({
        "preprocessing": {"standardize": bool(standardize)},
        "validation": {"fraction": float(fraction)} if fraction is not None else {"folds": integer("folds", folds)},
        "choice": choice,
    })
    if lambdas is not None:
        body["lambdas"] = [float(v) for v in lambdas]
    else:
        body["grid"] = {"count": integer("count", count), "minRatio": float(min_ratio)}
    resource = run_job(client_for(url, api_key), "paths", body, verbose)
    settings = dict(penalty=penalty, solver=solver, hidden_layers=hidden_layers, linear_layers=linear_layers,
                    skip=skip, standardize=standardize, max_iter=max_iter, tol=tol, time_limit=time_limit,
                    random_state=random_state)
    return RegularizationPath(resource, settings, np.vstack([X.min(axis=0), X.max(axis=0)]), url, api_key)


def _number(value):
    return np.nan if value is None else float(value)
