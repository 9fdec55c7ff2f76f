"""scikit-learn's own estimator checks, against the running service: every check of check_estimator
(as one pytest test each), plus the two that scikit-learn applies to its own estimators only
(feature names of DataFrames, n_features_in_ errors)."""
import pytest
from sklearn.utils.estimator_checks import (check_dataframe_column_names_consistency,
                                            check_n_features_in_after_fitting, parametrize_with_checks)

from sparsefit import SparseFitRegressor

# Each check runs several small fits; lbfgs with 8 neurons and 300 iterations keeps each well under a
# second while fitting the checks' data well (check_regressors_train wants R^2 > 0.5). The service's
# defaults (64 neurons, 20000 iterations) are for real data, not for these.
FAST = dict(solver="lbfgs", hidden_layers=(8,), max_iter=300)


@parametrize_with_checks([SparseFitRegressor(**FAST)])
def test_sklearn_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("check", [check_dataframe_column_names_consistency, check_n_features_in_after_fitting])
def test_sklearn_internal_checks(check):
    pytest.importorskip("pandas")  # the DataFrame check needs it; Debian: python3-pandas
    check("SparseFitRegressor", SparseFitRegressor(**FAST))
