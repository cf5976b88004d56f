"""Load the reference data shipped in ``apps/referensi/data`` — only what is missing.

Rows that exist are left alone, so corrections made by an admin pembina survive every run
(``make run`` loads on each start). The data files cite their sources."""

from __future__ import annotations

import copy
import functools
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from apps.core.models import Instansi
from apps.referensi.models import (
    AKDasar,
    Golongan,
    JabatanFungsional,
    Jenjang,
    Kompetensi,
    NilaiPenyesuaianAK,
    PersentasePredikat,
    PersyaratanDokumen,
    Tahapan,
)

DATA = Path(__file__).resolve().parent / "data"
JF_FILES = ["jf_aks.yaml", "jf_pengantar_kerja.yaml", "jf_analis_kebijakan.yaml"]
JF_FIELDS = [
    "nama", "kategori", "unit_pembina", "deskripsi", "dasar_hukum", "jendela_buka", "jendela_tutup",
    "usia_maks", "sumber_usia", "pengalaman_min_tahun", "sumber_pengalaman", "predikat_min",
    "predikat_tahun", "sumber_kinerja", "disiplin_tahun", "sumber_disiplin", "ekstensi_berkas", "ukuran_berkas_maks",
]  # fmt: skip
#: Fields a data file may leave out (model default).
JF_FIELDS_OPSIONAL = [
    "peraturan", "periksa_peraturan", "sistem_informasi", "pak_penandatangan", "pejabat_boleh_mengajukan_ak",
    "tembusan_pak", "sumber_tembusan_pak",
]  # fmt: skip


#: Where the koefisien and AK kumulatif of a jenjang come from, unless its data file says (domain.md §4).
SUMBER_AK_JENJANG = (
    "PermenPANRB 1/2023 dan PerBKN 3/2023 (domain.md §4): koefisien Ahli Pertama dan Ahli Muda [V], "
    "lainnya dan AK kumulatif [V2] — periksa"
)


def read(name: str):
    """The parsed data file: parsed once per process and version of the file (libyaml where
    installed), a fresh copy for each caller (``make run`` and every test load the reference data)."""
    path = DATA / name
    return copy.deepcopy(_parsed(str(path), path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=32)
def _parsed(path: str, _stamp: int):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader (C or Python)


@transaction.atomic
def load_all() -> dict[str, int]:
    """Create missing golongan, AK tables and JFs (with their jenjang, documents, stages and
    competency standard). Returns counts of rows created."""
    created = {"golongan": 0, "ak": 0, "jf": 0}
    have = set(Golongan.objects.values_list("kode", flat=True))
    missing = [Golongan(**row) for row in read("golongan.yaml") if row["kode"] not in have]
    created["golongan"] = len(Golongan.objects.bulk_create(missing))
    golongan = {g.kode: g for g in Golongan.objects.all()}

    umum = read("dokumen_umum.yaml")
    for name in JF_FILES:
        created["jf"] += _load_jf(read(name), golongan, umum)
    created["ak"] += _load_ak_tables(golongan)
    created["ak"] += _load_persentase_predikat()
    return created


def _load_ak_tables(golongan: dict[str, Golongan]) -> int:
    """AK Dasar and the penyesuaian table for every JF that lacks a row: each JF owns its rows (its
    admin pembina confirms and corrects them), unverified unless the data file says otherwise."""
    dasar_spec = read("ak_dasar.yaml")
    tabel = read("penyesuaian_ak.yaml")
    have_dasar = set(AKDasar.objects.values_list("jf_id", "golongan__kode"))
    have_tabel = set(NilaiPenyesuaianAK.objects.values_list("jf_id", "golongan__kode", "masa_kerja", "pendidikan"))
    dasar, rows = [], []
    for jf in JabatanFungsional.objects.order_by("pk"):
        dasar += [
            AKDasar(
                jf=jf,
                golongan=golongan[row["golongan"]],
                nilai=Decimal(row["nilai"]),
                terverifikasi=row["terverifikasi"],
                sumber=row.get("sumber", "Nilai sementara; periksa PerBKN 3/2023"),
            )
            for row in dasar_spec
            if (jf.pk, row["golongan"]) not in have_dasar
        ]
        rows += [
            NilaiPenyesuaianAK(
                jf=jf,
                golongan=golongan[kode],
                masa_kerja=masa_kerja,
                pendidikan=pendidikan,
                nilai=Decimal(koef) * masa_kerja,
                sumber=tabel["sumber"],
            )
            for kode, koef in tabel["koefisien_per_golongan"].items()
            for pendidikan in tabel["pendidikan"]
            for masa_kerja in range(5)
            if (jf.pk, kode, masa_kerja, pendidikan) not in have_tabel
        ]
    return len(AKDasar.objects.bulk_create(dasar)) + len(NilaiPenyesuaianAK.objects.bulk_create(rows))


def _load_persentase_predikat() -> int:
    """The predikat → percentage table for every JF that lacks a row (domain.md §4 [V2]):
    unverified, with its source, until the JF's admin pembina confirms it."""
    from apps.referensi.domain import PREDIKAT_PERSEN, SUMBER_PREDIKAT

    have = set(PersentasePredikat.objects.values_list("jf_id", "predikat"))
    rows = [
        PersentasePredikat(jf=jf, predikat=predikat.value, persen=persen, sumber=SUMBER_PREDIKAT)
        for jf in JabatanFungsional.objects.all()
        for predikat, persen in PREDIKAT_PERSEN.items()
        if (jf.pk, predikat.value) not in have
    ]
    return len(PersentasePredikat.objects.bulk_create(rows))


def _load_jf(spec: dict, golongan: dict[str, Golongan], umum: dict) -> int:
    ref = spec["instansi_pembina"]
    pembina, _ = Instansi.objects.get_or_create(
        kode=ref["kode"], defaults={"nama": ref["nama"], "jenis": ref["jenis"], "is_pembina": True}
    )
    jf, new = JabatanFungsional.objects.get_or_create(
        kode=spec["kode"],
        defaults={
            **{f: spec[f] for f in JF_FIELDS},
            **{f: spec[f] for f in JF_FIELDS_OPSIONAL if f in spec},
            "instansi_pembina": pembina,
        },
    )
    if not new:
        return 0
    # In bulk (a few inserts per JF, not one per row): ``make run`` and every test load this.
    Tahapan.objects.bulk_create([Tahapan(jf=jf, urutan=i, **tahap) for i, tahap in enumerate(spec["tahapan"])])
    standar = read(spec["standar"]) if spec.get("standar") else None
    persyaratan = read(spec["persyaratan"]) if spec.get("persyaratan") else None
    jenjang_list = []
    for row in spec["jenjang"]:
        jenjang = Jenjang(
            jf=jf,
            kode=row["kode"],
            nama=row["nama"],
            urutan=row["urutan"],
            golongan_min=golongan[row["golongan_min"]],
            golongan_maks=golongan[row["golongan_maks"]],
            kelas_jabatan=row["kelas_jabatan"],
            koefisien_ak=Decimal(row["koefisien_ak"]),
            ak_kumulatif_pangkat=Decimal(row["ak_kumulatif_pangkat"]),
            ak_kumulatif_jenjang=None if row["ak_kumulatif_jenjang"] is None else Decimal(row["ak_kumulatif_jenjang"]),
            pendidikan_min=row["pendidikan_min"],
            batas_usia_pensiun=row["batas_usia_pensiun"],
            catatan_sumber=spec.get("catatan_sumber_jenjang", ""),
            ak_sumber=row.get("ak_sumber") or SUMBER_AK_JENJANG,
        )
        if standar and row["kode"] in standar["jenjang"]:
            jenjang.ikhtisar = standar["jenjang"][row["kode"]]["ikhtisar"]
        if persyaratan and row["kode"] in persyaratan["jenjang"]:
            jenjang.persyaratan = persyaratan_jenjang(persyaratan, row["kode"])
        jenjang_list.append(jenjang)
    Jenjang.objects.bulk_create(jenjang_list)
    kompetensi = []
    for jenjang in jenjang_list:
        if standar and jenjang.kode in standar["jenjang"]:
            kompetensi += _standar(jenjang, standar, standar["jenjang"][jenjang.kode])
    Kompetensi.objects.bulk_create(kompetensi)
    urutan, dokumen = 0, []
    for level, wajib, rows in (
        (
            PersyaratanDokumen.Level.USULAN,
            True,
            umum["usulan_wajib"] + spec.get("dokumen_tambahan_wajib", []),
        ),
        (PersyaratanDokumen.Level.USULAN, False, umum["usulan_opsional"] + spec.get("dokumen_tambahan_opsional", [])),
        (PersyaratanDokumen.Level.INSTANSI, True, umum["instansi"]),
    ):
        for row in rows:
            urutan += 1
            dokumen.append(PersyaratanDokumen(jf=jf, level=level, wajib=wajib, urutan=urutan, **row))
    # The kenaikan jenjang's own per-usulan list (seeds 001 and 004), not the inpassing's.
    for wajib, rows in ((True, umum["kenaikan_jenjang_wajib"]), (False, umum["kenaikan_jenjang_opsional"])):
        for row in rows:
            urutan += 1
            dokumen.append(
                PersyaratanDokumen(
                    jf=jf, level=PersyaratanDokumen.Level.USULAN, wajib=wajib, urutan=urutan,
                    jenis_usulan=PersyaratanDokumen.JenisUsulan.KENAIKAN_JENJANG, **row,
                )
            )  # fmt: skip
    PersyaratanDokumen.objects.bulk_create(dokumen)
    from apps.referensi.services import pak_dokumen_sesuaikan

    pak_dokumen_sesuaikan(jf)
    return 1


def persyaratan_jenjang(data: dict, kode: str) -> dict:
    """One jenjang's persyaratan jabatan with the file's source and its note on unread ticks."""
    return {**data["jenjang"][kode], "sumber": data["sumber"], "catatan_tingkat": data.get("catatan_tingkat", "")}


def teks_manajerial(standar: dict, spec: dict, ref: str, level: int) -> dict:
    """The text of a managerial/sosial kultural competency at a level: the shared text of the
    lampiran, unless the jenjang's own text differs in the source (``teks_khusus``, transcribed as is
    with its doubt noted)."""
    own = (spec.get("teks_khusus") or {}).get(ref)
    if own:
        return {"deskripsi": own["deskripsi"], "indikator": own["indikator"], "catatan": own.get("catatan", "")}
    text = standar["perilaku"][ref][level]
    return {"deskripsi": text["deskripsi"], "indikator": text["indikator"], "catatan": ""}


def _standar(jenjang: Jenjang, standar: dict, spec: dict) -> list[Kompetensi]:
    """The jenjang's competency standard rows, numbered, to be inserted."""
    rows = []
    for jenis, refs in (
        (Kompetensi.Jenis.MANAJERIAL, spec["manajerial"]),
        (Kompetensi.Jenis.SOSIAL_KULTURAL, spec["sosial_kultural"]),
    ):
        for ref, level in refs.items():
            rows.append(
                Kompetensi(
                    jenjang=jenjang,
                    jenis=jenis,
                    nama=standar["perilaku"][ref]["nama"],
                    level=level,
                    **teks_manajerial(standar, spec, ref, level),
                )
            )
    rows += [Kompetensi(jenjang=jenjang, jenis=Kompetensi.Jenis.TEKNIS, **row) for row in spec["teknis"]]
    for nomor, row in enumerate(rows, start=1):
        row.nomor = nomor
    return rows
