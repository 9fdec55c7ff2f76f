"""One HTTP client for the service: JSON calls, problem+json to exceptions, Server-Sent Events."""
import json
import time

import requests

from ._errors import ServiceUnavailableError, error_for

DEFAULT_TIMEOUT = 60.0


class Client:
    """Calls to one service at ``url`` (e.g. ``http://localhost:8080``), with an optional API key."""

    def __init__(self, url, api_key=None, timeout=DEFAULT_TIMEOUT):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._session = requests.Session()

    def headers(self, accept="application/json"):
        headers = {"Accept": accept}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def call(self, method, path, body=None, retries=5, csv=None):
        """One request with a JSON ``body`` or a ``csv`` text (``text/csv``); returns the decoded JSON
        answer (None for 204). Problems raise ServiceError subclasses; a full queue (429 with
        Retry-After) is retried ``retries`` times."""
        data = None if body is None else json.dumps(body, allow_nan=False)
        headers = self.headers()
        if data is not None:
            headers["Content-Type"] = "application/json"
        if csv is not None:
            data = csv.encode("utf-8")
            headers["Content-Type"] = "text/csv"
        for attempt in range(retries + 1):
            try:
                response = self._session.request(method, self.url + path, data=data, headers=headers,
                                                 timeout=self.timeout)
            except requests.ConnectionError as e:
                raise ServiceUnavailableError(
                    f"nothing answers at {self.url} ({e.__class__.__name__}); start the service or call "
                    "sparsefit.connect() to start a local one") from None
            if response.status_code == 429 and attempt < retries:
                time.sleep(_retry_after(response, 1.0))
                continue
            return _decode(response, method, path)

    def events(self, path):
        """Yields (event name, decoded data) of a text/event-stream until the server ends it."""
        try:
            response = self._session.get(self.url + path, headers=self.headers("text/event-stream"),
                                         stream=True, timeout=(self.timeout, None))
        except requests.ConnectionError as e:
            raise ServiceUnavailableError(f"nothing answers at {self.url} ({e.__class__.__name__})") from None
        with response:
            if response.status_code >= 400:
                _decode(response, "GET", path)
            name, data = None, []
            for line in response.iter_lines(decode_unicode=True):
                if not line:
                    if data:
                        yield name, json.loads("\n".join(data))
                    name, data = None, []
                elif line.startswith("event:"):
                    name = line[len("event:"):].strip()
                elif line.startswith("data:"):
                    data.append(line[len("data:"):])
            if data:
                yield name, json.loads("\n".join(data))

    def answers(self):
        """True when something answers HTTP at the URL (any status)."""
        try:
            self._session.get(self.url + "/actuator/health/readiness", headers=self.headers(), timeout=2)
            return True
        except requests.RequestException:
            return False


def _retry_after(response, default):
    value = response.headers.get("Retry-After")
    try:
        return default if value is None else float(value)
    except ValueError:
        return default


def _decode(response, method, path):
    if response.status_code >= 400:
        try:
            problem = response.json()
        except ValueError:
            problem = {"detail": response.text[:500]}
        raise error_for(response.status_code, problem, method, path, _retry_after(response, None))
    if response.status_code == 204 or not response.content:
        return None
    return response.json()
