"""The numpy side, without the service: network evaluation, probabilities,
problem+json to exceptions. Each compared with an independent computation written here."""
import numpy as np
import pytest

from sparsefit import InvalidRequestError
from sparsefit._classifier import _log_probabilities, _outputs_in_index_order, _probabilities
from sparsefit._errors import AuthenticationError, BusyError, NotFoundError, error_for
from sparsefit._network import evaluate, network_from_model
from sparsefit._request import job_request

OFFLINE = True  # no service needed


def random_model(rng, d, widths, m, linear_first=False):
    """A model resource as the service writes it (api.md), with random weights."""
    layers, width = [], d
    if linear_first:
        layers.append({"activation": "linear", "weights": rng.randn(d, d).tolist(), "bias": [0.0] * d})
    for units in widths:
        layers.append({"activation": "relu", "weights": rng.randn(units, width).tolist(), "bias": rng.randn(units).tolist()})
        width = units
    layers.append({"activation": "linear", "weights": rng.randn(m, width).tolist(), "bias": [0.0] * m})
    return {"inputDim": d, "outputDim": m, "layers": layers,
            "skip": {"weights": rng.randn(m, d).tolist(), "bias": rng.randn(m).tolist()}}


def by_hand(model, x):
    """f(x) for one row, with index loops over the resource's nested lists."""
    h = list(x)
    for layer in model["layers"]:
        W, bias = layer["weights"], layer["bias"]
        out = []
        for i in range(len(bias)):
            total = bias[i]
            for j in range(len(h)):
                total += W[i][j] * h[j]
            out.append(total if layer["activation"] == "linear" else max(total, 0.0))
        h = out
    C, c0 = model["skip"]["weights"], model["skip"]["bias"]
    return [h[o] + c0[o] + sum(C[o][j] * x[j] for j in range(len(x))) for o in range(len(c0))]


@pytest.mark.parametrize("d,widths,m,linear_first", [(1, [5], 1, False), (3, [4, 6], 2, False), (2, [3], 1, True), (2, [0], 1, False)])
def test_evaluate_equals_plain_loops(d, widths, m, linear_first):
    rng = np.random.RandomState(d + m)
    model = random_model(rng, d, widths, m, linear_first)
    X = rng.randn(7, d)
    expected = np.array([by_hand(model, x) for x in X.tolist()])
    np.testing.assert_allclose(evaluate(network_from_model(model), X), expected, rtol=1e-13, atol=1e-13)


def test_probabilities():
    z = np.array([[-1000.0], [-2.0], [0.0], [3.0], [1000.0]])
    p = _probabilities(z)
    np.testing.assert_allclose(p[1:4, 1], 1 / (1 + np.exp(-z[1:4, 0])), rtol=1e-14)
    np.testing.assert_allclose(p[:, 0] + p[:, 1], 1.0, rtol=1e-15)
    np.testing.assert_allclose(p[[0, 4], 1], [0.0, 1.0])
    np.testing.assert_allclose(_log_probabilities(z)[[0, 4]], [[0.0, -1000.0], [-1000.0, 0.0]])  # finite
    logits = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]])
    expected = np.exp(logits[0]) / np.exp(logits[0]).sum()
    q = _probabilities(logits)
    np.testing.assert_allclose(q[0], expected, rtol=1e-14)
    np.testing.assert_allclose(q[1], [1.0, 0.0, 0.0])


def test_problems_become_exceptions_with_detail_and_fields():
    problem = {"type": "https://sparsefit.io/problems/validation", "title": "Invalid request", "status": 422,
               "detail": "regularization.lambda: must be >= 0",
               "errors": [{"field": "regularization.lambda", "message": "must be >= 0"},
                          {"field": "solver.tol", "message": "must be > 0"}]}
    e = error_for(422, problem, "POST", "/v1/fits")
    assert isinstance(e, InvalidRequestError) and isinstance(e, ValueError)
    assert str(e) == ("POST /v1/fits answered 422 Invalid request: regularization.lambda: must be >= 0 "
                      "[solver.tol: must be > 0]")
    assert [f["field"] for f in e.errors] == ["regularization.lambda", "solver.tol"]
    assert isinstance(error_for(404, {"title": "Not found"}), NotFoundError)
    assert isinstance(error_for(401, {"title": "Unauthorized"}), AuthenticationError)
    busy = error_for(429, {}, retry_after=2.0)
    assert isinstance(busy, BusyError) and busy.retry_after == 2.0


def test_class_outputs_named_in_text_order_are_put_in_index_order():
    rng = np.random.RandomState(5)
    model = random_model(rng, 2, [3], 11)
    names = sorted(str(k) for k in range(11))  # "0", "1", "10", "2", ...
    model["classes"] = names
    network = network_from_model(model)
    X = rng.randn(4, 2)
    before = evaluate(network, X)
    _outputs_in_index_order(network, 11)
    after = evaluate(network, X)
    for k in range(11):
        np.testing.assert_array_equal(after[:, k], before[:, names.index(str(k))])


def test_the_request_sends_a_width_only_when_one_is_given():
    x, y = np.array([[0.0], [1.0]]), [0.0, 1.0]

    def architecture(hidden_layers):
        return job_request(x, y, penalty="weight_decay", lam=0.1, solver="auto", hidden_layers=hidden_layers,
                           linear_layers=0, skip=True, max_iter=None, tol=None, time_limit=None,
                           random_state=0)["architecture"]

    # None (the estimators' default): no hiddenLayers, so the service starts at 64 neurons and auto may widen.
    assert architecture(None) == {"skip": True, "linearLayers": 0}
    assert architecture(64) == {"hiddenLayers": [64], "skip": True, "linearLayers": 0}
    assert architecture((16, np.int64(8)))["hiddenLayers"] == [16, 8]
    for bad in ((), "wide", (8.0,)):
        with pytest.raises(ValueError, match="hidden_layers"):
            architecture(bad)
