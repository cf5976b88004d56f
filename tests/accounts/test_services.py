from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.accounts import services
from apps.accounts.models import Role, User
from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage

pytestmark = pytest.mark.django_db


def test_user_create_adds_roles_audits_and_queues_the_account_mail(instansi_a, superadmin):
    user = services.user_create(
        username="pic.baru",
        nama_lengkap="Pic Baru",
        email="pic.baru@uji.go.id",
        instansi=instansi_a,
        roles=[Role.PIC_INSTANSI],
        actor=superadmin,
    )
    assert user.roles == {"pic_instansi"}
    assert user.instansi == instansi_a
    assert not user.has_usable_password()
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.kwargs) == ("accounts.kirim_email_akun_baru", {"user_id": user.pk})
    with tenancy.scope(instansi_a):
        entry = AuditLog.objects.get(action="akun.dibuat")
    assert entry.actor == superadmin and entry.object_id == str(user.pk)


def test_pembina_roles_need_an_instansi_pembina(instansi_a):
    with pytest.raises(ValidationError, match="instansi pembina"):
        services.user_create(username="x", nama_lengkap="X", email="", instansi=instansi_a, roles=[Role.VERIFIKATOR])
    assert not User.objects.filter(username="x").exists()


def test_pengguna_and_pembina_roles_do_not_mix(pembina):
    with pytest.raises(ValidationError, match="tidak dapat digabung"):
        services.user_create(
            username="x", nama_lengkap="X", email="", instansi=pembina, roles=[Role.PPK, Role.VERIFIKATOR]
        )


def test_usernames_are_unique_regardless_of_case(pic_a, instansi_a):
    with pytest.raises(ValidationError, match="sudah dipakai"):
        services.user_create(username="PIC.A", nama_lengkap="X", email="", instansi=instansi_a)
