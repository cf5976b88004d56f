"""A bad file given to the angka kredit imports (not an XLSX, a corrupt one, the wrong sheet) is a
problem of the file, not of a "row 0": it is reported on the form's file field, as the pegawai
import reports it, and no table of refused rows is shown."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.jabatan import xlsx

pytestmark = pytest.mark.django_db

BUKAN_XLSX = "Berkas bukan XLSX yang valid. Gunakan templat yang disediakan."


def _berkas(data: bytes, nama="impor.xlsx"):
    return SimpleUploadedFile(nama, data)


def _rusak() -> bytes:
    """A zip that claims to be a workbook but holds no sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook><sheets>")
    return out.getvalue()


def _lembar_salah() -> bytes:
    """A real workbook whose first sheet is not the template (the Petunjuk sheet moved first)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Petunjuk"
    ws.append(["Isi satu pejabat fungsional per baris mulai baris 2."])
    data = wb.create_sheet("Pejabat")
    data.append([h for _k, h in xlsx.KOLOM_PEJABAT])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("jenis", ["pejabat", "predikat"])
@pytest.mark.parametrize(
    ("isi", "pesan"),
    [
        (b"ini bukan berkas excel", BUKAN_XLSX),
        (_rusak(), BUKAN_XLSX),
        (_lembar_salah(), "Lembar pertama berkas (Petunjuk) bukan templat ini"),
    ],
    ids=["bukan-xlsx", "rusak", "lembar-salah"],
)
def test_a_bad_file_is_a_file_error_not_a_row(client, pk, pic_pk, jenis, isi, pesan):
    client.force_login(pic_pk)
    response = client.post(f"/pejabat-fungsional/impor/{jenis}/", {"jf": pk.kode, "berkas": _berkas(isi)})
    body = response.content.decode()
    assert response.status_code == 200
    report = response.context["report"]
    assert report.errors == [] and report.imported == 0
    [galat] = response.context["form"].errors["berkas"]
    assert galat.startswith(pesan)
    assert 'data-testid="galat-impor"' not in body  # no "Baris 0, Kolom berkas" table
    assert pesan in body
    # the JF chosen stays chosen for the corrected file
    assert f'<option value="{pk.kode}" selected>' in body
