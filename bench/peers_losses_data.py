#!/usr/bin/python3
"""Writes the bench/peers-losses tasks: the loss family (theory A2b) beyond plain least squares, one CSV per data set
(every side reads the same file) and, once the core has priced lambda_max, tasks.json / tasks.tsv.

Usage: peers_losses_data.py data OUT    the CSVs and OUT/datasets.tsv (one line per data set, for the Java side's
                                        `LossPeersBenchmark lambda-max`, which writes OUT/lambdamax.tsv)
       peers_losses_data.py tasks OUT   OUT/tasks.json and OUT/tasks.tsv, the fractions of lambda_max turned into
                                        lambdas with OUT/lambdamax.tsv, so that PyTorch and the core use the same numbers

Data sets (seeds fixed):
- diabetes (sklearn's load_diabetes, 442 x 10, inputs and target standardized as bench/peers does): Huber with
  delta = 1, and squared with sample weights exp(U[ln 0.5, ln 2]) (numpy default_rng(0)), each at the absolute
  lambdas 0.0832 and 0.832 (about 0.003 and 0.03 of bench/peers' lambda_max estimate for diabetes);
- logistic, planted: d = 5, N = 800, x uniform in [-1, 1]^5 (standardized); a 20-neuron ReLU teacher plus an affine
  part, label 1 where it is above its median, then 10 % of the labels flipped; lambda 0.001 and 0.01 lambda_max;
- three outputs, planted: d = 5, N = 600, x as above; a 40-neuron teacher with three outputs plus an affine part plus
  Gaussian noise (0.1 of each output's spread), each output standardized; lambda 0.001 and 0.01 lambda_max;
- digits (sklearn's load_digits): every 2nd of the first 1,800 rows (N = 900, d = 64, 10 classes), inputs standardized
  (constant pixels centred only), cross-entropy at 0.003 lambda_max.
lambda_max is the core's (DiagnosticsCalculator.lambdaMax, theory A2b/T6/T8: the dual norm of the best affine fit's
dual point; for a classification loss of the best intercept-only fit), not an estimate made here.

CSV columns: x0..x{d-1}, the targets (y0.. or `class`), then `w` when the data set is weighted.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_data import standardize, write_csv, write_tasks  # noqa: E402

# Per data set: name, then its tasks as (kind, value): ("lambda", absolute) or ("fraction", of lambda_max).
TASKS = {
    "diabetes-huber": [("lambda", 0.0832), ("lambda", 0.832)],
    "diabetes-weighted": [("lambda", 0.0832), ("lambda", 0.832)],
    "logistic-d5": [("fraction", 0.001), ("fraction", 0.01)],
    "outputs3-d5": [("fraction", 0.001), ("fraction", 0.01)],
    "digits-900": [("fraction", 0.003)],
}
DATASET_FIELDS = ["name", "data", "rows", "d", "targets", "loss", "delta", "classes", "weighted"]


def teacher(x, neurons, outputs, rng):
    """A random shallow ReLU network (theory A1) on x: unit directions, offsets in [-0.5, 0.5], output weights N(0, 1),
    plus an affine part; N x outputs."""
    d = x.shape[1]
    w = rng.standard_normal((neurons, d))
    w /= np.linalg.norm(w, axis=1, keepdims=True)
    b = rng.uniform(-0.5, 0.5, size=neurons)
    v = rng.standard_normal((neurons, outputs))
    c = 0.3 * rng.standard_normal((d, outputs))
    return np.maximum(x @ w.T - b, 0) @ v + x @ c


def datasets():
    """[(name, x, targets (N x t), loss, delta, classes, weights or None)]."""
    from sklearn.datasets import load_diabetes, load_digits
    dx, dy = load_diabetes(return_X_y=True)
    dx, dy = standardize(dx), standardize(dy)
    weights = np.exp(np.random.default_rng(0).uniform(np.log(0.5), np.log(2.0), size=dx.shape[0]))

    rng = np.random.default_rng(5)
    lx = rng.uniform(-1, 1, size=(800, 5))
    score = teacher(lx, 20, 1, rng)[:, 0]
    labels = (score > np.median(score)).astype(float)
    flip = rng.permutation(800)[:80]
    labels[flip] = 1 - labels[flip]

    rng = np.random.default_rng(6)
    ox = rng.uniform(-1, 1, size=(600, 5))
    clean = teacher(ox, 40, 3, rng)
    oy = clean + 0.1 * clean.std(axis=0) * rng.standard_normal(clean.shape)

    gx, gy = load_digits(return_X_y=True)
    gx, gy = gx[:1800:2], gy[:1800:2]
    return [
        ("diabetes-huber", dx, dy, "huber", 1.0, 0, None),
        ("diabetes-weighted", dx, dy, "squared", 1.0, 0, weights),
        ("logistic-d5", standardize(lx), labels[:, None], "logistic", 1.0, 2, None),
        ("outputs3-d5", standardize(ox), standardize(oy), "squared", 1.0, 0, None),
        ("digits-900", standardize(gx), gy[:, None].astype(float), "cross_entropy", 1.0, 10, None),
    ]


def write_data(out):
    os.makedirs(out, exist_ok=True)
    lines = []
    for name, x, y, loss, delta, classes, weights in datasets():
        path = os.path.join(out, name + ".csv")
        names = ["class"] if classes else [f"y{i}" for i in range(y.shape[1])]
        columns = y if weights is None else np.hstack([y, weights[:, None]])
        write_csv(path, x, columns, names + ([] if weights is None else ["w"]))
        lines.append([name, path, x.shape[0], x.shape[1], y.shape[1], loss, repr(delta), classes,
                      "true" if weights is not None else "false"])
    with open(os.path.join(out, "datasets.tsv"), "w") as fh:
        for line in lines:
            fh.write("\t".join(str(v) for v in line) + "\n")
    print(f"{len(lines)} data sets written to {out}/datasets.tsv", file=sys.stderr)


def write_task_files(out):
    lmax = {}
    with open(os.path.join(out, "lambdamax.tsv")) as fh:
        for line in fh:
            if line.strip():
                name, value = line.rstrip("\n").split("\t")
                lmax[name] = float(value)
    tasks = []
    with open(os.path.join(out, "datasets.tsv")) as fh:
        for line in fh:
            if not line.strip():
                continue
            fields = dict(zip(DATASET_FIELDS, line.rstrip("\n").split("\t")))
            for kind, value in TASKS[fields["name"]]:
                lam = value if kind == "lambda" else value * lmax[fields["name"]]
                label = f"{value:g}" if kind == "lambda" else f"{value:g}lmax"
                tasks.append({"task": f"{fields['name']}@{label}", "data": fields["data"], "rows": int(fields["rows"]),
                              "d": int(fields["d"]), "targets": int(fields["targets"]), "loss": fields["loss"],
                              "delta": float(fields["delta"]), "classes": int(fields["classes"]),
                              "weighted": fields["weighted"] == "true", "lambda": lam,
                              "fraction": value if kind == "fraction" else None, "lambdaMax": lmax[fields["name"]]})
    write_tasks(out, tasks, lambda t: [t["task"], t["data"], t["rows"], t["d"], t["targets"], t["loss"],
                                       repr(t["delta"]), t["classes"], "true" if t["weighted"] else "false",
                                       repr(t["lambda"])])


def main():
    step, out = sys.argv[1], sys.argv[2]
    if step == "data":
        write_data(out)
    elif step == "tasks":
        write_task_files(out)
    else:
        raise SystemExit("usage: peers_losses_data.py data|tasks OUT")


if __name__ == "__main__":
    main()
