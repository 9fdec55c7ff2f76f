"""Missing inputs (NaN in X), handled as the service handles empty cells (``preprocessing.missing``).

JSON numbers have no empty cell, so a fit of X with NaN uploads X and y as a CSV dataset (an empty cell
per NaN) and fits it by ``datasetId``; ``predict_remote`` sends such rows as CSV too. Offline, ``predict``
fills NaN with the means the model stores (``inputs[].impute``, ``missing="impute_mean"``), as the
service does at predict.
"""
import numpy as np

POLICIES = ("error", "drop_rows", "impute_mean")


def check_policy(missing):
    if missing not in POLICIES:
        raise ValueError(f"missing must be one of {', '.join(POLICIES)}, got {missing!r}")


def input_names(d):
    return [f"x{j}" for j in range(d)]


def table_csv(columns, X, Y=None):
    """A CSV table: a header of ``columns`` (and ``y0, y1, ...`` with Y), an empty cell for each NaN of X,
    numbers written exactly (``repr`` of a float reads back to the same double)."""
    header = list(columns) + ([] if Y is None else [f"y{k}" for k in range(Y.shape[1])])
    lines = [",".join(header)]
    for i, row in enumerate(X):
        cells = ["" if np.isnan(v) else repr(float(v)) for v in row]
        if Y is not None:
            cells += [repr(float(v)) for v in Y[i]]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def upload_table(client, X, y_sent):
    """Uploads X (NaN: an empty cell) and the targets as a CSV dataset; returns its id."""
    Y = np.asarray(y_sent, dtype=float).reshape(len(X), -1)
    targets = ",".join(f"y{k}" for k in range(Y.shape[1]))
    dataset = client.call("POST", f"/v1/datasets?target={targets}", csv=table_csv(input_names(X.shape[1]), X, Y))
    return dataset["id"]


def fill_missing(network, X):
    """X with each NaN replaced by the model's stored mean of its column; a ValueError naming the column
    when the model imputes none there (it was fitted with ``missing`` "error" or "drop_rows")."""
    missing = np.isnan(X)
    if not missing.any():
        return X
    impute = network.get("impute")
    for j in np.flatnonzero(missing.any(axis=0)):
        if impute is None or np.isnan(impute[j]):
            raise ValueError(f"X has missing values in column {j}, and the model imputes none there "
                             "(fit it with missing='impute_mean' to fill them with the training means)")
    return np.where(missing, impute, X)
