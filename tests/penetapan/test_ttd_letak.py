"""The periodic PAK and the HAPAK (apps.penetapan) signed electronically: each block in the room
the letter reserves above the signer's printed name, over no text (see tests/ttd/test_letak.py)."""

from __future__ import annotations

import shutil

import pytest

from apps.core import tenancy
from apps.surat.models import JenisSurat, Surat, VersiSurat
from tests.penetapan.conftest import sidang_ani_dan_budi
from tests.surat.conftest import render_antrean
from tests.ttd.letak import periksa_letak

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]


def test_the_periodic_pak_and_the_hapak_are_signed_in_their_reserved_room(pic_kab, ani, budi, tim_prov, penanda):
    sidang_ani_dan_budi(pic_kab, ani, budi, tim_prov)
    assert render_antrean() == 2
    with tenancy.all_tenants(reason="test"):
        letters = {
            s.jenis: VersiSurat.objects.select_related("surat").get(surat=s, diganti_at__isnull=True)
            for s in Surat.objects.filter(jenis__in=[JenisSurat.PAK_AK, JenisSurat.HAPAK])
        }
    assert set(letters) == {JenisSurat.PAK_AK, JenisSurat.HAPAK}
    for jenis, versi in letters.items():
        periksa_letak(str(jenis), versi, penanda)
