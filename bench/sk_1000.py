"""Issue 6: render 1,000 single-page SK PDFs with the worker pool.

Issues 1,000 SK letters (numbers taken, content snapshotted, render requests in the outbox),
starts a real Celery worker on the ``pdf`` queue (prefork, one process per core), relays the
requests and waits until every letter is stored. Reports documents per second (wall clock,
queue to last file) and the median / p95 time per document inside the worker (lock, render,
store, hash: ``selesai_at - diproses_at``). Target: median under 100 ms per single-page SK."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from _setup import bench_database

N = int(os.environ.get("BENCH_N", "1000"))
WARMUP = 10


def issue(instansi, jf, jenjang, n: int, offset: int) -> None:
    from django.db import transaction

    from apps.core import tenancy
    from apps.surat import isi, services
    from apps.surat.models import JenisSurat

    rekomendasi = SimpleNamespace(penerbit=jf.instansi_pembina, nomor="001/REK-JF/KEMNAKER/VIII/2026",
                                  tanggal=date(2026, 8, 3))  # fmt: skip
    with tenancy.scope(instansi), transaction.atomic():
        for i in range(offset, offset + n):
            surat = services._create(
                jenis=JenisSurat.SK, penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=date(2026, 8, 20),
                perihal=f"Pengangkatan dalam JF {jf.nama} a.n. Pegawai {i}", actor=None,
                penandatangan=("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal", "196805121993031002"),
                tmt=date(2026, 9, 1),
            )  # fmt: skip
            usulan = SimpleNamespace(
                nomor=f"USL-2026-{i:012X}", pegawai_nip=f"19860926201505{1 + i % 2}{i % 1000:03d}",
                pegawai_nama=f"Pegawai Uji {i}, S.E.", jenjang=jenjang, ak_awal=Decimal("112.500"),
                masa_kerja_pangkat=64,
                data_pegawai={"nip": f"19860926201505{1 + i % 2}{i % 1000:03d}", "nama": f"Pegawai Uji {i}, S.E.",
                              "tempat_lahir": "Surabaya", "tanggal_lahir": "1986-09-26", "pangkat": "Penata",
                              "golongan": "III/c", "tmt_golongan": "2021-04-01", "pendidikan": "Sarjana (S1)",
                              "jabatan_saat_ini": "Pengelola Penempatan Tenaga Kerja", "unit_kerja": "Biro SDM"},
            )  # fmt: skip
            services._versi(surat, isi.sk(surat, [usulan], rekomendasi), actor=None)


def relay_all() -> int:
    from apps.core import outbox

    total = 0
    while n := outbox.relay_once(limit=500):
        total += n
    return total


def wait_done(expected: int, timeout: float) -> None:
    from apps.core import tenancy
    from apps.surat.models import VersiSurat

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with tenancy.all_tenants(reason="benchmark"):
            done = VersiSurat.objects.filter(status__in=["selesai", "gagal"]).count()
        if done >= expected:
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out: {done}/{expected} letters done")


def main() -> None:
    with bench_database("sk"):
        from django.conf import settings
        from django.db import connections

        from apps.core import tenancy
        from apps.core.models import Instansi
        from apps.referensi.loader import load_all
        from apps.referensi.models import JabatanFungsional, Jenjang
        from apps.surat.models import VersiSurat
        from siaks.celery import app as celery_app

        load_all()
        jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
        jenjang = Jenjang.objects.get(jf=jf, kode="ahli_muda")
        instansi = Instansi.objects.create(kode="KEMENHUB", nama="Kementerian Perhubungan", jenis="kementerian",
                                           kop_surat="KEMENTERIAN PERHUBUNGAN\nSEKRETARIAT JENDERAL")  # fmt: skip
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge("pdf")
        concurrency = int(os.environ.get("BENCH_WORKERS", os.cpu_count() or 2))
        env = os.environ | {"DJANGO_SETTINGS_MODULE": "siaks.settings.test",
                            "SIAKS_TEST_DB_NAME": connections["default"].settings_dict["NAME"]}  # fmt: skip
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            [sys.executable, "-m", "celery", "-A", "siaks", "worker", "-Q", "pdf", "-c", str(concurrency),
             "-P", "prefork", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
            cwd=settings.BASE_DIR, env=env,
        )  # fmt: skip
        try:
            issue(instansi, jf, jenjang, WARMUP, 0)  # each worker process loads fonts and templates once
            relay_all()
            wait_done(WARMUP, 120)
            issue(instansi, jf, jenjang, N, WARMUP)
            started = time.perf_counter()
            relay_all()
            wait_done(WARMUP + N, 1800)
            elapsed = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        with tenancy.all_tenants(reason="benchmark"):
            fields = ("status", "diproses_at", "selesai_at", "jumlah_halaman", "ukuran")
            rows = list(VersiSurat.objects.order_by("id").values_list(*fields)[WARMUP:])
        failed = sum(1 for r in rows if r[0] != "selesai")
        per_doc = sorted((r[2] - r[1]).total_seconds() * 1000 for r in rows if r[0] == "selesai")
        pages = {r[3] for r in rows if r[0] == "selesai"}
        print(f"{N} SK PDF, {concurrency} worker processes: {elapsed:.1f} s, {N / elapsed:.1f} dokumen/detik")
        print(f"per dokumen (kunci + render + simpan + sha256): median {statistics.median(per_doc):.1f} ms, "
              f"p95 {per_doc[int(len(per_doc) * 0.95)]:.1f} ms, maks {per_doc[-1]:.1f} ms")  # fmt: skip
        print(f"halaman per SK: {sorted(pages)}, rata-rata ukuran {statistics.mean(r[4] for r in rows if r[4]):.0f} "
              f"byte, gagal: {failed}")  # fmt: skip


if __name__ == "__main__":
    main()
