"""connect(): uses a service that answers, else starts the packaged jar and stops it at exit."""
import os
import socket
import subprocess
import sys
import textwrap
import time

import pytest
import requests

import sparsefit
from sparsefit import ServiceUnavailableError
from sparsefit._connect import find_jar


def test_connect_reuses_a_service_that_answers(service):
    again = sparsefit.connect(service.url)
    assert again is service
    assert requests.get(service.url + "/actuator/health/readiness", timeout=5).json()["status"] == "UP"


def test_connect_refuses_to_start_when_told_not_to():
    port = free_port()
    with pytest.raises(ServiceUnavailableError, match="nothing answers"):
        sparsefit.connect(f"http://localhost:{port}", start=False)


def test_connect_starts_the_jar_and_stops_it_at_exit():
    """In a child Python: connect() starts the jar (here with an API key required), fits through it with
    the key, is refused without it, and the JVM and its data are gone once the child exits."""
    try:
        find_jar()
    except ServiceUnavailableError as e:
        pytest.skip(str(e))
    port = free_port()
    script = textwrap.dedent(f"""
        import numpy as np, pytest, sparsefit
        c = sparsefit.connect("http://localhost:{port}", api_key="sparsefit-test-key-0123", service_args=[
            "--sparsefit.security.api-keys[0].id=tester", "--sparsefit.security.api-keys[0].key=sparsefit-test-key-0123"])
        assert c.started, c
        x = np.arange(8.0)[:, None]
        m = sparsefit.SparseFitRegressor(lam=0.1, solver="exact").fit(x, np.abs(x[:, 0] - 3))
        with pytest.raises(sparsefit.AuthenticationError) as refused:
            sparsefit.SparseFitRegressor(url=c.url).fit(x, x[:, 0])
        assert refused.value.status == 401, refused.value
        print(c.process.pid, c.data_dir, len(m.network_["knots"]))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ, SPARSEFIT_URL="", SPARSEFIT_API_KEY=""))
    assert out.returncode == 0, out.stderr
    pid, data_dir, knots = out.stdout.split()
    assert int(knots) >= 1
    assert not os.path.exists(data_dir)  # removed at exit
    with pytest.raises(ProcessLookupError):  # the JVM was stopped (and reaped) at exit
        for _ in range(50):
            os.kill(int(pid), 0)
            time.sleep(0.1)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://localhost:{port}/actuator/health", timeout=2)


def free_port():
    """A free port of the 19 after $PYTHON_CHECK_PORT (default 18400, the suite's service): the range this
    project's checks may use."""
    base = int(os.environ.get("PYTHON_CHECK_PORT", "18400"))
    for port in range(base + 1, base + 20):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    pytest.skip(f"no free port in {base + 1}-{base + 19}")
