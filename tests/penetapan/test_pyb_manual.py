"""The PYB on the PAK when the team's instansi has no registered signing official (issue 19): the
sidang page says so, links to the register of signing officials, and accepts the decision only
when the ketua states that the PAK is signed by hand (seed 001: manual work while the system
cannot do it) and gives the PYB's valid NIP; the audit entry records it. The typed text is
never taken silently."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.penetapan import services
from apps.penetapan.models import SidangAK, UsulanPenetapanAK
from tests.penetapan.conftest import PYB, as_user, ke_penilaian, nilai_ak

pytestmark = pytest.mark.django_db


@pytest.fixture
def sidang(pic_kab, budi, tim_prov):
    u = ke_penilaian(pic_kab, budi, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, u)
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        return services.sidang_buka(actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk])


def test_without_registered_officials_the_ketua_must_state_a_hand_signed_pak(client, sidang, tim_prov):
    ketua = tim_prov["anggota"][0].user
    client.force_login(ketua)
    url = reverse("penetapan:sidang", args=[sidang.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="pyb-belum-terdaftar"' in page and reverse("ttd:pejabat") in page
    assert 'name="ttd_manual"' in page
    hadir = [a.pk for a in tim_prov["anggota"][:5]]
    nama, jabatan, nip = PYB
    # Typed text alone is refused with the reason, and kept.
    r = client.post(url, {"hadir": hadir, "pyb_nama": nama, "pyb_jabatan": jabatan, "pyb_nip": nip})
    body = r.content.decode()
    assert r.status_code == 400 and "belum mendaftarkan pejabat penanda tangan elektronik" in body and nama in body
    # Stated, but without the NIP printed under the signature, or with an invalid one: refused.
    r = client.post(url, {"hadir": hadir, "pyb_nama": nama, "pyb_jabatan": jabatan, "pyb_nip": "", "ttd_manual": "on"})
    assert r.status_code == 400
    r = client.post(
        url, {"hadir": hadir, "pyb_nama": nama, "pyb_jabatan": jabatan, "pyb_nip": "12345", "ttd_manual": "on"}
    )
    assert r.status_code == 400 and "NIP" in r.content.decode()
    with tenancy.all_tenants(reason="test assertion"):
        assert SidangAK.objects.get(pk=sidang.pk).status == SidangAK.Status.DIBUKA
        assert not UsulanPenetapanAK.objects.filter(sidang=sidang).exclude(surat=None).exists()
    # Stated with the NIP: decided; the PAK names the PYB typed; the audit entry says it is hand-signed.
    r = client.post(url, {"hadir": hadir, "pyb_nama": nama, "pyb_jabatan": jabatan, "pyb_nip": nip, "ttd_manual": "on"})
    assert r.status_code == 302
    with tenancy.all_tenants(reason="test assertion"):
        (u,) = UsulanPenetapanAK.objects.filter(sidang=sidang).select_related("surat")
        assert u.hasil == "pak" and (u.surat.penandatangan_nama, u.surat.penandatangan_nip) == (nama, nip)
        entry = AuditLog.objects.get(action="penetapan.sidang_diputuskan")
    assert entry.data["ttd_manual"] is True and "ditandatangani basah" in entry.message


def test_with_registered_officials_there_is_no_manual_statement_to_make(client, sidang, tim_prov, prov):
    from tests.ttd.conftest import daftar_pejabat

    daftar_pejabat(instansi=prov, user=None, identitas=None, nama=PYB[0], nip=PYB[2], jabatan=PYB[1])
    client.force_login(tim_prov["anggota"][0].user)
    page = client.get(reverse("penetapan:sidang", args=[sidang.pk]))
    assert "ttd_manual" not in page.context["form"].fields and "pejabat" in page.context["form"].fields
    assert 'data-testid="pyb-belum-terdaftar"' not in page.content.decode()
