"""Prometheus metrics (issue 18, item 3): a real gunicorn with 2 workers on loopback; whichever
worker answers the scrape, the figures are the whole server's (multiprocess mode); the endpoint
needs its token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from apps.core import metrik, tenancy
from apps.core.models import OutboxMessage
from apps.pengusulan import services
from tests.factories import UserFactory
from tests.pengusulan.conftest import pegawai_data
from tests.surat.conftest import versi_sk_antre

TOKEN = "uji-token-metrik-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None, data: bytes | None = None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)  # noqa: S310 - loopback http
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _samples(text: str) -> dict:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_the_endpoint_needs_its_token(client, settings):
    settings.SIAKS_METRICS_TOKEN = None
    assert client.get("/metrics").status_code == 404
    settings.SIAKS_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer salah").status_code == 401


def test_the_signing_hook_records_a_duration():
    before = metrik.SIGNING.labels(jenis="sk")._sum.get()
    with metrik.ukur_tanda_tangan("sk"):
        time.sleep(0.01)
    metrik.catat_tanda_tangan(0.5, "sk")
    assert metrik.SIGNING.labels(jenis="sk")._sum.get() - before >= 0.51


@pytest.mark.django_db(transaction=True)
def test_tasks_by_name_and_outcome_and_the_pdf_render_time(referensi, instansi_a):
    from apps.surat.models import JenisSurat
    from apps.surat.tasks import pulihkan_macet, render

    def count(task, outcome):
        return metrik.TASKS.labels(task=task, outcome=outcome)._value.get()

    before = count("surat.pulihkan_macet", "success")
    pulihkan_macet.apply()
    assert count("surat.pulihkan_macet", "success") == before + 1
    versi = versi_sk_antre(instansi_a, referensi["aks"])
    renders = metrik.PDF_RENDER.labels(jenis=JenisSurat.SK)._sum.get()
    before = count("surat.render", "success")
    assert render.apply(kwargs={"versi_id": versi.pk}).result == "selesai"
    assert count("surat.render", "success") == before + 1
    assert metrik.PDF_RENDER.labels(jenis=JenisSurat.SK)._sum.get() > renders


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_metrics_add_up_across_two_gunicorn_workers(referensi, instansi_a, tmp_path):
    pic = UserFactory(username="pic.metrik", instansi=instansi_a, roles=["pic_instansi"])
    with tenancy.scope(instansi_a):
        services.usulan_create(actor=pic, pegawai=services.pegawai_create(actor=pic, data=pegawai_data()),
                               jf=referensi["aks"])  # fmt: skip
    OutboxMessage.objects.create(task_name="uji.menunggu")
    port = _free_port()
    multiproc = tmp_path / "prom"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "siaks.settings.test",
        "SIAKS_TEST_DB_NAME": connection.settings_dict["NAME"],
        "SIAKS_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
        "AXES_FAILURE_LIMIT": "3",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "siaks.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "60", "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/sehat/hidup/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        with ThreadPoolExecutor(4) as pool:  # in parallel, so both workers serve some
            codes = list(pool.map(lambda _: _get(f"{base}/akun/masuk/", {"Connection": "close"})[0], range(24)))
        assert codes == [200] * 24
        for _ in range(4):  # wrong password through the API: 3 failures, then locked out
            _get(f"{base}/api/v1/token/", {"Content-Type": "application/x-www-form-urlencoded"},
                 b"username=pic.metrik&password=salah")  # fmt: skip
        assert _get(f"{base}/metrics")[0] == 401
        pids = {p.name.split("_")[-1] for p in multiproc.glob("*.db")}
        assert len(pids) >= 2, f"only one worker served: {pids}"
        for _ in range(6):  # whichever worker answers, the same totals
            status, text = _get(f"{base}/metrics", {"Authorization": f"Bearer {TOKEN}", "Connection": "close"})
            assert status == 200
            s = _samples(text)
            login = (("method", "GET"), ("status", "200"), ("view", "accounts:login"))
            assert s[("siaks_http_requests_total", login)] == 24
            assert (
                s[("siaks_http_request_duration_seconds_count", (("method", "GET"), ("view", "accounts:login")))] == 24
            )
            assert s[("siaks_login_failures_total", ())] >= 3
            assert s[("siaks_login_lockouts_total", ())] >= 1
            assert s[("siaks_usulan", (("status", "draft"),))] == 1
            assert s[("siaks_outbox_pending", ())] == 1 and s[("siaks_outbox_lag_seconds", ())] >= 0
            assert ("siaks_outbox_publish_errors_total", ()) in s
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_sentry_and_tracing_are_optional(monkeypatch, caplog):
    """Variables set without their packages: a warning, and the portal runs on."""
    from siaks import observability

    monkeypatch.setattr(observability, "_done", False)
    monkeypatch.setenv("SENTRY_DSN", "https://kunci@sentry.invalid/1")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    for name in ("sentry_sdk", "opentelemetry"):
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    with caplog.at_level("WARNING"):
        assert observability.aktifkan() == {"sentry": False, "otel": False}
    assert "sentry-sdk is not installed" in caplog.text and "OpenTelemetry packages are not installed" in caplog.text
    monkeypatch.delenv("SENTRY_DSN")
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT")
    monkeypatch.setattr(observability, "_done", False)
    assert observability.aktifkan() == {"sentry": False, "otel": False}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_serves_the_task_metrics_of_its_pool_children(tmp_path):
    from django.db import transaction

    from apps.core import outbox
    from siaks.celery import app as celery_app

    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("default")
    with transaction.atomic():
        for _ in range(3):
            outbox.enqueue("surat.pulihkan_macet")
    assert outbox.relay_once() == 3
    port = _free_port()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "siaks.settings.test",
        "SIAKS_TEST_DB_NAME": connection.settings_dict["NAME"],
        "SIAKS_METRICS_PORT": str(port),
        "SIAKS_METRICS_ADDR": "127.0.0.1",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "siaks", "worker", "-Q", "default", "-c", "2",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    key = (("outcome", "success"), ("task", "surat.pulihkan_macet"))
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, text = _get(f"http://127.0.0.1:{port}/metrics")
                if status == 200 and _samples(text).get(("siaks_celery_tasks_total", key)) == 3:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the worker's metrics never showed the 3 tasks"
            time.sleep(0.5)
        assert _samples(text)[("siaks_celery_task_duration_seconds_count", (("task", "surat.pulihkan_macet"),))] == 3
    finally:
        worker.terminate()
        worker.wait(timeout=60)
