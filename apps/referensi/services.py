"""Changes to reference data: each one locked, validated and written to the audit log with
who, when and what changed (before → after)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from apps.core import audit
from apps.referensi import permissions
from apps.referensi.models import (
    AKDasar,
    JabatanFungsional,
    NilaiPenyesuaianAK,
    PakPenandatangan,
    PersyaratanDokumen,
)

#: The per-usulan document a JF whose PAK the atasan langsung signs requires (Peraturan BKN 3/2023 as
#: its technical guide explains: the PAK signed by the atasan langsung, table value + AK Dasar, is
#: attached to the usulan — so it is signed before the SK).
DOKUMEN_PAK = {
    "kode": "dokumen_pak",
    "nama": "Penetapan angka kredit (PAK) yang ditandatangani atasan langsung",
    "deskripsi": (
        "Angka kredit dari tabel penyesuaian ditambah Angka Kredit Dasar, ditandatangani atasan langsung "
        "sebelum usulan diajukan (Peraturan BKN Nomor 3 Tahun 2023, panduan teknis BKN)."
    ),
}


def _jsonable(value):
    if isinstance(value, Decimal | date):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _apply(obj: models.Model, changes: dict) -> dict[str, list]:
    diff = {}
    for field, new in changes.items():
        old = getattr(obj, field)
        if old != new:
            diff[field] = [_jsonable(old), _jsonable(new)]
            setattr(obj, field, new)
    return diff


@transaction.atomic
def referensi_update(*, obj: models.Model, jf: JabatanFungsional, changes: dict, actor, ip_address=None) -> dict:
    """Update a JF or one of its rows (jenjang, dokumen, tahapan, kompetensi).

    Caller: the JF's admin pembina or the superadmin. Returns the diff (empty: nothing saved;
    for a new row, every value)."""
    if not permissions.can_edit_jf(actor, jf):
        raise PermissionDenied
    baru = obj.pk is None
    locked = type(obj).objects.select_for_update().get(pk=obj.pk) if obj.pk else obj
    diff = _apply(locked, changes)
    if baru:  # a new row (its form may have set the values already): every value is new
        diff = {field: [None, _jsonable(new)] for field, new in changes.items()}
    if not diff and not baru:
        return {}
    if "terverifikasi" in diff and hasattr(locked, "diverifikasi_oleh"):  # AK data rows: who confirmed, when
        locked.diverifikasi_oleh = actor if locked.terverifikasi else None
        locked.diverifikasi_pada = timezone.now() if locked.terverifikasi else None
    locked.full_clean()
    locked.save()
    if isinstance(locked, JabatanFungsional) and "pak_penandatangan" in diff:
        pak_dokumen_sesuaikan(locked)
    label = type(obj)._meta.model_name
    audit.record(
        f"referensi.{label}_{'dibuat' if baru else 'diubah'}",
        actor=actor,
        instansi=jf.instansi_pembina_id,
        obj=locked,
        message=f"{type(obj)._meta.verbose_name}: {locked}",
        data={"jf": jf.kode, "perubahan": diff},
        ip_address=ip_address,
    )
    obj.pk = locked.pk
    return diff


def pak_dokumen_sesuaikan(jf: JabatanFungsional) -> None:
    """Keep the JF's document list in step with who signs its PAK: when the atasan langsung signs it,
    the signed PAK is a mandatory per-usulan document; when the official who signs the SK does, the
    portal issues the PAK with the SK and the document (if listed) is optional. Rows are never deleted
    (uploaded documents point at them). Called by the loader and by ``referensi_update``."""
    wajib = jf.pak_penandatangan == PakPenandatangan.ATASAN_LANGSUNG
    row = PersyaratanDokumen.objects.filter(jf=jf, kode=DOKUMEN_PAK["kode"]).first()
    if row is None:
        if not wajib:
            return
        urutan = (PersyaratanDokumen.objects.filter(jf=jf).aggregate(m=models.Max("urutan"))["m"] or 0) + 1
        PersyaratanDokumen.objects.create(
            jf=jf, level=PersyaratanDokumen.Level.USULAN, wajib=True, urutan=urutan, **DOKUMEN_PAK
        )
        return
    if wajib:
        row.nama, row.deskripsi, row.wajib, row.level = (
            DOKUMEN_PAK["nama"], DOKUMEN_PAK["deskripsi"], True, PersyaratanDokumen.Level.USULAN,
        )  # fmt: skip
        row.save(update_fields=["nama", "deskripsi", "wajib", "level"])
    elif row.wajib:
        row.wajib = False
        row.save(update_fields=["wajib"])


def pesan_aturan_pak(jf: JabatanFungsional) -> str:
    """What a change of the JF's PAK signer does, said once where it is saved and agreeing with the
    usulan and SK pages: usulan submitted from now on follow the new rule; those already submitted
    whose SK is not issued keep the rule they were submitted under (one PAK each: the atasan's
    attached PAK, or the one issued with the SK — never both)."""
    from django.utils.translation import gettext as _

    from apps.pengusulan import services as pengusulan_services

    jf = JabatanFungsional.objects.get(pk=jf.pk)  # as saved
    lama = pengusulan_services.usulan_berjalan_aturan_pak_lain(jf)
    baru = (
        _("PAK kini ditandatangani atasan langsung dan diunggah sebagai dokumen wajib usulan, sebelum SK.")
        if jf.pak_penandatangan == PakPenandatangan.ATASAN_LANGSUNG
        else _("PAK kini diterbitkan bersama SK dan ditandatangani pejabat yang menetapkan SK, lebih dahulu dari SK.")
    )
    if not lama:
        return baru + " " + _("Aturan ini berlaku untuk usulan yang diajukan sesudah ini.")
    return (
        baru
        + " "
        + _(
            "Aturan ini berlaku untuk usulan yang diajukan sesudah ini. %(n)d usulan yang sudah diajukan tetap "
            "mengikuti aturan saat diajukan, sehingga setiap usulan tetap memiliki satu PAK; bila dikembalikan "
            "untuk perbaikan, usulan yang sudah melampirkan PAK atasan langsung tetap memakai PAK itu."
        )
        % {"n": lama}
    )


def ak_baris_jenis(row) -> str:
    """Which AK table a row belongs to, as pages and timelines name it."""
    from django.utils.translation import gettext as _

    return _("tabel penyesuaian") if isinstance(row, NilaiPenyesuaianAK) else _("AK Dasar")


def ak_baris_label(row) -> str:
    """The row without its value: "tabel penyesuaian III/c, masa kerja 4 tahun, Sarjana (S1) / Diploma IV"."""
    from django.utils.translation import gettext as _

    if isinstance(row, NilaiPenyesuaianAK):
        masa = _("kurang dari 1 tahun") if row.masa_kerja == 0 else _("%d tahun") % row.masa_kerja
        return _("tabel penyesuaian %(gol)s, masa kerja %(mk)s, %(pend)s") % {
            "gol": row.golongan.kode, "mk": masa, "pend": row.get_pendidikan_display(),
        }  # fmt: skip
    return _("AK Dasar %(gol)s") % {"gol": row.golongan.kode}


def ak_keadaan(nilai, terverifikasi: bool) -> str:
    """A row's value with its verification state: "75 (belum terverifikasi)"."""
    from django.utils.translation import gettext as _

    from apps.core.format import format_ak

    status = _("terverifikasi") if terverifikasi else _("belum terverifikasi")
    return f"{format_ak(nilai)} ({status})"


@transaction.atomic
def ak_row_update(
    *, row: NilaiPenyesuaianAK | AKDasar, nilai: Decimal, terverifikasi: bool, actor, ip_address=None
) -> dict:
    """Correct and/or confirm a row of a JF's AK tables, then recompute the AK awal of that JF's
    usulan not yet issued that rest on it (no other JF's rows or usulan are touched). Caller: the
    row's JF's admin pembina, or the superadmin."""
    locked = type(row).objects.select_for_update().select_related("jf", "golongan").get(pk=row.pk)
    if not permissions.can_edit_ak_tables(actor, locked.jf):
        raise PermissionDenied
    sebelum = {"nilai": _jsonable(locked.nilai), "terverifikasi": locked.terverifikasi}
    teks_sebelum = ak_keadaan(locked.nilai, locked.terverifikasi)
    diff = _apply(locked, {"nilai": nilai, "terverifikasi": terverifikasi})
    if not diff:
        return {}
    if terverifikasi:
        locked.diverifikasi_oleh = actor
        locked.diverifikasi_pada = timezone.now()
    else:
        locked.diverifikasi_oleh = None
        locked.diverifikasi_pada = None
    locked.full_clean()
    locked.save()
    sesudah = {"nilai": _jsonable(locked.nilai), "terverifikasi": locked.terverifikasi}
    perubahan = f"{teks_sebelum} → {ak_keadaan(locked.nilai, locked.terverifikasi)}"
    audit.record(
        "referensi.ak_diubah",
        actor=actor,
        instansi=locked.jf.instansi_pembina_id,
        jf=locked.jf_id,
        obj=locked,
        message=f"{ak_baris_label(locked)}: {perubahan}",
        data={"jf": locked.jf.kode, "baris": str(locked), "perubahan": diff, "sebelum": sebelum, "sesudah": sesudah},
        ip_address=ip_address,
    )
    # The usulan built on the row are pengusulan's to write (its service recomputes and audits them).
    from apps.pengusulan.services import usulan_ak_hitung_ulang

    usulan_ak_hitung_ulang(row=locked, diff=diff, sebelum=teks_sebelum, actor=actor, ip_address=ip_address)
    return diff
