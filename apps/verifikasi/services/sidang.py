"""The sidang of a Tim Penilai: opening, attendance, the decision and its berita acara."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import audit
from apps.core.format import tgl
from apps.pengusulan.alur import UsulanError, kunci_usulan, pindahkan
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.verifikasi import domain
from apps.verifikasi.models import (
    AnggotaTim,
    BeritaAcara,
    PenugasanPenilai,
    Sidang,
    SidangUsulan,
    TimPenilai,
)
from apps.verifikasi.permissions import wajib_ketua
from apps.verifikasi.services.penugasan import golongan_dinilai
from apps.verifikasi.services.tim import wajib_tim_berlaku


def tanpa_suara(sidang: Sidang, anggota: list[AnggotaTim]) -> dict[int, str]:
    """The members of ``anggota`` whose pangkat is below that of a dossier decided in the sidang
    (seed 001 C.2: "paling rendah sama dengan jabatan/pangkat ... yang dinilai"), each with the
    reason: such a member does not count for the quorum and does not decide on that dossier; if
    present, they still sign the berita acara, which records who attended. {AnggotaTim.pk: message}."""
    tertinggi, usulan = None, None
    for row in sidang.usulan.select_related("usulan", "usulan__jenjang__golongan_min"):
        gol = golongan_dinilai(row.usulan)
        if gol is not None and (tertinggi is None or gol.urutan > tertinggi.urutan):
            tertinggi, usulan = gol, row.usulan
    out = {}
    for a in anggota:
        if tertinggi is None or domain.pangkat_cukup(a.golongan.urutan if a.golongan_id else None, tertinggi.urutan):
            continue
        out[a.pk] = _(
            "%(nama)s (golongan %(a)s) tidak dihitung dalam kuorum dan tidak ikut memutuskan usulan yang pangkatnya "
            "di atas pangkatnya (golongan %(b)s, %(p)s); bila hadir, ia tetap menandatangani berita acara sebagai "
            "anggota yang hadir. Sidangkan usulan itu terpisah bila perlu."
        ) % {
            "nama": a.user,
            "a": a.golongan.kode if a.golongan_id else _("belum diisi"),
            "b": tertinggi.kode,
            "p": usulan.pegawai_nama,
        }
    return out


def tidak_memutuskan(usulan: Usulan, hadir: list[AnggotaTim]) -> list[AnggotaTim]:
    """The members present whose pangkat is below that of ``usulan`` (seed 001 C.2): they do not
    take part in deciding on it, and the berita acara says so for that pegawai."""
    dinilai = golongan_dinilai(usulan)
    if dinilai is None:
        return []
    return [a for a in hadir if not domain.pangkat_cukup(a.golongan.urutan if a.golongan_id else None, dinilai.urutan)]


def konflik_per_usulan(usulan_ids) -> dict[int, set[int]]:
    """usulan id → the users who declared a conflict of interest on it (on the assignment still held,
    or on one the ketua has since replaced: its audit entry stays). They do not decide on it."""
    from apps.core.models import AuditLog

    out: dict[int, set[int]] = {}
    for usulan_id, user_id in PenugasanPenilai.objects.filter(
        usulan_id__in=usulan_ids, konflik_at__isnull=False
    ).values_list("usulan_id", "penilai_id"):
        out.setdefault(usulan_id, set()).add(user_id)
    for object_id, user_id in AuditLog.objects.filter(
        action="penilai.konflik", object_type="pengusulan.usulan", object_id__in=[str(i) for i in usulan_ids]
    ).values_list("object_id", "actor_id"):
        if user_id is not None:
            out.setdefault(int(object_id), set()).add(user_id)
    return out


@transaction.atomic
def sidang_buka(*, actor, tim: TimPenilai, usulan_list: list[Usulan], tanggal: date | None, tempat: str = "") -> Sidang:
    """Open a sidang for dossiers that at least 2/3 of the members have scored (seed 001 D.3).
    The date is required (the berita acara states it), and a dossier already in an open sidang
    is refused (cancel that one first)."""
    wajib_ketua(actor, tim)
    problems = []  # every reason at once: the date, the term, the place, each dossier
    if tanggal is None:
        problems.append(_("Isi tanggal sidang; berita acara mencantumkannya."))
    for day in sorted({timezone.localdate(), *([tanggal] if tanggal else [])}):
        try:
            wajib_tim_berlaku(tim, day)
        except ValidationError as exc:
            problems += exc.messages
    tempat = (tempat or "").strip()
    batas = Sidang._meta.get_field("tempat").max_length
    if not tempat:  # the berita acara says where the sidang was held ("bertempat di ...")
        problems.append(_("Isi tempat sidang; berita acara mencantumkannya."))
    elif len(tempat) > batas:
        problems.append(_("Tempat sidang paling banyak %(n)d karakter.") % {"n": batas})
    jumlah_anggota = tim.anggota.count()
    usulan_list = [kunci_usulan(u) for u in usulan_list]  # the current state, not the caller's copy
    for usulan in usulan_list:
        if usulan.status != Status.PENILAIAN or not usulan.penugasan_penilai.filter(tim=tim).exists():
            problems.append(_("Usulan %(n)s tidak sedang dinilai oleh tim ini.") % {"n": usulan.nomor})
            continue
        terbuka = SidangUsulan.objects.filter(usulan=usulan, sidang__status=Sidang.Status.DIBUKA).select_related(
            "sidang"
        )
        for row in terbuka:
            problems.append(
                _("Usulan %(n)s sudah masuk sidang %(t)s yang masih dibuka; putuskan atau batalkan sidang itu dulu.")
                % {"n": usulan.nomor, "t": tgl(row.sidang.tanggal)}
            )
        selesai = usulan.penugasan_penilai.filter(tim=tim, selesai_at__isnull=False).count()
        if not domain.dua_pertiga(selesai, jumlah_anggota):
            problems.append(
                _("Usulan %(n)s baru dinilai %(s)d dari %(t)d anggota; sidang memerlukan paling sedikit 2/3.")
                % {"n": usulan.nomor, "s": selesai, "t": jumlah_anggota}
            )
    if not usulan_list:
        problems.append(_("Pilih usulan yang akan disidangkan."))
    if problems:
        raise UsulanError(problems)
    sidang = Sidang.objects.create(tim=tim, jf_id=tim.jf_id, tanggal=tanggal, tempat=tempat, dibuka_oleh=actor)
    for usulan in usulan_list:
        SidangUsulan.objects.create(sidang=sidang, usulan=usulan, instansi_id=usulan.instansi_id, jf_id=usulan.jf_id)
    audit.record(
        "sidang.dibuka",
        actor=actor,
        instansi=tim.jf.instansi_pembina_id,
        jf=tim.jf_id,
        obj=sidang,
        message=_("Sidang %(t)s dibuka untuk %(n)d usulan.") % {"t": tim.nama, "n": len(usulan_list)},
    )
    return sidang


@transaction.atomic
def sidang_batalkan(*, actor, sidang: Sidang, alasan: str, ip_address=None) -> Sidang:
    """Cancel an open sidang (the ketua of its team, or the admin pembina of its JF), with a
    reason, audited; its dossiers stay in penilaian and can be put in another sidang."""
    from apps.accounts.models import Role
    from apps.verifikasi.permissions import ketua_tim, pembina_jf

    sidang = Sidang.objects.select_for_update().select_related("tim").get(pk=sidang.pk)
    if ketua_tim(actor, sidang.tim) is None and not pembina_jf(actor, sidang.jf_id, Role.ADMIN_PEMBINA):
        raise PermissionDenied
    if sidang.status != Sidang.Status.DIBUKA:
        raise UsulanError(
            _("Sidang ini sudah %(s)s; hanya sidang yang masih dibuka dapat dibatalkan.")
            % {"s": sidang.get_status_display().lower()}
        )
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan_batal": _("Tuliskan alasan pembatalan sidang.")})
    if len(alasan) > 1000:
        raise ValidationError({"alasan_batal": _("Alasan pembatalan paling banyak 1000 karakter.")})
    sidang.status, sidang.alasan_batal, sidang.dibatalkan_oleh = Sidang.Status.DIBATALKAN, alasan, actor
    sidang.ditutup_at = timezone.now()
    sidang.save(update_fields=["status", "alasan_batal", "dibatalkan_oleh", "ditutup_at"])
    nomor = list(sidang.usulan.values_list("usulan__nomor", flat=True))
    audit.record(
        "sidang.dibatalkan", actor=actor, instansi=sidang.tim.jf.instansi_pembina_id, jf=sidang.jf_id, obj=sidang,
        ip_address=ip_address,
        message=_("Sidang %(t)s tanggal %(d)s dibatalkan: %(a)s") % {"t": sidang.tim.nama, "d": tgl(sidang.tanggal),
                                                                     "a": alasan[:300]},
        data={"alasan": alasan[:1000], "usulan": nomor},
    )  # fmt: skip
    return sidang


@transaction.atomic
def sidang_catat_kehadiran(*, actor, sidang: Sidang, hadir: list[AnggotaTim]) -> Sidang:
    sidang = Sidang.objects.select_for_update().get(pk=sidang.pk)
    wajib_ketua(actor, sidang.tim)
    if sidang.status != Sidang.Status.DIBUKA:
        raise UsulanError(_("Sidang sudah ditutup."))
    if any(a.tim_id != sidang.tim_id for a in hadir):
        raise ValidationError(_("Yang hadir harus anggota tim."))
    sidang.hadir.set(hadir)  # who came, and so who signs; tanpa_suara() says who of them counts
    return sidang


@transaction.atomic
def sidang_putuskan(*, actor, sidang: Sidang, keputusan: dict[int, tuple[str, str]], ip_address=None) -> BeritaAcara:
    """Decide each dossier lulus / tidak lulus (with reasons) and produce the berita acara.

    Valid only when at least 2/3 of the members attend (seed 001 D.4). Caller: the team's ketua."""
    sidang = Sidang.objects.select_for_update().select_related("tim", "tim__jf").get(pk=sidang.pk)
    wajib_ketua(actor, sidang.tim)
    if sidang.status != Sidang.Status.DIBUKA:
        raise UsulanError(_("Sidang sudah ditutup."))
    wajib_tim_berlaku(sidang.tim, timezone.localdate())
    urutan = {AnggotaTim.Peran.KETUA: 0, AnggotaTim.Peran.SEKRETARIS: 1}  # the berita acara lists the ketua first
    anggota = sorted(
        sidang.tim.anggota.select_related("user", "golongan"), key=lambda a: (urutan.get(a.peran, 2), a.pk)
    )
    hadir_semua = list(sidang.hadir.select_related("user", "golongan"))
    # Seed 001 C.2: a member below the assessed pangkat is recorded as present but does not count.
    bisu = tanpa_suara(sidang, anggota)
    hadir = [a for a in hadir_semua if a.pk not in bisu]
    if not domain.dua_pertiga(len(hadir), len(anggota)):
        tak_dihitung = [bisu[a.pk] for a in hadir_semua if a.pk in bisu]
        raise UsulanError(
            [_("Kuorum tidak tercapai: hadir %(h)d dari %(t)d anggota, paling sedikit 2/3 harus hadir.")
             % {"h": len(hadir), "t": len(anggota)}, *tak_dihitung]
        )  # fmt: skip
    ketua = next((a for a in anggota if a.user_id == actor.pk), None)
    if ketua is not None and ketua.pk in bisu:
        raise UsulanError(bisu[ketua.pk])
    rows = list(sidang.usulan.select_related("usulan", "usulan__jenjang__golongan_min"))
    problems = []
    for row in rows:
        hasil, alasan = keputusan.get(row.usulan_id, ("", ""))
        if hasil not in SidangUsulan.Keputusan.values:
            problems.append(_("Belum ada keputusan untuk usulan %(n)s.") % {"n": row.usulan.nomor})
        elif hasil == SidangUsulan.Keputusan.TIDAK_LULUS and not alasan.strip():
            problems.append(_("Tuliskan alasan tidak lulus untuk usulan %(n)s.") % {"n": row.usulan.nomor})
    # A member who declared a conflict of interest on a dossier does not decide on it, and the
    # quorum for that dossier is counted without her (issue 13, seed 001 E.7).
    konflik = konflik_per_usulan([row.usulan_id for row in rows])
    for row in rows:
        tanpa = [a for a in hadir if a.user_id in konflik.get(row.usulan_id, ())]
        if tanpa and not domain.dua_pertiga(len(hadir) - len(tanpa), len(anggota)):
            problems.append(
                _(
                    "Kuorum usulan %(n)s tidak tercapai: hadir %(h)d dari %(t)d anggota tanpa %(nama)s, yang "
                    "menyatakan konflik kepentingan atas usulan itu."
                )
                % {"n": row.usulan.nomor, "h": len(hadir) - len(tanpa), "t": len(anggota),
                   "nama": ", ".join(str(a.user) for a in tanpa)}
            )  # fmt: skip
    if problems:
        raise UsulanError(problems)
    hasil_list = []
    for row in rows:
        hasil, alasan = keputusan[row.usulan_id]
        row.keputusan, row.alasan = hasil, alasan.strip()
        row.save(update_fields=["keputusan", "alasan"])
        usulan = kunci_usulan(row.usulan)
        lulus = hasil == SidangUsulan.Keputusan.LULUS
        pindahkan(
            usulan=usulan,
            action="nyatakan_lulus" if lulus else "nyatakan_tidak_lulus",
            actor=actor,
            ip_address=ip_address,
            konteks={"sidang": tgl(sidang.tanggal)},
            catatan=row.alasan,
            data={"sidang": sidang.pk},
        )
        hasil_list.append(
            {
                "usulan": usulan.nomor,
                "nip": usulan.data_pegawai.get("nip"),
                "nama": usulan.data_pegawai.get("nama"),
                "jenjang": usulan.jenjang.nama if usulan.jenjang else "",
                "keputusan": hasil,
                "alasan": row.alasan,
                # present, but below this pegawai's pangkat: did not decide on them (seed 001 C.2)
                "tidak_memutuskan": [str(a.user) for a in tidak_memutuskan(usulan, hadir_semua)],
                # present, but declared a conflict of interest on this dossier
                "tidak_memutuskan_konflik": [
                    str(a.user) for a in hadir_semua if a.user_id in konflik.get(usulan.pk, ())
                ],
            }
        )
    sidang.status = Sidang.Status.SELESAI
    sidang.ditutup_at = timezone.now()
    sidang.save(update_fields=["status", "ditutup_at"])
    isi = {
        "tim": sidang.tim.nama,
        "jf": sidang.tim.jf.nama,
        "tanggal": sidang.tanggal.isoformat(),
        "tempat": sidang.tempat,
        "anggota": [
            {
                "nama": str(a.user),
                "nip": a.user.nip or "",
                "peran": a.peran,
                "golongan": a.golongan.kode if a.golongan_id else "",
                "hadir": a in hadir_semua,
                # present but below the assessed pangkat: not counted for the quorum (seed 001 C.2);
                # which pegawai they did not decide on is in each ``hasil`` row
                "bersuara": a in hadir,
                # every member present signs: the berita acara records who attended
                "menandatangani": a in hadir_semua,
            }
            for a in anggota
        ],
        "kuorum": {"hadir": len(hadir), "anggota": len(anggota)},
        "hasil": hasil_list,
    }
    # The berita acara is signed by every member present (apps.ttd reads ``hadir``, left as recorded).
    berita = BeritaAcara.objects.create(sidang=sidang, jf_id=sidang.jf_id, isi=isi, ditandatangani_oleh=actor)
    from apps.surat.services import berita_acara_terbitkan  # the letters build on this app

    berita_acara_terbitkan(actor=actor, berita=berita, ip_address=ip_address)
    audit.record(
        "sidang.diputuskan",
        actor=actor,
        instansi=sidang.tim.jf.instansi_pembina_id,
        jf=sidang.tim.jf_id,
        obj=sidang,
        ip_address=ip_address,
        message=_("Berita acara sidang %(t)s diterbitkan untuk ditandatangani.") % {"t": sidang.tim.nama},
    )
    return berita
