"""Plots (matplotlib, imported only here): a fitted 1-D or 2-D model, and a regularization path."""
import numpy as np


def _axes(ax):
    """The given Axes, or a new figure's, laid out tight when it is drawn."""
    import matplotlib.pyplot as plt
    if ax is None:
        figure, ax = plt.subplots(figsize=(6, 4))
        figure.set_layout_engine("tight")
    return ax


def plot_model(estimator, X, y, output, ax):
    """1 input: the function over the data range, its knots, the data; 2 inputs: a heat map of the
    function with each neuron's line ``w . x = b`` and the data."""
    network = estimator.network_
    d = network["input_dim"]
    lo, hi = estimator.feature_range_
    if X is not None:
        X = np.asarray(X, dtype=float).reshape(-1, d)
        lo, hi = np.minimum(lo, X.min(axis=0)), np.maximum(hi, X.max(axis=0))
    margin = 0.05 * np.where(hi > lo, hi - lo, 1.0)
    lo, hi = lo - margin, hi + margin
    ax = _axes(ax)
    from ._network import evaluate
    if d == 1:
        knots = [k["x"] for k in network.get("knots", [])]
        grid = np.union1d(np.linspace(lo[0], hi[0], 400), [k for k in knots if lo[0] <= k <= hi[0]])
        ax.plot(grid, evaluate(network, grid[:, None])[:, output], color="C0", label="fitted spline")
        if knots:
            at = np.array(knots)
            ax.plot(at, evaluate(network, at[:, None])[:, output], "o", color="C3", label=f"{len(knots)} knots")
        if X is not None and y is not None:
            ax.plot(X[:, 0], np.asarray(y, dtype=float).reshape(len(X), -1)[:, output], ".", color="0.4", label="data")
        ax.set_xlabel(_name(estimator, 0))
        ax.set_ylabel("f(x)")
        ax.legend()
    elif d == 2:
        g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
        values = evaluate(network, np.column_stack([g0.ravel(), g1.ravel()]))[:, output].reshape(g0.shape)
        mesh = ax.pcolormesh(g0, g1, values, shading="auto", cmap="viridis")
        ax.figure.colorbar(mesh, ax=ax, label="f(x)")
        for n in network.get("neurons", []):  # the line w . x = b where the neuron bends
            w, b = n["w"], n["b"]
            if abs(w[1]) >= abs(w[0]):
                xs = np.array([lo[0], hi[0]])
                ax.plot(xs, (b - w[0] * xs) / w[1], color="white", lw=0.8)
            else:
                ys = np.array([lo[1], hi[1]])
                ax.plot((b - w[1] * ys) / w[0], ys, color="white", lw=0.8)
        if X is not None:
            ax.scatter(X[:, 0], X[:, 1], c="k", s=6)
        ax.set_xlim(lo[0], hi[0])
        ax.set_ylim(lo[1], hi[1])
        ax.set_xlabel(_name(estimator, 0))
        ax.set_ylabel(_name(estimator, 1))
    else:
        raise ValueError(f"plot() draws models with 1 or 2 inputs; this one has {d}")
    return ax


def plot_path(path, ax):
    """Validation MSE ± one standard error and training MSE against lambda, best and oneSe marked."""
    ax = _axes(ax)
    ax.errorbar(path.lambdas, path.validation_mse, yerr=path.validation_se, fmt="o-", ms=3, capsize=2,
                label="validation MSE (± 1 SE)")
    ax.plot(path.lambdas, path.train_mse, "s--", ms=3, label="training MSE")
    for name, style in (("best", "C3"), ("oneSe", "C2")):
        choice = getattr(path, name)
        if choice:
            ax.axvline(choice["lambda"], color=style, ls=":", label=f"{name}: lambda {choice['lambda']:.3g}")
    ax.set_xscale("log")
    ax.set_xlabel("lambda")
    ax.set_ylabel("mean squared error")
    ax.legend()
    return ax


def _name(estimator, j):
    names = getattr(estimator, "feature_names_in_", None)
    return str(names[j]) if names is not None else f"x{j}"
