"""Issue 5: with 100,000 usulan in the database, the verifier inbox's first and 200th pages each
render in well under 100 ms of database time (keyset pagination on (diajukan_at, id))."""

from __future__ import annotations

import io
import statistics
import time

from _setup import bench_database

PAGE = 50


def main() -> None:
    with bench_database("inbox"):
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from apps.core import tenancy
        from apps.pengusulan.models import Usulan
        from apps.referensi.loader import load_all
        from apps.verifikasi import selectors
        from apps.verifikasi.selectors import _encode

        load_all()
        started = time.perf_counter()
        call_command("buat_usulan_massal", usulan=100_000, instansi=630, verbosity=0, stdout=io.StringIO())
        print(f"data: 100000 usulan / 630 instansi dibuat dalam {time.perf_counter() - started:.1f} s")
        from apps.referensi.models import JabatanFungsional

        aks = JabatanFungsional.objects.get(kode="aks")
        scope = tenancy.Scope(instansi_id=aks.instansi_pembina_id, jf_ids=frozenset({aks.pk}))
        with tenancy.activate(scope):
            submitted = Usulan.objects.filter(jf=aks).exclude(status="draft").count()
            row = Usulan.objects.filter(jf=aks).exclude(status="draft").order_by("diajukan_at", "id")[199 * PAGE]
            cursor_200 = _encode(row)
            results = {}
            for label, cursor in (("halaman 1", ""), ("halaman 200", cursor_200)):
                db_times, walls = [], []
                for _ in range(7):
                    with CaptureQueriesContext(connection) as ctx:
                        t = time.perf_counter()
                        page = selectors.inbox(cursor=cursor, limit=PAGE)
                        walls.append((time.perf_counter() - t) * 1000)
                    db_times.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
                    assert len(page.rows) == PAGE
                results[label] = (statistics.median(db_times), statistics.median(walls), len(ctx.captured_queries))
        print(f"usulan JF AKS yang diajukan: {submitted}")
        for label, (db, wall, n) in results.items():
            print(f"kotak masuk {label}: waktu basis data median {db:.1f} ms ({n} kueri), total {wall:.1f} ms")


if __name__ == "__main__":
    main()
