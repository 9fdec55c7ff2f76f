#!/usr/bin/env python3
"""The README walkthrough through the generated Python client (openapi-generator, python-pydantic-v1).

Uses the generated package `sparsefit_client` exactly as generated (put its folder on PYTHONPATH):
CSV upload, a fit with the exact solver, the event stream, polling, the model, its diagnostics,
JSON and CSV prediction, the plot and the ONNX export, and a typed 404 problem; then a table with
named columns, a text column and an empty cell, fitted standardized with a name and tags, its model
in the original units, evaluated, predicted by column name, used to score the stored table (a batch
scoring job, its predictions read back as JSON pages), and found again by tag. Exits non-zero on any mismatch.

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
from sparsefit_client.api.scorings_api import ScoringsApi
from sparsefit_client.exceptions import NotFoundException
from sparsefit_client.models.architecture import Architecture
from sparsefit_client.models.evaluate_request import EvaluateRequest
from sparsefit_client.models.fit_request import FitRequest
from sparsefit_client.models.predict_request import PredictRequest
from sparsefit_client.models.preprocessing import Preprocessing
from sparsefit_client.models.problem import Problem
from sparsefit_client.models.regularization import Regularization
from sparsefit_client.models.scoring_request import ScoringRequest
from sparsefit_client.models.solver import Solver

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080"
DATA = "x,y\n0,0.1\n1,0.9\n2,2.1\n3,2.9\n4,4.2\n5,3.1\n6,1.9\n7,1.2\n8,0.1\n9,-0.8\n"
# The README's table: size in square metres, age in years, a text column and one empty cell.
HOMES = [(40, "Oslo", 0, 4.0), (49, "Bergen", 7, 2.38), (None, "Oslo", 14, 4.86), (67, "Tromso", 21, 3.14),
         (76, "Bergen", 28, 3.52), (85, "Oslo", 5, 6.2), (94, "Tromso", 12, 4.58), (103, "Bergen", 19, 4.96),
         (112, "Oslo", 26, 7.34), (121, "Bergen", 3, 6.02), (130, "Tromso", 10, 6.4), (139, "Oslo", 17, 8.78)]


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
    table(datasets, fits, models)
    print(f"python client walkthrough: OK (plot {len(plot)} chars, ONNX {len(onnx)} bytes)")


def wait(fits, fit):
    for _ in range(240):
        fit = fits.get_fit(fit.id)
        if fit.state not in ("QUEUED", "RUNNING"):
            return fit
        time.sleep(0.5)
    return fit


def features_of(row, features):
    """The network's inputs for one complete table row: numeric columns as they are, `city=level` as 0/1."""
    size, city, age, _ = row
    values = {"size": size, "age": age}
    return [float(city == name.split("=", 1)[1]) if "=" in name else float(values[name]) for name in features]


def table(datasets, fits, models):
    """Names, standardization, evaluate and the model list filter, as in the README walkthrough."""
    csv = "size,city,age,price\n" + "".join(
        ",".join("" if v is None else str(v) for v in row) + "\n" for row in HOMES)
    homes = datasets.upload_dataset_csv(csv, target="price", name="homes")
    check(homes.columns == ["size", "city", "age"] and homes.targets == ["price"] and homes.missing_cells == 1,
          f"named columns and the empty cell: {homes}")
    city = next(c for c in homes.inputs if c.name == "city")
    check(city.kind == "categorical" and city.levels == ["Bergen", "Oslo", "Tromso"], f"city is categorical: {city}")

    tag = f"client-walkthrough-{time.time_ns()}"
    fit = fits.create_fit(FitRequest(dataset_id=homes.id, architecture=Architecture(hidden_layers=[8]),
                                     solver=Solver(type="lbfgs", max_iter=500),
                                     preprocessing=Preprocessing(standardize=True, missing="impute_mean"),
                                     name="homes", tags=[tag, "walkthrough"]))
    fit = wait(fits, fit)
    check(fit.state == "SUCCEEDED", f"table fit {fit.id} ended {fit.state}: {fit.error}")
    check(fit.request.preprocessing.standardize and fit.request.name == "homes", f"request {fit.request}")

    model = models.get_model(fit.model_id)
    check(model.columns == ["size", "city", "age"] and model.name == "homes" and tag in model.tags, f"labels {model}")
    # The standardization the service used: population mean and std of each numeric input (age: no empty cell).
    ages = [row[2] for row in HOMES]
    mean = sum(ages) / len(ages)
    std = (sum((a - mean) ** 2 for a in ages) / len(ages)) ** 0.5
    j = model.features.index("age")
    check(model.preprocessing.standardize and abs(model.preprocessing.mean[j] - mean) <= 1e-12 * mean
          and abs(model.preprocessing.scale[j] - std) <= 1e-12 * std, f"age standardized by {mean}, {std}: {model.preprocessing}")
    check(models.get_model_diagnostics(model.id).input_units == "standardized", "objective and lambda in standardized units")

    # The model is in the original units: its layers + skip at raw inputs give the service's predictions.
    complete = [row for row in HOMES if None not in row]
    x = [features_of(row, model.features) for row in complete]
    predicted = [row[0] for row in models.predict(model.id, PredictRequest(x=x)).y]
    for xi, yi in zip(x, predicted):
        expected = evaluate(model, xi)[0]
        check(abs(yi - expected) <= 1e-9 * max(1.0, abs(expected)), f"f({xi}) = {yi}, layers + skip give {expected}")

    # Evaluate on inline rows: the metrics of those predictions, computed here.
    y = [row[3] for row in complete]
    scores = models.evaluate_model(model.id, EvaluateRequest(x=x, y=[[v] for v in y]))
    mse = sum((f - t) ** 2 for f, t in zip(predicted, y)) / len(y)
    mae = sum(abs(f - t) for f, t in zip(predicted, y)) / len(y)
    ybar = sum(y) / len(y)
    r2 = 1 - mse * len(y) / sum((t - ybar) ** 2 for t in y)
    check(scores.rows == len(y) and abs(scores.mse[0] - mse) <= 1e-9 * max(1.0, mse)
          and abs(scores.rmse[0] - mse ** 0.5) <= 1e-9 * max(1.0, mse) and abs(scores.mae[0] - mae) <= 1e-9 * max(1.0, mae)
          and abs(scores.r2[0] - r2) <= 1e-9, f"evaluate {scores} against mse {mse}, mae {mae}, r2 {r2}")
    stored = models.evaluate_model(model.id, EvaluateRequest(dataset_id=homes.id))
    check(stored.rows == len(HOMES) and len(stored.rmse) == 1, f"evaluate on the stored table: {stored}")

    # JSON predict by column name (text levels, None for the empty cell, imputed) and a batch scoring of the stored
    # table: one prediction per row, in order, equal to predict of the same rows.
    rows = [{"size": size, "city": city, "age": age} for size, city, age, _ in HOMES]
    by_name = [row[0] for row in models.predict(model.id, PredictRequest(rows=rows)).y]
    check(all(abs(a - b) <= 1e-12 * max(1.0, abs(b)) for a, b in zip([by_name[i] for i, row in enumerate(HOMES)
                                                                      if None not in row], predicted)),
          f"predict by name {by_name} against the rows of features {predicted}")
    scorings = ScoringsApi(models.api_client)
    scoring = scorings.create_scoring(ScoringRequest(model_id=model.id, dataset_id=homes.id))
    for _ in range(240):
        scoring = scorings.get_scoring(scoring.id)
        if scoring.state not in ("QUEUED", "RUNNING"):
            break
        time.sleep(0.5)
    check(scoring.state == "SUCCEEDED" and scoring.progress.rows == len(HOMES), f"scoring {scoring}")
    page = scorings.get_scoring_predictions(scoring.id, offset=0, limit=1000)
    check(page.columns == ["price"] and page.next_offset is None and len(page.items) == len(HOMES)
          and all(abs(p[0] - q) <= 1e-12 * max(1.0, abs(q)) for p, q in zip(page.items, by_name)),
          f"scored rows {page} against predict by name {by_name}")

    found = models.list_models(tag=tag, name="homes", sort="trainRmse")
    check([m.id for m in found.items] == [model.id] and found.items[0].train_rmse is not None, f"found by tag: {found}")
    print(f"table model {model.id}: features {model.features}, train RMSE {found.items[0].train_rmse:.4g}, "
          f"R^2 on the complete rows {scores.r2[0]:.4f}")


if __name__ == "__main__":
    main()
