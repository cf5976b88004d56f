"""The wet-ink fallback (issue 17 / fresh-eye finding): an uploaded "signed copy" must be a copy of
this letter. A file the portal already holds for another purpose (a portfolio document, the
instansi's formasi upload) is refused naming what it is; a PDF whose text layer holds neither the
letter's number nor its code is refused; a scan without a text layer is identified by the QR code
every letter prints (a QR of another letter or version, or none readable, is refused). The public
verdict for a wet-ink copy says what the portal knows and no more."""

from __future__ import annotations

import hashlib
import io

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


def _gambar_pdf(gambar) -> bytes:
    """An image-only PDF (what a scanner writes) of one PIL image."""
    import io

    out = io.BytesIO()
    gambar.convert("L").save(out, "PDF", resolution=150.0)
    return out.getvalue()


def _pindaian_qr_tertutup(pdf: bytes) -> bytes:
    """The scan of ``pdf`` with its footer (the QR) covered by a sheet of paper."""
    import pypdfium2
    from PIL import ImageDraw

    doc = pypdfium2.PdfDocument(pdf)
    gambar = doc[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    doc.close()
    ImageDraw.Draw(gambar).rectangle((0, int(gambar.height * 0.8), gambar.width, gambar.height), fill=255)
    return _gambar_pdf(gambar)


def test_an_image_only_scan_is_accepted_by_its_qr_and_refused_when_none_can_be_read(sk_siap, ppk_pk):
    """Fresh-eye finding (issue 17): an image-only scan was accepted blindly. Its QR says which
    letter it is; without a readable one nothing does."""
    (versi,) = sk_siap(1)
    for tanpa_qr in (valid_pdf(padding=31337), _pindaian_qr_tertutup(baca(versi.berkas))):
        with pytest.raises(services.TtdError, match="Kode QR surat tidak terbaca pada pindaian ini") as exc:
            _salin(versi, tanpa_qr, actor=ppk_pk, alasan=ALASAN)
        assert "minimal 200 dpi" in str(exc.value) and versi.surat.nomor in str(exc.value)
    _tanpa_salinan(versi)
    scan = pindaian(baca(versi.berkas))
    from pypdf import PdfReader

    assert not "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(scan)).pages).strip()  # image only
    tt = _salin(versi, scan, actor=ppk_pk, alasan=ALASAN)
    assert tt.cara == "manual" and tt.alasan_manual == ALASAN


def test_an_image_only_scan_of_another_letter_is_refused_naming_it(sk_siap, ppk_pk, instansi_b):
    """The walk: /surat/31/ accepted the picture PDF of another issuer's SK, and its usulan went
    to "SK terbit"."""
    from apps.pengusulan.models import Usulan
    from apps.surat.models import Surat

    ini, lain = sk_siap(2)
    scan_lain = pindaian(baca(lain.berkas))
    with pytest.raises(services.TtdError, match="Kode QR pada berkas ini milik surat lain") as exc:
        _salin(ini, scan_lain, actor=ppk_pk, alasan=ALASAN)
    assert f"({lain.surat.nomor}), bukan surat {ini.surat.nomor}" in str(exc.value)
    # Another instansi's letter: refused with a neutral reason that does not reveal that another
    # instansi's letter exists (fresh-eye walk i17k) — the answer to a code the portal never issued.
    with all_tenants():
        Surat.objects.filter(pk=lain.surat_id).update(instansi_id=instansi_b.pk)
        VersiSurat.objects.filter(pk=lain.pk).update(instansi_id=instansi_b.pk)
    with pytest.raises(services.TtdError) as exc:
        _salin(ini, scan_lain, actor=ppk_pk, alasan=ALASAN)
    pesan = str(exc.value)
    assert f"Kode QR pada berkas ini ({lain.kode}) bukan milik surat {ini.surat.nomor}" in pesan
    assert lain.surat.nomor not in pesan and "instansi lain" not in pesan and "terdaftar" not in pesan
    _tanpa_salinan(ini)
    with all_tenants():
        assert set(Usulan.objects.filter(surat_baris__surat=ini.surat).values_list("status", flat=True)) == {
            "direkomendasikan"
        }


def test_a_qr_code_the_portal_never_issued_is_refused(sk_siap, ppk_pk, settings):
    import segno
    from PIL import Image

    (versi,) = sk_siap(1)
    qr = segno.make(settings.SITE_URL.rstrip("/") + "/v/ABCD-EFGH-JK/", error="m")
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=6, border=4)
    halaman = Image.new("L", (1240, 1754), 255)
    halaman.paste(Image.open(io.BytesIO(buf.getvalue())), (100, 1500))
    with pytest.raises(services.TtdError, match=r"Kode QR pada berkas ini \(ABCD-EFGH-JK\) bukan milik surat"):
        _salin(versi, _gambar_pdf(halaman), actor=ppk_pk, alasan=ALASAN)
    _tanpa_salinan(versi)


def test_the_scan_of_a_replaced_version_is_refused_naming_the_version(sk_siap, ppk_pk):
    from apps.surat import services as surat_services
    from tests.surat.conftest import render_antrean
    from tests.verifikasi.conftest import as_user

    (v1,) = sk_siap(1)
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan="TMT keliru")
    render_antrean()
    with all_tenants():
        v2 = VersiSurat.objects.select_related("surat").get(pk=v2.pk)
    nomor = v1.surat.nomor
    with pytest.raises(services.TtdError, match="Kode QR pada berkas ini milik versi 1 surat") as exc:
        _salin(v2, pindaian(baca(v1.berkas)), actor=ppk_pk, alasan=ALASAN)
    assert f"versi 1 surat {nomor}, bukan versi 2 yang berlaku" in str(exc.value)
    # An OCR'd text layer with the old version's code (no QR) is refused the same way.
    with pytest.raises(services.TtdError, match="memuat kode verifikasi versi 1 surat"):
        _salin(v2, _pdf_teks(f"SK Nomor {nomor} Kode {v1.kode} versi 1"), actor=ppk_pk, alasan=ALASAN)
    _tanpa_salinan(v2)
    tt = _salin(v2, pindaian(baca(v2.berkas)), actor=ppk_pk, alasan=ALASAN)
    assert tt.cara == "manual" and tt.versi_id == v2.pk


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
    assert ALASAN not in teks and "alasan" not in teks  # the reason for the fallback stays internal
    assert "portal tidak dapat memeriksa tanda tangan basah" in teks
    assert "Identik" not in teks
    resp = client.post(reverse("surat:verifikasi", args=[versi.kode]), {"berkas": ContentFile(scan, name="s.pdf")})
    html = resp.content.decode()
    assert resp.status_code == 200 and "portal tidak dapat memeriksa tanda tangan basah" in html
    assert "alert-success" not in html and "Identik dengan salinan bertanda tangan" not in html


def test_the_public_page_names_the_wet_ink_signer_as_the_letter_does_and_keeps_the_reason_internal(
    sk_siap, ppk_pk, client
):
    """Issue 17 (helper h17): /v/<kode>/ of a letter signed by the wet-ink fallback named no signer
    and printed the issuer's reason for the fallback to anyone. It names the signing official and
    jabatan as the letter does; the reason stays on the staff pages."""
    import html as htmllib
    import json
    import re

    (versi,) = sk_siap(1)
    alasan = "Server TTE Bupati Klaten gangguan sejak pagi."
    _salin(versi, pindaian(baca(versi.berkas)), actor=ppk_pk, alasan=alasan)
    surat = versi.surat
    page = client.get(reverse("surat:verifikasi", args=[versi.kode]))
    teks = " ".join(re.sub(r"<[^>]+>", " ", htmllib.unescape(page.content.decode())).split())
    assert (
        f"Ditandatangani basah (pindaian) oleh {surat.penandatangan_nama}, {surat.penandatangan_jabatan}; "
        "salinan pindaian disimpan penerbit. Salinan diunggah "
    ) in teks
    assert "Klaten" not in teks and "Alasan tanda tangan manual" not in teks
    # The public API says the same.
    st = client.get(reverse("api:verifikasi-surat-detail", args=[versi.kode])).json()["tanda_tangan"]
    (p,) = st["penandatangan"]
    assert st["status"] == "manual" and p["cara"] == "manual"
    assert (p["nama"], p["jabatan"]) == (surat.penandatangan_nama, surat.penandatangan_jabatan)
    assert "Klaten" not in json.dumps(st) and "alasan_manual" not in p
    assert st["ringkasan"].startswith(f"Ditandatangani basah (pindaian) oleh {surat.penandatangan_nama}, ")
    # The issuer's staff still see why.
    client.force_login(ppk_pk)
    assert alasan.rstrip(".") in htmllib.unescape(
        client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    )
