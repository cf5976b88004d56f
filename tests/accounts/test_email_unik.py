"""One account per e-mail address (issue 14, fresh-eye finding 1): a second account with the
same address (any case) is refused on every path that creates users, the database refuses it too,
the reset and invitation e-mails name the account they are for, and the superadmin (and the admin
pembina for their own staff) can correct an address, audited."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import PermintaanAkun, User
from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _baru(client, instansi, **extra):
    data = {"username": "ppk.kp", "nama_lengkap": "Bupati Kulon Progo", "email": "PIC.KP@kulonprogokab.go.id",
            "nip": "", "instansi": instansi.pk, "peran": ["ppk"], **extra}  # fmt: skip
    return client.post(reverse("platform:pengguna_baru"), data)


def test_the_platform_form_refuses_an_address_another_account_uses(client, superadmin, instansi_a):
    UserFactory(username="pic.kp", email="pic.kp@kulonprogokab.go.id", instansi=instansi_a, roles=["pic_instansi"])
    client.force_login(superadmin)
    response = _baru(client, instansi_a)
    assert response.status_code == 200
    assert "sudah dipakai akun lain" in str(response.context["form"].errors["email"])
    assert not User.objects.filter(username="ppk.kp").exists()


def test_the_service_and_the_database_refuse_it_too(instansi_a):
    UserFactory(username="pic.kp", email="pic.kp@kulonprogokab.go.id", instansi=instansi_a, roles=["pic_instansi"])
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="ppk.kp", nama_lengkap="B", email="Pic.Kp@KulonProgoKab.go.id",
                             instansi=instansi_a, roles=["ppk"])  # fmt: skip
    assert "email" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="lain", nama_lengkap="L", email="PIC.KP@kulonprogokab.go.id")
    # accounts without an address do not clash
    User.objects.create(username="tanpa1", nama_lengkap="T1", email="")
    User.objects.create(username="tanpa2", nama_lengkap="T2", email="")


def test_the_staff_form_and_the_ppk_request_refuse_it(client, admin_setneg, pic_a):
    client.force_login(admin_setneg)
    response = client.post(
        reverse("staf:baru"),
        {"username": "penilai.kembar", "nama_lengkap": "D", "email": pic_a.email.upper(),
         "instansi": admin_setneg.instansi.pk, "peran": ["penilai"]},
    )  # fmt: skip
    assert response.status_code == 200 and "email" in response.context["form"].errors
    client.force_login(pic_a)
    response = client.post(
        reverse("accounts:permintaan_ppk"),
        {"nama_lengkap": "Bupati", "nip": "19700512 199503 1 001", "email": admin_setneg.email, "jabatan": "Bupati"},
    )
    assert response.status_code == 200 and "email" in response.context["form"].errors
    with tenancy.all_tenants(reason="test"):
        assert not PermintaanAkun.objects.exists()


def test_approving_a_request_whose_address_was_taken_meanwhile_is_refused(client, superadmin, pic_a):
    client.force_login(pic_a)
    client.post(
        reverse("accounts:permintaan_ppk"),
        {"nama_lengkap": "Bupati", "nip": "197005121995031001", "email": "bupati@kab.go.id", "jabatan": "Bupati"},
    )
    with tenancy.all_tenants(reason="test"):
        permintaan = PermintaanAkun.objects.get()
    UserFactory(username="lain", email="Bupati@kab.go.id")
    client.force_login(superadmin)
    response = client.post(
        reverse("platform:permintaan", args=[permintaan.pk]),
        {"keputusan": "setujui", "username": "ppk.kab", "nama_lengkap": "Bupati", "email": "bupati@kab.go.id",
         "nip": "", "instansi": pic_a.instansi.pk, "peran": ["ppk"]},
    )  # fmt: skip
    assert response.status_code == 200 and "email" in response.context["form"].errors
    with tenancy.all_tenants(reason="test"):
        assert PermintaanAkun.objects.get().status == "menunggu"


def test_the_reset_and_invitation_mails_name_the_account(client, superadmin, instansi_a, settings):
    from apps.accounts.tasks import kirim_email_akun_baru

    client.force_login(superadmin)
    assert _baru(client, instansi_a, email="ppk.kp@kulonprogokab.go.id").status_code == 302
    user = User.objects.get(username="ppk.kp")
    message = OutboxMessage.objects.get(task_name="accounts.kirim_email_akun_baru", kwargs={"user_id": user.pk})
    kirim_email_akun_baru.apply(kwargs=message.kwargs, task_id=str(message.pk), throw=True)
    [undangan] = mail.outbox
    assert "ppk.kp" in undangan.subject
    assert f"ppk.kp — Pejabat Pembina Kepegawaian, {instansi_a.nama}" in undangan.body
    user.set_password("Kulon#Progo-2026")
    user.save()
    client.logout()
    client.post(reverse("accounts:password_reset"), {"email": "PPK.KP@kulonprogokab.go.id"})
    reset = mail.outbox[-1]
    assert reset.to == ["ppk.kp@kulonprogokab.go.id"] and "ppk.kp" in reset.subject
    assert f"Tautan ini hanya untuk akun: ppk.kp — Pejabat Pembina Kepegawaian, {instansi_a.nama}" in reset.body
    assert re.search(r"/akun/kata-sandi/atur/\S+/", reset.body)


def test_the_superadmin_corrects_an_address_audited(client, superadmin, instansi_a):
    pic = UserFactory(
        username="pic.kp", email="pic.kp@kulonprogokab.go.id", instansi=instansi_a, roles=["pic_instansi"]
    )
    ppk = UserFactory(username="ppk.kp", email="salah@kulonprogokab.go.id", instansi=instansi_a, roles=["ppk"])
    client.force_login(superadmin)
    url = reverse("platform:peran", args=[ppk.pk])
    assert 'value="salah@kulonprogokab.go.id"' in client.get(url).content.decode()
    # another account's address: refused on the field, nothing changed
    response = client.post(url, {"email": pic.email.upper(), "instansi": instansi_a.pk, "peran": ["ppk"]})
    assert response.status_code == 200 and "email" in response.context["form"].errors
    ppk.refresh_from_db()
    assert ppk.email == "salah@kulonprogokab.go.id"
    response = client.post(url, {"email": "bupati@kulonprogokab.go.id", "instansi": instansi_a.pk, "peran": ["ppk"]})
    assert response.status_code == 302
    ppk.refresh_from_db()
    assert ppk.email == "bupati@kulonprogokab.go.id" and ppk.roles == {"ppk"}
    with tenancy.all_tenants(reason="test reads the audit trail"):
        [entry] = AuditLog.objects.filter(action="akun.email_diubah")
    assert entry.actor == superadmin and entry.data["email"] == [
        "salah@kulonprogokab.go.id",
        "bupati@kulonprogokab.go.id",
    ]


def test_the_admin_pembina_corrects_their_staff_address_only(client, admin_setneg, pic_a):
    penilai = UserFactory(username="penilai.x", email="salah@setneg.go.id", instansi=admin_setneg.instansi,
                          roles=["penilai"])  # fmt: skip
    client.force_login(admin_setneg)
    response = client.post(
        reverse("staf:peran", args=[penilai.pk]),
        {"email": "penilai.x@setneg.go.id", "instansi": admin_setneg.instansi.pk, "peran": ["penilai"]},
    )
    assert response.status_code == 302
    penilai.refresh_from_db()
    assert penilai.email == "penilai.x@setneg.go.id"
    assert client.get(reverse("staf:peran", args=[pic_a.pk])).status_code == 404
