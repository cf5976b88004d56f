"""Who handles a dossier: the verifier (claim, bulk assignment) and the penilai (assignment,
conflict-of-interest statement, scores)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from apps.accounts.models import Membership, Role
from apps.core import audit, outbox
from apps.core.format import daftar_nama, tgl
from apps.pengusulan.alur import UsulanError, kunci_usulan, pindahkan
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.referensi.models import Golongan, Kompetensi
from apps.verifikasi import domain
from apps.verifikasi.models import (
    AnggotaTim,
    Nilai,
    PenugasanPenilai,
    TimPenilai,
)
from apps.verifikasi.permissions import VERIFIKASI_ROLES, wajib_ketua, wajib_pembina_jf
from apps.verifikasi.services.tim import wajib_tim_berlaku


@transaction.atomic
def usulan_klaim(*, actor, usulan: Usulan, ip_address=None) -> Usulan:
    """A verifier takes a submitted dossier. Caller: verifikator of the JF's pembina."""
    wajib_pembina_jf(actor, usulan.jf_id, *VERIFIKASI_ROLES)
    usulan = kunci_usulan(usulan)
    if usulan.verifikator_id and usulan.verifikator_id != actor.pk:
        raise UsulanError(_("Usulan ini sudah ditangani %(nama)s.") % {"nama": usulan.verifikator})
    if usulan.verifikator_id != actor.pk:
        _verifikator_set(
            usulan, actor, actor=actor, aksi="usulan.diklaim",
            message=_("Diklaim oleh verifikator %(nama)s.") % {"nama": actor}, ip_address=ip_address,
        )  # fmt: skip
    return usulan


def _verifikator_set(usulan: Usulan, verifikator, *, actor, aksi: str, message: str, ip_address=None) -> None:
    """Hand a locked dossier to a verifier and note it in its timeline (claim or assignment)."""
    usulan.verifikator = verifikator
    usulan.save(update_fields=["verifikator", "updated_at"])
    audit.record_objek(aksi, usulan, actor=actor, message=message, ip_address=ip_address)


@transaction.atomic
def usulan_tugaskan_verifikator(*, actor, usulan_ids: list[int], verifikator, ip_address=None) -> int:
    """Assign dossiers (in bulk) to a verifier. Caller: admin_pembina. Returns how many changed."""
    changed = 0
    for usulan in Usulan.objects.filter(pk__in=usulan_ids).order_by("pk"):
        wajib_pembina_jf(actor, usulan.jf_id, Role.ADMIN_PEMBINA)
        if not Membership.objects.filter(
            user=verifikator, instansi=actor.instansi, role__in=VERIFIKASI_ROLES, is_active=True
        ).exists():
            raise ValidationError(_("%(nama)s bukan verifikator instansi pembina ini.") % {"nama": verifikator})
        locked = kunci_usulan(usulan)
        if locked.verifikator_id != verifikator.pk:
            _verifikator_set(
                locked, verifikator, actor=actor, aksi="usulan.ditugaskan",
                message=_("Ditugaskan ke verifikator %(nama)s.") % {"nama": verifikator}, ip_address=ip_address,
            )  # fmt: skip
            changed += 1
    return changed


@transaction.atomic
def penilai_tugaskan(*, actor, usulan_list: list[Usulan], tim: TimPenilai, penilai: list, ip_address=None) -> int:
    """Assign dossiers (in bulk) to a team and its penilai; moves lulus administrasi → penilaian.

    Refuses conflicts of interest: a penilai's own dossier, or one of his or her own instansi
    unless the JF allows it. Grants the penilai per-object ``view_usulan``. Caller: admin_pembina
    or the team's ketua."""
    members = {a.user_id: a for a in tim.anggota.select_related("user", "golongan")}
    wajib_tim_berlaku(tim, timezone.localdate())
    # Every pegawai a member lacks the pangkat for is named at once, not only the first one met.
    kurang = []
    for usulan in usulan_list:
        wajib_pembina_jf(actor, usulan.jf_id, aksi="mulai_penilaian")
        if tim.jf_id == usulan.jf_id:
            kurang += [p for u in penilai if u.pk in members and (p := _pesan_pangkat(members[u.pk], usulan))]
    if kurang:
        raise ValidationError(kurang)
    count, sudah = 0, []
    for usulan in usulan_list:
        wajib_pembina_jf(actor, usulan.jf_id, aksi="mulai_penilaian")
        if tim.jf_id != usulan.jf_id:
            raise ValidationError(_("Tim ini bukan tim JF usulan tersebut."))
        if not Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).exists():
            # JF AKS ships without a competency standard: no penilai could score the dossier.
            raise ValidationError(
                _(
                    "Standar kompetensi JF %(jf)s jenjang %(j)s belum diisi, sehingga usulan %(n)s belum dapat "
                    "dinilai. Admin pembina mengisinya di halaman JF (tab Standar kompetensi) sebelum penugasan."
                )
                % {"jf": usulan.jf.nama, "j": usulan.jenjang.nama if usulan.jenjang_id else "-", "n": usulan.nomor}
            )
        usulan = kunci_usulan(usulan)
        if usulan.status == Status.LULUS_ADMINISTRASI:
            pindahkan(
                usulan=usulan, action="mulai_penilaian", actor=actor, konteks={"tim": tim.nama}, ip_address=ip_address
            )
        elif usulan.status != Status.PENILAIAN:
            raise UsulanError(
                _("Usulan %(n)s berstatus %(s)s, belum dapat dinilai.") % {"n": usulan.nomor, "s": usulan.status_label}
            )
        baru = []
        for user in penilai:
            if user.pk not in members:
                raise ValidationError(_("%(nama)s bukan anggota %(tim)s.") % {"nama": user, "tim": tim.nama})
            _cek_boleh_menilai(user, members[user.pk], usulan)
            if _konflik_dinyatakan(user, usulan):
                raise ValidationError(
                    _(
                        "%(nama)s telah menyatakan memiliki konflik kepentingan atas usulan %(n)s, sehingga tidak "
                        "dapat ditugaskan menilainya. Pilih anggota tim yang lain."
                    )
                    % {"nama": user, "n": usulan.nomor}
                )
            _penugasan, created = PenugasanPenilai.objects.get_or_create(
                usulan=usulan,
                penilai=user,
                defaults={
                    "instansi_id": usulan.instansi_id,
                    "jf_id": usulan.jf_id,
                    "tim": tim,
                    "ditugaskan_oleh": actor,
                },
            )
            if not created:
                sudah.append(_sudah_ditugaskan(_penugasan, usulan))
            else:
                assign_perm("pengusulan.view_usulan", user, usulan)
                # The penilai hears of it (after commit, through the outbox).
                outbox.enqueue("verifikasi.kabari_penilaian", jenis="ditugaskan", penugasan_id=_penugasan.pk)
                baru.append(user)
                count += 1
        if baru:  # one line for one assignment, naming every penilai
            audit.record_objek(
                "usulan.penilai_ditugaskan",
                usulan,
                actor=actor,
                ip_address=ip_address,
                message=_("Penilai %(nama)s ditugaskan.") % {"nama": daftar_nama([str(u) for u in baru])},
                data={"penilai": [u.pk for u in baru]},
            )
    if not count and sudah:  # nothing new: say why rather than "0 penugasan"
        raise ValidationError(_("Tidak ada penugasan baru: %(daftar)s.") % {"daftar": "; ".join(sudah)})
    return count


def _sudah_ditugaskan(penugasan: PenugasanPenilai, usulan: Usulan) -> str:
    """Why an assignment asked for again was not made: who already holds which dossier, since when."""
    return str(
        _("%(nama)s sudah ditugaskan menilai usulan %(n)s (%(p)s) sejak %(t)s")
        % {"nama": penugasan.penilai, "n": usulan.nomor, "p": usulan.pegawai_nama,
           "t": tgl(timezone.localdate(penugasan.ditugaskan_at)) if penugasan.ditugaskan_at else "-"}
    )  # fmt: skip


def penugasan_sudah_ada(usulan_list: list[Usulan], penilai: list) -> list[str]:
    """The assignments among ``usulan_list`` × ``penilai`` that already exist, each said as
    :func:`_sudah_ditugaskan` does (for the page's note after a partly new assignment)."""
    ada = PenugasanPenilai.objects.filter(usulan__in=usulan_list, penilai__in=penilai).select_related(
        "penilai", "usulan"
    )
    return [_sudah_ditugaskan(p, p.usulan) for p in ada.order_by("usulan_id", "penilai_id")]


def _cek_boleh_menilai(user, anggota: AnggotaTim, usulan: Usulan) -> None:
    """``user`` (the team member ``anggota``) may assess this dossier: no conflict of interest
    (``domain.konflik_kepentingan``) and a pangkat at least the pegawai's."""
    reason = domain.konflik_kepentingan(
        penilai_instansi_id=user.instansi.pk if user.instansi else None,
        penilai_nip=user.nip,
        usulan_instansi_id=usulan.instansi_id,
        pegawai_nip=usulan.data_pegawai.get("nip", ""),
        boleh_instansi_sendiri=usulan.jf.penilai_boleh_instansi_sendiri,
    )
    if reason:
        raise ValidationError(f"{user}: {reason}")
    _cek_pangkat(anggota, usulan)


def golongan_dinilai(usulan: Usulan) -> Golongan | None:
    """The pangkat a member of the team needs to assess this dossier (seed 001 C.2: "paling rendah
    sama dengan jabatan/pangkat ... yang dinilai"): the higher of the pegawai's golongan and the
    lowest golongan of the assessed jenjang. None: neither is known."""
    kode = (usulan.data_pegawai or {}).get("golongan", "")
    calon = [g for g in (Golongan.objects.filter(kode=kode).first() if kode else None,
                         usulan.jenjang.golongan_min if usulan.jenjang_id else None) if g is not None]  # fmt: skip
    return max(calon, key=lambda g: g.urutan, default=None)


def _cek_pangkat(anggota: AnggotaTim, usulan: Usulan) -> None:
    """Seed 001 C.2: the member's pangkat is at least that of the pegawai and jenjang assessed."""
    if pesan := _pesan_pangkat(anggota, usulan):
        raise ValidationError(pesan)


def _pesan_pangkat(anggota: AnggotaTim, usulan: Usulan) -> str:
    """Why ``anggota`` may not assess ``usulan`` for want of pangkat; empty when it may."""
    dinilai = golongan_dinilai(usulan)
    if not domain.pangkat_cukup(
        anggota.golongan.urutan if anggota.golongan_id else None, dinilai.urutan if dinilai else None
    ):
        return str(
            _("%(nama)s (golongan %(a)s) tidak dapat menilai %(p)s (golongan %(b)s): pangkat anggota tim paling rendah "
              "sama dengan pangkat yang dinilai. Tugaskan anggota tim lain yang golongannya memenuhi; bila tidak ada, "
              "admin pembina menugaskan usulan ini kepada tim penilai lain JF ini yang memiliki anggota bergolongan "
              "paling rendah %(b)s, atau membentuk tim dengan anggota yang memenuhi syarat (anggota yang sudah dua "
              "masa jabatan berturut-turut baru dapat diangkat lagi setelah jeda satu masa jabatan).")
            % {"nama": anggota.user, "a": anggota.golongan.kode if anggota.golongan_id else _("belum diisi"),
               "p": usulan.pegawai_nama, "b": dinilai.kode if dinilai else "-"}
        )  # fmt: skip
    return ""


def calon_pengganti(anggota_list, usulan: Usulan, ditugaskan: set[int]) -> list[dict]:
    """The team's members (``anggota_list``, loaded with user and golongan) not yet assigned to
    ``usulan`` who could replace a penilai with a conflict, each with why they may not
    (``alasan``, empty when they may): the checks of :func:`penugasan_ganti_penilai`, said before
    the ketua chooses. Those who may come first."""
    dinilai = golongan_dinilai(usulan)
    calon = []
    for a in anggota_list:
        if a.user_id in ditugaskan:
            continue
        user = a.user
        alasan = domain.konflik_kepentingan(
            penilai_instansi_id=user.instansi.pk if user.instansi else None,
            penilai_nip=user.nip,
            usulan_instansi_id=usulan.instansi_id,
            pegawai_nip=usulan.data_pegawai.get("nip", ""),
            boleh_instansi_sendiri=usulan.jf.penilai_boleh_instansi_sendiri,
        )
        if not alasan and not domain.pangkat_cukup(
            a.golongan.urutan if a.golongan_id else None, dinilai.urutan if dinilai else None
        ):
            alasan = _("golongan %(a)s, paling rendah %(b)s untuk menilai pegawai ini") % {
                "a": a.golongan.kode if a.golongan_id else _("belum diisi"), "b": dinilai.kode if dinilai else "-",
            }  # fmt: skip
        calon.append({"anggota": a, "alasan": str(alasan or "")})
    return sorted(calon, key=lambda c: bool(c["alasan"]))


def _konflik_dinyatakan(user, usulan: Usulan) -> bool:
    """``user`` declared a conflict of interest on ``usulan``: on the assignment still held, or on one
    the ketua has since replaced (its audit entry stays)."""
    from apps.core.models import AuditLog

    return (
        PenugasanPenilai.objects.filter(usulan=usulan, penilai=user, konflik_at__isnull=False).exists()
        or AuditLog.objects.filter(
            action="penilai.konflik", object_type="pengusulan.usulan", object_id=str(usulan.pk), actor=user
        ).exists()
    )


@transaction.atomic
def penugasan_ganti_penilai(
    *, actor, penugasan: PenugasanPenilai, pengganti, alasan: str, ip_address=None
) -> PenugasanPenilai:
    """The ketua replaces a member who has a conflict of interest with another member of the team
    (seed 001 E.7: "dengan usulan ketua tim penilai dapat digantikan oleh anggota pengganti")."""
    penugasan = (
        PenugasanPenilai.objects.select_for_update().select_related("tim", "usulan", "penilai").get(pk=penugasan.pk)
    )
    tim = penugasan.tim
    wajib_ketua(actor, tim)
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError(_("Tuliskan alasan penggantian (konflik kepentingan)."))
    if penugasan.selesai_at:
        raise UsulanError(_("Penilaian sudah dikirim; penilai tidak dapat diganti."))
    if penugasan.usulan.status != Status.PENILAIAN:
        raise UsulanError(_("Penilaian usulan ini sudah ditutup."))
    wajib_tim_berlaku(tim, timezone.localdate())
    anggota = tim.anggota.select_related("user", "golongan").filter(user=pengganti).first()
    if anggota is None:
        raise ValidationError(_("%(nama)s bukan anggota %(tim)s.") % {"nama": pengganti, "tim": tim.nama})
    usulan = penugasan.usulan
    if PenugasanPenilai.objects.filter(usulan=usulan, penilai=pengganti).exists():
        raise ValidationError(_("%(nama)s sudah ditugaskan pada usulan ini.") % {"nama": pengganti})
    if _konflik_dinyatakan(pengganti, usulan):
        raise ValidationError(
            _("%(nama)s telah menyatakan memiliki konflik kepentingan atas usulan ini.") % {"nama": pengganti}
        )
    _cek_boleh_menilai(pengganti, anggota, usulan)
    lama = penugasan.penilai
    remove_perm("pengusulan.view_usulan", lama, usulan)
    penugasan.nilai.all().delete()
    penugasan.delete()
    baru = PenugasanPenilai.objects.create(
        usulan=usulan, penilai=pengganti, instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, tim=tim,
        ditugaskan_oleh=actor,
    )  # fmt: skip
    assign_perm("pengusulan.view_usulan", pengganti, usulan)
    outbox.enqueue("verifikasi.kabari_penilaian", jenis="ditugaskan", penugasan_id=baru.pk)
    audit.record_objek(
        "usulan.penilai_diganti",
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=_("Penilai %(lama)s diganti oleh %(baru)s: %(alasan)s")
        % {"lama": lama, "baru": pengganti, "alasan": alasan[:300]},
        data={"lama": lama.pk, "baru": pengganti.pk},
    )
    return baru


@transaction.atomic
def penugasan_nyatakan_konflik(*, actor, penugasan: PenugasanPenilai, alasan: str, ip_address=None) -> PenugasanPenilai:
    """The penilai declares a conflict of interest with the dossier (with the reason); the team's
    ketua hears of it and replaces him or her (``penugasan_ganti_penilai``, seed 001 E.7). The
    portfolio stays closed to the penilai."""
    penugasan = PenugasanPenilai.objects.select_for_update().select_related("usulan").get(pk=penugasan.pk)
    if penugasan.penilai_id != actor.pk:
        raise PermissionDenied
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError(_("Tuliskan alasan konflik kepentingan."))
    if len(alasan) > 1000:
        raise ValidationError(_("Alasan paling banyak 1000 karakter."))
    if penugasan.selesai_at:
        raise UsulanError(_("Penilaian sudah Anda kirim; konflik kepentingan tidak dapat dinyatakan lagi."))
    if penugasan.usulan.status != Status.PENILAIAN:
        raise UsulanError(_("Penilaian usulan ini sudah ditutup."))
    penugasan.konflik_at = timezone.now()
    penugasan.konflik_alasan = alasan
    penugasan.bebas_konflik_at = None
    penugasan.save(update_fields=["konflik_at", "konflik_alasan", "bebas_konflik_at"])
    audit.record_objek(
        "penilai.konflik",
        penugasan.usulan,
        actor=actor,
        ip_address=ip_address,
        message=_("%(nama)s menyatakan memiliki konflik kepentingan: %(alasan)s") % {"nama": actor, "alasan": alasan},
        data={"penugasan": penugasan.pk},
    )
    outbox.enqueue("verifikasi.kabari_penilaian", jenis="konflik", penugasan_id=penugasan.pk)
    return penugasan


@transaction.atomic
def penugasan_bebas_konflik(*, actor, penugasan: PenugasanPenilai, ip_address=None) -> PenugasanPenilai:
    if penugasan.penilai_id != actor.pk:
        raise PermissionDenied
    if penugasan.bebas_konflik_at is None:
        penugasan.bebas_konflik_at = timezone.now()
        penugasan.save(update_fields=["bebas_konflik_at"])
        audit.record_objek(
            "penilai.bebas_konflik",
            penugasan.usulan,
            actor=actor,
            ip_address=ip_address,
            message=_("%(nama)s menyatakan tidak ada konflik kepentingan.") % {"nama": actor},
        )
    return penugasan


@transaction.atomic
def nilai_simpan(
    *,
    actor,
    penugasan: PenugasanPenilai,
    nilai: dict[int, tuple[int, str]],
    rekomendasi: str = "",
    catatan: str = "",
    selesai: bool = False,
    ip_address=None,
) -> PenugasanPenilai:
    """Score the competencies of the proposed jenjang; ``selesai`` submits the assessment."""
    penugasan = PenugasanPenilai.objects.select_for_update().select_related("usulan").get(pk=penugasan.pk)
    if penugasan.penilai_id != actor.pk:
        raise PermissionDenied
    if penugasan.bebas_konflik_at is None:
        raise UsulanError(_("Nyatakan dahulu bahwa Anda tidak memiliki konflik kepentingan."))
    if penugasan.usulan.status != Status.PENILAIAN:
        raise UsulanError(_("Penilaian usulan ini sudah ditutup."))
    if penugasan.selesai_at:
        raise UsulanError(_("Penilaian sudah Anda kirim dan tidak dapat diubah."))
    standar = {k.pk: k for k in Kompetensi.objects.filter(jenjang_id=penugasan.usulan.jenjang_id)}
    if not standar:
        raise UsulanError(
            _("Standar kompetensi jenjang ini belum diisi; admin instansi pembina perlu melengkapinya di halaman JF.")
        )
    for pk, (level, bukti) in nilai.items():
        if pk not in standar:
            raise ValidationError(_("Kompetensi bukan bagian dari standar jenjang yang diusulkan."))
        if not 1 <= int(level) <= 5:
            raise ValidationError(_("Level kompetensi harus 1 sampai 5."))
        Nilai.objects.update_or_create(
            penugasan=penugasan,
            kompetensi_id=pk,
            defaults={
                "instansi_id": penugasan.instansi_id,
                "jf_id": penugasan.jf_id,
                "level_dicapai": int(level),
                "catatan_bukti": bukti.strip(),
            },
        )
    penugasan.rekomendasi = rekomendasi
    penugasan.catatan = catatan.strip()
    if selesai:
        missing = set(standar) - set(penugasan.nilai.values_list("kompetensi_id", flat=True))
        if missing:
            raise UsulanError(_("Masih ada %(n)d kompetensi yang belum dinilai.") % {"n": len(missing)})
        if rekomendasi not in PenugasanPenilai.Rekomendasi.values:
            raise UsulanError(_("Pilih rekomendasi lulus atau tidak lulus."))
        dicapai = dict(penugasan.nilai.values_list("kompetensi_id", "level_dicapai"))
        di_bawah = [standar[pk] for pk, level in dicapai.items() if level < standar[pk].level]
        if rekomendasi == PenugasanPenilai.Rekomendasi.LULUS and di_bawah and not penugasan.catatan:
            raise UsulanError(
                _(
                    "Rekomendasi lulus dengan %(n)d kompetensi di bawah level yang dibutuhkan (%(k)s) memerlukan "
                    "alasan tertulis: isi Catatan."
                )
                % {"n": len(di_bawah), "k": ", ".join(f"{k.nomor}. {k.nama}" for k in di_bawah[:5])}
            )
        penugasan.selesai_at = timezone.now()
        audit.record_objek(
            "penilai.selesai",
            penugasan.usulan,
            actor=actor,
            ip_address=ip_address,
            message=_("%(nama)s mengirim penilaian.") % {"nama": actor},
        )
    penugasan.save()
    if selesai:
        semua = PenugasanPenilai.objects.filter(usulan_id=penugasan.usulan_id, tim_id=penugasan.tim_id)
        total, dinilai = semua.count(), semua.filter(selesai_at__isnull=False).count()
        if dinilai * 3 >= total * 2 > (dinilai - 1) * 3:  # 2/3 reached just now: the ketua can open the sidang
            outbox.enqueue("verifikasi.kabari_penilaian", jenis="dua_pertiga", penugasan_id=penugasan.pk)
    return penugasan
