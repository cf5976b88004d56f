"""Exports: the filtered list of an inbox or dashboard as XLSX or CSV, the per-instansi figures,
and the national recap as PDF. Small exports are answered at once; large ones (and the PDF)
are written by the worker and announced with a notification."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from apps.core.format import bulatkan_ak, format_ak
from apps.pengusulan.domain import STATUS_LABELS, Status

#: CSV for Indonesian spreadsheet settings: the decimal separator there is the comma, so the list
#: separator is the semicolon (Excel/LibreOffice with locale id-ID open such a file in columns and
#: read "87,5" as the number 87,5; a "87.500" would read as 87 500).
CSV_PEMISAH = ";"
#: XLSX cells of angka kredit: real numbers shown with two decimals (the spreadsheet's locale
#: prints the decimal comma).
FORMAT_AK_XLSX = "#,##0.00"

#: XLSX display of dates and times, as Indonesians write them (day first); the cells hold real
#: dates, so a spreadsheet sorts and filters them.
FORMAT_TANGGAL_XLSX = "dd/mm/yyyy"
FORMAT_WAKTU_XLSX = "dd/mm/yyyy hh:mm"
#: XLSX text cells (a NIP's 18 digits stay text when the cell is edited; never a number).
FORMAT_TEKS_XLSX = "@"
#: A cell starting with one of these is read as a formula by spreadsheet apps (CSV injection):
#: CSV prefixes it with an apostrophe, XLSX writes it as a plain string.
_AWAL_RUMUS = ("=", "+", "-", "@", "\t", "\r")


class Teks(str):
    """A value that is text although it looks like a number (a NIP): a text cell in XLSX."""


#: Rows above which a list export runs in the background.
BATAS_LANGSUNG = 2000

KOLOM_USULAN = [
    ("nomor", "Nomor usulan"), ("pegawai_nip", "NIP"), ("pegawai_nama", "Nama"), ("instansi", "Instansi"),
    ("jf", "Jabatan fungsional"), ("jenjang", "Jenjang"), ("status", "Status"), ("diajukan_at", "Diajukan"),
    ("status_changed_at", "Status sejak"), ("tenggat_perbaikan", "Tenggat perbaikan"), ("ak_awal", "AK awal"),
]  # fmt: skip
KOLOM_INSTANSI = [
    ("instansi__kode", "Kode instansi"), ("instansi__nama", "Instansi"), ("formasi", "Formasi"),
    ("diusulkan", "Diusulkan"), ("proses", "Dalam proses"), ("lulus", "Lulus"), ("sk", "SK terbit"),
    ("gugur", "Tidak lolos"),
]  # fmt: skip


def _local(dt):
    """A moment as Asia/Jakarta wall time, without zone (what a spreadsheet cell holds)."""
    return timezone.localtime(dt).replace(tzinfo=None, second=0, microsecond=0) if dt else None


def baris_usulan(qs):
    qs = qs.select_related("instansi", "jf", "jenjang").order_by("diajukan_at", "id")
    for u in qs.iterator(chunk_size=2000):
        yield [
            u.nomor, Teks(u.pegawai_nip), u.pegawai_nama, u.instansi.nama, u.jf.nama,
            u.jenjang.nama if u.jenjang else "", str(STATUS_LABELS[Status(u.status)]), _local(u.diajukan_at),
            _local(u.status_changed_at), u.tenggat_perbaikan, u.ak_awal,
        ]  # fmt: skip


def baris_instansi(rows):
    for r in rows:
        yield [r[k] for k, _t in KOLOM_INSTANSI]


def _csv(value) -> str | int:
    """CSV is for other systems: machine-readable values (ISO dates "2026-11-30 14:03", a NIP's bare
    digits), an AK by the one AK display rule, and no text a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, Decimal):  # an angka kredit: the one AK display rule (2,08; 87,5)
        return format_ak(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_AWAL_RUMUS):
        return "'" + value
    return value


def tulis(fmt: str, judul: list[str], rows, *, nama_sheet: str = "Data") -> tuple[bytes, int]:
    """(file bytes, row count) as XLSX (write-only, constant memory) or CSV (UTF-8 with BOM, ``;``
    between fields, decimal comma: what Excel and LibreOffice with Indonesian settings read). A
    ``Decimal`` in a row is an angka kredit: a numeric cell with two decimals in XLSX, the AK display
    rule of apps.core.format in CSV."""
    count = 0
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=CSV_PEMISAH)
        writer.writerow(judul)
        for row in rows:
            writer.writerow([_csv(v) for v in row])
            count += 1
        return ("\ufeff" + buffer.getvalue()).encode(), count
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    def sel(value):
        if isinstance(value, Decimal):
            cell = WriteOnlyCell(ws, value=bulatkan_ak(value))
            cell.number_format = FORMAT_AK_XLSX
            return cell
        if isinstance(value, datetime | date):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = FORMAT_WAKTU_XLSX if isinstance(value, datetime) else FORMAT_TANGGAL_XLSX
            return cell
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=str(value))
            if cell.data_type == "f":  # "=…" typed by a user: text, never a formula
                cell.data_type = "s"
            if isinstance(value, Teks):
                cell.number_format = FORMAT_TEKS_XLSX
            return cell
        return "" if value is None else value

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(nama_sheet[:31])
    header = []
    for title in judul:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([sel(v) for v in row])
        count += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), count


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def nama_berkas(jenis: str, fmt: str) -> str:
    return f"siaks-{jenis}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def jalankan(job) -> tuple[bytes, int, str]:
    """Produce the file of an ``Ekspor`` (called by the worker inside the owner's scope)."""
    from apps.referensi.models import JabatanFungsional

    p = job.parameter
    if job.jenis == "inbox":
        from apps.verifikasi.selectors import inbox_queryset

        data, rows = tulis(
            job.format, [t for _k, t in KOLOM_USULAN], baris_usulan(inbox_queryset(**p)), nama_sheet="Usulan"
        )
    elif job.jenis == "usulan_pic":
        from apps.pengusulan.selectors import usulan_list

        data, rows = tulis(
            job.format, [t for _k, t in KOLOM_USULAN], baris_usulan(usulan_list(**p)), nama_sheet="Usulan"
        )
    elif job.jenis == "rekap_instansi":
        from apps.rekap.selectors import per_instansi

        data, rows = tulis(job.format, [t for _k, t in KOLOM_INSTANSI], baris_instansi(per_instansi(p["jf_ids"])),
                           nama_sheet="Per instansi")  # fmt: skip
    elif job.jenis == "rekap_pdf":
        from apps.rekap.pdf import rekap_pdf

        jf_list = list(JabatanFungsional.objects.filter(pk__in=p["jf_ids"]))
        data, rows = rekap_pdf(jf_list)
    else:
        raise ValueError(f"jenis ekspor tidak dikenal: {job.jenis}")
    return data, rows, nama_berkas(job.jenis, job.format)
