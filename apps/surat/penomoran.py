"""Letter numbers: gapless per issuer, series and year, in a configurable format.

:func:`ambil_nomor` increments the counter row with ``INSERT … ON CONFLICT DO UPDATE … RETURNING``:
the row stays locked until the caller's transaction ends, so two issuers never get the same
number, and a rollback gives the number back (no gap). It must run inside the transaction that
creates the letter."""

from __future__ import annotations

import string
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from apps.surat.models import PenomoranSurat, PolaNomor

#: Default formats (editable per issuer on the "Pengaturan surat" page). 800.1.3.3 is the
#: kepegawaian classification of the archive code (Permendagri 83/2022), used by many SKs. The
#: sources give no format for the berita acara: the sidang's (Tim Penilai, "TIM") and the seleksi
#: administrasi's (Tim Seleksi Administrasi, "TSA") are two series with distinct defaults.
POLA_BAWAAN = {
    "berita_acara": "BA-{urut:03d}/TIM-{kode}/{bulan_romawi}/{tahun}",
    "ba_seleksi": "BA-{urut:03d}/TSA-{kode}/{bulan_romawi}/{tahun}",
    "rekomendasi": "{urut:03d}/REK-JF/{kode}/{bulan_romawi}/{tahun}",
    "sk": "800.1.3.3/{urut:04d}/SK-JF/{kode}/{tahun}",
    "pak": "800.1.3.3/{urut:04d}/PAK/{kode}/{tahun}",
    "hapak": "800.1.3.3/{urut:04d}/HAPAK/{kode}/{tahun}",
}
FIELDS = {"urut", "kode", "tahun", "bulan", "bulan_romawi"}
ROMAWI = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def validasi_pola(pola: str) -> str:
    """A format may use only the known fields and must contain ``{urut}``; raise ValidationError."""
    pola = (pola or "").strip()
    try:
        parts = list(string.Formatter().parse(pola))
    except ValueError:
        raise ValidationError(_("Format nomor tidak valid: periksa pasangan kurung kurawal.")) from None
    names = {name for _t, name, _spec, _conv in parts if name is not None}
    unknown = sorted(n for n in names if n not in FIELDS)
    if unknown:
        raise ValidationError(
            _("Kolom %(f)s tidak dikenal. Gunakan: %(ok)s.")
            % {"f": ", ".join("{" + n + "}" for n in unknown), "ok": ", ".join("{" + n + "}" for n in sorted(FIELDS))}
        )
    if "urut" not in names:
        raise ValidationError(_("Format nomor harus memuat {urut} (nomor urut)."))
    try:
        contoh = format_nomor(pola, urut=1, kode="KODE", tanggal=date(2026, 1, 1))
    except (ValueError, TypeError):
        raise ValidationError(_("Format nomor tidak valid, misalnya {urut:04d} untuk 0001.")) from None
    if len(contoh) > 140:
        raise ValidationError(_("Nomor surat terlalu panjang."))
    return pola


def format_nomor(pola: str, *, urut: int, kode: str, tanggal: date) -> str:
    return pola.format(
        urut=urut,
        kode=kode,
        tahun=tanggal.year,
        bulan=f"{tanggal.month:02d}",
        bulan_romawi=ROMAWI[tanggal.month - 1],
    )


def pola_for(penerbit_id: int, seri: str) -> str:
    custom = PolaNomor.objects.filter(penerbit_id=penerbit_id, seri=seri).values_list("pola", flat=True).first()
    return custom or POLA_BAWAAN[seri]


def ambil_nomor(*, penerbit, seri: str, tanggal: date) -> tuple[int, str]:
    """Take the next number of ``seri`` for ``penerbit`` in the year of ``tanggal``: (urut, nomor)."""
    if not connection.in_atomic_block:
        raise RuntimeError("ambil_nomor() must run inside the transaction that creates the letter")
    table = PenomoranSurat._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (penerbit_id, seri, tahun, terakhir) VALUES (%s, %s, %s, 1)
                ON CONFLICT (penerbit_id, seri, tahun) DO UPDATE SET terakhir = {table}.terakhir + 1
                RETURNING terakhir""",
            [penerbit.pk, seri, tanggal.year],
        )
        (urut,) = cursor.fetchone()
    return urut, format_nomor(pola_for(penerbit.pk, seri), urut=urut, kode=penerbit.kode, tanggal=tanggal)
