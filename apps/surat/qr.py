"""Reading the letters' QR code back from an uploaded copy (the wet-ink scan of issue 17).

Every letter prints the QR of its public verification URL (``/v/<kode>/``, apps.surat.pdf). A
scan without a text layer says nothing else about which letter it is, so its pages are rendered
(pypdfium2, which apps.ttd.pades already uses) and the QR is decoded with
zxing-cpp, page by page, stopping at the first page holding a portal QR. The QR is printed in
the footer of every page; the last page (with the signature) is read first."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

DPI = 200  # as the refusal asks of the scan: the 1.6 cm QR has modules of ~0.5 mm, 3.8 px at 200 dpi
SISI_MAKS = 3500  # pixels: a poster-sized page is rendered smaller, never into a huge bitmap
HALAMAN_MAKS = 10  # a letter prints its QR on every page: a scan of 10 pages without one is refused
KAKI = 0.3  # the bottom strip of a page read first
KODE = re.compile(r"/v/([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2})/?$", re.IGNORECASE)


def _urutan(n: int) -> list[int]:
    """Last page first, then the first, then the rest in order (at most HALAMAN_MAKS)."""
    awal = [n - 1, 0] if n > 1 else [0]
    return list(dict.fromkeys([*awal, *range(1, n - 1)]))[:HALAMAN_MAKS]


def _baca(gambar) -> list[str]:
    import zxingcpp

    kode = []
    for hasil in zxingcpp.read_barcodes(gambar, formats=zxingcpp.BarcodeFormat.QRCode):
        cocok = KODE.search(hasil.text.strip())
        if cocok:
            kode.append(cocok.group(1).upper())
    return list(dict.fromkeys(kode))


def kode_qr(data: bytes) -> list[str]:
    """The verification codes of the portal QRs on the first page read that has any; [] when
    none can be read (no QR, a blurred or covered one, or not a PDF pdfium opens). Each page is
    read first in its bottom strip, where the letters' footer prints the QR (a fifth of the
    rendering), then whole (a scan turned upside down, a QR elsewhere)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return []
    try:
        for i in _urutan(len(pdf)):
            page = pdf[i]
            try:
                lebar, tinggi = page.get_size()
                skala = min(DPI / 72, SISI_MAKS / max(lebar, tinggi, 1))
                for crop in ((0, 0, 0, tinggi * (1 - KAKI)), (0, 0, 0, 0)):
                    kode = _baca(page.render(scale=skala, grayscale=True, crop=crop).to_pil())
                    if kode:
                        return kode
            except pdfium.PdfiumError:
                log.info("halaman %d tidak dapat dirender untuk membaca QR", i + 1)
            finally:
                page.close()
        return []
    finally:
        pdf.close()
