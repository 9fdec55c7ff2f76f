#!/usr/bin/python3
"""Writes the data of bench/path-cost: the planted networks of bench/peers_data.py (x uniform in [-1, 1]^d,
4 random unit-normal ReLU neurons, biases in [-0.5, 0.5], amplitudes 0.5-2, an affine part, Gaussian noise 0.05,
seeded by d and seed 1), then x and y standardized (z-scores, peers_data.standardize).

Usage: bench/path_cost_data.py OUT_DIR d:N [d:N ...]   writes OUT_DIR/planted-d{d}-n{N}.csv (header, x columns, y)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_data import planted, standardize, write_csv  # noqa: E402  (the generator of bench/peers, reused as it is)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for case in sys.argv[2:]:
        d, n = (int(v) for v in case.split(":"))
        x, y = planted(n, d, seed=1)
        x, y = standardize(x), standardize(y)
        path = os.path.join(out, f"planted-d{d}-n{n}.csv")
        write_csv(path, x, y, ["y0"])
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
