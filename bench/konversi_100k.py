"""Issue 19: convert one period's predikat kinerja for 100,000 pejabat fungsional into AK and
recompute who meets the thresholds for kenaikan pangkat and jenjang: target under 60 s, with
flat memory (streamed: holders read in keyset chunks, rows appended with batched bulk inserts,
the thresholds read through a server-side cursor).

The holders are made as the portal keeps them since issue 19's kenaikan pangkat: each with a
golongan (one in three at the top pangkat of the jenjang, where only the jenjang's threshold
applies) and one in ten with a ``kenaikan_pangkat`` row (SK number and date, new golongan) that
counts toward the next pangkat only; the comparator applies the same rules.

The parent process runs the same work at 10,000 and at 100,000 holders, each in a fresh child
process with its own throw-away database, and compares the children's peak RSS growth during the
konversi (flat memory: about the same at both sizes). In each child the comparator is a bare SQL
``INSERT … SELECT`` of the same rows into a scratch table (same columns, same arithmetic in SQL),
timed in the same run, and a bare ``GROUP BY`` sum against the thresholds (without the
since-when dates).

    .venv/bin/python bench/konversi_100k.py            # 10k and 100k
    BENCH_N=20000 .venv/bin/python bench/konversi_100k.py --satu   # one size, this process"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

from _setup import bench_database

MULAI, SELESAI = "2025-01-01", "2025-12-31"
PREDIKAT = ["sangat_baik", "baik", "baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]

# Holders as the portal keeps them: a golongan with its TMT (one in three at the top pangkat of
# their jenjang, where only the jenjang's threshold applies: apps.jabatan.domain.ambang_pangkat_berlaku).
BUAT_PEJABAT = """
INSERT INTO jabatan_pejabatfungsional
    (instansi_id, jf_id, jenjang_id, nip, nama, kelas_jabatan, tmt_jabatan, golongan_id, tmt_golongan,
     unit_kerja, tempat_lahir, aktif, sumber, created_at, updated_at)
SELECT i.ids[1 + (g %% array_length(i.ids, 1))], %(jf)s, j.ids[1 + (g %% array_length(j.ids, 1))],
       lpad(g::text, 18, '0'), 'Pejabat ' || g, 9, DATE '2023-01-02',
       CASE WHEN g %% 3 = 0 THEN j.gmaks[1 + (g %% array_length(j.ids, 1))]
            ELSE j.gmin[1 + (g %% array_length(j.ids, 1))] END,
       DATE '2023-01-02', '', 'Bandung', TRUE, 'impor', now(), now()
FROM generate_series(1, %(n)s) g,
     (SELECT array_agg(id ORDER BY id) ids FROM core_instansi WHERE kode LIKE 'BENCH-%%') i,
     (SELECT array_agg(id ORDER BY urutan) ids, array_agg(golongan_min_id ORDER BY urutan) gmin,
             array_agg(golongan_maks_id ORDER BY urutan) gmaks
      FROM referensi_jenjang WHERE jf_id = %(jf)s) j
"""
BUAT_AWAL = """
INSERT INTO jabatan_mutasiak
    (instansi_id, pejabat_id, jf_id, jenjang_id, jenis, nilai, periode_mulai, predikat, rincian, keterangan,
     created_at)
SELECT p.instansi_id, p.id, p.jf_id, p.jenjang_id, 'awal', (p.id %% 160)::numeric, DATE '2023-01-02', '',
       '{"sumber": "bench"}'::jsonb, '', now()
FROM jabatan_pejabatfungsional p
"""
# One holder in ten had a kenaikan pangkat in 2024 (the ledger's columns of issue 19's kenaikan
# pangkat: the SK's number and date, the new golongan); the row counts toward the next pangkat
# only, never toward the next jenjang (apps.jabatan.domain.TANPA_UNTUK_JENJANG).
BUAT_KENAIKAN_PANGKAT = """
INSERT INTO jabatan_mutasiak
    (instansi_id, pejabat_id, jf_id, jenjang_id, jenis, nilai, periode_mulai, predikat, rincian, keterangan,
     golongan_id, dokumen_nomor, dokumen_tanggal, created_at)
SELECT p.instansi_id, p.id, p.jf_id, p.jenjang_id, 'kenaikan_pangkat', -j.ak_kumulatif_pangkat, DATE '2024-04-01',
       '', '{"sumber": "bench"}'::jsonb, '', p.golongan_id, 'SK-KP/' || p.id, DATE '2024-03-01', now()
FROM jabatan_pejabatfungsional p JOIN referensi_jenjang j ON j.id = p.jenjang_id
WHERE p.id %% 10 = 0 AND j.ak_kumulatif_pangkat IS NOT NULL AND p.golongan_id IS NOT NULL
"""
# The comparator: the same konversi rows, computed and inserted by one bare statement.
BARE_INSERT = """
INSERT INTO bench_konversi
    (instansi_id, pejabat_id, jf_id, jenjang_id, jenis, nilai, periode_mulai, periode_selesai, predikat,
     persentase, koefisien, bulan, rincian, keterangan, created_at)
SELECT p.instansi_id, p.id, p.jf_id, p.jenjang_id, 'konversi',
       round(12 / 12.0 * pp.persen / 100 * j.koefisien_ak, 2), DATE '2025-01-01', DATE '2025-12-31',
       pp.predikat, pp.persen, j.koefisien_ak, 12,
       jsonb_build_object('rumus', '12/12 × ' || pp.persen || ' %% × ' || j.koefisien_ak, 'jenjang', j.nama,
                          'koefisien_sumber', j.ak_sumber, 'koefisien_terverifikasi', j.ak_terverifikasi,
                          'persen_ref', pp.id, 'persen_sumber', pp.sumber, 'persen_terverifikasi', pp.terverifikasi),
       '', now()
FROM jabatan_pejabatfungsional p
JOIN referensi_jenjang j ON j.id = p.jenjang_id
JOIN referensi_persentasepredikat pp ON pp.jf_id = p.jf_id
     AND pp.predikat = (%(predikat)s::text[])[1 + (p.id %% %(np)s)]
"""
# The thresholds as apps.jabatan.selectors.kelayakan applies them: a kenaikan pangkat row does not
# count toward the next jenjang, a kenaikan jenjang row not toward the next pangkat, and no pangkat
# threshold at the top pangkat of the jenjang (without the since-when dates).
BARE_AMBANG = """
SELECT count(*) FILTER (WHERE sp >= j.ak_kumulatif_pangkat AND p.golongan_id IS DISTINCT FROM j.golongan_maks_id),
       count(*) FILTER (WHERE sj >= j.ak_kumulatif_jenjang)
FROM (SELECT pejabat_id, sum(nilai) FILTER (WHERE jenis <> 'kenaikan_jenjang') sp,
             sum(nilai) FILTER (WHERE jenis <> 'kenaikan_pangkat') sj
      FROM (SELECT pejabat_id, jenis, nilai FROM jabatan_mutasiak WHERE jenis <> 'konversi'  -- the portal's own
            UNION ALL SELECT pejabat_id, jenis, nilai FROM bench_konversi) u
      GROUP BY pejabat_id) t
JOIN jabatan_pejabatfungsional p ON p.id = t.pejabat_id JOIN referensi_jenjang j ON j.id = p.jenjang_id
"""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def satu(n: int) -> dict:
    with bench_database(f"konversi_{n}"):
        from datetime import date

        from django.db import connection, connections, transaction

        from apps.core import statistik, tenancy
        from apps.core.models import Instansi
        from apps.jabatan import selectors, services
        from apps.jabatan.models import PejabatFungsional
        from apps.referensi.loader import load_all
        from apps.referensi.models import JabatanFungsional

        load_all()
        jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
        Instansi.objects.bulk_create(
            [Instansi(kode=f"BENCH-{i:03d}", nama=f"Instansi Bench {i}", jenis="kabupaten") for i in range(100)]
        )
        started = time.perf_counter()
        owner = connections["owner"]
        # FORCE ROW LEVEL SECURITY binds the owner too: its bare statements run with every tenant admitted.
        with tenancy.all_tenants(reason="benchmark data and comparator"), owner.cursor() as c:
            c.execute(BUAT_PEJABAT, {"jf": jf.pk, "n": n})
            c.execute(BUAT_AWAL, {})
            c.execute(BUAT_KENAIKAN_PANGKAT, {})
            c.execute(
                "CREATE TABLE bench_konversi (LIKE jabatan_mutasiak INCLUDING DEFAULTS INCLUDING IDENTITY); "
                "GRANT ALL ON bench_konversi TO " + connection.settings_dict["USER"]
            )
        statistik.analyze()
        print(f"[{n}] data: {n} pejabat + AK awal dibuat dalam {time.perf_counter() - started:.1f} s", flush=True)

        def predikat_stream(ukuran: int = 5000):
            """The period's predikat per holder, read in keyset chunks (never the whole table)."""
            last = 0
            while True:
                ids = list(
                    PejabatFungsional.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:ukuran]
                )
                if not ids:
                    return
                for pid in ids:
                    yield services.ItemKonversi(
                        pid, PREDIKAT[pid % len(PREDIKAT)], date(2025, 1, 1), date(2025, 12, 31), tag=pid
                    )
                last = ids[-1]

        rss_awal = _rss_mb()
        with tenancy.all_tenants(reason="benchmark: one period's konversi for every holder"):
            t0 = time.perf_counter()
            profil = None
            if os.environ.get("BENCH_PROFIL"):  # where the konversi's time goes (cProfile, top 25)
                import cProfile

                profil = cProfile.Profile()
                profil.enable()
            with transaction.atomic():
                laporan = services.konversi_massal(predikat_stream(), oleh=None, ukuran=5000, audit_tag="bench")
            if profil is not None:
                import pstats

                profil.disable()
                pstats.Stats(profil).sort_stats("tottime").print_stats(25)
            t1 = time.perf_counter()
            pangkat = jenjang = 0
            for k in selectors.kelayakan_iter(hanya_memenuhi=True):
                pangkat += k.memenuhi_pangkat
                jenjang += k.memenuhi_jenjang
            t2 = time.perf_counter()
        rss_akhir = _rss_mb()
        assert laporan.dibuat == n and not laporan.galat, (laporan.dibuat, laporan.galat[:3])

        # The comparator: the same rows by bare SQL (owner, every tenant admitted).
        with tenancy.all_tenants(reason="benchmark comparator"), owner.cursor() as c:
            t3 = time.perf_counter()
            c.execute(BARE_INSERT, {"predikat": PREDIKAT, "np": len(PREDIKAT)})
            t4 = time.perf_counter()
            c.execute("SELECT count(*), sum(nilai) FROM bench_konversi")
            bare_n, bare_sum = c.fetchone()
            c.execute(BARE_AMBANG)
            bare_p, bare_j = c.fetchone()
            t5 = time.perf_counter()
        assert bare_n == n and bare_sum == laporan.total_ak, (bare_n, bare_sum, laporan.total_ak)
        assert (bare_p, bare_j) == (pangkat, jenjang), ((bare_p, bare_j), (pangkat, jenjang))
        hasil = {
            "n": n,
            "konversi_s": round(t1 - t0, 2),
            "ambang_s": round(t2 - t1, 2),
            "total_s": round(t2 - t0, 2),
            "bare_insert_s": round(t4 - t3, 2),
            "bare_ambang_s": round(t5 - t4, 2),
            "memenuhi_pangkat": pangkat,
            "memenuhi_jenjang": jenjang,
            "total_ak": str(laporan.total_ak),
            "rss_sebelum_mb": round(rss_awal, 1),
            "rss_puncak_mb": round(rss_akhir, 1),
            "rss_naik_mb": round(rss_akhir - rss_awal, 1),
        }
        print(
            f"[{n}] portal: konversi {hasil['konversi_s']} s + ambang {hasil['ambang_s']} s = {hasil['total_s']} s; "
            f"bare SQL: INSERT…SELECT {hasil['bare_insert_s']} s, GROUP BY {hasil['bare_ambang_s']} s; "
            f"rasio konversi/bare {hasil['konversi_s'] / max(hasil['bare_insert_s'], 0.001):.1f}×; "
            f"memenuhi pangkat {pangkat}, jenjang {jenjang}; RSS {rss_awal:.0f} → {rss_akhir:.0f} MB",
            flush=True,
        )
        return hasil


def main() -> None:
    if "--satu" in sys.argv:
        hasil = satu(int(os.environ.get("BENCH_N", "100000")))
        print("HASIL " + json.dumps(hasil))
        return
    semua = []
    for n in (10_000, 100_000):
        env = {**os.environ, "BENCH_N": str(n)}
        perintah = [sys.executable, __file__, "--satu"]
        out = subprocess.run(perintah, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        sys.stdout.write(out.stdout)
        if out.returncode:
            sys.stdout.write(out.stderr[-3000:])
            raise SystemExit(out.returncode)
        semua.append(json.loads(out.stdout.rsplit("HASIL ", 1)[1]))
    kecil, besar = semua
    capai = "tercapai" if besar["total_s"] < 60 else "TIDAK tercapai"
    print(
        f"\nringkas: 100k dalam {besar['total_s']} s (target < 60 s: {capai}); "
        f"konversi portal / bare INSERT…SELECT = {besar['konversi_s'] / max(besar['bare_insert_s'], 0.001):.1f}×; "
        f"kenaikan RSS selama konversi: 10k {kecil['rss_naik_mb']} MB, 100k {besar['rss_naik_mb']} MB"
    )


if __name__ == "__main__":
    main()
