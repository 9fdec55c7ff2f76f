"""SparseFitRegressor: a sparse ReLU network fitted by the sparsefit service, as a scikit-learn regressor."""
import numpy as np
from sklearn.base import RegressorMixin

from ._base import SparseFitEstimator


class SparseFitRegressor(RegressorMixin, SparseFitEstimator):
    """Sparse ReLU network regression (weight decay = path norm = Radon-domain TV; docs/theory.md).

    The fit runs on the sparsefit service (``url``, default: the ``sparsefit.connect()`` connection or
    ``$SPARSEFIT_URL`` or http://localhost:8080); the learned network is downloaded, so ``predict``
    runs offline in numpy and a fitted estimator pickles.

    Parameters
    ----------
    lam : float, default=0.01
        Regularization strength lambda (``regularization.lambda``), on standardized inputs when
        ``standardize``.
    penalty : {"weight_decay", "path_norm", "none"}, default="weight_decay"
    solver : {"auto", "exact", "convex", "prox", "lbfgs", "adam"}, default="auto"
    hidden_layers : None, int or tuple of int, default=None
        Widths of the hidden ReLU layers (``architecture.hiddenLayers``), a cap the fit keeps (the exact and convex
        solvers choose the width themselves). None sends no width: one layer whose training starts at 64 neurons
        and which ``auto`` may widen to as many as the optimum needs (README, fit request defaults).
    linear_layers : int, default=0
        Linear layers in front of each ReLU layer.
    skip : bool, default=True
        Train the unpenalized affine part ``C x``.
    loss : None or "squared" or "huber", default=None
        None is the service's default, squared error; any other value is sent as ``loss.type``.
    standardize : bool, default=True
        Sent as ``preprocessing.standardize``: the service solves on standardized inputs (population mean
        and std; constant columns only centred) and reports the model in raw units, so predict takes raw X.
    max_iter, tol, time_limit : int, float, float or None, default=None
        Solver iteration limit, tolerance and wall-clock budget in seconds; None takes the service's
        default (20000, 1e-9, the configured maximum).
    random_state : int, RandomState or None, default=None
        The fit's seed; equal seeds give bit-identical networks.
    url, api_key : str or None
        The service and its key; None uses the current connection.
    verbose : bool, default=False
        Print progress (iteration, objective, duality gap) as it arrives.
    missing : {"error", "drop_rows", "impute_mean"}, default="error"
        Sent as ``preprocessing.missing``: what a NaN in X (a missing value) becomes. "error": X must be
        finite. "drop_rows": rows with a NaN are left out of the fit. "impute_mean": a NaN becomes its
        column's training mean, stored with the model and applied by ``predict`` too. X with NaN goes to
        the service as a CSV dataset (JSON numbers have no empty cell).
    name : str or None, default=None
    tags : list of str or None, default=None
        Labels of the fit and its model (``FitRequest.name``, ``tags``; ``GET /v1/models?name=&tag=``).

    Attributes
    ----------
    model_id_, fit_id_ : str
    n_features_in_ : int
    feature_names_in_ : ndarray of str (when X had column names)
    n_outputs_ : int
    network_ : dict
        ``layers`` (each ``activation``, ``weights``, ``bias``) + ``skip`` (``weights``, ``bias``),
        in raw input units; for one hidden layer also ``neurons`` (``v * relu(w . x - b)``,
        ``||w|| = 1``) and, for one input, ``knots`` (``x``, ``slopeChange``).
    diagnostics_ : dict
        The model's diagnostics (objective, pathNorm, activeNeurons, ``certificate`` {gap,
        dualObjective, exact, gapBound}, lossCurve, ...), in the standardized units the fit used.
    n_iter_ : int
    x_mean_, x_scale_ : ndarray or None
        The service's standardization (the model's ``preprocessing.mean``, ``scale``; None without it).
    warnings_ : list of str
        The fit's warnings (e.g. input scales more than 100x apart with ``standardize=False``).
    feature_range_ : ndarray (2, n_features)
        Smallest and largest training input per feature (for plots).
    """

    def fit(self, X, y):
        """Fits the network to X (n_samples, n_features) and y (n_samples,) or (n_samples, n_outputs)."""
        X, y = self._validate_data(X, y, dtype=np.float64, y_numeric=True, multi_output=True,
                                   force_all_finite=self._finite())
        y = y.astype(np.float64)
        self._single_output = y.ndim == 1
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        loss = None if self.loss in (None, "squared") else self.loss
        return self._fit_on_service(X, y.reshape(len(y), -1).tolist(), loss)

    def predict(self, X):
        """Predictions of the downloaded network, computed here (offline)."""
        y = self._outputs(X)
        return y.ravel() if self._single_output else y

    def predict_remote(self, X):
        """The same predictions asked of the service (``POST /v1/models/{model_id_}/predict``)."""
        y = np.asarray(self._outputs_on_service(X)["y"], dtype=float)
        return y.ravel() if self._single_output else y
