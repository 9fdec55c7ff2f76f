#!/usr/bin/python3
"""Asserts deployment rules on manifests rendered by `helm template` from helm/sparsefit.

Run with Debian's /usr/bin/python3 (needs python3-yaml); .ci/chart-check calls it:
    /usr/bin/python3 .ci/check_manifests.py --mode embedded target/helm/rendered-embedded.yaml
    /usr/bin/python3 .ci/check_manifests.py --mode postgres --db-secret NAME FILE
Prints every failed assertion and a summary line; exits 1 if any assertion failed.
"""
import argparse
import sys

import yaml

LIVENESS = "/actuator/health/liveness"
READINESS = "/actuator/health/readiness"
METRICS = "/actuator/prometheus"
APP_PORT = 8080
APP_UID = 10001
APP_SHUTDOWN_TIMEOUT_S = 30
DATASOURCE_ENVS = ("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD")

# apiVersion each kind must use (the stable APIs on Kubernetes >= 1.25).
API_VERSIONS = {
    "Deployment": "apps/v1",
    "Service": "v1",
    "ConfigMap": "v1",
    "Secret": "v1",
    "ServiceAccount": "v1",
    "PersistentVolumeClaim": "v1",
    "PodDisruptionBudget": "policy/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
}


class Checker:
    def __init__(self):
        self.failures = []
        self.passed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failures.append(message)
        return condition


def dig(obj, *path, default=None):
    """obj[path[0]][path[1]]... or default when any step is missing."""
    for key in path:
        if isinstance(obj, dict) and key in obj:
            obj = obj[key]
        elif isinstance(obj, list) and isinstance(key, int) and -len(obj) <= key < len(obj):
            obj = obj[key]
        else:
            return default
    return obj


def by_kind(docs, kind):
    return [d for d in docs if d.get("kind") == kind]


def check_metadata(c, docs):
    for d in docs:
        kind = d.get("kind")
        name = dig(d, "metadata", "name")
        c.check(kind in API_VERSIONS, f"unexpected kind {kind!r} ({name})")
        if kind in API_VERSIONS:
            c.check(d.get("apiVersion") == API_VERSIONS[kind],
                    f"{kind} {name}: apiVersion {d.get('apiVersion')!r}, expected {API_VERSIONS[kind]!r}")
        c.check(bool(name), f"{kind} without metadata.name")
        c.check(dig(d, "metadata", "labels", "app.kubernetes.io/name") == "sparsefit",
                f"{kind} {name}: missing label app.kubernetes.io/name=sparsefit")


def probe_path(container, probe):
    return dig(container, probe, "httpGet", "path")


def check_probes(c, container):
    c.check(probe_path(container, "startupProbe") == LIVENESS, f"startupProbe must GET {LIVENESS}")
    c.check(probe_path(container, "livenessProbe") == LIVENESS, f"livenessProbe must GET {LIVENESS}")
    c.check(probe_path(container, "readinessProbe") == READINESS, f"readinessProbe must GET {READINESS}")
    ports = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
    c.check(ports.get("http") == APP_PORT, f"container port 'http' must be {APP_PORT}, got {ports}")
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        port = dig(container, probe, "httpGet", "port")
        c.check(port in ("http", APP_PORT), f"{probe} must target port http/{APP_PORT}, got {port!r}")
        c.check((dig(container, probe, "timeoutSeconds") or 1) >= 1, f"{probe}: timeoutSeconds < 1")
    # The start-up budget must cover a slow start (Boot needs 8-20 s on a small CPU share).
    startup_budget = (dig(container, "startupProbe", "initialDelaySeconds", default=0)
                      + dig(container, "startupProbe", "periodSeconds", default=10)
                      * dig(container, "startupProbe", "failureThreshold", default=3))
    c.check(startup_budget >= 60, f"startupProbe allows only {startup_budget} s to start; need >= 60 s")


def check_security(c, pod_spec, container):
    psc = pod_spec.get("securityContext") or {}
    c.check(psc.get("runAsNonRoot") is True, "pod securityContext.runAsNonRoot must be true")
    c.check(dig(psc, "seccompProfile", "type") == "RuntimeDefault",
            "pod securityContext.seccompProfile.type must be RuntimeDefault")
    c.check(psc.get("runAsUser") == APP_UID, f"pod securityContext.runAsUser must be {APP_UID}")
    csc = container.get("securityContext") or {}
    c.check(csc.get("runAsNonRoot") is True, "container securityContext.runAsNonRoot must be true")
    c.check(csc.get("runAsUser") == APP_UID, f"container securityContext.runAsUser must be {APP_UID}")
    c.check(csc.get("readOnlyRootFilesystem") is True, "container readOnlyRootFilesystem must be true")
    c.check(csc.get("allowPrivilegeEscalation") is False, "container allowPrivilegeEscalation must be false")
    c.check(csc.get("privileged") in (None, False), "container must not be privileged")
    c.check("ALL" in (dig(csc, "capabilities", "drop") or []), "container capabilities.drop must contain ALL")
    c.check(not dig(csc, "capabilities", "add"), "container must not add capabilities")
    seccomp = dig(csc, "seccompProfile", "type")
    c.check(seccomp in (None, "RuntimeDefault"), f"container seccompProfile {seccomp!r} weakens the pod's")


def check_resources(c, container):
    res = container.get("resources") or {}
    for kind, key in (("requests", "cpu"), ("requests", "memory"), ("limits", "memory")):
        c.check(bool(dig(res, kind, key)), f"resources.{kind}.{key} must be set")


def volume_by_mount(pod_spec, container, mount_path):
    mount = next((m for m in container.get("volumeMounts", []) if m.get("mountPath") == mount_path), None)
    if mount is None:
        return None
    return next((v for v in pod_spec.get("volumes", []) if v.get("name") == mount.get("name")), None)


def env_map(container):
    return {e.get("name"): e for e in container.get("env", [])}


def check_shutdown(c, pod_spec, container):
    grace = pod_spec.get("terminationGracePeriodSeconds")
    c.check(isinstance(grace, int) and grace > APP_SHUTDOWN_TIMEOUT_S,
            f"terminationGracePeriodSeconds must exceed the app's {APP_SHUTDOWN_TIMEOUT_S} s shutdown timeout, got {grace}")
    command = dig(container, "lifecycle", "preStop", "exec", "command") or []
    sleep = dig(container, "lifecycle", "preStop", "sleep", "seconds")
    if sleep is None and len(command) == 2 and command[0] == "sleep" and str(command[1]).isdigit():
        sleep = int(command[1])
    c.check(isinstance(sleep, int) and sleep > 0, "a preStop sleep must let endpoints drain before SIGTERM")
    if isinstance(grace, int) and isinstance(sleep, int):
        c.check(grace > sleep + APP_SHUTDOWN_TIMEOUT_S,
                f"terminationGracePeriodSeconds {grace} must exceed preStop {sleep} s + shutdown {APP_SHUTDOWN_TIMEOUT_S} s")


def check_config_map(c, config_maps):
    if not c.check(len(config_maps) == 1, f"expected 1 ConfigMap, found {len(config_maps)}"):
        return
    text = dig(config_maps[0], "data", "application.yaml")
    if not c.check(isinstance(text, str), "ConfigMap must carry application.yaml"):
        return
    try:
        first = next(iter(yaml.safe_load_all(text)), None) or {}
    except yaml.YAMLError as e:
        c.check(False, f"ConfigMap application.yaml is not valid YAML: {e}")
        return
    c.check(dig(first, "server", "shutdown") == "graceful", "application.yaml: server.shutdown must be graceful")
    c.check(dig(first, "spring", "lifecycle", "timeout-per-shutdown-phase") == f"{APP_SHUTDOWN_TIMEOUT_S}s",
            "application.yaml: spring.lifecycle.timeout-per-shutdown-phase must be 30s")
    c.check(dig(first, "server", "port") == APP_PORT, f"application.yaml: server.port must be {APP_PORT}")
    c.check(dig(first, "sparsefit", "data-dir") == "/data", "application.yaml: sparsefit.data-dir must be /data")
    threads = dig(first, "sparsefit", "fits", "threads")
    c.check(isinstance(threads, int) and threads >= 1,
            "application.yaml: sparsefit.fits.threads must be set explicitly (0 would mean every core of the node)")
    c.check("password" not in text.lower(), "ConfigMap must not carry a password")
    threshold = dig(first, "management", "health", "diskspace", "threshold")
    c.check(isinstance(threshold, str) and threshold.endswith("MB") and threshold[:-2].isdigit() and int(threshold[:-2]) >= 1,
            f"application.yaml: management.health.diskspace.threshold must be set from the volume size (got {threshold!r})")


def check(docs, mode, expect_hpa, expect_secret, db_secret, existing_claim=None):
    c = Checker()
    check_metadata(c, docs)

    deployments = by_kind(docs, "Deployment")
    if not c.check(len(deployments) == 1, f"expected 1 Deployment, found {len(deployments)}"):
        return c
    deployment = deployments[0]
    pod_template = dig(deployment, "spec", "template", default={})
    pod_spec = pod_template.get("spec", {})
    pod_labels = dig(pod_template, "metadata", "labels", default={})
    containers = pod_spec.get("containers", [])
    if not c.check(len(containers) == 1, f"expected 1 container, found {len(containers)}"):
        return c
    container = containers[0]

    check_probes(c, container)
    check_security(c, pod_spec, container)
    check_resources(c, container)
    check_shutdown(c, pod_spec, container)
    c.check(pod_spec.get("automountServiceAccountToken") is False, "pod must not mount a service account token")

    selector = dig(deployment, "spec", "selector", "matchLabels", default={})
    c.check(selector and all(pod_labels.get(k) == v for k, v in selector.items()),
            "Deployment selector must match its pod labels")

    tmp = volume_by_mount(pod_spec, container, "/tmp")
    c.check(tmp is not None and "emptyDir" in tmp, "/tmp must be an emptyDir volume (root filesystem is read-only)")

    annotations = dig(pod_template, "metadata", "annotations", default={})
    c.check(annotations.get("prometheus.io/scrape") == "true", "pod annotation prometheus.io/scrape must be \"true\"")
    c.check(annotations.get("prometheus.io/port") == str(APP_PORT), f"pod annotation prometheus.io/port must be \"{APP_PORT}\"")
    c.check(annotations.get("prometheus.io/path") == METRICS, f"pod annotation prometheus.io/path must be {METRICS}")
    c.check(bool(annotations.get("checksum/config")), "pod annotation checksum/config must roll pods on config change")

    # Service, ServiceAccount, ConfigMap, PDB
    services = by_kind(docs, "Service")
    if c.check(len(services) == 1, f"expected 1 Service, found {len(services)}"):
        svc_selector = dig(services[0], "spec", "selector", default={})
        c.check(svc_selector and all(pod_labels.get(k) == v for k, v in svc_selector.items()),
                "Service selector must match the pod labels")
        c.check(dig(services[0], "spec", "ports", 0, "targetPort") in ("http", APP_PORT), "Service must target port http")
    accounts = by_kind(docs, "ServiceAccount")
    c.check(len(accounts) == 1 and dig(accounts[0], "metadata", "name") == pod_spec.get("serviceAccountName"),
            "the pod must run as the chart's ServiceAccount")
    check_config_map(c, by_kind(docs, "ConfigMap"))
    config_volume = volume_by_mount(pod_spec, container, "/etc/sparsefit")
    c.check(config_volume is not None and "configMap" in config_volume, "ConfigMap must be mounted at /etc/sparsefit")
    locations = (dig(env_map(container), "SPRING_CONFIG_ADDITIONAL_LOCATION", "value") or "").split(",")
    c.check(locations[0] == "optional:file:/etc/sparsefit/", "SPRING_CONFIG_ADDITIONAL_LOCATION must point at the mounted ConfigMap")
    if len(locations) > 1:
        # The optional API keys Secret: its own config directory, mounted from a Secret (never the ConfigMap).
        keys_volume = volume_by_mount(pod_spec, container, "/etc/sparsefit-keys")
        c.check(locations[1:] == ["optional:file:/etc/sparsefit-keys/"] and keys_volume is not None and "secret" in keys_volume,
                "API keys must come from a Secret mounted at /etc/sparsefit-keys")
    pdbs = by_kind(docs, "PodDisruptionBudget")
    if c.check(len(pdbs) == 1, f"expected 1 PodDisruptionBudget, found {len(pdbs)}"):
        pdb_selector = dig(pdbs[0], "spec", "selector", "matchLabels", default={})
        c.check(pdb_selector and all(pod_labels.get(k) == v for k, v in pdb_selector.items()),
                "PodDisruptionBudget selector must match the pod labels")

    # Per-mode rules
    pvcs = by_kind(docs, "PersistentVolumeClaim")
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    secrets = by_kind(docs, "Secret")
    envs = env_map(container)
    data = volume_by_mount(pod_spec, container, "/data")
    strategy = dig(deployment, "spec", "strategy", "type")
    if mode == "embedded":
        if existing_claim:
            c.check(not pvcs, "with persistence.existingClaim the chart must not create a PVC")
            claim = existing_claim
        else:
            c.check(len(pvcs) == 1, f"embedded mode needs 1 PersistentVolumeClaim, found {len(pvcs)}")
            claim = dig(pvcs, 0, "metadata", "name")
        c.check(data is not None and claim and dig(data, "persistentVolumeClaim", "claimName") == claim,
                f"embedded mode must mount the PVC {claim!r} at /data")
        c.check(dig(deployment, "spec", "replicas") == 1, "embedded mode must run exactly 1 replica")
        c.check(strategy == "Recreate", f"embedded mode needs strategy Recreate (RWO volume), got {strategy!r}")
        c.check(not hpas, "embedded mode must not have an HPA")
        c.check(not secrets, "embedded mode must not have a Secret")
        for name in DATASOURCE_ENVS:
            c.check(name not in envs, f"embedded mode must not set {name}")
    else:
        c.check(not pvcs, "postgres mode must not create a PersistentVolumeClaim")
        c.check(data is None or "persistentVolumeClaim" not in data, "postgres mode must not mount a PVC")
        c.check(strategy == "RollingUpdate", f"postgres mode needs strategy RollingUpdate, got {strategy!r}")
        secret_names = set()
        for name in DATASOURCE_ENVS:
            env = envs.get(name)
            ref = dig(env, "valueFrom", "secretKeyRef")
            if c.check(env is not None and "value" not in env and ref and ref.get("name") and ref.get("key"),
                       f"postgres mode: {name} must come from a secretKeyRef (no literal value)"):
                secret_names.add(ref["name"])
        c.check(len(secret_names) == 1, f"datasource settings must come from one Secret, got {sorted(secret_names)}")
        if db_secret:
            c.check(secret_names == {db_secret}, f"datasource Secret must be {db_secret!r}, got {sorted(secret_names)}")
        if expect_secret:
            c.check(len(secrets) == 1 and dig(secrets, 0, "metadata", "name") in secret_names,
                    "createSecret=true must render the referenced Secret")
        else:
            c.check(not secrets, "with existingSecret the chart must only reference the Secret, not create one")
        if expect_hpa:
            if c.check(len(hpas) == 1, f"expected 1 HorizontalPodAutoscaler, found {len(hpas)}"):
                target = dig(hpas[0], "spec", "scaleTargetRef", default={})
                c.check(target.get("kind") == "Deployment" and target.get("name") == dig(deployment, "metadata", "name"),
                        "HPA must scale the Deployment")
                c.check(dig(hpas[0], "spec", "minReplicas", default=0) >= 1, "HPA minReplicas must be >= 1")
            c.check("replicas" not in deployment["spec"], "with an HPA the Deployment must not pin spec.replicas")
        else:
            c.check(not hpas, "the HPA must be off by default")
            c.check(dig(deployment, "spec", "replicas", default=0) >= 1, "postgres mode needs replicas >= 1")
    return c


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("embedded", "postgres"), required=True)
    parser.add_argument("--expect-hpa", action="store_true", help="the render has autoscaling enabled")
    parser.add_argument("--expect-secret", action="store_true", help="the render has database.createSecret=true")
    parser.add_argument("--db-secret", help="name the datasource secretKeyRefs must use")
    parser.add_argument("--existing-claim", help="embedded mode: the PVC given as persistence.existingClaim")
    parser.add_argument("file")
    args = parser.parse_args()
    try:
        with open(args.file, encoding="utf-8") as f:
            docs = [d for d in yaml.safe_load_all(f) if d]
    except (OSError, yaml.YAMLError) as e:
        print(f"check_manifests: FAILED {args.file}: cannot read: {e}")
        return 1
    c = check(docs, args.mode, args.expect_hpa, args.expect_secret, args.db_secret, args.existing_claim)
    for message in c.failures:
        print(f"  FAIL {message}")
    status = "OK" if not c.failures else "FAILED"
    kinds = ", ".join(sorted(d.get("kind", "?") for d in docs))
    print(f"check_manifests: {status} {args.file} [{args.mode}]: {c.passed} passed, {len(c.failures)} failed ({kinds})")
    return 0 if not c.failures else 1


if __name__ == "__main__":
    sys.exit(main())
