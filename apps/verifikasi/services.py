"""Pembina services: seleksi administrasi, Tim Penilai, portfolio scoring and the sidang.

Every status change goes through ``apps.pengusulan.alur.pindahkan`` (the declared
transition table); each service locks the rows it changes and writes the audit entries."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from apps.accounts.models import Membership, Role
from apps.accounts.permissions import has_role
from apps.core import audit, outbox, tenancy
from apps.core.format import tgl_angka
from apps.pengusulan.alur import UsulanError, kunci_usulan, peran_boleh, pindahkan
from apps.pengusulan.domain import TRANSITIONS, Status
from apps.pengusulan.models import Dokumen, Usulan
from apps.referensi.models import Golongan, JabatanFungsional, Kompetensi, PersyaratanDokumen
from apps.verifikasi import domain
from apps.verifikasi.models import (
    AnggotaTim,
    BeritaAcara,
    Nilai,
    Pemeriksaan,
    PemeriksaanDokumen,
    PenugasanPenilai,
    Sidang,
    SidangUsulan,
    TimPenilai,
)

#: Who verifies: the roles of the declared moves of the seleksi administrasi.
VERIFIKASI_ROLES = tuple(sorted(TRANSITIONS["mulai_verifikasi"].roles))


def _require_pembina_of(actor, jf_id: int, *roles: str, aksi: str = "") -> None:
    """The actor has one of ``roles`` (or, with ``aksi``, of the declared move's roles) in the
    instansi that administers the JF."""
    roles = tuple(TRANSITIONS[aksi].roles) if aksi else roles
    if not (has_role(actor, *roles) and actor.instansi and jf_id in tenancy.pembina_jf_ids(actor.instansi.pk)):
        raise PermissionDenied


# --------------------------------------------------------------------------- assignment


@transaction.atomic
def klaim(*, actor, usulan: Usulan, ip_address=None) -> Usulan:
    """A verifier takes a submitted dossier. Caller: verifikator of the JF's pembina."""
    _require_pembina_of(actor, usulan.jf_id, *VERIFIKASI_ROLES)
    usulan = kunci_usulan(usulan)
    if usulan.verifikator_id and usulan.verifikator_id != actor.pk:
        raise UsulanError(_("Usulan ini sudah ditangani %(nama)s.") % {"nama": usulan.verifikator})
    if usulan.verifikator_id != actor.pk:
        usulan.verifikator = actor
        usulan.save(update_fields=["verifikator", "updated_at"])
        audit.record(
            "usulan.diklaim",
            actor=actor,
            instansi=usulan.instansi_id,
            jf=usulan.jf_id,
            obj=usulan,
            message=_("Diklaim oleh verifikator %(nama)s.") % {"nama": actor},
            ip_address=ip_address,
        )
    return usulan


@transaction.atomic
def tugaskan_verifikator(*, actor, usulan_ids: list[int], verifikator, ip_address=None) -> int:
    """Assign dossiers (in bulk) to a verifier. Caller: admin_pembina. Returns how many changed."""
    changed = 0
    for usulan in Usulan.objects.filter(pk__in=usulan_ids).order_by("pk"):
        _require_pembina_of(actor, usulan.jf_id, Role.ADMIN_PEMBINA)
        if not Membership.objects.filter(
            user=verifikator, instansi=actor.instansi, role__in=VERIFIKASI_ROLES, is_active=True
        ).exists():
            raise ValidationError(_("%(nama)s bukan verifikator instansi pembina ini.") % {"nama": verifikator})
        locked = kunci_usulan(usulan)
        if locked.verifikator_id != verifikator.pk:
            locked.verifikator = verifikator
            locked.save(update_fields=["verifikator", "updated_at"])
            audit.record(
                "usulan.ditugaskan",
                actor=actor,
                instansi=locked.instansi_id,
                jf=locked.jf_id,
                obj=locked,
                message=_("Ditugaskan ke verifikator %(nama)s.") % {"nama": verifikator},
                ip_address=ip_address,
            )
            changed += 1
    return changed


# --------------------------------------------------------------------------- seleksi administrasi


def _pemeriksaan_aktif(usulan: Usulan) -> Pemeriksaan | None:
    return usulan.pemeriksaan.filter(keputusan="").order_by("-putaran").first()


@transaction.atomic
def mulai_verifikasi(*, actor, usulan: Usulan, ip_address=None) -> Pemeriksaan:
    """Open a review round (diajukan → verifikasi). The verifier claims the dossier if unassigned."""
    _require_pembina_of(actor, usulan.jf_id, aksi="mulai_verifikasi")
    usulan = klaim(actor=actor, usulan=usulan, ip_address=ip_address)
    putaran = usulan.pemeriksaan.count() + 1
    pindahkan(
        usulan=usulan, action="mulai_verifikasi", actor=actor, konteks={"putaran": putaran}, ip_address=ip_address
    )
    return Pemeriksaan.objects.create(
        instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, usulan=usulan, putaran=putaran, verifikator=actor
    )


@transaction.atomic
def periksa_dokumen(*, actor, usulan: Usulan, hasil: dict[int, tuple[bool, str]]) -> list[PemeriksaanDokumen]:
    """Record sesuai / tidak sesuai (+ catatan) per requirement, against its latest version."""
    _require_pembina_of(actor, usulan.jf_id, *VERIFIKASI_ROLES)
    usulan = kunci_usulan(usulan)
    if usulan.status != Status.VERIFIKASI:
        raise UsulanError(_("Usulan tidak sedang dalam seleksi administrasi."))
    if usulan.verifikator_id != actor.pk and Role.ADMIN_PEMBINA not in actor.roles:
        raise UsulanError(_("Usulan ini ditangani verifikator lain."))
    pemeriksaan = _pemeriksaan_aktif(usulan)
    persyaratan = {p.pk: p for p in PersyaratanDokumen.objects.filter(jf=usulan.jf, pk__in=hasil)}
    rows = []
    for pk, (sesuai, catatan) in hasil.items():
        p = persyaratan.get(pk)
        if p is None:
            raise ValidationError(_("Dokumen tidak dikenal untuk JF ini."))
        if not sesuai and not catatan.strip():
            raise ValidationError(_("Tulis catatan untuk dokumen yang tidak sesuai: %(doc)s.") % {"doc": p.nama})
        latest = (
            Dokumen.objects.filter(
                persyaratan=p, **({"usulan": usulan} if p.level == "usulan" else {"usulan__isnull": True})
            )
            .order_by("-versi")
            .first()
        )
        if latest is None:
            raise ValidationError(_("Dokumen belum diunggah, tidak dapat dinilai: %(doc)s.") % {"doc": p.nama})
        row, _created = PemeriksaanDokumen.objects.update_or_create(
            pemeriksaan=pemeriksaan,
            persyaratan=p,
            defaults={
                "instansi_id": usulan.instansi_id,
                "jf_id": usulan.jf_id,
                "dokumen": latest,
                "sesuai": sesuai,
                "catatan": catatan.strip()[:500],
            },
        )
        rows.append(row)
    return rows


@transaction.atomic
def putuskan_administrasi(
    *,
    actor,
    usulan: Usulan,
    keputusan: str,
    catatan: str = "",
    tenggat: date | None = None,
    peringatan: dict[str, dict] | None = None,
    ip_address=None,
) -> Usulan:
    """Decide the review round: memenuhi syarat / perlu perbaikan / tidak memenuhi syarat.

    Of two verifiers deciding at once, the first wins; the second is told it was decided."""
    _require_pembina_of(actor, usulan.jf_id, aksi="loloskan_administrasi")
    usulan = kunci_usulan(usulan)
    if usulan.status != Status.VERIFIKASI:
        raise UsulanError(
            _("Usulan ini sudah diputuskan (status: %(s)s). Muat ulang halaman.") % {"s": usulan.status_label}
        )
    if usulan.verifikator_id != actor.pk and Role.ADMIN_PEMBINA not in actor.roles:
        raise UsulanError(_("Usulan ini ditangani verifikator lain."))
    pemeriksaan = _pemeriksaan_aktif(usulan)
    findings = {d.persyaratan_id: d for d in pemeriksaan.dokumen.all()}
    peringatan = peringatan or {}
    problems: list[str] = []
    if keputusan == Pemeriksaan.Keputusan.MEMENUHI:
        for p in PersyaratanDokumen.objects.filter(jf=usulan.jf, wajib=True):
            f = findings.get(p.pk)
            if f is None:
                problems.append(_("Dokumen belum diperiksa: %(doc)s.") % {"doc": p.nama})
            elif not f.sesuai:
                problems.append(_("Dokumen ditandai tidak sesuai: %(doc)s.") % {"doc": p.nama})
        for o in usulan.eligibilitas:
            if o["status"] == "review" and not peringatan.get(o["rule"], {}).get("diterima"):
                problems.append(_("Peringatan belum diputuskan: %(m)s") % {"m": o["message"]})
        action = "loloskan_administrasi"
    elif keputusan == Pemeriksaan.Keputusan.PERBAIKAN:
        if not catatan.strip() and not any(not f.sesuai for f in findings.values()):
            problems.append(_("Sebutkan dokumen yang harus diperbaiki atau tulis catatan untuk PIC."))
        tenggat = tenggat or timezone.localdate() + timedelta(days=usulan.jf.perbaikan_hari)
        if tenggat <= timezone.localdate():
            problems.append(_("Tenggat perbaikan harus setelah hari ini."))
        action = "kembalikan"
    elif keputusan == Pemeriksaan.Keputusan.TIDAK_MEMENUHI:
        if not catatan.strip():
            problems.append(_("Tuliskan alasan tidak memenuhi syarat."))
        action = "tolak"
    else:
        raise ValidationError(_("Keputusan tidak dikenal."))
    if problems:
        raise UsulanError(problems)
    pemeriksaan.keputusan = keputusan
    pemeriksaan.catatan = catatan.strip()
    pemeriksaan.tenggat_perbaikan = tenggat if keputusan == Pemeriksaan.Keputusan.PERBAIKAN else None
    pemeriksaan.keputusan_peringatan = peringatan
    pemeriksaan.diputuskan_at = timezone.now()
    pemeriksaan.save()
    fields = {"tenggat_perbaikan": pemeriksaan.tenggat_perbaikan}
    if keputusan == Pemeriksaan.Keputusan.TIDAK_MEMENUHI:
        fields["formasi"] = usulan.formasi  # kept for the record; the state frees the position
    return pindahkan(
        usulan=usulan,
        action=action,
        actor=actor,
        ip_address=ip_address,
        catatan=catatan,
        fields=fields,
        data={"putaran": pemeriksaan.putaran},
    )


@transaction.atomic
def tolak_perbaikan_lewat_tenggat(*, usulan: Usulan, on: date) -> Usulan | None:
    """System rule of a JF: an overdue perbaikan becomes tidak memenuhi syarat."""
    usulan = kunci_usulan(usulan)
    if usulan.status != Status.PERBAIKAN or not usulan.tenggat_perbaikan or usulan.tenggat_perbaikan >= on:
        return None
    return pindahkan(usulan=usulan, action="tolak", actor=None, roles={"sistem"})


# --------------------------------------------------------------------------- Tim Penilai


@transaction.atomic
def tim_bentuk(
    *, actor, jf: JabatanFungsional, nama: str, mulai: date, selesai: date, anggota: list[tuple], ip_address=None
) -> TimPenilai:
    """Form a Tim Penilai. ``anggota``: (user, peran, bersertifikat). Caller: admin_pembina of the JF.

    Enforces seed 001: odd membership, one ketua and one sekretaris, ≥2 certified, term ≤ 3 years,
    at most two consecutive terms."""
    _require_pembina_of(actor, jf.pk, Role.ADMIN_PEMBINA)
    anggota = [(*a, None)[:4] for a in anggota]  # (user, peran, bersertifikat, golongan)
    # Accounts of other instansi are "not found": no message may name a user the actor cannot see.
    sendiri = set(
        Membership.objects.filter(instansi_id=jf.instansi_pembina_id, is_active=True).values_list("user_id", flat=True)
    )
    asing = [a[0].pk for a in anggota if a[0].pk not in sendiri]
    if asing:
        raise ValidationError([_("Pengguna dengan ID %(id)s tidak ditemukan.") % {"id": i} for i in asing])
    specs = [domain.AnggotaSpec(u.pk, str(u), peran, bool(sert)) for u, peran, sert, _gol in anggota]
    riwayat: dict[int, list[tuple[date, date]]] = {}
    for row in AnggotaTim.objects.filter(tim__jf=jf, user_id__in=[s.user_id for s in specs]).select_related("tim"):
        riwayat.setdefault(row.user_id, []).append((row.tim.periode_mulai, row.tim.periode_selesai))
    errors = domain.validasi_tim(specs, mulai, selesai, riwayat)
    allowed = set(
        Membership.objects.filter(
            instansi_id=jf.instansi_pembina_id, role__in=[Role.PENILAI, Role.KETUA_TIM], is_active=True
        ).values_list("user_id", flat=True)
    )
    for user, peran, _sert, golongan in anggota:
        if golongan is None:
            errors.append(
                _("Isi pangkat/golongan %(nama)s (anggota tim paling rendah berpangkat sama dengan yang dinilai).")
                % {"nama": user}
            )
        if user.pk not in allowed:
            errors.append(_("%(nama)s bukan penilai di instansi pembina JF ini.") % {"nama": user})
        if peran == AnggotaTim.Peran.KETUA and Role.KETUA_TIM not in user.roles:
            errors.append(_("%(nama)s tidak berperan ketua tim.") % {"nama": user})
    if errors:
        raise ValidationError(errors)
    tim = TimPenilai.objects.create(jf=jf, nama=nama, periode_mulai=mulai, periode_selesai=selesai)
    AnggotaTim.objects.bulk_create(
        AnggotaTim(tim=tim, user=u, peran=peran, bersertifikat=bool(sert), golongan=gol)
        for u, peran, sert, gol in anggota
    )
    audit.record(
        "tim.dibentuk",
        actor=actor,
        instansi=jf.instansi_pembina_id,
        jf=jf,
        obj=tim,
        ip_address=ip_address,
        message=_("Tim %(t)s dibentuk dengan %(n)d anggota.") % {"t": nama, "n": len(anggota)},
    )
    return tim


@transaction.atomic
def tugaskan_penilai(*, actor, usulan_list: list[Usulan], tim: TimPenilai, penilai: list, ip_address=None) -> int:
    """Assign dossiers (in bulk) to a team and its penilai; moves lulus administrasi → penilaian.

    Refuses conflicts of interest: a penilai's own dossier, or one of his or her own instansi
    unless the JF allows it. Grants the penilai per-object ``view_usulan``. Caller: admin_pembina
    or the team's ketua."""
    members = {a.user_id: a for a in tim.anggota.select_related("user", "golongan")}
    today = timezone.localdate()
    if not domain.tim_berlaku(tim.periode_mulai, tim.periode_selesai, today):
        raise ValidationError(_tim_tidak_berlaku(tim, today))
    count = 0
    for usulan in usulan_list:
        _require_pembina_of(actor, usulan.jf_id, aksi="mulai_penilaian")
        if tim.jf_id != usulan.jf_id:
            raise ValidationError(_("Tim ini bukan tim JF usulan tersebut."))
        usulan = kunci_usulan(usulan)
        if usulan.status == Status.LULUS_ADMINISTRASI:
            pindahkan(
                usulan=usulan, action="mulai_penilaian", actor=actor, konteks={"tim": tim.nama}, ip_address=ip_address
            )
        elif usulan.status != Status.PENILAIAN:
            raise UsulanError(
                _("Usulan %(n)s berstatus %(s)s, belum dapat dinilai.") % {"n": usulan.nomor, "s": usulan.status_label}
            )
        for user in penilai:
            if user.pk not in members:
                raise ValidationError(_("%(nama)s bukan anggota %(tim)s.") % {"nama": user, "tim": tim.nama})
            reason = domain.konflik_kepentingan(
                penilai_instansi_id=user.instansi.pk if user.instansi else None,
                penilai_nip=user.nip,
                usulan_instansi_id=usulan.instansi_id,
                pegawai_nip=usulan.data_pegawai.get("nip", ""),
                boleh_instansi_sendiri=usulan.jf.penilai_boleh_instansi_sendiri,
            )
            if reason:
                raise ValidationError(f"{user}: {reason}")
            _cek_pangkat(members[user.pk], usulan)
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
            if created:
                assign_perm("pengusulan.view_usulan", user, usulan)
                # The penilai hears of it (after commit, through the outbox).
                outbox.enqueue("verifikasi.kabari_penilaian", jenis="ditugaskan", penugasan_id=_penugasan.pk)
                audit.record(
                    "usulan.penilai_ditugaskan",
                    actor=actor,
                    instansi=usulan.instansi_id,
                    jf=usulan.jf_id,
                    obj=usulan,
                    ip_address=ip_address,
                    message=_("Penilai %(nama)s ditugaskan.") % {"nama": user},
                )
                count += 1
    return count


def _tim_tidak_berlaku(tim: TimPenilai, on: date) -> str:
    return _("Masa jabatan %(t)s (%(a)s – %(b)s) tidak mencakup %(d)s: tim tidak dapat ditugaskan atau bersidang.") % {
        "t": tim.nama,
        "a": tgl_angka(tim.periode_mulai),
        "b": tgl_angka(tim.periode_selesai),
        "d": tgl_angka(on),
    }


def _cek_pangkat(anggota: AnggotaTim, usulan: Usulan) -> None:
    """Seed 001 C.2: the member's pangkat is at least that of the pegawai assessed."""
    kode = (usulan.data_pegawai or {}).get("golongan", "")
    dinilai = Golongan.objects.filter(kode=kode).first() if kode else None
    if not domain.pangkat_cukup(
        anggota.golongan.urutan if anggota.golongan_id else None, dinilai.urutan if dinilai else None
    ):
        raise ValidationError(
            _("%(nama)s (golongan %(a)s) tidak dapat menilai %(p)s (golongan %(b)s): pangkat anggota tim paling rendah "
              "sama dengan pangkat yang dinilai.")
            % {"nama": anggota.user, "a": anggota.golongan.kode if anggota.golongan_id else "belum diisi",
               "p": usulan.pegawai_nama, "b": kode or "-"}
        )  # fmt: skip


@transaction.atomic
def ganti_penilai(*, actor, penugasan: PenugasanPenilai, pengganti, alasan: str, ip_address=None) -> PenugasanPenilai:
    """The ketua replaces a member who has a conflict of interest with another member of the team
    (seed 001 E.7: "dengan usulan ketua tim penilai dapat digantikan oleh anggota pengganti")."""
    penugasan = (
        PenugasanPenilai.objects.select_for_update().select_related("tim", "usulan", "penilai").get(pk=penugasan.pk)
    )
    tim = penugasan.tim
    _ketua_of(actor, tim)
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError(_("Tuliskan alasan penggantian (konflik kepentingan)."))
    if penugasan.selesai_at:
        raise UsulanError(_("Penilaian sudah dikirim; penilai tidak dapat diganti."))
    if penugasan.usulan.status != Status.PENILAIAN:
        raise UsulanError(_("Penilaian usulan ini sudah ditutup."))
    today = timezone.localdate()
    if not domain.tim_berlaku(tim.periode_mulai, tim.periode_selesai, today):
        raise ValidationError(_tim_tidak_berlaku(tim, today))
    anggota = tim.anggota.select_related("user", "golongan").filter(user=pengganti).first()
    if anggota is None:
        raise ValidationError(_("%(nama)s bukan anggota %(tim)s.") % {"nama": pengganti, "tim": tim.nama})
    usulan = penugasan.usulan
    if PenugasanPenilai.objects.filter(usulan=usulan, penilai=pengganti).exists():
        raise ValidationError(_("%(nama)s sudah ditugaskan pada usulan ini.") % {"nama": pengganti})
    reason = domain.konflik_kepentingan(
        penilai_instansi_id=pengganti.instansi.pk if pengganti.instansi else None,
        penilai_nip=pengganti.nip,
        usulan_instansi_id=usulan.instansi_id,
        pegawai_nip=usulan.data_pegawai.get("nip", ""),
        boleh_instansi_sendiri=usulan.jf.penilai_boleh_instansi_sendiri,
    )
    if reason:
        raise ValidationError(f"{pengganti}: {reason}")
    _cek_pangkat(anggota, usulan)
    lama = penugasan.penilai
    remove_perm("pengusulan.view_usulan", lama, usulan)
    penugasan.nilai.all().delete()
    penugasan.delete()
    baru = PenugasanPenilai.objects.create(
        usulan=usulan, penilai=pengganti, instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, tim=tim,
        ditugaskan_oleh=actor,
    )  # fmt: skip
    assign_perm("pengusulan.view_usulan", pengganti, usulan)
    audit.record(
        "usulan.penilai_diganti", actor=actor, instansi=usulan.instansi_id, jf=usulan.jf_id, obj=usulan,
        ip_address=ip_address,
        message=_("Penilai %(lama)s diganti oleh %(baru)s: %(alasan)s") % {"lama": lama, "baru": pengganti,
                                                                          "alasan": alasan[:300]},
        data={"lama": lama.pk, "baru": pengganti.pk},
    )  # fmt: skip
    return baru


@transaction.atomic
def nyatakan_bebas_konflik(*, actor, penugasan: PenugasanPenilai, ip_address=None) -> PenugasanPenilai:
    if penugasan.penilai_id != actor.pk:
        raise PermissionDenied
    if penugasan.bebas_konflik_at is None:
        penugasan.bebas_konflik_at = timezone.now()
        penugasan.save(update_fields=["bebas_konflik_at"])
        audit.record(
            "penilai.bebas_konflik",
            actor=actor,
            instansi=penugasan.instansi_id,
            jf=penugasan.jf_id,
            obj=penugasan.usulan,
            ip_address=ip_address,
            message=_("%(nama)s menyatakan tidak ada konflik kepentingan.") % {"nama": actor},
        )
    return penugasan


@transaction.atomic
def simpan_nilai(
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
        audit.record(
            "penilai.selesai",
            actor=actor,
            instansi=penugasan.instansi_id,
            jf=penugasan.jf_id,
            obj=penugasan.usulan,
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


# --------------------------------------------------------------------------- sidang


def _ketua_of(actor, tim: TimPenilai) -> AnggotaTim:
    ketua = tim.anggota.filter(user=actor, peran=AnggotaTim.Peran.KETUA).first()
    if ketua is None or not peran_boleh(actor, "nyatakan_lulus"):
        raise PermissionDenied
    return ketua


@transaction.atomic
def buka_sidang(*, actor, tim: TimPenilai, usulan_list: list[Usulan], tanggal: date, tempat: str = "") -> Sidang:
    """Open a sidang for dossiers that at least 2/3 of the members have scored (seed 001 D.3)."""
    _ketua_of(actor, tim)
    for day in {timezone.localdate(), tanggal}:
        if not domain.tim_berlaku(tim.periode_mulai, tim.periode_selesai, day):
            raise ValidationError(_tim_tidak_berlaku(tim, day))
    jumlah_anggota = tim.anggota.count()
    problems = []
    usulan_list = [kunci_usulan(u) for u in usulan_list]  # the current state, not the caller's copy
    for usulan in usulan_list:
        if usulan.status != Status.PENILAIAN or not usulan.penugasan_penilai.filter(tim=tim).exists():
            problems.append(_("Usulan %(n)s tidak sedang dinilai oleh tim ini.") % {"n": usulan.nomor})
            continue
        selesai = usulan.penugasan_penilai.filter(tim=tim, selesai_at__isnull=False).count()
        if not domain.dua_pertiga(selesai, jumlah_anggota):
            problems.append(
                _("Usulan %(n)s baru dinilai %(s)d dari %(t)d anggota; sidang memerlukan paling sedikit 2/3.")
                % {"n": usulan.nomor, "s": selesai, "t": jumlah_anggota}
            )
    if problems or not usulan_list:
        raise UsulanError(problems or [_("Pilih usulan yang akan disidangkan.")])
    sidang = Sidang.objects.create(tim=tim, tanggal=tanggal, tempat=tempat, dibuka_oleh=actor)
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
def catat_kehadiran(*, actor, sidang: Sidang, hadir: list[AnggotaTim]) -> Sidang:
    sidang = Sidang.objects.select_for_update().get(pk=sidang.pk)
    _ketua_of(actor, sidang.tim)
    if sidang.status != Sidang.Status.DIBUKA:
        raise UsulanError(_("Sidang sudah ditutup."))
    if any(a.tim_id != sidang.tim_id for a in hadir):
        raise ValidationError(_("Yang hadir harus anggota tim."))
    sidang.hadir.set(hadir)
    return sidang


@transaction.atomic
def putuskan_sidang(*, actor, sidang: Sidang, keputusan: dict[int, tuple[str, str]], ip_address=None) -> BeritaAcara:
    """Decide each dossier lulus / tidak lulus (with reasons) and produce the berita acara.

    Valid only when at least 2/3 of the members attend (seed 001 D.4). Caller: the team's ketua."""
    sidang = Sidang.objects.select_for_update().select_related("tim", "tim__jf").get(pk=sidang.pk)
    _ketua_of(actor, sidang.tim)
    if sidang.status != Sidang.Status.DIBUKA:
        raise UsulanError(_("Sidang sudah ditutup."))
    today = timezone.localdate()
    if not domain.tim_berlaku(sidang.tim.periode_mulai, sidang.tim.periode_selesai, today):
        raise ValidationError(_tim_tidak_berlaku(sidang.tim, today))
    anggota = list(sidang.tim.anggota.select_related("user", "golongan").order_by("peran", "id"))
    hadir = list(sidang.hadir.select_related("user"))
    if not domain.dua_pertiga(len(hadir), len(anggota)):
        raise UsulanError(
            _("Kuorum tidak tercapai: hadir %(h)d dari %(t)d anggota, paling sedikit 2/3 harus hadir.")
            % {"h": len(hadir), "t": len(anggota)}
        )
    rows = list(sidang.usulan.select_related("usulan"))
    problems = []
    for row in rows:
        hasil, alasan = keputusan.get(row.usulan_id, ("", ""))
        if hasil not in SidangUsulan.Keputusan.values:
            problems.append(_("Belum ada keputusan untuk usulan %(n)s.") % {"n": row.usulan.nomor})
        elif hasil == SidangUsulan.Keputusan.TIDAK_LULUS and not alasan.strip():
            problems.append(_("Tuliskan alasan tidak lulus untuk usulan %(n)s.") % {"n": row.usulan.nomor})
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
            konteks={"sidang": tgl_angka(sidang.tanggal)},
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
                "hadir": a in hadir,
            }
            for a in anggota
        ],
        "kuorum": {"hadir": len(hadir), "anggota": len(anggota)},
        "hasil": hasil_list,
    }
    berita = BeritaAcara.objects.create(sidang=sidang, isi=isi, ditandatangani_oleh=actor)
    from apps.surat.services import berita_acara_terbitkan  # the letters build on this app

    berita_acara_terbitkan(actor=actor, berita=berita, ip_address=ip_address)
    audit.record(
        "sidang.diputuskan",
        actor=actor,
        instansi=sidang.tim.jf.instansi_pembina_id,
        jf=sidang.tim.jf_id,
        obj=sidang,
        ip_address=ip_address,
        message=_("Berita acara sidang %(t)s ditandatangani.") % {"t": sidang.tim.nama},
    )
    return berita
