#!/usr/bin/python3
"""Writes the bench/peers-deep tasks: CSV data sets (both sides read the same files), tasks.json and tasks.tsv.

Planted depth-2 teacher: x uniform in [-1, 1]^d;
  h1 = relu(W1 x - b1), 8 units, rows of W1 unit-normal Gaussian directions, b1 uniform in [-0.5, 0.5];
  h2 = relu(W2 h1 - b2), 4 units, W2 Gaussian / sqrt(8), b2 the median of (W2 h1)_k over the data (each unit
       active on half of it);
  y  = v . h2 (scaled so that it has standard deviation 1) + c . x + 0.1 + 0.05 noise, c Gaussian * 0.3.
Seeded (task seed 1). Every task is run with the student architectures of the configuration (hidden widths, skip on,
no linear layers) and lambda = LAMBDA_PER_ROW * N (weight decay on every weight matrix, theory A2/A8).

Usage: peers_deep_data.py outDir config lambdaPerRow
  config: default (d = 5, N = 2000 and d = 10, N = 5000; students 32x32 and 32x32x32) or quick (d = 5, N = 2000 only)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_data import write_csv, write_tasks  # noqa: E402


def teacher(n, d, seed, noise=0.05):
    rng = np.random.default_rng(7000 + 100 * d + seed)
    x = rng.uniform(-1, 1, size=(n, d))
    w1 = rng.standard_normal((8, d))
    w1 /= np.linalg.norm(w1, axis=1, keepdims=True)
    b1 = rng.uniform(-0.5, 0.5, size=8)
    h1 = np.maximum(x @ w1.T - b1, 0)
    w2 = rng.standard_normal((4, 8)) / np.sqrt(8)
    z2 = h1 @ w2.T
    b2 = np.median(z2, axis=0)
    h2 = np.maximum(z2 - b2, 0)
    v = rng.choice([-1.0, 1.0], size=4) * rng.uniform(0.5, 2.0, size=4)
    g = h2 @ v
    g = (g - g.mean()) / g.std()
    c = rng.standard_normal(d) * 0.3
    y = g + x @ c + 0.1 + noise * rng.standard_normal(n)
    return x, y[:, None]


def main():
    out = sys.argv[1]
    config = sys.argv[2] if len(sys.argv) > 2 else "default"
    per_row = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-3
    os.makedirs(out, exist_ok=True)
    cases = [(5, 2000)] if config == "quick" else [(5, 2000), (10, 5000)]
    students = ["32,32", "32,32,32"]
    tasks = []
    for d, n in cases:
        name = f"teacher2-d{d}-n{n}"
        x, y = teacher(n, d, seed=1)
        path = os.path.join(out, name + ".csv")
        write_csv(path, x, y, ["y0"])
        for widths in students:
            tasks.append({"task": name, "arch": widths.replace(",", "x"), "widths": [int(w) for w in widths.split(",")],
                          "data": path, "rows": n, "d": d, "m": 1, "lambda": per_row * n, "lambdaPerRow": per_row})
    write_tasks(out, tasks, lambda t: [t["task"], t["data"], t["rows"], t["d"], t["m"], repr(t["lambda"]),
                                       ",".join(str(w) for w in t["widths"])])


if __name__ == "__main__":
    main()
