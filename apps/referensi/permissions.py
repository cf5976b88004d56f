from __future__ import annotations

from apps.accounts.models import Role
from apps.accounts.permissions import has_role, is_superadmin


def can_edit_jf(user, jf) -> bool:
    """The JF's own admin pembina, or the superadmin."""
    if is_superadmin(user):
        return True
    return (
        has_role(user, Role.ADMIN_PEMBINA) and user.instansi is not None and user.instansi.pk == jf.instansi_pembina_id
    )


def can_edit_ak_tables(user) -> bool:
    """The national AK tables (PerBKN 3/2023): any admin pembina, or the superadmin."""
    return is_superadmin(user) or has_role(user, Role.ADMIN_PEMBINA)
