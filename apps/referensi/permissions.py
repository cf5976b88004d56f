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


def can_list_ak_tables(user, jf) -> bool:
    """Who reads a JF's AK tables: an admin pembina only those of the JFs it administers (another
    JF's rows are that JF's admin pembina's to confirm); every other role, read-only, all of them."""
    if is_superadmin(user) or not has_role(user, Role.ADMIN_PEMBINA):
        return True
    return user.instansi is not None and user.instansi.pk == jf.instansi_pembina_id


def can_edit_ak_tables(user, jf) -> bool:
    """A JF's AK tables (penyesuaian, AK Dasar): its own admin pembina, or the superadmin."""
    return can_edit_jf(user, jf)
