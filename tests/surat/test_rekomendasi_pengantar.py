"""Fresh-eye walk 1, M3: the rekomendasi's "Menindaklanjuti" paragraph strung several surat
pengantar into one justified sentence, with wide gaps ("tanggal       30        November") and in
the order 103, 101, 102. Several are now listed one a line, left-aligned, by date then number;
read back with ``pdftotext -layout``."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from apps.pengusulan.models import Usulan
from tests.surat.conftest import all_tenants, layout_text, render_antrean, terbitkan_rekomendasi, versi_berlaku

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]

PENGANTAR = [  # as the PIC entered them, one per usulan
    ("800.1.3/103/BKPSDM-SITARO/XII/2026", date(2026, 11, 30)),
    ("800.1.3/101/BKPSDM-SITARO/XII/2026", date(2026, 11, 30)),
    ("800.1.3/102/BKPSDM-SITARO/XII/2026", date(2026, 11, 30)),
    ("800.1.3/99/BKPSDM-SITARO/XI/2026", date(2026, 11, 29)),
]


def test_fe1_m3_several_pengantar_are_listed_in_order_without_gaps(diputuskan, staf, pk, instansi_a):
    lulus, _tidak, _s = diputuskan(4, 0)
    with all_tenants():
        for usulan, (nomor, tanggal) in zip(lulus, PENGANTAR, strict=True):
            Usulan.objects.filter(pk=usulan.pk).update(pengantar_nomor=nomor, pengantar_tanggal=tanggal)
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    render_antrean()
    text = layout_text(versi_berlaku(surat))
    paragraf = text[text.index("Menindaklanjuti") : text.index("berikut:")]
    assert not re.search(r"\S {3,}\S", paragraf), paragraf  # no justified gaps inside the paragraph
    urutan = [paragraf.index(nomor) for nomor in ("/99/", "/101/", "/102/", "/103/")]
    assert urutan == sorted(urutan), paragraf  # by date (29 before 30 November), then by number
    flat = " ".join(paragraf.split())
    assert "Nomor 800.1.3/101/BKPSDM-SITARO/XII/2026 tanggal 30 November 2026;" in flat
    assert "Nomor 800.1.3/99/BKPSDM-SITARO/XI/2026 tanggal 29 November 2026;" in flat
    assert "perihal usulan penyesuaian (inpassing) Jabatan Fungsional" in flat
