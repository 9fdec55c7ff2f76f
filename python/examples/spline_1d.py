#!/usr/bin/env python3
"""One input: weight-decay training is a linear spline with few knots, and the exact solver finds the
global optimum (certified by the duality gap). Choose lambda by cross-validation, then plot.

    python3 spline_1d.py [SERVICE_URL] [OUTPUT_DIR]      (writes spline.png and path.png)
"""
import os
import sys

import numpy as np

import sparsefit

sparsefit.connect(sys.argv[1] if len(sys.argv) > 1 else None)
out = sys.argv[2] if len(sys.argv) > 2 else "."

rng = np.random.RandomState(0)
x = np.sort(rng.uniform(0, 10, 80))
y = np.where(x < 4, 0.5 * x, 2.0 - 0.8 * (x - 4)) + np.where(x > 7, 1.5 * (x - 7), 0) + 0.15 * rng.randn(80)
X = x[:, None]

path = sparsefit.regularization_path(X, y, solver="exact", count=15, folds=5)
print(f"path: {len(path.points)} lambdas from {path.lambda_max:.4g}; best {path.best['lambda']:.4g}, "
      f"one-SE choice {path.chosen['lambda']:.4g}")
model = path.estimator()
certificate = model.diagnostics_["certificate"]
print(f"chosen model: {len(model.network_['knots'])} knots, duality gap {certificate['gap']:.2g} (exact: {certificate['exact']})")
for knot in model.network_["knots"]:
    print(f"  knot at x = {knot['x']:.3f}, slope changes by {knot['slopeChange'][0]:+.3f}")
assert certificate["exact"] and len(model.network_["knots"]) >= 2
assert np.allclose(model.predict(X), model.predict_remote(X), rtol=1e-12, atol=1e-12)

import matplotlib  # noqa: E402  (only needed for the pictures)
matplotlib.use("Agg")
model.plot(X, y).figure.savefig(os.path.join(out, "spline.png"), dpi=100)
path.plot().figure.savefig(os.path.join(out, "path.png"), dpi=100)
print(f"saved {os.path.join(out, 'spline.png')} and {os.path.join(out, 'path.png')}")
