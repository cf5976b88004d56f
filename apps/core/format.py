"""Indonesian formats for dates and numbers, one place for every app (letters, notices, audit
messages, reports). Independent of the active locale: letters and notices are always Indonesian."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


def tgl(value: date | str | None) -> str:
    """23 November 2026; "-" when empty."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def tgl_angka(value: date | None) -> str:
    """23-11-2026 (a compact form for file names and the like); "-" when empty. Messages, audit
    entries and notices use :func:`tgl` ("23 November 2026"), the one date form people read."""
    return value.strftime("%d-%m-%Y") if value else "-"


def durasi(bulan: int) -> str:
    """A number of months written one way everywhere: "6 tahun 3 bulan", "8 bulan", "7 tahun"."""
    tahun, sisa = divmod(int(bulan), 12)
    return " ".join(([f"{tahun} tahun"] if tahun else []) + ([f"{sisa} bulan"] if sisa or not tahun else []))


def jam(value: datetime | None = None) -> str:
    """14.05 in Asia/Jakarta (now when ``value`` is None)."""
    return timezone.localtime(value).strftime("%H.%M")


BULAN_3 = [b[:3] for b in BULAN[:7]] + ["Agu", "Sep", "Okt", "Nov", "Des"]


def waktu(value: datetime | None, *, singkat: bool = False) -> str:
    """A moment as pages show it, always with its zone: "30 November 2026 18:01 WIB" (or, with
    ``singkat``, "30 Nov 2026 18:01 WIB" for table cells); Asia/Jakarta; "" when empty. The one
    datetime display of the pages (template filters ``waktu`` and ``waktu_lengkap``,
    apps/core/templatetags/baris.py), so no page shows a time without "WIB"."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    bulan = BULAN_3[value.month - 1] if singkat else BULAN[value.month - 1]
    return f"{value.day} {bulan} {value.year} {value:%H:%M} WIB"


def megabita(size: int) -> str:
    """5242880 → "5,0 MB"."""
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


AK_TAMPIL = Decimal("0.01")


def bulatkan_ak(value: Decimal | str | int) -> Decimal:
    """The AK as BKN rounds it for display: two decimals, half up (2,0833 → 2,08). Exports keep it
    a number (XLSX) with this rounding."""
    return Decimal(value).quantize(AK_TAMPIL, rounding=ROUND_HALF_UP)


def format_angka(value: Decimal | str | int | float | None) -> str:
    """A decimal as Indonesian pages print it: two decimals at most, half up, decimal comma, no
    needless trailing zeros (77,50 → "77,5"; 150,00 → "150"); "-" when there is none. The same rule
    as :func:`format_ak`, for the other decimals of the reference data (a predikat's percentage,
    and their history)."""
    return format_ak(value)


def format_ak(value: Decimal | str | int | None) -> str:
    """AK as BKN prints it: two decimals at most, half up, decimal comma, no trailing zeros
    (2,083 → "2,08"; 12,500 → "12,5"; 150 → "150"); "-" when there is none.

    The one display rule for an angka kredit: pages (template filter ``ak``, apps/core/templatetags
    /angka.py), letters and their PDF templates (``surat.isi`` snapshots), audit and notice texts,
    CSV exports, the reference tables (their pages and a row's name); XLSX exports keep a number
    rounded by :func:`bulatkan_ak`. The edit form of a reference row holds its stored value exact."""
    if value is None or value == "":
        return "-"
    text = f"{bulatkan_ak(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


#: A decimal as typed: digits with at most one decimal mark, a comma (Indonesian) or a point (what a
#: number input sends); no thousands separator, no exponent.
DESIMAL_KETIK = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)")


def baca_desimal(text: str) -> Decimal:
    """Read "77,5" or "77.5" as Decimal("77.5"); raises ValueError for anything else ("7,7,5", "1.234,5",
    "abc", "1e3"). The one reading of a typed decimal (forms: ``apps.core.forms.DesimalField``)."""
    text = str(text).strip()
    if not DESIMAL_KETIK.fullmatch(text):
        raise ValueError(text)
    return Decimal(text.replace(",", "."))


def daftar_nama(items) -> str:
    """["A"] → "A"; ["A", "B"] → "A dan B"; ["A", "B", "C"] → "A, B dan C"."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} dan {items[-1]}"


# Two dots (not three) that end a sentence: before a space, a closing mark or the end. "a..pdf" in a
# file name is not a sentence's end and stays as it is.
_TITIK_GANDA = re.compile(r"(?<!\.)\.\.(?=[\s)\]\"']|$)")


def kalimat(text: str) -> str:
    """A sentence that ends with a name whose title ends with a dot ("… Dr. Ani, M.Si." + ".")
    keeps one dot: "M.Si.." → "M.Si.". An ellipsis ("...") and a file name ("a..pdf") are left alone."""
    return _TITIK_GANDA.sub(".", text) if ".." in text else text


def masa_kerja_teks(bulan: int | None, tahun_dihitung: int | None) -> str:
    """Masa kerja in the last pangkat as the PAK prints it (seed 004): first the years the
    penyesuaian table counts ("kurang dari 1 tahun" under a year, capped at 4), the value the table
    row was read with, then the actual masa kerja in years and months, e.g. "1 tahun (masa kerja
    sebenarnya 1 tahun 9 bulan)". The PAK states the day it was counted to on its own line."""
    if tahun_dihitung is None and bulan is not None:
        tahun_dihitung = bulan // 12
    if tahun_dihitung is None:
        return "-"
    teks = "kurang dari 1 tahun" if tahun_dihitung == 0 else f"{tahun_dihitung} tahun"
    if bulan is None:
        return teks
    tahun, sisa = divmod(bulan, 12)
    sebenarnya = " ".join(
        part for part in (f"{tahun} tahun" if tahun else "", f"{sisa} bulan" if sisa or not tahun else "") if part
    )
    return f"{teks} (masa kerja sebenarnya {sebenarnya})"
