"""Data retention and the rights of the data subject (UU 27/2022 Pelindungan Data Pribadi).

The schedule is configuration (``settings.SIAKS_RETENSI``, days per data class, documented in
docs/operasi.md). :func:`jalankan` (beat, daily) anonymises or deletes what is due:

========================  ===============================================================
``draf``                  drafts never submitted: deleted with their documents and files
``usulan_ditolak``        finished without an SK (TMS, tidak lulus, dibatalkan): the
                          personal snapshot is anonymised, the portfolio files deleted; the
                          row stays for the statistics
``dokumen_selesai``       portfolio files of usulan whose SK was issued: deleted (the SK and
                          every other letter are kept)
``ekspor``                export files: deleted
``audit``                 audit entries: deleted
``login``                 login records (django-axes, ``auth.*`` audit entries): deleted
========================  ===============================================================

It never touches letters (``apps.surat``), and nothing under a legal hold
(``Pegawai.tahan_hukum`` / ``Usulan.tahan_hukum``) or hanging on it. A pegawai's data can be
exported on request (:func:`ekspor_pegawai`) and erased where the law allows
(:func:`hapus_pegawai`): not while an usulan is in progress, under a legal hold, or once a
letter (SK, rekomendasi, berita acara) was issued for it — those are state records the PPK and
the pembina must keep (UU PDP art. 15(1) and the archive rules). Every step is audited.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import audit, tenancy

logger = logging.getLogger(__name__)

KELAS = ("draf", "usulan_ditolak", "dokumen_selesai", "ekspor", "audit", "login")
ANONIM = "Dianonimkan"
DITOLAK = ("tidak_memenuhi_syarat", "tidak_lulus", "dibatalkan")
BATAS_ID_DICATAT = 500


def jadwal() -> dict[str, int]:
    """Days per data class (0 or less: never)."""
    configured = getattr(settings, "SIAKS_RETENSI", {})
    return {kelas: int(configured.get(kelas, 0)) for kelas in KELAS}


def _batas(hari: int):
    return timezone.now() - timedelta(days=hari) if hari > 0 else None


def _hapus_berkas(dokumen_qs) -> list[int]:
    """Delete the files of these documents and mark the rows; returns the ids."""
    ids = []
    for dokumen in dokumen_qs.filter(dihapus_at__isnull=True).only("pk", "berkas", "instansi_id", "jf_id"):
        if dokumen.berkas:
            dokumen.berkas.delete(save=False)
        type(dokumen).objects.filter(pk=dokumen.pk).update(berkas="", dihapus_at=timezone.now())
        ids.append(dokumen.pk)
    return ids


def _anonimkan_usulan(usulan) -> None:
    from apps.pengusulan.models import Usulan

    Usulan.objects.filter(pk=usulan.pk).update(
        pegawai_nama=ANONIM, pegawai_nip="", data_pegawai={}, eligibilitas=[], dianonimkan_at=timezone.now()
    )


def _bebas():
    """Usulan neither under a legal hold nor of a pegawai under one."""
    return Q(tahan_hukum=False, pegawai__tahan_hukum=False)


def _catat(kelas: str, ids: list, hari: int, *, actor=None) -> None:
    audit.record(
        f"retensi.{kelas}",
        actor=actor,
        message=_("Retensi data: %(n)s data kelas %(kelas)s diproses (lebih dari %(hari)s hari).")
        % {"n": len(ids), "kelas": kelas, "hari": hari},
        data={"jumlah": len(ids), "hari": hari, "id": [str(i) for i in ids[:BATAS_ID_DICATAT]]},
    )


def jalankan() -> dict[str, int]:
    """Apply the schedule once. Each class in its own transaction; returns counts per class."""
    hasil = {}
    with tenancy.all_tenants(reason="the retention schedule applies to every instansi"):
        for kelas, hari in jadwal().items():
            batas = _batas(hari)
            if batas is None:
                continue
            with transaction.atomic():
                ids = globals()[f"_retensi_{kelas}"](batas)
                if ids:
                    _catat(kelas, ids, hari)
            hasil[kelas] = len(ids)
    logger.info("retention: %s", hasil)
    return hasil


def _retensi_draf(batas) -> list:
    from apps.pengusulan.models import Dokumen, Usulan

    due = list(
        Usulan.objects.select_for_update(of=("self",))
        .filter(_bebas(), status="draft", diajukan_at__isnull=True, updated_at__lt=batas)
        .values_list("pk", flat=True)
    )
    if due:
        _hapus_berkas(Dokumen.objects.filter(usulan_id__in=due))
        Dokumen.objects.filter(usulan_id__in=due).delete()
        Usulan.objects.filter(pk__in=due).delete()
    return due


def _retensi_usulan_ditolak(batas) -> list:
    from apps.pengusulan.models import Dokumen, Usulan

    due = list(
        Usulan.objects.select_for_update(of=("self",)).filter(
            _bebas(), status__in=DITOLAK, status_changed_at__lt=batas, dianonimkan_at__isnull=True
        )
    )
    for usulan in due:
        _hapus_berkas(Dokumen.objects.filter(usulan=usulan))
        _anonimkan_usulan(usulan)
    return [u.pk for u in due]


def _retensi_dokumen_selesai(batas) -> list:
    from apps.pengusulan.models import Dokumen

    return _hapus_berkas(
        Dokumen.objects.filter(
            usulan__status="sk_terbit",
            usulan__status_changed_at__lt=batas,
            usulan__tahan_hukum=False,
            usulan__pegawai__tahan_hukum=False,
        )
    )


def _retensi_ekspor(batas) -> list:
    from apps.rekap.models import Ekspor

    ids = []
    for job in Ekspor.objects.filter(created_at__lt=batas):
        if job.berkas:
            job.berkas.delete(save=False)
        ids.append(job.pk)
        job.delete()
    return ids


def _audit_ditahan() -> Q:
    """Audit entries about an usulan or pegawai under a legal hold."""
    from apps.pengusulan.models import Pegawai, Usulan

    usulan = [
        str(pk)
        for pk in Usulan.objects.filter(Q(tahan_hukum=True) | Q(pegawai__tahan_hukum=True)).values_list("pk", flat=True)
    ]
    pegawai = [str(pk) for pk in Pegawai.objects.filter(tahan_hukum=True).values_list("pk", flat=True)]
    return Q(object_type="pengusulan.usulan", object_id__in=usulan) | Q(
        object_type="pengusulan.pegawai", object_id__in=pegawai
    )


def _retensi_audit(batas) -> list:
    from apps.core.models import AuditLog

    qs = AuditLog.objects.filter(created_at__lt=batas).exclude(action__startswith="auth.").exclude(_audit_ditahan())
    ids = list(qs.values_list("pk", flat=True))
    AuditLog.objects.filter(pk__in=ids).delete()
    return ids


def _retensi_login(batas) -> list:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from apps.core.models import AuditLog

    ids = list(AuditLog.objects.filter(created_at__lt=batas, action__startswith="auth.").values_list("pk", flat=True))
    AuditLog.objects.filter(pk__in=ids).delete()
    ids += [f"axes:{n}" for n in range(AccessLog.objects.filter(attempt_time__lt=batas).delete()[0])]
    AccessFailureLog.objects.filter(attempt_time__lt=batas).delete()
    AccessAttempt.objects.filter(attempt_time__lt=batas).delete()
    return ids


# --------------------------------------------------------------------------- the data subject's requests


def ekspor_pegawai(pegawai, *, actor=None) -> dict:
    """Everything siaks holds about one pegawai, as JSON-ready data (UU PDP art. 7 and 13)."""
    from apps.core.models import AuditLog
    from apps.pengusulan.models import Dokumen

    with tenancy.all_tenants(reason="a data subject's export covers every record about the pegawai"):
        usulan = list(pegawai.usulan.select_related("jf", "jenjang").order_by("created_at"))
        data = {
            "dibuat_pada": timezone.now().isoformat(),
            "pegawai": {
                f.name: _json(getattr(pegawai, f.attname))
                for f in pegawai._meta.concrete_fields
                if f.name not in {"id"}
            },
            "usulan": [
                {
                    "nomor": u.nomor,
                    "jf": u.jf.nama,
                    "jenjang": u.jenjang.nama if u.jenjang_id else None,
                    "status": u.status,
                    "dibuat": u.created_at.isoformat(),
                    "diajukan": u.diajukan_at.isoformat() if u.diajukan_at else None,
                    "data_pegawai": u.data_pegawai,
                    "dokumen": [
                        {
                            "nama": d.nama_asli,
                            "versi": d.versi,
                            "diunggah": d.created_at.isoformat(),
                            "dihapus": d.dihapus_at.isoformat() if d.dihapus_at else None,
                        }
                        for d in Dokumen.objects.filter(usulan=u).order_by("created_at")
                    ],
                    "surat": [s.surat.nomor for s in u.surat_baris.select_related("surat")],
                }
                for u in usulan
            ],
            "catatan_audit": [
                {"waktu": e.created_at.isoformat(), "aksi": e.action, "keterangan": e.message}
                for e in AuditLog.objects.filter(
                    Q(object_type="pengusulan.pegawai", object_id=str(pegawai.pk))
                    | Q(object_type="pengusulan.usulan", object_id__in=[str(u.pk) for u in usulan])
                ).order_by("created_at")
            ],
        }
        audit.record_objek(
            "pdp.ekspor", pegawai, actor=actor, message=_("Data pribadi pegawai diekspor atas permintaan.")
        )
    return data


def _json(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool, dict, list)):
        return value
    return str(value)


def hapus_pegawai(pegawai, *, actor=None) -> dict:
    """Erase a pegawai's personal data where the law allows; refuse (ValidationError, with the
    reasons) where it does not. Drafts are deleted, finished usulan anonymised, the pegawai
    record anonymised."""
    from apps.pengusulan.models import Pegawai, Usulan

    with tenancy.all_tenants(reason="erasure covers every record about the pegawai"), transaction.atomic():
        pegawai = Pegawai.objects.select_for_update().get(pk=pegawai.pk)
        usulan = list(Usulan.objects.select_for_update(of=("self",)).filter(pegawai=pegawai))
        alasan = []
        if pegawai.tahan_hukum or any(u.tahan_hukum for u in usulan):
            alasan.append(_("Data pegawai ini ditahan untuk keperluan hukum."))
        berjalan = [u.nomor for u in usulan if u.status not in {"draft", *DITOLAK, "sk_terbit"}]
        if berjalan:
            alasan.append(_("Usulan masih diproses: %(nomor)s.") % {"nomor": ", ".join(berjalan)})
        bersurat = [u.nomor for u in usulan if u.surat_baris.exists()]
        if bersurat:
            alasan.append(
                _("Surat resmi telah terbit untuk usulan %(nomor)s; arsipnya wajib disimpan.")
                % {"nomor": ", ".join(bersurat)}
            )
        if not alasan:
            return _hapus(pegawai, usulan, actor)
    # Outside the (rolled back) transaction: at once from a command, after the request's
    # rollback from a page (audit.record_denial).
    with tenancy.all_tenants(reason="erasure refusals are filed under the pegawai's instansi"):
        audit.record_denial(
            "pdp.hapus_ditolak",
            actor=actor,
            instansi=pegawai.instansi_id,
            obj=pegawai,
            message="; ".join(str(a) for a in alasan)[:500],
        )
    raise ValidationError(alasan)


def _hapus(pegawai, usulan, actor) -> dict:
    from apps.pengusulan.models import Dokumen, Pegawai, Usulan

    """Inside hapus_pegawai's transaction and scope."""
    draf = [u.pk for u in usulan if u.status == "draft" and u.diajukan_at is None]
    _hapus_berkas(Dokumen.objects.filter(usulan__pegawai=pegawai))
    Dokumen.objects.filter(usulan_id__in=draf).delete()
    Usulan.objects.filter(pk__in=draf).delete()
    for u in usulan:
        if u.pk not in draf:
            _anonimkan_usulan(u)
    Pegawai.objects.filter(pk=pegawai.pk).update(
        nama=ANONIM,
        nip=f"ANON{pegawai.pk:014d}"[-18:],
        tempat_lahir="",
        tanggal_lahir=None,
        jenis_kelamin="",
        tmt_cpns=None,
        jabatan_saat_ini="",
        unit_kerja="",
        predikat={},
        hukuman_disiplin=Pegawai._meta.get_field("hukuman_disiplin").default,
        tanggal_hukuman=None,
        dianonimkan_at=timezone.now(),
    )
    hasil = {"draf_dihapus": len(draf), "usulan_dianonimkan": len(usulan) - len(draf)}
    audit.record_objek(
        "pdp.dihapus", pegawai, actor=actor, message=_("Data pribadi pegawai dihapus atas permintaan."), data=hasil
    )
    return hasil


def tahan(obj, *, aktif: bool, alasan: str, actor=None) -> None:
    """Set or lift a legal hold on a Pegawai or an Usulan (superadmin), audited."""
    with tenancy.all_tenants(reason="a legal hold is set by the platform"), transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(tahan_hukum=aktif)
        audit.record(
            "pdp.tahan_hukum" if aktif else "pdp.tahan_hukum_dilepas",
            actor=actor,
            instansi=obj.instansi_id,
            obj=obj,
            message=alasan[:500],
        )
