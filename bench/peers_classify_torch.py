#!/usr/bin/python3
"""PyTorch L-BFGS and scikit-learn's MLPClassifier on the bench/peers-classify tasks.

PyTorch: exactly sparsefit's classification objective (theory A2b),
J = sum_n loss(f(x_n), y_n) + lambda/2 (||V||^2 + ||W||^2) + lambda/2 ||C||^2, hidden biases and the intercept c0
free, f(x) = V relu(W x + b) + C x + c0, loss logistic (one output, log(1 + e^f) - y f) or cross-entropy
(-log softmax(f)_y). float64, 2 threads, torch.optim.LBFGS(lr=1, max_iter=20, history_size=10,
line_search_fn="strong_wolfe"), default tolerances, nn.Linear's default initialization (seeded), C and c0 zero.
Every objective evaluation is time-stamped (the trace); a run ends when L-BFGS stops on its own tolerances or at
the time budget.

scikit-learn: MLPClassifier(hidden_layer_sizes=(64,), alpha=lambda, solver="lbfgs", max_iter=5000, tol=1e-9,
random_state=seed), what users reach for. Its objective is its own: mean log-loss + alpha/(2N) (||W||^2 + ||V||^2),
no skip connection, so with alpha = lambda it is sparsefit's J/N without the skip term; reported as its own loss
(`ownLoss` = loss_, the mean) and its training accuracy, never ranked against J.

Usage: peers_classify_torch.py tasks.json out.jsonl widths seeds budget [sklearn_seeds]
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_torch import (contributions, forward, int_list, lbfgs_run, numpy_weights, result_line,  # noqa: E402
                         run_widths_and_seeds, shallow_network, use_float64_two_threads, write_line)


def load(task):
    data = np.loadtxt(task["data"], delimiter=",", skiprows=1)
    d = task["d"]
    return data[:, :d], data[:, d].astype(int)


def active_neurons(x, w, b, v):
    """Neurons whose output over the data, ||v_k|| ||relu(X w_k + b_k)||, is above 1e-9 of the largest one."""
    contribution = contributions(x, w, b, v)
    return int((contribution > 1e-9 * max(contribution.max(), 1e-300)).sum())


def run_torch(task, width, seed, budget):
    x, y = load(task)
    d, classes = task["d"], task["classes"]
    m = 1 if classes == 2 else classes
    lam = task["lambda"]
    X = torch.tensor(x)
    Y = torch.tensor(y)
    Yf = Y.to(torch.float64)
    params = shallow_network(d, width, m, seed)
    W, _, V, C, _ = params

    def objective():
        f = forward(X, params)
        if m == 1:
            data = (torch.nn.functional.softplus(f[:, 0]) - Yf * f[:, 0]).sum()
        else:
            data = torch.nn.functional.cross_entropy(f, Y, reduction="sum")
        return data + lam * 0.5 * ((V ** 2).sum() + (W ** 2).sum() + (C ** 2).sum()), f

    r = lbfgs_run(params, objective, budget)
    f = r["output"]
    predicted = (f[:, 0] > 0).long() if m == 1 else f.argmax(dim=1)
    accuracy = (predicted == Y).double().mean().item()
    return result_line(task, width, seed, r, active_neurons(x, *numpy_weights(params)), accuracy=accuracy)


def run_sklearn(task, seed):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    x, y = load(task)
    start = time.perf_counter()
    clf = MLPClassifier(hidden_layer_sizes=(64,), alpha=task["lambda"], solver="lbfgs", max_iter=5000, tol=1e-9,
                        random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x, y)
    elapsed = time.perf_counter() - start
    w, v = clf.coefs_
    neurons = active_neurons(x, w.T, clf.intercepts_[0], v.T)
    return {"task": task["task"], "method": "sklearn-mlp-64", "seed": seed, "objective": None, "ownLoss": clf.loss_,
            "seconds": elapsed, "iterations": clf.n_iter_, "stop": "done", "accuracy": clf.score(x, y),
            "neurons": neurons, "certificate": None, "trace": []}


def main():
    tasks = json.load(open(sys.argv[1]))
    widths, seeds = int_list(sys.argv[3]), int_list(sys.argv[4])
    budget = float(sys.argv[5])
    sklearn_seeds = int_list(sys.argv[6]) if len(sys.argv) > 6 else []
    use_float64_two_threads()
    with open(sys.argv[2], "w") as fh:
        for task in tasks:
            run_widths_and_seeds(fh, task, widths, seeds, run_torch, budget, lambda r: f" acc={r['accuracy']:.3f}")
            for seed in sklearn_seeds:
                r = run_sklearn(task, seed)
                write_line(fh, r, f"sklearn {task['task']:24s} seed={seed} loss_={r['ownLoss']:.6g} "
                                  f"{r['seconds']:.2f}s acc={r['accuracy']:.3f}")


if __name__ == "__main__":
    main()
