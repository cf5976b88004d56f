"""Issue 17: where one signature's time goes in the ``ttd`` worker's code.

The same set-up as ``ttd_1000.py`` (throw-away database, test CA, one rendered SK stored as the
issued PDF of ``BENCH_N`` letters), the TSA in a process of its own. The signing task runs in
this process (``tandatangani.apply``, as the worker runs it) under cProfile, after a warm-up.
Prints, per signature: wall and CPU time, the database queries and their time, and the
cumulative time of the parts (pyHanko signing, the TSA round trip, reading and writing the
file, reading the signed PDF back, the checks), then the functions with the most own time.
``BENCH_N`` (default 40) sets the signatures profiled."""

from __future__ import annotations

import cProfile
import os
import pstats
import time

from _setup import bench_database
from ttd_1000 import NIP, PASSPHRASE, issue, render_one_sk

N = int(os.environ.get("BENCH_N", "40"))
PROFIL = os.environ.get("BENCH_PROFIL", "1") != "0"  # 0: CPU and queries only, without cProfile's overhead


def cpu_proses(pid: int) -> float:
    """CPU seconds (user + system) a process has used, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


#: (label, file suffix, function name) — cumulative time of these frames per signature.
BAGIAN = [
    ("tugas tandatangani (seluruhnya)", "apps/ttd/tasks.py", "tandatangani"),
    ("  pyHanko: tandatangani PDF (pades.tandatangani)", "apps/ttd/pades.py", "tandatangani"),
    ("    TSA: permintaan cap waktu", "pyhanko/sign/timestamps/api.py", "async_timestamp"),
    ("    pyHanko: tulis/hash PDF (sign_pdf)", "pyhanko/sign/signers/pdf_signer.py", "sign_pdf"),
    ("  baca berkas terbit (_isi)", "apps/ttd/services.py", "_isi"),
    ("  simpan berkas bertanda tangan (FieldFile.save)", "django/db/models/fields/files.py", "save"),
    ("  baca ulang identitas dari PDF (identitas_ttd_terakhir)", "apps/ttd/services.py", "identitas_ttd_terakhir"),
    ("  pemeriksaan ulang (alasan_tidak_bisa_saat_ttd)", "apps/ttd/services.py", "alasan_tidak_bisa_saat_ttd"),
    ("  SK terbit bila lengkap (terbitkan_bila_lengkap)", "apps/ttd/services.py", "terbitkan_bila_lengkap"),
    ("  akhir batch (_selesaikan_batch)", "apps/ttd/tasks.py", "_selesaikan_batch"),
]


def main() -> None:
    with bench_database("ttd_profil"):
        from django.conf import settings
        from django.db import connection

        from apps.core import tenancy
        from apps.core.models import Instansi
        from apps.referensi.loader import load_all
        from apps.referensi.models import JabatanFungsional, Jenjang
        from apps.ttd import services
        from apps.ttd.ca_uji import CAUji
        from apps.ttd.models import Pejabat, TandaTangan
        from apps.ttd.tasks import tandatangani
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
            Pejabat.objects.create(instansi=instansi, user=ppk, nama="Ir. Budi Santoso, M.T.", nip=NIP,
                                   jabatan="Sekretaris Jenderal", backend="pkcs12",
                                   pkcs12=identitas.pkcs12(PASSPHRASE.encode()),
                                   sidik_jari=identitas.sidik_jari)  # fmt: skip
        with TSAUji.proses(ca) as tsa:
            settings.SIAKS_TTD_TSA_URL = tsa.url
            settings.SIAKS_TTD_PKCS12_PASSPHRASE = PASSPHRASE
            pdf = render_one_sk(instansi, jf, jenjang, ppk)
            warm = 3
            versi_ids = issue(instansi, jf, ppk, pdf, N + warm)
            with tenancy.activate(tenancy.scope_for_user(ppk)):
                services.minta_tandatangan(actor=ppk, versi_ids=versi_ids)
            with tenancy.all_tenants(reason="benchmark"):
                ttd_ids = list(
                    TandaTangan.objects.filter(versi_id__in=versi_ids).order_by("pk").values_list("pk", flat=True)
                )
            # Each request with its outbox message's arguments, as the relay hands it to the worker.
            from apps.core.models import OutboxMessage

            pesan = {
                m["ttd_id"]: m
                for m in OutboxMessage.objects.filter(task_name="ttd.tandatangani").values_list("kwargs", flat=True)
            }
            for pk in ttd_ids[:warm]:
                tandatangani.apply(kwargs=pesan[pk], throw=True)

            queries = []

            def hitung(execute, sql, params, many, context):
                t0 = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    queries.append((time.perf_counter() - t0, sql))

            with connection.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                pg_pid = cur.fetchone()[0]
            profile = cProfile.Profile() if PROFIL else None
            lain0 = {
                "PostgreSQL (backend koneksi ini)": cpu_proses(pg_pid),
                "TSA (proses sendiri)": cpu_proses(tsa.pid),
            }
            t0, c0 = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(hitung):
                if profile:
                    profile.enable()
                for pk in ttd_ids[warm:]:
                    hasil = tandatangani.apply(kwargs=pesan[pk], throw=True).result
                    assert hasil == "selesai", hasil
                if profile:
                    profile.disable()
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            lain = {"PostgreSQL (backend koneksi ini)": cpu_proses(pg_pid), "TSA (proses sendiri)": cpu_proses(tsa.pid)}
        print(f"{N} tanda tangan di proses ini (TSA di proses sendiri), per tanda tangan:")
        print(f"  waktu dinding {wall / N * 1000:.1f} ms, CPU proses ini {cpu / N * 1000:.1f} ms"
              + (" (dengan cProfile)" if profile else ""))  # fmt: skip
        for nama, akhir in lain.items():
            print(f"  CPU {nama}: {(akhir - lain0[nama]) / N * 1000:.1f} ms")
        print(f"  kueri basis data: {len(queries) / N:.1f}, {sum(q[0] for q in queries) / N * 1000:.1f} ms")
        if not profile:
            return
        stats = pstats.Stats(profile)
        for label, suffix, name in BAGIAN:
            cum = sum(v[3] for k, v in stats.stats.items() if k[0].endswith(suffix) and k[2] == name)
            print(f"{label:<60} {cum / N * 1000:7.1f} ms")
        print("\nkueri per tanda tangan (jenis):")
        jenis: dict[str, int] = {}
        for _t, sql in queries:
            kata = " ".join(sql.split()[:4])[:70]
            jenis[kata] = jenis.get(kata, 0) + 1
        for kata, n in sorted(jenis.items(), key=lambda kv: -kv[1]):
            print(f"  {n / N:4.1f}  {kata}")
        print()
        stats.sort_stats("tottime").print_stats(25)
        if os.environ.get("BENCH_PEMANGGIL"):
            stats.sort_stats("cumulative").print_callers(os.environ["BENCH_PEMANGGIL"])


if __name__ == "__main__":
    main()
