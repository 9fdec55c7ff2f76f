#!/usr/bin/python3
"""Writes the bench/peers tasks: CSV data sets (both sides read the same files) and tasks.json.

Configs: default (planted d = 2, 3, 5, 10 at N = 1e3 and 1e4), quick (a subset), before-after (quick plus d = 1
at N = 1e3 and 1e4, the only inputs the exact solver takes); each with diabetes and linnerud. d2-large: planted d = 2
at N = 1e4 alone (lambda 0.05 lambda_max like the other 1e4-row tasks), where auto's exact two-input certificate is
the most expensive. diabetes: diabetes alone, for runs with the service's default budget (no solver.timeLimit: up
to an hour), where auto ends by itself: `BUDGET_SMALL=300 bench/peers auto diabetes`.

Planted networks: x uniform in [-1, 1]^d, y = a few random ReLU neurons + an affine part + Gaussian noise
(seeded). Public data: sklearn's load_diabetes (442 x 10, one output) and load_linnerud (20 x 3, three
outputs), inputs and outputs standardized (z-scores) so that lambdas are comparable across sets.

lambda_max estimate (theory T6/T8): S of the residual r of the least-squares affine fit,
S(r) = sup_{|w|=1, b} || sum_n r_n relu(w.x_n - b) ||, sampled over random unit directions with b at every
data point (a lower bound of the true lambda_max; exact in d = 1). Lambdas are fractions of it.

Also the pieces the other bench data scripts share (peers_classify_data, peers_deep_data, path_cost_data import
them): the sampled dual norm S, standardize, the CSV writer and the tasks.json / tasks.tsv writer.
"""
import json
import os
import sys

import numpy as np


def affine_residual(x, y):
    a = np.hstack([np.ones((x.shape[0], 1)), x])
    beta, *_ = np.linalg.lstsq(a, y, rcond=None)
    return y - a @ beta


def sampled_dual_norm(x, r, directions):
    """S(r) = sup over the given unit directions w and every offset b at a data point of
    || sum_n r_n relu(w.x_n - b) || (theory T8): a lower bound of the sup over the whole sphere, exact in 1-D when the
    directions are +1 and -1. x: N x d, r: N x m, directions: any iterable of unit vectors of length d."""
    best = 0.0
    for w in directions:
        z = x @ w
        order = np.argsort(-z)                         # descending
        zs, rs = z[order], r[order]
        # sum over z_i > z_j of r_i (z_i - z_j) = cumsum(r z) - z_j cumsum(r), over the samples before j
        cr = np.vstack([np.zeros((1, r.shape[1])), np.cumsum(rs, axis=0)[:-1]])
        crz = np.vstack([np.zeros((1, r.shape[1])), np.cumsum(rs * zs[:, None], axis=0)[:-1]])
        s = np.linalg.norm(crz - zs[:, None] * cr, axis=1)
        best = max(best, float(s.max()))
    return best


def lambda_max_estimate(x, y, directions=2000, seed=0):
    rng = np.random.default_rng(seed)

    def random_directions():
        for _ in range(directions):
            w = rng.standard_normal(x.shape[1])
            yield w / np.linalg.norm(w)

    return sampled_dual_norm(x, affine_residual(x, y), random_directions())


def planted(n, d, seed, neurons=4, noise=0.05):
    rng = np.random.default_rng(1000 * d + seed)
    x = rng.uniform(-1, 1, size=(n, d))
    w = rng.standard_normal((neurons, d))
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    b = rng.uniform(-0.5, 0.5, size=neurons)
    v = rng.choice([-1.0, 1.0], size=neurons) * rng.uniform(0.5, 2.0, size=neurons)
    c = rng.standard_normal(d) * 0.3
    y = np.maximum(x @ w.T - b, 0) @ v + x @ c + 0.1 + noise * rng.standard_normal(n)
    return x, y[:, None]


def standardize(a):
    """z-scores per column (a 1-D array becomes one column); a constant column is centred only."""
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        a = a[:, None]
    sd = a.std(axis=0)
    sd[sd == 0] = 1.0
    return (a - a.mean(axis=0)) / sd


def write_csv(path, x, y, y_names):
    """x and the target columns y (N x len(y_names)) to CSV with a header x0, x1, ..., y_names; 17 significant
    digits, so every side reads the same doubles."""
    header = ",".join([f"x{j}" for j in range(x.shape[1])] + list(y_names))
    np.savetxt(path, np.hstack([x, y]), delimiter=",", header=header, comments="", fmt="%.17g")


def write_tasks(out, tasks, tsv_fields):
    """tasks.json, and tasks.tsv for the Java side (which has no JSON parser): one line per task, the fields
    tsv_fields(task) returns, tab-separated."""
    with open(os.path.join(out, "tasks.json"), "w") as fh:
        json.dump(tasks, fh, indent=1)
    with open(os.path.join(out, "tasks.tsv"), "w") as fh:
        for t in tasks:
            fh.write("\t".join(str(v) for v in tsv_fields(t)) + "\n")
    print(f"{len(tasks)} tasks written to {out}/tasks.json", file=sys.stderr)


def main():
    out = sys.argv[1]
    config = sys.argv[2] if len(sys.argv) > 2 else "default"
    os.makedirs(out, exist_ok=True)
    sets = []
    if config == "quick":
        planted_cases = [(2, 1000), (5, 1000), (3, 10000)]
        fractions_small, fractions_large = [0.01, 0.1], [0.05]
    elif config == "before-after":   # quick plus one input (where exact runs), for bench/before-after
        planted_cases = [(1, 1000), (1, 10000), (2, 1000), (5, 1000), (3, 10000)]
        fractions_small, fractions_large = [0.01, 0.1], [0.05]
    elif config == "d2-large":   # two inputs at 10^4 rows alone (issue 20: exact certificate at every size in 2-D)
        planted_cases = [(2, 10000)]
        fractions_small, fractions_large = [], [0.05]
    elif config == "diabetes":   # diabetes alone, for a run with a long budget (the default fit ends by itself)
        planted_cases = []
        fractions_small, fractions_large = [], []
    else:
        planted_cases = [(d, n) for n in (1000, 10000) for d in (2, 3, 5, 10)]
        fractions_small, fractions_large = [0.01, 0.1], [0.05]
    for d, n in planted_cases:
        x, y = planted(n, d, seed=1)
        sets.append((f"planted-d{d}-n{n}", x, y, fractions_small if n <= 2000 else fractions_large))
    if config != "d2-large":
        from sklearn.datasets import load_diabetes
        dx, dy = load_diabetes(return_X_y=True)
        sets.append(("diabetes", standardize(dx), standardize(dy), [0.003, 0.03, 0.3]))
    if config not in ("d2-large", "diabetes"):
        from sklearn.datasets import load_linnerud
        lx, ly = load_linnerud(return_X_y=True)
        sets.append(("linnerud", standardize(lx), standardize(ly), [0.01, 0.1, 0.5]))

    tasks = []
    for name, x, y, fractions in sets:
        path = os.path.join(out, name + ".csv")
        write_csv(path, x, y, [f"y{i}" for i in range(y.shape[1])])
        lmax = lambda_max_estimate(x, y)
        for f in fractions:
            tasks.append({"task": f"{name}@{f:g}", "data": path, "rows": int(x.shape[0]), "d": int(x.shape[1]),
                          "m": int(y.shape[1]), "lambda": f * lmax, "fraction": f, "lambdaMaxEstimate": lmax})
    write_tasks(out, tasks, lambda t: [t["task"], t["data"], t["rows"], t["d"], t["m"], repr(t["lambda"])])


if __name__ == "__main__":
    main()
