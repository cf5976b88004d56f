"""Rendering a letter version to PDF with WeasyPrint: A4, the issuer's letterhead, embedded
fonts (Tinos from npm), page numbers, and a QR code plus short code for public verification.

The stylesheet and font configuration are parsed once per worker process; a single-page SK
renders in well under 100 ms (bench/sk_1000.py)."""

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
    "rekomendasi": "surat/pdf/rekomendasi.html",
    "sk": "surat/pdf/sk.html",
    "sk_kolektif": "surat/pdf/sk.html",
    "pak": "surat/pdf/pak.html",
}


def url_verifikasi(kode: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surat:verifikasi", args=[kode])


def qr_png(payload: str) -> str:
    """A PNG data URI of the QR code (error correction M). A bitmap, not SVG: WeasyPrint lays an
    SVG QR out as hundreds of shapes, a PNG as one image (a third of the render time)."""
    return segno.make(payload, error="m", micro=False).png_data_uri(scale=4, border=2)


@functools.cache
def _assets():
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
    return fonts, CSS(string=faces + css, font_config=fonts)


# Release WeasyPrint's font configuration before interpreter teardown (its __del__ needs modules).
atexit.register(_assets.cache_clear)


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
    from weasyprint import HTML

    fonts, css = _assets()
    document = HTML(string=render_html(versi), base_url=str(settings.BASE_DIR)).render(
        stylesheets=[css], font_config=fonts
    )
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)
