#!/usr/bin/python3
"""Best-known objectives for bench/peers-losses from longer runs, kept in a file so that a short run's "% above best
known" is measured against more than what its own 3 s runs found.

Usage: peers_losses_best.py make tasks.json label results.jsonl... > best.jsonl
       peers_losses_best.py select tasks.json best.jsonl > rows.jsonl
`make`: per task of tasks.json, the lowest objective in the result files (final values and traces), as one JSON line
with the task's lambda and the method that found it, labelled `label` (e.g. "30 s runs, 2026-12-06").
`select`: the lines of best.jsonl whose task is in tasks.json with the same lambda (relative 1e-12: the core's
lambda_max, and so the lambdas, could change with the core), as result rows named "best known (<method>, <its run's
seconds> s)" without a trace, so that bench/peers_report.py counts them in its best known and lists them; a line for another
lambda is left out with a note on stderr.

bench/peers_losses_best_known.jsonl (core of main 22c3f0d, 2026-12-06) was made from three runs:
  OUT=target/peers-losses-120 BUDGET_SMALL=120 PHASES=core CORE_SEEDS=0 BEST_KNOWN= bench/peers-losses auto
  OUT=target/peers-losses-long BUDGET_SMALL=30 TORCH_WIDTHS=256 TORCH_SEEDS=0 CORE_SEEDS=0 BEST_KNOWN= \
    bench/peers-losses auto,convex
  TORCH_SEEDS=0 CORE_SEEDS=0 bench/peers-losses
  peers_losses_best.py make target/peers-losses-120/tasks.json "<label>" target/peers-losses{-120,-long,}/{torch,core}.jsonl
(the first run has no torch.jsonl: read_lines skips a missing file).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_report import by_task, read_lines  # noqa: E402


def make(tasks, label, paths):
    groups = by_task([r for path in paths for r in read_lines(path)])
    for task in tasks:
        best = None
        for method, runs in groups.get(task["task"], {}).items():
            for r in runs:
                values = [r["objective"]] if r.get("objective") is not None else []
                values += [j for _, j in r.get("trace", []) if j is not None]
                if values and (best is None or min(values) < best["objective"]):
                    best = {"task": task["task"], "lambda": task["lambda"], "objective": min(values),
                            "method": method, "seconds": r.get("seconds"), "label": label}
        if best is not None:
            print(json.dumps(best))


def select(tasks, path):
    lambdas = {t["task"]: t["lambda"] for t in tasks}
    for b in read_lines(path):
        lam = lambdas.get(b["task"])
        if lam is None or abs(lam - b["lambda"]) > 1e-12 * abs(lam):
            print(f"best known for {b['task']} at lambda {b['lambda']!r} left out: this run's lambda is {lam!r}",
                  file=sys.stderr)
            continue
        print(json.dumps({"task": b["task"], "method": f"best known ({b['method']}, {b['seconds']:.0f} s)",
                          "objective": b["objective"], "neurons": "-", "certificate": None, "trace": []}))


def main():
    tasks = json.load(open(sys.argv[2]))
    if sys.argv[1] == "make":
        make(tasks, sys.argv[3], sys.argv[4:])
    elif sys.argv[1] == "select":
        select(tasks, sys.argv[3])
    else:
        raise SystemExit("usage: peers_losses_best.py make|select ...")


if __name__ == "__main__":
    main()
