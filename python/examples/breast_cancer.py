#!/usr/bin/env python3
"""Classification of scikit-learn's breast cancer data with SparseFitClassifier (logistic loss).

    python3 breast_cancer.py [SERVICE_URL]

Needs a service with classification (the fit request's `loss`, issue 21); against an older one without
it, says so and exits 0.
"""
import sys

from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import sparsefit

sparsefit.connect(sys.argv[1] if len(sys.argv) > 1 else None)
X, y = load_breast_cancer(return_X_y=True)
classifier = make_pipeline(StandardScaler(), sparsefit.SparseFitClassifier(lam=1.0, solver="lbfgs", hidden_layers=(16,),
                                                                           max_iter=500, random_state=0))
try:
    scores = cross_val_score(classifier, X, y, cv=5, error_score="raise")
except sparsefit.InvalidRequestError as e:
    if any(error.get("field", "").startswith("loss") for error in e.errors):
        print(f"breast_cancer.py: SKIPPED, the service does not support classification yet ({e.detail})")
        sys.exit(0)
    raise
print(f"cross-validated accuracy {scores.mean():.3f} (+- {scores.std():.3f})")
assert scores.mean() > 0.9
