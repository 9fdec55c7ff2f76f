"""SparseFitClassifier: sparse ReLU network classification on the sparsefit service (api.md, "Losses")."""
import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from ._base import SparseFitEstimator


class SparseFitClassifier(ClassifierMixin, SparseFitEstimator):
    """Sparse ReLU network classification: the network's outputs are logits (theory.md A2b).

    Parameters are those of SparseFitRegressor, except ``loss``: None picks ``"logistic"`` (one
    output, the logit of ``classes_[1]``) for two classes and ``"cross_entropy"`` (one logit per class,
    softmax) for more; either may be given explicitly.

    The labels are sent as class indices 0..C-1 (``classes_`` maps them back); ``predict_proba``,
    ``decision_function`` and ``predict`` evaluate the downloaded network offline.

    Attributes: those of SparseFitRegressor, plus ``classes_``.
    """

    def fit(self, X, y):
        X, y = self._validate_data(X, y, dtype=np.float64, force_all_finite=self._finite())
        check_classification_targets(y)
        classes, indices = np.unique(y, return_inverse=True)
        if len(classes) < 2:
            raise ValueError(f"the data has 1 class ({classes[0]!r}); a classifier needs at least 2 classes")
        loss = self.loss or ("logistic" if len(classes) == 2 else "cross_entropy")
        if loss not in ("logistic", "cross_entropy"):
            raise ValueError(f"loss must be 'logistic' or 'cross_entropy' for a classifier, got {loss!r}")
        if loss == "logistic" and len(classes) > 2:
            raise ValueError(f"loss 'logistic' takes 2 classes, the data has {len(classes)}; use 'cross_entropy'")
        self._fit_on_service(X, indices.tolist(), loss)
        _outputs_in_index_order(self.network_, len(classes))
        self.classes_ = classes
        self.n_outputs_ = self.network_["output_dim"]
        return self

    def decision_function(self, X):
        """Logits: (n_samples,) for two classes (the log-odds of ``classes_[1]``), else (n_samples, n_classes)."""
        return _decision(self._outputs(X), len(self.classes_))

    def predict_proba(self, X):
        return _probabilities(self._outputs(X))

    def predict_log_proba(self, X):
        return _log_probabilities(self._outputs(X))

    def predict(self, X):
        proba = self.predict_proba(X)  # first: unfitted, it raises NotFittedError (not an AttributeError on classes_)
        return self.classes_[np.argmax(proba, axis=1)]

    def predict_proba_remote(self, X):
        """The service's probabilities (``POST /v1/models/{model_id_}/predict``) for the same X."""
        check_is_fitted(self, "classes_")
        return np.asarray(self._outputs_on_service(X)["probabilities"], dtype=float)

    def _more_tags(self):
        return {"binary_only": False, "multioutput": False}


def _outputs_in_index_order(network, n_classes):
    """Reorders the outputs of a one-logit-per-class model to class index order when the service names
    them (``classes``) in another order, e.g. sorted as text ("10" before "2")."""
    names = network.get("classes")
    if names is None or network["output_dim"] != n_classes or len(names) != n_classes:
        return
    order = [[int(name) for name in names].index(k) for k in range(n_classes)]
    last = network["layers"][-1]
    last["weights"], last["bias"] = last["weights"][order], last["bias"][order]
    skip = network["skip"]
    skip["weights"], skip["bias"] = skip["weights"][order], skip["bias"][order]
    network["classes"] = [names[k] for k in order]


def _decision(logits, n_classes):
    if logits.shape[1] == 1:
        return logits[:, 0]
    if n_classes == 2:  # two logits: their difference is the log-odds
        return logits[:, 1] - logits[:, 0]
    return logits


def _log_probabilities(logits):
    """Log of the logistic (one logit: of classes_[1]) or softmax probabilities, without overflow."""
    if logits.shape[1] == 1:
        z = logits[:, 0]
        return np.column_stack([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)])
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _probabilities(logits):
    return np.exp(_log_probabilities(logits))
