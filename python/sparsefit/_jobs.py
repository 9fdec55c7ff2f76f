"""Runs a fit or path job: submit, follow its event stream, cancel it on KeyboardInterrupt."""
import sys
import time

from ._errors import FitCancelledError, FitFailedError, ServiceError

FINAL = ("SUCCEEDED", "FAILED", "CANCELLED")


def run_job(client, kind, body, verbose=False):
    """POSTs ``body`` to ``/v1/{kind}`` (``fits`` or ``paths``) and returns the final resource once it
    SUCCEEDED. Progress arrives over ``/v1/{kind}/{id}/events`` (polling when the stream breaks off);
    each event goes to ``report_progress``. A KeyboardInterrupt while waiting cancels the job on the
    service (DELETE) before it propagates."""
    job = client.call("POST", f"/v1/{kind}", body)
    try:
        final = _follow(client, kind, job, verbose)
    except KeyboardInterrupt:
        cancel(client, kind, job["id"], verbose)
        raise
    if final["state"] == "FAILED":
        raise FitFailedError(kind[:-1], final["id"], final.get("error"))
    if final["state"] == "CANCELLED":
        raise FitCancelledError(f"{kind[:-1]} {final['id']} was cancelled")
    return final


def cancel(client, kind, job_id, verbose=False):
    """Cancels a queued or running job (DELETE; a finished one would be deleted, so only while it runs)."""
    try:
        if client.call("GET", f"/v1/{kind}/{job_id}")["state"] not in FINAL:
            client.call("DELETE", f"/v1/{kind}/{job_id}")
            if verbose:
                print(f"sparsefit: {kind[:-1]} {job_id} cancelled", file=sys.stderr)
    except ServiceError as e:  # already gone; the interrupt is what matters
        if verbose:
            print(f"sparsefit: cancelling {kind[:-1]} {job_id}: {e}", file=sys.stderr)


def _follow(client, kind, job, verbose):
    report_progress(job, verbose)
    if job["state"] in FINAL:
        return job
    try:
        for name, resource in client.events(f"/v1/{kind}/{job['id']}/events"):
            report_progress(resource, verbose)
            if name == "state" or resource.get("state") in FINAL:
                return resource
    except (ServiceError, OSError, ValueError):
        pass  # the stream broke off (proxy, timeout): poll instead
    while True:
        resource = client.call("GET", f"/v1/{kind}/{job['id']}")
        report_progress(resource, verbose)
        if resource["state"] in FINAL:
            return resource
        time.sleep(0.25)


def report_progress(resource, verbose):
    """Prints one progress line (state, iteration or points, objective, duality gap) when ``verbose``."""
    if not verbose:
        return
    progress = resource.get("progress") or {}
    parts = [f"sparsefit: {resource.get('id', '')[:8]} {resource.get('state')}"]
    if "iteration" in progress:
        parts.append(f"iteration {progress['iteration']}/{progress.get('maxIter')}")
    if "points" in progress:
        parts.append(f"point {progress['points']}/{progress.get('totalPoints')}")
    if progress.get("objective") is not None:
        parts.append(f"objective {progress['objective']:.6g}")
    if progress.get("gap") is not None:
        parts.append(f"gap {progress['gap']:.3g}")
    print("  ".join(parts), flush=True)
