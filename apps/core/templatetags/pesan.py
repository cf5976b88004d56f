"""Messages of the portal's pages."""

from __future__ import annotations

from django import template

from apps.core.sumber import kutipan

register = template.Library()


@register.filter
def baris(value) -> list[str]:
    """The lines of a message that lists several reasons (``apps.core.pesan.tolak``)."""
    return [line for line in str(value).splitlines() if line.strip()]


@register.filter
def sumber(value) -> str:
    """A source as the user reads it: the document's name, its article or section and whether it
    is verified, without the working notes of the reference data (``apps.core.sumber.kutipan``)."""
    return kutipan(value)


@register.filter
def tanpa_titik(value) -> str:
    """A sentence put inside another one that ends it: its own closing full stop(s) dropped, so
    ``Alasan: {{ a|tanpa_titik }}.`` never prints "..". Other punctuation is kept."""
    return str(value or "").rstrip().rstrip(".").rstrip()


@register.filter
def tanggal(value) -> str:
    """A date (or an ISO date from a snapshot) written one way: ``1 April 2020``."""
    from apps.core.format import tgl

    try:
        return tgl(value) if value else "—"
    except ValueError:
        return str(value)


@register.filter
def durasi(bulan) -> str:
    """A number of months written one way: ``6 tahun 3 bulan``, ``8 bulan``, ``2 tahun``."""
    try:
        n = int(bulan)
    except (TypeError, ValueError):
        return "—"
    from apps.core.format import durasi as teks_durasi

    return teks_durasi(n)
