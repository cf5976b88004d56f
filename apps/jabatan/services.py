"""Writes of the holder's record and ledger: atomic, audited, in the caller's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.core import audit
from apps.jabatan.domain import JenisMutasi, bulatkan
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.referensi.models import Golongan


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
            _("Konversi %(nama)s untuk periode yang dimulai %(tgl)s sudah tercatat; gunakan koreksi.")
            % {"nama": pejabat.nama, "tgl": periode_mulai.strftime("%d-%m-%Y") if periode_mulai else "-"}
        ) from None
    if audit_entry:
        audit.record(
            f"ak.{jenis.value}", actor=oleh if getattr(oleh, "is_authenticated", False) else None,
            instansi=pejabat.instansi_id, jf=pejabat.jf_id, obj=pejabat,
            message=_("Mutasi AK %(jenis)s %(nilai)s untuk %(nama)s.")
            % {"jenis": mutasi.get_jenis_display(), "nilai": nilai, "nama": pejabat.nama},
            data={"mutasi": mutasi.pk, "nilai": str(nilai)},
        )  # fmt: skip
    return mutasi


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
            "usulan_asal": usulan, "sk_surat": surat, "aktif": True,
        }  # fmt: skip
        if pejabat is None:
            pejabat = PejabatFungsional.objects.create(
                instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, nip=usulan.pegawai_nip, sumber="sk", **nilai
            )
        else:
            for field, value in nilai.items():
                setattr(pejabat, field, value)
            pejabat.save()
        if not MutasiAK.objects.filter(pejabat=pejabat, jenis=JenisMutasi.AWAL).exists():
            ak = usulan.ak_awal
            mutasi_tambah(
                pejabat, JenisMutasi.AWAL, bulatkan(ak) if ak is not None else Decimal(0), oleh=actor,
                periode_mulai=tmt, jenjang=jenjang, rincian=_rincian_awal(usulan, surat), surat=surat,
                keterangan=_("AK awal dari SK %(n)s.") % {"n": surat.nomor} if surat else _("AK awal dari SK."),
                audit_entry=False,
            )  # fmt: skip
        audit.record(
            "jabatan.dibuka", actor=actor if getattr(actor, "is_authenticated", False) else None,
            instansi=pejabat.instansi_id, jf=pejabat.jf_id, obj=pejabat,
            message=_("Pejabat fungsional %(nama)s tercatat; buku angka kredit dibuka.") % {"nama": pejabat.nama},
            data={"usulan": usulan.pk, "surat": surat_id},
        )  # fmt: skip
    return pejabat
