"""Two-factor authentication (issue 8, item 1): required for pembina staff, PPK and the
superadmin, optional for the PIC, with backup codes and an audited admin reset."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from apps.core import tenancy
from apps.core.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
from tests.factories import PASSWORD  # noqa: E402


@pytest.fixture(autouse=True)
def _wajib(settings):
    settings.SIAKS_2FA_WAJIB = True


def _code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def _login(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("accounts:2fa_daftar"))
    assert page.status_code == 200 and 'data-testid="qr-2fa"' in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:2fa_daftar"), {"kode": "000000" if _code(device) != "000000" else "111111"})
    assert "Kode tidak cocok" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    done = client.post(reverse("accounts:2fa_daftar"), {"kode": _code(device), "next": "/beranda/"})
    codes = [li.strip() for li in done.content.decode().split('data-testid="kode-cadangan">')[1].split("</ul>")[0]
             .replace('<li class="col-6">', "").split("</li>") if li.strip()]  # fmt: skip
    device.refresh_from_db()
    assert device.confirmed and len(codes) == 10
    return device, codes


@pytest.mark.parametrize("roles", [["verifikator"], ["penilai"], ["ketua_tim"], ["admin_pembina"], ["ppk"]])
def test_required_roles_reach_nothing_before_setting_up_2fa(client, instansi_a, roles):
    user = UserFactory(username="wajib.2fa", instansi=instansi_a, roles=roles)
    _login(client, user)
    for url in ("/beranda/", "/surat/", "/jabatan-fungsional/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:2fa_daftar")), url
    assert client.get("/api/v1/surat/").status_code == 403
    _enrol(client, user)
    assert client.get("/beranda/").status_code == 200  # verified in this session
    with tenancy.all_tenants(reason="test"):
        assert AuditLog.objects.filter(action="2fa.aktif", actor=user).count() == 1


def test_the_superadmin_needs_2fa_too(client):
    admin = UserFactory(username="root", instansi=None, roles=[], is_superuser=True, is_staff=True)
    _login(client, admin)
    assert client.get(reverse("portal:instansi_list")).url.startswith(reverse("accounts:2fa_daftar"))


def test_next_login_asks_for_a_code_and_backup_codes_work_once(client, instansi_a):
    user = UserFactory(username="ppk.2fa", instansi=instansi_a, roles=["ppk"])
    _login(client, user)
    device, codes = _enrol(client, user)
    client.post(reverse("accounts:logout"))

    _login(client, user)
    response = client.get("/surat/")
    assert response.url.startswith(reverse("accounts:2fa_verifikasi"))
    wrong = client.post(reverse("accounts:2fa_verifikasi"), {"kode": "12345678", "next": "/surat/"})
    assert "Kode salah" in wrong.content.decode() and client.get("/surat/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a failure (every device of the user)
    StaticDevice.objects.get(user=user).throttle_reset()
    ok = client.post(reverse("accounts:2fa_verifikasi"), {"kode": _code(device, drift=1), "next": "/surat/"})
    assert ok.status_code == 302 and ok.url == "/surat/"
    assert client.get("/surat/").status_code == 200
    client.post(reverse("accounts:logout"))

    _login(client, user)
    used = client.post(reverse("accounts:2fa_verifikasi"), {"kode": codes[0], "next": "/beranda/"})
    assert used.status_code == 302 and client.get("/beranda/").status_code == 200
    client.post(reverse("accounts:logout"))
    _login(client, user)
    again = client.post(reverse("accounts:2fa_verifikasi"), {"kode": codes[0], "next": "/beranda/"})
    assert again.status_code == 200  # a backup code is good once
    assert StaticDevice.objects.get(user=user).token_set.count() == 9
    with tenancy.all_tenants(reason="test"):
        actions = set(AuditLog.objects.filter(actor=user).values_list("action", flat=True))
    assert {"2fa.aktif", "2fa.gagal", "2fa.kode_cadangan"} <= actions


def test_2fa_is_optional_for_the_pic_but_binding_once_enabled(client, instansi_a):
    pic = UserFactory(username="pic.2fa", instansi=instansi_a, roles=["pic_instansi"])
    _login(client, pic)
    assert client.get("/beranda/").status_code == 200  # not required
    device, _codes = _enrol(client, pic)
    client.post(reverse("accounts:logout"))
    _login(client, pic)
    assert client.get("/beranda/").url.startswith(reverse("accounts:2fa_verifikasi"))
    client.post(reverse("accounts:2fa_verifikasi"), {"kode": _code(device, drift=1)})
    assert client.post(reverse("accounts:2fa_nonaktifkan")).status_code == 302
    assert not TOTPDevice.objects.filter(user=pic).exists()


def test_a_required_role_cannot_switch_2fa_off(client, instansi_a):
    ppk = UserFactory(username="ppk.tetap", instansi=instansi_a, roles=["ppk"])
    _login(client, ppk)
    _enrol(client, ppk)
    assert client.post(reverse("accounts:2fa_nonaktifkan")).status_code == 403
    assert TOTPDevice.objects.filter(user=ppk, confirmed=True).exists()


def test_admin_reset_of_a_lost_phone(client, instansi_a, referensi):
    kemnaker = referensi["pengantar-kerja"].instansi_pembina
    admin = UserFactory(username="admin.reset", instansi=kemnaker, roles=["admin_pembina"])
    staff = UserFactory(username="verif.hilang", instansi=kemnaker, roles=["verifikator"])
    outsider = UserFactory(username="ppk.lain", instansi=instansi_a, roles=["ppk"])
    for user in (staff, outsider):
        TOTPDevice.objects.create(user=user, confirmed=True, name="hp")
    _login(client, admin)
    _enrol(client, admin)
    page = client.get(reverse("accounts:pengguna")).content.decode()
    assert "verif.hilang" in page and "ppk.lain" not in page  # own instansi only
    assert client.post(reverse("accounts:2fa_reset", args=[outsider.pk])).status_code == 404
    assert client.post(reverse("accounts:2fa_reset", args=[staff.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert TOTPDevice.objects.filter(user=outsider).exists()
    with tenancy.all_tenants(reason="test"):
        entry = AuditLog.objects.get(action="2fa.reset")
    assert entry.actor == admin and entry.object_id == str(staff.pk)
    # The reset user sets 2FA up again at the next login.
    client.post(reverse("accounts:logout"))
    _login(client, staff)
    assert client.get("/beranda/").url.startswith(reverse("accounts:2fa_daftar"))


def test_the_api_token_needs_the_code_for_required_roles(instansi_a):
    ppk = UserFactory(username="ppk.api", instansi=instansi_a, roles=["ppk"])
    device = TOTPDevice.objects.create(user=ppk, confirmed=True, name="hp")
    api = APIClient()
    without = api.post("/api/v1/token/", {"username": "ppk.api", "password": PASSWORD})
    assert without.status_code == 400 and "otp" in without.json() and "token" not in without.json()
    ok = api.post("/api/v1/token/", {"username": "ppk.api", "password": PASSWORD, "otp": _code(device)})
    assert ok.status_code == 200 and ok.json()["token"]


def test_production_requires_2fa_by_default():
    from siaks.settings import base

    assert base.SIAKS_2FA_WAJIB is True or base.env("SIAKS_2FA_WAJIB") is not None
