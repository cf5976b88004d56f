"""A holder already past the retirement age (fresh-eye walk of issue 19): born 5 January 1968,
Ahli Muda (BUP 58, reached 5 January 2026, TMT pensiun 1 February 2026) was imported as active
and got the out-of-period usulan meant for a holder reaching the BUP. The import refuses the row
with the reason; an usulan for a retired holder is refused, in a period or outside one. Also: a
TMT golongan before the TMT CPNS the NIP encodes is refused per row."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.core import tenancy
from apps.jabatan import xlsx
from apps.jabatan.models import PejabatFungsional
from apps.penetapan import services
from apps.penetapan.alur import PenetapanError
from tests.penetapan import conftest as pc

pytestmark = pytest.mark.django_db

jfak, prov, kab, pic_kab = pc.jfak, pc.prov, pc.kab, pc.pic_kab


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([h for _k, h in xlsx.KOLOM_PEJABAT])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue(), content_type=xlsx.XLSX_MIME)


def test_the_import_refuses_a_retired_holder_and_a_tmt_before_the_cpns(client, pic_kab, kab, jfak):
    rows = [
        [
            "196801051993031001",
            "Sudah Pensiun",
            "Bandung",
            "Ahli Muda",
            "III/d",
            date(2019, 4, 1),
            date(2019, 4, 1),
            150,
        ],
        ["198609262015052001", "Ani", "Bandung", "Ahli Pertama", "III/a", date(2014, 1, 1), date(2016, 1, 1), 40],
        ["198701012010011003", "Budi", "Bandung", "Ahli Pertama", "III/a", date(2011, 1, 1), date(2012, 1, 1), 45],
    ]
    client.force_login(pic_kab)
    page = client.post("/pejabat-fungsional/impor/pejabat/", {"jf": jfak.kode, "berkas": _xlsx(rows)})
    report = page.context["report"]
    assert report.imported == 1, report.errors
    alasan = {(b, k): r for b, k, r in report.errors}
    assert "sudah pensiun" in alasan[(2, "NIP")] and "TMT pensiun 1 Februari 2026" in alasan[(2, "NIP")]
    assert "sebelum TMT CPNS menurut NIP (1 Mei 2015)" in alasan[(3, "TMT golongan")]
    with tenancy.scope(kab):
        assert list(PejabatFungsional.objects.values_list("nama", flat=True)) == ["Budi"]


def test_no_usulan_for_a_retired_holder_in_a_period_or_through_the_bup_exception(pic_kab, kab, jfak):
    p = pc.buat_pejabat(kab, jfak, nip="196801051993031001", nama="Sudah Pensiun", jenjang_kode="ahli_muda",
                        lahir=date(1968, 1, 5))  # fmt: skip
    for pada in (pc.DALAM_PERIODE, date(2026, 11, 30)):
        with pc.as_user(pic_kab), pytest.raises(PenetapanError) as exc:
            services.usulan_buat(actor=pic_kab, pejabat=p, pada=pada)
        assert (
            "sudah mencapai batas usia pensiun (58 tahun pada 5 Januari 2026; TMT pensiun 1 Februari 2026)"
            in (exc.value.messages[0])
        )
