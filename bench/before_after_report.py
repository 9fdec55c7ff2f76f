#!/usr/bin/python3
"""The tables of bench/before-after (Markdown on stdout).

jmh DIR BEFORE AFTER: DIR holds {before,after}-{shape}-r{round}.json (JMH -rf json, one fork each). Per shape: the
median over every measured iteration of all rounds of each build (ms), after / before, and after / before of each
round's medians (the spread says how far the load moved between forks), and the ratio of the fastest iterations (the
least disturbed by other work on a shared machine).

peers DIR BEFORE AFTER: DIR holds tasks.json, torch.jsonl, before.jsonl and after.jsonl (PeersBenchmark lines). Per task
and solver, over the seeds: the best objective before and after and (after - before) / |before|, each side's stop
reason and seconds of that best run (the whole fit: solve, finishing, diagnostics), and its certificate gap / J
(sampled: the pricing is a local search, d >= 2). A summary per solver group compares the runs that ended on their
own on both sides (not at the time budget), whose objectives do not depend on the machine's speed. PyTorch's best objective on the task is shown beside them. Then
bench/peers_report.py's table of every method (time to 1% / 0.1% of the best known objective).
"""
import glob
import json
import os
import re
import statistics
import subprocess
import sys

from peers_report import read_lines   # JSON lines, [] for a missing file


def jmh(directory, before, after):
    samples = {}   # (side, shape) -> every iteration; (side, shape, round) -> the round's
    shapes = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        side, shape, rnd = re.match(r"(before|after)-(.+)-r(\d+)\.json$", os.path.basename(path)).groups()
        with open(path) as fh:
            results = json.load(fh)
        if not results:
            continue
        unit = results[0]["primaryMetric"]["scoreUnit"]
        if unit != "ms/op":
            raise SystemExit(f"{path}: unit {unit}, expected ms/op")
        values = [v for fork in results[0]["primaryMetric"]["rawData"] for v in fork]
        samples.setdefault((side, shape), []).extend(values)
        samples[(side, shape, int(rnd))] = values
        if shape not in shapes:
            shapes.append(shape)
    shapes.sort(key=lambda s: (int(s.split("x")[0]), int(s.split("x")[1])))
    print(f"Objective + gradient (ObjectiveGradientBenchmark.objectiveAndGradient), ms per evaluation; before {before}, "
          f"after {after}; medians over every measured iteration of the interleaved forks")
    print()
    print("| (N, d, K) | before (ms) | after (ms) | after / before | after / before per round | fastest after / before "
          "| iterations each |")
    print("|---|---:|---:|---:|---|---:|---:|")
    for shape in shapes:
        b = samples.get(("before", shape), [])
        a = samples.get(("after", shape), [])
        if not a or not b:
            print(f"| ({shape.replace('x', ', ')}) | {'-' if not b else f'{statistics.median(b):.4g}'} | "
                  f"{'-' if not a else f'{statistics.median(a):.4g}'} | - | - | - | - |")
            continue
        rounds = sorted({k[2] for k in samples if len(k) == 3 and k[1] == shape})
        per_round = [statistics.median(samples[("after", shape, r)]) / statistics.median(samples[("before", shape, r)])
                     for r in rounds if ("after", shape, r) in samples and ("before", shape, r) in samples]
        ratio = statistics.median(a) / statistics.median(b)
        print(f"| ({shape.replace('x', ', ')}) | {statistics.median(b):.4g} | {statistics.median(a):.4g} | {ratio:.3f} | "
              f"{', '.join(f'{q:.3f}' for q in per_round)} | {min(a) / min(b):.3f} | {min(len(a), len(b))} |")


def best_by(rows, key):
    out = {}
    for r in rows:
        k = key(r)
        if r.get("objective") is not None and (k not in out or r["objective"] < out[k]["objective"]):
            out[k] = r
    return out


def peers(directory, before, after):
    with open(os.path.join(directory, "tasks.json")) as fh:
        tasks = [t["task"] for t in json.load(fh)]
    by_solver = lambda r: (r["task"], r["method"])
    old = best_by(read_lines(os.path.join(directory, "before.jsonl")), by_solver)
    new = best_by(read_lines(os.path.join(directory, "after.jsonl")), by_solver)
    torch = best_by(read_lines(os.path.join(directory, "torch.jsonl")), lambda r: r["task"])
    methods = sorted({m for _, m in list(old) + list(new)})
    print(f"Objectives through the core, before {before} and after {after} (best over the seeds; rel. diff = "
          f"(after - before) / |before|, negative is better), beside PyTorch L-BFGS's best")
    print()
    print("| task | solver | J before | J after | rel. diff | stop before / after | s before / after "
          "| gap / J before / after | PyTorch J |")
    print("|---|---|---:|---:|---:|---|---|---|---:|")
    for task in tasks:
        for method in methods:
            o, n = old.get((task, method)), new.get((task, method))
            if o is None and n is None:
                continue
            diff = "-" if o is None or n is None else f"{(n['objective'] - o['objective']) / abs(o['objective']):+.2e}"
            pt = torch.get(task)
            print(f"| {task} | {method.removeprefix('sparsefit-')} | {fmt(o, 'objective', '.10g')} | {fmt(n, 'objective', '.10g')} "
                  f"| {diff} | {fmt(o, 'stop', 's')} / {fmt(n, 'stop', 's')} | {fmt(o, 'seconds', '.2f')} / "
                  f"{fmt(n, 'seconds', '.2f')} | {gap(o)} / {gap(n)} | {'-' if pt is None else format(pt['objective'], '.6g')} |")
    print()
    pairs = [(task, method, old[(task, method)], new[(task, method)]) for task in tasks for method in methods
             if (task, method) in old and (task, method) in new]
    for group, names in (("exact and convex", ("sparsefit-exact", "sparsefit-convex")),
                         ("gradient solvers", ("sparsefit-lbfgs", "sparsefit-adam", "sparsefit-prox"))):
        # a run that ended on its own (converged, or at its iteration cap) ended independently of the machine's speed
        both = [(o, n) for _, m, o, n in pairs if m in names and "TIME_LIMIT" not in (o.get("stop"), n.get("stop"))]
        cut = sum(1 for _, m, o, n in pairs if m in names) - len(both)
        diffs = [(n["objective"] - o["objective"]) / abs(o["objective"]) for o, n in both]
        if diffs:
            print(f"- {group}, runs that ended on their own (not at the time budget) before and after ({len(both)}): "
                  f"largest |rel. diff| {max(abs(q) for q in diffs):.1e}; after lower on {sum(q < -1e-9 for q in diffs)}, "
                  f"equal within 1e-9 on {sum(abs(q) <= 1e-9 for q in diffs)}, higher on {sum(q > 1e-9 for q in diffs)}; "
                  f"{cut} other runs ended at the time budget on at least one side (how far those got depends on speed)")
    print()
    # bench/peers' own table, both cores labelled by commit
    labelled = []
    for side, sha in (("before", before), ("after", after)):
        path = os.path.join(directory, f"{side}-labelled.jsonl")
        with open(path, "w") as fh:
            for r in read_lines(os.path.join(directory, f"{side}.jsonl")):
                r["method"] += f" [{sha[:7]}]"
                fh.write(json.dumps(r) + "\n")
        labelled.append(path)
    print()
    print("Every method (bench/peers_report.py: best known = the lowest objective of the run)")
    print()
    sys.stdout.flush()
    report = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers_report.py")
    subprocess.run([sys.executable, report, os.path.join(directory, "torch.jsonl"), *labelled], check=True)


def fmt(row, key, spec):
    return "-" if row is None or row.get(key) is None else format(row[key], spec)


def gap(row):
    if row is None or not row.get("certificate"):
        return "-"
    c = row["certificate"]
    return f"{c['gap'] / abs(row['objective']):.1e}{'' if c.get('exact') else 's'}"


if __name__ == "__main__":
    kind, directory, before, after = sys.argv[1:5]
    {"jmh": jmh, "peers": peers}[kind](directory, before, after)
