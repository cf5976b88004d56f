"""A decided sidang's page shows who attended and counts the assessments of those members only,
as the result does (fresh-eye walk, issue 19: "setuju 4, tidak setuju 0" with one of the four
assessors absent, and no attendance shown)."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.penetapan import services
from tests.penetapan.conftest import PYB, as_user, ke_penilaian, nilai_ak

pytestmark = pytest.mark.django_db


def test_the_decided_sidang_counts_the_attending_members_and_names_them(client, pic_kab, ani, tim_prov):
    u = ke_penilaian(pic_kab, ani, tim_prov)
    anggota = tim_prov["anggota"][:5]
    for a in anggota[:4]:
        nilai_ak(a, u)
    nilai_ak(anggota[4], u, "tidak_setuju")
    stp, ketua = tim_prov["sekretariat"], anggota[0].user
    with as_user(stp):
        sidang = services.sidang_buka(
            actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk], tempat="Semarang"
        )
    client.force_login(ketua)
    terbuka = html.unescape(
        re.sub(r"\s+", " ", client.get(reverse("penetapan:sidang", args=[sidang.pk])).content.decode())
    )
    assert "setuju 4, tidak setuju 1" in terbuka and 'data-testid="sidang-hadir"' not in terbuka
    # The fifth member (who disagreed) is absent: the result rests on the four who attended.
    with as_user(ketua):
        services.sidang_putuskan(actor=ketua, sidang=sidang, hadir_ids=[a.pk for a in anggota[:4]], pyb=PYB)
    page = html.unescape(
        re.sub(r"\s+", " ", client.get(reverse("penetapan:sidang", args=[sidang.pk])).content.decode())
    )
    assert "setuju 4, tidak setuju 0" in page
    assert "1 penilaian anggota yang tidak hadir tidak dihitung" in page
    hadir = re.search(r'data-testid="sidang-hadir">(.*?)</p>', page).group(1)
    assert hadir.startswith("Hadir 4 anggota:")
    assert all(str(a.user) in hadir for a in anggota[:4]) and str(anggota[4].user) not in hadir
