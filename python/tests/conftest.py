"""The service every test talks to: $SPARSEFIT_URL (default http://localhost:8080), started from the
packaged jar by sparsefit.connect() when nothing answers there (.ci/python-check sets both)."""
import os

import pytest

import sparsefit


@pytest.fixture(scope="session", autouse=True)
def service():
    return sparsefit.connect(os.environ.get("SPARSEFIT_URL"), timeout=300)
