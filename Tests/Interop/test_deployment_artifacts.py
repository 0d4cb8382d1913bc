"""The deployment artifacts: Containerfile linted by hadolint, the Kubernetes manifests validated
against Kubernetes 1.30's schema by kubernetes-validate (both from PyPI, Tests/Interop/
requirements.txt), every setting of the README reachable from them, and a server that starts on
the ConfigMap's values."""

import pathlib
import re
import shutil
import subprocess

import pytest
import yaml

import protos
from auth import SERVER_ENVIRONMENT
from server import Server, binary_path

ROOT = protos.REPO_ROOT
KUBERNETES = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.30.0"
# README "Configuration" names it, but it is not a setting of this build yet (the server refuses
# to start when it is set), so no manifest may set it.
NOT_YET_SETTINGS = {"DATABASE_READ_URL"}


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not on PATH: tools/setup installs it from Tests/Interop/requirements.txt",
                    pytrace=False)
    return path


def manifests():
    return sorted(KUBERNETES.rglob("*.yaml"))


def resources():
    found = {}
    for path in manifests():
        for document in yaml.safe_load_all(path.read_text()):
            found[(document["kind"], document["metadata"]["name"])] = document
    return found


def readme_settings():
    """The variables named in the first column of README's "Configuration" table."""
    text = (ROOT / "README.md").read_text()
    table = text.split("## Configuration", 1)[1].split("\n\n", 2)[1]
    names = set()
    for line in table.splitlines()[2:]:
        first_cell = line.split("|")[1]
        names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    assert "DATABASE_URL" in names and "PORT" in names, table[:200]
    return names


def test_containerfile_passes_hadolint():
    result = subprocess.run([tool("hadolint"), "--failure-threshold", "info", "--no-color", "Containerfile"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_containerfile_runs_the_binary_alone_as_a_user():
    lines = [line.strip() for line in (ROOT / "Containerfile").read_text().splitlines()]
    runtime = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM ")):]
    assert runtime[0].startswith("FROM debian:bookworm-slim")
    copies = [line for line in runtime if line.startswith("COPY")]
    assert copies == ["COPY --from=build /out/call-booking /usr/local/bin/call-booking"]
    assert [line for line in runtime if line.startswith("USER")][-1] == "USER 10001:10001"
    assert "EXPOSE 3003" in runtime
    assert not any(line.startswith(("ENV ", "ARG ")) for line in runtime), "no setting or secret baked in"


def runtime_packages():
    """The packages the runtime stage installs (its apt-get install line)."""
    text = (ROOT / "Containerfile").read_text()
    runtime = text[text.rindex("\nFROM "):]
    install = runtime.split("apt-get install", 1)[1].split("&&", 1)[0]
    return {word for word in install.replace("\\", " ").split() if not word.startswith("-")}


def package_of(path):
    """The Debian package that installed a library (dpkg knows it under /usr/lib or /lib)."""
    for candidate in (path, path.replace("/usr/lib/", "/lib/", 1), path.replace("/lib/", "/usr/lib/", 1)):
        owner = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if owner.returncode == 0:
            return owner.stdout.split(":")[0]
    pytest.fail(f"no Debian package owns {path}", pytrace=False)


def test_the_runtime_image_has_a_package_for_every_system_library_the_binary_links():
    """The debug binary links the system libraries the release one does (the Swift runtime
    aside, which the image's binary has linked in): each must come from a package the runtime
    stage installs. libcurl is reached through Foundation, so it is only checked by name."""
    binary = str(binary_path())
    elf = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
    direct = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", elf)
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    resolved = dict(re.findall(r"^\s*(\S+) => (/\S+)", ldd, re.MULTILINE))
    system = [resolved[name] for name in direct if resolved.get(name, "").startswith(("/lib/", "/usr/lib/"))]
    owners = {package_of(path) for path in system}
    assert {"libpq5", "libnghttp2-14", "libssl3", "libjemalloc2"} <= owners, owners
    missing = owners - runtime_packages() - {"libc6"}
    assert not missing, f"the runtime stage of Containerfile lacks {sorted(missing)}"
    assert "libcurl4" in runtime_packages()


def test_manifests_validate_against_the_kubernetes_schema():
    result = subprocess.run(
        [tool("kubernetes-validate"), "--kubernetes-version", KUBERNETES_VERSION, "--strict",
         *map(str, manifests())],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    kinds = {kind for kind, _ in resources()}
    assert kinds == {"ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                     "NetworkPolicy", "Job"}


def test_every_setting_is_in_the_configmap_or_a_secret_reference():
    found = resources()
    configmap_text = (KUBERNETES / "configmap.yaml").read_text()
    configmap = found[("ConfigMap", "call-booking")]["data"]
    commented = set(re.findall(r"^  # ([A-Z][A-Z0-9_]+): ", configmap_text, re.MULTILINE))
    container = found[("Deployment", "call-booking")]["spec"]["template"]["spec"]["containers"][0]
    secrets = {entry["name"] for entry in container["env"] if "secretKeyRef" in entry["valueFrom"]}
    for entry in container["env"]:
        assert entry["valueFrom"]["secretKeyRef"]["key"] == entry["name"]
    reachable = set(configmap) | commented | secrets
    missing = readme_settings() - NOT_YET_SETTINGS - reachable
    assert not missing, f"README settings the manifests do not mention: {sorted(missing)}"
    assert not (reachable & NOT_YET_SETTINGS)
    unknown = reachable - readme_settings()
    assert not unknown, f"manifest settings the README does not list: {sorted(unknown)}"
    secret_shaped = {"CLERK_SECRET_KEY", "STREAM_SECRET_KEY", "CALENDLY_API_KEY", "CALENDLY_WEBHOOK_SECRET",
                     "TRIGGER_DEV_API_KEY", "METRICS_TOKEN", "BOOKING_LINK_SECRET", "DATABASE_URL"}
    assert secret_shaped <= secrets
    assert not (secret_shaped & (set(configmap) | commented))


def test_a_drain_ends_before_the_kubelet_kills_the_pod():
    found = resources()
    pod = found[("Deployment", "call-booking")]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    grace = int(found[("ConfigMap", "call-booking")]["data"]["SHUTDOWN_GRACE_SECONDS"])
    sleep = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
    # After the grace period the server cancels what still runs and waits 5 s more for it.
    assert pod["terminationGracePeriodSeconds"] > sleep + grace + 5
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["grpc"]["port"] == 3003
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] and not security["allowPrivilegeEscalation"]
    assert pod["securityContext"]["runAsNonRoot"] and pod["securityContext"]["runAsUser"] == 10001


def test_the_migration_job_runs_the_migrate_mode():
    job = resources()[("Job", "call-booking-migrate")]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["migrate"]
    assert [entry["name"] for entry in container["env"]] == ["DATABASE_URL"], "migrate reads nothing else"


def test_the_server_starts_on_the_configmaps_values():
    """The ConfigMap's values are settings the server accepts (a typo would stop the start)."""
    configmap = resources()[("ConfigMap", "call-booking")]["data"]
    environment = dict(configmap)
    # Loopback and the test's provider keys and fakes instead of the real ones.
    for name in ("PORT", "HOST", "CALENDLY_BASE_URL", "STREAM_BASE_URL", "TRIGGER_DEV_BASE_URL"):
        environment.pop(name)
    environment.update(SERVER_ENVIRONMENT)
    environment["TRIGGER_DEV_BASE_URL"] = "http://127.0.0.1:9"
    process = Server(grace_seconds=int(configmap["SHUTDOWN_GRACE_SECONDS"]), extra_environment=environment)
    try:
        process.stop()
    finally:
        process.close()
