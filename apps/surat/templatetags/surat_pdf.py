"""Letters never break a golongan, NIP, date or letter number across lines (issue 13 §6): the
``utuh`` filter wraps such tokens of a text in a no-wrap span."""

from __future__ import annotations

import functools
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


@register.simple_tag
def alasan_pangkat_bawah() -> str:
    """The berita acara's one wording for a member below the assessed pangkat (apps.surat.isi)."""
    from apps.surat.isi import ALASAN_PANGKAT_BAWAH

    return ALASAN_PANGKAT_BAWAH


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
def rincian_seleksi(jumlah) -> str:
    """The counts of a berita acara seleksi as a sentence naming only the results that occurred
    ("2 memenuhi syarat dan 1 tidak memenuhi syarat"), never "0 perlu perbaikan"."""
    label = {"memenuhi": "memenuhi syarat", "perbaikan": "perlu perbaikan", "tidak_memenuhi": "tidak memenuhi syarat"}
    bagian = [f"{jumlah[k]} {teks}" for k, teks in label.items() if (jumlah or {}).get(k)]
    if not bagian:
        return "tidak ada yang diputuskan"
    if len(bagian) < 3:
        return " dan ".join(bagian)
    return ", ".join(bagian[:-1]) + ", dan " + bagian[-1]


@register.filter
def penandatangan_ba(anggota) -> list[dict]:
    """The berita acara's signers: every member present (it records who attended), numbered
    consecutively. A filter over the stored snapshot, so versions stored before it render the same
    way: a snapshot without ``menandatangani`` left out a member present but not counted
    (``bersuara`` False), without a gap in the numbers ("1., 2.", never "1., 3.")."""
    hadir = [a for a in anggota or [] if a.get("hadir") and a.get("menandatangani", a.get("bersuara") is not False)]
    return [{**a, "no": i} for i, a in enumerate(hadir, start=1)]


#: The letters' text width on an A4 portrait page (21 cm less the @page margins of surat.css,
#: 2.3 cm + 1.8 cm), in points: the letterhead's lines are sized against it.
LEBAR_TEKS_PT = (21 - 2.3 - 1.8) / 2.54 * 72


@functools.cache
def _lebar_em(tebal: bool):
    """Advance widths (in em) of the letters' font (Tinos, the embedded Latin subset), read from
    the font file itself, and the width of a glyph it lacks."""
    from django.conf import settings
    from fontTools.ttLib import TTFont

    font = TTFont(settings.SIAKS_FONT_DIR / f"tinos-latin-{700 if tebal else 400}-normal.woff")
    upm = font["head"].unitsPerEm
    hmtx, cmap = font["hmtx"], font.getBestCmap()
    widths = {chr(cp): hmtx[name][0] / upm for cp, name in cmap.items()}
    return widths, max(widths.values())


def lebar_teks_em(text: str, *, tebal: bool = True) -> float:
    widths, lain = _lebar_em(tebal)
    return sum(widths.get(ch, lain) for ch in text)


@register.filter
def ukuran_kop(text, jenis: str = "bn") -> str:
    """The font size (pt) of one line of the issuer's letterhead: its own size (the first line 13 pt,
    the others 11.5 pt, the address 9 pt), made smaller down to a floor (6 pt: a 101-character line
    in capitals fits at 7 pt) so that the line keeps to one line of the page; below the floor it
    wraps. Computed from the text and the font alone, so every letter of an issuer (SK, PAK,
    rekomendasi, berita acara) prints its letterhead alike, whatever else that letter squeezes to keep to its pages."""
    maks, minimum, tebal = {"b0": (13.0, 6.0, True), "bn": (11.5, 6.0, True), "alamat": (9.0, 6.0, False)}[jenis]
    em = lebar_teks_em(str(text or ""), tebal=tebal)
    if em <= 0:
        return f"{maks:g}"
    muat = LEBAR_TEKS_PT * 0.96 / em  # 4 % for kerning and rounding
    ukuran = max(minimum, min(maks, int(muat * 4) / 4))  # quarter points, never above the fit
    return f"{ukuran:g}"
