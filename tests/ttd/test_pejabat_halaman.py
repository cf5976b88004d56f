"""The "Pejabat penanda tangan" page: the instansi's PIC registers its own signing officials and
the admin pembina the pembina's, with a PKCS#12 (kept encrypted with the environment's
passphrase) or a BSrE NIK; edit and deactivate; audited; another instansi's official is 404;
an official registered after their letters were rendered is told of them and sees them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.sign import signers

from apps.core.models import AuditLog
from apps.notifikasi.models import Notifikasi
from apps.ttd.models import Pejabat
from apps.ttd.services import antrean_ttd
from tests.surat.conftest import PENANDATANGAN_PPK
from tests.ttd.conftest import NIK_PPK, PKCS12_PASSPHRASE, all_tenants

pytestmark = pytest.mark.django_db


def _p12(identitas, passphrase: bytes, name="ppk.p12"):
    return SimpleUploadedFile(name, identitas.pkcs12(passphrase), content_type="application/x-pkcs12")


def _data(user, **extra):
    nama, jabatan, nip = PENANDATANGAN_PPK
    return {"user": user.pk, "nama": nama, "nip": nip, "jabatan": jabatan, "backend": "pkcs12", **extra}


def test_the_pic_registers_a_pkcs12_official_with_its_own_passphrase_edits_and_deactivates_it(
    client, pic_pk, ppk_pk, sertifikat_ppk
):
    client.force_login(pic_pk)
    assert client.get(reverse("ttd:pejabat")).status_code == 200
    assert reverse("ttd:pejabat") in client.get(reverse("portal:beranda")).content.decode()  # in the user menu
    # No archive: refused on the field, input kept.
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unggah berkas sertifikat elektronik (.p12" in page and PENANDATANGAN_PPK[1] in page
    # An archive under another passphrase, without it: the form asks for it.
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(sertifikat_ppk, b"milik-pejabat")))
    assert response.status_code == 400 and "dilindungi passphrase lain" in response.content.decode()
    response = client.post(
        reverse("ttd:pejabat_baru"),
        _data(ppk_pk, p12=_p12(sertifikat_ppk, b"milik-pejabat"), passphrase_berkas="salah"),
    )
    assert response.status_code == 400 and "Passphrase berkas sertifikat salah" in response.content.decode()
    with all_tenants():
        assert not Pejabat.objects.exists()
    response = client.post(
        reverse("ttd:pejabat_baru"),
        _data(ppk_pk, p12=_p12(sertifikat_ppk, b"milik-pejabat"), passphrase_berkas="milik-pejabat"),
    )
    assert response.status_code == 302 and response.url == reverse("ttd:pejabat")
    with all_tenants():
        p = Pejabat.objects.get()
        log = AuditLog.objects.get(action="ttd.pejabat_didaftarkan")
    assert (p.instansi_id, p.user, p.nip, p.backend, p.aktif) == (
        pic_pk.instansi.pk,
        ppk_pk,
        PENANDATANGAN_PPK[2],
        "pkcs12",
        True,
    )
    assert p.sidik_jari == sertifikat_ppk.sidik_jari and "BEGIN CERTIFICATE" in p.sertifikat_pem
    # Stored re-encrypted with the environment's passphrase (the signer opens it with that one).
    signer = signers.SimpleSigner.load_pkcs12_data(bytes(p.pkcs12), [], PKCS12_PASSPHRASE.encode())
    assert signer.signing_cert.sha256.hex() == sertifikat_ppk.sidik_jari
    assert log.actor == pic_pk and log.data["sesudah"]["nip"] == p.nip and "milik-pejabat" not in str(log.data)
    # Edit without a new archive: the stored key is kept.
    response = client.post(reverse("ttd:pejabat_ubah", args=[p.pk]), _data(ppk_pk, jabatan="Sekjen (PPK)"))
    assert response.status_code == 302
    with all_tenants():
        p2 = Pejabat.objects.get(pk=p.pk)
        assert AuditLog.objects.get(action="ttd.pejabat_diubah").data["sebelum"]["jabatan"] == PENANDATANGAN_PPK[1]
    assert p2.jabatan == "Sekjen (PPK)" and bytes(p2.pkcs12) == bytes(p.pkcs12) and p2.sidik_jari == p.sidik_jari
    # Deactivate: no longer an official anywhere.
    r = client.post(reverse("ttd:pejabat_aktif", args=[p.pk]), {"aktif": "0", "konfirmasi": "1"})
    assert r.status_code == 302
    with all_tenants():
        assert not Pejabat.objects.get(pk=p.pk).aktif
        assert AuditLog.objects.filter(action="ttd.pejabat_dinonaktifkan", actor=pic_pk).exists()
    assert "Nonaktif" in client.get(reverse("ttd:pejabat")).content.decode()


def test_bsre_officials_need_a_nik_and_bad_input_is_refused_with_the_reason(client, pic_pk, ppk_pk, sertifikat_ppk):
    client.force_login(pic_pk)
    bad = client.post(
        reverse("ttd:pejabat_baru"),
        _data(ppk_pk, backend="bsre", nip="12345", nik="abc", sidik_jari="zz:11"),
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "NIK terdiri dari 16 angka" in page and "64 digit heksadesimal" in page and "NIP" in page
    no_nik = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, backend="bsre"))
    assert no_nik.status_code == 400 and "NIK wajib" in no_nik.content.decode()
    cert = SimpleUploadedFile("ppk.pem", sertifikat_ppk.cert_pem, content_type="application/x-pem-file")
    ok = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, backend="bsre", nik=NIK_PPK, sertifikat=cert))
    assert ok.status_code == 302
    with all_tenants():
        p = Pejabat.objects.get()
    assert (p.backend, p.nik, bytes(p.pkcs12), p.sidik_jari) == ("bsre", NIK_PPK, b"", sertifikat_ppk.sidik_jari)
    # The same NIP twice is refused on the field.
    again = client.post(reverse("ttd:pejabat_baru"), _data(pic_pk, backend="bsre", nik=NIK_PPK))
    assert again.status_code == 400 and "sudah terdaftar" in again.content.decode()


def test_another_instansis_official_is_404_and_other_roles_are_refused(
    client, pic_pk, ppk_pk, staf, pejabat_ppk, kemnaker
):
    # The admin pembina keeps Kemnaker's register, and Kemnaker's only.
    client.force_login(staf["admin"])
    assert client.get(reverse("ttd:pejabat")).status_code == 200
    assert pejabat_ppk.nama not in client.get(reverse("ttd:pejabat")).content.decode()
    assert client.get(reverse("ttd:pejabat_ubah", args=[pejabat_ppk.pk])).status_code == 404
    assert client.post(reverse("ttd:pejabat_aktif", args=[pejabat_ppk.pk]), {"aktif": "0"}).status_code == 404
    # Roles that keep no register.
    for user in (ppk_pk, staf["verifikator"]):
        client.force_login(user)
        assert client.get(reverse("ttd:pejabat")).status_code == 403
        assert client.get(reverse("ttd:pejabat_ubah", args=[pejabat_ppk.pk])).status_code == 403
    with all_tenants():
        assert Pejabat.objects.get(pk=pejabat_ppk.pk).aktif
    client.force_login(pic_pk)
    assert pejabat_ppk.nama in client.get(reverse("ttd:pejabat")).content.decode()


def test_an_official_registered_after_the_letters_were_rendered_is_told_and_sees_them(
    client, pic_pk, ppk_pk, sk_siap, sertifikat_ppk, django_capture_on_commit_callbacks
):
    versi = sk_siap(2, pak_ttd=False)  # rendered while nobody was registered: nobody was told
    with all_tenants():
        assert not Notifikasi.objects.filter(user=ppk_pk, jenis="ttd").exists()
    client.force_login(pic_pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(sertifikat_ppk, PKCS12_PASSPHRASE.encode()))
        )
    assert response.status_code == 302
    with all_tenants():
        (n,) = Notifikasi.objects.filter(user=ppk_pk, jenis="ttd")
    with all_tenants():
        menunggu = antrean_ttd(ppk_pk)
    # The two SKs and the PAK issued with each (this JF's PAK is signed by the SK's signer).
    assert {v.pk for v in versi} < {v.pk for v in menunggu} and len(menunggu) == 4
    assert n.judul.startswith("4 surat menunggu tanda tangan") and n.url == reverse("ttd:antrean")
    client.force_login(ppk_pk)
    page = client.get(reverse("ttd:antrean")).content.decode()
    assert all(v.surat.nomor in page for v in versi)


def test_switching_an_official_to_bsre_drops_the_portal_certificate_and_its_fingerprint(
    client, pic_pk, ppk_pk, sertifikat_ppk
):
    """Fresh-eye finding (issue 17): after switching Rina Marlina from the portal-held certificate to
    BSrE, the Sertifikat column still showed the old certificate's fingerprint (the edit form
    carries it back). The key and its certificate are dropped, audited; a fingerprint typed
    instead is the registered one."""
    client.force_login(pic_pk)
    p12 = _p12(sertifikat_ppk, PKCS12_PASSPHRASE.encode())
    assert client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=p12)).status_code == 302
    with all_tenants():
        p = Pejabat.objects.get()
    lama = sertifikat_ppk.sidik_jari
    assert p.sidik_jari == lama and bytes(p.pkcs12)
    form = client.get(reverse("ttd:pejabat_ubah", args=[p.pk])).content.decode()
    assert f'value="{lama}"' in form  # what the browser posts back
    r = client.post(
        reverse("ttd:pejabat_ubah", args=[p.pk]), _data(ppk_pk, backend="bsre", nik=NIK_PPK, sidik_jari=lama)
    )
    assert r.status_code == 302
    with all_tenants():
        p = Pejabat.objects.get(pk=p.pk)
        log = AuditLog.objects.get(action="ttd.pejabat_diubah")
    assert (p.backend, bytes(p.pkcs12), p.sidik_jari, p.sertifikat_pem) == ("bsre", b"", "", "")
    assert log.data["kunci_pkcs12_dihapus"] is True and log.data["sebelum"]["kunci_pkcs12"] is True
    assert log.data["sebelum"]["sidik_jari"] == lama and log.data["sesudah"]["sidik_jari"] == ""
    assert "Sertifikat dan kunci yang disimpan portal dihapus." in log.message
    daftar = client.get(reverse("ttd:pejabat")).content.decode()
    assert lama[:16] not in daftar and "PKCS" not in daftar
    # A fingerprint typed instead of the old one (the official's BSrE certificate) is registered.
    with all_tenants():
        Pejabat.objects.filter(pk=p.pk).update(backend="pkcs12", pkcs12=b"x", sidik_jari=lama)
    baru = "ab" * 32
    r = client.post(
        reverse("ttd:pejabat_ubah", args=[p.pk]), _data(ppk_pk, backend="bsre", nik=NIK_PPK, sidik_jari=baru)
    )
    assert r.status_code == 302
    with all_tenants():
        p = Pejabat.objects.get(pk=p.pk)
    assert (bytes(p.pkcs12), p.sidik_jari) == (b"", baru)
    assert baru[:16] in client.get(reverse("ttd:pejabat")).content.decode()


def test_a_name_edited_under_a_registered_certificate_must_still_be_its_holders(client, pic_pk, ppk_pk, sertifikat_ppk):
    """Re-check walk of issues 13/17: the page saved "Hendra, S.E." for the certificate of Hendra
    Gunawan when no new certificate came with the edit; the mismatch surfaced only at signing, after
    letters printed the name. A titled spelling of the same name is still accepted."""
    client.force_login(pic_pk)
    response = client.post(
        reverse("ttd:pejabat_baru"),
        _data(ppk_pk, p12=_p12(sertifikat_ppk, b"milik-pejabat"), passphrase_berkas="milik-pejabat"),
    )
    assert response.status_code == 302
    with all_tenants():
        p = Pejabat.objects.get()
    nama = PENANDATANGAN_PPK[0]
    lain = nama.replace("Santoso", "Santoso Wicaksono Adinegoro")  # more words: another name
    response = client.post(reverse("ttd:pejabat_ubah", args=[p.pk]), _data(ppk_pk, nama=lain))
    assert response.status_code == 400
    page = response.content.decode()
    assert "bukan pejabat yang didaftarkan" in page and "Wicaksono Adinegoro" in page  # the input is kept
    with all_tenants():
        assert Pejabat.objects.get(pk=p.pk).nama == nama
    response = client.post(reverse("ttd:pejabat_ubah", args=[p.pk]), _data(ppk_pk, nama=f"Dr. {nama}, M.Si."))
    assert response.status_code == 302
    with all_tenants():
        assert Pejabat.objects.get(pk=p.pk).nama == f"Dr. {nama}, M.Si."
