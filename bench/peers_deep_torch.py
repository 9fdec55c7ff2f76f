#!/usr/bin/python3
"""PyTorch on the bench/peers-deep tasks, the same objective as sparsefit (theory A2, A8):
J = 1/2 sum ||f(x_n) - y_n||^2 + lambda * 1/2 (sum_l ||W_l||^2 + ||V||^2), biases and the affine skip C x + c0 free,
h_0 = x, h_l = relu(W_l h_{l-1} - b_l), f(x) = V^T h_L + C x + c0 (sparsefit's Network, bias with a minus sign).
float64, torch.set_num_threads(2) (environment TORCH_THREADS; other than 2 the methods are named torch-...-Nthread).

Usage: peers_deep_torch.py tasks.json outDir methods seeds budget_small budget_large reps [index]
  index: run only this task of tasks.json (0-based); results are appended to the files below
  methods: comma-separated, each one of
    lbfgs         torch.optim.LBFGS(lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe"), default
                  tolerances, from PyTorch's default nn.Linear initialization (seeded), C and c0 zero
    lbfgs-sfinit  the same optimizer from sparsefit's starting network for that seed (init-*.txt written by
                  DeepPeersBenchmark): same start, so only the optimizer and the kernels differ
    adam-sfinit@LR  torch.optim.Adam(lr=LR), full batch, from sparsefit's start (the loss is J itself: the penalty
                  goes through the moments, as in sparsefit's adam; not AdamW)
Writes torch-check.jsonl (J and dJ/dtheta at sparsefit's starting parameters against sparsefit's own values),
torch-epochs.jsonl (median time of one forward+backward of J over `reps` calls after a warm-up; also with one
thread, for reference) and torch.jsonl (fits:
every objective evaluation time-stamped from the start of the run).
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch


class Net:
    """The parameters of a sparsefit Network as torch tensors, in its flat layout:
    per layer [W_l (K_l x K_{l-1}, row-major) | b_l], then [V (K_L x m) | c0 (m) | C (m x d)]."""

    def __init__(self, d, m, widths):
        self.d, self.m, self.widths = d, m, widths
        self.W, self.b = [], []
        k = d
        for w in widths:
            self.W.append(torch.zeros(w, k, requires_grad=True))
            self.b.append(torch.zeros(w, requires_grad=True))
            k = w
        self.V = torch.zeros(k, m, requires_grad=True)
        self.c0 = torch.zeros(m, requires_grad=True)
        self.C = torch.zeros(m, d, requires_grad=True)

    def params(self):
        out = []
        for w, b in zip(self.W, self.b):
            out += [w, b]
        return out + [self.V, self.c0, self.C]

    def set_flat(self, theta):
        at = 0
        with torch.no_grad():
            for p in self.params():
                p.copy_(torch.tensor(theta[at:at + p.numel()]).reshape(p.shape))
                at += p.numel()
        assert at == len(theta), (at, len(theta))

    def flat_grad(self):
        return torch.cat([p.grad.reshape(-1) for p in self.params()]).numpy()

    def torch_default_init(self, seed):
        torch.manual_seed(seed)
        with torch.no_grad():
            k = self.d
            for w, b in zip(self.W, self.b):
                layer = torch.nn.Linear(k, w.shape[0])
                w.copy_(layer.weight)
                b.copy_(-layer.bias)   # relu(W h - b): the same distribution either way
                k = w.shape[0]
            self.V.copy_(torch.nn.Linear(k, self.m, bias=False).weight.T)
            self.c0.zero_()
            self.C.zero_()

    def objective(self, X, Y, lam):
        h = X
        for w, b in zip(self.W, self.b):
            h = torch.relu(h @ w.T - b)
        f = h @ self.V + X @ self.C.T + self.c0
        data = 0.5 * ((f - Y) ** 2).sum()
        penalty = lam * 0.5 * (sum((w ** 2).sum() for w in self.W) + (self.V ** 2).sum())
        return data + penalty, data, penalty


def load(task):
    data = np.loadtxt(task["data"], delimiter=",", skiprows=1)
    d, m = task["d"], task["m"]
    return torch.tensor(data[:, :d]), torch.tensor(data[:, d:d + m])


def sf_start(out, task, seed, p):
    values = np.loadtxt(os.path.join(out, f"init-{task['task']}-{task['arch']}-s{seed}.txt"))
    assert len(values) == 1 + 2 * p, (len(values), p)
    return values[0], values[1:1 + p], values[1 + p:]


def check(out, task, X, Y, seed):
    net = Net(task["d"], task["m"], task["widths"])
    p = sum(q.numel() for q in net.params())
    j_sf, theta, g_sf = sf_start(out, task, seed, p)
    net.set_flat(theta)
    j, _, _ = net.objective(X, Y, task["lambda"])
    j.backward()
    g = net.flat_grad()
    return {"task": task["task"], "arch": task["arch"], "seed": seed, "parameters": p, "jSparsefit": j_sf,
            "jTorch": j.item(), "relDiffJ": abs(j.item() - j_sf) / abs(j_sf),
            "relDiffGrad": float(np.abs(g - g_sf).max() / np.abs(g_sf).max())}


def time_epochs(out, task, X, Y, reps):
    net = Net(task["d"], task["m"], task["widths"])
    p = sum(q.numel() for q in net.params())
    net.set_flat(sf_start(out, task, 0, p)[1])
    params = net.params()

    def epoch():
        for q in params:
            q.grad = None
        j, _, _ = net.objective(X, Y, task["lambda"])
        j.backward()
        return j.item()

    def value():
        with torch.no_grad():
            return net.objective(X, Y, task["lambda"])[0].item()

    warm = time.perf_counter() + 2.0
    i = 0
    while i < 50 or time.perf_counter() < warm:
        epoch()
        value()
        i += 1
    with_gradient, value_only = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        epoch()
        t1 = time.perf_counter()
        value()
        t2 = time.perf_counter()
        with_gradient.append(1e3 * (t1 - t0))
        value_only.append(1e3 * (t2 - t1))
    # the same with one thread (sparsefit's kernels are single-threaded), for reference; the fits use two
    torch.set_num_threads(1)
    for _ in range(20):
        epoch()
    one_thread = []
    for _ in range(reps):
        t0 = time.perf_counter()
        epoch()
        one_thread.append(1e3 * (time.perf_counter() - t0))
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "2")))
    return {"task": task["task"], "arch": task["arch"], "method": "torch", "parameters": p, "reps": reps,
            "msEpoch": statistics.median(with_gradient), "msEpochMin": min(with_gradient),
            "msEpochMax": max(with_gradient), "msValue": statistics.median(value_only),
            "msEpoch1Thread": statistics.median(one_thread)}


def fit(out, task, X, Y, method, seed, budget):
    net = Net(task["d"], task["m"], task["widths"])
    p = sum(q.numel() for q in net.params())
    lam = task["lambda"]
    base = method.split("@")[0]
    if base.endswith("sfinit"):
        net.set_flat(sf_start(out, task, seed, p)[1])
    else:
        net.torch_default_init(seed)
    params = net.params()
    trace = []
    start = time.perf_counter()
    iterations = 0
    stopped = "budget"
    if base.startswith("lbfgs"):
        opt = torch.optim.LBFGS(params, lr=1, max_iter=20, history_size=10, line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad()
            j, _, _ = net.objective(X, Y, lam)
            j.backward()
            trace.append((time.perf_counter() - start, j.item()))
            return j

        while time.perf_counter() - start < budget:
            state = opt.state[opt._params[0]]
            iters, evals = state.get("n_iter", 0), state.get("func_evals", 0)
            opt.step(closure)
            state = opt.state[opt._params[0]]
            iterations = state["n_iter"]
            # a step ends early without reaching max_iter or max_eval (25) only on one of LBFGS's own tolerances
            if state["n_iter"] - iters < 20 and state["func_evals"] - evals < 25:
                stopped = "converged"
                break
    else:
        opt = torch.optim.Adam(params, lr=float(method.split("@")[1]))
        while time.perf_counter() - start < budget:
            opt.zero_grad()
            j, _, _ = net.objective(X, Y, lam)
            j.backward()
            opt.step()
            iterations += 1
            if iterations % 10 == 1:   # the value before this step; as sparsefit's adam, log every 10
                trace.append((time.perf_counter() - start, j.item()))
    elapsed = time.perf_counter() - start
    with torch.no_grad():
        j, data, penalty = net.objective(X, Y, lam)
    trace.append((elapsed, j.item()))
    threads = int(os.environ.get("TORCH_THREADS", "2"))
    suffix = "" if threads == 2 else f"-{threads}thread"
    return {"task": task["task"], "arch": task["arch"], "method": f"torch-{method}{suffix}", "seed": seed,
            "objective": j.item(), "dataFit": data.item(), "penalty": penalty.item(), "seconds": elapsed,
            "iterations": iterations, "stop": stopped, "trace": trace}


def main():
    tasks = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    methods = [s.strip() for s in sys.argv[3].split(",") if s.strip()]
    seeds = [int(s) for s in sys.argv[4].split(",")]
    small, large = float(sys.argv[5]), float(sys.argv[6])
    reps = int(sys.argv[7])
    only = int(sys.argv[8]) if len(sys.argv) > 8 else -1
    threads = int(os.environ.get("TORCH_THREADS", "2"))
    torch.set_num_threads(threads)
    torch.set_default_dtype(torch.float64)
    with open(os.path.join(out, "torch-check.jsonl"), "a") as fc, \
            open(os.path.join(out, "torch-epochs.jsonl"), "a") as fe, \
            open(os.path.join(out, "torch.jsonl"), "a") as ff:
        for index, task in enumerate(tasks):
            if only >= 0 and index != only:
                continue
            X, Y = load(task)
            for seed in seeds:
                c = check(out, task, X, Y, seed)
                fc.write(json.dumps(c) + "\n")
                print(f"check {task['task']:22s} {task['arch']:9s} seed={seed} J sparsefit {c['jSparsefit']:.12g} "
                      f"torch {c['jTorch']:.12g} rel {c['relDiffJ']:.1e}, grad rel {c['relDiffGrad']:.1e}", file=sys.stderr)
            e = time_epochs(out, task, X, Y, reps)
            fe.write(json.dumps(e) + "\n")
            print(f"torch {task['task']:22s} {task['arch']:9s} epoch {e['msEpoch']:.3f} ms (value {e['msValue']:.3f} ms, "
                  f"1 thread {e['msEpoch1Thread']:.3f} ms)",
                  file=sys.stderr)
            budget = large if task["rows"] > 2000 else small
            for method in methods:
                for seed in seeds:
                    r = fit(out, task, X, Y, method, seed, budget)
                    ff.write(json.dumps(r) + "\n")
                    ff.flush()
                    print(f"torch {task['task']:22s} {task['arch']:9s} {method:14s} seed={seed} J={r['objective']:.6g} "
                          f"{r['seconds']:.2f}s {r['iterations']} it {r['stop']}", file=sys.stderr)


if __name__ == "__main__":
    main()
