"""Issue 4: a 1,000-row XLSX import (pegawai + draft usulan) takes a few seconds.

Builds a template-shaped workbook of 1,000 valid rows, imports it as a PIC and prints the time."""

from __future__ import annotations

import io
import statistics
import time
from datetime import date

from _setup import bench_database

ROWS = 1000


def build_workbook(columns, offset: int) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([title for _k, title in columns])
    for i in range(ROWS):
        nip = f"19860926{2010 + i % 10}05{1 + i % 2}{(offset + i) % 1000:03d}"
        ws.append([nip, f"Pegawai {offset + i}", "Jakarta", None, None, "III/c", date(2021, 4, 1), "S1",
                   "Analis", "Ya", "Biro", 36, "Baik", "Baik", None, "tidak ada", None])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    with bench_database("impor"):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import transaction

        from apps.core import tenancy
        from apps.core.models import Instansi
        from apps.pengusulan import services, xlsx
        from apps.referensi.loader import load_all
        from apps.referensi.models import JabatanFungsional
        from tests.factories import UserFactory

        load_all()
        timings = []
        for attempt in range(3):
            instansi = Instansi.objects.create(kode=f"BENCH{attempt}", nama=f"Instansi {attempt}", jenis="kota")
            pic = UserFactory(username=f"pic.bench{attempt}", instansi=instansi, roles=["pic_instansi"])
            jf = JabatanFungsional.objects.get(kode="aks")
            content = build_workbook(xlsx.columns(), 0)
            upload = SimpleUploadedFile("impor.xlsx", content)
            started = time.perf_counter()
            with tenancy.scope(instansi), transaction.atomic():
                report = services.pegawai_impor(actor=pic, berkas=upload, jf=jf)
            timings.append(time.perf_counter() - started)
            assert report.imported == ROWS and not report.errors, report.errors[:3]
        print(f"impor {ROWS} baris XLSX: median {statistics.median(timings):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in timings)})")  # fmt: skip


if __name__ == "__main__":
    main()
