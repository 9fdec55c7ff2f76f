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
import sys
import time
import warnings

import os

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_torch import step_until  # noqa: E402


def load(task):
    data = np.loadtxt(task["data"], delimiter=",", skiprows=1)
    d = task["d"]
    return data[:, :d], data[:, d].astype(int)


def active_neurons(x, w, b, v):
    """Neurons whose output over the data, ||v_k|| ||relu(X w_k + b_k)||, is above 1e-9 of the largest one."""
    h = np.maximum(x @ w.T + b, 0)
    contribution = np.linalg.norm(v, axis=0) * np.linalg.norm(h, axis=0)
    return int((contribution > 1e-9 * max(contribution.max(), 1e-300)).sum())


def run_torch(task, width, seed, budget):
    x, y = load(task)
    d, classes = task["d"], task["classes"]
    m = 1 if classes == 2 else classes
    lam = task["lambda"]
    X = torch.tensor(x)
    Y = torch.tensor(y)
    Yf = Y.to(torch.float64)
    torch.manual_seed(seed)
    hidden = torch.nn.Linear(d, width)
    out = torch.nn.Linear(width, m, bias=False)
    C = torch.zeros(m, d, requires_grad=True)
    c0 = torch.zeros(m, requires_grad=True)
    W, b, V = hidden.weight, hidden.bias, out.weight
    opt = torch.optim.LBFGS([W, b, V, C, c0], lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")
    trace = []
    start = time.perf_counter()

    def objective():
        f = torch.relu(X @ W.T + b) @ V.T + X @ C.T + c0
        if m == 1:
            data = (torch.nn.functional.softplus(f[:, 0]) - Yf * f[:, 0]).sum()
        else:
            data = torch.nn.functional.cross_entropy(f, Y, reduction="sum")
        return data + lam * 0.5 * ((V ** 2).sum() + (W ** 2).sum() + (C ** 2).sum()), f

    def closure():
        opt.zero_grad()
        loss, _ = objective()
        loss.backward()
        trace.append((time.perf_counter() - start, loss.item()))
        return loss

    stopped, iterations = step_until(opt, closure, start, budget)
    elapsed = time.perf_counter() - start
    with torch.no_grad():
        final, f = objective()
        final = final.item()
        predicted = (f[:, 0] > 0).long() if m == 1 else f.argmax(dim=1)
        accuracy = (predicted == Y).double().mean().item()
    trace.append((elapsed, final))
    return {"task": task["task"], "method": f"torch-lbfgs-{width}", "seed": seed, "objective": final,
            "seconds": elapsed, "iterations": iterations, "stop": stopped, "accuracy": accuracy,
            "neurons": active_neurons(x, W.detach().numpy(), b.detach().numpy(), V.detach().numpy()),
            "certificate": None, "trace": trace}


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
    widths = [int(w) for w in sys.argv[3].split(",")]
    seeds = [int(s) for s in sys.argv[4].split(",")]
    budget = float(sys.argv[5])
    sklearn_seeds = [int(s) for s in sys.argv[6].split(",")] if len(sys.argv) > 6 and sys.argv[6] else []
    torch.set_num_threads(2)
    torch.set_default_dtype(torch.float64)
    with open(sys.argv[2], "w") as fh:
        for task in tasks:
            for width in widths:
                for seed in seeds:
                    r = run_torch(task, width, seed, budget)
                    fh.write(json.dumps(r) + "\n")
                    fh.flush()
                    print(f"torch   {task['task']:24s} K={width:<4d} seed={seed} J={r['objective']:.8g} "
                          f"{r['seconds']:.2f}s {r['stop']} acc={r['accuracy']:.3f}", file=sys.stderr)
            for seed in sklearn_seeds:
                r = run_sklearn(task, seed)
                fh.write(json.dumps(r) + "\n")
                fh.flush()
                print(f"sklearn {task['task']:24s} seed={seed} loss_={r['ownLoss']:.6g} {r['seconds']:.2f}s "
                      f"acc={r['accuracy']:.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
