"""scikit-learn estimators for sparse ReLU networks fitted by the sparsefit service.

    import sparsefit
    sparsefit.connect()                       # the service at http://localhost:8080, started if needed
    model = sparsefit.SparseFitRegressor(lam=0.01).fit(X, y)
    model.predict(X_new)                      # offline, from the downloaded network
"""
from ._classifier import SparseFitClassifier
from ._connect import Connection, connect
from ._errors import (AuthenticationError, BusyError, FitCancelledError, FitFailedError, InvalidRequestError, NotFoundError,
                      ServiceError, ServiceUnavailableError, SparseFitError, TooLargeError)
from ._path import RegularizationPath, regularization_path
from ._regressor import SparseFitRegressor

__version__ = "0.1.0"

__all__ = ["SparseFitRegressor", "SparseFitClassifier", "connect", "Connection", "regularization_path",
           "RegularizationPath", "SparseFitError", "AuthenticationError", "ServiceError", "InvalidRequestError", "NotFoundError",
           "TooLargeError", "BusyError", "FitFailedError", "FitCancelledError", "ServiceUnavailableError"]
