"""Exceptions: every problem+json answer of the service (RFC 9457) becomes one of these."""


class SparseFitError(Exception):
    """Base of every error raised by this package."""


class ServiceError(SparseFitError):
    """The service answered with a problem (4xx/5xx).

    Attributes: ``status`` (HTTP status), ``title``, ``detail``, ``type``, ``instance`` and ``errors``
    (the field errors, a list of ``{"field", "message"}``), all taken from the problem object.
    """

    def __init__(self, status, problem, method="", path=""):
        problem = problem if isinstance(problem, dict) else {}
        self.status = status
        self.problem = problem
        self.title = problem.get("title") or f"HTTP {status}"
        self.detail = problem.get("detail") or ""
        self.type = problem.get("type")
        self.instance = problem.get("instance")
        self.errors = list(problem.get("errors") or [])
        message = f"{method} {path} answered {status} {self.title}".strip()
        if self.detail:
            message += f": {self.detail}"
        fields = [f"{e.get('field')}: {e.get('message')}" for e in self.errors
                  if f"{e.get('field')}: {e.get('message')}" not in self.detail]
        if fields:
            message += " [" + "; ".join(fields) + "]"
        super().__init__(message)


class InvalidRequestError(ServiceError, ValueError):
    """400 or 422: the request (data or parameters) was refused; ``errors`` names the fields."""


class AuthenticationError(ServiceError, PermissionError):
    """401 or 403: no valid API key (``api_key``, or the one given to ``connect``)."""


class NotFoundError(ServiceError, LookupError):
    """404: the dataset, fit or model does not exist (any more)."""


class TooLargeError(ServiceError, ValueError):
    """413: the data or the fit is beyond the service's limits."""


class BusyError(ServiceError):
    """429 or 503: the queue is full or the service is not ready; ``retry_after`` seconds, when given."""

    def __init__(self, status, problem, method="", path="", retry_after=None):
        super().__init__(status, problem, method, path)
        self.retry_after = retry_after


class FitFailedError(SparseFitError, RuntimeError):
    """The fit (or path) job ended FAILED; ``problem`` is the job's error object."""

    def __init__(self, kind, job_id, problem):
        self.job_id = job_id
        self.problem = problem or {}
        detail = self.problem.get("detail") or self.problem.get("title") or "no detail"
        super().__init__(f"{kind} {job_id} failed: {detail}")


class FitCancelledError(SparseFitError):
    """The fit (or path) job ended CANCELLED by someone else (a KeyboardInterrupt is re-raised as is)."""


class ServiceUnavailableError(SparseFitError, ConnectionError):
    """Nothing answers at the service URL (and no local service could be started)."""


def error_for(status, problem, method="", path="", retry_after=None):
    """The exception for one problem answer."""
    if status in (400, 422):
        return InvalidRequestError(status, problem, method, path)
    if status in (401, 403):
        return AuthenticationError(status, problem, method, path)
    if status == 404:
        return NotFoundError(status, problem, method, path)
    if status == 413:
        return TooLargeError(status, problem, method, path)
    if status in (429, 503):
        return BusyError(status, problem, method, path, retry_after)
    return ServiceError(status, problem, method, path)
