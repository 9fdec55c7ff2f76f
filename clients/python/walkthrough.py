#!/usr/bin/env python3
"""The README walkthrough through the generated Python client (openapi-generator, python-pydantic-v1).

Uses the generated package `sparsefit_client` exactly as generated (put its folder on PYTHONPATH):
CSV upload, a fit with the exact solver, the event stream, polling, the model, its diagnostics,
JSON and CSV prediction, the plot and the ONNX export, and a typed 404 problem. Exits non-zero on
any mismatch.

    PYTHONPATH=target/clients/python python3 clients/python/walkthrough.py [BASE_URL]

Its runtime needs are Debian's python3-pydantic (1.10), python3-urllib3, python3-dateutil and
python3-typing-extensions; .ci/clients generates the client and runs this script.
"""
import json
import sys
import time

import sparsefit_client
from sparsefit_client.api.datasets_api import DatasetsApi
from sparsefit_client.api.fits_api import FitsApi
from sparsefit_client.api.models_api import ModelsApi
from sparsefit_client.exceptions import NotFoundException
from sparsefit_client.models.fit_request import FitRequest
from sparsefit_client.models.predict_request import PredictRequest
from sparsefit_client.models.problem import Problem
from sparsefit_client.models.regularization import Regularization
from sparsefit_client.models.solver import Solver

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"
DATA = "x,y\n0,0.1\n1,0.9\n2,2.1\n3,2.9\n4,4.2\n5,3.1\n6,1.9\n7,1.2\n8,0.1\n9,-0.8\n"


def check(condition, message):
    if not condition:
        raise SystemExit("python client walkthrough: FAILED: " + message)


def evaluate(model, x):
    """f(x) from the model's layers + skip, evaluated here: h = act(W h + bias), then + C x + c0."""
    h = list(x)
    for layer in model.layers:
        h = [sum(w * v for w, v in zip(row, h)) + b for row, b in zip(layer.weights, layer.bias)]
        if layer.activation == "relu":
            h = [max(0.0, v) for v in h]
    return [h[o] + sum(c * v for c, v in zip(model.skip.weights[o], x)) + model.skip.bias[o] for o in range(len(h))]


def main():
    client = sparsefit_client.ApiClient(sparsefit_client.Configuration(host=BASE))
    datasets, fits, models = DatasetsApi(client), FitsApi(client), ModelsApi(client)

    dataset = datasets.upload_dataset_csv(DATA, target="y", name="hat")
    check(dataset.rows == 10 and dataset.input_dim == 1 and dataset.output_dim == 1, f"dataset {dataset}")
    print(f"dataset {dataset.id}: {dataset.rows} rows")

    fit = fits.create_fit(FitRequest(dataset_id=dataset.id,
                                     regularization=Regularization(type="weight_decay", var_lambda=0.5),
                                     solver=Solver(type="exact")))
    check(fit.request.solver.type == "exact" and fit.request.seed == 0, f"defaults filled in: {fit.request}")

    # The event stream (the client returns it whole once the fit has finished), then the same fit by polling.
    stream = fits.stream_fit_events(fit.id)
    events = [block for block in stream.split("\n\n") if block.strip()]
    check(any(block.startswith("event:state") for block in events), f"a final state event in {stream[:300]!r}")
    final = next(json.loads(line[len("data:"):]) for line in events[-1].splitlines() if line.startswith("data:"))
    check(final["state"] == "SUCCEEDED", f"the stream's last event: {final}")
    for _ in range(120):
        fit = fits.get_fit(fit.id)
        if fit.state not in ("QUEUED", "RUNNING"):
            break
        time.sleep(0.5)
    check(fit.state == "SUCCEEDED" and fit.model_id, f"fit {fit.id} ended {fit.state}: {fit.error}")
    print(f"fit {fit.id}: {fit.state}, {len(events)} events")

    model = models.get_model(fit.model_id)
    check(len(model.knots) >= 1, "knots")
    diagnostics = models.get_model_diagnostics(model.id)
    check(diagnostics.certificate is not None and diagnostics.certificate.exact, f"certificate {diagnostics.certificate}")
    check(diagnostics.certificate.gap <= 1e-6 * max(1.0, abs(diagnostics.objective)), "duality gap closed")
    print(f"model {model.id}: {len(model.knots)} knots, objective {diagnostics.objective:.6g}, "
          f"gap {diagnostics.certificate.gap:.3g}")

    predicted = models.predict(model.id, PredictRequest(x=[[0.5], [4.5], [9.0]]))
    check(len(predicted.y) == 3 and all(len(row) == 1 for row in predicted.y), f"predict {predicted}")
    for x, y in zip([0.5, 4.5, 9.0], predicted.y):
        expected = evaluate(model, [x])[0]
        check(abs(y[0] - expected) <= 1e-9 * max(1.0, abs(expected)), f"f({x}) = {y[0]}, layers + skip give {expected}")

    plot = models.get_model_plot(model.id)
    check(plot.lstrip().startswith("<svg") or plot.lstrip().startswith("<?xml"), "plot.svg is SVG")
    loss = fits.get_fit_loss_plot(fit.id)
    check("<svg" in loss, "loss.svg is SVG")
    onnx = models.export_model(model.id, format="onnx")
    check(isinstance(onnx, (bytes, bytearray)) and len(onnx) > 100, f"ONNX bytes ({type(onnx).__name__})")
    # Page through the listing (oldest first; the service may hold other models, e.g. a path's) by nextCursor.
    listed, cursor, pages = False, None, 0
    while not listed and pages < 100:
        page = models.list_models(limit=10, cursor=cursor) if cursor else models.list_models(limit=10)
        listed = any(m.id == model.id for m in page.items)
        cursor, pages = page.next_cursor, pages + 1
        if not cursor:
            break
    check(listed, "the model is listed")

    try:
        models.get_model("nope")
        check(False, "a 404 for an unknown model")
    except NotFoundException as e:
        problem = Problem.from_json(e.body)
        check(e.status == 404 and problem.status == 404 and problem.title, f"typed 404 problem: {e.body}")
    print(f"python client walkthrough: OK (plot {len(plot)} chars, ONNX {len(onnx)} bytes)")


if __name__ == "__main__":
    main()
