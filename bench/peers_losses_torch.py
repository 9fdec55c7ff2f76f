#!/usr/bin/python3
"""PyTorch L-BFGS on the bench/peers-losses tasks, on exactly sparsefit's objective for each loss (theory A2b), and the
check that it is that objective.

J = sum_n w_n loss(f(x_n), y_n) + lambda/2 (||V||^2 + ||W||^2) [+ lambda/2 ||C||^2 for a classification loss],
f(x) = V relu(W x + b) + C x + c0 (the core's relu(W x - b): the sign of b is the only difference), hidden biases and
c0 free, C free for the regression losses; w_n the sample weights (1 when the task has none). Losses as the core's
loss/ classes: squared 1/2 ||f - y||^2; huber per output 1/2 r^2 for |r| <= delta, else delta (|r| - delta/2)
(torch's huber_loss); logistic log(1 + e^f) - y f on one output (softplus); cross_entropy -log softmax(f)_y on one
output per class. bench/peers_torch.py's network, initialization, float64 / 2 threads and traced L-BFGS loop.

Usage: peers_losses_torch.py run tasks.json out.jsonl widths seeds budget
       peers_losses_torch.py check tasks.json core.jsonl
`check` evaluates every network the core side fitted (its parameters, written by LossPeersBenchmark) in the objective
the PyTorch runs minimize, and prints a Markdown table of it against the core's reported J, with the relative
difference (it must be about 1e-12: the same objective up to rounding).
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_classify_torch import active_neurons as classify_active_neurons  # noqa: E402
from peers_report import read_lines  # noqa: E402
from peers_torch import (active_neurons, forward, int_list, lbfgs_run, numpy_weights, result_line,  # noqa: E402
                         run_widths_and_seeds, shallow_network, use_float64_two_threads)


def load(task):
    """x (N x d), targets (N x t), weights (N) or None, as numpy arrays, from the task's CSV."""
    data = np.loadtxt(task["data"], delimiter=",", skiprows=1, ndmin=2)
    d, t = task["d"], task["targets"]
    return data[:, :d], data[:, d:d + t], data[:, d + t] if task["weighted"] else None


def outputs(task):
    """The network's outputs m: one per class for cross_entropy, else one per target column."""
    return task["classes"] if task["loss"] == "cross_entropy" else task["targets"]


def objective_function(task, x, y, weights):
    """J(params) -> (J, f) for [W, b, V, C, c0] (bench/peers_torch.shallow_network's layout), the task's loss, weights
    and lambda; the data are turned into tensors once."""
    X = torch.tensor(x)
    Y = torch.tensor(y)
    w = torch.ones(x.shape[0]) if weights is None else torch.tensor(weights)
    loss, lam = task["loss"], task["lambda"]
    classification = loss in ("logistic", "cross_entropy")
    labels = Y[:, 0].long()

    def objective(params):
        W, _, V, C, _ = params
        f = forward(X, params)
        if loss == "squared":
            per_row = 0.5 * ((f - Y) ** 2).sum(dim=1)
        elif loss == "huber":
            per_row = torch.nn.functional.huber_loss(f, Y, reduction="none", delta=task["delta"]).sum(dim=1)
        elif loss == "logistic":
            per_row = torch.nn.functional.softplus(f[:, 0]) - Y[:, 0] * f[:, 0]
        elif loss == "cross_entropy":
            per_row = torch.nn.functional.cross_entropy(f, labels, reduction="none")
        else:
            raise ValueError(f"unknown loss {loss}")
        penalty = 0.5 * ((V ** 2).sum() + (W ** 2).sum()) + (0.5 * (C ** 2).sum() if classification else 0.0)
        return (w * per_row).sum() + lam * penalty, f

    return objective


def run(task, width, seed, budget):
    x, y, weights = load(task)
    params = shallow_network(task["d"], width, outputs(task), seed)
    objective = objective_function(task, x, y, weights)
    r = lbfgs_run(params, lambda: objective(params), budget)
    wb = numpy_weights(params)
    if task["classes"]:
        neurons = classify_active_neurons(x, *wb)
    else:
        neurons = active_neurons(x, y, *wb)
    return result_line(task, width, seed, r, neurons)


def core_parameters(path, d, m):
    """The core's fitted network (LossPeersBenchmark's JSON) as torch [W, b, V, C, c0] with torch's bias sign."""
    p = json.load(open(path))
    W = np.array(p["W"], dtype=float).reshape(-1, d)
    V = np.array(p["V"], dtype=float).reshape(-1, m)
    C = np.array(p["C"], dtype=float).reshape(m, d)
    return [torch.tensor(W), torch.tensor(-np.array(p["b"], dtype=float)), torch.tensor(V.T), torch.tensor(C),
            torch.tensor(np.array(p["c0"], dtype=float))]


def check(tasks_path, core_path):
    tasks = {t["task"]: t for t in json.load(open(tasks_path))}
    print("| task | method | seed | core J | PyTorch objective of the core's network | relative difference |")
    print("|---|---|---:|---:|---:|---:|")
    worst = 0.0
    for r in read_lines(core_path):
        task = tasks[r["task"]]
        x, y, weights = load(task)
        with torch.no_grad():
            value = objective_function(task, x, y, weights)(core_parameters(r["params"], task["d"], outputs(task)))[0].item()
        rel = abs(value - r["objective"]) / abs(r["objective"])
        worst = max(worst, rel)
        print(f"| {r['task']} | {r['method']} | {r['seed']} | {r['objective']:.12g} | {value:.12g} | {rel:.1e} |")
    print(f"\nLargest relative difference: {worst:.1e}")


def main():
    use_float64_two_threads()
    if sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
        return
    tasks = json.load(open(sys.argv[2]))
    widths, seeds = int_list(sys.argv[4]), int_list(sys.argv[5])
    budget = float(sys.argv[6])
    with open(sys.argv[3], "w") as fh:
        for task in tasks:
            run_widths_and_seeds(fh, task, widths, seeds, run, budget)


if __name__ == "__main__":
    main()
