"""regularization_path() over POST /v1/paths, and the plots."""
import time

import numpy as np
import pytest

import sparsefit
from sparsefit import SparseFitRegressor, regularization_path
from sparsefit._connect import current

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def kink(n=60, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.uniform(-3, 7, n)
    return x[:, None], np.abs(x - 2) + 0.2 * rng.randn(n)


def test_path_choices_follow_their_definitions():
    X, y = kink()
    path = regularization_path(X, y, solver="exact", count=10, min_ratio=1e-3, folds=5)
    assert "hiddenLayers" not in path.resource["request"]["architecture"]  # no width given: none sent
    assert len(path.points) == 10 and np.all(np.diff(path.lambdas) < 0)
    np.testing.assert_allclose(path.lambdas[0], path.lambda_max, rtol=1e-12)
    np.testing.assert_allclose(path.lambdas[-1] / path.lambdas[0], 1e-3, rtol=1e-9)
    assert path.active_neurons[0] == 0  # at lambda_max the optimum is affine
    # best: the least validation error; oneSe: the largest lambda within one SE of it (computed here).
    best = int(np.argmin(path.validation_mse))
    assert path.best["index"] == best and path.best["lambda"] == path.lambdas[best]
    within = np.flatnonzero(path.validation_mse <= path.validation_mse[best] + path.validation_se[best])
    assert path.oneSe["index"] == within.min()
    assert path.chosen == path.oneSe
    assert path.resource["oneSe"] == path.oneSe
    chosen = path.estimator()
    assert chosen.lam == path.chosen["lambda"] and chosen.model_id_ == path.chosen["modelId"]
    grid = np.linspace(-4, 8, 97)[:, None]
    assert np.max(np.abs(chosen.predict(grid) - chosen.predict_remote(grid))) <= 1e-12 * max(1, np.abs(y).max())
    # The chosen point's model is the fit at that lambda on all the data: a direct fit agrees.
    direct = SparseFitRegressor(lam=path.chosen["lambda"], solver="exact").fit(X, y)
    np.testing.assert_allclose(chosen.predict(grid), direct.predict(grid), rtol=1e-6, atol=1e-6)
    ax = path.plot()
    assert len(ax.lines) >= 3 and ax.get_xscale() == "log"


def test_the_service_standardizes_the_path_and_its_points_take_raw_x():
    # Columns 1e4 apart in scale: standardize=True sends preprocessing.standardize, X raw; each point's model is in raw
    # units (its standardization the population mean and std computed here) and equals a standardized fit at its lambda.
    rng = np.random.RandomState(5)
    X = np.column_stack([rng.uniform(0, 1, 40), rng.uniform(0, 1e4, 40)])
    y = np.abs(X[:, 0] - 0.5) + 1e-4 * X[:, 1] + 0.05 * rng.randn(40)
    path = regularization_path(X, y, lambdas=[0.5, 0.05], solver="convex", folds=3, choice="best")
    assert path.resource["request"]["preprocessing"]["standardize"] is True
    grid = rng.uniform([0, 0], [1, 1e4], (25, 2))
    for index in range(2):
        point = path.estimator(index)
        np.testing.assert_allclose(point.x_mean_, X.mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(point.x_scale_, np.sqrt(((X - X.mean(axis=0)) ** 2).mean(axis=0)), rtol=1e-12)
        assert point.diagnostics_["inputUnits"] == "standardized"
        np.testing.assert_allclose(point.predict(grid), point.predict_remote(grid), rtol=1e-12, atol=1e-12)
        # The direct fit takes the path's seed: the convex solver's pricing starts are seeded (theory C2), and with another
        # seed about one fit in ten takes another route (12 rounds instead of 13) to an optimum certified to the same tol,
        # 2.2e-9 apart here (the defect once put down to time; with equal seeds the two are bit-identical, on any clock).
        # The first point starts as a single fit does (no warm start), so it is the same model: 1e-9 is rounding room only.
        # The second is warm-started from the first and agrees to the convex solver's tolerance (both certified, T8).
        direct = SparseFitRegressor(lam=path.lambdas[index], solver="convex",
                                    random_state=path.resource["request"]["seed"]).fit(X, y)
        tolerance = 1e-9 if index == 0 else 1e-4
        np.testing.assert_allclose(point.predict(grid), direct.predict(grid), rtol=tolerance, atol=tolerance)


def test_explicit_lambdas_and_best_choice():
    X, y = kink(seed=1)
    path = regularization_path(X, y, lambdas=[0.01, 1.0, 0.1], solver="exact", folds=3, choice="best")
    np.testing.assert_allclose(path.lambdas, [1.0, 0.1, 0.01])
    assert path.chosen == path.best


def test_model_plots():
    X, y = kink(seed=2)
    one = SparseFitRegressor(lam=0.5, solver="exact").fit(X, y)
    ax = one.plot(X, y)
    knots = [line for line in ax.lines if line.get_label().endswith("knots")]
    assert len(knots) == 1 and len(knots[0].get_xdata()) == len(one.network_["knots"])
    rng = np.random.RandomState(3)
    X2 = rng.randn(50, 2)
    two = SparseFitRegressor(lam=0.1).fit(X2, np.maximum(X2 @ [1.0, -2.0] - 0.3, 0.0))
    ax = two.plot(X2)
    assert len(ax.lines) == len(two.network_["neurons"])  # one line w . x = b per neuron
    with pytest.raises(ValueError, match="1 or 2 inputs"):
        SparseFitRegressor(solver="lbfgs", hidden_layers=(4,), max_iter=50).fit(rng.randn(20, 3), rng.randn(20)).plot()


def test_keyboard_interrupt_cancels_the_path_on_the_service(monkeypatch):
    rng = np.random.RandomState(4)
    X = rng.randn(300, 4)
    y = np.sin(X @ rng.randn(4))
    seen = {}

    def interrupt(resource, verbose):
        if resource["state"] == "RUNNING":
            seen["id"] = resource["id"]
            raise KeyboardInterrupt
    monkeypatch.setattr(sparsefit._jobs, "report_progress", interrupt)
    with pytest.raises(KeyboardInterrupt):
        regularization_path(X, y, solver="lbfgs", hidden_layers=(32,), max_iter=100000, tol=1e-300, count=50)
    client = current().client()
    for _ in range(300):  # a running path stops within one point
        state = client.call("GET", f"/v1/paths/{seen['id']}")["state"]
        if state not in ("QUEUED", "RUNNING"):
            break
        time.sleep(0.1)
    assert state == "CANCELLED"
