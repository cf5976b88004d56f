"""The holder's own login (issue 19, item 5): the PIC invites the pejabat fungsional from the
holder's page, and may revoke the access.

The invitation makes (or reuses) the user, gives it the role ``pejabat_fungsional`` in the
holder's instansi, links it to the record (``PejabatFungsional.user``) and sends the usual
account e-mail with the link to set a password (``accounts.kirim_email_akun_baru``, through the
outbox). With that role alone the user's tenant scope is the record itself
(``apps.core.tenancy``: ``pejabat_id``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts import permissions
from apps.accounts.models import Membership, Role, User
from apps.core import audit, outbox
from apps.jabatan.models import PejabatFungsional


def _wajib_pic(actor) -> None:
    if not permissions.has_role(actor, Role.PIC_INSTANSI):
        raise ValidationError(_("Hanya PIC instansi yang dapat mengundang pejabat fungsional."))


@transaction.atomic
def pejabat_undang(*, actor, pejabat: PejabatFungsional, email: str, ip_address=None) -> User:
    """Invite the holder (or send the invitation again). The username is the holder's NIP."""
    _wajib_pic(actor)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Isi alamat e-mail pejabat fungsional yang benar.")}) from None
    pejabat = PejabatFungsional.objects.select_for_update().get(pk=pejabat.pk)
    if not pejabat.aktif:
        raise ValidationError(_("%(nama)s tidak lagi aktif; undangan tidak dapat dikirim.") % {"nama": pejabat.nama})
    user = pejabat.user
    if user is None:
        user = User.objects.filter(username__iexact=pejabat.nip).first()
        if user is not None:
            other = user.memberships.filter(is_active=True).exclude(instansi_id=pejabat.instansi_id)
            if other.exists() or PejabatFungsional.objects.filter(user=user).exclude(pk=pejabat.pk).exists():
                raise ValidationError(
                    _("Nama pengguna %(u)s sudah dipakai akun lain; hubungi superadmin platform.") % {"u": pejabat.nip}
                )
    dipakai = User.objects.filter(email__iexact=email)
    if user is not None:
        dipakai = dipakai.exclude(pk=user.pk)
    if dipakai.exists():
        # The set-password link would go to another account's mailbox (another holder's).
        raise ValidationError(
            {
                "email": _("Alamat e-mail %(email)s sudah dipakai akun lain; isi alamat e-mail pribadi %(nama)s.")
                % {"email": email, "nama": pejabat.nama}
            }
        )
    if user is None:
        user = User(username=pejabat.nip, nama_lengkap=pejabat.nama, email=email, nip=pejabat.nip)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit.record(
            "akun.dibuat", actor=actor, instansi=pejabat.instansi_id, obj=user, ip_address=ip_address,
            message=_("Akun %(u)s dibuat dengan peran %(r)s.") % {"u": user.username, "r": Role.PEJABAT_FUNGSIONAL},
            data={"roles": [Role.PEJABAT_FUNGSIONAL.value]},
        )  # fmt: skip
    elif user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    Membership.objects.update_or_create(
        user=user, role=Role.PEJABAT_FUNGSIONAL, defaults={"instansi_id": pejabat.instansi_id, "is_active": True}
    )
    if pejabat.user_id != user.pk:
        pejabat.user = user
        pejabat.save(update_fields=["user", "updated_at"])
    if not getattr(user, "_undangan_terkirim", False):
        # A new account already got it from the post_save signal (apps.accounts.signals
        # .undang_pengguna_baru): enqueuing again sent two identical e-mails (issue 19 walk).
        outbox.enqueue("accounts.kirim_email_akun_baru", user_id=user.pk)
    audit.record_objek(
        "jabatan.diundang",
        pejabat,
        actor=actor,
        ip_address=ip_address,
        message=_("%(nama)s diundang masuk ke SIAKS sebagai pejabat fungsional.") % {"nama": pejabat.nama},
        data={"user": user.pk},
    )
    return user


@transaction.atomic
def pejabat_cabut_akses(*, actor, pejabat: PejabatFungsional, ip_address=None) -> int:
    """Revoke the holder's login (the role; the account and the record stay). Returns the number
    of roles revoked."""
    _wajib_pic(actor)
    pejabat = PejabatFungsional.objects.select_for_update().get(pk=pejabat.pk)
    if pejabat.user_id is None:
        return 0
    dicabut = 0
    for membership in Membership.objects.filter(user_id=pejabat.user_id, role=Role.PEJABAT_FUNGSIONAL, is_active=True):
        membership.is_active = False
        membership.save(update_fields=["is_active"])  # the signal revokes the user's API tokens
        dicabut += 1
    audit.record_objek(
        "jabatan.akses_dicabut",
        pejabat,
        actor=actor,
        ip_address=ip_address,
        message=_("Akses %(nama)s ke SIAKS dicabut.") % {"nama": pejabat.nama},
        data={"user": pejabat.user_id},
    )
    return dicabut


def surat_tautkan(usulan, pejabat: PejabatFungsional) -> int:
    """At "SK terbit": the holder's own SK and PAK of that usulan (not a collective SK, which
    names others) become readable by the holder. Returns the number of letters linked."""
    from apps.surat.models import JenisSurat, Surat, VersiSurat

    ids = list(
        Surat.objects.filter(baris__usulan=usulan, jenis__in=[JenisSurat.SK, JenisSurat.PAK], pejabat__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    if ids:
        Surat.objects.filter(pk__in=ids).update(pejabat=pejabat)
        VersiSurat.objects.filter(surat_id__in=ids).update(pejabat=pejabat)
    return len(ids)
