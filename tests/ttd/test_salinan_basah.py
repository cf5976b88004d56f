"""The wet-ink fallback (issue 17 / fresh-eye finding): an uploaded "signed copy" must be a copy of
this letter. A file the portal already holds for another purpose (a portfolio document, the
instansi's formasi upload) is refused naming what it is; a PDF whose text layer holds neither the
letter's number nor its code is refused; a scan without a text layer stays acceptable. The public
verdict for a wet-ink copy says what the portal knows and no more."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from apps.pengusulan.models import Dokumen
from apps.referensi.models import PersyaratanDokumen
from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import TandaTangan
from tests.pdfs import pindaian, valid_pdf
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import baca
from tests.ttd.test_tte import _salin

pytestmark = pytest.mark.django_db

ALASAN = "Keadaan kahar: jaringan BSrE terputus (seed 001)."


def _pdf_teks(teks: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{teks}</p>").write_pdf()


def _simpan_dokumen_instansi(versi: VersiSurat, data: bytes) -> Dokumen:
    """The instansi's "Penetapan formasi"-like upload (an instansi-level persyaratan of the JF)."""
    with all_tenants():
        syarat = PersyaratanDokumen.objects.filter(jf=versi.jf_id, level=PersyaratanDokumen.Level.INSTANSI).first()
        assert syarat is not None
        dok = Dokumen(
            instansi_id=versi.surat.instansi_id, jf_id=versi.jf_id, persyaratan=syarat, versi=99,
            nama_asli="formasi.pdf", ekstensi="pdf", ukuran=len(data), sha256=hashlib.sha256(data).hexdigest(),
        )  # fmt: skip
        dok.berkas.save("formasi.pdf", ContentFile(data), save=False)
        dok.save()
        return dok


def _tanpa_salinan(versi: VersiSurat) -> None:
    with all_tenants():
        assert not VersiSurat.objects.get(pk=versi.pk).ttd_berkas
        assert not TandaTangan.objects.filter(versi=versi).exists()


def test_a_file_stored_as_an_instansi_document_is_not_the_signed_copy(sk_siap, ppk_pk):
    (versi,) = sk_siap(1)
    formasi = valid_pdf(padding=4242)  # no text layer: only the fingerprint tells it apart
    dok = _simpan_dokumen_instansi(versi, formasi)
    with pytest.raises(services.TtdError, match="sudah tersimpan di portal sebagai dokumen instansi") as exc:
        _salin(versi, formasi, actor=ppk_pk, alasan=ALASAN)
    assert dok.persyaratan.nama in str(exc.value)
    _tanpa_salinan(versi)


def test_a_portfolio_document_is_not_the_signed_copy(sk_siap, ppk_pk):
    (versi,) = sk_siap(1)
    with all_tenants():
        dok = Dokumen.objects.filter(usulan__surat_baris__surat=versi.surat).exclude(berkas="").first()
        assert dok is not None
    with pytest.raises(services.TtdError, match="dokumen persyaratan"):
        _salin(versi, baca(dok.berkas), actor=ppk_pk, alasan=ALASAN)
    _tanpa_salinan(versi)


def test_a_text_pdf_without_the_letters_number_or_code_is_refused(sk_siap, ppk_pk):
    (versi,) = sk_siap(1)
    with pytest.raises(services.TtdError, match="tidak memuat nomor surat"):
        _salin(versi, _pdf_teks("Penetapan formasi tahun 2026"), actor=ppk_pk, alasan=ALASAN)
    _tanpa_salinan(versi)
    # A PDF that does carry the number (e.g. an OCR'd scan) is accepted.
    tt = _salin(versi, _pdf_teks(f"Salinan SK Nomor {versi.surat.nomor} ditandatangani"), actor=ppk_pk, alasan=ALASAN)
    assert tt.cara == "manual"


def test_a_scan_without_a_text_layer_is_still_accepted(sk_siap, ppk_pk):
    (versi,) = sk_siap(1)
    tt = _salin(versi, valid_pdf(padding=31337), actor=ppk_pk, alasan=ALASAN)
    assert tt.cara == "manual" and tt.alasan_manual == ALASAN


def test_the_public_verdict_on_a_wet_ink_copy_does_not_vouch_for_the_signature(sk_siap, ppk_pk, client):
    from apps.ttd.publik import periksa_publik

    (versi,) = sk_siap(1)
    scan = pindaian(baca(versi.berkas))
    _salin(versi, scan, actor=ppk_pk, alasan=ALASAN)
    with all_tenants():
        laporan = periksa_publik(VersiSurat.objects.get(pk=versi.pk), scan)
    assert laporan.identik and not laporan.sah and laporan.tingkat == "peringatan"
    teks = laporan.ringkasan
    assert "sama dengan salinan bertanda tangan basah yang diunggah penerbit" in teks
    assert "(alasan: " + ALASAN + ")" in teks
    assert "portal tidak dapat memeriksa tanda tangan basah" in teks
    assert "Identik" not in teks
    resp = client.post(reverse("surat:verifikasi", args=[versi.kode]), {"berkas": ContentFile(scan, name="s.pdf")})
    html = resp.content.decode()
    assert resp.status_code == 200 and "portal tidak dapat memeriksa tanda tangan basah" in html
    assert "alert-success" not in html and "Identik dengan salinan bertanda tangan" not in html


def test_the_public_page_prints_a_reason_ending_in_a_full_stop_with_one_full_stop(sk_siap, ppk_pk, client):
    """Fresh-eye finding (issue 14): "Alasan tanda tangan manual: … Klaten.." on /v/<kode>/."""
    (versi,) = sk_siap(1)
    alasan = "Ditandatangani basah oleh Bupati Klaten."
    _salin(versi, pindaian(baca(versi.berkas)), actor=ppk_pk, alasan=alasan)
    html = client.get(reverse("surat:verifikasi", args=[versi.kode])).content.decode()
    assert "Alasan tanda tangan manual: Ditandatangani basah oleh Bupati Klaten.</p>" in html
    assert "Klaten.." not in html
