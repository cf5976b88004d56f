"""Security events in the audit log: who, when, from where — never a password or token."""

from __future__ import annotations

from apps.core import audit


def _ip(request):
    return audit.client_ip(request) if request is not None else None


def catat_masuk(sender, request, user, **kwargs) -> None:
    audit.record(
        "auth.masuk", actor=user, instansi=user.instansi, obj=user, ip_address=_ip(request), message="Masuk ke SIAKS."
    )


def catat_keluar(sender, request, user, **kwargs) -> None:
    if user is not None and user.is_authenticated:
        audit.record(
            "auth.keluar",
            actor=user,
            instansi=user.instansi,
            obj=user,
            ip_address=_ip(request),
            message="Keluar dari SIAKS.",
        )


def catat_gagal(sender, credentials, request=None, **kwargs) -> None:
    # Only the username: Django already masks the password, and we never keep it anyway.
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        "auth.gagal", ip_address=_ip(request), message=f"Gagal masuk sebagai {username!r}.", data={"username": username}
    )


# --------------------------------------------------------------------------- API token revocation


def cabut_token_bila_kata_sandi_berubah(sender, instance, update_fields=None, **kwargs) -> None:
    """A new password revokes every API token of the user (pre_save on User)."""
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    lama = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if lama is not None and lama != instance.password:
        from apps.accounts import token

        token.cabut_semua(instance, alasan="kata sandi diubah")


def cabut_token_bila_peran_berubah(sender, instance, **kwargs) -> None:
    """Granting, changing, deactivating or removing a role revokes the user's API tokens."""
    from apps.accounts import token

    token.cabut_semua(instance.user, alasan="peran diubah")


# --------------------------------------------------------------------------- invitation


def undang_pengguna_baru(sender, instance, created, raw=False, **kwargs) -> None:
    """A new user with an e-mail and no usable password gets the set-password invitation,
    whichever way the user was made: the portal, the Django admin, ``createsuperuser`` or any
    command (post_save on User). ``accounts.services.user_create`` and the admin see the mark and
    do not send it twice."""
    if not created or raw or not instance.email or instance.has_usable_password():
        return
    from django.db import transaction

    from apps.core import outbox

    with transaction.atomic():
        outbox.enqueue("accounts.kirim_email_akun_baru", user_id=instance.pk)
    instance._undangan_terkirim = True
