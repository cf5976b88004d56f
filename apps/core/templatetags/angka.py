"""Number formats of the portal's pages (Indonesian conventions)."""

from __future__ import annotations

from django import template

from apps.core.format import format_ak

register = template.Library()


@register.filter
def ak(value) -> str:
    """Angka kredit as BKN prints it: ``2,08``, ``12,5``, ``150``."""
    return format_ak(value)
