"""The member whose own usulan is decided is not counted toward that usulan's quorum (fresh-eye
walk of issue 19): she may not assess it, so her presence does not make its decision valid."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.core import tenancy
from apps.penetapan import services
from apps.penetapan.alur import PenetapanError
from apps.penetapan.models import SidangAK
from tests.penetapan.conftest import PYB, as_user, bentuk_tim, buat_pejabat, ke_penilaian, nilai_ak

pytestmark = pytest.mark.django_db


def test_the_sekretaris_deciding_her_own_pak_does_not_make_the_quorum(pic_kab, kab, jfak, prov):
    # The second member (the sekretaris) holds the NIP of the holder assessed.
    tim = bentuk_tim(prov, jfak, "provinsi", n=5, pengganti=1, nips={0: "197203151998031004", 1: "198609262015052001"})
    sendiri = buat_pejabat(kab, jfak)
    u = ke_penilaian(pic_kab, sendiri, tim)
    ketua, sek, a3, a4, a5, pengganti = tim["anggota"]
    with as_user(ketua.user):
        services.pengganti_tunjuk(actor=ketua.user, usulan=u, diganti=sek, pengganti=pengganti)
    for a in (ketua, a3, a4, pengganti):
        nilai_ak(a, u)
    stp = tim["sekretariat"]
    with as_user(stp):
        sidang = services.sidang_buka(actor=stp, tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk])
    # Ketua, sekretaris (the holder), two members: 4 of 5 on paper, 3 who may decide her usulan.
    with as_user(ketua.user), pytest.raises(PenetapanError, match="hadir 3 anggota selain yang bersangkutan, perlu 4"):
        services.sidang_putuskan(actor=ketua.user, sidang=sidang, hadir_ids=[ketua.pk, sek.pk, a3.pk, a4.pk], pyb=PYB)
    with tenancy.all_tenants(reason="test"):
        assert SidangAK.objects.get(pk=sidang.pk).status == "dibuka"
    # With the fifth member attending the quorum holds without her.
    with as_user(ketua.user):
        hasil = services.sidang_putuskan(
            actor=ketua.user, sidang=sidang, hadir_ids=[ketua.pk, sek.pk, a3.pk, a4.pk, a5.pk, pengganti.pk], pyb=PYB
        )
    assert [h.status for h in hasil] == ["hapak"]
