"""The HAPAK goes out with a covering letter from the ketua of the Tim Penilai AK, endorsed by the
sekretariat (seed 001 BAB IV E.4). A kabupaten's own team: the PIC sets the HAPAK's paraf chain
(the sekretariat), the sekretariat gives its paraf from the letter page, then the ketua — a
registered signing official of the team's instansi — finds it on the team's letters page and in
the signing queue and signs it electronically (a real PAdES signature the test CA trusts)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from apps.core import tenancy
from apps.penetapan import selectors, services
from apps.surat.models import Surat, VersiSurat
from apps.ttd import alur as alur_mod
from apps.ttd import validasi
from apps.ttd.models import Paraf, TandaTangan
from apps.ttd.pades import konteks_validasi
from tests.factories import InstansiFactory, UserFactory
from tests.penetapan.conftest import KETUA_NIP, as_user, bentuk_tim, buat_pejabat, periode_seed_001, usulan_diajukan
from tests.surat.conftest import render_antrean
from tests.ttd.conftest import baca, daftar_pejabat, ttd_antrean

pytestmark = pytest.mark.django_db

KETUA = "Dr. Ir. Bagus Prakoso, M.Sc."
PYB = ("Drs. Sekretaris Daerah, M.Si.", "Sekretaris Daerah Kabupaten Banyumas", "197001011990031001")


def _hapak(kab, jfak, pic, tim):
    """Ani (40 AK) assessed and decided by the kabupaten's team: a HAPAK (its current version)."""
    ani = buat_pejabat(kab, jfak, ak_awal=Decimal("40"))
    u = usulan_diajukan(pic, ani)
    with as_user(tim["sekretariat"]):
        services.sekretariat_periksa(actor=tim["sekretariat"], usulan=selectors.usulan(u.pk), lengkap=True)
    for a in tim["anggota"]:
        with as_user(a.user):
            services.penilaian_simpan(actor=a.user, usulan=selectors.usulan(u.pk), rekomendasi="setuju")
    with as_user(tim["sekretariat"]):
        sidang = services.sidang_buka(
            actor=tim["sekretariat"], tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk]
        )
    ketua = tim["anggota"][0].user
    with as_user(ketua):
        (hasil,) = services.sidang_putuskan(
            actor=ketua, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim["anggota"]]
        )
    render_antrean()
    with tenancy.all_tenants(reason="test"):
        surat = Surat.objects.get(pk=hasil.surat_id)
        return VersiSurat.objects.select_related("surat").get(surat=surat, diganti_at__isnull=True)


def test_the_sekretariat_endorses_and_the_ketua_signs_the_hapak(client, ca, referensi):
    jfak = periode_seed_001(referensi["analis-kebijakan"])
    prov = InstansiFactory(kode="PROV-JATENG", nama="Pemerintah Provinsi Jawa Tengah", jenis="provinsi")
    kab = InstansiFactory(kode="KAB-BANYUMAS", nama="Pemerintah Kabupaten Banyumas", jenis="kabupaten", parent=prov)
    pic = UserFactory(username="pic.banyumas", instansi=kab, roles=["pic_instansi"])
    tim = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpk")
    ketua, stp = tim["anggota"][0].user, tim["sekretariat"]
    # The ketua is a registered signing official of the team's instansi, under their certificate's name.
    identitas = ca.pejabat(KETUA, nik="3302011203720001", nip=KETUA_NIP, instansi=kab.nama)
    pejabat = daftar_pejabat(
        instansi=kab, user=ketua, identitas=identitas, nama=KETUA, nip=KETUA_NIP, jabatan="Ketua Tim Penilai"
    )
    daftar_pejabat(instansi=kab, user=None, identitas=None, nama=PYB[0], nip=PYB[2], jabatan=PYB[1])
    # The PIC sets the HAPAK's paraf chain: the team's sekretariat endorses it before the ketua signs.
    assert "hapak" in alur_mod.jenis_untuk(pic)
    with as_user(pic):
        assert stp in alur_mod.calon_paraf(kab.pk, "hapak")
        alur = alur_mod.alur_buka(actor=pic, jenis="hapak")
        alur_mod.alur_simpan(actor=pic, alur=alur, langkah=[(stp, "Sekretariat Tim Penilai")], penanda=None)
    hapak = _hapak(kab, jfak, pic, tim)
    surat = hapak.surat
    # The covering letter names the ketua as registered, with the NIP under the signature.
    assert (surat.jenis, surat.penandatangan_nama, surat.penandatangan_nip) == ("hapak", KETUA, KETUA_NIP)
    assert surat.penandatangan_jabatan == f"Ketua {tim['tim'].nama}"

    # Before the paraf: the ketua sees the letter waiting for the sekretariat, cannot sign yet.
    client.force_login(ketua)
    page = client.get(reverse("penetapan:surat_tim")).content.decode()
    assert surat.nomor in page and "Menunggu paraf Sekretariat Tim Penilai" in page
    assert surat.nomor not in client.get(reverse("ttd:antrean")).content.decode()
    client.post(reverse("ttd:tandatangani"), {"versi": [hapak.pk]})
    with tenancy.all_tenants(reason="test assertion"):
        assert not TandaTangan.objects.filter(versi=hapak).exists()

    # The sekretariat gives its paraf on the letter page (its TTE card).
    client.force_login(stp)
    detail = client.get(reverse("surat:detail", args=[surat.pk]))
    assert detail.status_code == 200 and 'data-testid="beri-paraf"' in detail.content.decode()
    assert client.post(reverse("ttd:paraf", args=[hapak.pk])).status_code == 302
    with tenancy.all_tenants(reason="test assertion"):
        paraf = Paraf.objects.get(versi=hapak)
        assert (paraf.user_id, paraf.sha256) == (stp.pk, hapak.sha256)

    # The ketua: on the team's letters page and in the queue; signs it.
    client.force_login(ketua)
    page = client.get(reverse("penetapan:surat_tim")).content.decode()
    assert f"Menunggu tanda tangan {KETUA}" in page and "Tandatangani" in page
    assert surat.nomor in client.get(reverse("ttd:antrean")).content.decode()
    assert 'data-testid="tandatangani"' in client.get(reverse("surat:detail", args=[surat.pk])).content.decode()
    r = client.post(reverse("ttd:tandatangani"), {"versi": [hapak.pk]})
    assert r.status_code == 302
    assert ttd_antrean() == 1
    with tenancy.all_tenants(reason="test assertion"):
        tt = TandaTangan.objects.get(versi=hapak)
        assert (tt.status, tt.pejabat_id, tt.penandatangan_nip) == ("selesai", pejabat.pk, KETUA_NIP)
        versi = VersiSurat.objects.get(pk=hapak.pk)
    signed = baca(versi.ttd_berkas)
    assert signed.startswith(baca(versi.berkas))
    (sig,) = PdfFileReader(io.BytesIO(signed)).embedded_regular_signatures
    vc = konteks_validasi(validasi.trust_roots(), validasi.intermediates())
    status = validate_pdf_signature(sig, signer_validation_context=vc)
    assert status.bottom_line and status.intact and status.trusted
    assert status.signing_cert.subject.native["common_name"] == KETUA
    assert "Ditandatangani" in client.get(reverse("penetapan:surat_tim")).content.decode()
    # The holder's PIC downloads the signed HAPAK.
    client.force_login(pic)
    assert client.get(reverse("surat:unduh_ttd", args=[hapak.pk])).status_code == 200


def test_a_ketua_not_registered_is_told_and_the_team_may_upload_a_wet_signed_scan(client, referensi):
    """No registered signing official: the page says so and points to the registration; the
    sekretariat uploads the wet-signed scan with its reason (seed 001: manual work)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.pdfs import pindaian

    jfak = periode_seed_001(referensi["analis-kebijakan"])
    kab = InstansiFactory(kode="KAB-CILACAP", nama="Pemerintah Kabupaten Cilacap", jenis="kabupaten")
    pic = UserFactory(username="pic.cilacap", instansi=kab, roles=["pic_instansi"])
    tim = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpc")
    hapak = _hapak(kab, jfak, pic, tim)
    client.force_login(tim["anggota"][0].user)
    page = client.get(reverse("penetapan:surat_tim")).content.decode()
    assert 'data-testid="ketua-belum-terdaftar"' in page and hapak.surat.nomor in page
    client.force_login(tim["anggota"][1].user)  # a member, not named to sign: no such notice
    assert 'data-testid="ketua-belum-terdaftar"' not in client.get(reverse("penetapan:surat_tim")).content.decode()
    client.force_login(tim["sekretariat"])
    scan = SimpleUploadedFile("hapak-ttd-basah.pdf", pindaian(baca(hapak.berkas)), "application/pdf")
    r = client.post(reverse("ttd:unggah", args=[hapak.pk]), {"berkas": scan, "alasan": "Layanan TTE terganggu"})
    assert r.status_code == 302
    with tenancy.all_tenants(reason="test assertion"):
        tt = TandaTangan.objects.get(versi=hapak)
        assert (tt.cara, tt.alasan_manual) == ("manual", "Layanan TTE terganggu")
