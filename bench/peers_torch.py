#!/usr/bin/python3
"""PyTorch L-BFGS (strong Wolfe) on the bench/peers tasks, the same objective as sparsefit (theory A2):
J = 1/2 sum ||f(x_n) - y_n||^2 + lambda * 1/2 (||V||^2 + ||W||^2), biases and the affine skip C x + c0 free,
f(x) = V relu(W x + b) + C x + c0. float64, 2 threads, torch.optim.LBFGS(line_search_fn="strong_wolfe"),
PyTorch's default initialization of nn.Linear for W, b, V (seeded), C and c0 zero.

Usage: peers_torch.py tasks.json out.jsonl widths seeds budget_small budget_large
Every objective evaluation is time-stamped (the trace); a run ends when L-BFGS stops on its own tolerances
(tolerance_grad 1e-7, tolerance_change 1e-9, the defaults) or at the time budget (seconds; budget_large for
N > 2000).
"""
import json
import sys
import time

import numpy as np
import torch


def active_neurons(x, y, w, b, v):
    """Neurons whose output over the data, ||v_k|| ||relu(X w_k + b_k)||, exceeds 1e-9 ||Y - mean Y|| (sparsefit's Prune rule)."""
    h = np.maximum(x @ w.T + b, 0)
    contribution = np.linalg.norm(v, axis=0) * np.linalg.norm(h, axis=0)
    scale = np.linalg.norm(y - y.mean(axis=0))
    return int((contribution > 1e-9 * scale).sum())


def step_until(opt, closure, start, budget):
    """Steps torch.optim.LBFGS (max_iter=20 per step) until it stops short of 20 iterations (its own tolerances:
    "converged") or the budget (seconds since start) is spent ("budget"). Returns (stop, iterations)."""
    while time.perf_counter() - start < budget:
        before = opt.state[opt._params[0]].get("n_iter", 0)
        opt.step(closure)
        after = opt.state[opt._params[0]].get("n_iter", 0)
        if after - before < 20:
            return "converged", after
    return "budget", opt.state[opt._params[0]].get("n_iter", 0)


def run(task, width, seed, budget):
    data = np.loadtxt(task["data"], delimiter=",", skiprows=1)
    d, m = task["d"], task["m"]
    x, y = data[:, :d], data[:, d:d + m]
    lam = task["lambda"]
    X = torch.tensor(x)
    Y = torch.tensor(y)
    torch.manual_seed(seed)
    hidden = torch.nn.Linear(d, width)
    out = torch.nn.Linear(width, m, bias=False)
    C = torch.zeros(m, d, requires_grad=True)
    c0 = torch.zeros(m, requires_grad=True)
    W, b, V = hidden.weight, hidden.bias, out.weight
    params = [W, b, V, C, c0]
    opt = torch.optim.LBFGS(params, lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")
    trace = []
    start = time.perf_counter()

    def closure():
        opt.zero_grad()
        f = torch.relu(X @ W.T + b) @ V.T + X @ C.T + c0
        loss = 0.5 * ((f - Y) ** 2).sum() + lam * 0.5 * ((V ** 2).sum() + (W ** 2).sum())
        loss.backward()
        trace.append((time.perf_counter() - start, loss.item()))
        return loss

    stopped, iterations = step_until(opt, closure, start, budget)
    elapsed = time.perf_counter() - start
    with torch.no_grad():
        f = torch.relu(X @ W.T + b) @ V.T + X @ C.T + c0
        final = (0.5 * ((f - Y) ** 2).sum() + lam * 0.5 * ((V ** 2).sum() + (W ** 2).sum())).item()
    trace.append((elapsed, final))
    return {"task": task["task"], "method": f"torch-lbfgs-{width}", "seed": seed, "objective": final,
            "seconds": elapsed, "iterations": iterations, "stop": stopped,
            "neurons": active_neurons(x, y, W.detach().numpy(), b.detach().numpy(), V.detach().numpy()),
            "certificate": None, "trace": trace}


def main():
    tasks = json.load(open(sys.argv[1]))
    widths = [int(w) for w in sys.argv[3].split(",")]
    seeds = [int(s) for s in sys.argv[4].split(",")]
    small, large = float(sys.argv[5]), float(sys.argv[6])
    torch.set_num_threads(2)
    torch.set_default_dtype(torch.float64)
    with open(sys.argv[2], "w") as fh:
        for task in tasks:
            for width in widths:
                for seed in seeds:
                    r = run(task, width, seed, large if task["rows"] > 2000 else small)
                    fh.write(json.dumps(r) + "\n")
                    fh.flush()
                    print(f"torch {task['task']:28s} K={width:<4d} seed={seed} J={r['objective']:.6g} "
                          f"{r['seconds']:.2f}s {r['stop']}", file=sys.stderr)


if __name__ == "__main__":
    main()
