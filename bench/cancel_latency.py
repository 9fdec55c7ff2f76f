"""Client of bench/cancel-latency: uploads the data, then per solver submits, waits for progress, cancels and times
DELETE -> CANCELLED; one untimed round per solver first (the JIT's warm-up). Standard library only.
Usage: cancel_latency.py BASE REPEATS SOLVER...
A SOLVER is a solver type at issue 19's shape, or one of the three-input cases, where column generation confirms a
local stop by the certificate's branch and bound (ColumnGeneration.bounded): "convex-d3" (N = 10^4, d = 3, width
512) and "auto-d3" (N = 1,000, d = 3, the width not given: lbfgs, then its convex continuation); these two are
cancelled once the convex rounds report a gap, so the cancel lands in the rounds and their confirmations."""
import json
import math
import random
import statistics
import sys
import time
import urllib.request

BASE, REPEATS, SOLVERS = sys.argv[1], int(sys.argv[2]), sys.argv[3:]


def call(method, path, body=None, content_type="application/json"):
    data = None if body is None else body.encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if body is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            text = answer.read().decode()
            return answer.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{method} {path}: {error.code} {error.read().decode()}")


def upload(rows, inputs):
    rng = random.Random(19)
    lines = [",".join([f"x{j}" for j in range(inputs)] + ["y"])]
    for _ in range(rows):
        x = [rng.uniform(-3, 3) for _ in range(inputs)]
        y = sum(math.sin((j + 1) * v) for j, v in enumerate(x)) + 0.3 * (rng.random() - 0.5)
        lines.append(",".join(repr(v) for v in x + [y]))
    return call("POST", "/v1/datasets", "\n".join(lines) + "\n", "text/csv")[1]["id"]


# solver -> (rows, inputs, the width or None for not given, the progress field to wait for before the cancel)
CASES = {"exact": (100_000, 1, 512, "objective"), "convex-d3": (10_000, 3, 512, "gap"), "auto-d3": (1_000, 3, None, "gap")}
DEFAULT_CASE = (10_000, 10, 512, "objective")


def latency(dataset, solver):
    _, _, width, started = CASES.get(solver, DEFAULT_CASE)
    body = {"datasetId": dataset, "regularization": {"type": "weight_decay", "lambda": 0.01},
            "solver": {"type": solver.split("-")[0], "maxIter": 1000000, "tol": 1e-300}}
    if solver == "auto-d3":
        body["solver"] = {"type": "auto"}   # the defaults: its lbfgs phase must end for the convex rounds to start
    if width is not None:
        body["architecture"] = {"hiddenLayers": [width]}
    fit = call("POST", "/v1/fits", json.dumps(body))[1]["id"]
    deadline = time.monotonic() + 600
    while True:
        view = call("GET", f"/v1/fits/{fit}")[1]
        if view["state"] == "RUNNING" and view["progress"][started] is not None:
            break   # the solver reported its starting point (or a convex round's gap): the cancel lands in the solve
        if view["state"] not in ("QUEUED", "RUNNING") or time.monotonic() > deadline:
            call("DELETE", f"/v1/fits/{fit}")
            raise SystemExit(f"{solver}: fit {fit} is {view['state']} without {started} before the cancel")
        time.sleep(0.02)
    start = time.monotonic()
    status, answer = call("DELETE", f"/v1/fits/{fit}")
    if status == 200 and answer["state"] == "CANCELLED":
        return (time.monotonic() - start) * 1000   # seen RUNNING, CANCELLED before the DELETE's answer was written
    if status != 202:
        raise SystemExit(f"{solver}: DELETE answered {status} ({answer['state']}), expected 202 (running)")
    while True:
        view = call("GET", f"/v1/fits/{fit}")[1]
        if view["state"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        time.sleep(0.01)
    millis = (time.monotonic() - start) * 1000
    if view["state"] != "CANCELLED":
        raise SystemExit(f"{solver}: ended {view['state']} after the cancel")
    return millis


datasets = {}
for solver in SOLVERS:
    rows, inputs, _, _ = CASES.get(solver, DEFAULT_CASE)
    if (rows, inputs) not in datasets:
        datasets[rows, inputs] = upload(rows, inputs)
print("| solver | data | repeats | median (ms) | max (ms) | each (ms) |")
print("|---|---|---:|---:|---:|---|")
for solver in SOLVERS:
    rows, inputs, width, _ = CASES.get(solver, DEFAULT_CASE)
    dataset = datasets[rows, inputs]
    shape = f"N = 10^{round(math.log10(rows))}, d = {inputs}, " + (f"width {width}" if width else "width not given")
    latency(dataset, solver)   # warm-up, not timed
    times = [latency(dataset, solver) for _ in range(REPEATS)]
    each = ", ".join(f"{t:.0f}" for t in times)
    print(f"| {solver} | {shape} | {REPEATS} | {statistics.median(times):.0f} | {max(times):.0f} | {each} |",
          flush=True)
