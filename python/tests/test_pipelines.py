"""The estimator in scikit-learn's model selection: GridSearchCV over lambda in a Pipeline on the
diabetes data that Debian's scikit-learn ships."""
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sparsefit import SparseFitRegressor

# 16 neurons, 500 lbfgs iterations: about half a second per fit of 350 rows x 10 inputs.
SETTINGS = dict(solver="lbfgs", hidden_layers=(16,), max_iter=500, random_state=0)
# The objective is 1/2 sum of squared errors + lambda R (not a mean), so on targets of size ~150 the
# useful lambdas are large; 1e5 is above lambda_max on every fold: no neurons, the least-squares affine fit.
LAMBDAS = [10.0, 1000.0, 1e5]


def test_gridsearch_over_lambda_in_a_pipeline():
    X, y = load_diabetes(return_X_y=True)
    pipeline = Pipeline([("scale", StandardScaler()), ("sparsefitregressor", SparseFitRegressor(**SETTINGS))])
    search = GridSearchCV(pipeline, {"sparsefitregressor__lam": LAMBDAS}, cv=5).fit(X, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == len(LAMBDAS) and np.all(np.isfinite(scores))
    assert search.best_params_["sparsefitregressor__lam"] == LAMBDAS[int(np.argmax(scores))]
    # Above lambda_max the network is the affine least-squares fit (theory T6): the same scores as
    # scikit-learn's LinearRegression in the same pipeline and folds.
    linear = cross_val_score(Pipeline([("scale", StandardScaler()), ("linear", LinearRegression())]), X, y, cv=5)
    np.testing.assert_allclose(search.cv_results_["mean_test_score"][2], linear.mean(), rtol=1e-8)
    assert search.best_estimator_.named_steps["sparsefitregressor"].diagnostics_["activeNeurons"] > 0
    assert search.best_score_ > linear.mean(), (search.best_score_, linear.mean())
    # The refitted pipeline is an ordinary fitted estimator: its score is the R^2 computed here.
    prediction = search.predict(X)
    r2 = 1 - np.sum((y - prediction) ** 2) / np.sum((y - y.mean()) ** 2)
    np.testing.assert_allclose(search.score(X, y), r2, rtol=1e-12)
    fitted = search.best_estimator_.named_steps["sparsefitregressor"]
    scaled = search.best_estimator_.named_steps["scale"].transform(X)
    np.testing.assert_allclose(fitted.predict(scaled), fitted.predict_remote(scaled), rtol=1e-12, atol=1e-9)


def test_cross_val_score_in_worker_processes_matches_a_hand_written_loop():
    X, y = load_diabetes(return_X_y=True)
    X, y = X[:200], y[:200]
    folds = KFold(3)
    # n_jobs=2: the folds are fitted in joblib's worker processes, which find the service too.
    scores = cross_val_score(SparseFitRegressor(lam=1000.0, **SETTINGS), X, y, cv=folds, n_jobs=2)
    by_hand = []
    for train, test in folds.split(X):
        model = SparseFitRegressor(lam=1000.0, **SETTINGS).fit(X[train], y[train])
        by_hand.append(1 - np.sum((y[test] - model.predict(X[test])) ** 2) / np.sum((y[test] - y[test].mean()) ** 2))
    np.testing.assert_allclose(scores, by_hand, rtol=1e-12)
