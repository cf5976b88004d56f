"""docker-compose cannot run here (no Docker engine); it is kept right by review and this test."""

from __future__ import annotations

import re
from pathlib import Path

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


def test_the_postgres_bootstrap_creates_a_role_without_bypassrls():
    sql = (ROOT / "deploy" / "postgres" / "10-roles.sql").read_text()
    app_line = next(line for line in sql.splitlines() if line.startswith("CREATE ROLE siaks_app"))
    assert "NOSUPERUSER" in app_line and "NOBYPASSRLS" in app_line
    assert "CREATE DATABASE siaks OWNER siaks_owner" in sql


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
