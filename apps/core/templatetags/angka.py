"""Number formats of the portal's pages (Indonesian conventions)."""

from __future__ import annotations

from django import template

from apps.core.format import format_ak, format_angka, masa_kerja_teks

register = template.Library()


@register.filter
def ak(value) -> str:
    """Angka kredit as BKN prints it: ``2,08``, ``12,5``, ``150``."""
    return format_ak(value)


@register.filter
def angka(value) -> str:
    """Any other decimal (a percentage): ``77,5``, ``150`` — never ``77,50`` nor ``77.5``."""
    return format_angka(value)


@register.filter
def masa_kerja(u) -> str:
    """The masa kerja in the last pangkat of an usulan (or its AK preview) as the PAK prints it: the
    years the penyesuaian table counts (capped at 4) and the actual years and months."""
    baca = u.get if isinstance(u, dict) else lambda k: getattr(u, k, None)
    return masa_kerja_teks(baca("masa_kerja_bulan"), baca("masa_kerja_pangkat"))
