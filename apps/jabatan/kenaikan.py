"""Kenaikan jenjang (issue 19, item 6; seed 004 "Promosi": uji kompetensi, the Tim Penilai
Kinerja's consideration, rekomendasi, SK).

A holder whose AK kumulatif meets their jenjang's threshold for the next jenjang is proposed by
the PIC. The proposal is an ordinary :class:`apps.pengusulan.models.Usulan` of ``jenis``
``kenaikan_jenjang`` linked to the holder, with the next jenjang as its jenjang: verifikasi, the
Tim Penilai's scoring against that jenjang's competency standard, the sidang, the rekomendasi and
the SK run unchanged. At "SK terbit" (the workflow's effect ``jabatan.buka_catatan``) the ledger
gets a ``kenaikan_jenjang`` row and the record takes the new jenjang, kelas jabatan and TMT.

The ledger row spends the threshold the step used, as a negative value (the AK above it carries
over to the new jenjang; ``apps.jabatan.domain.TANPA_UNTUK_PANGKAT``: it does not lower the total
toward the next pangkat). The seeds do not state the carry-over; it is marked unverified in the
row's ``rincian`` and in docs/panduan-angka-kredit.md."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import audit
from apps.core.format import format_ak
from apps.jabatan.domain import JenisMutasi, bulatkan
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.referensi.models import Jenjang


def jenjang_berikut(pejabat: PejabatFungsional) -> Jenjang | None:
    """The JF's next jenjang above the holder's, or None at the top."""
    return Jenjang.objects.filter(jf_id=pejabat.jf_id, urutan__gt=pejabat.jenjang.urutan).order_by("urutan").first()


def cek_kenaikan_jenjang(pejabat: PejabatFungsional | None, tujuan: Jenjang | None) -> list[str]:
    """Why the holder cannot be proposed for ``tujuan`` now (empty: they can)."""
    from apps.jabatan.selectors import ambang as ambang_dari

    if pejabat is None:
        return [_("Usulan kenaikan jenjang ini tidak terhubung dengan data pejabat fungsional.")]
    if not pejabat.aktif:
        return [_("%(nama)s tidak lagi aktif dalam jabatan fungsional ini.") % {"nama": pejabat.nama}]
    berikut = jenjang_berikut(pejabat)
    if berikut is None:
        return [
            _("%(nama)s sudah berada pada jenjang tertinggi (%(j)s); tidak ada kenaikan jenjang.")
            % {"nama": pejabat.nama, "j": pejabat.jenjang.nama}
        ]
    if tujuan is not None and tujuan.pk != berikut.pk:
        return [_("Kenaikan jenjang hanya ke jenjang berikutnya (%(j)s).") % {"j": berikut.nama}]
    ambang = pejabat.jenjang.ak_kumulatif_jenjang
    if ambang is None:
        return [
            _("Ambang AK kumulatif kenaikan jenjang untuk jenjang %(j)s belum diisi pada data JF.")
            % {"j": pejabat.jenjang.nama}
        ]
    kumulatif = ambang_dari(pejabat).ak_jenjang  # the total that counts toward the next jenjang
    if kumulatif < ambang:
        return [
            _(
                "AK kumulatif %(nama)s %(ak)s belum memenuhi ambang kenaikan jenjang ke %(j)s (%(ambang)s); "
                "masih kurang %(kurang)s."
            )
            % {
                "nama": pejabat.nama,
                "ak": format_ak(kumulatif),
                "j": berikut.nama,
                "ambang": format_ak(ambang),
                "kurang": format_ak(ambang - kumulatif),
            }
        ]
    return []


def _pegawai_untuk(pejabat: PejabatFungsional, actor):
    """The pegawai row the usulan hangs on: the holder's own, one of the instansi with the same NIP,
    or (an imported holder) a new one from the record's data."""
    from apps.pengusulan.models import Pegawai

    if pejabat.pegawai_id:
        return pejabat.pegawai
    pegawai = Pegawai.objects.filter(instansi_id=pejabat.instansi_id, nip=pejabat.nip).first()
    if pegawai is None:
        pegawai = Pegawai.objects.create(
            instansi_id=pejabat.instansi_id, nip=pejabat.nip, nama=pejabat.nama, tanggal_lahir=pejabat.tanggal_lahir,
            golongan=pejabat.golongan, tmt_golongan=pejabat.tmt_golongan, unit_kerja=pejabat.unit_kerja,
            jabatan_saat_ini=f"{pejabat.jf.nama} {pejabat.jenjang.nama}"[:200],
        )  # fmt: skip
    pejabat.pegawai = pegawai
    pejabat.save(update_fields=["pegawai", "updated_at"])
    return pegawai


@transaction.atomic
def kenaikan_jenjang_usulkan(*, actor, pejabat: PejabatFungsional, ip_address=None):
    """The PIC proposes the holder for the next jenjang: a draft usulan ``kenaikan_jenjang``
    (documents are uploaded and it is submitted on the usulan's page, like any usulan). Refused
    with a clear message when the AK kumulatif does not meet the threshold. A repeated request
    returns the live usulan."""
    from apps.accounts import permissions
    from apps.pengusulan.domain import SELESAI, Jenis
    from apps.pengusulan.models import Usulan

    if not permissions.can_submit_usulan(actor):
        raise ValidationError(_("Hanya PIC instansi yang dapat mengusulkan kenaikan jenjang."))
    pejabat = PejabatFungsional.objects.select_for_update().select_related("jf", "jenjang").get(pk=pejabat.pk)
    live = Usulan.objects.filter(pejabat=pejabat, jenis=Jenis.KENAIKAN_JENJANG).exclude(status__in=SELESAI).first()
    if live is not None:
        return live
    berikut = jenjang_berikut(pejabat)
    problems = cek_kenaikan_jenjang(pejabat, berikut)
    if problems:
        raise ValidationError(problems)
    pegawai = _pegawai_untuk(pejabat, actor)
    if Usulan.objects.filter(pegawai=pegawai, jf_id=pejabat.jf_id).exclude(status__in=SELESAI).exists():
        raise ValidationError(
            _("%(nama)s masih memiliki usulan JF %(jf)s yang sedang berjalan.")
            % {"nama": pejabat.nama, "jf": pejabat.jf.nama}
        )
    usulan = Usulan.objects.create(
        instansi_id=pejabat.instansi_id, jenis=Jenis.KENAIKAN_JENJANG, pejabat=pejabat, pegawai=pegawai,
        jf_id=pejabat.jf_id, jenjang=berikut, created_by=actor, pegawai_nip=pejabat.nip, pegawai_nama=pejabat.nama,
    )  # fmt: skip
    audit.record_objek(
        "usulan.dibuat",
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=_("Usulan kenaikan jenjang %(nomor)s untuk %(nama)s ke %(j)s dibuat.")
        % {"nomor": usulan.nomor, "nama": pejabat.nama, "j": berikut.nama},
        data={"jenis": Jenis.KENAIKAN_JENJANG.value, "pejabat": pejabat.pk},
    )
    return usulan


def kenaikan_jenjang_terapkan(usulan, *, surat_id: int | None, actor) -> PejabatFungsional:
    """ "SK terbit" of a kenaikan jenjang: the ledger's ``kenaikan_jenjang`` row and the record's
    new jenjang, kelas jabatan and TMT. Idempotent (a second call for the same usulan adds nothing)."""
    from apps.jabatan.selectors import ambang
    from apps.jabatan.services import mutasi_tambah
    from apps.surat.models import Surat

    pejabat = PejabatFungsional.objects.select_for_update().select_related("jenjang").get(pk=usulan.pejabat_id)
    if MutasiAK.objects.filter(
        pejabat=pejabat, jenis=JenisMutasi.KENAIKAN_JENJANG, rincian__usulan=usulan.nomor
    ).exists():
        return pejabat
    surat = Surat.objects.filter(pk=surat_id).first() if surat_id else None
    lama, baru = pejabat.jenjang, usulan.jenjang
    kumulatif = ambang(pejabat).ak_jenjang
    dipakai = bulatkan(lama.ak_kumulatif_jenjang or Decimal(0))
    tmt = (surat.tmt or surat.tanggal) if surat else usulan.status_changed_at.date()
    mutasi_tambah(
        pejabat, JenisMutasi.KENAIKAN_JENJANG, -dipakai, oleh=actor, periode_mulai=tmt, jenjang=baru, surat=surat,
        rincian={
            "usulan": usulan.nomor,
            "surat": surat.nomor if surat else None,
            "dari_jenjang": lama.nama,
            "ke_jenjang": baru.nama,
            "ak_kumulatif_sebelum": str(kumulatif),
            "ambang_dipakai": str(dipakai),
            "sisa_dibawa": str(kumulatif - dipakai),
            # Not in the seeds (domain.md §4 gives thresholds only): the AK above the threshold is
            # carried over to the new jenjang.
            "aturan_sisa_terverifikasi": False,
        },
        keterangan=_("Kenaikan jenjang %(a)s → %(b)s (SK %(n)s).")
        % {"a": lama.nama, "b": baru.nama, "n": surat.nomor if surat else "-"},
        audit_entry=False,
    )  # fmt: skip
    pejabat.jenjang = baru
    pejabat.kelas_jabatan = baru.kelas_jabatan
    pejabat.tmt_jabatan = tmt
    pejabat.save(update_fields=["jenjang", "kelas_jabatan", "tmt_jabatan", "updated_at"])
    audit.record_objek(
        "jabatan.naik_jenjang",
        pejabat,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        message=_("%(nama)s naik jenjang dari %(a)s ke %(b)s.")
        % {"nama": pejabat.nama, "a": lama.nama, "b": baru.nama},
        data={"usulan": usulan.pk, "surat": surat_id},
    )
    return pejabat
