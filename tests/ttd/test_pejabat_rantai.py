"""Registering a signing official checks the certificate as the validation of signed copies
will: a self-signed (or otherwise untrusted) .p12 or certificate is refused at registration with
the reason — or, only in development with SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA, registered with a
visible warning — and an expired one is refused. A file that is not a .p12 at all is told apart
from a .p12 under another passphrase (issue 17 fresh-eye leftovers)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.core.models import AuditLog
from apps.ttd.models import Pejabat
from tests.factories import UserFactory
from tests.surat.conftest import PENANDATANGAN_PPK
from tests.ttd.conftest import NIK_PPK, PKCS12_PASSPHRASE, all_tenants

pytestmark = pytest.mark.django_db


def _swatanda(nama: str, nip: str, passphrase: bytes) -> tuple[bytes, bytes]:
    """A self-signed signer certificate with the official's name and NIP, as anyone can make with
    openssl: (its .p12, its PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"NIP {nip}"),
        x509.NameAttribute(NameOID.COMMON_NAME, nama),
    ])  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365)).sign(key, hashes.SHA256())
    )  # fmt: skip
    blob = pkcs12.serialize_key_and_certificates(
        b"sendiri", key, cert, None, serialization.BestAvailableEncryption(passphrase)
    )
    return blob, cert.public_bytes(serialization.Encoding.PEM)


def _data(user, **extra):
    nama, jabatan, nip = PENANDATANGAN_PPK
    return {"user": user.pk, "nama": nama, "nip": nip, "jabatan": jabatan, "backend": "pkcs12", **extra}


def _p12(blob: bytes, name="ppk.p12"):
    return SimpleUploadedFile(name, blob, content_type="application/x-pkcs12")


def test_a_self_signed_p12_is_refused_with_the_reason_and_nothing_is_stored(client, pic_pk, ppk_pk):
    nama, _jabatan, nip = PENANDATANGAN_PPK
    blob, _pem = _swatanda(nama, nip, PKCS12_PASSPHRASE.encode())
    client.force_login(pic_pk)
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(blob)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "tidak berantai ke akar tepercaya" in page and nama in page  # the reason, input kept
    with all_tenants():
        assert not Pejabat.objects.exists()
        assert not AuditLog.objects.filter(action="ttd.pejabat_didaftarkan").exists()


def test_a_certificate_from_an_unknown_root_is_refused_for_a_bsre_official_too(client, pic_pk, ppk_pk, ca, bsre,
                                                                                settings):  # fmt: skip
    settings.SIAKS_TTD_BSRE_URL = bsre.url
    nama, _jabatan, nip = PENANDATANGAN_PPK
    asing = ca.pejabat(nama, nik=NIK_PPK, nip=nip, asing=True)
    bsre.daftar(NIK_PPK, asing, "x")
    client.force_login(pic_pk)
    cert = SimpleUploadedFile("ppk.pem", asing.cert_pem, content_type="application/x-pem-file")
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, backend="bsre", nik=NIK_PPK, sertifikat=cert))
    assert response.status_code == 400
    assert "Root CA Tidak Dikenal" in response.content.decode()  # who issued it
    with all_tenants():
        assert not Pejabat.objects.exists()


def test_only_in_development_with_the_setting_an_untrusted_p12_is_registered_with_a_warning(
    client, pic_pk, ppk_pk, settings
):
    nama, _jabatan, nip = PENANDATANGAN_PPK
    blob, _pem = _swatanda(nama, nip, PKCS12_PASSPHRASE.encode())
    client.force_login(pic_pk)
    # The setting alone (production: DEBUG off) changes nothing.
    settings.SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA = True
    assert client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(blob))).status_code == 400
    settings.DEBUG = True
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(blob)), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Peringatan (mode pengembangan)" in page and "tidak berantai ke akar tepercaya" in page
    with all_tenants():
        p = Pejabat.objects.get()
        log = AuditLog.objects.get(action="ttd.pejabat_didaftarkan")
    assert p.aktif and log.data["sertifikat_tidak_tepercaya"] is True


def test_an_expired_p12_is_refused(client, pic_pk, ppk_pk, ca):
    nama, _jabatan, nip = PENANDATANGAN_PPK
    lama = ca.pejabat(nama, nip=nip, kedaluwarsa=True)
    client.force_login(pic_pk)
    p12 = _p12(lama.pkcs12(PKCS12_PASSPHRASE.encode()))
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=p12))
    assert response.status_code == 400 and "sudah kedaluwarsa sejak" in response.content.decode()
    with all_tenants():
        assert not Pejabat.objects.exists()


def test_a_text_file_named_p12_is_not_a_certificate_file_and_a_wrong_passphrase_is_told_as_such(
    client, pic_pk, ppk_pk, sertifikat_ppk
):
    client.force_login(pic_pk)
    teks = _p12(b"ini hanya catatan, bukan sertifikat\n" * 20, name="catatan.p12")
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=teks))
    page = response.content.decode()
    assert response.status_code == 400 and "bukan berkas sertifikat elektronik (.p12/.pfx)" in page
    assert "passphrase lain" not in page
    # A PEM certificate renamed .p12 is not one either (it has no key).
    pem = _p12(sertifikat_ppk.cert_pem, name="ppk.p12")
    assert "bukan berkas sertifikat elektronik" in client.post(reverse("ttd:pejabat_baru"),
                                                                _data(ppk_pk, p12=pem)).content.decode()  # fmt: skip
    # A real .p12 under another passphrase: asked for it; with a wrong one: told it is wrong.
    asli = sertifikat_ppk.pkcs12(b"milik-pejabat")
    page = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(asli))).content.decode()
    assert "dilindungi passphrase lain" in page and "bukan berkas sertifikat" not in page
    page = client.post(
        reverse("ttd:pejabat_baru"), _data(ppk_pk, p12=_p12(asli), passphrase_berkas="keliru")
    ).content.decode()
    assert "Passphrase berkas sertifikat salah." in page and "bukan berkas sertifikat" not in page
    with all_tenants():
        assert not Pejabat.objects.exists()


def test_the_operators_command_refuses_a_self_signed_p12(instansi_a, tmp_path):
    UserFactory(username="ppk.sendiri", instansi=instansi_a, roles=["ppk"])
    nama, jabatan, nip = PENANDATANGAN_PPK
    blob, _pem = _swatanda(nama, nip, PKCS12_PASSPHRASE.encode())
    berkas = tmp_path / "sendiri.p12"
    berkas.write_bytes(blob)
    with pytest.raises(CommandError, match="tidak berantai ke akar tepercaya"):
        call_command("ttd_pejabat", "--instansi", instansi_a.kode, "--user", "ppk.sendiri", "--nama", nama, "--nip",
                     nip, "--jabatan", jabatan, "--backend", "pkcs12", "--p12", str(berkas))  # fmt: skip
    with all_tenants():
        assert not Pejabat.objects.exists()
