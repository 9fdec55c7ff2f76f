#!/usr/bin/python3
"""The sparsefit side of bench/peers over HTTP: for every task, upload the CSV's data (POST /v1/datasets) once,
then per solver one fit (POST /v1/fits: weight decay, width 64, skip, seed 0, defaults otherwise), polled every
50 ms until it ends; the trace is the fit's live progress objective, time-stamped here from the POST. The
result (objective, neurons, certificate) is read from GET /v1/models/{id}/diagnostics. A fit still running at
the time budget is cancelled (DELETE) and reported with its last progress objective.

Usage: peers_http.py tasks.json out.jsonl base_url solvers budget_small budget_large
"""
import json
import sys
import time
import urllib.request

import numpy as np


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        text = resp.read().decode()
        return json.loads(text) if text else None


def run_fit(base, request, budget):
    """POSTs one fit and polls it every 50 ms until it ends, cancelling it (DELETE) once past `budget` seconds.
    Returns the final fit resource, the trace [(seconds since the POST, progress objective)] and the seconds taken."""
    start = time.perf_counter()
    fit = call("POST", base + "/v1/fits", request)
    trace = []
    cancelled = False
    while True:
        fit = call("GET", base + "/v1/fits/" + fit["id"])
        now = time.perf_counter() - start
        objective = (fit.get("progress") or {}).get("objective")
        if objective is not None and fit["state"] == "RUNNING":
            trace.append((now, objective))
        if fit["state"] not in ("QUEUED", "RUNNING"):
            break
        if now > budget and not cancelled:
            call("DELETE", base + "/v1/fits/" + fit["id"])
            cancelled = True
        time.sleep(0.05)
    return fit, trace, time.perf_counter() - start


def fit_result(base, task, method, request, budget):
    """One fit by run_fit, as a result row of the peers reports: objective, neurons, certificate and the rest from
    GET /v1/models/{id}/diagnostics, the trace ending at the final objective (a fit without a model: its last progress
    objective). Returns the row and the diagnostics (None without a model)."""
    fit, trace, seconds = run_fit(base, request, budget)
    result = {"task": task, "method": method, "seed": request.get("seed", 0), "seconds": seconds,
              "stop": fit["state"], "certificate": None, "neurons": None, "objective": None}
    diag = None
    if fit.get("modelId"):
        diag = call("GET", base + "/v1/models/" + fit["modelId"] + "/diagnostics")
        result.update(objective=diag["objective"], neurons=diag["activeNeurons"],
                      certificate=diag.get("certificate"), solverRan=diag.get("solver"),
                      iterations=diag.get("iterations"), runtimeMs=diag.get("runtimeMs"))
        trace.append((seconds, diag["objective"]))
    elif trace:
        result["objective"] = trace[-1][1]
    result["trace"] = trace
    return result, diag


def main():
    tasks = json.load(open(sys.argv[1]))
    base = sys.argv[3].rstrip("/")
    solvers = [s.strip() for s in sys.argv[4].split(",")]
    small, large = float(sys.argv[5]), float(sys.argv[6])
    datasets = {}
    with open(sys.argv[2], "w") as fh:
        for task in tasks:
            if task["data"] not in datasets:
                data = np.loadtxt(task["data"], delimiter=",", skiprows=1)
                d, m = task["d"], task["m"]
                body = {"name": task["task"].split("@")[0], "x": data[:, :d].tolist(),
                        "y": data[:, d:d + m].tolist() if m > 1 else data[:, d].tolist()}
                datasets[task["data"]] = call("POST", base + "/v1/datasets", body)["id"]
            budget = large if task["rows"] > 2000 else small
            for solver in solvers:
                request = {"datasetId": datasets[task["data"]],
                           "architecture": {"hiddenLayers": [64], "skip": True},
                           "regularization": {"type": "weight_decay", "lambda": task["lambda"]},
                           "solver": {"type": solver}, "seed": 0}
                result, _ = fit_result(base, task["task"], f"http-{solver}", request, budget)
                fh.write(json.dumps(result) + "\n")
                fh.flush()
                print(f"http  {task['task']:28s} {solver:8s} J={result['objective']} {result['seconds']:.2f}s {result['stop']}",
                      file=sys.stderr)


if __name__ == "__main__":
    main()
