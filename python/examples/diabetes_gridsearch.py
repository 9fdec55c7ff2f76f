#!/usr/bin/env python3
"""Choose lambda for a sparse ReLU network on scikit-learn's diabetes data with GridSearchCV.

    python3 diabetes_gridsearch.py [SERVICE_URL]    (default: $SPARSEFIT_URL or http://localhost:8080,
                                                     started from the packaged jar if nothing answers)
"""
import sys

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import sparsefit

sparsefit.connect(sys.argv[1] if len(sys.argv) > 1 else None)
X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

pipeline = Pipeline([("scale", StandardScaler()),
                     ("sparsefitregressor", sparsefit.SparseFitRegressor(solver="lbfgs", hidden_layers=(16,),
                                                                         max_iter=500, random_state=0))])
# The objective sums the squared errors (1/2 sum, not a mean), so lambda grows with N and the
# target's scale: here the useful range is in the hundreds to thousands.
search = GridSearchCV(pipeline, {"sparsefitregressor__lam": [30.0, 100.0, 300.0, 1000.0, 3000.0]}, cv=5)
search.fit(X_train, y_train)
for lam, score in zip(search.cv_results_["param_sparsefitregressor__lam"], search.cv_results_["mean_test_score"]):
    print(f"lambda {lam:8g}: cross-validated R^2 {score:.3f}")
model = search.best_estimator_.named_steps["sparsefitregressor"]
linear = cross_val_score(Pipeline([("scale", StandardScaler()), ("linear", LinearRegression())]), X_train, y_train, cv=5)
print(f"best lambda {search.best_params_['sparsefitregressor__lam']:g}: {model.diagnostics_['activeNeurons']} active "
      f"neurons of {model.diagnostics_['totalNeurons']}, test R^2 {search.score(X_test, y_test):.3f} "
      f"(linear regression: cross-validated {linear.mean():.3f}, test "
      f"{Pipeline([('s', StandardScaler()), ('l', LinearRegression())]).fit(X_train, y_train).score(X_test, y_test):.3f})")
assert search.best_score_ >= linear.mean() - 1e-9, "the network should do at least as well as its affine part alone"
assert np.isfinite(search.score(X_test, y_test))
