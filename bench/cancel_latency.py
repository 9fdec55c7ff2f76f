"""Client of bench/cancel-latency: uploads the data, then per solver submits, waits for progress, cancels and times
DELETE -> CANCELLED; one untimed round per solver first (the JIT's warm-up). Standard library only.
Usage: cancel_latency.py BASE REPEATS SOLVER..."""
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


def latency(dataset, solver):
    body = {"datasetId": dataset, "architecture": {"hiddenLayers": [512]},
            "regularization": {"type": "weight_decay", "lambda": 0.01},
            "solver": {"type": solver, "maxIter": 1000000, "tol": 1e-300}}
    fit = call("POST", "/v1/fits", json.dumps(body))[1]["id"]
    deadline = time.monotonic() + 120
    while True:
        view = call("GET", f"/v1/fits/{fit}")[1]
        if view["state"] == "RUNNING" and view["progress"]["objective"] is not None:
            break   # the solver reported its starting point: the cancel lands in the solve, not in the data loading
        if view["state"] not in ("QUEUED", "RUNNING") or time.monotonic() > deadline:
            call("DELETE", f"/v1/fits/{fit}")
            raise SystemExit(f"{solver}: fit {fit} is {view['state']} without progress before the cancel")
        time.sleep(0.02)
    start = time.monotonic()
    status, _ = call("DELETE", f"/v1/fits/{fit}")
    if status != 202:
        raise SystemExit(f"{solver}: DELETE answered {status}, expected 202 (running)")
    while True:
        view = call("GET", f"/v1/fits/{fit}")[1]
        if view["state"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            break
        time.sleep(0.01)
    millis = (time.monotonic() - start) * 1000
    if view["state"] != "CANCELLED":
        raise SystemExit(f"{solver}: ended {view['state']} after the cancel")
    return millis


wide = upload(10_000, 10) if any(s != "exact" for s in SOLVERS) else None
narrow = upload(100_000, 1) if "exact" in SOLVERS else None
print("| solver | data | repeats | median (ms) | max (ms) | each (ms) |")
print("|---|---|---:|---:|---:|---|")
for solver in SOLVERS:
    dataset, shape = (narrow, "N = 10^5, d = 1") if solver == "exact" else (wide, "N = 10^4, d = 10")
    latency(dataset, solver)   # warm-up, not timed
    times = [latency(dataset, solver) for _ in range(REPEATS)]
    each = ", ".join(f"{t:.0f}" for t in times)
    print(f"| {solver} | {shape}, width 512 | {REPEATS} | {statistics.median(times):.0f} | {max(times):.0f} | {each} |",
          flush=True)
