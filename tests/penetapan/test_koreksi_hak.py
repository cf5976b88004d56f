"""Who corrects a Tim Penilai AK's PAK and HAPAK, and what a correction changes (issue 19,
fresh-eye walk; seed 001 BAB IV E; apps.penetapan.koreksi):

* a PAK the PYB signed is not changed by the sekretariat (pages, API, service) — only the PYB the
  letter names corrects it, as a new version;
* the PYB of a corrected PAK is a registered signing official of the team's instansi, never typed;
* the HAPAK is corrected by the sekretariat or by the ketua, whose letter it is; its signer stays
  the ketua;
* a new version voids the old version's signatures (apps.ttd)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core import tenancy
from apps.penetapan import services
from apps.surat.models import Surat, VersiSurat
from apps.ttd.models import Pejabat as PejabatTtd
from apps.ttd.models import TandaTangan
from tests.factories import UserFactory
from tests.penetapan.conftest import PYB, as_user, sidang_ani_dan_budi
from tests.surat.conftest import render_antrean

pytestmark = pytest.mark.django_db


@pytest.fixture
def hasil(pic_kab, ani, budi, tim_prov):
    """Budi's PAK and Ani's HAPAK, rendered; the usulan by result."""
    out = {u.hasil: u for u in sidang_ani_dan_budi(pic_kab, ani, budi, tim_prov)}
    render_antrean()
    return out


def _surat(usulan) -> Surat:
    with tenancy.all_tenants(reason="test"):
        return Surat.objects.get(pk=usulan.surat_id)


def _versi(usulan) -> list[VersiSurat]:
    with tenancy.all_tenants(reason="test"):
        return list(VersiSurat.objects.filter(surat_id=usulan.surat_id).order_by("versi"))


def _tanda_tangan_basah(stp, usulan):
    """The sekretariat uploads the PYB's wet-ink signed scan (the fallback of seed 001): the PAK is set."""
    from apps.ttd.services import unggah_salinan
    from tests.pdfs import pindaian
    from tests.ttd.conftest import baca

    (v,) = _versi(usulan)
    scan = SimpleUploadedFile("pak-ttd-basah.pdf", pindaian(baca(v.berkas)), "application/pdf")
    with as_user(stp):
        unggah_salinan(actor=stp, versi=v, upload=scan, alasan_manual="Layanan TTE terganggu")


def _daftar(prov, *, user=None, nama=PYB[0], jabatan=PYB[1], nip=PYB[2]):
    with tenancy.scope(prov):
        return PejabatTtd.objects.create(instansi=prov, user=user, nama=nama, nip=nip, jabatan=jabatan, backend="bsre")


def test_a_pak_the_pyb_signed_is_not_corrected_by_the_sekretariat_only_by_the_pyb(client, hasil, tim_prov, prov):
    stp = tim_prov["sekretariat"]
    pak = hasil["pak"]
    _tanda_tangan_basah(stp, pak)
    surat = _surat(pak)
    # Service: refused with the reason (seed 001 BAB IV E.5), nothing written.
    with as_user(stp), pytest.raises(ValidationError, match="sudah ditetapkan"):
        services.surat_koreksi(actor=stp, usulan=pak, alasan="Salah ketik.")
    # Page: no correction form, the reason instead; a POST is refused with it, no new version.
    client.force_login(stp)
    page = client.get(reverse("surat:detail", args=[surat.pk])).content.decode()
    assert 'data-testid="koreksi-ditolak"' in page and reverse("surat:koreksi", args=[surat.pk]) not in page
    r = client.post(reverse("surat:koreksi", args=[surat.pk]), {"alasan": "Salah ketik."}, follow=True)
    assert r.status_code == 200 and "sudah ditetapkan" in r.content.decode()
    # API: 400 with the reason, no new version.
    r = client.post(
        reverse("api:surat-koreksi", args=[surat.pk]), {"alasan": "Salah ketik."}, content_type="application/json"
    )
    assert r.status_code == 400 and "sudah ditetapkan" in r.content.decode()
    assert [v.versi for v in _versi(pak)] == [1]
    # The PYB the PAK names (his own account, registered at the team's instansi) corrects his
    # decision: a new version, with the same number, not signed (the old signature does not carry).
    sekda = UserFactory(username="sekda.jateng", instansi=prov, roles=["ppk"], nip=PYB[2])
    _daftar(prov, user=sekda)
    client.force_login(sekda)
    r = client.post(reverse("surat:koreksi", args=[surat.pk]), {"alasan": "Tanggal lahir keliru."})
    assert r.status_code == 302
    v1, v2 = _versi(pak)
    assert v1.diganti_at is not None and v2.isi["nomor"] == v1.isi["nomor"]
    with tenancy.all_tenants(reason="test"):
        assert TandaTangan.objects.filter(versi=v1, status="selesai").exists()
        assert not TandaTangan.objects.filter(versi=v2).exists()


def test_the_pyb_of_a_corrected_pak_is_a_registered_official_never_typed(client, hasil, tim_prov, prov):
    stp = tim_prov["sekretariat"]
    pak = hasil["pak"]
    pyb = _daftar(prov)
    wakil = _daftar(prov, nama="Ir. Asisten Sekda", jabatan="Asisten Administrasi Umum", nip="197502022000031002")
    surat = _surat(pak)
    client.force_login(stp)
    form = client.get(reverse("surat:detail", args=[surat.pk])).context["koreksi_form"]
    assert "penandatangan_nama" not in form.fields and "penandatangan_nip" not in form.fields
    assert form["pejabat"].value() == str(pyb.pk)  # the PYB the letter names, preselected
    # Typed fields are ignored; an id that is not a registered official of the team's instansi is refused.
    r = client.post(
        reverse("surat:koreksi", args=[surat.pk]),
        {"alasan": "PYB keliru.", "pejabat": "999999", "penandatangan_nama": "Siapa Saja", "penandatangan_nip": ""},
        follow=True,
    )
    assert [v.versi for v in _versi(pak)] == [1]
    with as_user(stp):
        with pytest.raises(ValidationError, match="terdaftar"):
            services.surat_koreksi(actor=stp, usulan=pak, alasan="x", pejabat=999999)
        # The signer comes from the registration: name, jabatan and NIP as registered.
        services.surat_koreksi(actor=stp, usulan=pak, alasan="PYB berganti.", pejabat=wakil)
    render_antrean()
    surat = _surat(pak)
    assert (surat.penandatangan_nama, surat.penandatangan_jabatan, surat.penandatangan_nip) == (
        "Ir. Asisten Sekda",
        "Asisten Administrasi Umum",
        "197502022000031002",
    )
    assert _versi(pak)[-1].isi["penandatangan"]["nip"] == "197502022000031002"
    # The API takes the official by id too (it has no field for a typed signer).
    r = client.post(
        reverse("api:surat-koreksi", args=[surat.pk]),
        {"alasan": "PYB kembali.", "pejabat": pyb.pk},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert _surat(pak).penandatangan_nip == PYB[2]


def test_the_ketua_corrects_the_hapak_and_remains_its_signer_not_the_pak(client, hasil, tim_prov, pic_kab):
    ketua = tim_prov["anggota"][0].user
    hapak, pak = hasil["hapak"], hasil["pak"]
    surat = _surat(hapak)
    client.force_login(ketua)
    page = client.get(reverse("surat:detail", args=[surat.pk]))
    form = page.context["koreksi_form"]
    assert form is not None and set(form.fields) == {"alasan"}
    assert 'data-testid="koreksi-penanda-tim"' in page.content.decode()
    r = client.post(reverse("surat:koreksi", args=[surat.pk]), {"alasan": "Keterangan HAPAK keliru."})
    assert r.status_code == 302
    assert [v.versi for v in _versi(hapak)] == [1, 2]
    r = client.post(
        reverse("api:surat-koreksi", args=[surat.pk]), {"alasan": "Sekali lagi."}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    surat = _surat(hapak)
    assert surat.penandatangan_nama == ketua.nama_lengkap and surat.penandatangan_nip == "197203151998031004"
    # The HAPAK's signer is not chosen in a correction.
    with as_user(ketua), pytest.raises(ValidationError, match="ketua tim penilai"):
        services.surat_koreksi(actor=ketua, usulan=hapak, alasan="x", pejabat=1)
    # The PAK is not the ketua's (the PYB's), nor a member's or the holder's instansi's.
    anggota = tim_prov["anggota"][2].user
    for user in (ketua, anggota, pic_kab):
        with as_user(user), pytest.raises(PermissionDenied):
            services.surat_koreksi(actor=user, usulan=pak, alasan="x")
    with as_user(anggota), pytest.raises(PermissionDenied):
        services.surat_koreksi(actor=anggota, usulan=hapak, alasan="x")
    client.force_login(ketua)
    r = client.post(
        reverse("api:surat-koreksi", args=[_surat(pak).pk]), {"alasan": "x"}, content_type="application/json"
    )
    assert r.status_code == 403
    assert [v.versi for v in _versi(pak)] == [1]


def test_the_public_page_shows_who_endorsed_the_hapak_and_when(client, hasil, tim_prov):
    """Issue 19 fresh-eye walk: the sekretariat's endorsement (paraf) of a HAPAK was not on the
    public page /v/<kode>/. It shows who (the name, as the signed copy's reason names them; no
    NIP or account) and when, for the version in force; before the paraf, that it is awaited."""
    from apps.core.format import waktu
    from apps.ttd import services as ttd
    from apps.ttd.models import Paraf

    stp = tim_prov["sekretariat"]
    (v,) = _versi(hasil["hapak"])
    url = reverse("surat:verifikasi", args=[v.kode])
    page = client.get(url).content.decode()
    assert "Belum disahkan (diparaf) Sekretariat Tim Penilai." in page
    with as_user(stp):
        ttd.paraf_beri(actor=stp, versi=v)
    with tenancy.all_tenants(reason="test"):
        p = Paraf.objects.get(versi=v)
    page = client.get(url).content.decode()
    assert f"Disahkan oleh Sekretariat Tim Penilai: paraf elektronik {stp.nama_lengkap}, {waktu(p.created_at)}." in page
    assert stp.username not in page and stp.email not in page
    # The PAK (no required endorsement) says nothing of the kind.
    (pak,) = _versi(hasil["pak"])
    assert (
        'data-testid="pengesahan-publik"'
        not in client.get(reverse("surat:verifikasi", args=[pak.kode])).content.decode()
    )
