#!/usr/bin/python3
"""Merges the bench/peers-deep results of outDir into Markdown tables.

Per task and student architecture: best known = the lowest J any method reached in this run (final values and
traces, every seed). Per method: median time of one full-batch objective + gradient evaluation ("epoch") and its ratio
to PyTorch's; over its seeds, the median time to within 1% of best known ((J - J_best) / J_best <= 0.01; '(k/n)':
only k of n seeds got there within the budget, median over those; '-': none), the median and best final J, and the
share of the penalty in the best final J. Then the check of J and dJ/dtheta at sparsefit's starting parameters.

Usage: peers_deep_report.py outDir [extraDir ...]
  extraDir: further PyTorch runs on the same tasks (e.g. TORCH_THREADS=1 bench/peers_deep_torch.py ... extraDir):
  their fits join the tables (and the best known), their epoch timings are listed as torch-Nthread
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_report import best_known, by_task, first_time_below, fmt_time, read_lines as read  # noqa: E402


def main():
    out = sys.argv[1]
    fits = read(os.path.join(out, "core.jsonl")) + read(os.path.join(out, "torch.jsonl"))
    epochs = {(e["task"], e["arch"], e["method"]): e
              for e in read(os.path.join(out, "core-epochs.jsonl")) + read(os.path.join(out, "torch-epochs.jsonl"))}
    for extra in sys.argv[2:]:
        extra_fits = read(os.path.join(extra, "torch.jsonl"))
        fits += extra_fits
        suffix = next((r["method"].rsplit("-", 1)[1] for r in extra_fits if r["method"].endswith("thread")), "extra")
        for e in read(os.path.join(extra, "torch-epochs.jsonl")):
            epochs[(e["task"], e["arch"], "torch-" + suffix)] = e
    groups = by_task(fits, key=lambda r: (r["task"], r["arch"]))
    print("| task | architecture | method | ms / epoch (median) | epoch vs torch 2 thr / 1 thr | t to 1% (s, median) "
          "| final J, median (best) | penalty share of best |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for (task, arch), methods in groups.items():
        best = best_known(methods)
        torch_epoch = epochs.get((task, arch, "torch"), {}).get("msEpoch")
        torch_one = epochs.get((task, arch, "torch"), {}).get("msEpoch1Thread")
        for method, runs in sorted(methods.items()):
            side = "sparsefit" if method.startswith("sparsefit") else \
                "torch-" + method.rsplit("-", 1)[1] if method.endswith("thread") else "torch"
            e = epochs.get((task, arch, side), {}).get("msEpoch")
            if side != "sparsefit" and side != "torch":
                e = torch_one   # the one-thread epoch measured next to the main run's two-thread one
            epoch = f"{e:.2f}" if e is not None else "-"
            ratio = f"{e / torch_epoch:.2f}x / {e / torch_one:.2f}x" if e is not None and torch_epoch and torch_one else "-"
            t1 = [first_time_below(r["trace"], best * 1.01) for r in runs]
            finals = [r["objective"] for r in runs]
            top = min(runs, key=lambda r: r["objective"])
            share = top["penalty"] / top["objective"]
            print(f"| {task} | {arch} | {method} x{len(runs)} | {epoch} | {ratio} | {fmt_time(t1)} "
                  f"| {statistics.median(finals):.4f} ({top['objective']:.4f}) | {100 * share:.0f}% |")
    print()
    print("Best known J per task (lowest over every method and seed):")
    print()
    for (task, arch), methods in groups.items():
        print(f"- {task} {arch}: {best_known(methods):.5f}")
    print()
    print("| task | architecture | side | ms / epoch: median (min - max) | ms / value only | torch, 1 thread |")
    print("|---|---|---|---:|---:|---:|")
    for (task, arch, side), e in sorted(epochs.items()):
        one = f"{e['msEpoch1Thread']:.3f}" if "msEpoch1Thread" in e else ""
        print(f"| {task} | {arch} | {side} | {e['msEpoch']:.3f} ({e['msEpochMin']:.3f} - {e['msEpochMax']:.3f}) "
              f"| {e['msValue']:.3f} | {one} |")
    checks = read(os.path.join(out, "torch-check.jsonl"))
    if checks:
        print()
        print("| task | architecture | seed | parameters | J (sparsefit) | J (torch) | rel. diff J | max rel. diff dJ |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for c in checks:
            print(f"| {c['task']} | {c['arch']} | {c['seed']} | {c['parameters']} | {c['jSparsefit']:.10f} "
                  f"| {c['jTorch']:.10f} | {c['relDiffJ']:.1e} | {c['relDiffGrad']:.1e} |")


if __name__ == "__main__":
    main()
