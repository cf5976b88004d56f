"""The sidang form counts 0 assessments as "0 penilaian" (issue 19 walk: "Nur Aisyah Putri, S.AP.
( penilaian)")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.penetapan import selectors as penetapan_selectors
from apps.penetapan import services as penetapan
from tests.penetapan import conftest as pc

pytestmark = pytest.mark.django_db
jfak, prov, kab, pic_kab = pc.jfak, pc.prov, pc.kab, pc.pic_kab


def test_an_usulan_nobody_has_assessed_reads_0_penilaian(client, pic_kab, kab, prov, jfak):
    tim = pc.bentuk_tim(prov, jfak, "provinsi", n=3)
    budi = pc.buat_pejabat(kab, jfak, nip="198701012010011003", nama="Budi Santoso", ak_awal=Decimal("62.5"))
    u = pc.usulan_diajukan(pic_kab, budi)
    with pc.as_user(tim["sekretariat"]):
        penetapan.sekretariat_periksa(actor=tim["sekretariat"], usulan=penetapan_selectors.usulan(u.pk), lengkap=True)
    pc.nilai_ak(tim["anggota"][0], u)
    client.force_login(tim["sekretariat"])
    html = " ".join(client.get("/angka-kredit/sidang/").content.decode().split())
    assert "Budi Santoso (1 penilaian)" in html
    budi2 = pc.buat_pejabat(kab, jfak, nip="198801012010011004", nama="Citra Lestari", ak_awal=Decimal("40"))
    u2 = pc.usulan_diajukan(pic_kab, budi2)
    with pc.as_user(tim["sekretariat"]):
        penetapan.sekretariat_periksa(actor=tim["sekretariat"], usulan=penetapan_selectors.usulan(u2.pk), lengkap=True)
    html = " ".join(client.get("/angka-kredit/sidang/").content.decode().split())
    assert "Citra Lestari (0 penilaian)" in html and "( penilaian)" not in html
