"""Forming a Tim Penilai angka kredit and its Sekretariat (seed 001 BAB II-III; domain.md §8).

Who forms which team (seed 001 BAB II E.4): the pusat team is the JF's pembina's — its admin
pembina forms it; an instansi, provinsi or kabupaten/kota team is the instansi's own — its PIC
(the instansi's admin on this portal) forms it, at the level its kind of instansi has. Members
and the sekretariat are accounts of the owning instansi holding the role (``penilai_ak``,
``sekretariat_tim``): the team's instansi is the scope through which they see the usulan they
assess. Every rule is checked at once (``masalah``), so a refused form lists all that is wrong.
Writes are atomic and audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, Role
from apps.core import audit
from apps.core.format import tgl
from apps.penetapan import domain
from apps.penetapan.models import AnggotaTimAK, SekretariatTimAK, TimPenilaiAK, Tingkat


def tingkat_dibentuk(actor) -> str | None:
    """The level of team ``actor`` forms: pusat for an admin pembina, the instansi's own level
    for its PIC; None for anyone else."""
    instansi = getattr(actor, "instansi", None)
    roles = getattr(actor, "roles", frozenset())
    if instansi is None:
        return None
    if Role.ADMIN_PEMBINA in roles and instansi.is_pembina:
        return Tingkat.PUSAT
    if Role.PIC_INSTANSI in roles:
        return domain.tingkat_instansi(instansi.jenis)
    return None


def jf_pilihan(actor):
    """The JFs ``actor`` may form a team for: the pembina's own JFs for the pusat team; any JF
    for an instansi's own team."""
    from apps.referensi.models import JabatanFungsional

    tingkat = tingkat_dibentuk(actor)
    if tingkat is None:
        return JabatanFungsional.objects.none()
    qs = JabatanFungsional.objects.order_by("nama")
    if tingkat == Tingkat.PUSAT:
        qs = qs.filter(instansi_pembina_id=actor.instansi.pk)
    return qs


def boleh_kelola(actor, tim: TimPenilaiAK) -> bool:
    """The team's own manager: the owner instansi's admin pembina (pusat) or PIC (other levels)."""
    instansi = getattr(actor, "instansi", None)
    if instansi is None or tim.instansi_id != instansi.pk:
        return False
    tingkat = tingkat_dibentuk(actor)
    return tingkat is not None and (tim.tingkat == Tingkat.PUSAT) == (tingkat == Tingkat.PUSAT)


#: Dates a term may start on: a typo such as 9999 or 0202 is refused, not computed with.
TAHUN_WAJAR = (2000, 2100)


def _tanggal_wajar(nama: str, d: date | None, errors: list) -> date | None:
    if d is not None and not (TAHUN_WAJAR[0] <= d.year <= TAHUN_WAJAR[1]):
        a, b = TAHUN_WAJAR
        errors.append(_("%(f)s %(d)s di luar rentang tahun %(a)d–%(b)d.") % {"f": nama, "d": tgl(d), "a": a, "b": b})
        return None
    return d


def _pemegang(instansi_id: int, role: str) -> set[int]:
    return set(
        Membership.objects.filter(instansi_id=instansi_id, role=role, is_active=True, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def calon(actor, role: str):
    """Accounts of the actor's instansi holding ``role`` (members: penilai_ak; sekretariat:
    sekretariat_tim), by name."""
    from apps.accounts.models import User

    instansi = getattr(actor, "instansi", None)
    if instansi is None:
        return User.objects.none()
    return User.objects.filter(pk__in=sorted(_pemegang(instansi.pk, role))).order_by("nama_lengkap", "username")


def _riwayat(owner_id: int, jf, tingkat: str, user_ids) -> dict[int, list[tuple[date, date]]]:
    riwayat: dict[int, list[tuple[date, date]]] = {}
    rows = AnggotaTimAK.objects.filter(
        tim__instansi_id=owner_id, tim__jf=jf, tim__tingkat=tingkat, user_id__in=list(user_ids)
    ).values_list("user_id", "tim__masa_mulai", "tim__masa_selesai")
    for user_id, mulai, selesai in rows:
        riwayat.setdefault(user_id, []).append((mulai, selesai))
    return riwayat


def masalah(
    *, actor, jf, mulai: date | None, anggota: list[tuple], sekretariat: list, sekretariat_mulai: date | None
) -> list[str]:
    """Every rule the proposed team breaks (empty: it may be formed). ``jf`` and the dates may be
    None (the form is incomplete): the rules that need them wait. ``anggota``: (user, peran,
    bersertifikat); ``sekretariat``: users."""
    tingkat = tingkat_dibentuk(actor)
    if tingkat is None:
        raise PermissionDenied
    owner = actor.instansi
    errors: list[str] = []
    mulai = _tanggal_wajar(_("Masa jabatan tim mulai"), mulai, errors)
    sekretariat_mulai = _tanggal_wajar(_("Masa sekretariat mulai"), sekretariat_mulai, errors)
    if jf is not None and tingkat == Tingkat.PUSAT and jf.instansi_pembina_id != owner.pk:
        raise PermissionDenied
    penilai = _pemegang(owner.pk, Role.PENILAI_AK)
    for user, _peran, _sert in anggota:
        if user.pk not in penilai:
            errors.append(_("%(nama)s bukan anggota tim penilai angka kredit di instansi ini.") % {"nama": user})
    stp = _pemegang(owner.pk, Role.SEKRETARIAT_TIM)
    for user in sekretariat:
        if user.pk not in stp:
            errors.append(_("%(nama)s bukan sekretariat tim penilai di instansi ini.") % {"nama": user})
    if not anggota:
        errors.append(_("Pilih ketua, sekretaris dan anggota tim."))
    else:
        specs = [domain.CalonAnggota(u.pk, str(u), peran, bool(sert)) for u, peran, sert in anggota]
        riwayat = _riwayat(owner.pk, jf, tingkat, [s.user_id for s in specs]) if jf is not None and mulai else {}
        errors += domain.validasi_susunan(tingkat, specs, mulai, riwayat)
    if not sekretariat:
        errors.append(_("Pilih paling sedikit satu anggota sekretariat tim penilai."))
    if jf is not None and mulai:
        selesai = domain.masa_selesai(mulai, domain.MASA_TIM_TAHUN)
        bentrok = (
            TimPenilaiAK.objects.filter(
                instansi_id=owner.pk, jf=jf, tingkat=tingkat, masa_mulai__lte=selesai, masa_selesai__gte=mulai
            )
            .order_by("masa_mulai")
            .first()
        )
        if bentrok is not None:
            errors.append(
                _(
                    "Masa jabatan %(tim)s (%(a)s s.d. %(b)s) masih berjalan pada masa itu; tim baru dapat dibentuk "
                    "mulai %(c)s."
                )
                % {
                    "tim": bentrok.nama,
                    "a": tgl(bentrok.masa_mulai),
                    "b": tgl(bentrok.masa_selesai),
                    "c": tgl(date.fromordinal(bentrok.masa_selesai.toordinal() + 1)),
                }
            )
        if sekretariat_mulai and not (mulai <= sekretariat_mulai <= selesai):
            errors.append(
                _("Masa sekretariat harus dimulai dalam masa jabatan tim (%(a)s s.d. %(b)s).")
                % {"a": tgl(mulai), "b": tgl(selesai)}
            )
    return errors


@transaction.atomic
def tim_bentuk(
    *,
    actor,
    jf,
    nama: str,
    mulai: date,
    anggota: list[tuple],
    sekretariat: list,
    sekretariat_mulai: date | None = None,
    nomor_sk: str = "",
    ip_address=None,
) -> TimPenilaiAK:
    """Form a team for a 3-year term from ``mulai`` with its sekretariat for one year from
    ``sekretariat_mulai`` (default: the team's start). Refused with every broken rule at once."""
    errors = masalah(
        actor=actor, jf=jf, mulai=mulai, anggota=anggota, sekretariat=sekretariat, sekretariat_mulai=sekretariat_mulai
    )
    nama = (nama or "").strip()
    if not nama:
        errors.insert(0, _("Isi nama tim."))
    if errors:
        raise ValidationError(errors)
    owner = actor.instansi
    tingkat = tingkat_dibentuk(actor)
    tim = TimPenilaiAK.objects.create(
        instansi=owner,
        jf=jf,
        tingkat=tingkat,
        nama=nama,
        masa_mulai=mulai,
        masa_selesai=domain.masa_selesai(mulai, domain.MASA_TIM_TAHUN),
        nomor_sk=(nomor_sk or "").strip(),
        dibentuk_oleh=actor,
    )
    AnggotaTimAK.objects.bulk_create(
        AnggotaTimAK(tim=tim, instansi=owner, jf=jf, user=u, peran=peran, bersertifikat=bool(sert))
        for u, peran, sert in anggota
    )
    s_mulai = sekretariat_mulai or mulai
    SekretariatTimAK.objects.bulk_create(
        SekretariatTimAK(
            tim=tim,
            instansi=owner,
            jf=jf,
            user=u,
            masa_mulai=s_mulai,
            masa_selesai=domain.masa_selesai(s_mulai, domain.MASA_SEKRETARIAT_TAHUN),
        )
        for u in sekretariat
    )
    audit.record_objek(
        "penetapan.tim_dibentuk",
        tim,
        actor=actor,
        ip_address=ip_address,
        message=_(
            "%(t)s (%(l)s) dibentuk untuk masa %(a)s s.d. %(b)s: %(n)d anggota, %(p)d pengganti, %(s)d sekretariat."
        )
        % {
            "t": tim.nama,
            "l": tim.get_tingkat_display(),
            "a": tgl(tim.masa_mulai),
            "b": tgl(tim.masa_selesai),
            "n": sum(1 for a in anggota if a[1] != AnggotaTimAK.Peran.PENGGANTI),
            "p": sum(1 for a in anggota if a[1] == AnggotaTimAK.Peran.PENGGANTI),
            "s": len(sekretariat),
        },
        data={"anggota": [u.pk for u, _p, _s in anggota], "sekretariat": [u.pk for u in sekretariat]},
    )
    return tim


@transaction.atomic
def sekretariat_tetapkan(*, actor, tim: TimPenilaiAK, users: list, mulai: date | None, ip_address=None) -> list:
    """A new one-year term of the team's sekretariat (seed 001 BAB III F), within the team's
    term; a user already in the sekretariat on those dates is refused (every reason at once)."""
    tim = TimPenilaiAK.objects.select_for_update().get(pk=tim.pk)
    if not boleh_kelola(actor, tim):
        raise PermissionDenied
    errors: list[str] = []
    stp = _pemegang(tim.instansi_id, Role.SEKRETARIAT_TIM)
    if not users:
        errors.append(_("Pilih paling sedikit satu anggota sekretariat tim penilai."))
    for user in users:
        if user.pk not in stp:
            errors.append(_("%(nama)s bukan sekretariat tim penilai di instansi ini.") % {"nama": user})
    diisi = mulai is not None
    mulai = _tanggal_wajar(_("Masa sekretariat mulai"), mulai, errors)
    if mulai is None:
        if not diisi:
            errors.append(_("Isi tanggal mulai masa sekretariat."))
    else:
        selesai = domain.masa_selesai(mulai, domain.MASA_SEKRETARIAT_TAHUN)
        if not (tim.masa_mulai <= mulai <= tim.masa_selesai):
            errors.append(
                _("Masa sekretariat harus dimulai dalam masa jabatan tim (%(a)s s.d. %(b)s).")
                % {"a": tgl(tim.masa_mulai), "b": tgl(tim.masa_selesai)}
            )
        for row in SekretariatTimAK.objects.filter(
            tim=tim, user__in=[u.pk for u in users], masa_mulai__lte=selesai, masa_selesai__gte=mulai
        ).select_related("user"):
            errors.append(
                _("%(nama)s sudah menjadi sekretariat tim ini pada %(a)s s.d. %(b)s.")
                % {"nama": row.user, "a": tgl(row.masa_mulai), "b": tgl(row.masa_selesai)}
            )
    if errors:
        raise ValidationError(errors)
    rows = SekretariatTimAK.objects.bulk_create(
        SekretariatTimAK(
            tim=tim, instansi_id=tim.instansi_id, jf_id=tim.jf_id, user=u, masa_mulai=mulai, masa_selesai=selesai
        )
        for u in users
    )
    audit.record_objek(
        "penetapan.sekretariat_ditetapkan",
        tim,
        actor=actor,
        ip_address=ip_address,
        message=_("Sekretariat %(t)s untuk masa %(a)s s.d. %(b)s: %(n)s.")
        % {"t": tim.nama, "a": tgl(mulai), "b": tgl(selesai), "n": ", ".join(str(u) for u in users)},
    )
    return rows


#: The accounts a team's manager may invite from the team pages: members and sekretariat.
PERAN_UNDANGAN = (Role.PENILAI_AK, Role.SEKRETARIAT_TIM)


@transaction.atomic
def akun_undang(*, actor, peran: str, nama_lengkap: str, email: str, nip: str = "", ip_address=None):
    """The team's manager (the JF's admin pembina for the pusat team, the instansi's PIC for its
    own) invites an account of their own instansi as a member (``penilai_ak``) or sekretariat
    (``sekretariat_tim``) candidate, so a team can be formed without the superadmin: a new
    account gets the usual e-mail with the link to set a password (through the outbox); an
    account of the same instansi gets the role (and, without a password yet, the e-mail again).
    Refused: an account of another instansi or a superadmin's (the e-mail or NIP is theirs),
    every reason at once."""
    from django.core.validators import validate_email

    from apps.accounts import services as akun
    from apps.accounts.models import User
    from apps.core import outbox
    from apps.referensi import domain as aturan

    if tingkat_dibentuk(actor) is None:
        raise PermissionDenied
    owner = actor.instansi
    errors: dict[str, list[str]] = {}
    if peran not in PERAN_UNDANGAN:
        errors["peran"] = [_("Pilih peran: anggota tim penilai angka kredit atau sekretariat tim penilai.")]
    nama_lengkap = (nama_lengkap or "").strip()
    if not nama_lengkap:
        errors["nama_lengkap"] = [_("Isi nama lengkap.")]
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Isi alamat e-mail yang benar; tautan untuk membuat kata sandi dikirim ke sana.")]
    nip = (nip or "").replace(" ", "")
    if nip:
        try:
            nip = aturan.nip_pns(nip).nip
        except aturan.NipError as exc:
            errors["nip"] = [str(exc)]
    if nip and nama_lengkap and "nip" not in errors:
        # One NIP is one person: a holder of a JF recorded under another name is not invited
        # under this one (fresh-eye walk of issue 19).
        from apps.jabatan.models import PejabatFungsional
        from apps.ttd.validasi import nama_sama

        pemegang = PejabatFungsional.objects.filter(nip=nip).order_by("pk").first()
        if pemegang is not None and not nama_sama(nama_lengkap, pemegang.nama):
            errors["nip"] = [
                _("NIP %(nip)s tercatat sebagai pejabat fungsional %(n)s, bukan %(m)s; periksa NIP atau nama.")
                % {"nip": nip, "n": pemegang.nama, "m": nama_lengkap}
            ]
    if errors:
        raise ValidationError(errors)
    cocok = list(
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=nip or email) | (Q(nip=nip) if nip else Q()))
        .distinct()
        .order_by("pk")
    )
    if len(cocok) > 1:
        raise ValidationError(
            _("Alamat e-mail dan NIP itu milik akun yang berbeda; periksa kembali atau hubungi superadmin platform.")
        )
    user = cocok[0] if cocok else None
    if user is not None and nip and user.nip == nip and user.nama_lengkap:
        from apps.ttd.validasi import nama_sama

        if not nama_sama(nama_lengkap, user.nama_lengkap):
            raise ValidationError(
                {
                    "nip": [
                        _("NIP %(nip)s milik akun %(u)s atas nama %(n)s, bukan %(m)s; periksa NIP atau nama.")
                        % {"nip": nip, "u": user.username, "n": user.nama_lengkap, "m": nama_lengkap}
                    ]
                }
            )
    if user is not None:
        lain = user.memberships.filter(is_active=True).exclude(instansi_id=owner.pk).exists()
        if user.is_superuser or lain:
            raise ValidationError(
                {
                    "email": [
                        _("Akun %(u)s terdaftar di instansi lain; undangan hanya untuk pegawai %(i)s.")
                        % {"u": user.username, "i": owner.nama}
                    ]
                }
            )
        if Role.PEJABAT_FUNGSIONAL in user.memberships.filter(is_active=True).values_list("role", flat=True):
            raise ValidationError(
                {
                    "email": [
                        _(
                            "Akun %(u)s adalah login pribadi pejabat fungsional (hanya melihat datanya sendiri); "
                            "undang dengan alamat e-mail dinas yang lain."
                        )
                        % {"u": user.username}
                    ]
                }
            )
        if not user.is_active:
            raise ValidationError(
                _("Akun %(u)s nonaktif; mintalah superadmin platform mengaktifkannya.") % {"u": user.username}
            )
        Membership.objects.update_or_create(user=user, role=peran, defaults={"instansi": owner, "is_active": True})
        if not user.has_usable_password():
            outbox.enqueue("accounts.kirim_email_akun_baru", user_id=user.pk)
    else:
        user = akun.user_create(
            username=nip or email, nama_lengkap=nama_lengkap, email=email, nip=nip, instansi=owner, roles=[peran],
            actor=actor,
        )  # fmt: skip
    audit.record(
        "penetapan.akun_diundang",
        actor=actor,
        instansi=owner.pk,
        obj=user,
        ip_address=ip_address,
        message=_("%(n)s diundang sebagai %(r)s.") % {"n": user.nama_lengkap or user.username, "r": Role(peran).label},
        data={"peran": peran, "baru": not cocok},
    )
    return user


def tim_terlihat(actor):
    """The teams a user may open on the team pages: their instansi's own (PIC: not the pusat
    team; admin pembina: every team of their JFs, of any instansi — seed 001 BAB II E.5: the
    decree forming a team goes to the pembina)."""
    from apps.core import tenancy

    instansi = getattr(actor, "instansi", None)
    roles = getattr(actor, "roles", frozenset())
    if instansi is None or tenancy.current() is None:
        return TimPenilaiAK.objects.none()
    if Role.ADMIN_PEMBINA in roles:
        return TimPenilaiAK.objects.filter(jf_id__in=sorted(tenancy.require().jf_ids))
    if Role.PIC_INSTANSI in roles:
        return TimPenilaiAK.objects.filter(instansi_id=instansi.pk).exclude(tingkat=Tingkat.PUSAT)
    return TimPenilaiAK.objects.none()
