#!/usr/bin/python3
"""Baseline for ObjectiveGradientBenchmark: the same full-batch objective + gradient of a shallow ReLU
network with weight decay, m = 1, in numpy (OpenBLAS). Prints the median of repeated timings per shape.
Run with /usr/bin/python3 (Debian's numpy); see bench/run for the whole comparison."""
import sys
import time

import numpy as np


def step(x, y, w, b, v, c, c0, lam):
    z = x @ w.T - b                      # N x K pre-activations, relu(w.x - b)
    h = np.maximum(z, 0.0)
    f = h @ v + x @ c.T + c0             # N x 1
    r = f - y
    obj = 0.5 * float(np.sum(r * r)) + lam * 0.5 * (float(np.sum(w * w)) + float(np.sum(v * v)))
    gv = h.T @ r + lam * v
    dz = (r @ v.T) * (z > 0)
    gw = dz.T @ x + lam * w
    gb = -dz.sum(axis=0)
    gc = r.T @ x
    gc0 = r.sum(axis=0)
    return obj, gw, gb, gv, gc, gc0


def main():
    # Shapes as arguments NxdxK (default: the five).
    args = sys.argv[1:] or ["1000x1x100", "10000x3x64", "10000x10x256", "10000x100x512", "50000x20x1024"]
    shapes = [tuple(int(p) for p in a.split("x")) for a in args]
    rng = np.random.default_rng(2026)
    for n, d, k in shapes:
        x = rng.uniform(-1, 1, (n, d))
        y = rng.uniform(0, 1, (n, 1))
        w = rng.uniform(-0.5, 0.5, (k, d))
        b = rng.uniform(-0.5, 0.5, k)
        v = rng.uniform(-0.5, 0.5, (k, 1))
        c = rng.uniform(-0.5, 0.5, (1, d))
        c0 = rng.uniform(-0.5, 0.5, 1)
        reps = 30 if n * k < 1e7 else 8
        for _ in range(3):
            step(x, y, w, b, v, c, c0, 1e-3)
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            step(x, y, w, b, v, c, c0, 1e-3)
            times.append((time.perf_counter() - t) * 1e3)
        print(f"numpy N={n} d={d} K={k}: median {np.median(times):.3f} ms over {reps} runs")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
