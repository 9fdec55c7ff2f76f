#!/usr/bin/python3
"""The sparsefit side of bench/peers-classify over HTTP: for every task, its CSV's data uploaded once as JSON
(POST /v1/datasets: x, and y as the integer class indices, so the dataset's classes are 0..C-1), then per solver one
fit (POST /v1/fits: the task's loss, weight decay at the task's lambda, skip on, seed 0, no standardization since the
data are z-scores already, every other setting at its default, as the core side's FitSettings.defaults), polled every
50 ms until it ends (bench/peers_http.py's run_fit and fit_result: the trace is the fit's live progress objective,
time-stamped here from the POST). The budget is the fit's solver.timeLimit, as the core side's deadline token: a fit
that reaches it ends SUCCEEDED with stopReason TIME_LIMIT, finished and certified; one still running at 5 x budget +
30 s (the service looks at its deadline between solver steps, as the core does) is cancelled (DELETE) and reported
with its last progress objective. Objective, neurons and certificate from the model's
diagnostics, accuracy its trainAccuracy. Before the first timed fit, as ClassifyPeersBenchmark does in its JVM, one
untimed small logistic fit per solver family (lbfgs, convex) so that the service's JIT has compiled the hot loops.

Usage: peers_classify_http.py tasks.json out.jsonl base_url solvers budget
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_http import call, fit_result, run_fit  # noqa: E402


def warm_up(base):
    """The core side's warm-up over HTTP: 200 rows in [-1, 1]^2, class x0 x1 + 0.2 u > 0, lbfgs and convex, 500
    iterations each, untimed."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=(200, 2))
    y = (x[:, 0] * x[:, 1] + 0.2 * rng.uniform(size=200) > 0).astype(int)
    dataset = call("POST", base + "/v1/datasets", {"name": "warm-up", "x": x.tolist(), "y": y.tolist()})["id"]
    for solver in ("lbfgs", "convex"):
        run_fit(base, {"datasetId": dataset, "loss": {"type": "logistic"},
                       "regularization": {"type": "weight_decay", "lambda": 0.5},
                       "solver": {"type": solver, "maxIter": 500}, "seed": 0}, 60)


def main():
    tasks = json.load(open(sys.argv[1]))
    base = sys.argv[3].rstrip("/")
    solvers = [s.strip() for s in sys.argv[4].split(",")]
    budget = float(sys.argv[5])
    warm_up(base)
    datasets = {}
    with open(sys.argv[2], "w") as fh:
        for task in tasks:
            if task["data"] not in datasets:
                data = np.loadtxt(task["data"], delimiter=",", skiprows=1)
                d = task["d"]
                body = {"name": task["task"].split("@")[0], "x": data[:, :d].tolist(),
                        "y": data[:, d].astype(int).tolist()}
                datasets[task["data"]] = call("POST", base + "/v1/datasets", body)["id"]
            for solver in solvers:
                request = {"datasetId": datasets[task["data"]],
                           "architecture": {"skip": True},
                           "regularization": {"type": "weight_decay", "lambda": task["lambda"]},
                           "loss": {"type": task["loss"]},
                           "preprocessing": {"standardize": False},
                           "solver": {"type": solver, "timeLimit": budget}, "seed": 0}
                result, diag = fit_result(base, task["task"], f"http-{solver}", request, 5 * budget + 30)
                if diag is not None and diag.get("trainAccuracy") is not None:
                    result["accuracy"] = diag["trainAccuracy"]
                fh.write(json.dumps(result) + "\n")
                fh.flush()
                print(f"http  {task['task']:24s} {solver:7s} J={result['objective']} {result['seconds']:.2f}s "
                      f"{result['stop']} neurons={result['neurons']}", file=sys.stderr)


if __name__ == "__main__":
    main()
