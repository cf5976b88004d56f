"""Health (issue 18, item 1): liveness touches nothing; readiness fails when any dependency is
down — database role, Redis, storage, migrations; the worker and relay liveness files; the
outbox relay's heartbeat and lag; ``manage.py embedded status`` only reports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connections
from django.test import Client, override_settings
from django.utils import timezone

from apps.core import outbox, sehat
from apps.core.models import OutboxMessage
from siaks import embedded, probe

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_migration_check():
    sehat._migrations_ok = False
    yield
    sehat._migrations_ok = False


def _siap(client=None):
    return (client or Client()).get("/sehat/siap/")


class RusakStorage(FileSystemStorage):
    """A media store that refuses every write (read-only or full)."""

    def _save(self, name, content):
        raise OSError(30, "Read-only file system")


def test_liveness_answers_without_touching_any_dependency(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sehat/hidup/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_is_ok_when_every_dependency_answers(client):
    response = _siap(client)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["cek"] == {"database": "ok", "redis": "ok", "penyimpanan": "ok", "migrasi": "ok"}
    assert body["outbox"]["menunggu"] == 0 and body["outbox"]["lag_detik"] == 0.0
    assert client.get("/sehat/").json()["status"] == "ok"  # the older path is readiness too
    assert not list(Path(settings.MEDIA_ROOT, ".sehat").glob("*"))  # the probe file was deleted


def test_not_ready_when_connected_as_another_role_than_configured(client, monkeypatch):
    monkeypatch.setitem(settings.DATABASES["default"], "USER", "x")
    response = _siap(client)
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert response.json()["cek"]["database"] == f"gagal: terhubung sebagai {embedded.APP_ROLE}, bukan x"


def test_not_ready_while_the_broker_redis_is_down(client):
    embedded.stop_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)
    try:
        response = _siap(client)
    finally:
        embedded.ensure_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)
    assert response.status_code == 503
    body = response.json()
    assert body["cek"]["redis"].startswith("gagal: broker") and body["cek"]["database"] == "ok"
    assert _siap(client).status_code == 200  # back without a restart


def test_redis_can_be_left_out_of_what_decides_readiness(client, settings):
    """The web serves with Redis down (the cache fails open): an operator may keep pods ready."""
    settings.SIAKS_SEHAT_WAJIB = "database,penyimpanan,migrasi"
    embedded.stop_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)
    try:
        response = _siap(client)
    finally:
        embedded.ensure_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)
    assert response.status_code == 200
    assert response.json()["cek"]["redis"].startswith("gagal: broker")  # still reported


def test_not_ready_when_the_cache_redis_is_unreachable(client, tmp_path):
    dead = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"unix://{tmp_path}/mati.sock"}
    with override_settings(CACHES={"default": dead}):
        response = _siap(client)
    assert response.status_code == 503 and response.json()["cek"]["redis"].startswith("gagal: cache")


def test_not_ready_when_the_storage_refuses_writes(client):
    with override_settings(STORAGES={**settings.STORAGES, "default": {"BACKEND": f"{__name__}.RusakStorage"}}):
        response = _siap(client)
    assert response.status_code == 503 and response.json()["cek"]["penyimpanan"] == "gagal: OSError"


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])
def test_not_ready_while_a_migration_is_pending(client):
    owner = connections[settings.MIGRATION_DATABASE]
    with owner.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE id = (SELECT max(id) FROM django_migrations) RETURNING app, name"
        )
        app, name = cursor.fetchone()
    try:
        response = _siap(client)
        assert response.status_code == 503 and response.json()["cek"]["migrasi"] == "gagal: 1 migrasi belum dijalankan"
    finally:
        with owner.cursor() as cursor:
            cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, now())", [app, name])
    assert _siap(client).status_code == 200


def test_readiness_reports_the_relay_heartbeat_and_the_outbox_lag(client, tmp_path, monkeypatch):
    monkeypatch.setenv("SIAKS_LIVENESS_DIR", str(tmp_path))
    message = OutboxMessage.objects.create(task_name="x.y")
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=90))
    body = _siap(client).json()
    assert body["outbox"]["relay_denyut_detik"] is None  # no relay has run
    assert body["outbox"]["menunggu"] == 1 and 89 <= body["outbox"]["lag_detik"] < 120
    outbox.denyut()
    body = _siap(client).json()
    assert 0 <= body["outbox"]["relay_denyut_detik"] < 5
    assert probe.main(["relay", "--max-age", "5"]) == 0
    assert probe.main(["worker"]) == 1  # no worker touched its file here


def _probe(env, name="worker", max_age=3):
    return subprocess.run(
        [sys.executable, "-m", "siaks.probe", name, "--max-age", str(max_age)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )  # fmt: skip


@pytest.mark.slow
def test_the_worker_liveness_probe_follows_the_workers_event_loop(tmp_path):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "siaks.settings.test",
        "SIAKS_LIVENESS_DIR": str(tmp_path),
        "SIAKS_LIVENESS_INTERVAL": "0.5",
    }
    assert _probe(env).returncode == 1  # no worker yet
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "siaks", "worker", "-Q", "sehat-uji", "-c", "1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while _probe(env).returncode != 0:
            assert time.monotonic() < deadline, "the worker never touched its liveness file"
            time.sleep(0.5)
        time.sleep(2)
        assert _probe(env).returncode == 0  # still touched: the loop turns
        os.kill(worker.pid, signal.SIGSTOP)  # the main process hangs
        time.sleep(4)
        hung = _probe(env)
        assert hung.returncode == 1 and "denyut terakhir" in hung.stdout
        os.kill(worker.pid, signal.SIGCONT)
        deadline = time.monotonic() + 10
        while _probe(env).returncode != 0:
            assert time.monotonic() < deadline, "the worker did not recover"
            time.sleep(0.3)
    finally:
        os.kill(worker.pid, signal.SIGCONT)
        worker.terminate()
        worker.wait(timeout=60)
    assert not (tmp_path / "worker").exists()  # a worker that stops cleanly removes its file


def test_embedded_status_only_reports(tmp_path):
    env = {"PATH": os.environ["PATH"], "SIAKS_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "manage.py", "embedded", "status"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "PostgreSQL: not running" in out.stdout and "Redis: not running" in out.stdout
    assert not (tmp_path / "pg").exists() and not (tmp_path / "redis").exists()  # nothing started
