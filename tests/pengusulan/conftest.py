from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core import tenancy
from apps.pengusulan import services
from apps.referensi.models import Golongan, PersyaratanDokumen
from tests.pdfs import valid_pdf

ON = date(2026, 6, 15)  # inside the AKS window and its pengajuan stage


def pdf_upload(name="dokumen.pdf", content=None):
    return SimpleUploadedFile(name, valid_pdf() if content is None else content, content_type="application/pdf")


def pegawai_data(**overrides):
    data = {
        "nip": "19860926 201505 1 001",
        "nama": "Dewi Anggraini, S.IP.",
        "tempat_lahir": "Bandung",
        "golongan": Golongan.objects.get(kode="III/c"),
        "tmt_golongan": date(2021, 4, 1),
        "pendidikan": "s1",
        "jabatan_saat_ini": "Analis Kerja Sama",
        "unit_kerja": "Biro Kerja Sama",
        "pengalaman_bulan": 36,
        "predikat": {"2025": "baik", "2024": "sangat_baik"},
    }
    data.update(overrides)
    return data


#: The number and date of the PAK signed by the atasan langsung the fixtures upload (the SK cites them).
PAK_ATASAN = {"nomor_surat": "800/PAK-AL/015/2025", "tanggal_surat": date(2025, 12, 1)}


def surat_pak(persyaratan) -> dict:
    """The extra fields an upload of ``persyaratan`` takes: the PAK's number and date, else none."""
    return dict(PAK_ATASAN) if persyaratan.kode == "dokumen_pak" else {}


def upload_all_mandatory(actor, usulan):
    """Upload every mandatory document of the usulan's JF (per usulan, and per instansi if missing)."""
    from apps.core import tenancy
    from apps.pengusulan.models import Dokumen

    with tenancy.scope(actor.instansi):
        for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True):
            if p.level == PersyaratanDokumen.Level.USULAN:
                services.dokumen_upload(
                    actor=actor, jf=usulan.jf, persyaratan=p, upload=pdf_upload(), usulan=usulan, **surat_pak(p)
                )
            elif not Dokumen.objects.filter(usulan__isnull=True, persyaratan=p).exists():
                services.dokumen_upload(actor=actor, jf=usulan.jf, persyaratan=p, upload=pdf_upload())


#: A pegawai as the API takes it.
PEGAWAI = {
    "nip": "19860926 201505 1 001",
    "nama": "Dewi Anggraini",
    "golongan": "III/c",
    "tmt_golongan": "2021-04-01",
    "pendidikan": "s1",
    "jabatan_saat_ini": "Analis",
    "is_pelaksana": True,
    "unit_kerja": "Biro KS",
    "pengalaman_bulan": 36,
    "predikat": {"2025": "baik", "2024": "baik"},
}


def workbook(rows: list[list]) -> SimpleUploadedFile:
    """An XLSX import file with the template's header and ``rows``."""
    import io

    from openpyxl import Workbook

    from apps.pengusulan import xlsx

    wb = Workbook()
    ws = wb.active
    ws.append([title for _key, title in xlsx.columns()])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("impor.xlsx", out.getvalue())


def row(nip="19860926 201505 1 001", nama="Dewi", **kw):
    """One row of an XLSX import, valid unless ``kw`` says otherwise."""
    values = {
        "tempat": "Bandung", "lahir": None, "jk": None, "gol": "III/c", "tmt": date(2021, 4, 1), "pend": "S1",
        "jabatan": "Analis", "pelaksana": "Ya", "unit": "Biro", "bulan": 36, "p1": "Baik", "p2": "Sangat Baik",
        "p3": None, "hukuman": "tidak ada", "tgl_hukuman": None,
    }  # fmt: skip
    values.update(kw)
    return [nip, nama, *values.values()]


def usulan_draf(make_pegawai, pic, jf, n: int, start: int = 0) -> None:
    """``n`` draft usulan of the PIC's instansi for ``jf``, each for a new pegawai (NIPs and
    names numbered from ``start``)."""
    for i in range(n):
        pegawai = make_pegawai(nip=f"19860926 2015051{start + i:03d}", nama=f"Pegawai {start + i}")
        with tenancy.scope(pic.instansi):
            services.usulan_create(actor=pic, pegawai=pegawai, jf=jf)
