"""Bulk import of pegawai (with a draft usulan each) from the XLSX template.

Every row is checked first; each bad row is reported with its row number, column and reason in
Indonesian and left out whole. ``services.pegawai_impor`` writes the good rows together in one
transaction with bulk inserts (pegawai, usulan, audit entries): a row is imported completely or
not at all."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.pengusulan.models import Pegawai
from apps.referensi import domain as rules
from apps.referensi.models import Golongan, JabatanFungsional, PredikatChoices

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000

PENDIDIKAN = {"slta": "slta", "sma": "slta", "smk": "slta", "d3": "d3", "d-iii": "d3", "diii": "d3",
              "s1": "s1", "d4": "s1", "d-iv": "s1", "div": "s1", "s2": "s2", "s3": "s3"}  # fmt: skip
PREDIKAT = {str(label).lower(): value for value, label in PredikatChoices.choices} | {
    v: v for v in PredikatChoices.values
}
HUKUMAN = {"": "tidak_ada", "tidak ada": "tidak_ada", "tidak_ada": "tidak_ada", "-": "tidak_ada",
           "ringan": "ringan", "sedang": "sedang", "berat": "berat"}  # fmt: skip


def columns(year: int | None = None) -> list[tuple[str, str]]:
    """(key, header) of the template, in order."""
    year = year or timezone.localdate().year
    return [
        ("nip", "NIP"),
        ("nama", "Nama lengkap"),
        ("tempat_lahir", "Tempat lahir"),
        ("tanggal_lahir", "Tanggal lahir (opsional)"),
        ("jenis_kelamin", "Jenis kelamin L/P (opsional)"),
        ("golongan", "Golongan (mis. III/c)"),
        ("tmt_golongan", "TMT golongan"),
        ("pendidikan", "Pendidikan (SLTA/D3/S1/D4/S2/S3)"),
        ("jabatan_saat_ini", "Jabatan saat ini"),
        ("is_pelaksana", "Jabatan pelaksana (Ya/Tidak)"),
        ("unit_kerja", "Unit kerja"),
        ("pengalaman_bulan", "Pengalaman di bidang jabatan (bulan)"),
        (f"predikat_{year - 1}", f"Predikat kinerja {year - 1}"),
        (f"predikat_{year - 2}", f"Predikat kinerja {year - 2}"),
        (f"predikat_{year - 3}", f"Predikat kinerja {year - 3}"),
        ("hukuman_disiplin", "Hukuman disiplin (tidak ada/ringan/sedang/berat)"),
        ("tanggal_hukuman", "Tanggal hukuman disiplin"),
    ]


def templat() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Pegawai"
    cols = columns()
    ws.append([header for _key, header in cols])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    year = timezone.localdate().year
    ws.append(["19860926 201505 1 001", "Contoh Nama, S.E.", "Bandung", None, None, "III/c", date(2021, 4, 1),
               "S1", "Analis Kerja Sama", "Ya", "Biro Kerja Sama", 36, "Baik", "Sangat Baik", "Baik",
               "tidak ada", None])  # fmt: skip
    for i, _col in enumerate(cols, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 22
    for letter in ("D", "G", "Q"):
        ws[f"{letter}2"].number_format = "DD-MM-YYYY"
    gol = DataValidation(type="list", formula1='"' + ",".join(Golongan.objects.values_list("kode", flat=True)) + '"')
    ws.add_data_validation(gol)
    gol.add(f"F2:F{MAX_ROWS + 1}")
    pred = DataValidation(
        type="list", formula1='"' + ",".join(str(label) for _v, label in PredikatChoices.choices) + '"'
    )
    ws.add_data_validation(pred)
    pred.add(f"M2:O{MAX_ROWS + 1}")
    info = wb.create_sheet("Petunjuk")
    for line in (
        "Isi satu pegawai per baris mulai baris 2 (baris 2 adalah contoh; hapus sebelum mengimpor).",
        "NIP 18 digit, boleh dengan spasi. Tanggal lahir dan jenis kelamin boleh kosong: diambil dari NIP.",
        "Tanggal ditulis sebagai tanggal Excel atau DD-MM-YYYY.",
        f"Predikat kinerja: {', '.join(str(label) for _v, label in PredikatChoices.choices)}.",
        f"Tahun predikat: {year - 1}, {year - 2}, {year - 3}.",
        "Setiap baris yang valid menjadi data pegawai dan usulan draf ke JF yang dipilih saat mengimpor.",
    ):
        info.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason)
    diimpor: list = field(default_factory=list)  # what the import created (shown with links)
    #: problems of the file itself (too big, not an XLSX): not a row, shown on the form's file field
    berkas: list[str] = field(default_factory=list)

    @property
    def rows_failed(self) -> int:
        return len({row for row, _c, _r in self.errors})

    def nip_ganda(
        self, number: int, nip: str, terdaftar, seen: dict[str, int], pesan_terdaftar: str, *, catat: bool = True
    ) -> bool:
        """Refuse row ``number`` (True) if its NIP is already registered (``terdaftar``; the message
        ``pesan_terdaftar`` with ``%(nip)s``) or on an earlier row of the file; else note the row as
        the NIP's in ``seen`` (unless ``catat`` is False: a row refused for other reasons)."""
        if nip in terdaftar:
            self.errors.append((number, "NIP", pesan_terdaftar % {"nip": nip}))
            return True
        if nip in seen:
            pesan = _("NIP %(nip)s sudah ada di baris %(r)d") % {"nip": nip, "r": seen[nip]}
            self.errors.append((number, "NIP", pesan))
            return True
        if catat:
            seen[nip] = number
        return False


class RowError(Exception):
    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


class RowErrors(Exception):
    """Every problem of one row; ``nip`` is the row's NIP when it could be read."""

    def __init__(self, errors: list[RowError], nip: str | None = None):
        super().__init__("; ".join(e.reason for e in errors))
        self.errors = errors
        self.nip = nip


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, column: str, *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            raise RowError(column, _("wajib diisi"))
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(column, _("tanggal %(v)s tidak dikenali; tulis DD-MM-YYYY") % {"v": text})


def teks_sel(value) -> str:
    """A cell's value as trimmed text (a whole float without its ".0"): the other imports'
    (apps.jabatan's) reading of a cell, the same as this one's."""
    return _text(value)


def tanggal_sel(value, column: str, *, required: bool) -> date | None:
    """A cell's date (a date cell, or dd-mm-yyyy, dd/mm/yyyy, yyyy-mm-dd); RowError naming
    ``column`` otherwise, or when empty and ``required``."""
    return _date(value, column, required=required)


def baca_pegawai(*, actor, berkas, jf: JabatanFungsional) -> tuple[ImportReport, list[Pegawai]]:
    """Check every row of an uploaded template: the report (bad rows with their reasons) and the
    good rows as unsaved Pegawai. ``services.pegawai_impor`` writes them."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    report = ImportReport()
    if (berkas.size or 0) > MAX_BYTES:
        report.berkas.append(_("Berkas lebih dari 10 MB."))
        return report, []
    try:
        wb = load_workbook(berkas, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        report.berkas.append(_("Berkas bukan XLSX yang valid. Gunakan templat yang disediakan."))
        return report, []
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    expected = columns()
    index = {}
    for key, title in expected:
        if title not in header:
            report.errors.append((1, title, _("kolom tidak ditemukan pada baris judul")))
        else:
            index[key] = header.index(title)
    if report.errors:
        return report, []

    golongan = {g.kode.upper(): g for g in Golongan.objects.all()}
    existing = set(Pegawai.objects.values_list("nip", flat=True))
    seen: dict[str, int] = {}
    good: list[Pegawai] = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            report.errors.append((number, _("berkas"), _("Paling banyak %(n)d baris per impor.") % {"n": MAX_ROWS}))
            break
        if values is None or all(v in (None, "") for v in values):
            continue
        row = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
        # Every problem of the row in one pass: a NIP already registered or already on an earlier
        # row of the file, and its columns.
        try:
            pegawai = _row_to_pegawai(row, expected, golongan, actor)
            nip, salah = pegawai.nip, []
        except RowErrors as exc:
            pegawai, nip, salah = None, exc.nip, exc.errors
        pesan_terdaftar = _("NIP %(nip)s sudah terdaftar di instansi Anda")
        ganda = nip is not None and report.nip_ganda(number, nip, existing, seen, pesan_terdaftar, catat=not salah)
        report.errors.extend((number, e.column, e.reason) for e in salah)
        if ganda or salah:
            continue
        good.append(pegawai)

    return report, good


def _row_to_pegawai(row: dict, expected, golongan: dict, actor) -> Pegawai:
    """One row as a Pegawai; every problem of the row is reported, one per column
    (:class:`RowErrors`), not only the first."""
    title = dict(expected)
    errors: list[RowError] = []
    ditandai: set[str] = set()  # the keys of the columns already reported

    def salah(key: str, reason: str) -> None:
        errors.append(RowError(title.get(key, key), reason))
        ditandai.add(key)

    def tanggal(key: str, *, required: bool):
        try:
            return _date(row[key], title[key], required=required)
        except RowError as exc:
            errors.append(exc)
            ditandai.add(key)
            return None

    nip_raw = _text(row["nip"])
    info = None
    try:
        info = rules.nip_pns(nip_raw)
    except rules.NipError as exc:
        salah("nip", str(exc))
    nama = _text(row["nama"])
    if not nama:
        salah("nama", _("wajib diisi"))
    lahir = tanggal("tanggal_lahir", required=False)
    if lahir and info is not None and lahir != info.tanggal_lahir:
        salah("tanggal_lahir", _("tidak sesuai dengan NIP"))
    jk = _text(row["jenis_kelamin"]).upper()[:1]
    if jk and jk not in "LP":
        salah("jenis_kelamin", _("isi L atau P"))
    elif jk and info is not None and jk != info.jenis_kelamin:
        salah("jenis_kelamin", _("tidak sesuai dengan NIP"))
    gol = golongan.get(_text(row["golongan"]).upper().replace(" ", ""))
    if gol is None:
        salah("golongan", _("golongan %(g)s tidak dikenal") % {"g": _text(row["golongan"]) or "-"})
    tmt = tanggal("tmt_golongan", required=True)
    pendidikan = PENDIDIKAN.get(_text(row["pendidikan"]).lower().replace(" ", ""))
    if pendidikan is None:
        salah("pendidikan", _("pendidikan %(p)s tidak dikenal") % {"p": _text(row["pendidikan"]) or "-"})
    pelaksana = _text(row["is_pelaksana"]).lower()
    if pelaksana not in {"ya", "tidak", "y", "t"}:  # no silent default: the PIC answers it
        salah("is_pelaksana", _("isi Ya atau Tidak"))
    pengalaman = None
    try:
        pengalaman = int(float(_text(row["pengalaman_bulan"]) or "x"))
        if not 0 <= pengalaman <= 600:
            raise ValueError
    except ValueError:
        salah("pengalaman_bulan", _("isi jumlah bulan (angka 0–600)"))
    predikat = {}
    for key in [k for k, _t in expected if k.startswith("predikat_")]:
        value = _text(row[key]).lower()
        if value:
            if value not in PREDIKAT:
                salah(key, _("predikat %(p)s tidak dikenal") % {"p": _text(row[key])})
            else:
                predikat[key.removeprefix("predikat_")] = PREDIKAT[value]
    hukuman = HUKUMAN.get(_text(row["hukuman_disiplin"]).lower())
    if hukuman is None:
        salah("hukuman_disiplin", _("isi tidak ada, ringan, sedang, atau berat"))
    tanggal_hukuman = tanggal("tanggal_hukuman", required=hukuman is not None and hukuman != Pegawai.Hukuman.TIDAK_ADA)
    # The model's own rules (no TMT golongan in the future or before birth, …) run on what could
    # be read, together with the errors above: a column already reported is not checked twice.
    pegawai = Pegawai(
        instansi=actor.instansi,
        nip=info.nip if info else nip_raw,
        nama=nama[:150],
        tempat_lahir=_text(row["tempat_lahir"])[:80],
        tanggal_lahir=info.tanggal_lahir if info else lahir,
        jenis_kelamin=info.jenis_kelamin if info else "",
        tmt_cpns=info.tmt_cpns if info else None,
        golongan=gol,
        tmt_golongan=tmt,
        pendidikan=pendidikan or "",
        jabatan_saat_ini=_text(row["jabatan_saat_ini"])[:200],
        is_pelaksana=pelaksana not in {"tidak", "t"},
        unit_kerja=_text(row["unit_kerja"])[:200],
        pengalaman_bulan=pengalaman,
        predikat=predikat,
        hukuman_disiplin=hukuman or Pegawai.Hukuman.TIDAK_ADA,
        tanggal_hukuman=tanggal_hukuman,
    )
    exclude = {"instansi", "golongan", *ditandai}
    if info is None:
        exclude |= {"nip", "tanggal_lahir", "jenis_kelamin", "tmt_cpns"}
    try:
        pegawai.full_clean(exclude=sorted(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors += [
            RowError(title.get(field, field), "; ".join(msgs))
            for field, msgs in exc.message_dict.items()
            if field not in ditandai
        ]
    if errors:
        raise RowErrors(errors, nip=info.nip if info else None)
    return pegawai
