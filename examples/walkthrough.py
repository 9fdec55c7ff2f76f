#!/usr/bin/env python3
"""The README walkthrough from Python, standard library only.

Uploads a CSV dataset, fits it with the exact solver, follows the fit over Server-Sent Events,
reads the knots and the certificate, predicts (JSON and CSV), evaluates the model's layers + skip
here in plain Python and checks they agree with the service, then saves the plot and the ONNX file.

    python3 examples/walkthrough.py [BASE_URL] [OUTPUT_DIR]     (default http://localhost:8080, .)

CI runs it against the packaged service (.ci/readme-walkthrough); it exits non-zero on any mismatch.
"""
import csv
import io
import json
import os
import sys
import urllib.error
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"
OUT = sys.argv[2] if len(sys.argv) > 2 else "."

DATA = "x,y\n0,0.1\n1,0.9\n2,2.1\n3,2.9\n4,4.2\n5,3.1\n6,1.9\n7,1.2\n8,0.1\n9,-0.8\n"


def call(method, path, body=None, content_type=None, accept="application/json"):
    """One request; returns (status, content type, body bytes). Problems (4xx/5xx) raise with their detail."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(BASE + path, data=data, method=method, headers={"Accept": accept})
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as e:
        problem = json.loads(e.read() or b"{}")
        raise SystemExit(f"{method} {path} answered {e.code}: {problem.get('title')}: {problem.get('detail')}")


def get_json(path):
    return json.loads(call("GET", path)[2])


def events(path):
    """Yields (event name, data) of a text/event-stream until the server ends it."""
    request = urllib.request.Request(BASE + path, headers={"Accept": "text/event-stream"})
    with urllib.request.urlopen(request, timeout=120) as stream:
        name, data = None, []
        for raw in stream:
            line = raw.decode().rstrip("\r\n")
            if not line:
                if data:
                    yield name, json.loads("".join(data))
                name, data = None, []
            elif line.startswith("event:"):
                name = line[len("event:"):].strip()
            elif line.startswith("data:"):
                data.append(line[len("data:"):])


def evaluate(model, x):
    """f(x) from the model resource's layers + skip: h = act(W h + bias), then + C x + c0."""
    h = list(x)
    for layer in model["layers"]:
        h = [sum(w * v for w, v in zip(row, h)) + b for row, b in zip(layer["weights"], layer["bias"])]
        if layer["activation"] == "relu":
            h = [max(0.0, v) for v in h]
    skip = model["skip"]
    return [h[o] + sum(c * v for c, v in zip(skip["weights"][o], x)) + skip["bias"][o] for o in range(len(h))]


def main():
    _, _, body = call("POST", "/v1/datasets?target=y&name=hat", DATA, "text/csv")
    dataset = json.loads(body)
    print(f"dataset {dataset['id']}: {dataset['rows']} rows, {dataset['inputDim']} input")

    fit_request = {"datasetId": dataset["id"], "regularization": {"type": "weight_decay", "lambda": 0.5},
                   "solver": {"type": "exact"}}
    status, _, body = call("POST", "/v1/fits", json.dumps(fit_request), "application/json")
    fit = json.loads(body)
    assert status == 202, status
    final = None
    for name, data in events(f"/v1/fits/{fit['id']}/events"):
        print(f"  {name}: {data['state']} iteration {data['progress']['iteration']}")
        if name == "state":
            final = data
    assert final is not None and final["state"] == "SUCCEEDED", final

    model_id = final["modelId"]
    model = get_json(f"/v1/models/{model_id}")
    diagnostics = get_json(f"/v1/models/{model_id}/diagnostics")
    knots = [round(k["x"], 4) for k in model["knots"]]
    gap = diagnostics["certificate"]["gap"]
    print(f"model {model_id}: {len(knots)} knot{'' if len(knots) == 1 else 's'} at {knots}, objective {diagnostics['objective']:.6g}, gap {gap:.3g}")
    assert diagnostics["certificate"]["exact"] and gap <= 1e-6 * max(1.0, diagnostics["objective"]), diagnostics["certificate"]

    xs = [[0.5], [4.5], [9.0]]
    predicted = json.loads(call("POST", f"/v1/models/{model_id}/predict", json.dumps({"x": xs}), "application/json")[2])["y"]
    _, content_type, body = call("POST", f"/v1/models/{model_id}/predict", "x\n0.5\n4.5\n9.0\n", "text/csv", accept="text/csv")
    assert content_type.startswith("text/csv"), content_type
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["y"], rows[0]
    for x, y_json, y_csv in zip(xs, predicted, rows[1:]):
        here = evaluate(model, x)[0]
        assert abs(here - y_json[0]) <= 1e-9 * max(1.0, abs(here)), (x, here, y_json)
        assert float(y_csv[0]) == y_json[0], (y_csv, y_json)
        print(f"  f({x[0]}) = {y_json[0]:.6g}")

    for path, name in ((f"/v1/models/{model_id}/plot.svg", "model.svg"), (f"/v1/fits/{fit['id']}/loss.svg", "loss.svg"),
                       (f"/v1/models/{model_id}/export?format=onnx", "model.onnx")):
        _, content_type, body = call("GET", path, accept="*/*")
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(body)
        print(f"  saved {name} ({content_type}, {len(body)} bytes)")
    assert open(os.path.join(OUT, "model.svg"), "rb").read().lstrip().startswith(b"<?xml")
    print("walkthrough.py: OK")


if __name__ == "__main__":
    main()
