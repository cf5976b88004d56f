"""XLSX imports of the angka kredit pages (the same checks and reports as the pegawai import,
``apps.pengusulan.xlsx``): every row is checked, each bad row reported with its number, column and
reason in Indonesian and left out whole; the good rows go in.

* holders who entered the JF before the portal existed, with their starting AK (an ``awal`` row);
* predikat kinerja per holder and period, converted into AK (``services.konversi_massal``)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from apps.core.format import tgl
from apps.jabatan.models import PejabatFungsional
from apps.jabatan.services import ItemKonversi, nip_aktif_di_tempat_lain, pesan_nip_aktif
from apps.pengusulan.xlsx import MAX_BYTES, MAX_ROWS, PREDIKAT, ImportReport, RowError, tanggal_sel, teks_sel
from apps.referensi import domain as rules
from apps.referensi.models import Golongan, JabatanFungsional, Jenjang, PredikatChoices

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KOLOM_PEJABAT = [
    ("nip", "NIP"),
    ("nama", "Nama lengkap"),
    ("tempat_lahir", "Tempat lahir"),
    ("jenjang", "Jenjang (mis. Ahli Pertama)"),
    ("golongan", "Golongan (mis. III/a)"),
    ("tmt_golongan", "TMT golongan"),
    ("tmt_jabatan", "TMT jabatan"),
    ("ak_awal", "AK awal"),
    ("tanggal_ak", "Tanggal AK awal (opsional)"),
    ("sumber_ak", "Dasar AK awal, mis. nomor PAK (opsional)"),
    ("unit_kerja", "Unit kerja (opsional)"),
]
#: PejabatFungsional.tempat_lahir's length.
TEMPAT_LAHIR_MAKS = 80
KOLOM_PREDIKAT = [
    ("nip", "NIP"),
    ("nama", "Nama (tidak diperiksa)"),
    ("mulai", "Awal periode"),
    ("selesai", "Akhir periode"),
    ("predikat", "Predikat kinerja"),
    ("jenjang", "Jenjang pada periode ini (opsional)"),
]


def _workbook(judul: str, kolom, contoh: list, petunjuk: list[str], tanggal_kolom: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = judul
    ws.append([h for _k, h in kolom])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(contoh)
    for i in range(1, len(kolom) + 1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = 24
    for letter in tanggal_kolom:
        ws[f"{letter}2"].number_format = "DD-MM-YYYY"
    info = wb.create_sheet("Petunjuk")
    for line in petunjuk:
        info.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def templat_pejabat() -> bytes:
    return _workbook(
        "Pejabat", KOLOM_PEJABAT,
        ["19860926 201505 1 001", "Contoh Nama, S.E.", "Bandung", "Ahli Pertama", "III/a", date(2022, 4, 1),
         date(2023, 1, 2), "45,5", date(2023, 1, 2), "PAK 800/12/2023", "Biro Kerja Sama"],
        [
            _("Isi satu pejabat fungsional per baris mulai baris 2 (baris 2 adalah contoh; hapus sebelum mengimpor)."),
            _("Untuk pejabat yang sudah menduduki JF sebelum portal ini digunakan."),
            _("Tempat lahir: kota atau kabupaten kelahiran, wajib diisi (dicetak bersama tanggal lahir pada surat "
              "pejabat); tanggal lahir dibaca dari NIP."),
            _("AK awal: angka kredit pada tanggal AK awal (dari PAK terakhir), desimal dengan koma atau titik."),
            _("Tanggal ditulis sebagai tanggal Excel atau DD-MM-YYYY."),
        ],
        "FGI",
    )  # fmt: skip


def templat_predikat() -> bytes:
    labels = ", ".join(str(label) for _v, label in PredikatChoices.choices)
    return _workbook(
        "Predikat", KOLOM_PREDIKAT,
        ["19860926 201505 1 001", "Contoh Nama, S.E.", date(2025, 1, 1), date(2025, 12, 31), "Baik", None],
        [
            _("Isi satu predikat kinerja per baris: tahunan (1 Januari – 31 Desember) atau periodik (beberapa bulan)."),
            _("Satu periode berada dalam satu tahun kalender. Tahun yang terbagi atas dua jenjang ditulis dua baris, "
              "masing-masing dengan jenjangnya."),
            _("Predikat kinerja: %(p)s.") % {"p": labels},
            _("AK per periode = jumlah bulan / 12 × persentase predikat × koefisien jenjang (PerBKN 3/2023)."),
        ],
        "CD",
    )  # fmt: skip


def _buka(berkas, kolom) -> tuple[ImportReport, object, dict]:
    """Open the upload and find the template's columns; (report, rows, index)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    report = ImportReport()
    # Problems of the file itself are not a row ("baris 0"): ``report.berkas``, shown on the form's
    # file field as the pegawai import does.
    if (berkas.size or 0) > MAX_BYTES:
        report.berkas.append(_("Berkas lebih dari 10 MB."))
        return report, iter(()), {}
    try:
        wb = load_workbook(berkas, read_only=True, data_only=True)
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = [teks_sel(h) for h in next(rows, ())]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError):
        report.berkas.append(_("Berkas bukan XLSX yang valid. Gunakan templat yang disediakan."))
        return report, iter(()), {}
    if not any(title in header for _key, title in kolom):
        # Another workbook, or the template's sheets reordered: not one column of the first row.
        report.berkas.append(
            _(
                "Lembar pertama berkas (%(s)s) bukan templat ini: baris judulnya tidak memuat kolom %(k)s. "
                "Gunakan templat yang disediakan, dengan lembar datanya sebagai lembar pertama."
            )
            % {"s": wb.worksheets[0].title, "k": ", ".join(f"“{t}”" for _key, t in kolom[:2])}
        )
        return report, iter(()), {}
    index = {}
    for key, title in kolom:
        if title not in header:
            report.errors.append((1, title, _("kolom tidak ditemukan pada baris judul")))
        else:
            index[key] = header.index(title)
    return report, rows, index


def _baris(rows, index, report):
    """(row number, {key: value}) of the non-empty rows, up to MAX_ROWS."""
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            report.errors.append((number, _("berkas"), _("Paling banyak %(n)d baris per impor.") % {"n": MAX_ROWS}))
            return
        if values is None or all(v in (None, "") for v in values):
            continue
        yield number, {key: (values[i] if i < len(values) else None) for key, i in index.items()}


def _jenjang_map(jf: JabatanFungsional) -> dict[str, Jenjang]:
    found = {}
    for j in Jenjang.objects.filter(jf=jf).select_related("golongan_min", "golongan_maks"):
        for key in (j.kode, j.nama, j.kode.replace("_", " ")):
            found[key.lower()] = j
    return found


def _angka(value) -> Decimal:
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    return Decimal(teks_sel(value).replace(" ", "").replace(",", "."))


@dataclass
class BarisPejabat:
    nomor: int
    pejabat: PejabatFungsional
    ak_awal: Decimal
    tanggal_ak: date
    sumber_ak: str
    #: The date of the pre-portal PAK the AK awal comes from, when the row gives one ("Tanggal AK
    #: awal"): that PAK counted the predikat up to its date (services._sebelum_ak_awal).
    tanggal_pak: date | None = None


def baca_pejabat(*, actor, berkas, jf: JabatanFungsional) -> tuple[ImportReport, list[BarisPejabat]]:
    """Check every row of the holders template; the good rows as unsaved holders with their AK awal."""
    report, rows, index = _buka(berkas, KOLOM_PEJABAT)
    if report.errors or report.berkas:
        return report, []
    title = dict(KOLOM_PEJABAT)
    jenjang = _jenjang_map(jf)
    golongan = {g.kode.upper(): g for g in Golongan.objects.all()}
    existing = set(PejabatFungsional.objects.filter(jf=jf).values_list("nip", flat=True))
    seen: dict[str, int] = {}
    good = []
    for number, row in _baris(rows, index, report):
        errors: list[RowError] = []

        def salah(key: str, reason: str, errors=errors) -> None:
            errors.append(RowError(title[key], reason))

        def tanggal(key: str, *, required: bool, errors=errors, row=row):
            try:
                return tanggal_sel(row[key], title[key], required=required)
            except RowError as exc:
                errors.append(exc)
                return None

        info = None
        try:
            info = rules.nip_pns(teks_sel(row["nip"]))
        except rules.NipError as exc:
            salah("nip", str(exc))
        nama = teks_sel(row["nama"])
        if not nama:
            salah("nama", _("wajib diisi"))
        tempat_lahir = teks_sel(row["tempat_lahir"])
        if not tempat_lahir:
            salah("tempat_lahir", _("wajib diisi: dicetak bersama tanggal lahir pada surat pejabat"))
        elif len(tempat_lahir) > TEMPAT_LAHIR_MAKS:
            salah("tempat_lahir", _("paling banyak %(n)d karakter") % {"n": TEMPAT_LAHIR_MAKS})
        elif not any(c.isalpha() for c in tempat_lahir):
            salah("tempat_lahir", _("isi nama kota atau kabupaten, mis. Bandung (bukan %(t)s)") % {"t": tempat_lahir})
        j = jenjang.get(teks_sel(row["jenjang"]).lower())
        if j is None:
            salah("jenjang", _("jenjang %(j)s tidak dikenal untuk JF ini") % {"j": teks_sel(row["jenjang"]) or "-"})
        gol = golongan.get(teks_sel(row["golongan"]).upper().replace(" ", ""))
        if gol is None:
            salah("golongan", _("golongan %(g)s tidak dikenal") % {"g": teks_sel(row["golongan"]) or "-"})
        elif j is not None and not j.golongan_min.urutan <= gol.urutan <= j.golongan_maks.urutan:
            salah("golongan", _("golongan %(g)s tidak sesuai jenjang %(j)s (%(r)s)")
                  % {"g": gol.kode, "j": j.nama, "r": j.golongan_label})  # fmt: skip
        tmt_gol = tanggal("tmt_golongan", required=True)
        tmt_jab = tanggal("tmt_jabatan", required=True)
        tgl_ak = tanggal("tanggal_ak", required=False)
        ak = None
        try:
            ak = _angka(row["ak_awal"])
            if not ak.is_finite() or ak < 0 or ak >= Decimal(10000):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            salah("ak_awal", _("isi angka kredit 0 atau lebih, mis. 45,5"))
        today = date.today()
        for key, d in (("tmt_golongan", tmt_gol), ("tmt_jabatan", tmt_jab), ("tanggal_ak", tgl_ak)):
            if d and d > today:
                salah(key, _("tanggal tidak boleh setelah hari ini"))
        if info is not None and info.tmt_cpns is not None:
            # The NIP encodes the TMT CPNS (domain.md §5): no pangkat or jabatan before it.
            for key, d in (("tmt_golongan", tmt_gol), ("tmt_jabatan", tmt_jab)):
                if d and d < info.tmt_cpns:
                    salah(key, _("tanggal %(t)s sebelum TMT CPNS menurut NIP (%(c)s)")
                          % {"t": tgl(d), "c": tgl(info.tmt_cpns)})  # fmt: skip
        if (
            info is not None
            and j is not None
            and rules.tanggal_pensiun(info.tanggal_lahir, j.batas_usia_pensiun) <= today
        ):
            # PP 11/2017 pasal 239: past the TMT pensiun the holder is no longer in the JF.
            salah("nip", _(
                "pejabat ini sudah pensiun: batas usia pensiun %(bup)d tahun (jenjang %(j)s) tercapai %(b)s, TMT "
                "pensiun %(tmt)s; tidak diimpor sebagai pejabat aktif"
            ) % {"bup": j.batas_usia_pensiun, "j": j.nama,
                 "b": tgl(rules.add_years(info.tanggal_lahir, j.batas_usia_pensiun)),
                 "tmt": tgl(rules.tanggal_pensiun(info.tanggal_lahir, j.batas_usia_pensiun))})  # fmt: skip
        if errors:
            report.errors.extend((number, e.column, e.reason) for e in errors)
            continue
        if report.nip_ganda(number, info.nip, existing, seen, _("NIP %(nip)s sudah tercatat sebagai pejabat JF ini")):
            continue
        pejabat = PejabatFungsional(
            instansi=actor.instansi, jf=jf, jenjang=j, nip=info.nip, nama=nama[:150], kelas_jabatan=j.kelas_jabatan,
            tmt_jabatan=tmt_jab, golongan=gol, tmt_golongan=tmt_gol, tanggal_lahir=info.tanggal_lahir,
            tempat_lahir=tempat_lahir, unit_kerja=teks_sel(row["unit_kerja"])[:200], sumber="impor",
        )  # fmt: skip
        good.append(BarisPejabat(number, pejabat, ak.quantize(Decimal("0.001")), tgl_ak or tmt_jab,
                                 teks_sel(row["sumber_ak"])[:200], tanggal_pak=tgl_ak))  # fmt: skip
    lain = nip_aktif_di_tempat_lain({b.pejabat.nip for b in good}, instansi_id=actor.instansi.pk, jf_id=jf.pk)
    if lain:
        for b in good:
            if b.pejabat.nip in lain:
                report.errors.append((b.nomor, title["nip"], pesan_nip_aktif(b.pejabat.nip)))
        good = [b for b in good if b.pejabat.nip not in lain]
    return report, good


def _nip_salah(nip: str) -> str:
    """Why ``nip`` is not a valid NIP ('' when it is one)."""
    try:
        rules.parse_nip(nip)
    except rules.NipError as exc:
        return str(exc)
    return ""


def baca_predikat(*, berkas, jf: JabatanFungsional) -> tuple[ImportReport, list[ItemKonversi]]:
    """Check every row of the predikat template (format, holder known); the good rows as konversi
    items tagged with their row number (the rules of the konversi itself report their own)."""
    report, rows, index = _buka(berkas, KOLOM_PREDIKAT)
    if report.errors or report.berkas:
        return report, []
    title = dict(KOLOM_PREDIKAT)
    jenjang = _jenjang_map(jf)
    holders = dict(PejabatFungsional.objects.filter(jf=jf).values_list("nip", "pk"))
    items = []
    for number, row in _baris(rows, index, report):
        errors: list[RowError] = []
        nip = teks_sel(row["nip"]).replace(" ", "")
        pid = holders.get(nip)
        if not nip:
            errors.append(RowError(title["nip"], _("NIP wajib diisi")))
        elif pid is None and (salah_nip := _nip_salah(nip)):
            # A NIP that cannot be one (domain.md §5) says so, not "not a holder here".
            errors.append(RowError(title["nip"], salah_nip))
        elif pid is None:
            errors.append(
                RowError(title["nip"], _("NIP %(nip)s bukan pejabat JF ini di instansi Anda") % {"nip": nip or "-"})
            )
        dates = []
        for key in ("mulai", "selesai"):
            try:
                dates.append(tanggal_sel(row[key], title[key], required=True))
            except RowError as exc:
                errors.append(exc)
        predikat = PREDIKAT.get(teks_sel(row["predikat"]).lower())
        if predikat is None:
            errors.append(
                RowError(title["predikat"], _("predikat %(p)s tidak dikenal") % {"p": teks_sel(row["predikat"]) or "-"})
            )
        j = None
        if teks_sel(row["jenjang"]):
            j = jenjang.get(teks_sel(row["jenjang"]).lower())
            if j is None:
                errors.append(
                    RowError(
                        title["jenjang"],
                        _("jenjang %(j)s tidak dikenal untuk JF ini") % {"j": teks_sel(row["jenjang"])},
                    )
                )
        if errors:
            report.errors.extend((number, e.column, e.reason) for e in errors)
            continue
        items.append(ItemKonversi(pid, predikat, dates[0], dates[1], j.pk if j else None, tag=number))
    return report, items
