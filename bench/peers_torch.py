#!/usr/bin/python3
"""PyTorch L-BFGS (strong Wolfe) on the bench/peers tasks, the same objective as sparsefit (theory A2):
J = 1/2 sum ||f(x_n) - y_n||^2 + lambda * 1/2 (||V||^2 + ||W||^2), biases and the affine skip C x + c0 free,
f(x) = V relu(W x + b) + C x + c0. float64, 2 threads, torch.optim.LBFGS(line_search_fn="strong_wolfe"),
PyTorch's default initialization of nn.Linear for W, b, V (seeded), C and c0 zero.

Usage: peers_torch.py tasks.json out.jsonl widths seeds budget_small budget_large
Every objective evaluation is time-stamped (the trace); a run ends when L-BFGS stops on its own tolerances
(tolerance_grad 1e-7, tolerance_change 1e-9, the defaults) or at the time budget (seconds; budget_large for
N > 2000).

Also the pieces bench/peers_classify_torch.py shares: the network and its forward pass, the traced L-BFGS run,
the neurons' contributions, the settings and the result line.
"""
import json
import sys
import time

import numpy as np
import torch


def use_float64_two_threads():
    """float64, and two threads: PyTorch defaults to one, which would not be a fair race on two cores."""
    torch.set_num_threads(2)
    torch.set_default_dtype(torch.float64)


def int_list(arg):
    """"0,1" -> [0, 1]; "" -> []."""
    return [int(v) for v in arg.split(",")] if arg else []


def shallow_network(d, width, m, seed):
    """[W, b, V, C, c0]: nn.Linear's default initialization (seeded) for W, b (width x d, width) and V (m x width),
    the skip's C (m x d) and c0 (m) zero."""
    torch.manual_seed(seed)
    hidden = torch.nn.Linear(d, width)
    out = torch.nn.Linear(width, m, bias=False)
    C = torch.zeros(m, d, requires_grad=True)
    c0 = torch.zeros(m, requires_grad=True)
    return [hidden.weight, hidden.bias, out.weight, C, c0]


def forward(X, params):
    """f(X) = relu(X W^T + b) V^T + X C^T + c0, N x m."""
    W, b, V, C, c0 = params
    return torch.relu(X @ W.T + b) @ V.T + X @ C.T + c0


def contributions(x, w, b, v):
    """Each neuron's output over the data, ||v_k|| ||relu(X w_k + b_k)|| (numpy; w: K x d, b: K, v: m x K)."""
    h = np.maximum(x @ w.T + b, 0)
    return np.linalg.norm(v, axis=0) * np.linalg.norm(h, axis=0)


def active_neurons(x, y, w, b, v):
    """Neurons whose output over the data exceeds 1e-9 ||Y - mean Y|| (sparsefit's Prune rule)."""
    scale = np.linalg.norm(y - y.mean(axis=0))
    return int((contributions(x, w, b, v) > 1e-9 * scale).sum())


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


def lbfgs_run(params, objective, budget):
    """torch.optim.LBFGS(lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe") on objective() ->
    (J, f) until step_until stops it. Every evaluation is time-stamped; the last trace point is J at the end.
    Returns a dict: objective (J at the end), output (f at the end, no gradient), stop, iterations, seconds, trace."""
    opt = torch.optim.LBFGS(params, lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")
    trace = []
    start = time.perf_counter()

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
    trace.append((elapsed, final))
    return {"objective": final, "output": f, "stop": stopped, "iterations": iterations, "seconds": elapsed,
            "trace": trace}


def result_line(task, width, seed, run, neurons, **extra):
    """The JSON line of one PyTorch run, as the reports read it (extra fields, e.g. accuracy, before neurons)."""
    return {"task": task["task"], "method": f"torch-lbfgs-{width}", "seed": seed, "objective": run["objective"],
            "seconds": run["seconds"], "iterations": run["iterations"], "stop": run["stop"], **extra,
            "neurons": neurons, "certificate": None, "trace": run["trace"]}


def write_line(fh, record, message):
    """One result as a JSON line, flushed (a run cut short keeps what it finished), and its summary on stderr."""
    fh.write(json.dumps(record) + "\n")
    fh.flush()
    print(message, file=sys.stderr)


def run_widths_and_seeds(fh, task, widths, seeds, run, budget, suffix=lambda r: ""):
    """Every (width, seed) run of one task, each written as it ends (write_line); suffix adds to the summary."""
    for width in widths:
        for seed in seeds:
            r = run(task, width, seed, budget)
            write_line(fh, r, f"torch {task['task']:28s} K={width:<4d} seed={seed} J={r['objective']:.8g} "
                              f"{r['seconds']:.2f}s {r['stop']}{suffix(r)}")


def numpy_weights(params):
    """W, b, V of [W, b, V, C, c0] as numpy arrays."""
    return [p.detach().numpy() for p in params[:3]]


def run(task, width, seed, budget):
    data = np.loadtxt(task["data"], delimiter=",", skiprows=1)
    d, m = task["d"], task["m"]
    x, y = data[:, :d], data[:, d:d + m]
    lam = task["lambda"]
    X = torch.tensor(x)
    Y = torch.tensor(y)
    params = shallow_network(d, width, m, seed)
    W, _, V, _, _ = params

    def objective():
        f = forward(X, params)
        return 0.5 * ((f - Y) ** 2).sum() + lam * 0.5 * ((V ** 2).sum() + (W ** 2).sum()), f

    r = lbfgs_run(params, objective, budget)
    return result_line(task, width, seed, r, active_neurons(x, y, *numpy_weights(params)))


def main():
    tasks = json.load(open(sys.argv[1]))
    widths, seeds = int_list(sys.argv[3]), int_list(sys.argv[4])
    small, large = float(sys.argv[5]), float(sys.argv[6])
    use_float64_two_threads()
    with open(sys.argv[2], "w") as fh:
        for task in tasks:
            run_widths_and_seeds(fh, task, widths, seeds, run, large if task["rows"] > 2000 else small)


if __name__ == "__main__":
    main()
