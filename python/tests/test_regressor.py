"""SparseFitRegressor against the service: offline predictions equal the service's, the certificate,
standardization, clone/pickle/set_params, feature names, errors, progress and cancel."""
import pickle
import time

import numpy as np
import pytest
import requests
from sklearn.base import clone

import sparsefit
from sparsefit import InvalidRequestError, SparseFitRegressor
from sparsefit._connect import current

FAST = dict(solver="lbfgs", hidden_layers=(16,), max_iter=400)


def hat(n=40, offset=0.0, seed=0):
    rng = np.random.RandomState(seed)
    x = np.sort(rng.uniform(0, 10, n)) + offset
    return x[:, None], np.minimum(x - offset, 10 - (x - offset)) + 0.1 * rng.randn(n)


def relative(a, b):
    return np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b)))


@pytest.mark.parametrize("standardize", [True, False])
def test_exact_1d_fit_predicts_offline_as_the_service_does(standardize):
    X, y = hat(offset=1000.0)
    model = SparseFitRegressor(lam=0.1, solver="exact", standardize=standardize).fit(X, y)
    assert model.diagnostics_["certificate"]["exact"]
    assert model.diagnostics_["certificate"]["gap"] <= 1e-6 * max(1.0, model.diagnostics_["objective"])
    grid = np.linspace(995, 1015, 201)[:, None]
    assert relative(model.predict(grid), model.predict_remote(grid)) <= 1e-12
    # The canonical neurons (raw units) and the affine part give the same function, summed here.
    network = model.network_
    by_neurons = sum(n["v"][0] * np.maximum(grid @ n["w"] - n["b"], 0.0) for n in network["neurons"])
    by_neurons = by_neurons + grid @ network["skip"]["weights"][0] + network["skip"]["bias"][0]
    assert relative(model.predict(grid), by_neurons) <= 1e-12
    knots = [k["x"] for k in network["knots"]]
    assert 1 <= len(knots) <= len(X) and all(995 < k < 1015 for k in knots)
    assert model.n_iter_ >= 1 and model.n_features_in_ == 1 and model.model_id_ and model.fit_id_


def test_standardization_makes_the_fit_independent_of_the_units():
    X, y = hat(seed=1)
    a = SparseFitRegressor(lam=0.1, solver="exact", random_state=0).fit(X, y)
    b = SparseFitRegressor(lam=0.1, solver="exact", random_state=0).fit(1000.0 * X - 42.0, y)
    np.testing.assert_allclose(a.predict(X), b.predict(1000.0 * X - 42.0), rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose([1000.0 * k["x"] - 42.0 for k in a.network_["knots"]],
                               [k["x"] for k in b.network_["knots"]], rtol=1e-9)


def test_the_service_standardizes_and_reports_the_model_in_raw_units():
    rng = np.random.RandomState(9)
    X = np.column_stack([rng.uniform(0, 1e4, 50), rng.uniform(0, 1, 50)])  # scales 1e4 apart
    y = np.abs(X[:, 0] / 1e4 - 0.5) + np.maximum(X[:, 1] - 0.3, 0)
    model = SparseFitRegressor(lam=0.01, random_state=0, **FAST).fit(X, y)
    np.testing.assert_allclose(model.x_mean_, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(model.x_scale_, np.sqrt(((X - X.mean(axis=0)) ** 2).mean(axis=0)), rtol=1e-12)
    assert model.diagnostics_["inputUnits"] == "standardized" and model.warnings_ == []
    assert relative(model.predict(X), model.predict_remote(X)) <= 1e-12  # the service's model takes raw X
    raw = SparseFitRegressor(lam=0.01, random_state=0, standardize=False, **FAST).fit(X, y)
    assert raw.x_mean_ is None and raw.x_scale_ is None
    assert any("standardize" in w for w in raw.warnings_), raw.warnings_  # scales differ by more than 100x


def test_the_default_sends_no_width_so_auto_may_widen_and_a_given_width_is_a_cap():
    # Noisy data in three inputs whose optimum needs more than 64 neurons (up to N - (d + 1) = 116, theory T7).
    # max_iter=30 keeps it short: 30 lbfgs iterations at 64 neurons, then at most 30 rounds of column generation.
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (120, 3))
    y = np.sin(3 * X[:, 0]) * X[:, 1] + 0.5 * rng.randn(120)
    wide = SparseFitRegressor(lam=0.01, random_state=0, max_iter=30).fit(X, y)
    capped = SparseFitRegressor(lam=0.01, random_state=0, max_iter=30, hidden_layers=64).fit(X, y)
    client = current().client()
    assert "hiddenLayers" not in client.call("GET", f"/v1/fits/{wide.fit_id_}")["request"]["architecture"]
    assert client.call("GET", f"/v1/fits/{capped.fit_id_}")["request"]["architecture"]["hiddenLayers"] == [64]
    assert wide.diagnostics_["solver"] == "convex" and wide.diagnostics_["activeNeurons"] > 64
    assert capped.diagnostics_["solver"] == "lbfgs" and capped.diagnostics_["activeNeurons"] <= 64
    # The same lbfgs fit (same seed and settings) is where auto's continuation starts; it keeps the lower objective.
    assert wide.diagnostics_["objective"] <= capped.diagnostics_["objective"]


def test_name_and_tags_label_the_model():
    X, y = hat(seed=10)
    tag = f"pytest-{time.time_ns()}"
    model = SparseFitRegressor(lam=0.1, solver="exact", name="hat", tags=[tag, "python"]).fit(X, y)
    client = current().client()
    found = client.call("GET", f"/v1/models?tag={tag}&name=hat")["items"]
    assert [m["id"] for m in found] == [model.model_id_]
    assert found[0]["name"] == "hat" and sorted(found[0]["tags"]) == sorted([tag, "python"])
    with pytest.raises(ValueError, match="tags"):
        SparseFitRegressor(tags="python").fit(X, y)


def test_missing_values_are_imputed_or_dropped_by_the_service():
    rng = np.random.RandomState(11)
    X = rng.uniform(0, 10, (40, 2))
    y = np.maximum(X[:, 0] - 4, 0) - 0.5 * X[:, 1]
    holes = X.copy()
    holes[[3, 7], 0] = np.nan
    holes[5, 1] = np.nan
    means = np.nanmean(holes, axis=0)
    filled = np.where(np.isnan(holes), means, holes)

    imputed = SparseFitRegressor(missing="impute_mean", random_state=0, **FAST).fit(holes, y)
    np.testing.assert_allclose(imputed.network_["impute"], means, rtol=1e-12)
    # The service filled the holes with the training means: the same network as fitting the filled table.
    by_hand = SparseFitRegressor(random_state=0, **FAST).fit(filled, y)
    np.testing.assert_allclose(imputed.predict(filled), by_hand.predict(filled), rtol=1e-9, atol=1e-9)
    # predict fills NaN with the stored means offline, as the service does for empty cells (a CSV body).
    np.testing.assert_array_equal(imputed.predict(holes[:10]), imputed.predict(filled[:10]))
    assert relative(imputed.predict(holes[:10]), imputed.predict_remote(holes[:10])) <= 1e-12

    dropped = SparseFitRegressor(missing="drop_rows", random_state=0, **FAST).fit(holes, y)
    complete = ~np.isnan(holes).any(axis=1)
    by_rows = SparseFitRegressor(random_state=0, **FAST).fit(holes[complete], y[complete])
    np.testing.assert_allclose(dropped.predict(X), by_rows.predict(X), rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError, match="imputes none"):
        dropped.predict(holes[:10])
    with pytest.raises(ValueError, match="NaN"):
        SparseFitRegressor(**FAST).fit(holes, y)  # missing="error": scikit-learn's own check refuses NaN
    with pytest.raises(ValueError, match="missing must be one of"):
        SparseFitRegressor(missing="mean", **FAST).fit(X, y)


def test_several_inputs_and_outputs():
    rng = np.random.RandomState(2)
    X = rng.randn(60, 3) * [1.0, 10.0, 0.1] + [0.0, 5.0, 100.0]
    Y = np.column_stack([np.maximum(X[:, 0], 0), X[:, 1] / 10 - np.abs(X[:, 0])])
    model = SparseFitRegressor(lam=0.01, random_state=0, **FAST).fit(X, Y)
    assert model.predict(X).shape == (60, 2) and model.n_outputs_ == 2
    assert relative(model.predict(X), model.predict_remote(X)) <= 1e-12
    assert model.score(X, Y) > 0.9


def test_clone_pickle_set_params_round_trip(monkeypatch):
    X, y = hat(seed=3)
    params = dict(lam=0.2, penalty="weight_decay", solver="exact", hidden_layers=(12,), linear_layers=0,
                  skip=True, loss=None, standardize=True, max_iter=777, tol=1e-8, time_limit=30.0,
                  random_state=7, url=None, api_key=None, verbose=False, name=None, tags=None, missing="error")
    model = SparseFitRegressor(**params)
    assert model.get_params() == params
    twin = clone(model)
    assert twin.get_params() == params and twin is not model
    assert model.set_params(lam=0.5, hidden_layers=(8,)) is model
    assert model.lam == 0.5 and model.hidden_layers == (8,)
    model.set_params(lam=0.2, hidden_layers=(12,))
    model.fit(X, y)
    fresh = clone(model)
    assert not hasattr(fresh, "network_") and fresh.get_params() == params
    restored = pickle.loads(pickle.dumps(model))
    expected = model.predict(X)

    def no_network(*args, **kwargs):
        raise AssertionError("predict used the network")
    monkeypatch.setattr(requests.Session, "request", no_network)
    np.testing.assert_array_equal(restored.predict(X), expected)
    assert restored.get_params() == params and restored.model_id_ == model.model_id_


def test_equal_seeds_give_equal_networks():
    X, y = hat(seed=4)
    X = np.column_stack([X, np.sin(X[:, 0])])
    a = SparseFitRegressor(random_state=5, **FAST).fit(X, y)
    b = SparseFitRegressor(random_state=5, **FAST).fit(X, y)
    for la, lb in zip(a.network_["layers"], b.network_["layers"]):
        np.testing.assert_array_equal(la["weights"], lb["weights"])


class Frame:
    """Enough of a DataFrame for scikit-learn's feature-name handling (columns + __array__)."""

    def __init__(self, data, columns):
        self._data, self.columns = np.asarray(data), list(columns)

    def __array__(self, dtype=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def __len__(self):
        return len(self._data)

    @property
    def shape(self):
        return self._data.shape


def test_feature_names_in():
    X, y = hat(seed=5)
    model = SparseFitRegressor(lam=0.1, solver="exact").fit(Frame(X, ["dose"]), y)
    assert list(model.feature_names_in_) == ["dose"]
    with pytest.warns(UserWarning, match="feature names"):
        model.predict(X)


def test_service_problems_become_exceptions():
    X, y = hat(seed=6)
    with pytest.raises(InvalidRequestError) as caught:
        SparseFitRegressor(lam=-1.0).fit(X, y)
    assert caught.value.status == 422
    assert any(e["field"] == "regularization.lambda" for e in caught.value.errors)
    assert "regularization.lambda" in str(caught.value)
    with pytest.raises(InvalidRequestError, match="solver.type"):
        SparseFitRegressor(solver="newton").fit(X, y)
    with pytest.raises(ValueError, match="hidden_layers"):
        SparseFitRegressor(hidden_layers="wide").fit(X, y)
    with pytest.raises(sparsefit.ServiceUnavailableError, match="nothing answers"):
        SparseFitRegressor(url="http://127.0.0.1:9").fit(X, y)


def test_verbose_prints_objective_and_gap_as_they_arrive(capsys):
    X, y = hat(seed=7)
    SparseFitRegressor(lam=0.1, solver="exact", verbose=True).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert any("SUCCEEDED" in line and "objective" in line for line in lines), lines
    rng = np.random.RandomState(7)
    # 400 rows at a small lambda: the convex solver's rounds (each reporting its duality gap) last several 250 ms event
    # periods (60 rows had converged within one once its restricted solve got faster)
    X2 = rng.randn(400, 2)
    SparseFitRegressor(lam=0.03, solver="convex", max_iter=100, verbose=True).fit(X2, np.abs(X2 @ [1.0, -1.0]) + np.sin(3 * X2[:, 0]))
    lines = capsys.readouterr().out.splitlines()
    assert any("RUNNING" in line and "gap" in line for line in lines), lines  # the convex solver's duality gap


def test_keyboard_interrupt_cancels_the_fit_on_the_service(monkeypatch):
    rng = np.random.RandomState(8)
    X = rng.randn(400, 5)
    y = np.sin(X @ rng.randn(5))
    seen = {}

    def interrupt(resource, verbose):
        if resource["state"] == "RUNNING":
            seen["id"] = resource["id"]
            raise KeyboardInterrupt
    monkeypatch.setattr(sparsefit._jobs, "report_progress", interrupt)
    with pytest.raises(KeyboardInterrupt):
        SparseFitRegressor(solver="lbfgs", hidden_layers=(64,), max_iter=1000000, tol=1e-300, time_limit=120).fit(X, y)
    client = current().client()
    for _ in range(300):  # a running fit stops within one iteration (milliseconds here)
        state = client.call("GET", f"/v1/fits/{seen['id']}")["state"]
        if state not in ("QUEUED", "RUNNING"):
            break
        time.sleep(0.1)
    assert state == "CANCELLED"  # not SUCCEEDED: neither the iteration limit nor the time limit ended it
