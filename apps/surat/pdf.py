"""Rendering a letter version to PDF with WeasyPrint: A4, the issuer's letterhead, embedded
fonts (Tinos from npm), page numbers, and a QR code plus short code for public verification.

The stylesheet and font configuration are parsed once per worker process; a single-page SK
takes about 100 ms of CPU (bench/sk_1000.py and bench/README.md have the figures)."""

from __future__ import annotations

import atexit
import functools
import io
import logging

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

TEMPLATES = {
    "berita_acara": "surat/pdf/berita_acara.html",
    "berita_acara_seleksi": "surat/pdf/berita_acara_seleksi.html",
    "rekomendasi": "surat/pdf/rekomendasi.html",
    "sk": "surat/pdf/sk.html",
    "sk_kolektif": "surat/pdf/sk.html",
    "pak": "surat/pdf/pak.html",
    "pak_ak": "surat/pdf/pak_ak.html",
    "hapak": "surat/pdf/hapak.html",
}


logger = logging.getLogger(__name__)

#: Letters that must keep to one A4 page (issue 13 §6): rendered again one layout level tighter
#: (surat.css ``rapat-N``: spacing, line height and headings, then margins and label columns)
#: while they run over. The tightest level keeps the body text at HURUF_MIN_PT.
SATU_HALAMAN = {"sk", "pak"}
LEVEL_MAKS = 3
#: The smallest body text of a letter at its tightest level (tests/surat/test_tata_letak.py reads it
#: back from the PDF).
HURUF_MIN_PT = 10.0


def url_verifikasi(kode: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surat:verifikasi", args=[kode])


def qr_png(payload: str) -> str:
    """A PNG data URI of the QR code (error correction M). A bitmap, not SVG: WeasyPrint lays an
    SVG QR out as hundreds of shapes, a PNG as one image (a third of the render time)."""
    return segno.make(payload, error="m", micro=False).png_data_uri(scale=4, border=2)


@functools.cache
def aset():
    """(font configuration, the letters' stylesheet with the embedded fonts, our user-agent
    stylesheet), parsed once per process; public for every PDF with the letters' look (rekap)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    font_dir = settings.SIAKS_FONT_DIR
    faces = "".join(
        f"@font-face{{font-family:'Tinos';src:url('{(font_dir / f'tinos-latin-{w}-{s}.woff').as_uri()}');"
        f"font-weight:{w};font-style:{s}}}"
        for w in (400, 700)
        for s in ("normal", "italic")
    )
    css = render_to_string("surat/pdf/surat.css")
    ua = CSS(string=render_to_string("surat/pdf/ua.css"), font_config=fonts)
    return fonts, CSS(string=faces + css, font_config=fonts), ua


@functools.cache
def _html_class():
    """WeasyPrint's HTML with our trimmed user-agent stylesheet (surat/pdf/ua.css) instead of the
    full HTML5 one, and no presentational hints (our templates use none). These are WeasyPrint
    hooks (pinned version, requirements.txt); the letters' text tests cover the result."""
    from weasyprint import HTML

    _fonts, _css, ua = aset()

    class SuratHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [ua]

        def _ph_stylesheets(self):
            return []

    return SuratHTML


# Release WeasyPrint's font configuration before interpreter teardown (its __del__ needs modules).
atexit.register(aset.cache_clear)


def render_html(versi, level: int = 0) -> str:
    """The letter's HTML at layout ``level`` (0: the letter's own look; see SATU_HALAMAN)."""
    surat = versi.surat
    kode = versi.kode
    url = url_verifikasi(kode)
    context = {
        "isi": versi.isi,
        "versi": versi,
        "kode": kode,
        "url": url,
        "qr": qr_png(url),
        "is_koreksi": versi.versi > 1,
        "jenis": surat.jenis,
        "rapat": level,
        # Cumulative: level 2 is "rapat-1 rapat-2" (surat.css).
        "rapat_kelas": "".join(f" rapat-{i}" for i in range(1, level + 1)),
    }
    with translation.override("id"):
        return render_to_string(TEMPLATES[surat.jenis], context)


def _dokumen(versi, level: int):
    fonts, css, _ua = aset()
    return _html_class()(string=render_html(versi, level), base_url=str(settings.BASE_DIR)).render(
        stylesheets=[css], font_config=fonts
    )


def tata_letak(versi):
    """(WeasyPrint document, level): a letter of SATU_HALAMAN at the first layout level that keeps it
    to one page, or at the tightest level when none does. There the closing diktum and the signer
    block stay together (surat.css ``.penutup``): never a page holding the signature alone. That
    case is logged (and the version records its page count); any other letter at level 0."""
    jenis = versi.surat.jenis
    if jenis not in SATU_HALAMAN:
        return _dokumen(versi, 0), 0
    for level in range(LEVEL_MAKS + 1):
        document = _dokumen(versi, level)
        if len(document.pages) <= 1:
            return document, level
    logger.warning(
        "Surat %s (%s, versi %s) tidak muat satu halaman pada tata letak terapat (%d halaman).",
        versi.isi.get("nomor", ""), jenis, versi.versi, len(document.pages),
    )  # fmt: skip
    return document, LEVEL_MAKS


def render_pdf(versi) -> tuple[bytes, int]:
    """(pdf bytes, page count)."""
    document, _level = tata_letak(versi)
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)
