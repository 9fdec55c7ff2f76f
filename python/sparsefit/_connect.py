"""``connect()``: use the service at a URL, or start one from the packaged jar (H2O-style) and stop it at exit."""
import atexit
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from ._errors import ServiceUnavailableError
from ._http import Client

DEFAULT_URL = "http://localhost:8080"

_current = None  # the Connection estimators with url=None use


class Connection:
    """A service the estimators talk to. ``url``; ``process`` is the JVM when this package started it."""

    def __init__(self, url, api_key=None, process=None, data_dir=None, log_path=None):
        self.url = url
        self.api_key = api_key
        self.process = process
        self.data_dir = data_dir
        self.log_path = log_path

    @property
    def started(self):
        """True when this package started the service (and will stop it at exit)."""
        return self.process is not None

    def client(self):
        return Client(self.url, self.api_key)

    def stop(self):
        """Stops a service this package started (graceful SIGTERM, then kill) and removes its data."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __repr__(self):
        return f"Connection({self.url!r}{', started here' if self.started else ''})"


def connect(url=None, api_key=None, *, start=True, jar=None, java=None, service_args=(), timeout=180.0, verbose=False):
    """The service at ``url`` (default: ``$SPARSEFIT_URL`` or ``http://localhost:8080``), which every
    estimator with ``url=None`` then uses (in this process and, through ``$SPARSEFIT_URL`` and
    ``$SPARSEFIT_API_KEY``, in the worker processes of ``n_jobs``).

    When nothing answers there and ``start`` is true, starts the service from the packaged jar on that
    URL's port (``jar``, else ``$SPARSEFIT_JAR``, else ``target/sparsefit-*.jar`` in the sparsefit
    checkout around this package or the working directory) with ``--add-modules jdk.incubator.vector``
    and a temporary data directory (``service_args``: more ``--property=value`` arguments for it, e.g.
    API keys), waits until it is ready, and stops it when Python exits.
    """
    url = (url or os.environ.get("SPARSEFIT_URL") or DEFAULT_URL).rstrip("/")
    api_key = api_key or os.environ.get("SPARSEFIT_API_KEY")
    if _current is not None and _current.url == url and (_current.process is None or _current.process.poll() is None):
        _current.api_key = api_key or _current.api_key
        return _use(_current)
    client = Client(url, api_key)
    if client.answers():
        return _use(Connection(url, api_key))
    if not start:
        raise ServiceUnavailableError(f"nothing answers at {url}")
    parts = urlsplit(url)
    if parts.hostname not in ("localhost", "127.0.0.1", "::1"):
        raise ServiceUnavailableError(f"nothing answers at {url}, and a service can only be started on this machine")
    return _use(_start(url, parts.port or 80, api_key, find_jar(jar), java or _java(), list(service_args), timeout, verbose))


def _use(connection):
    """Makes ``connection`` the current one, also for worker processes (joblib's n_jobs) through the
    environment they inherit."""
    global _current
    _current = connection
    os.environ["SPARSEFIT_URL"] = connection.url
    if connection.api_key:
        os.environ["SPARSEFIT_API_KEY"] = connection.api_key
    return connection


def current():
    """The connection of ``connect()``, or one to ``$SPARSEFIT_URL`` / the default URL (not started)."""
    if _current is not None:
        return _current
    return Connection((os.environ.get("SPARSEFIT_URL") or DEFAULT_URL).rstrip("/"), os.environ.get("SPARSEFIT_API_KEY"))


def client_for(url=None, api_key=None):
    """The client an estimator uses: its own ``url`` and ``api_key`` if set, else the current connection's."""
    if url:
        return Client(url, api_key)
    connection = current()
    return Client(connection.url, api_key or connection.api_key)


def find_jar(jar=None):
    """The packaged service: ``jar``, ``$SPARSEFIT_JAR``, or ``target/sparsefit-*.jar`` in a directory
    above this package or above the working directory."""
    for candidate in (jar, os.environ.get("SPARSEFIT_JAR")):
        if candidate:
            if not os.path.isfile(candidate):
                raise ServiceUnavailableError(f"no service jar at {candidate}")
            return candidate
    roots = [Path(__file__).resolve().parent, Path.cwd().resolve()]
    for root in roots:
        for directory in (root, *root.parents):
            found = sorted(p for p in glob.glob(str(directory / "target" / "sparsefit-*.jar"))
                           if not p.endswith(".original"))
            if found:
                return found[-1]
    raise ServiceUnavailableError(
        "no packaged service found: build it with ./mvnw package in the sparsefit checkout, or set SPARSEFIT_JAR")


def _java():
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java or not os.path.exists(java):
        raise ServiceUnavailableError("no java found (set JAVA_HOME or put java on PATH); the service needs Java 17+")
    return java


def _start(url, port, api_key, jar, java, service_args, timeout, verbose):
    data_dir = tempfile.mkdtemp(prefix="sparsefit-")
    log_path = os.path.join(data_dir, "service.log")
    command = [java, "--add-modules", "jdk.incubator.vector", "-jar", jar,
               f"--server.port={port}", f"--sparsefit.data-dir={os.path.join(data_dir, 'data')}", *service_args]
    if verbose:
        print(f"sparsefit: starting {' '.join(command)}", file=sys.stderr)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    connection = Connection(url, api_key, process, data_dir, log_path)
    atexit.register(connection.stop)
    client = Client(url, api_key)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = _tail(log_path)
            connection.stop()
            raise ServiceUnavailableError(f"the service exited with {process.returncode} while starting:\n{tail}")
        try:
            health = client.call("GET", "/actuator/health/readiness", retries=0)
            if (health or {}).get("status") == "UP":
                if verbose:
                    print(f"sparsefit: service ready at {url}", file=sys.stderr)
                return connection
        except Exception:  # not listening yet, or 503 while starting
            pass
        time.sleep(0.5)
    tail = _tail(log_path)
    connection.stop()
    raise ServiceUnavailableError(f"the service did not become ready within {timeout:.0f} s:\n{tail}")


def _tail(path, lines=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""
