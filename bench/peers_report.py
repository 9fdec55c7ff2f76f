#!/usr/bin/python3
"""Merges the bench/peers results (JSON lines) into one table per task.

best known = the lowest objective any method reached in this run (final values and traces). For each method
(over its seeds): the best objective reached, as % above best known; the median over seeds of the time to
within 1% and 0.1% of best known ('-' when a seed never got there: then the count of seeds that did is
shown); active neurons and certificate of the best seed.

Also the pieces the other bench reports share (peers_classify_report, peers_deep_report, before_after_report import
them): reading and grouping the result lines, best known, the time to a target and its median over seeds.
"""
import json
import os
import statistics
import sys
from collections import defaultdict, OrderedDict


def read_lines(path):
    """The JSON lines of a results file; [] for a missing file (a phase that was not run)."""
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        return [json.loads(line) for line in fh if line.strip()]


def by_task(rows, key=lambda r: r["task"]):
    """Result lines grouped by key (the task by default), then by method: key -> method -> runs, in first-seen order."""
    groups = OrderedDict()
    for r in rows:
        groups.setdefault(key(r), defaultdict(list))[r["method"]].append(r)
    return groups


def first_time_below(trace, target):
    for t, j in trace:
        if j is not None and j <= target:
            return t
    return None


def best_known(methods):
    """The lowest objective any method reached on a task: final values and every traced point."""
    values = []
    for runs in methods.values():
        for r in runs:
            if r.get("objective") is not None:
                values.append(r["objective"])
            values += [j for _, j in r.get("trace", []) if j is not None]
    return min(values)


def fmt_time(times):
    reached = [t for t in times if t is not None]
    if not reached:
        return "-"
    text = f"{statistics.median(reached):.2f}"
    return text if len(reached) == len(times) else f"{text} ({len(reached)}/{len(times)})"


def main():
    tasks = by_task([r for path in sys.argv[1:] for r in read_lines(path)])
    print("| task | method | best J (% above best known) | t to 1% (s) | t to 0.1% (s) | neurons | certificate gap / J |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for task, methods in tasks.items():
        best = best_known(methods)
        for method, runs in sorted(methods.items()):
            finals = [r for r in runs if r.get("objective") is not None]
            if not finals:
                print(f"| {task} | {method} | no result | | | | |")
                continue
            top = min(finals, key=lambda r: r["objective"])
            above = 100 * (top["objective"] - best) / abs(best)
            t1 = [first_time_below(r.get("trace", []), best * 1.01) for r in runs]
            t01 = [first_time_below(r.get("trace", []), best * 1.001) for r in runs]
            cert = top.get("certificate")
            gap = "-" if not cert else f"{cert['gap'] / abs(top['objective']):.1e}{'' if cert.get('exact') else ' (sampled)'}"
            seeds = f" x{len(runs)}" if len(runs) > 1 else ""
            print(f"| {task} | {method}{seeds} | {top['objective']:.6g} ({above:.3f}%) | {fmt_time(t1)} | {fmt_time(t01)} "
                  f"| {top.get('neurons', '-')} | {gap} |")


if __name__ == "__main__":
    main()
