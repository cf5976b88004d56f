"""Structured logs (issue 18, item 2): JSON lines; a request's lines and the lines of the task it
caused (through the outbox and a real Celery worker) share the request id; user, instansi and
role are on the lines; no password, token, passphrase or full NIP/NIK anywhere."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from apps.core import logs, outbox, tenancy
from apps.core.models import OutboxMessage, TaskReceipt
from apps.pengusulan import services
from apps.referensi.models import Jenjang
from tests.factories import PASSWORD, UserFactory
from tests.pengusulan.conftest import pegawai_data, upload_all_mandatory

NIP = "198609262015051001"
NIK = "3273012345678901"
TOKEN = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def lines():
    """Every log line of the test process, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _no_secret(text: str, *secrets: str) -> None:
    for secret in (NIP, NIK, TOKEN, "19860926 201505 1 001", *secrets):
        assert secret not in text, f"{secret!r} leaked into the logs"


def test_the_redaction_processor_masks_secrets_everywhere(lines):
    log = logging.getLogger("siaks.uji")
    log.warning(
        "login %s gagal dengan password=%s; Authorization: Token %s; NIP 19860926 201505 1 001",
        "pic.a", "rahasia-sekali", TOKEN,
        extra={"password": "rahasia-sekali", "passphrase": "kunci ttd", "token": TOKEN, "nip": NIP, "nik": NIK,
               "data": {"kata_sandi": "x1", "catatan": f"NIK {NIK}"}},
    )  # fmt: skip
    try:
        raise ValueError(f"pegawai {NIP} tidak ditemukan")
    except ValueError:
        log.exception("galat")
    out = lines()
    text = json.dumps(out)
    _no_secret(text, "rahasia-sekali", "kunci ttd", "x1")
    first = out[0]
    assert first["password"] == first["passphrase"] == first["token"] == "[disamarkan]"
    assert first["nip"] == "1986************01" and first["nik"] == "3273**********01"
    assert first["data"] == {"kata_sandi": "[disamarkan]", "catatan": "NIK 3273**********01"}
    assert "login pic.a gagal dengan password=[disamarkan]" in first["event"]
    assert first["level"] == "warning" and first["logger"] == "siaks.uji" and "timestamp" in first
    assert "1986************01" in out[1]["exception"] and "ValueError" in out[1]["exception"]
    log.info("selesai dalam %s detik", 0.2594335660000979)
    assert lines()[-1]["event"] == "selesai dalam 0.2594335660000979 detik"  # a float is not a NIK


@pytest.mark.django_db
def test_each_request_line_carries_its_id_user_instansi_and_role(client, pic_a, lines):
    client.force_login(pic_a)
    response = client.get("/beranda/", HTTP_X_REQUEST_ID="dari-proxy-12345")
    assert response["X-Request-ID"] == "dari-proxy-12345"
    line = [x for x in lines() if x["event"] == "permintaan"][-1]
    assert line["request_id"] == "dari-proxy-12345" and line["status"] == 200 and line["path"] == "/beranda/"
    assert line["user_id"] == pic_a.pk and line["instansi_id"] == pic_a.instansi.pk
    assert line["peran"] == ["pic_instansi"] and line["view"] == "portal:beranda"
    insane = client.get("/beranda/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert insane != "<script>" and len(insane) == 32  # a header that is not a sane id is replaced


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_request_and_the_task_it_caused_share_the_request_id_and_leak_nothing(referensi, instansi_a, lines):
    from siaks.celery import app as celery_app

    pic = UserFactory(username="pic.log", instansi=instansi_a, roles=["pic_instansi"])
    UserFactory(username="verifikator.log", instansi=referensi["aks"].instansi_pembina, roles=["verifikator"])
    with tenancy.scope(instansi_a):
        services.formasi_simpan(actor=pic, jf=referensi["aks"], unit_kerja="", jumlah=3,
                                jenjang=Jenjang.objects.get(jf=referensi["aks"], kode="ahli_muda"))  # fmt: skip
        pegawai = services.pegawai_create(actor=pic, data=pegawai_data(nip=NIP))
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=referensi["aks"])
    upload_all_mandatory(pic, usulan)
    OutboxMessage.objects.all().delete()
    api = APIClient()
    issued = api.post("/api/v1/token/", {"username": pic.username, "password": PASSWORD})
    assert issued.status_code == 200
    token = issued.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    pengantar = {"pengantar_nomor": "800/123/BKD/2026", "pengantar_tanggal": "2026-06-10"}
    response = api.post(f"/api/v1/usulan/{usulan.pk}/ajukan/", pengantar, format="json")
    assert response.status_code == 200, response.content
    rid = response["X-Request-ID"]
    message = OutboxMessage.objects.get(task_name="pengusulan.kabari_transisi")
    assert message.konteks == {"request_id": rid}

    request_lines = [x for x in lines() if x.get("request_id") == rid]
    assert any(x["event"] == "permintaan" and x["status"] == 200 for x in request_lines)
    assert all(x["user_id"] == pic.pk and x["instansi_id"] == instansi_a.pk for x in request_lines
               if x["event"] == "permintaan")  # fmt: skip

    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("default")
    assert outbox.relay_once() >= 1
    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    log_path = artifacts / "worker-logs.jsonl"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "siaks.settings.test",
        "SIAKS_TEST_DB_NAME": connection.settings_dict["NAME"],
        "SIAKS_LOG_FORMAT": "json",
    }
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "siaks", "worker", "-Q", "default", "-c", "1",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 90
            key = f"pengusulan.kabari_transisi:{message.id}"
            while not TaskReceipt.objects.filter(key=key).exists():
                assert time.monotonic() < deadline, "the worker did not run the task"
                time.sleep(0.5)
            time.sleep(1)  # the task's last lines
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    raw = log_path.read_text()
    worker_lines = [json.loads(line) for line in raw.splitlines() if line.startswith("{")]
    assert worker_lines, raw[:2000]
    task_lines = [x for x in worker_lines if x.get("request_id") == rid]
    done = [x for x in task_lines if x["event"] == "tugas selesai"]
    assert done and done[0]["task"] == "pengusulan.kabari_transisi" and done[0]["status"] == "SUCCESS"
    assert done[0]["task_id"] == str(message.id)
    everything = raw + json.dumps(lines())
    _no_secret(everything, PASSWORD, token)


def test_a_database_outage_logs_one_short_warning_per_request_not_a_traceback(lines):
    from django.db import OperationalError

    log = logging.getLogger("django.request")
    for exc in (OperationalError("connection is bad: no such socket\nmore"), ValueError("sesuatu")):
        try:
            raise exc
        except Exception:
            log.error("Internal Server Error: %s", "/beranda/", exc_info=True)
    down, other = lines()[-2:]
    assert down["level"] == "warning" and "exception" not in down
    assert down["event"] == "database unreachable (503): connection is bad: no such socket"
    assert other["level"] == "error" and "ValueError: sesuatu" in other["exception"]
