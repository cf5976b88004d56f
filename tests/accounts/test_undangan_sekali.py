"""One invitation, one e-mail (issue 19): every path that invites an account — the portal's
account service, the Django admin, the Tim Penilai AK manager's invitation (a new account, and an
existing one of the instansi without a password yet) — leaves exactly one outbox row for it, and
that row sends exactly one set-password e-mail, although the post_save signal on User also
invites every new account without a password (apps.accounts.signals.undang_pengguna_baru)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory

from apps.accounts import services
from apps.accounts.admin import UserAdmin
from apps.accounts.models import User
from apps.accounts.tasks import kirim_email_akun_baru
from apps.core.models import OutboxMessage
from apps.penetapan import pembentukan
from tests.penetapan import conftest as pc

pytestmark = pytest.mark.django_db

jfak, prov, kab, pic_kab = pc.jfak, pc.prov, pc.kab, pc.pic_kab

TUGAS = "accounts.kirim_email_akun_baru"


def _undangan(user) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(task_name=TUGAS, kwargs__user_id=user.pk))


def _kirim(rows, mailoutbox, email: str) -> int:
    """Run each outbox row's task as the worker would; the e-mails that reached ``email``."""
    for m in rows:
        kirim_email_akun_baru.apply(kwargs=m.kwargs, task_id=str(m.pk), throw=True)
    return sum(email in m.to for m in mailoutbox)


def test_the_account_service_invites_once(superadmin, instansi_a, mailoutbox):
    with transaction.atomic():
        user = services.user_create(
            username="pic.dua", nama_lengkap="Dua", email="dua@x.go.id", instansi=instansi_a, roles=["pic_instansi"],
            actor=superadmin,
        )  # fmt: skip
    rows = _undangan(user)
    assert len(rows) == 1
    assert _kirim(rows, mailoutbox, "dua@x.go.id") == 1


@pytest.mark.parametrize("sandi", [None, "Sandi#2026-kuat-sekali"])
def test_the_django_admin_invites_once(superadmin, mailoutbox, sandi):
    """The admin's add form (with a password, as its form asks; or none): the signal and the
    admin's save_model each used to be able to queue one."""
    request = RequestFactory().post("/admin/accounts/user/add/")
    request.user = superadmin
    obj = User(username="admin.baru", nama_lengkap="Admin Baru", email="baru@x.go.id")
    if sandi:
        obj.set_password(sandi)
    else:
        obj.set_unusable_password()
    with transaction.atomic():
        UserAdmin(User, admin.site).save_model(request, obj, form=None, change=False)
    rows = _undangan(obj)
    assert len(rows) == 1
    assert _kirim(rows, mailoutbox, "baru@x.go.id") == 1
    # Saving the same account again (a change) invites no one.
    obj.nama_lengkap = "Admin Baru, S.Kom."
    with transaction.atomic():
        UserAdmin(User, admin.site).save_model(request, obj, form=None, change=True)
    assert len(_undangan(obj)) == 1


def test_the_tim_penilai_invitation_of_a_new_account_queues_one(pic_kab, kab, mailoutbox):
    with pc.as_user(pic_kab), transaction.atomic():
        user = pembentukan.akun_undang(
            actor=pic_kab, peran="penilai_ak", nama_lengkap="Dr. Sri Lestari, M.Si.", email="sri@banyumaskab.go.id",
            nip="197805152003122001",
        )  # fmt: skip
    rows = _undangan(user)
    assert len(rows) == 1
    assert _kirim(rows, mailoutbox, "sri@banyumaskab.go.id") == 1


def test_the_tim_penilai_invitation_of_an_existing_account_without_a_password_queues_one(pic_kab, kab, mailoutbox):
    """An account of the instansi that never set its password: the invitation gives the role and
    sends the e-mail again — once (no membership signal adds another)."""
    with transaction.atomic():
        user = services.user_create(
            username="198001012005011001", nama_lengkap="Rudi", email="rudi@banyumaskab.go.id",
            nip="198001012005011001", instansi=kab, roles=["penilai_ak"], actor=None,
        )  # fmt: skip
    OutboxMessage.objects.filter(task_name=TUGAS).delete()  # the first invitation, already sent
    with pc.as_user(pic_kab), transaction.atomic():
        again = pembentukan.akun_undang(
            actor=pic_kab, peran="sekretariat_tim", nama_lengkap="Rudi", email="rudi@banyumaskab.go.id",
            nip="198001012005011001",
        )  # fmt: skip
    assert again.pk == user.pk
    rows = _undangan(user)
    assert len(rows) == 1
    assert _kirim(rows, mailoutbox, "rudi@banyumaskab.go.id") == 1
