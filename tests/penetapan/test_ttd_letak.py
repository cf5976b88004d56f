"""The periodic PAK and the HAPAK (apps.penetapan) signed electronically: each block in the room
the letter reserves above the signer's printed name, over no text (see tests/ttd/test_letak.py)."""

from __future__ import annotations

import shutil

import pytest
from django.utils import timezone

from apps.core import tenancy
from apps.penetapan import services
from apps.surat.models import JenisSurat, Surat, VersiSurat
from tests.penetapan.conftest import PYB, as_user, ke_penilaian, nilai_ak
from tests.surat.conftest import render_antrean
from tests.ttd.letak import periksa_letak

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]


def test_the_periodic_pak_and_the_hapak_are_signed_in_their_reserved_room(pic_kab, ani, budi, tim_prov, penanda):
    ua = ke_penilaian(pic_kab, ani, tim_prov)
    ub = ke_penilaian(pic_kab, budi, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, ua, "belum")
        nilai_ak(a, ub, "memenuhi")
    stp, ketua = tim_prov["sekretariat"], tim_prov["anggota"][0]
    with as_user(stp):
        sidang = services.sidang_buka(
            actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[ua.pk, ub.pk]
        )
    with as_user(ketua.user):
        services.sidang_putuskan(
            actor=ketua.user, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim_prov["anggota"][:5]]
        )
    assert render_antrean() == 2
    with tenancy.all_tenants(reason="test"):
        letters = {
            s.jenis: VersiSurat.objects.select_related("surat").get(surat=s, diganti_at__isnull=True)
            for s in Surat.objects.filter(jenis__in=[JenisSurat.PAK_AK, JenisSurat.HAPAK])
        }
    assert set(letters) == {JenisSurat.PAK_AK, JenisSurat.HAPAK}
    for jenis, versi in letters.items():
        periksa_letak(str(jenis), versi, penanda)
