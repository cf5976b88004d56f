"""Letters under stress: parallel issuance never duplicates or skips a number, and a worker
killed mid-render leads to the letter being produced exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from apps.core import outbox, tenancy
from apps.surat import services
from apps.surat.models import JenisSurat, PenomoranSurat, Surat, VersiSurat
from apps.surat.tasks import pulihkan_macet

TANGGAL = date(2026, 8, 20)
TTD = ("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal", "196805121993031002")


def _issue(instansi, jf, *, fail: bool = False) -> str:
    with tenancy.scope(instansi), transaction.atomic():
        surat = services._create(
            jenis=JenisSurat.SK, penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=TANGGAL,
            perihal="SK uji", actor=None, penandatangan=TTD,
        )  # fmt: skip
        time.sleep(0.05)  # hold the counter row while the others queue behind it
        if fail:
            raise RuntimeError("rolled back after taking a number")
        return surat.nomor


@pytest.mark.django_db(transaction=True)
def test_parallel_issuance_is_unique_and_gapless(referensi, instansi_a, instansi_b):
    jf = referensi["pengantar-kerja"]
    barrier = threading.Barrier(10)
    results, errors = [], []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            instansi = instansi_a if i < 8 else instansi_b
            results.append((instansi.pk, _issue(instansi, jf, fail=i in (3, 6))))
        except RuntimeError:
            errors.append(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(errors) == [3, 6]
    with tenancy.all_tenants(reason="test"):
        urut_a = sorted(Surat.objects.filter(penerbit=instansi_a).values_list("nomor_urut", flat=True))
        urut_b = sorted(Surat.objects.filter(penerbit=instansi_b).values_list("nomor_urut", flat=True))
    assert urut_a == [1, 2, 3, 4, 5, 6]  # 8 attempts, 2 rolled back: their numbers were given back
    assert urut_b == [1, 2]  # per issuer
    assert PenomoranSurat.objects.get(penerbit=instansi_a, seri="sk", tahun=2026).terakhir == 6
    nomor_a = sorted(n for pk, n in results if pk == instansi_a.pk)
    assert nomor_a == [f"800.1.3.3/{i:04d}/SK-JF/{instansi_a.kode}/2026" for i in range(1, 7)]


@pytest.mark.django_db(transaction=True)
def test_numbers_restart_each_year_and_follow_the_issuers_format(referensi, instansi_a):
    from apps.surat.models import PolaNomor

    jf = referensi["aks"]
    PolaNomor.objects.create(penerbit=instansi_a, seri="sk", pola="SK-{urut:03d}/{kode}/{bulan_romawi}/{tahun}")
    with tenancy.scope(instansi_a), transaction.atomic():
        a = services._create(jenis=JenisSurat.SK, penerbit=instansi_a, instansi_id=instansi_a.pk, jf=jf,
                             tanggal=date(2026, 12, 31), perihal="x", actor=None, penandatangan=TTD)  # fmt: skip
        b = services._create(jenis=JenisSurat.SK_KOLEKTIF, penerbit=instansi_a, instansi_id=instansi_a.pk, jf=jf,
                             tanggal=date(2027, 1, 2), perihal="x", actor=None, penandatangan=TTD)  # fmt: skip
    assert a.nomor == "SK-001/KEMENHUB/XII/2026" and b.nomor == "SK-001/KEMENHUB/I/2027"


def _big_isi(n: int) -> dict:
    row = {
        "nip": "198609262015051001", "tempat_lahir": "Bandung", "tanggal_lahir": "1 Mei 1980", "pangkat": "Penata",
        "golongan": "III/c", "tmt_golongan": "1 April 2021", "pendidikan": "S1", "jabatan_lama": "Pelaksana",
        "unit_kerja": "Biro Umum", "jenjang": "Ahli Muda", "kelas_jabatan": 9, "ak": "100",
    }  # fmt: skip
    return {
        "nomor": "800/1/2026", "tanggal_teks": "20 Agustus 2026", "perihal": "SK kolektif", "instansi": "Uji",
        "penerbit": {"nama": "Uji", "baris": ["UJI"]}, "penandatangan": {"nama": TTD[0], "jabatan": TTD[1]},
        "jf": {"nama": "Pengantar Kerja"}, "kolektif": True, "menimbang": ["a"], "mengingat": ["b"],
        "diktum": [{"urutan": "KESATU", "teks": "Mengangkat."}], "rekomendasi": {"nomor": "1", "tanggal": "-"},
        "tembusan": [], "tmt_teks": "1 September 2026",
        "pegawai": [{**row, "no": i, "nama": f"Pegawai Uji {i}"} for i in range(1, n + 1)],
    }  # fmt: skip


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(x) for x in (task / "children").read_text().split()]
    return out


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_produces_the_letter_exactly_once(referensi, instansi_a, tmp_path):
    from siaks.celery import app as celery_app

    jf = referensi["pengantar-kerja"]
    with tenancy.scope(instansi_a), transaction.atomic():
        surat = services._create(
            jenis=JenisSurat.SK_KOLEKTIF, penerbit=instansi_a, instansi_id=instansi_a.pk, jf=jf, tanggal=TANGGAL,
            perihal="SK kolektif besar", actor=None, penandatangan=TTD,
        )  # fmt: skip
        versi = services._versi(surat, _big_isi(300), actor=None)  # ~20 pages: a few seconds to render
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("pdf")
    assert outbox.relay_once() == 1

    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)  # a clean clone has no artifacts folder yet
    log = open(artifacts / "worker-killed.log", "w")  # noqa: SIM115
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "siaks.settings.test",
        "SIAKS_TEST_DB_NAME": connection.settings_dict["NAME"],
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "siaks", "worker", "-Q", "pdf", "-c", "1", "-P", "prefork",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:

        def state():
            with tenancy.all_tenants(reason="test"):
                return VersiSurat.objects.values_list("status", "percobaan").get(pk=versi.pk)

        _wait(lambda: state() == ("diproses", 1), 60, "the first render to start")
        time.sleep(0.5)  # inside WeasyPrint now
        children = _children(worker.pid)
        assert len(children) == 1
        os.kill(children[0], signal.SIGKILL)
        _wait(lambda: state()[0] == "selesai", 120, "the re-delivered render")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        log.close()
    with tenancy.all_tenants(reason="test"):
        versi.refresh_from_db()
        assert versi.percobaan == 2  # killed once, produced once
        assert VersiSurat.objects.filter(surat=surat).count() == 1
        assert Surat.objects.filter(penerbit=instansi_a).count() == 1
    assert PenomoranSurat.objects.get(penerbit=instansi_a, seri="sk").terakhir == 1  # no number taken again
    import hashlib

    with versi.berkas.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == versi.sha256
    assert versi.jumlah_halaman > 5
    stored = list((Path(settings.MEDIA_ROOT) / Path(versi.berkas.name).parent).glob(f"{versi.kode}*"))
    assert stored == [Path(settings.MEDIA_ROOT) / versi.berkas.name]  # one file, no half-written twin


@pytest.mark.django_db(transaction=True)
def test_the_sweep_requeues_a_render_stuck_after_a_lost_worker(referensi, instansi_a):
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.models import OutboxMessage

    jf = referensi["aks"]
    with tenancy.scope(instansi_a), transaction.atomic():
        surat = services._create(jenis=JenisSurat.SK, penerbit=instansi_a, instansi_id=instansi_a.pk, jf=jf,
                                 tanggal=TANGGAL, perihal="x", actor=None, penandatangan=TTD)  # fmt: skip
        versi = services._versi(surat, _big_isi(1), actor=None)
    OutboxMessage.objects.all().update(published_at=timezone.now())
    with tenancy.all_tenants(reason="test"):
        VersiSurat.objects.filter(pk=versi.pk).update(status="diproses", percobaan=1, diproses_at=timezone.now())
        assert pulihkan_macet() == 0  # still within its time
        old = timezone.now() - timedelta(minutes=11)
        VersiSurat.objects.filter(pk=versi.pk).update(diproses_at=old)
        assert pulihkan_macet() == 1
        assert OutboxMessage.objects.filter(task_name="surat.render", published_at__isnull=True).count() == 1
        VersiSurat.objects.filter(pk=versi.pk).update(percobaan=5, diproses_at=old)
        assert pulihkan_macet() == 0
        assert VersiSurat.objects.get(pk=versi.pk).status == "gagal"


def _start_worker(log, name: str) -> subprocess.Popen:
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "siaks.settings.test",
        "SIAKS_TEST_DB_NAME": connection.settings_dict["NAME"],
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "siaks", "worker", "-Q", "pdf", "-c", "1", "-P", "prefork",
         "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_whole_worker_killed_mid_render_has_the_letter_rendered_again_within_two_minutes(referensi, instansi_a):
    """The whole worker (main process and pool child) dies — a killed pod, the OOM killer. Its
    message stays unacknowledged in Redis until visibility_timeout; the sweep (every 30 s by
    beat, run here by the test) sees that no live worker renders the version and re-queues it."""
    from siaks.celery import app as celery_app

    jf = referensi["pengantar-kerja"]
    with tenancy.scope(instansi_a), transaction.atomic():
        surat = services._create(
            jenis=JenisSurat.SK_KOLEKTIF, penerbit=instansi_a, instansi_id=instansi_a.pk, jf=jf, tanggal=TANGGAL,
            perihal="SK kolektif besar", actor=None, penandatangan=TTD,
        )  # fmt: skip
        versi = services._versi(surat, _big_isi(300), actor=None)
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("pdf")
    assert outbox.relay_once() == 1

    artifacts = Path(settings.BASE_DIR) / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    log = open(artifacts / "worker-whole-killed.log", "w")  # noqa: SIM115

    def state():
        with tenancy.all_tenants(reason="test"):
            return VersiSurat.objects.values_list("status", "percobaan").get(pk=versi.pk)

    first = _start_worker(log, "pertama")
    second = None
    try:
        _wait(lambda: state() == ("diproses", 1), 60, "the first render to start")
        time.sleep(0.5)
        for pid in [*_children(first.pid), first.pid]:
            os.kill(pid, signal.SIGKILL)  # the whole worker, at once
        killed_at = time.monotonic()
        first.wait(timeout=10)
        second = _start_worker(log, "kedua")  # the orchestrator starts a new one

        def recovered():
            pulihkan_macet()  # beat runs it every 30 s
            outbox.relay_once()
            return state()[0] == "selesai"

        deadline = killed_at + 120
        while not recovered():
            assert time.monotonic() < deadline, f"still {state()} two minutes after the worker died"
            time.sleep(5)
        took = time.monotonic() - killed_at
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)
        log.close()
    assert took < 120
    with tenancy.all_tenants(reason="test"):
        versi.refresh_from_db()
        assert versi.percobaan == 2 and VersiSurat.objects.filter(surat=surat).count() == 1
    assert PenomoranSurat.objects.get(penerbit=instansi_a, seri="sk").terakhir == 1
    stored = list((Path(settings.MEDIA_ROOT) / Path(versi.berkas.name).parent).glob(f"{versi.kode}*"))
    assert stored == [Path(settings.MEDIA_ROOT) / versi.berkas.name]
    print(f"re-rendered {took:.0f} s after the worker died")


@pytest.mark.django_db(transaction=True)
def test_the_sweep_leaves_a_render_a_live_worker_holds_and_requeues_one_no_worker_holds(
    referensi, instansi_a, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.models import OutboxMessage
    from apps.surat import tasks

    jf = referensi["aks"]
    with tenancy.scope(instansi_a), transaction.atomic():
        surat = services._create(jenis=JenisSurat.SK, penerbit=instansi_a, instansi_id=instansi_a.pk, jf=jf,
                                 tanggal=TANGGAL, perihal="x", actor=None, penandatangan=TTD)  # fmt: skip
        versi = services._versi(surat, _big_isi(1), actor=None)
    OutboxMessage.objects.all().update(published_at=timezone.now())
    started = timezone.now() - timedelta(seconds=45)
    with tenancy.all_tenants(reason="test"):
        VersiSurat.objects.filter(pk=versi.pk).update(status="diproses", percobaan=1, diproses_at=started)
    monkeypatch.setattr(tasks, "_render_aktif", lambda: {versi.pk})
    assert pulihkan_macet() == 0  # a live worker renders it
    monkeypatch.setattr(tasks, "_render_aktif", lambda: None)
    assert pulihkan_macet() == 0  # the workers cannot be asked: wait for the 10-minute rule
    monkeypatch.setattr(tasks, "_render_aktif", lambda: set())
    assert pulihkan_macet() == 1  # nobody holds it: its worker died
    with tenancy.all_tenants(reason="test"):
        assert VersiSurat.objects.get(pk=versi.pk).status == "antrean"
    assert OutboxMessage.objects.filter(task_name="surat.render", published_at__isnull=True).count() == 1
    assert pulihkan_macet() == 0  # queued again: not re-queued twice
