"""Letters never break a golongan, NIP, date or letter number across lines (issue 13 §6): the
``utuh`` filter wraps such tokens of a text in a no-wrap span."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.core.format import BULAN

register = template.Library()

TOKEN = re.compile(
    r"\b\d{1,2} (?:" + "|".join(BULAN) + r") \d{4}\b"  # 3 Agustus 2026
    r"|\bNIP \d{18}\b|\b\d{18}\b"  # NIP
    r"|\b(?:I|II|III|IV)/[a-e]\b"  # golongan III/b
    r"|[A-Za-z0-9][A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-]+){2,}"  # letter numbers 800.1.3.3/0001/SK-JF/…/2026
)


@register.filter
def utuh(value) -> str:
    """Escape ``value`` and keep its dates, NIPs, golongan and letter numbers on one line."""
    text = escape("" if value is None else str(value))
    # Safe: the whole text is escaped above; only our own span tags are added around matches.
    return mark_safe(TOKEN.sub(lambda m: f'<span class="utuh">{m.group(0)}</span>', text))  # noqa: S308


@register.filter
def nama_ttd(value) -> str:
    """A signer's name as printed under the signature: the name may wrap between its words, but
    the academic titles after it ("S.H., M.Si.") never split from each other or from the name's
    last word; a long name wraps cleanly as "Dr. Ir. Raden Ayu Sekar Kusumawardhani," then
    "S.H., M.Si." on the next line."""
    text = "" if value is None else str(value).strip()
    head, sep, tail = text.partition(", ")
    if not sep:
        return escape(text)
    *words, last = head.split(" ")
    kepala = " ".join(escape(w) for w in words)
    # Titles kept as one group; a long list of them may wrap between titles, never inside one.
    gelar = tail.split(", ") if len(tail) > 24 else [tail]
    belakang = ", ".join(f'<span class="utuh">{escape(g)}</span>' for g in gelar)
    # Safe: every part is escaped; only our own no-wrap spans are added.
    return mark_safe(  # noqa: S308
        (f"{kepala} " if kepala else "") + f'<span class="utuh">{escape(last)},</span> {belakang}'
    )


@register.filter
def penandatangan_ba(anggota) -> list[dict]:
    """The berita acara's signers: every member present who votes, numbered consecutively (a member
    present but not voting is left out without a gap in the numbers: "1., 2.", never "1., 3."). A
    filter over the stored snapshot, so versions stored before it render the same way."""
    hadir = [a for a in anggota or [] if a.get("hadir") and a.get("bersuara") is not False]
    return [{**a, "no": i} for i, a in enumerate(hadir, start=1)]
