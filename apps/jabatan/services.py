"""Writes of the holder's record and ledger: atomic, audited, in the caller's scope."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

import psycopg
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import audit, tenancy
from apps.core.format import format_ak, tgl
from apps.jabatan.bulan_ganda import bulan_berlaku
from apps.jabatan.domain import (
    PERIODE_PALING_AWAL,
    JenisMutasi,
    ak_konversi,
    bulan_periode,
    bulatkan,
    jumlah_bulan,
    nama_bulan,
)
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.referensi.models import Golongan, Jenjang, PersentasePredikat, PredikatChoices


class JabatanError(ValidationError):
    """A request the rules refuse; the message is for the user."""


@transaction.atomic
def mutasi_tambah(
    pejabat: PejabatFungsional,
    jenis: JenisMutasi | str,
    nilai: Decimal | int | str,
    *,
    oleh,
    periode_mulai: date | None = None,
    periode_selesai: date | None = None,
    predikat: str = "",
    persentase: Decimal | None = None,
    koefisien: Decimal | None = None,
    bulan: int | None = None,
    jenjang=None,
    rincian: dict | None = None,
    surat=None,
    mengoreksi: MutasiAK | None = None,
    keterangan: str = "",
    audit_entry: bool = True,
) -> MutasiAK:
    """Append one movement to the holder's ledger (never changes an existing row).

    ``nilai`` is signed: a correction that lowers the AK is a negative ``koreksi``. Refused with
    :class:`JabatanError` when the ledger already holds the same AK awal or konversi period."""
    jenis = JenisMutasi(jenis)
    nilai = Decimal(str(nilai))
    if jenis == JenisMutasi.KOREKSI and not keterangan.strip():
        raise JabatanError(_("Koreksi angka kredit wajib disertai keterangan."))
    if periode_mulai and periode_selesai and periode_selesai < periode_mulai:
        raise JabatanError(_("Akhir periode tidak boleh sebelum awal periode."))
    try:
        with transaction.atomic():
            mutasi = MutasiAK.objects.create(
                instansi_id=pejabat.instansi_id, pejabat=pejabat, jf_id=pejabat.jf_id,
                jenjang_id=getattr(jenjang, "pk", jenjang) or pejabat.jenjang_id, jenis=jenis.value, nilai=nilai,
                periode_mulai=periode_mulai, periode_selesai=periode_selesai, predikat=predikat or "",
                persentase=persentase, koefisien=koefisien, bulan=bulan, rincian=rincian or {}, surat=surat,
                mengoreksi=mengoreksi, dibuat_oleh=oleh if getattr(oleh, "is_authenticated", False) else None,
                keterangan=keterangan.strip(),
            )  # fmt: skip
    except IntegrityError:
        if jenis == JenisMutasi.AWAL:
            raise JabatanError(_("AK awal %(nama)s sudah tercatat.") % {"nama": pejabat.nama}) from None
        raise JabatanError(
            _(
                "Konversi %(nama)s untuk periode yang dimulai %(tgl)s sudah tercatat. Untuk mengubah predikatnya, "
                "buka Pejabat fungsional → %(nama)s dan pilih «Koreksi» pada baris konversi periode itu di buku "
                "angka kredit."
            )
            % {"nama": pejabat.nama, "tgl": tgl(periode_mulai) if periode_mulai else "-"}
        ) from None
    ak_tersimpan_segarkan([pejabat.pk], actor=oleh)
    if audit_entry:
        audit.record_objek(
            f"ak.{jenis.value}",
            pejabat,
            actor=oleh if getattr(oleh, "is_authenticated", False) else None,
            message=_("Mutasi AK %(jenis)s %(nilai)s untuk %(nama)s.")
            % {"jenis": mutasi.get_jenis_display(), "nilai": format_ak(nilai), "nama": pejabat.nama}
            + _predikat_diganti(mutasi.rincian),
            data={"mutasi": mutasi.pk, "nilai": str(nilai)},
        )
    return mutasi


def _predikat_diganti(rincian: dict) -> str:
    """The " Predikat A → B." of a corrected predikat (its audit entry says what it replaced)."""
    if not (rincian or {}).get("predikat_sebelum"):
        return ""
    label = dict(PredikatChoices.choices)
    a, b = rincian["predikat_sebelum"], rincian.get("predikat_sesudah", "")
    return " " + _("Predikat %(a)s → %(b)s.") % {"a": label.get(a, a), "b": label.get(b, b)}


def ak_tersimpan_segarkan(pejabat_ids, *, actor=None) -> None:
    """Every path that appends a movement to a ledger calls this: the AK figures stored elsewhere
    from the ledger (a decided usulan penetapan AK's ``ak_kumulatif``/``ak_syarat``) are recomputed
    from it (:func:`apps.penetapan.services.ak_usulan_segarkan`), so a correction never leaves them
    stale. The holder's own AK kumulatif is never stored: it is read from the ledger."""
    from apps.penetapan.services import ak_usulan_segarkan

    ak_usulan_segarkan(pejabat_ids, actor=actor)


def _tanggal(nilai) -> date | None:
    if not nilai:
        return None
    try:
        return date.fromisoformat(str(nilai))
    except ValueError:
        return None


def _rincian_awal(usulan, surat) -> dict:
    """The AK awal's breakdown and provenance, as the SK states it (seed 004: nilai tabel
    penyesuaian + AK Dasar), with whether each reference row was verified at the time."""
    tabel, dasar = usulan.ak_tabel_ref, usulan.ak_dasar_ref
    return {
        "sumber": "sk_inpassing",
        "usulan": usulan.nomor,
        "surat": surat.nomor if surat else None,
        "surat_id": surat.pk if surat else None,
        "nilai_tabel": None if usulan.ak_nilai_tabel is None else str(usulan.ak_nilai_tabel),
        "ak_dasar": None if usulan.ak_dasar is None else str(usulan.ak_dasar),
        "tabel_ref": usulan.ak_tabel_ref_id,
        "tabel_terverifikasi": bool(tabel and tabel.terverifikasi),
        "tabel_sumber": tabel.sumber if tabel else "",
        "ak_dasar_ref": usulan.ak_dasar_ref_id,
        "ak_dasar_terverifikasi": bool(dasar and dasar.terverifikasi),
        "ak_dasar_sumber": dasar.sumber if dasar else "",
        "masa_kerja_pangkat": usulan.masa_kerja_pangkat,
        "golongan": (usulan.data_pegawai or {}).get("golongan", ""),
        "pendidikan": (usulan.data_pegawai or {}).get("pendidikan", ""),
    }


def pesan_nip_aktif(nip: str) -> str:
    """The refusal of a second active record for one NIP (names no other instansi)."""
    return _(
        "NIP %(nip)s sudah tercatat sebagai pejabat fungsional aktif; satu NIP satu orang, hubungi "
        "instansi pembina bila pegawai ini pindah jabatan atau instansi"
    ) % {"nip": nip}


def nip_aktif_di_tempat_lain(nips: set[str], *, instansi_id: int, jf_id: int) -> set[str]:
    """The NIPs among ``nips`` already active holders in another instansi or another JF. A NIP is
    one person (issue 19 walk: one NIP was counted twice in the national recap); the database
    holds the same rule (``pejabat_nip_aktif_satu``, a unique index over every tenant). The answer
    names no other instansi (like the BSrE NIK rule, apps.ttd.pejabat._nik_dipakai)."""
    if not nips:
        return set()
    with tenancy.all_tenants(reason="a NIP is one person's across every instansi and JF"):
        return set(
            PejabatFungsional.objects.filter(nip__in=sorted(nips), aktif=True)
            .exclude(instansi_id=instansi_id, jf_id=jf_id)
            .values_list("nip", flat=True)
        )


def pejabat_dari_sk(usulan, *, surat_id: int | None, actor) -> PejabatFungsional:
    """ "SK terbit": the holder's record, and the ledger opened with the SK's AK awal.

    Idempotent: a second call for the same usulan returns the same record and adds nothing. A
    holder imported earlier under the same NIP and JF is linked to the usulan instead of
    duplicated, and keeps the AK awal already on the ledger."""
    from apps.surat.models import Surat

    with transaction.atomic():
        existing = PejabatFungsional.objects.select_for_update().filter(usulan_asal=usulan).first()
        if existing is not None:
            return existing
        surat = Surat.objects.filter(pk=surat_id).first() if surat_id else None
        data = usulan.data_pegawai or {}
        jenjang = usulan.jenjang
        golongan = Golongan.objects.filter(kode=data.get("golongan") or "").first()
        tmt = (surat.tmt or surat.tanggal) if surat else usulan.status_changed_at.date()
        pejabat = (
            PejabatFungsional.objects.select_for_update()
            .filter(instansi_id=usulan.instansi_id, nip=usulan.pegawai_nip, jf_id=usulan.jf_id)
            .first()
        )
        nilai = {
            "jenjang": jenjang, "pegawai_id": usulan.pegawai_id, "nama": usulan.pegawai_nama,
            "kelas_jabatan": jenjang.kelas_jabatan if jenjang else None, "tmt_jabatan": tmt,
            "golongan": golongan, "tmt_golongan": _tanggal(data.get("tmt_golongan")),
            "tanggal_lahir": _tanggal(data.get("tanggal_lahir")), "unit_kerja": data.get("unit_kerja") or "",
            "tempat_lahir": str(data.get("tempat_lahir") or "").strip()[:80],
            "usulan_asal": usulan, "sk_surat": surat, "aktif": True,
        }  # fmt: skip
        # One active record per NIP across every instansi and JF: refused with the import's
        # message (the PPK sees it when issuing the SK too, apps.surat.services.sk_terbitkan).
        if nip_aktif_di_tempat_lain({usulan.pegawai_nip}, instansi_id=usulan.instansi_id, jf_id=usulan.jf_id):
            raise JabatanError(pesan_nip_aktif(usulan.pegawai_nip))
        try:
            with transaction.atomic():  # a concurrent writer may win the unique index
                if pejabat is None:
                    pejabat = PejabatFungsional.objects.create(
                        instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, nip=usulan.pegawai_nip, sumber="sk",
                        **nilai,
                    )  # fmt: skip
                else:
                    for field, value in nilai.items():
                        setattr(pejabat, field, value)
                    pejabat.save()
        except IntegrityError:
            raise JabatanError(pesan_nip_aktif(usulan.pegawai_nip)) from None
        if not MutasiAK.objects.filter(pejabat=pejabat, jenis=JenisMutasi.AWAL).exists():
            ak = usulan.ak_awal
            mutasi_tambah(
                pejabat, JenisMutasi.AWAL, bulatkan(ak) if ak is not None else Decimal(0), oleh=actor,
                periode_mulai=tmt, jenjang=jenjang, rincian=_rincian_awal(usulan, surat), surat=surat,
                keterangan=_("AK awal dari SK %(n)s.") % {"n": surat.nomor} if surat else _("AK awal dari SK."),
                audit_entry=False,
            )  # fmt: skip
        audit.record_objek(
            "jabatan.dibuka",
            pejabat,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            message=_("Pejabat fungsional %(nama)s tercatat; buku angka kredit dibuka.") % {"nama": pejabat.nama},
            data={"usulan": usulan.pk, "surat": surat_id},
        )
    return pejabat


# --------------------------------------------------------------------------- a corrected SK


#: What rests on each fact the holder's record copied from the SK: a correction that changes the
#: fact is refused while the ledger holds such a movement (a ``koreksi`` of the AK awal is the
#: correction itself and rests on nothing).
_BERSANDAR = {
    # the koefisien of a konversi is the jenjang's; a PAK and a kenaikan sum the ledger
    "jenjang": {JenisMutasi.KONVERSI, JenisMutasi.PENETAPAN, JenisMutasi.KENAIKAN_PANGKAT,
                JenisMutasi.KENAIKAN_JENJANG},
    "golongan": {JenisMutasi.PENETAPAN, JenisMutasi.KENAIKAN_PANGKAT, JenisMutasi.KENAIKAN_JENJANG},
    "ak": {JenisMutasi.PENETAPAN, JenisMutasi.KENAIKAN_PANGKAT, JenisMutasi.KENAIKAN_JENJANG},
    # a konversi period that starts before the new TMT is checked apart (``_konversi_sebelum``)
    "tmt": {JenisMutasi.PENETAPAN, JenisMutasi.KENAIKAN_PANGKAT, JenisMutasi.KENAIKAN_JENJANG},
}  # fmt: skip


def label_fakta() -> dict:
    return {
        "tmt": _("TMT jabatan"),
        "jenjang": _("jenjang/kelas jabatan"),
        "golongan": _("pangkat/golongan dan TMT-nya"),
        "ak": _("AK awal"),
    }


def mutasi_teks(m: MutasiAK) -> str:
    if m.jenis == JenisMutasi.KONVERSI and m.periode_mulai:
        return _("konversi periode mulai %(t)s") % {"t": tgl(m.periode_mulai)}
    return _("%(jenis)s dicatat %(t)s") % {
        "jenis": m.get_jenis_display().lower(),
        "t": tgl(timezone.localtime(m.created_at).date()),
    }


def _awal_berlaku(mutasi: list[MutasiAK]) -> tuple[MutasiAK | None, Decimal, date | None]:
    """The opening row, the AK awal in force (the row plus its corrections) and the date it covers
    to (the latest SK correction's TMT, else the opening row's)."""
    awal = next((m for m in mutasi if m.jenis == JenisMutasi.AWAL), None)
    if awal is None:
        return None, Decimal(0), None
    koreksi = [m for m in mutasi if m.jenis == JenisMutasi.KOREKSI and m.mengoreksi_id == awal.pk]
    nilai = awal.nilai + sum((m.nilai for m in koreksi), Decimal(0))
    tanggal = awal.periode_selesai or awal.periode_mulai
    for m in sorted(koreksi, key=lambda m: m.pk):
        if (m.rincian or {}).get("sumber") == "koreksi_sk" and m.periode_mulai:
            tanggal = m.periode_mulai
    return awal, nilai, tanggal


@transaction.atomic
def pejabat_ikuti_koreksi_sk(*, surat, lama: dict, baru: dict, versi: int, actor, ip_address=None) -> list:
    """A corrected inpassing SK (``apps.surat.services.surat_koreksi``): each holder record it opened
    follows the facts the new version states wherever the correction changed them — TMT jabatan,
    jenjang and kelas jabatan, pangkat/golongan and its TMT, AK awal — in the correction's own
    transaction, so the record never states what the SK in force does not (also while the new
    version awaits its signature: it is the version in force, the public page shows it).

    The ledger keeps its history: a changed AK awal or TMT is a ``koreksi`` row of the opening row
    (the difference, and the new TMT as the date the AK awal covers to), never an edit of it. A
    change refused when movements already rest on the old fact (``_BERSANDAR``; a konversi period
    starting before a later TMT): :class:`JabatanError` with the holder, the fact and the movements,
    and nothing of the correction is kept. Audited per holder (before → after, letter and version).
    ``lama``/``baru``: the previous and new version's snapshot. Returns the records changed."""
    from apps.pengusulan.domain import Jenis
    from apps.pengusulan.models import Usulan

    baris_lama = {r.get("usulan"): r for r in lama.get("pegawai") or []}
    baris_baru = {r.get("usulan"): r for r in baru.get("pegawai") or []}
    usulan_ids = Usulan.objects.filter(surat_baris__surat=surat).exclude(jenis=Jenis.KENAIKAN_JENJANG).values("pk")
    pejabat_list = list(
        PejabatFungsional.objects.select_for_update(of=("self",))
        .filter(usulan_asal__in=usulan_ids, sk_surat=surat)
        .select_related("usulan_asal__jenjang", "jenjang", "golongan")
        .order_by("pk")
    )
    label, masalah, diubah = label_fakta(), [], []
    for pejabat in pejabat_list:
        usulan = pejabat.usulan_asal
        a, b = baris_lama.get(usulan.nomor) or {}, baris_baru.get(usulan.nomor) or {}
        data = usulan.data_pegawai or {}
        jenjang = usulan.jenjang
        golongan = Golongan.objects.filter(kode=data.get("golongan") or "").first()
        mutasi = list(MutasiAK.objects.filter(pejabat=pejabat).order_by("pk"))
        awal, ak_lama, awal_sampai = _awal_berlaku(mutasi)
        dari_sk_ini = awal is not None and awal.surat_id == surat.pk
        sesudah = {
            "tmt": surat.tmt or surat.tanggal,
            "jenjang": (jenjang, jenjang.kelas_jabatan if jenjang else None),
            "golongan": (golongan, _tanggal(data.get("tmt_golongan"))),
            "ak": bulatkan(usulan.ak_awal) if usulan.ak_awal is not None else Decimal(0),
        }
        sebelum = {
            "tmt": pejabat.tmt_jabatan,
            "jenjang": (pejabat.jenjang, pejabat.kelas_jabatan),
            "golongan": (pejabat.golongan, pejabat.tmt_golongan),
            "ak": ak_lama,
        }
        versi_beda = {
            "tmt": lama.get("tmt") != baru.get("tmt"),
            "jenjang": (a.get("jenjang"), a.get("kelas_jabatan")) != (b.get("jenjang"), b.get("kelas_jabatan")),
            "golongan": (a.get("golongan"), a.get("tmt_golongan")) != (b.get("golongan"), b.get("tmt_golongan")),
            "ak": a.get("ak_angka") != b.get("ak_angka"),
        }
        # A fact follows when this correction changed it and the record still differs (a
        # kenaikan pangkat/jenjang recorded since is not undone by a correction that left it be).
        berubah = [k for k in sebelum if versi_beda[k] and sebelum[k] != sesudah[k] and (k != "ak" or dari_sk_ini)]
        if not berubah:
            continue
        for k in berubah:
            dasar = [m for m in mutasi if m.jenis in _BERSANDAR[k]]
            if k == "tmt":
                dasar += [
                    m for m in mutasi
                    if m.jenis == JenisMutasi.KONVERSI and m.periode_mulai and m.periode_mulai < sesudah["tmt"]
                ]  # fmt: skip
            if dasar:
                masalah.append(
                    _(
                        "%(fakta)s %(nama)s (NIP %(nip)s) berubah, padahal buku angka kreditnya sudah memuat "
                        "%(mutasi)s yang dihitung dengan %(fakta_kecil)s lama"
                    )
                    % {
                        "fakta": label[k][:1].upper() + label[k][1:], "fakta_kecil": label[k],
                        "nama": pejabat.nama, "nip": pejabat.nip,
                        "mutasi": ", ".join(mutasi_teks(m) for m in sorted(set(dasar), key=lambda m: m.pk)),
                    }
                )  # fmt: skip
        if masalah:
            continue
        teks = _teks_fakta(sebelum, sesudah, berubah, label)
        if "tmt" in berubah:
            pejabat.tmt_jabatan = sesudah["tmt"]
        if "jenjang" in berubah:
            pejabat.jenjang, pejabat.kelas_jabatan = sesudah["jenjang"]
        if "golongan" in berubah:
            pejabat.golongan, pejabat.tmt_golongan = sesudah["golongan"]
        pejabat.save()
        koreksi = None
        if dari_sk_ini and ("ak" in berubah or ("tmt" in berubah and awal_sampai != sesudah["tmt"])):
            koreksi = mutasi_tambah(
                pejabat, JenisMutasi.KOREKSI, sesudah["ak"] - ak_lama, oleh=actor, periode_mulai=sesudah["tmt"],
                jenjang=pejabat.jenjang_id, surat=surat, mengoreksi=awal,
                rincian={"sumber": "koreksi_sk", "surat": surat.nomor, "surat_id": surat.pk, "versi": versi,
                         "ak_awal_sebelum": str(ak_lama), "ak_awal_sesudah": str(sesudah["ak"]),
                         "tmt_sebelum": sebelum["tmt"].isoformat(), "tmt_sesudah": sesudah["tmt"].isoformat()},
                keterangan=_("Koreksi SK %(n)s versi %(v)d: %(teks)s.") % {"n": surat.nomor, "v": versi, "teks": teks},
                audit_entry=False,
            )  # fmt: skip
        catat_ikut_koreksi_sk(
            pejabat,
            actor=actor,
            ip_address=ip_address,
            message=_("Catatan %(nama)s mengikuti SK %(n)s versi %(v)d (koreksi): %(teks)s.")
            % {"nama": pejabat.nama, "n": surat.nomor, "v": versi, "teks": teks},
            data={
                "surat": surat.pk, "versi": versi, "fakta": berubah, "mutasi": koreksi.pk if koreksi else None,
                "sebelum": _fakta_data(sebelum, berubah), "sesudah": _fakta_data(sesudah, berubah),
            },
        )  # fmt: skip
        diubah.append(pejabat)
    tolak_bila_bersandar(surat, masalah)
    return diubah


def catat_ikut_koreksi_sk(pejabat: PejabatFungsional, *, actor, ip_address, message: str, data: dict) -> None:
    """The audit entry of a holder record that followed a corrected SK (inpassing here, kenaikan
    jenjang in ``apps.jabatan.kenaikan.kenaikan_ikuti_koreksi_sk``): one per holder, before → after."""
    audit.record_objek(
        "jabatan.ikut_koreksi_sk",
        pejabat,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        ip_address=ip_address,
        message=message,
        data=data,
    )


def tolak_bila_bersandar(surat, masalah: list[str]) -> None:
    """The end of applying a corrected SK to the holder records (:func:`pejabat_ikuti_koreksi_sk`,
    ``apps.jabatan.kenaikan.kenaikan_ikuti_koreksi_sk``): when movements rest on a fact it changes
    (``masalah``, one sentence per holder and fact), :class:`JabatanError` naming them all, and the
    caller's transaction keeps nothing of the correction."""
    if not masalah:
        return
    kepala = _("Koreksi SK %(n)s tidak dapat diterapkan pada catatan pejabat fungsional") % {"n": surat.nomor}
    saran = _(
        "Buku angka kredit tidak diubah mundur; koreksi SK ini tanpa mengubah data tersebut, atau hubungi "
        "instansi pembina untuk menyesuaikan mutasi yang sudah tercatat lebih dahulu"
    )
    raise JabatanError([kepala, *masalah, saran])


def _nilai_teks(k: str, nilai) -> str:
    if k == "tmt":
        return tgl(nilai)
    if k == "ak":
        return format_ak(nilai)
    objek, tanggal = nilai
    if k == "jenjang":
        return f"{objek.nama if objek else '-'} (kelas {nilai[1] if nilai[1] is not None else '-'})"
    return f"{objek.kode if objek else '-'}, TMT {tgl(tanggal) if tanggal else '-'}"


def _teks_fakta(sebelum: dict, sesudah: dict, berubah: list[str], label: dict) -> str:
    return "; ".join(f"{label[k]} {_nilai_teks(k, sebelum[k])} → {_nilai_teks(k, sesudah[k])}" for k in berubah)


def _fakta_data(fakta: dict, berubah: list[str]) -> dict:
    out = {}
    for k in berubah:
        v = fakta[k]
        if k == "tmt":
            out[k] = v.isoformat() if v else None
        elif k == "ak":
            out[k] = str(v)
        else:
            objek, kedua = v
            out[k] = {
                "id": objek.pk if objek else None,
                "nilai": kedua.isoformat() if isinstance(kedua, date) else kedua,
            }
    return out


# --------------------------------------------------------------------------- konversi


@dataclass
class LaporanKonversi:
    """What a konversi batch did: rows appended, and per-item errors (tag, column, reason)."""

    dibuat: int = 0
    total_ak: Decimal = field(default_factory=Decimal)
    galat: list[tuple[object, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ItemKonversi:
    """One predikat to convert: the holder, the predikat and its period. ``tag`` names the item in
    error reports (the XLSX row number); ``jenjang_id`` overrides the holder's current jenjang (a
    year split over two jenjang is two items)."""

    pejabat_id: int
    predikat: str
    periode_mulai: date
    periode_selesai: date
    jenjang_id: int | None = None
    tag: object = None


class _Tarif:
    """Koefisien per jenjang and percentage per (JF, predikat), read once per batch."""

    def __init__(self):
        self._jenjang: dict[int, Jenjang] = {}
        self._persen: dict[tuple[int, str], PersentasePredikat | None] = {}
        self._rincian: dict[tuple, dict] = {}

    def jenjang(self, pk: int) -> Jenjang:
        if pk not in self._jenjang:
            self._jenjang[pk] = Jenjang.objects.get(pk=pk)
        return self._jenjang[pk]

    def persen(self, jf_id: int, predikat: str) -> PersentasePredikat | None:
        key = (jf_id, predikat)
        if key not in self._persen:
            self._persen[key] = PersentasePredikat.objects.filter(jf_id=jf_id, predikat=predikat).first()
        return self._persen[key]

    @functools.cache  # noqa: B019 - one _Tarif per batch
    def nilai(self, bulan: int, persen: Decimal, koefisien: Decimal) -> Decimal:
        return ak_konversi(bulan=bulan, persentase=persen, koefisien=koefisien)

    def rincian(self, bulan: int, jenjang: Jenjang, persen: PersentasePredikat) -> dict:
        """The provenance of a konversi: the formula and the reference rows with their flags (the
        same dict for the same combination; keyed by ids, hashing model instances is slow)."""
        key = (bulan, jenjang.pk, persen.pk)
        if key not in self._rincian:
            self._rincian[key] = self._rincian_baru(bulan, jenjang, persen)
        return self._rincian[key]

    @staticmethod
    def _rincian_baru(bulan: int, jenjang: Jenjang, persen: PersentasePredikat) -> dict:
        return {
            "rumus": f"{bulan}/12 × {persen.persen} % × {jenjang.koefisien_ak}",
            "jenjang": jenjang.nama,
            "koefisien_sumber": jenjang.ak_sumber,
            "koefisien_terverifikasi": jenjang.ak_terverifikasi,
            "persen_ref": persen.pk,
            "persen_sumber": persen.sumber,
            "persen_terverifikasi": persen.terverifikasi,
        }


def _periksa_periode(mulai: date, selesai: date, hari_ini: date | None = None) -> str | None:
    if selesai < mulai:
        return _("Akhir periode tidak boleh sebelum awal periode.")
    if mulai.year != selesai.year:
        return _("Satu periode predikat kinerja berada dalam satu tahun kalender; pisahkan per tahun.")
    hari_ini = hari_ini or timezone.localdate()
    if mulai < PERIODE_PALING_AWAL:
        return _(
            "Periode %(tahun)s di luar rentang yang dapat dikonversi (tahun %(awal)s sampai %(kini)s); periksa "
            "tahun yang diisi."
        ) % {"tahun": f"{mulai.year:04d}", "awal": PERIODE_PALING_AWAL.year, "kini": hari_ini.year}
    if mulai > hari_ini:
        return _("Periode belum dimulai.")
    if selesai > hari_ini:
        return _(
            "Periode belum berakhir (akhir periode %(selesai)s); predikat kinerja dicatat setelah periodenya selesai."
        ) % {"selesai": tgl(selesai)}
    return None


#: The predikat values, looked up once (``PredikatChoices.values`` builds a list on each access).
_PREDIKAT = frozenset(PredikatChoices.values)


class _Hitungan(NamedTuple):
    """One konversi row as computed (before it is written)."""

    pejabat_id: int
    jenjang_id: int
    nilai: Decimal
    bulan: int
    persen: Decimal
    koefisien: Decimal
    predikat: str
    mulai: date
    selesai: date
    rincian: dict


def _hitung(pejabat: dict, item: ItemKonversi, tarif: _Tarif, hari_ini: date) -> tuple[_Hitungan | None, str, str]:
    """The konversi of one item, or (None, column, reason)."""
    if item.predikat not in _PREDIKAT:
        return None, _("predikat"), _("predikat %(p)s tidak dikenal") % {"p": item.predikat or "-"}
    salah = _periksa_periode(item.periode_mulai, item.periode_selesai, hari_ini)
    if salah:
        return None, _("periode"), salah
    jenjang = tarif.jenjang(item.jenjang_id or pejabat["jenjang_id"])
    if jenjang.jf_id != pejabat["jf_id"]:
        return None, _("jenjang"), _("jenjang %(j)s bukan jenjang JF pejabat ini") % {"j": jenjang.nama}
    sekarang = tarif.jenjang(pejabat["jenjang_id"])
    if jenjang.urutan > sekarang.urutan:
        # A jenjang only rises: a past period cannot have been served in a jenjang above today's.
        return (
            None,
            _("jenjang"),
            _(
                "jenjang %(j)s lebih tinggi dari jenjang pejabat saat ini (%(k)s); jenjang pada suatu periode tidak "
                "dapat melebihi jenjang sekarang — periksa jenjang di baris ini atau data pejabatnya"
            )
            % {"j": jenjang.nama, "k": sekarang.nama},
        )
    tmt = pejabat.get("tmt_jabatan")
    if jenjang.urutan < sekarang.urutan and tmt is not None and item.periode_selesai >= tmt:
        # The holder serves in today's jenjang since its TMT: a period reaching that date was not
        # served in a lower one (a period across the TMT is entered as two rows, split on it).
        return (
            None,
            _("jenjang"),
            _(
                "pejabat ini menduduki jenjang %(k)s sejak TMT %(t)s; periode yang berakhir pada atau sesudah "
                "tanggal itu dikonversi dengan jenjang %(k)s, bukan %(j)s (pisahkan periode sebelum TMT bila "
                "perlu)"
            )
            % {"k": sekarang.nama, "t": tgl(tmt), "j": jenjang.nama},
        )
    persen = tarif.persen(pejabat["jf_id"], item.predikat)
    if persen is None:
        return None, _("predikat"), _("persentase predikat belum diatur untuk JF ini")
    bulan = jumlah_bulan(item.periode_mulai, item.periode_selesai)
    return (
        _Hitungan(
            pejabat["id"], jenjang.pk, tarif.nilai(bulan, persen.persen, jenjang.koefisien_ak), bulan, persen.persen,
            jenjang.koefisien_ak, item.predikat, item.periode_mulai, item.periode_selesai,
            tarif.rincian(bulan, jenjang, persen),
        ),
        "",
        "",
    )  # fmt: skip


def _baris_konversi(pejabat: dict, item: ItemKonversi, tarif: _Tarif, oleh_id) -> tuple[MutasiAK | None, str, str]:
    """The ledger row of one item, or (None, column, reason)."""
    h, kolom, alasan = _hitung(pejabat, item, tarif, timezone.localdate())
    if h is None:
        return None, kolom, alasan
    row = MutasiAK(
        instansi_id=pejabat["instansi_id"], pejabat_id=h.pejabat_id, jf_id=pejabat["jf_id"], jenjang_id=h.jenjang_id,
        jenis=JenisMutasi.KONVERSI.value, nilai=h.nilai, periode_mulai=h.mulai, periode_selesai=h.selesai,
        predikat=h.predikat, persentase=h.persen, koefisien=h.koefisien, bulan=h.bulan, rincian=h.rincian,
        dibuat_oleh_id=oleh_id,
    )  # fmt: skip
    return row, "", ""


# One chunk of konversi rows in one statement: the holders joined in the caller's scope (RLS too),
# a period overlapping one already converted skipped (and reported by its absence from RETURNING),
# a duplicate that a concurrent writer inserted first skipped by the unique index.
_SISIP_KONVERSI = """
INSERT INTO jabatan_mutasiak
    (instansi_id, pejabat_id, jf_id, jenjang_id, jenis, nilai, periode_mulai, periode_selesai, predikat,
     persentase, koefisien, bulan, rincian, keterangan, dibuat_oleh_id, created_at)
SELECT p.instansi_id, b.pejabat_id, p.jf_id, b.jenjang_id, 'konversi', b.nilai, b.mulai, b.selesai, b.predikat,
       b.persen, b.koef, b.bulan, (%(rincian)s::jsonb[])[b.ri], '', %(oleh)s, clock_timestamp()
FROM unnest(%(pid)s::bigint[], %(jid)s::bigint[], %(nilai)s::numeric[], %(mulai)s::date[], %(selesai)s::date[],
            %(predikat)s::text[], %(persen)s::numeric[], %(koef)s::numeric[], %(bulan)s::int[], %(ri)s::int[])
     AS b(pejabat_id, jenjang_id, nilai, mulai, selesai, predikat, persen, koef, bulan, ri)
JOIN jabatan_pejabatfungsional p ON p.id = b.pejabat_id AND {lingkup}
WHERE NOT EXISTS (
    SELECT 1 FROM jabatan_mutasiak m
    WHERE m.pejabat_id = b.pejabat_id AND m.jenis = 'konversi' AND m.periode_mulai <= b.selesai
      AND m.periode_selesai >= b.mulai
)
ON CONFLICT (pejabat_id, periode_mulai) WHERE jenis = 'konversi' DO NOTHING
RETURNING pejabat_id, periode_mulai, nilai
"""


def _tumpang_tindih(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _konversi_tercatat(connection, ids: set[int], items: list[ItemKonversi]) -> dict[int, list[tuple[date, date]]]:
    """The konversi periods already recorded for the chunk's holders in the calendar months the
    chunk's items touch (id → [(mulai, selesai)]): one indexed read per chunk, so the chunk's months
    already converted are known before its rows are computed (each month converted once)."""
    tanggal = [d for i in items for d in (i.periode_mulai, i.periode_selesai) if isinstance(d, date)]
    if not ids or not tanggal:
        return {}
    dari, sampai = min(tanggal), max(tanggal)
    sampai = date(sampai.year + 1, 1, 1) if sampai.month == 12 else date(sampai.year, sampai.month + 1, 1)
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            "SELECT pejabat_id, periode_mulai, periode_selesai FROM jabatan_mutasiak WHERE pejabat_id = ANY(%(ids)s) "
            "AND jenis = 'konversi' AND periode_selesai >= %(dari)s AND periode_mulai < %(sampai)s "
            "ORDER BY periode_mulai",
            {"ids": list(ids), "dari": dari.replace(day=1), "sampai": sampai},
        )
        hasil: dict[int, list[tuple[date, date]]] = {}
        for pid, mulai, selesai in cursor.fetchall():
            hasil.setdefault(pid, []).append((mulai, selesai))
        return hasil


def _bulan_terhitung(rentang: tuple[date, date], lain: list[tuple[date, date]]) -> dict[int, tuple[date, date]]:
    """The months of ``rentang`` another period of the holder (recorded, or earlier in the batch)
    already touches, each with that period: month number → (mulai, selesai)."""
    if not lain:
        return {}
    hasil = {}
    for bulan in bulan_periode(*rentang):
        for r in lain:
            if bulan in bulan_periode(*r):
                hasil[bulan] = r
                break
    return hasil


def _pesan_bulan_terhitung(terhitung: dict[int, tuple[date, date]]) -> str:
    return _(
        "bulan %(bulan)s sudah dihitung pada konversi periode %(lain)s pejabat ini; setiap bulan kalender "
        "dikonversi satu kali, sehingga periode ini tidak menyisakan bulan untuk dikonversi"
    ) % {
        "bulan": ", ".join(nama_bulan(b) for b in sorted(terhitung)),
        "lain": "; ".join(sorted({f"{tgl(m)} – {tgl(s)}" for m, s in terhitung.values()})),
    }


def _tanpa_bulan_terhitung(h: _Hitungan, terhitung: dict[int, tuple[date, date]], tarif: _Tarif) -> _Hitungan:
    """``h`` without the months another period already counted: bulan and nilai lowered, and the
    provenance names the months left out and the period that counted each."""
    bulan = h.bulan - len(terhitung)
    rincian = {
        **h.rincian,
        "rumus": f"{bulan}/12 × {h.persen} % × {h.koefisien}",
        "bulan_sudah_dihitung": [
            {"bulan": nama_bulan(b), "periode": [m.isoformat(), s.isoformat()]}
            for b, (m, s) in sorted(terhitung.items())
        ],
    }
    return h._replace(bulan=bulan, nilai=tarif.nilai(bulan, h.persen, h.koefisien), rincian=rincian)


def _pejabat_chunk(connection, ids: set[int], lingkup: str, params: dict) -> dict[int, dict]:
    """The chunk's holders visible in the scope (the manager's condition, and RLS): id →
    {id, instansi_id, jf_id, jenjang_id, tmt_jabatan, awal_sampai, awal_pak} (the date the AK awal
    covers to: the TMT of the latest SK correction that moved it, else the opening row's; awal_pak:
    that date is an imported pre-portal PAK's, ``_sebelum_ak_awal``). A trivial query
    through Django first, so that the backend has written the scope's settings for this transaction
    before the raw statements.

    The holders are locked first (:func:`_kunci_pejabat`), so the ledger read after this sees every
    konversi a concurrent writer committed for them."""
    with connection.cursor() as c:
        c.execute("SELECT 1")
    _kunci_pejabat(connection, ids, lingkup, params)
    sql = (
        "SELECT p.id, p.instansi_id, p.jf_id, p.jenjang_id, p.tmt_jabatan, COALESCE((SELECT k.periode_mulai FROM "
        "jabatan_mutasiak k JOIN jabatan_mutasiak a ON a.id = k.mengoreksi_id AND a.jenis = 'awal' WHERE "
        "k.pejabat_id = p.id AND k.jenis = 'koreksi' AND k.rincian->>'sumber' = 'koreksi_sk' AND k.periode_mulai "
        "IS NOT NULL ORDER BY k.id DESC LIMIT 1), (SELECT MAX(COALESCE(m.periode_selesai, m.periode_mulai)) FROM "
        "jabatan_mutasiak m WHERE m.pejabat_id = p.id AND m.jenis = 'awal')), EXISTS (SELECT 1 FROM "
        "jabatan_mutasiak m WHERE m.pejabat_id = p.id AND m.jenis = 'awal' AND m.rincian->>'tanggal_pak' IS NOT "
        "NULL) "
        f"FROM jabatan_pejabatfungsional p WHERE p.id = ANY(%(ids)s) AND {lingkup}"
    )
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, {**params, "ids": list(ids)})
        return {
            pid: {"id": pid, "instansi_id": i, "jf_id": jf, "jenjang_id": j, "tmt_jabatan": tmt, "awal_sampai": awal,
                  "awal_pak": pak}
            for pid, i, jf, j, tmt, awal, pak in cursor.fetchall()
        }  # fmt: skip


def _kunci_pejabat(connection, ids: set[int], lingkup: str, params: dict) -> None:
    """The per-holder lock of every path that appends konversi rows (here, and ``konversi_koreksi``
    and ``apps.jabatan.bulan_ganda`` through ``select_for_update``): ``SELECT … FOR UPDATE`` on the
    holder rows, in the caller's transaction, before the ledger is read. The month rule (each
    calendar month converted once) reads the ledger and then writes; without the lock two konversi
    of one holder running at once (two requests, a request and an import) both read a ledger
    without the other's period and both count the month they split (issue 19). The second waits
    here until the first commits; under READ COMMITTED its next statement sees the first's rows.
    In id order, so that two batches over the same holders queue rather than deadlock."""
    if not ids:
        return
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"SELECT p.id FROM jabatan_pejabatfungsional p WHERE p.id = ANY(%(ids)s) AND {lingkup} "
            "ORDER BY p.id FOR UPDATE OF p",
            {**params, "ids": sorted(ids)},
        )


def _sebelum_ak_awal(pejabat: dict, item: ItemKonversi) -> str:
    """A period that starts before the date the holder's AK awal covers (the inpassing SK's TMT,
    or the date of the pre-portal PAK an import carried over) is already counted in that AK: its
    predikat would count twice. The reason, or ""."""
    awal = pejabat.get("awal_sampai")
    if awal is None or item.periode_mulai is None:
        return ""
    if pejabat.get("awal_pak"):
        # An imported holder's AK awal is their last PAK before the portal: it counted the predikat
        # up to and including its date, so a period starts after it (issue 19, AK-awal boundary).
        if item.periode_mulai > awal:
            return ""
        return _(
            "periode mulai %(m)s sudah tercakup dalam PAK terakhir pejabat ini sebelum portal (angka kredit awal "
            "per tanggal %(t)s); predikat kinerja hanya dapat dikonversi untuk periode yang dimulai sesudah tanggal "
            "%(t)s"
        ) % {"m": tgl(item.periode_mulai), "t": tgl(awal)}
    if item.periode_mulai >= awal:
        return ""
    return _(
        "periode mulai %(m)s sudah tercakup dalam angka kredit awal pejabat ini (per tanggal %(t)s); "
        "predikat kinerja hanya dapat dikonversi untuk periode yang dimulai pada atau sesudah tanggal %(t)s"
    ) % {"m": tgl(item.periode_mulai), "t": tgl(awal)}


@transaction.atomic
def konversi_massal(items: Iterable[ItemKonversi], *, oleh, ukuran: int = 5000, audit_tag: str = "") -> LaporanKonversi:
    """Convert predikat into konversi rows, streamed: the items are read in chunks of ``ukuran``;
    per chunk one read of the holders and one ``INSERT … SELECT FROM unnest(…)`` (no model
    instances: 100,000 rows in bench/konversi_100k.py). Items the rules refuse (unknown predikat,
    period across a year or not yet begun, a period overlapping one already converted or another
    item of the batch, a holder outside the scope) are reported and left out; the others go in.

    Runs in the caller's transaction (the view's request, or the bench's)."""
    import json

    from django.db import connection

    from apps.jabatan.selectors import lingkup_sql

    laporan = LaporanKonversi()
    tarif = _Tarif()
    hari_ini = timezone.localdate()
    oleh_id = oleh.pk if getattr(oleh, "is_authenticated", False) else None
    lingkup, params = lingkup_sql("p")
    sql = _SISIP_KONVERSI.format(lingkup=lingkup)
    sudah = _(
        "periode ini sudah dikonversi (seluruhnya atau sebagian); untuk mengubah predikatnya buka Pejabat "
        "fungsional → nama pejabat dan pilih «Koreksi» pada baris konversi periode itu di buku angka kredit"
    )
    it = iter(items)
    while chunk := list(islice(it, ukuran)):
        pejabat = _pejabat_chunk(connection, {i.pejabat_id for i in chunk}, lingkup, params)
        # Periods already converted, then each accepted item's: a period overlapping one is refused;
        # a month another one touches (a split month) is not converted again.
        dalam_batch = _konversi_tercatat(connection, set(pejabat), chunk)
        baru: list[tuple[int, object, _Hitungan]] = []
        galat: list[tuple[int, tuple]] = []  # (position in the chunk, error): reported in input order
        for pos, item in enumerate(chunk):
            p = pejabat.get(item.pejabat_id)
            if p is None:
                galat.append((pos, (item.tag, _("pejabat"), _("pejabat fungsional tidak ditemukan di instansi Anda"))))
                continue
            h, kolom, alasan = _hitung(p, item, tarif, hari_ini)
            if h is None:
                galat.append((pos, (item.tag, kolom, alasan)))
                continue
            if alasan := _sebelum_ak_awal(p, item):
                galat.append((pos, (item.tag, _("periode"), alasan)))
                continue
            rentang = (h.mulai, h.selesai)
            lain = dalam_batch.get(h.pejabat_id, ())
            if any(_tumpang_tindih(rentang, r) for r in lain):
                galat.append((pos, (item.tag, _("periode"), sudah)))
                continue
            if terhitung := _bulan_terhitung(rentang, lain):
                if len(terhitung) >= h.bulan:
                    galat.append((pos, (item.tag, _("periode"), _pesan_bulan_terhitung(terhitung))))
                    continue
                h = _tanpa_bulan_terhitung(h, terhitung, tarif)
            dalam_batch.setdefault(h.pejabat_id, []).append(rentang)
            baru.append((pos, item.tag, h))
        if baru:
            kolom = {
                "pid": [h.pejabat_id for *_x, h in baru], "jid": [h.jenjang_id for *_x, h in baru],
                "nilai": [h.nilai for *_x, h in baru], "mulai": [h.mulai for *_x, h in baru],
                "selesai": [h.selesai for *_x, h in baru], "predikat": [h.predikat for *_x, h in baru],
                "persen": [h.persen for *_x, h in baru], "koef": [h.koefisien for *_x, h in baru],
                "bulan": [h.bulan for *_x, h in baru],
            }  # fmt: skip
            # The provenance is the same for every row of a (jenjang, predikat, months): sent once
            # each, and each row names its own by index (1-based, as SQL arrays are).
            # (``_Tarif.rincian`` returns the same dict for the same combination: keyed by identity.)
            nomor: dict[int, int] = {}
            teks: list[str] = []
            kolom["ri"] = []
            for *_x, h in baru:
                if id(h.rincian) not in nomor:
                    teks.append(json.dumps(h.rincian))
                    nomor[id(h.rincian)] = len(teks)
                kolom["ri"].append(nomor[id(h.rincian)])
            kolom["rincian"] = teks
            # Bound server-side (psycopg's plain Cursor): Django's client-side cursor would quote
            # ten arrays of ``ukuran`` values into the query text (a third of the time at 100,000
            # rows). The statement runs in the transaction the holders' read above opened, with
            # the scope's settings already applied (apps.core.db.backend), so RLS binds it too.
            with psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(sql, {**params, **kolom, "oleh": oleh_id})
                masuk = {(pid, mulai) for pid, mulai, _nilai in cursor.fetchall()}
            ak_tersimpan_segarkan({pid for pid, _mulai in masuk}, actor=oleh)
            for pos, tag, h in baru:
                if (h.pejabat_id, h.mulai) in masuk:
                    laporan.dibuat += 1
                    laporan.total_ak += h.nilai
                else:
                    galat.append((pos, (tag, _("periode"), sudah)))
        laporan.galat.extend(e for _pos, e in sorted(galat, key=lambda g: g[0]))
    if laporan.dibuat:
        active = tenancy.require()
        audit.record(
            "ak.konversi_massal", actor=oleh_id and oleh, instansi=active.instansi_id,
            message=_("%(n)d konversi predikat kinerja dicatat%(t)s.")
            % {"n": laporan.dibuat, "t": f" ({audit_tag})" if audit_tag else ""},
            data={"dibuat": laporan.dibuat, "galat": len(laporan.galat), "total_ak": str(laporan.total_ak)},
        )  # fmt: skip
    return laporan


@transaction.atomic
def konversi_catat(
    pejabat: PejabatFungsional, *, predikat: str, periode_mulai: date, periode_selesai: date, oleh, jenjang=None
) -> MutasiAK:
    """One holder's predikat for one period, converted and appended (the PIC's form)."""
    item = ItemKonversi(
        pejabat_id=pejabat.pk, predikat=predikat, periode_mulai=periode_mulai, periode_selesai=periode_selesai,
        jenjang_id=getattr(jenjang, "pk", jenjang),
    )  # fmt: skip
    laporan = konversi_massal([item], oleh=oleh, audit_tag=pejabat.nama)
    if laporan.galat:
        raise JabatanError({"__all__": [alasan for _t, _k, alasan in laporan.galat]})
    return MutasiAK.objects.filter(pejabat=pejabat, jenis=JenisMutasi.KONVERSI.value).latest("id")


@transaction.atomic
def konversi_koreksi(mutasi: MutasiAK, *, predikat: str, oleh, keterangan: str) -> MutasiAK:
    """A changed predikat for a period already converted: a ``koreksi`` row with the difference
    (new AK − AK recorded for the period so far), pointing at the konversi it corrects."""
    if mutasi.jenis != JenisMutasi.KONVERSI:
        raise JabatanError(_("Hanya konversi yang dapat dikoreksi dengan predikat baru."))
    if not keterangan.strip():
        raise JabatanError(_("Koreksi angka kredit wajib disertai keterangan."))
    pejabat = PejabatFungsional.objects.select_for_update().get(pk=mutasi.pejabat_id)
    p = {"id": pejabat.pk, "instansi_id": pejabat.instansi_id, "jf_id": pejabat.jf_id, "jenjang_id": mutasi.jenjang_id}
    item = ItemKonversi(pejabat.pk, predikat, mutasi.periode_mulai, mutasi.periode_selesai, mutasi.jenjang_id)
    tarif = _Tarif()
    row, _k, alasan = _baris_konversi(p, item, tarif, None)
    if row is None:
        raise JabatanError(alasan)
    koreksi = list(mutasi.koreksi.order_by("id"))
    bulan = bulan_berlaku(mutasi, koreksi)
    if bulan and row.bulan != bulan:
        # The period's split month was counted by another period (konversi_massal, or a month-count
        # correction of apps.jabatan.bulan_ganda): the new predikat applies to the months this row
        # counts, not to the whole span again.
        dihitung = next((k.rincian["bulan_sudah_dihitung"] for k in reversed(koreksi)
                         if (k.rincian or {}).get("bulan_sudah_dihitung")), None)  # fmt: skip
        row.bulan = bulan
        row.nilai = tarif.nilai(bulan, row.persentase, row.koefisien)
        row.rincian = {
            **row.rincian, "rumus": f"{bulan}/12 × {row.persentase} % × {row.koefisien}",
            "bulan_sudah_dihitung": dihitung or mutasi.rincian.get("bulan_sudah_dihitung", []),
        }  # fmt: skip
    sejauh = mutasi.nilai + sum((k.nilai for k in koreksi), Decimal(0))
    # A month-count correction states no predikat: the predikat in force is the last one stated.
    terakhir = next((k.predikat for k in sorted(koreksi, key=lambda k: (k.created_at, k.pk), reverse=True)
                     if k.predikat), None)  # fmt: skip
    if predikat == (terakhir or mutasi.predikat) or row.nilai == sejauh:
        # A 0 row would stay in the ledger for good (rows are never deleted): nothing to correct.
        raise JabatanError(
            _("Predikat sama dengan yang tercatat untuk periode ini (%(p)s, %(ak)s); tidak ada yang dikoreksi.")
            % {"p": row.get_predikat_display(), "ak": format_ak(sejauh)}
        )  # fmt: skip
    # The predikat it replaces stays in the row (and the konversi row is never changed): before → after.
    rincian = {
        **row.rincian, "sebelum": str(sejauh), "sesudah": str(row.nilai),
        "predikat_sebelum": terakhir or mutasi.predikat, "predikat_sesudah": predikat,
    }  # fmt: skip
    return mutasi_tambah(
        pejabat, JenisMutasi.KOREKSI, row.nilai - sejauh, oleh=oleh, periode_mulai=mutasi.periode_mulai,
        periode_selesai=mutasi.periode_selesai, predikat=predikat, persentase=row.persentase,
        koefisien=row.koefisien, bulan=row.bulan, jenjang=mutasi.jenjang_id, rincian=rincian, mengoreksi=mutasi,
        keterangan=keterangan,
    )  # fmt: skip


# --------------------------------------------------------------------------- imports (XLSX)


def _wajib_pic(actor) -> None:
    from apps.accounts.permissions import can_manage_pegawai

    if not can_manage_pegawai(actor):
        raise PermissionDenied


@transaction.atomic
def pejabat_impor(*, actor, berkas, jf, ip_address=None):
    """Holders who entered the JF before the portal, each with an ``awal`` row (their AK at the
    date of the last PAK). Caller: pic_instansi. Returns the report (``imported`` rows went in)."""
    from apps.jabatan import xlsx

    _wajib_pic(actor)
    report, good = xlsx.baca_pejabat(actor=actor, berkas=berkas, jf=jf)
    if not good:
        return report
    try:
        with transaction.atomic():
            created = PejabatFungsional.objects.bulk_create([b.pejabat for b in good])
    except IntegrityError:
        # The rows were checked (xlsx.baca_pejabat): a concurrent import or "SK terbit" of the same
        # NIP won the unique index in between. Nothing of this file is kept; it can be uploaded again.
        raise JabatanError(
            _(
                "Impor dibatalkan: sebagian NIP baru saja tercatat sebagai pejabat fungsional aktif oleh proses "
                "lain. Unggah ulang berkas ini; baris yang NIP-nya sudah tercatat akan dilaporkan."
            )
        ) from None
    # New holders: no usulan rests on their ledger yet (nothing for ak_tersimpan_segarkan).
    MutasiAK.objects.bulk_create(
        [
            MutasiAK(
                instansi_id=p.instansi_id, pejabat=p, jf_id=p.jf_id, jenjang_id=p.jenjang_id,
                jenis=JenisMutasi.AWAL.value, nilai=b.ak_awal, periode_mulai=b.tanggal_ak, dibuat_oleh=actor,
                rincian={"sumber": "impor_xlsx", "baris": b.nomor, "dasar": b.sumber_ak}
                | ({"tanggal_pak": b.tanggal_pak.isoformat()} if b.tanggal_pak else {}),
                keterangan=_("AK awal dari impor (%(d)s).") % {"d": b.sumber_ak} if b.sumber_ak
                else _("AK awal dari impor."),
            )
            for p, b in zip(created, good, strict=True)
        ]
    )  # fmt: skip
    audit.record_bulk(
        "jabatan.diimpor", created, actor=actor, jf=jf, ip_address=ip_address,
        message_for=lambda p: _("Pejabat fungsional %(nama)s diimpor dari XLSX.") % {"nama": p.nama},
    )  # fmt: skip
    report.imported = len(created)
    return report


@transaction.atomic
def predikat_impor(*, actor, berkas, jf, ip_address=None):
    """Predikat kinerja per holder and period from XLSX, converted into AK. Caller: pic_instansi."""
    from apps.jabatan import xlsx

    _wajib_pic(actor)
    report, items = xlsx.baca_predikat(berkas=berkas, jf=jf)
    if not items:
        return report
    laporan = konversi_massal(items, oleh=actor, audit_tag=_("impor XLSX"))
    report.errors.extend(laporan.galat)
    report.errors.sort(key=lambda e: e[0] or 0)
    report.imported = laporan.dibuat
    return report
