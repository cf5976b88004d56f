"""Paraf chains for the letters of a Tim Penilai AK's sidang (PAK_AK, HAPAK): the issuing
instansi's PPK sets them on the alur paraf page like any other letter type (a HAPAK's chain always
starts with the team's sekretariat, then the configured one), the approver (the team's
sekretariat) gives the paraf on a PAK filed under the holder's instansi, and the PYB can sign only
once the chain is complete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.ttd import services
from apps.ttd.models import AlurParaf, Paraf
from tests.factories import InstansiFactory, UserFactory
from tests.penetapan.conftest import as_user, periode_seed_001
from tests.ttd.conftest import daftar_pejabat
from tests.ttd.test_pak_lintas import PYB, _pak_dan_hapak

pytestmark = pytest.mark.django_db


def _antrean(user):
    with as_user(user):
        return services.antrean_ttd(user)


def test_the_pak_and_hapak_chain_is_set_on_the_page_and_enforced_before_signing(client, ca, referensi):
    jfak = periode_seed_001(referensi["analis-kebijakan"])
    prov = InstansiFactory(kode="PROV-JATENG", nama="Pemerintah Provinsi Jawa Tengah", jenis="provinsi")
    kab = InstansiFactory(kode="KAB-BANYUMAS", nama="Pemerintah Kabupaten Banyumas", jenis="kabupaten", parent=prov)
    pic_kab = UserFactory(username="pic.banyumas", instansi=kab, roles=["pic_instansi"])
    pak, hapak = _pak_dan_hapak(pic_kab, kab, jfak, prov)
    with tenancy.all_tenants(reason="test"):
        from apps.penetapan.models import SekretariatTimAK

        stp = SekretariatTimAK.objects.select_related("user").get(tim__instansi=prov).user
    sekda = UserFactory(username="sekda.jateng", instansi=prov, roles=["ppk"], nip=PYB[2])
    identitas = ca.pejabat(PYB[0], nik="3374011201700001", nip=PYB[2], instansi="Pemerintah Provinsi Jawa Tengah")
    daftar_pejabat(instansi=prov, user=sekda, identitas=identitas, nama=PYB[0], nip=PYB[2], jabatan=PYB[1])
    # Without a chain the PYB can sign the PAK at once.
    assert [v.pk for v in _antrean(sekda)] == [pak.pk]

    # The province's PPK configures the PAK's chain on the alur paraf page: the team's sekretariat.
    client.force_login(sekda)
    daftar = client.get(reverse("ttd:alur")).content.decode()
    assert 'data-testid="alur-pak_ak"' in daftar and 'data-testid="alur-hapak"' in daftar
    assert client.post(reverse("ttd:alur"), {"jenis": "pak_ak"}).status_code == 302
    with tenancy.all_tenants(reason="test"):
        alur = AlurParaf.objects.get(instansi=prov, jenis="pak_ak")
    halaman = client.get(reverse("ttd:alur_ubah", args=[alur.pk])).content.decode()
    assert stp.username in halaman or str(stp) in halaman  # offered as an approver
    response = client.post(reverse("ttd:alur_ubah", args=[alur.pk]), {"paraf_1": stp.pk, "sebutan_1": "Sekretariat"})
    assert response.status_code == 302
    # The HAPAK's signer is the ketua the letter names: no signer to choose there.
    client.post(reverse("ttd:alur"), {"jenis": "hapak"})
    with tenancy.all_tenants(reason="test"):
        alur_hapak = AlurParaf.objects.get(instansi=prov, jenis="hapak")
    halaman_hapak = client.get(reverse("ttd:alur_ubah", args=[alur_hapak.pk]))
    assert "penanda" not in halaman_hapak.context["form"].fields
    # The page says the sekretariat's paraf always comes first, without being listed.
    assert 'data-testid="alur-hapak-sekretariat"' in halaman_hapak.content.decode()

    # A chain applies to letters issued or corrected afterwards (issue 17 walk finding 5): the PAK
    # issued before it is corrected, and its new version passes the chain.
    assert [v.pk for v in _antrean(sekda)] == [pak.pk]
    from apps.surat import services as surat_services
    from apps.surat.models import VersiSurat
    from tests.surat.conftest import render_antrean

    with as_user(sekda):
        surat_services.surat_koreksi(actor=sekda, surat=pak.surat, alasan="Salah ketik")
    render_antrean()
    with tenancy.all_tenants(reason="test"):
        pak = VersiSurat.objects.select_related("surat").get(surat=pak.surat, versi=2)
    # Enforced: the PYB's queue no longer holds the PAK and a signing request is refused.
    assert _antrean(sekda) == []
    page = client.post(reverse("ttd:tandatangani"), {"versi": [pak.pk]}, follow=True).content.decode()
    assert "belum lengkap parafnya" in page
    # The sekretariat (same instansi as the issuer; the PAK is filed under the kabupaten) sees it,
    # reads it and gives the paraf. The HAPAK waits for it too, with no chain configured for it:
    # its every version starts with the team's sekretariat (seed 001 BAB IV E.4.b).
    client.force_login(stp)
    antrean = client.get(reverse("ttd:antrean")).content.decode()
    assert pak.surat.nomor in antrean and hapak.surat.nomor in antrean
    assert client.get(reverse("ttd:baca", args=[pak.pk])).status_code == 200
    assert client.post(reverse("ttd:paraf", args=[pak.pk])).status_code == 302
    assert client.post(reverse("ttd:paraf", args=[hapak.pk])).status_code == 302
    with tenancy.all_tenants(reason="test"):
        assert Paraf.objects.get(versi=hapak).user == stp
    with tenancy.all_tenants(reason="test"):
        (p,) = Paraf.objects.filter(versi=pak)
    assert (p.user, p.sha256) == (stp, pak.sha256)
    # Chain complete: the PYB's queue holds it again.
    assert [v.pk for v in _antrean(sekda)] == [pak.pk]
    # Another instansi's user named nowhere reaches neither letter.
    client.force_login(pic_kab)
    assert client.post(reverse("ttd:paraf", args=[pak.pk])).status_code in (403, 404)
    assert client.post(reverse("ttd:paraf", args=[hapak.pk])).status_code in (403, 404)


def test_the_sidang_form_offers_the_teams_instansis_officials_as_pyb(client, ca, referensi):
    from decimal import Decimal

    from django.utils import timezone

    from apps.penetapan import selectors
    from apps.penetapan import services as penetapan
    from tests.penetapan.conftest import bentuk_tim, buat_pejabat, usulan_diajukan

    jfak = periode_seed_001(referensi["analis-kebijakan"])
    prov = InstansiFactory(kode="PROV-JATENG", nama="Pemerintah Provinsi Jawa Tengah", jenis="provinsi")
    pic = UserFactory(username="pic.jateng", instansi=prov, roles=["pic_instansi"])
    tim = bentuk_tim(prov, jfak, "provinsi", n=3)
    u = usulan_diajukan(pic, buat_pejabat(prov, jfak, ak_awal=Decimal("62.5")))
    with as_user(tim["sekretariat"]):
        penetapan.sekretariat_periksa(actor=tim["sekretariat"], usulan=selectors.usulan(u.pk), lengkap=True)
    for a in tim["anggota"]:
        with as_user(a.user):
            penetapan.penilaian_simpan(actor=a.user, usulan=selectors.usulan(u.pk), rekomendasi="setuju")
    with as_user(tim["sekretariat"]):
        sidang = penetapan.sidang_buka(
            actor=tim["sekretariat"], tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk]
        )
    ketua = tim["anggota"][0].user
    client.force_login(ketua)
    # No official registered at the team's instansi: typed, with the link to the register (and a
    # statement that the PAK is signed by hand: tests/penetapan/test_pyb_manual.py).
    page = client.get(reverse("penetapan:sidang", args=[sidang.pk]))
    assert "pejabat" not in page.context["form"].fields and 'data-testid="pyb-belum-terdaftar"' in page.content.decode()
    sekda = UserFactory(username="sekda.jateng", instansi=prov, roles=["ppk"], nip=PYB[2])
    wakil = UserFactory(username="wakil.jateng", instansi=prov, roles=["ppk"])
    daftar_pejabat(instansi=prov, user=wakil, identitas=None, nama="Asisten Sekda", nip="197501012000031001",
                   jabatan="Asisten Administrasi")  # fmt: skip
    sekda_ttd = daftar_pejabat(instansi=prov, user=sekda, identitas=None, nama=PYB[0], nip=PYB[2], jabatan=PYB[1])
    with tenancy.all_tenants(reason="test"):
        AlurParaf.objects.create(instansi=prov, jenis="pak_ak", aktif=False, penanda=sekda_ttd)
    form = client.get(reverse("penetapan:sidang", args=[sidang.pk])).context["form"]
    assert str(form["pejabat"].value()) == str(sekda_ttd.pk)  # the PAK's signer set on the alur page
    assert (form["pyb_nama"].value(), form["pyb_nip"].value()) == (PYB[0], PYB[2])
    # Chosen: the name and NIP are the official's; the PAK names them.
    hadir = [a.pk for a in tim["anggota"]]
    response = client.post(
        reverse("penetapan:sidang", args=[sidang.pk]),
        {"hadir": hadir, "pejabat": sekda_ttd.pk, "pyb_nama": "", "pyb_jabatan": "", "pyb_nip": ""},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    with tenancy.all_tenants(reason="test"):
        from apps.surat.models import Surat

        pak = Surat.objects.get(jenis="pak_ak")
    assert (pak.penandatangan_nama, pak.penandatangan_jabatan, pak.penandatangan_nip) == PYB
