"""The service every test talks to: $SPARSEFIT_URL (default http://localhost:8080), started from the
packaged jar by sparsefit.connect() when nothing answers there (.ci/python-check sets both). Modules
with OFFLINE = True do not need it."""
import os

import pytest

import sparsefit


@pytest.fixture(scope="session")
def service():
    return sparsefit.connect(os.environ.get("SPARSEFIT_URL"), timeout=300)


@pytest.fixture(autouse=True)
def _service_unless_offline(request):
    if not getattr(request.module, "OFFLINE", False):
        request.getfixturevalue("service")
