"""Tags for the 50-row loops of the list pages, where Django's general ones dominate the render:
``{% url %}`` resolves the pattern again for every row and the ``date`` filter parses its format
string for every value. Same output, computed with less work."""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3

register = template.Library()

_PENANDA = 987654321


@functools.lru_cache(maxsize=256)
def _pola(name: str, prefix: str) -> tuple[str, str]:
    url = reverse(name, args=[_PENANDA])
    head, _sep, tail = url.partition(str(_PENANDA))
    return head, tail


@register.simple_tag
def url_pk(name: str, pk) -> str:
    """``{% url name pk %}`` for a route with one integer argument: the pattern is reversed once
    per process (and script prefix), then the row's id is put in its place."""
    head, tail = _pola(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


@register.filter(expects_localtime=True)
def waktu(value) -> str:
    """``value|date:"j M Y H:i"`` (e.g. ``5 Agu 2026 14:03``, Asia/Jakarta), without the format parser."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {str(MONTHS_3[value.month]).title()} {value.year} {value:%H:%M}"
