"""Forming a Tim Penilai (seed 001)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, Role
from apps.core import audit
from apps.core.format import tgl
from apps.referensi.models import JabatanFungsional, Jenjang
from apps.verifikasi import domain
from apps.verifikasi.models import (
    AnggotaTim,
    TimPenilai,
)
from apps.verifikasi.permissions import wajib_pembina_jf


@transaction.atomic
def tim_bentuk(
    *, actor, jf: JabatanFungsional, nama: str, mulai: date, selesai: date, anggota: list[tuple], ip_address=None
) -> TimPenilai:
    """Form a Tim Penilai. ``anggota``: (user, peran, bersertifikat). Caller: admin_pembina of the JF.

    Enforces seed 001: odd membership, one ketua and one sekretaris, ≥2 certified, term ≤ 3 years,
    at most two consecutive terms."""
    wajib_pembina_jf(actor, jf.pk, Role.ADMIN_PEMBINA)
    anggota = [(*a, None)[:4] for a in anggota]  # (user, peran, bersertifikat, golongan)
    errors = tim_periksa(instansi_pembina_id=jf.instansi_pembina_id, jf=jf, mulai=mulai, selesai=selesai,
                         anggota=anggota, nama=nama)  # fmt: skip
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
        message=_("%(t)s dibentuk dengan %(n)d anggota.") % {"t": domain.sebut_tim(nama), "n": len(anggota)},
    )
    return tim


def tim_periksa(
    *, instansi_pembina_id: int, jf: JabatanFungsional | None, mulai: date | None, selesai: date | None,
    anggota: list[tuple], nama: str = "",
) -> list[str]:  # fmt: skip
    """Every rule of seed 001 a new team would break, as messages (empty: none). ``anggota``:
    (user, peran, bersertifikat, golongan). Without ``jf`` or a date the rules that need them are
    left out, so a form missing them still hears every other problem at once."""
    anggota = [(*a, None)[:4] for a in anggota]
    # Accounts of other instansi are "not found": no message may name a user the actor cannot see.
    sendiri = set(
        Membership.objects.filter(instansi_id=instansi_pembina_id, is_active=True).values_list("user_id", flat=True)
    )
    asing = [a[0].pk for a in anggota if a[0].pk not in sendiri]
    if asing:
        return [_("Pengguna dengan ID %(id)s tidak ditemukan.") % {"id": i} for i in asing]
    specs = [domain.AnggotaSpec(u.pk, str(u), peran, bool(sert)) for u, peran, sert, _gol in anggota]
    riwayat: dict[int, list[tuple[date, date]]] = {}
    terms = []
    if jf is not None:
        terms = AnggotaTim.objects.filter(tim__jf=jf, user_id__in=[s.user_id for s in specs]).select_related("tim")
        for row in terms:
            riwayat.setdefault(row.user_id, []).append((row.tim.periode_mulai, row.tim.periode_selesai))
    errors = domain.validasi_tim(specs, mulai, selesai, riwayat)
    if jf is not None and mulai is not None and selesai is not None and mulai <= selesai:
        # Two teams of a JF may serve at once (seed 001 limits a team's size and terms, not their
        # number), but a person sits in one of them at a time: in two, the same member would
        # score and decide one dossier twice and the term rules would count double.
        nama_user = {u.pk: str(u) for u, *_rest in anggota}
        for row in terms:
            if row.tim.periode_mulai <= selesai and mulai <= row.tim.periode_selesai:
                errors.append(
                    _(
                        "%(nama)s sudah menjadi anggota %(t)s (%(a)s – %(b)s) untuk JF ini; seorang penilai hanya "
                        "dapat duduk di satu tim penilai JF yang sama pada satu waktu."
                    )
                    % {"nama": nama_user[row.user_id], "t": row.tim.nama, "a": tgl(row.tim.periode_mulai),
                       "b": tgl(row.tim.periode_selesai)}
                )  # fmt: skip
    hari_ini = timezone.localdate()
    if selesai is not None and selesai < hari_ini and (mulai is None or selesai > mulai):
        # A team whose term is over could neither be assigned dossiers nor hold a sidang.
        errors.append(
            _("Masa jabatan tim berakhir %(d)s, sebelum hari ini (%(h)s): tim yang masa jabatannya sudah berakhir "
              "tidak dapat dibentuk.") % {"d": tgl(selesai), "h": tgl(hari_ini)}
        )  # fmt: skip
    batas = TimPenilai._meta.get_field("nama").max_length
    if len(nama) > batas:
        errors.insert(0, _("Nama tim paling banyak %(n)d karakter.") % {"n": batas})
    allowed = set(
        Membership.objects.filter(
            instansi_id=instansi_pembina_id, role__in=[Role.PENILAI, Role.KETUA_TIM], is_active=True
        ).values_list("user_id", flat=True)
    )
    # Seed 001 C.2: a member's pangkat is at least the assessed one; one below the JF's lowest
    # jenjang could assess no dossier at all (each dossier is checked again at assignment and sidang).
    terendah = (
        Jenjang.objects.filter(jf=jf).select_related("golongan_min").order_by("golongan_min__urutan").first()
        if jf is not None
        else None
    )
    for user, peran, _sert, golongan in anggota:
        if golongan is None:
            errors.append(
                _("Isi pangkat/golongan %(nama)s (anggota tim paling rendah berpangkat sama dengan yang dinilai).")
                % {"nama": user}
            )
        elif terendah is not None and golongan.urutan < terendah.golongan_min.urutan:
            errors.append(
                _(
                    "%(nama)s (golongan %(a)s) tidak dapat menjadi anggota tim: pangkat anggota paling rendah sama "
                    "dengan pangkat yang dinilai, dan jenjang terendah JF %(jf)s (%(j)s) bergolongan %(b)s."
                )
                % {"nama": user, "a": golongan.kode, "jf": jf.nama, "j": terendah.nama, "b": terendah.golongan_min.kode}
            )
        if user.pk not in allowed:
            errors.append(_("%(nama)s bukan penilai di instansi pembina JF ini.") % {"nama": user})
        if peran == AnggotaTim.Peran.KETUA and Role.KETUA_TIM not in user.roles:
            errors.append(_("%(nama)s tidak berperan ketua tim.") % {"nama": user})
    return errors


def wajib_tim_berlaku(tim: TimPenilai, on: date) -> None:
    """A team outside its term is neither assigned dossiers nor holds a sidang (seed 001)."""
    if not domain.tim_berlaku(tim.periode_mulai, tim.periode_selesai, on):
        raise ValidationError(
            _("Masa jabatan %(t)s (%(a)s – %(b)s) tidak mencakup %(d)s: tim tidak dapat ditugaskan atau bersidang.")
            % {
                "t": tim.nama,
                "a": tgl(tim.periode_mulai),
                "b": tgl(tim.periode_selesai),
                "d": tgl(on),
            }
        )
