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
import json
import os
import sys

import numpy as np


def dual_point(y, classes):
    onehot = np.eye(classes)[y]
    if classes == 2:
        onehot = onehot[:, 1:]
    return onehot - onehot.mean(axis=0)


def lambda_max_estimate(x, g, directions=3000, seed=0):
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    if d == 1:
        dirs = np.array([[1.0], [-1.0]])
    else:
        dirs = rng.standard_normal((directions, d))
        dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    best = 0.0
    for w in dirs:
        z = x @ w
        order = np.argsort(-z)                         # descending
        zs, gs = z[order], g[order]
        # value at c = z_j: sum over z_i > z_j of g_i (z_i - z_j) = cumsum(g z) - z_j cumsum(g), samples before j
        cg = np.vstack([np.zeros((1, g.shape[1])), np.cumsum(gs, axis=0)[:-1]])
        cgz = np.vstack([np.zeros((1, g.shape[1])), np.cumsum(gs * zs[:, None], axis=0)[:-1]])
        s = np.linalg.norm(cgz - zs[:, None] * cg, axis=1)
        best = max(best, float(s.max()))
    return best


def standardize(a):
    a = np.asarray(a, dtype=float)
    sd = a.std(axis=0)
    sd[sd == 0] = 1.0
    return (a - a.mean(axis=0)) / sd


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
        header = ",".join([f"x{j}" for j in range(x.shape[1])] + ["class"])
        np.savetxt(path, np.hstack([x, y[:, None]]), delimiter=",", header=header, comments="", fmt="%.17g")
        lmax = lambda_max_estimate(x, dual_point(y, classes))
        for f in fractions:
            tasks.append({"task": f"{name}@{f:g}", "data": path, "rows": int(x.shape[0]), "d": int(x.shape[1]),
                          "classes": classes, "loss": "logistic" if classes == 2 else "cross_entropy",
                          "lambda": f * lmax, "fraction": f, "lambdaMaxEstimate": lmax})
    with open(os.path.join(out, "tasks.json"), "w") as fh:
        json.dump(tasks, fh, indent=1)
    with open(os.path.join(out, "tasks.tsv"), "w") as fh:   # for the Java side, which has no JSON parser
        for t in tasks:
            fh.write(f"{t['task']}\t{t['data']}\t{t['rows']}\t{t['d']}\t{t['classes']}\t{t['lambda']!r}\n")
    print(f"{len(tasks)} tasks written to {out}/tasks.json", file=sys.stderr)


if __name__ == "__main__":
    main()
