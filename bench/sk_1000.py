"""Issue 6: render 1,000 single-page SK PDFs with the worker pool.

Issues 1,000 SK letters (numbers taken, content snapshotted, render requests in the outbox),
starts a real Celery worker on the ``pdf`` queue (prefork, one process per core), relays the
requests and waits until every letter is stored. Reports documents per second (wall clock,
queue to last file) and the median / p95 time per document inside the worker (lock, render,
store, hash: ``selesai_at - diproses_at``). Target: median under 100 ms per single-page SK.

Issue 16: in the same run, interleaved round by round with the worker, the same letters' HTML is
rendered by bare WeasyPrint in as many processes as the worker has (the stylesheet and fonts
parsed once per process, the trimmed user-agent sheet: the least WeasyPrint itself needs for
this document). The script prints the ratio of the medians, project ÷ bare; target ≤ 1.2×."""

from __future__ import annotations

import io
import multiprocessing
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
ROUND = 100  # letters per round: the worker renders a round, then bare WeasyPrint the same letters


def _bare_init() -> None:
    import django

    django.setup()
    from apps.surat import pdf

    pdf.aset()  # fonts and stylesheets once per process, as in the worker


def _bare_render(html: str) -> float:
    """Milliseconds for WeasyPrint alone: parse, lay out and write the PDF of ``html``."""
    from django.conf import settings

    from apps.surat import pdf

    fonts, css, _ua = pdf.aset()
    started = time.perf_counter()
    document = pdf._html_class()(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[css], font_config=fonts
    )
    document.write_pdf(io.BytesIO())
    return (time.perf_counter() - started) * 1000


def bare_round(pool, first_id: int) -> list[float]:
    """Bare renders of the HTML of the letters with id ≥ ``first_id`` (HTML made here, untimed)."""
    from apps.core import tenancy
    from apps.surat import pdf
    from apps.surat.models import VersiSurat

    with tenancy.all_tenants(reason="benchmark"):
        pages = [pdf.render_html(v) for v in VersiSurat.objects.select_related("surat").filter(id__gte=first_id)]
    return pool.map(_bare_render, pages, chunksize=1)


def issue(instansi, jf, jenjang, n: int, offset: int) -> None:
    from django.db import transaction

    from apps.core import tenancy
    from apps.pengusulan.domain import Jenis
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
                pk=None,  # no PAK issued with this SK (the SK's rows look the usulan's PAK up by pk)
                nomor=f"USL-2026-{i:012X}", jenis=Jenis.PENYESUAIAN,
                pegawai_nip=f"19860926201505{1 + i % 2}{i % 1000:03d}",
                pegawai_nama=f"Pegawai Uji {i}, S.E.", jenjang=jenjang, ak_awal=Decimal("112.500"),
                masa_kerja_pangkat=4, masa_kerja_bulan=64, masa_kerja_per=date(2026, 8, 1),
                ak_nilai_tabel=Decimal("62.500"), ak_dasar=Decimal("50.000"),
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
            bare: list[float] = []
            elapsed = 0.0
            with multiprocessing.get_context("spawn").Pool(concurrency, initializer=_bare_init) as pool:
                pool.map(_bare_render, ["<p>warm</p>"] * concurrency)
                done = WARMUP
                while done < WARMUP + N:
                    n = min(ROUND, WARMUP + N - done)
                    with tenancy.all_tenants(reason="benchmark"):
                        first_id = (VersiSurat.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
                    issue(instansi, jf, jenjang, n, done)
                    started = time.perf_counter()
                    relay_all()
                    wait_done(done + n, 1800)
                    elapsed += time.perf_counter() - started
                    bare += bare_round(pool, first_id)
                    done += n
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
        ratio = statistics.median(per_doc) / statistics.median(bare)
        print(f"WeasyPrint polos, HTML yang sama, {concurrency} proses, bergantian per {ROUND} surat: median "
              f"{statistics.median(bare):.1f} ms, p95 {sorted(bare)[int(len(bare) * 0.95)]:.1f} ms")  # fmt: skip
        print(f"rasio proyek ÷ WeasyPrint polos (median): {ratio:.2f}× (target ≤ 1,2×)")
        print(f"halaman per SK: {sorted(pages)}, rata-rata ukuran {statistics.mean(r[4] for r in rows if r[4]):.0f} "
              f"byte, gagal: {failed}")  # fmt: skip


if __name__ == "__main__":
    main()
