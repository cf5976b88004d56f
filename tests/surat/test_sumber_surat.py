"""Issue 13 §8: letters and exports carry no working notes of the reference data ("[V2]", "seed 004")
and the citations they print name regulations. Every letter type is rendered (worst-case data,
through the real services and the render task) and every export is produced and read back."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.referensi.models import JabatanFungsional
from apps.rekap.pdf import rekap_pdf
from apps.surat.models import JenisSurat
from tests.surat.conftest import layout_text, terbitkan_penetapan, terbitkan_semua, versi_berlaku
from tests.verifikasi.conftest import as_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]

PENANDA = ("[V", "seed 0", "Seed 0", "SEED 0", "[U]")
PERATURAN = re.compile(
    r"^(Undang-Undang|Peraturan [A-Z][A-Za-z ]+|Keputusan [A-Z][A-Za-z ]+) Nomor [0-9A-Z./]+ Tahun \d{4}( tentang .+)?$"
)


def tanpa_penanda(name: str, text: str) -> None:
    for mark in PENANDA:
        assert mark not in text, (name, mark, text[max(0, text.find(mark) - 80) : text.find(mark) + 80])


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_no_letter_prints_internal_markers_and_citations_name_regulations(
    diputuskan, staf, pk, instansi_a, ppk_pk, referensi
):
    letters = terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk)
    # the periodic PAK and the HAPAK of apps.penetapan (after the SK) too: every letter type
    letters |= terbitkan_penetapan(referensi)
    assert {s.jenis for s in letters.values()} == set(JenisSurat)
    for name, surat in letters.items():
        versi = versi_berlaku(surat)
        tanpa_penanda(name, layout_text(versi))
        tanpa_penanda(f"{name} (isi)", json.dumps(versi.isi, ensure_ascii=False))
    for name in ("sk", "sk-kolektif"):
        mengingat = versi_berlaku(letters[name]).isi["mengingat"]
        assert len(mengingat) >= 5
        for item in mengingat:
            text = item if isinstance(item, str) else item.get("teks", "")
            assert PERATURAN.match(text.rstrip(";.").removesuffix(" sebagaimana telah diubah")), (name, text)
    pak = " ".join(layout_text(versi_berlaku(letters["pak"])).split())
    assert "Peraturan Badan Kepegawaian Negara Nomor 3 Tahun 2023" in pak


def test_no_export_carries_internal_markers(client, diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk):
    terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk)
    files = {}
    client.force_login(staf["verifikator"])
    for fmt in ("xlsx", "csv"):
        files[f"inbox.{fmt}"] = client.get(reverse("rekap:ekspor_inbox"), {"format": fmt}).content
    client.force_login(staf["admin"])
    for fmt in ("xlsx", "csv"):
        files[f"rekap.{fmt}"] = client.get(reverse("rekap:nasional"), {"format": fmt}).content
    client.force_login(pic_pk)
    for fmt in ("xlsx", "csv"):
        files[f"usulan.{fmt}"] = client.get(reverse("rekap:ekspor_usulan"), {"format": fmt}).content
    with as_user(staf["admin"]):  # as the worker runs it, in the owner's scope
        files["rekap.pdf"] = rekap_pdf(list(JabatanFungsional.objects.filter(pk=pk.pk)))[0]
    for name, data in files.items():
        if name.endswith(".xlsx"):
            ws = load_workbook(io.BytesIO(data)).active
            rows = [[str(v) for v in row if v is not None] for row in ws.values]
        elif name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        else:
            rows = [[pdf_text(data)]]
        assert len(rows) > 1 or name.endswith(".pdf"), name
        tanpa_penanda(name, "\n".join(";".join(r) for r in rows))
