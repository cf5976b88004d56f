"""Issue 17: sign 1,000 one-page SKs electronically with the worker pool (queue ``ttd``).

Set-up: a throw-away database, the test CA (apps.ttd.ca_uji), a local RFC 3161 TSA on loopback
(apps.ttd.tsa_uji), the PPK registered as a signing official with the ``pkcs12`` backend. One
SK is rendered for real by the PDF worker code; its bytes are stored as the issued PDF of every
letter (numbered rows of their own), so the benchmark measures signing, not rendering.

Then, in the same run:

* **bare pyHanko**: the same PDF signed in this one process with plain pyHanko calls (the same
  key, TSA, PAdES settings and visible QR block) — the comparator;
* **portal, 1 worker process**: one signing request per letter through the outbox to a real
  Celery worker (``-Q ttd -c 1``): lock, read the issued file, sign, store, record;
* **portal, 2 worker processes**: the same with ``-c 2`` on a fresh set of letters.

Reports signatures per second (wall clock, queue to last signature) and the median time per
signature (bare: the pyHanko call; portal: ``selesai_at - diproses_at`` in the worker). Targets:
portal median ≤ 1.25 × bare median; 2 workers ≥ 1.7 × the throughput of 1. ``BENCH_N`` sets the
letters per round (default 1000); the machine's cores are shared with everything else running."""

from __future__ import annotations

import io
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
WARMUP = 6
PASSPHRASE = "bench-pkcs12"  # noqa: S105 - a throw-away test key
NIP = "196805121993031002"


def render_one_sk(instansi, jf, jenjang, ppk) -> bytes:
    from django.db import transaction

    from apps.core import tenancy
    from apps.surat import isi, services
    from apps.surat.models import VersiSurat
    from apps.surat.tasks import render

    rekomendasi = SimpleNamespace(penerbit=jf.instansi_pembina, nomor="001/REK-JF/KEMNAKER/VIII/2026",
                                  tanggal=date(2026, 8, 3))  # fmt: skip
    with tenancy.scope(instansi), transaction.atomic():
        surat = services._create(
            jenis="sk", penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=date(2026, 8, 20),
            perihal=f"Pengangkatan dalam JF {jf.nama}", actor=ppk,
            penandatangan=("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal", NIP), tmt=date(2026, 9, 1),
        )  # fmt: skip
        usulan = SimpleNamespace(
            nomor="USL-2026-000000000001", pegawai_nip="198609262015051001", pegawai_nama="Pegawai Uji, S.E.",
            jenjang=jenjang, ak_awal=Decimal("112.500"), masa_kerja_pangkat=4, masa_kerja_bulan=64,
            ak_nilai_tabel=Decimal("100.000"), ak_dasar=Decimal("12.500"),
            data_pegawai={"nip": "198609262015051001", "nama": "Pegawai Uji, S.E.", "tempat_lahir": "Surabaya",
                          "tanggal_lahir": "1986-09-26", "pangkat": "Penata", "golongan": "III/c",
                          "tmt_golongan": "2021-04-01", "pendidikan": "Sarjana (S1)",
                          "jabatan_saat_ini": "Pengelola Penempatan Tenaga Kerja", "unit_kerja": "Biro SDM"},
        )  # fmt: skip
        versi = services._versi(surat, isi.sk(surat, [usulan], rekomendasi), actor=ppk)
    render.apply(kwargs={"versi_id": versi.pk}, throw=True)
    with tenancy.all_tenants(reason="benchmark"):
        versi = VersiSurat.objects.get(pk=versi.pk)
        with versi.berkas.open("rb") as fh:
            return fh.read()


def issue(instansi, jf, ppk, pdf: bytes, n: int) -> list[int]:
    """n numbered SK letters whose issued PDF is ``pdf`` (each its own stored file)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.db import transaction

    from apps.core import tenancy
    from apps.surat import services
    from apps.surat.models import VersiSurat

    sha = hashlib.sha256(pdf).hexdigest()
    ids = []
    with tenancy.scope(instansi), transaction.atomic():
        for i in range(n):
            surat = services._create(
                jenis="sk", penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=date(2026, 8, 20),
                perihal=f"Pengangkatan dalam JF {jf.nama} a.n. Pegawai {i}", actor=ppk,
                penandatangan=("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal", NIP), tmt=date(2026, 9, 1),
            )  # fmt: skip
            versi = VersiSurat(surat=surat, instansi_id=instansi.pk, jf_id=jf.pk, versi=1, isi={}, sha256=sha,
                               ukuran=len(pdf), jumlah_halaman=1, status="selesai", dibuat_oleh=ppk)  # fmt: skip
            versi.berkas.save(f"bench-{i}.pdf", ContentFile(pdf), save=False)
            versi.save()
            ids.append(versi.pk)
    return ids


def bare(pdf: bytes, identitas, tsa_url: str, n: int, *, tuned: bool = False) -> list[float]:
    """Plain pyHanko: the same signature, in this process. ``tuned``: with the portal's two
    settings (key parsed once, container size reserved), to show the portal's own overhead."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.stamp import QRStampStyle

    from apps.ttd.pades import RUANG_TTD, signer_kunci_tetap

    signer = signers.SimpleSigner.load_pkcs12_data(identitas.pkcs12(PASSPHRASE.encode()), [], PASSPHRASE.encode())
    if tuned:
        signer = signer_kunci_tetap(signer)
    timestamper = HTTPTimeStamper(tsa_url)
    style = QRStampStyle(
        stamp_text="Ditandatangani secara elektronik oleh\n%(nama)s\n%(nip)s\n%(jabatan)s\nWaktu: %(ts)s",
        text_box_style=TextBoxStyle(font_size=7, leading=9), border_width=1, innsep=3,
    )  # fmt: skip
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name="TTE-1", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
        )
        spec = fields.SigFieldSpec(sig_field_name="TTE-1", on_page=0, box=(320, 92, 570, 170))
        out = io.BytesIO()
        signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec).sign_pdf(
            writer, output=out, bytes_reserved=RUANG_TTD if tuned else None,
            appearance_text_params={"nama": "Ir. Budi Santoso, M.T.", "nip": f"NIP {NIP}", "jabatan": "Sekjen",
                                    "url": f"https://siaks.example/v/BENCH-{i:04d}/"},
        )  # fmt: skip
        times.append(time.perf_counter() - t0)
    return times


def relay_all() -> int:
    from apps.core import outbox

    total = 0
    while n := outbox.relay_once(limit=500):
        total += n
    return total


def wait_done(ids: list[int], timeout: float) -> None:
    from apps.core import tenancy
    from apps.ttd.models import TandaTangan

    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        with tenancy.all_tenants(reason="benchmark"):
            done = TandaTangan.objects.filter(versi_id__in=ids, status__in=["selesai", "gagal"]).count()
        if done >= len(ids):
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out: {done}/{len(ids)} signatures done")


def portal_round(ppk, ids: list[int], concurrency: int, env: dict, base_dir) -> tuple[float, list[float], int]:
    from apps.core import tenancy
    from apps.ttd import services
    from apps.ttd.models import TandaTangan
    from siaks.celery import app as celery_app

    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("ttd")
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "celery", "-A", "siaks", "worker", "-Q", "ttd", "-c", str(concurrency), "-P", "prefork",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=base_dir, env=env,
    )  # fmt: skip
    try:
        warm, rest = ids[: WARMUP * concurrency], ids[WARMUP * concurrency :]
        with tenancy.activate(tenancy.scope_for_user(ppk)):
            services.minta_tandatangan(actor=ppk, versi_ids=warm)
        relay_all()
        wait_done(warm, 300)
        with tenancy.activate(tenancy.scope_for_user(ppk)):
            for start in range(0, len(rest), services.MAKS_BATCH):
                services.minta_tandatangan(actor=ppk, versi_ids=rest[start : start + services.MAKS_BATCH])
        started = time.perf_counter()
        relay_all()
        wait_done(rest, 3600)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    with tenancy.all_tenants(reason="benchmark"):
        rows = list(TandaTangan.objects.filter(versi_id__in=rest).values_list("status", "diproses_at", "selesai_at"))
    per = [(r[2] - r[1]).total_seconds() for r in rows if r[0] == "selesai"]
    failed = sum(1 for r in rows if r[0] != "selesai")
    return len(rest) / elapsed, per, failed


def main() -> None:
    with bench_database("ttd"):
        from django.conf import settings
        from django.db import connections

        from apps.core import tenancy
        from apps.core.models import Instansi
        from apps.referensi.loader import load_all
        from apps.referensi.models import JabatanFungsional, Jenjang
        from apps.ttd.ca_uji import CAUji
        from apps.ttd.models import Pejabat
        from apps.ttd.tsa_uji import TSAUji
        from tests.factories import UserFactory

        load_all()
        jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
        jenjang = Jenjang.objects.get(jf=jf, kode="ahli_muda")
        instansi = Instansi.objects.create(kode="KEMENHUB", nama="Kementerian Perhubungan", jenis="kementerian",
                                           kop_surat="KEMENTERIAN PERHUBUNGAN\nSEKRETARIAT JENDERAL")  # fmt: skip
        ppk = UserFactory(username="ppk.bench", instansi=instansi, roles=["ppk"], nama_lengkap="Ir. Budi Santoso")
        ca = CAUji.buat()
        identitas = ca.pejabat("Ir. Budi Santoso, M.T.", nip=NIP, nik="3273011205680002")
        with tenancy.all_tenants(reason="benchmark"):
            blob = identitas.pkcs12(PASSPHRASE.encode())
            Pejabat.objects.create(instansi=instansi, user=ppk, nama="Ir. Budi Santoso, M.T.", nip=NIP,
                                   jabatan="Sekretaris Jenderal", backend="pkcs12", pkcs12=blob,
                                   sidik_jari=identitas.sidik_jari)  # fmt: skip
        with TSAUji(ca) as tsa:
            settings.SIAKS_TTD_TSA_URL = tsa.url
            settings.SIAKS_TTD_PKCS12_PASSPHRASE = PASSPHRASE
            pdf = render_one_sk(instansi, jf, jenjang, ppk)
            env = os.environ | {
                "DJANGO_SETTINGS_MODULE": "siaks.settings.test",
                "SIAKS_TEST_DB_NAME": connections["default"].settings_dict["NAME"],
                "SIAKS_TTD_TSA_URL": tsa.url, "SIAKS_TTD_PKCS12_PASSPHRASE": PASSPHRASE,
            }  # fmt: skip
            bare(pdf, identitas, tsa.url, WARMUP)
            t0 = time.perf_counter()
            bare_times = bare(pdf, identitas, tsa.url, N)
            bare_elapsed = time.perf_counter() - t0
            tuned_times = bare(pdf, identitas, tsa.url, max(10, N // 4), tuned=True)
            results = {}
            for c in (1, 2):
                ids = issue(instansi, jf, ppk, pdf, N + WARMUP * c)
                results[c] = portal_round(ppk, ids, c, env, settings.BASE_DIR)
        bare_med = statistics.median(bare_times) * 1000
        from apps.ttd.penanda import _jumlah_halaman

        print(f"SK {_jumlah_halaman(pdf)} halaman, {len(pdf)} byte; {N} tanda tangan per putaran; TSA lokal (loopback)")
        tuned_med = statistics.median(tuned_times) * 1000
        print(f"pyHanko polos (1 proses): {N / bare_elapsed:.1f} ttd/detik, median {bare_med:.1f} ms")
        print(f"pyHanko dengan dua setelan portal (kunci sekali urai, ruang tetap): median {tuned_med:.1f} ms")
        for c, (rate, per, failed) in results.items():
            med = statistics.median(per) * 1000
            p95 = sorted(per)[int(len(per) * 0.95)] * 1000
            print(f"portal, {c} proses worker: {rate:.1f} ttd/detik, median {med:.1f} ms "
                  f"({med / bare_med:.2f}× pyHanko polos, {med / tuned_med:.2f}× dengan setelan sama), "
                  f"p95 {p95:.1f} ms, gagal {failed}")  # fmt: skip
        print(f"2 proses / 1 proses: {results[2][0] / results[1][0]:.2f}× laju")


if __name__ == "__main__":
    main()
