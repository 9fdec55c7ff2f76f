#!/usr/bin/python3
"""PyTorch baseline for ObjectiveGradientBenchmark: the same full-batch objective + gradient of a shallow ReLU
network with weight decay, m = 1, skip on, float64, 2 threads (Debian python3-torch), computed the way a user
would write it (autograd). Prints the median of repeated timings per shape; shapes as arguments NxdxK
(default: the issue's five). Run with /usr/bin/python3; bench/objective_gradient_numpy.py is the numpy twin."""
import sys
import time

import torch


def main():
    torch.set_num_threads(2)
    shapes = sys.argv[1:] or ["1000x1x100", "10000x3x64", "10000x10x256", "10000x100x512", "50000x20x1024"]
    g = torch.Generator().manual_seed(2026)
    for shape in shapes:
        n, d, k = (int(p) for p in shape.split("x"))
        u = lambda *size: torch.rand(*size, generator=g, dtype=torch.float64)
        x = u(n, d) * 2 - 1
        y = u(n, 1)
        w = (u(k, d) - 0.5).requires_grad_()
        b = (u(k) - 0.5).requires_grad_()
        v = (u(k, 1) - 0.5).requires_grad_()
        c = (u(1, d) - 0.5).requires_grad_()
        c0 = (u(1) - 0.5).requires_grad_()
        lam = 1e-3

        def step():
            for p in (w, b, v, c, c0):
                p.grad = None
            f = torch.relu(x @ w.T - b) @ v + x @ c.T + c0
            obj = 0.5 * ((f - y) ** 2).sum() + lam * 0.5 * ((w * w).sum() + (v * v).sum())
            obj.backward()
            return obj

        reps = 30 if n * k < 1e7 else 8
        for _ in range(3):
            step()
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            step()
            times.append((time.perf_counter() - t) * 1e3)
        times.sort()
        print(f"torch N={n} d={d} K={k}: median {times[len(times) // 2]:.3f} ms over {reps} runs")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
