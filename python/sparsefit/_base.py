"""What the regressor and the classifier share: parameters, the fit over HTTP, the fitted network."""
import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ._connect import client_for
from ._jobs import run_job
from ._missing import check_policy, fill_missing, input_names, table_csv, upload_table
from ._network import evaluate, network_from_model
from ._request import job_request


class SparseFitEstimator(BaseEstimator):
    """Base class; use SparseFitRegressor or SparseFitClassifier."""

    def __init__(self, lam=0.01, penalty="weight_decay", solver="auto", hidden_layers=None, linear_layers=0,
                 skip=True, loss=None, standardize=True, max_iter=None, tol=None, time_limit=None,
                 random_state=None, url=None, api_key=None, verbose=False, name=None, tags=None,
                 missing="error"):
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
        self.name = name
        self.tags = tags
        self.missing = missing

    # ---- fitting -------------------------------------------------------------------------------

    def _fit_on_service(self, X, y_sent, loss_type):
        """Fits X (validated, float) against the JSON-ready targets ``y_sent`` and sets every fitted attribute.
        X goes as it is: with ``standardize`` the service standardizes it (``preprocessing.standardize``) and
        answers with the model in the original units."""
        body = self._request(X, y_sent, loss_type)
        client = client_for(self.url, self.api_key)
        if np.isnan(X).any():  # only with missing != "error" (see _finite); JSON numbers have no empty cell
            del body["data"]
            body["datasetId"] = upload_table(client, X, y_sent)
        fit = run_job(client, "fits", body, self.verbose)
        self.warnings_ = list(fit.get("warnings") or [])
        self._load_model(client, fit["modelId"])
        self.feature_range_ = np.vstack([np.nanmin(X, axis=0), np.nanmax(X, axis=0)])
        return self

    def _load_model(self, client, model_id):
        """Downloads the model (in raw units: its ``preprocessing`` says how the service standardized, a
        fit's or a path point's alike) and its diagnostics."""
        model = client.call("GET", f"/v1/models/{model_id}")
        self.model_id_ = model_id
        self.fit_id_ = model.get("fitId")
        preprocessing = model.get("preprocessing") or {}
        standardized = preprocessing.get("standardize") and preprocessing.get("mean") is not None
        self.x_mean_ = np.asarray(preprocessing["mean"], dtype=float) if standardized else None
        self.x_scale_ = np.asarray(preprocessing["scale"], dtype=float) if standardized else None
        self.network_ = network_from_model(model)
        self.diagnostics_ = client.call("GET", f"/v1/models/{model_id}/diagnostics")
        self.n_iter_ = int(self.diagnostics_.get("iterations") or 0)

    def _request(self, x, y_sent, loss_type):
        """The fit request (api.md, POST /v1/fits) for these parameters; unset ones take the service's defaults."""
        body = job_request(x, y_sent, penalty=self.penalty, lam=self.lam, solver=self.solver,
                           hidden_layers=self.hidden_layers, linear_layers=self.linear_layers, skip=self.skip,
                           max_iter=self.max_iter, tol=self.tol, time_limit=self.time_limit,
                           random_state=self.random_state)
        check_policy(self.missing)
        body["preprocessing"] = {"standardize": bool(self.standardize), "missing": self.missing}
        if loss_type is not None:
            body["loss"] = {"type": loss_type}
        if self.name is not None:
            body["name"] = str(self.name)
        if self.tags is not None:
            if isinstance(self.tags, str):
                raise ValueError(f"tags must be a sequence of strings, got the string {self.tags!r}")
            body["tags"] = [str(tag) for tag in self.tags]
        return body

    # ---- the fitted function -------------------------------------------------------------------

    def _outputs(self, X):
        """The network's outputs at raw X, N x m, evaluated here in numpy (no service needed)."""
        check_is_fitted(self, "network_")
        X = self._validate_data(X, reset=False, dtype=np.float64, force_all_finite=self._finite())
        return evaluate(self.network_, fill_missing(self.network_, X))

    def _outputs_on_service(self, X):
        """The service's answer to ``POST /v1/models/{model_id_}/predict`` at raw X."""
        check_is_fitted(self, "network_")
        X = self._validate_data(X, reset=False, dtype=np.float64, force_all_finite=self._finite())
        client, path = client_for(self.url, self.api_key), f"/v1/models/{self.model_id_}/predict"
        if np.isnan(X).any():  # empty cells, which only a CSV body has; the service fills them (or answers 422)
            return client.call("POST", path, csv=table_csv(self.network_.get("columns") or input_names(X.shape[1]), X))
        return client.call("POST", path, {"x": X.tolist()})

    def _finite(self):
        """check_array's force_all_finite: NaN (a missing value) is let through when ``missing`` handles it."""
        return "allow-nan" if self.missing != "error" else True

    def plot(self, X=None, y=None, output=0, ax=None):
        """Draws the fitted function of a 1-D model (curve, knots, data if given) or a 2-D model (heat map,
        each neuron's line ``w . x = b``, data if given); returns the matplotlib Axes."""
        from ._plot import plot_model
        check_is_fitted(self, "network_")
        return plot_model(self, X, y, output, ax)

    def _more_tags(self):
        return {"multioutput": True, "allow_nan": self.missing != "error"}

