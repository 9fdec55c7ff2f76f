#!/usr/bin/python3
"""Writes the bench/peers-classify tasks: CSV data sets (every side reads the same files) and tasks.json / tasks.tsv.

Data: Debian scikit-learn's bundled sets breast cancer (569 x 30, 2 classes), iris (150 x 4, 3), wine (178 x 13, 3),
digits (1797 x 64, 10), inputs standardized (z-scores; constant digit pixels left at 0); two interleaved half-moons
(make_moons, N = 200, noise 0.25, seeded, standardized); a 1-D problem (N = 200, x uniform in [-3, 3], class 1 where
sin(2x) > 0.3, 15% of the labels flipped, seeded). Two classes: the logistic loss (one output, the logit); more:
cross-entropy (one output per class). Targets are class indices 0..C-1.

lambda_max estimate (theory A2b, T6/T8 with the skip's weights decayed): S of the dual point of the best
intercept-only classifier, g = onehot(y) - class frequencies (for logistic: y - mean y),
S(g) = sup_{|u|=1, c} || sum_n g_n relu(u.x_n - c) ||, sampled over random unit directions of the whole sphere (no
mirror symmetry: only the constants are free) with c at every data point; exact in 1-D (both directions). The
lambdas are fractions of it.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_data import sampled_dual_norm, standardize, write_csv, write_tasks  # noqa: E402


def dual_point(y, classes):
    onehot = np.eye(classes)[y]
    if classes == 2:
        onehot = onehot[:, 1:]
    return onehot - onehot.mean(axis=0)


def lambda_max_estimate(x, g, directions=3000, seed=0):
    """S(g) over random unit directions of the whole sphere (both directions in 1-D, where it is exact)."""
    if x.shape[1] == 1:
        dirs = np.array([[1.0], [-1.0]])
    else:
        dirs = np.random.default_rng(seed).standard_normal((directions, x.shape[1]))
        dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    return sampled_dual_norm(x, g, dirs)


def one_dimensional(n=200, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=(n, 1))
    y = (np.sin(2 * x[:, 0]) > 0.3).astype(int)
    flip = rng.random(n) < 0.15
    y[flip] = 1 - y[flip]
    return x, y


def main():
    out = sys.argv[1]
    config = sys.argv[2] if len(sys.argv) > 2 else "default"
    os.makedirs(out, exist_ok=True)
    from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine, make_moons
    sets = []
    x1, y1 = one_dimensional()
    sets.append(("line-1d", x1, y1, [0.01, 0.1]))
    mx, my = make_moons(n_samples=200, noise=0.25, random_state=0)
    sets.append(("moons-2d", standardize(mx), my, [0.01, 0.1]))
    for name, loader in (("iris", load_iris), ("wine", load_wine), ("breast-cancer", load_breast_cancer),
                         ("digits", load_digits)):
        if config == "quick" and name in ("breast-cancer", "digits"):
            continue
        x, y = loader(return_X_y=True)
        sets.append((name, standardize(x), np.asarray(y, dtype=int), [0.01, 0.1]))
    if config == "quick":
        sets = [(n, x, y, f if n == "moons-2d" else [0.1]) for n, x, y, f in sets]

    tasks = []
    for name, x, y, fractions in sets:
        classes = int(y.max()) + 1
        path = os.path.join(out, name + ".csv")
        write_csv(path, x, y[:, None], ["class"])
        lmax = lambda_max_estimate(x, dual_point(y, classes))
        for f in fractions:
            tasks.append({"task": f"{name}@{f:g}", "data": path, "rows": int(x.shape[0]), "d": int(x.shape[1]),
                          "classes": classes, "loss": "logistic" if classes == 2 else "cross_entropy",
                          "lambda": f * lmax, "fraction": f, "lambdaMaxEstimate": lmax})
    write_tasks(out, tasks, lambda t: [t["task"], t["data"], t["rows"], t["d"], t["classes"], repr(t["lambda"])])


if __name__ == "__main__":
    main()
