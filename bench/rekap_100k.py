"""Issue 7: with 100,000 usulan across 630 instansi, the pembina's national recap page renders in
under 300 ms (maintained aggregates + index-backed lists, never a scan of the usulan table).

One pembina here administers all three JFs, so its recap covers all 100,000 usulan. The figure is
the whole page as the browser gets it (Django test client: middleware, queries, template), the
median of 9 requests after one warm-up."""

from __future__ import annotations

import io
import statistics
import time

from _setup import bench_database

TERLAMBAT = """EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
SELECT count(*) FROM pengusulan_usulan
 WHERE jf_id = ANY(%s) AND status = 'perbaikan' AND tenggat_perbaikan < CURRENT_DATE"""


def explain_terlambat() -> None:
    """Issue 16: the overdue-perbaikan count's plan without and with the partial index
    (usulan_perbaikan_tenggat_idx), as the owner with every tenant admitted; the index is
    dropped inside a transaction that is rolled back."""
    from django.db import connections, transaction

    from apps.referensi.models import JabatanFungsional

    jf_ids = list(JabatanFungsional.objects.values_list("pk", flat=True))
    owner = connections["owner"]

    def plan(label: str) -> None:
        with owner.cursor() as cursor:
            cursor.execute("SET LOCAL siaks.all_tenants = 'on'")
            cursor.execute(TERLAMBAT, [jf_ids])
            lines = [r[0] for r in cursor.fetchall()]
        print(f"rencana hitungan perbaikan lewat tenggat, {label}:")
        for line in lines:
            print(f"    {line}")

    with transaction.atomic(using="owner"):
        with owner.cursor() as cursor:
            cursor.execute("DROP INDEX usulan_perbaikan_tenggat_idx")
        plan("tanpa indeks parsial")
        transaction.set_rollback(True, using="owner")
    with transaction.atomic(using="owner"):
        plan("dengan indeks parsial")


def main() -> None:
    with bench_database("rekap"):
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from apps.core import statistik, tenancy
        from apps.core.models import Instansi
        from apps.referensi.loader import load_all
        from apps.referensi.models import JabatanFungsional
        from apps.rekap.models import RekapUsulan
        from tests.factories import UserFactory

        load_all()
        started = time.perf_counter()
        call_command("buat_usulan_massal", usulan=100_000, instansi=630, verbosity=0, stdout=io.StringIO())
        print(f"data: 100000 usulan / 630 instansi dibuat dalam {time.perf_counter() - started:.1f} s")
        pembina = Instansi.objects.create(kode="PEMBINA-NAS", nama="Pembina Nasional", jenis="kementerian",
                                          is_pembina=True)  # fmt: skip
        JabatanFungsional.objects.update(instansi_pembina=pembina)
        statistik.analyze()  # as the owner (the generator did too; here after the change above)
        admin = UserFactory(username="admin.nasional", instansi=pembina, roles=["admin_pembina"])
        with tenancy.all_tenants(reason="benchmark check"):
            counted = sum(RekapUsulan.objects.values_list("jumlah", flat=True))
            rows = RekapUsulan.objects.count()
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host name, as in the test suite
        client = Client()
        client.force_login(admin)
        response = client.get("/pembina/rekap/")
        assert response.status_code == 200, response.status_code
        walls, db_times = [], []
        for _ in range(9):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get("/pembina/rekap/")
                walls.append((time.perf_counter() - t) * 1000)
            db_times.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        body = response.content.decode()
        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"  kueri terlama {float(q['time']) * 1000:.1f} ms: {q['sql'][:160]}")
        explain_terlambat()
        print(f"usulan diajukan (di luar draf) dalam rekap: {counted} dari {rows} baris agregat")
        assert f">{counted:,}<".replace(",", ".") in body or f">{counted}<" in body
        print(f"halaman rekap nasional: median {statistics.median(walls):.0f} ms (maks {max(walls):.0f} ms), "
              f"basis data {statistics.median(db_times):.1f} ms dalam {len(ctx.captured_queries)} kueri")  # fmt: skip


if __name__ == "__main__":
    main()
