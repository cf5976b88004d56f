"""Rendering a letter version to PDF with WeasyPrint: A4, the issuer's letterhead, embedded
fonts (Tinos from npm), page numbers, and a QR code plus short code for public verification.

The stylesheet and font configuration are parsed once per worker process; a single-page SK
takes about 100 ms of CPU (bench/sk_1000.py and bench/README.md have the figures)."""

from __future__ import annotations

import atexit
import functools
import io

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


def render_html(versi) -> str:
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
    }
    with translation.override("id"):
        return render_to_string(TEMPLATES[surat.jenis], context)


def render_pdf(versi) -> tuple[bytes, int]:
    """(pdf bytes, page count)."""
    fonts, css, _ua = aset()
    document = _html_class()(string=render_html(versi), base_url=str(settings.BASE_DIR)).render(
        stylesheets=[css], font_config=fonts
    )
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)
