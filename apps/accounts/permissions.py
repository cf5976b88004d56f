"""Role predicates. Who may make a status move is not here: the declared transitions
(``apps.pengusulan.domain.TRANSITIONS``, checked by ``apps.pengusulan.alur``) say it.

Role predicates. Small, pure and tested directly (tests/accounts/test_permissions.py).

Object-level access (which instansi, which dossier) is the job of tenancy scoping and the
selectors; these say only whether a role may use a capability at all."""

from __future__ import annotations

from apps.accounts.models import Role


def _authenticated(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, *roles: str) -> bool:
    return _authenticated(user) and bool(user.roles.intersection(roles))


def is_superadmin(user) -> bool:
    return _authenticated(user) and user.is_superuser


def can_manage_instansi(user) -> bool:
    """Create instansi and pembina accounts: the platform's superadmin."""
    return is_superadmin(user)


def can_manage_pegawai(user) -> bool:
    """Register pegawai, upload their portfolio and formasi documents: the PIC."""
    return has_role(user, Role.PIC_INSTANSI)


def can_submit_usulan(user) -> bool:
    return has_role(user, Role.PIC_INSTANSI)


def can_view_instansi_data(user) -> bool:
    """Read the instansi's own pegawai and usulan: its PIC and PPK."""
    return has_role(user, Role.PIC_INSTANSI, Role.PPK)


def can_verify(user) -> bool:
    return has_role(user, Role.VERIFIKATOR, Role.ADMIN_PEMBINA)


def can_assess(user) -> bool:
    return has_role(user, Role.PENILAI, Role.KETUA_TIM)


def can_configure_jf(user) -> bool:
    return is_superadmin(user) or has_role(user, Role.ADMIN_PEMBINA)
