"""Messages of the portal's pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def baris(value) -> list[str]:
    """The lines of a message that lists several reasons (``apps.core.pesan.tolak``)."""
    return [line for line in str(value).splitlines() if line.strip()]
