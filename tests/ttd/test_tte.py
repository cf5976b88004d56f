"""Electronic signatures on real letters: PAdES B-T signing in the worker, validation with
pyHanko against the test CA, refusals, the paraf chain and batches."""

from __future__ import annotations

import io
import re

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import VersiSurat
from apps.ttd import services, validasi
from apps.ttd.models import TandaTangan
from apps.ttd.pades import konteks_validasi
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import baca, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _refresh(versi) -> VersiSurat:
    with all_tenants():
        return VersiSurat.objects.select_related("surat").get(pk=versi.pk)


def test_a_signed_sk_validates_with_pyhanko_and_the_usulan_reaches_sk_terbit(sk_siap, ppk_pk, pejabat_ppk, ca):
    from apps.core import metrik

    (versi,) = sk_siap(1)
    terbit = baca(versi.berkas)
    signing_before = metrik.SIGNING.labels(jenis=versi.surat.jenis)._sum.get()
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    assert ttd_antrean() == 1
    assert metrik.SIGNING.labels(jenis=versi.surat.jenis)._sum.get() > signing_before  # signing time recorded
    versi = _refresh(versi)
    signed = baca(versi.ttd_berkas)
    assert signed.startswith(terbit) and len(signed) > len(terbit)  # incremental over the exact issued bytes
    reader = PdfFileReader(io.BytesIO(signed))
    (sig,) = reader.embedded_regular_signatures
    vc = konteks_validasi(validasi.trust_roots(), validasi.intermediates())
    status = validate_pdf_signature(sig, signer_validation_context=vc)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted  # PAdES B-T
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert status.signing_cert.subject.native["common_name"] == pejabat_ppk.nama
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        assert tt.status == "selesai" and tt.penandatangan_nip == pejabat_ppk.nip and tt.waktu_ttd is not None
        assert {u.status for u in Usulan.objects.filter(surat_baris__surat=versi.surat)} == {Status.SK_TERBIT}
        laporan = validasi.validasi(signed, versi, terbit=terbit)
    assert laporan.sah and laporan.identik and laporan.lengkap, laporan.alasan
    assert "ditandatangani secara elektronik oleh Ir. Budi Santoso" in laporan.ringkasan
    # the signing time as every date of the portal reads: "23 November 2026 pukul 14.05 WIB"
    assert re.search(r"pada \d{1,2} [A-Z][a-z]+ \d{4} pukul \d\d\.\d\d WIB", laporan.ringkasan), laporan.ringkasan


# --------------------------------------------------------------------------- validation refusals


def _salin(versi, data: bytes, *, actor, alasan=""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with as_user(actor):
        return services.unggah_salinan(
            actor=actor, versi=versi, upload=SimpleUploadedFile("salinan.pdf", data, content_type="application/pdf"),
            alasan_manual=alasan,
        )  # fmt: skip


def _sign_directly(data: bytes, identitas, tsa, *, nama="X", nip="") -> bytes:
    """A copy signed outside the portal (e.g. in the BSrE app) with ``identitas``."""
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from apps.ttd import pades

    signer = signers.SimpleSigner.load_pkcs12_data(identitas.pkcs12(b"x"), [], passphrase=b"x")
    return pades.tandatangani(
        data, signer, tampilan=pades.Tampilan(nama, nip, "Jabatan", "https://siaks.example/v/X/"),
        field_name="Luar", timestamper=HTTPTimeStamper(tsa.url),
    )  # fmt: skip


def test_a_copy_signed_elsewhere_by_the_named_official_is_accepted(sk_siap, ppk_pk, sertifikat_ppk, tsa):
    (versi,) = sk_siap(1)
    signed = _sign_directly(baca(versi.berkas), sertifikat_ppk, tsa, nama="Ir. Budi Santoso, M.T.")
    tt = _salin(versi, signed, actor=ppk_pk)
    assert tt.cara == "unggah" and tt.penandatangan_nip == "196805121993031002" and tt.waktu_ttd is not None
    with all_tenants():
        assert {u.status for u in Usulan.objects.filter(surat_baris__surat=versi.surat)} == {Status.SK_TERBIT}
    assert baca(_refresh(versi).ttd_berkas) == signed


@pytest.mark.parametrize(
    "kasus, pesan",
    [
        ("byte", "rusak: isi berkas berubah setelah ditandatangani"),
        ("pejabat_lain", "bukan pejabat yang disebut dalam surat"),
        ("kedaluwarsa", "sudah kedaluwarsa sejak"),
        ("tidak_dipercaya", "tidak berantai ke akar tepercaya"),
        ("surat_lain", "tidak identik dengan PDF yang diterbitkan portal"),
        ("diubah_setelah", "diubah setelah ditandatangani"),
    ],
)
def test_a_bad_signed_copy_is_refused_with_the_reason(kasus, pesan, sk_siap, ppk_pk, sertifikat_ppk, ca, tsa):
    v1, v2 = sk_siap(2)
    terbit = baca(v1.berkas)
    nama = "Ir. Budi Santoso, M.T."
    nip = "196805121993031002"
    if kasus == "byte":
        signed = bytearray(_sign_directly(terbit, sertifikat_ppk, tsa))
        signed[len(terbit) // 2] ^= 0x01  # one byte of the signed content
        data = bytes(signed)
    elif kasus == "pejabat_lain":
        data = _sign_directly(terbit, ca.pejabat("Drs. Orang Lain", nip="197501012000031001"), tsa)
    elif kasus == "kedaluwarsa":
        data = _sign_directly(terbit, ca.pejabat(nama, nip=nip, kedaluwarsa=True), tsa)
    elif kasus == "tidak_dipercaya":
        data = _sign_directly(terbit, ca.pejabat(nama, nip=nip, asing=True), tsa)
    elif kasus == "surat_lain":
        data = _sign_directly(baca(v2.berkas), sertifikat_ppk, tsa)  # the other SK, signed properly
    else:  # an incremental update after the signature (a page's content replaced)
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

        signed = _sign_directly(terbit, sertifikat_ppk, tsa)
        w = IncrementalPdfFileWriter(io.BytesIO(signed))
        page = w.root["/Pages"]["/Kids"][0].get_object()
        stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (PALSU) Tj ET")
        page["/Contents"] = w.add_object(stream)
        w.update_container(page)
        out = io.BytesIO()
        w.write(out)
        data = out.getvalue()
    with pytest.raises(services.TtdError) as err:
        _salin(v1, data, actor=ppk_pk)
    assert pesan in str(err.value.messages[0])
    if kasus == "kedaluwarsa":  # the date reads "1 Januari 2026", not 01-01-2026
        assert re.search(r"sejak \d{1,2} [A-Z][a-z]+ \d{4}", str(err.value.messages[0])), err.value.messages[0]
    v1 = _refresh(v1)
    assert not v1.ttd_berkas
    with all_tenants():
        assert not TandaTangan.objects.filter(versi=v1).exists()
        assert {u.status for u in Usulan.objects.filter(surat_baris__surat=v1.surat)} == {Status.DIREKOMENDASIKAN}


def test_an_expired_certificate_held_by_the_portal_does_not_sign(sk_siap, ppk_pk, instansi_a, ca):
    from tests.surat.conftest import PENANDATANGAN_PPK
    from tests.ttd.conftest import daftar_pejabat

    nama, jabatan, nip = PENANDATANGAN_PPK
    daftar_pejabat(
        instansi=instansi_a, user=ppk_pk, identitas=ca.pejabat(nama, nip=nip, kedaluwarsa=True), nama=nama, nip=nip,
        jabatan=jabatan,
    )  # fmt: skip
    (versi,) = sk_siap(1)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
    assert tt.status == "gagal" and "kedaluwarsa" in tt.galat
    assert not _refresh(versi).ttd_berkas


def test_a_scan_is_the_fallback_only_with_its_reason(sk_siap, ppk_pk, client):
    from django.urls import reverse

    from tests.pdfs import pindaian

    (versi,) = sk_siap(1)
    scan = pindaian(baca(versi.berkas))
    with pytest.raises(services.TtdError, match="tuliskan alasannya"):
        _salin(versi, scan, actor=ppk_pk)
    tt = _salin(versi, scan, actor=ppk_pk, alasan="Keadaan kahar: jaringan BSrE terputus (seed 001).")
    assert tt.cara == "manual" and tt.alasan_manual.startswith("Keadaan kahar")
    with all_tenants():
        assert {u.status for u in Usulan.objects.filter(surat_baris__surat=versi.surat)} == {Status.SK_TERBIT}
    # The public page reports the manual signature by the signer the letter names, not missing
    # e-signatures; the reason for the fallback stays on staff pages.
    html = client.get(reverse("surat:verifikasi", args=[versi.kode])).content.decode()
    assert "Ditandatangani basah (pindaian) oleh" in html and "jaringan BSrE terputus" not in html
    assert "Belum ditandatangani oleh semua pejabat" not in html


def test_the_unsigned_issued_pdf_is_not_accepted_as_a_scan(sk_siap, ppk_pk, client):
    """The portal's own PDF, or any earlier version of it, is not a signed copy, whatever the reason typed."""
    from apps.surat import services as surat_services
    from tests.pdfs import pindaian
    from tests.surat.conftest import render_antrean

    (versi,) = sk_siap(1)
    alasan = "Keadaan kahar: jaringan BSrE terputus (seed 001)."
    with pytest.raises(services.TtdError, match="diterbitkan portal, belum ditandatangani"):
        _salin(versi, baca(versi.berkas), actor=ppk_pk, alasan=alasan)
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=versi.surat, alasan="TMT keliru")
    render_antrean()
    v2 = _refresh(v2)
    with pytest.raises(services.TtdError, match="diterbitkan portal, belum ditandatangani"):
        _salin(v2, baca(versi.berkas), actor=ppk_pk, alasan=alasan)  # the replaced version's PDF
    with all_tenants():
        assert not TandaTangan.objects.filter(versi__surat=versi.surat).exists()
        assert {u.status for u in Usulan.objects.filter(surat_baris__surat=versi.surat)} == {Status.DIREKOMENDASIKAN}
    # The scan of the printed, wet-signed letter is the fallback.
    tt = _salin(v2, pindaian(baca(v2.berkas)), actor=ppk_pk, alasan=alasan)
    assert tt.cara == "manual" and _refresh(v2).ttd_berkas
    # The replaced version's printed code: each status line says which version it is about.
    from django.urls import reverse

    html = client.get(reverse("surat:verifikasi", args=[versi.kode])).content.decode()
    assert "Versi ini (v1) tidak ditandatangani" in html and "Versi terakhir (v2):" in html
    html = client.get(reverse("surat:verifikasi", args=[v2.kode])).content.decode()
    assert "Versi ini (v" not in html and "Versi terakhir" not in html


def test_a_certificate_of_another_person_does_not_sign_for_the_official(sk_siap, ppk_pk, instansi_a, ca):
    """Issue 17 walk: a BSrE NIK registered for the wrong official made BSrE sign with another
    person's certificate, and the letter was marked signed. The worker checks the certificate it
    got names the official and stores nothing otherwise (here a portal-held certificate of another
    person, which reaches the same check)."""
    from tests.surat.conftest import PENANDATANGAN_PPK
    from tests.ttd.conftest import daftar_pejabat

    nama, jabatan, nip = PENANDATANGAN_PPK
    daftar_pejabat(
        instansi=instansi_a, user=ppk_pk, identitas=ca.pejabat("Nining Suryani", nip="197702022003122002"), nama=nama,
        nip=nip, jabatan=jabatan,
    )  # fmt: skip
    (versi,) = sk_siap(1)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
    assert tt.status == "gagal" and "atas nama Nining Suryani" in tt.galat, tt.galat
    assert not tt.berkas and not _refresh(versi).ttd_berkas


def test_a_bsre_nik_is_registered_for_one_active_official_only(instansi_a, instansi_b, settings):
    """One NIK, one person, across instansi: the second registration is refused on the NIK field
    without naming the other instansi."""
    from apps.accounts.models import Role
    from apps.ttd import pejabat as layanan
    from apps.ttd.services import TtdError
    from tests.factories import UserFactory

    settings.SIAKS_TTD_BSRE_URL = ""
    nik = "3273016006750002"
    for i, instansi in enumerate([instansi_a, instansi_b]):
        pic = UserFactory(username=f"pic.nik{i}", instansi=instansi, roles=[Role.PIC_INSTANSI])
        data = {"nama": f"Pejabat {i}", "nip": "", "nik": nik, "jabatan": "PPK", "backend": "bsre", "user": None}
        with as_user(pic):
            if i == 0:
                layanan.pejabat_simpan(actor=pic, data=data)
            else:
                with pytest.raises(TtdError) as err:
                    layanan.pejabat_simpan(actor=pic, data=data)
    assert "NIK ini sudah terdaftar" in str(err.value) and instansi_a.nama not in str(err.value)
