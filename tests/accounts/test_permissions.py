from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.accounts import permissions
from apps.accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# predicate -> roles that may use it (superadmin handled separately)
EXPECTED = {
    permissions.can_manage_pegawai: {Role.PIC_INSTANSI},
    permissions.can_submit_usulan: {Role.PIC_INSTANSI},
    permissions.can_view_instansi_data: {Role.PIC_INSTANSI, Role.PPK},
    permissions.can_verify: {Role.VERIFIKATOR, Role.ADMIN_PEMBINA},
    permissions.can_assess: {Role.PENILAI, Role.KETUA_TIM},
    permissions.can_configure_jf: {Role.ADMIN_PEMBINA},
    permissions.can_manage_instansi: set(),
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_its_capabilities(role, instansi_a, pembina):
    instansi = instansi_a if role in (Role.PIC_INSTANSI, Role.PPK) else pembina
    user = UserFactory(instansi=instansi, roles=[role])
    granted = {pred.__name__ for pred, roles in EXPECTED.items() if pred(user)}
    expected = {pred.__name__ for pred, roles in EXPECTED.items() if role in roles}
    assert granted == expected


def test_the_superadmin_manages_instansi_and_configures_jf(superadmin):
    assert permissions.can_manage_instansi(superadmin)
    assert permissions.can_configure_jf(superadmin)
    assert not permissions.can_submit_usulan(superadmin)


def test_anonymous_and_inactive_users_can_do_nothing(pic_a):
    pic_a.is_active = False
    for pred in EXPECTED:
        assert not pred(AnonymousUser())
        assert not pred(pic_a)


def test_an_inactive_membership_grants_nothing(pic_a):
    pic_a.memberships.update(is_active=False)
    pic_a.refresh_from_db()
    assert not permissions.can_submit_usulan(pic_a)
