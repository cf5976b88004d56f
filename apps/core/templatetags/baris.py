"""Tags for the 50-row loops of the list pages, where Django's general ones dominate the render:
``{% url %}`` resolves the pattern again for every row and the ``date`` filter parses its format
string for every value. Same output, computed with less work."""

from __future__ import annotations

import functools

from django import template
from django.urls import get_script_prefix, reverse

from apps.core.format import waktu as format_waktu

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
    """``5 Agu 2026 14:03 WIB`` (Asia/Jakarta) for table cells, without the format parser of
    ``|date``; pages never show a time without its zone (:func:`apps.core.format.waktu`)."""
    return format_waktu(value, singkat=True)


@register.filter(expects_localtime=True)
def waktu_lengkap(value) -> str:
    """``5 Agustus 2026 14:03 WIB`` (Asia/Jakarta), for headers and sentences."""
    return format_waktu(value)
