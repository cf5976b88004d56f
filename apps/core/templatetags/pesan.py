"""Messages of the portal's pages."""

from __future__ import annotations

import re

from django import template

register = template.Library()


@register.filter
def baris(value) -> list[str]:
    """The lines of a message that lists several reasons (``apps.core.pesan.tolak``)."""
    return [line for line in str(value).splitlines() if line.strip()]


_JARGON = [
    (re.compile(r"\s*\((?:seed|Seed) \d{3}(?:/\d{3})*(?:;[^)]*)?\)"), ""),  # "(seed 004)", "(seed 000; ...)"
    (re.compile(r"\b[Ss]eed \d{3}(?:/\d{3})*\s*\(([^)]*)\)\s*"), r"\1 "),  # "Seed 003 (Permenaker …)" → "Permenaker …"
    (re.compile(r"\b[Ss]eed \d{3}(?:/\d{3})*\s*[:;,]?\s*"), ""),  # "Seed 000: …"
    (re.compile(r"\s*\[V\d\](?:\s*[,;]?\s*periksa)?"), ""),  # "[V2], periksa"
    (re.compile(r"\s*\[(?:V\d?|U)(?:[;,][^\]]*)?\]"), ""),  # "[V]", "[U]", "[V2; tidak ada dalam seed]"
    (re.compile(r"\s*\(domain\.md §\d+[a-z]?\)"), ""),  # "(domain.md §4)"
    (re.compile(r",?\s*domain\.md §\d+[a-z]?"), ""),  # ", domain.md §4"
    (re.compile(r"\s*[—-]\s*periksa\b"), ""),
    (re.compile(r"\s+([):;,.])"), r"\1"),
]


@register.filter
def sumber(value) -> str:
    """A legal source as the user reads it: the regulation, without the working notes of the
    reference data (seed numbers, verification markers)."""
    text = str(value or "")
    for pattern, repl in _JARGON:
        text = pattern.sub(repl, text)
    text = text.strip(" ;,:")
    return text[:1].upper() + text[1:] if text else ""


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
    tahun, sisa = divmod(n, 12)
    parts = ([f"{tahun} tahun"] if tahun else []) + ([f"{sisa} bulan"] if sisa or not tahun else [])
    return " ".join(parts)
