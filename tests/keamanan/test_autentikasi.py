"""Brute-force protection, security events in the audit log, and rate limits (issue 8, items 1, 3, 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from apps.core import tenancy
from apps.core.models import AuditLog
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def _login(client, password, ip="10.9.8.7"):
    return client.post(LOGIN, {"username": "pic.a", "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_username_from_that_ip_with_a_cool_off(client, pic_a):
    for _ in range(4):
        assert _login(client, "salah").status_code == 200
    assert _login(client, "salah").status_code == 429  # the fifth failure locks the pair
    locked = _login(client, PASSWORD)  # even the right password, while locked
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    # the same username from another address, and another username from this one, still work
    assert _login(client, PASSWORD, ip="10.1.1.1").status_code == 302
    client.logout()
    # after the cool-off the pair may try again (no permanent lock)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, PASSWORD).status_code == 302


def test_logins_and_failures_are_audited_without_secrets(client, pic_a):
    _login(client, "rahasia-yang-salah")
    _login(client, PASSWORD)
    with tenancy.all_tenants(reason="test assertion"):
        gagal = AuditLog.objects.get(action="auth.gagal")
        masuk = AuditLog.objects.get(action="auth.masuk")
        everything = " ".join(str(e.data) + e.message for e in AuditLog.objects.all())
    assert gagal.data == {"username": "pic.a"} and gagal.ip_address == "10.9.8.7"
    assert masuk.actor == pic_a and masuk.instansi_id == pic_a.instansi.pk
    assert "rahasia-yang-salah" not in everything and PASSWORD not in everything


def test_the_api_answers_429_past_its_rate(pic_a, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"})
    api = APIClient()
    api.force_authenticate(pic_a)
    statuses = [api.get("/api/v1/pegawai/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/pegawai/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert response.json()["detail"]


def test_the_token_endpoint_is_protected_by_the_lockout_too(pic_a):
    api = APIClient(REMOTE_ADDR="10.2.2.2")
    for _ in range(5):
        api.post("/api/v1/token/", {"username": "pic.a", "password": "salah"})
    locked = api.post("/api/v1/token/", {"username": "pic.a", "password": PASSWORD})
    assert locked.status_code == 429 and "token" not in locked.json()
    assert "Terlalu banyak percobaan" in locked.json()["detail"]
    assert AccessAttempt.objects.filter(username="pic.a", ip_address="10.2.2.2").exists()
    assert reverse("accounts:login") == LOGIN


@pytest.mark.django_db
def test_uploads_are_rate_limited_per_user_on_pages_and_api(client, referensi, instansi_a, settings):
    """Past SIAKS_RATE_UNGGAH uploads a minute: 429 with a message, and nothing stored."""
    from apps.core import tenancy
    from apps.pengusulan import services
    from apps.pengusulan.models import Dokumen
    from apps.referensi.models import PersyaratanDokumen
    from tests.factories import UserFactory
    from tests.pengusulan.conftest import pdf_upload, pegawai_data

    settings.SIAKS_RATE_UNGGAH = 2
    aks = referensi["aks"]
    pic = UserFactory(username="pic.unggah", instansi=instansi_a, roles=["pic_instansi"])
    with tenancy.scope(pic.instansi):
        pegawai = services.pegawai_create(actor=pic, data=pegawai_data())
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    p = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
    client.force_login(pic)
    url = reverse("pengusulan:dokumen_unggah", args=[usulan.pk, p.pk])
    codes = [client.post(url, {"berkas": pdf_upload()}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    blocked = client.post(url, {"berkas": pdf_upload()})
    assert "Terlalu banyak permintaan" in blocked.content.decode() and blocked["Retry-After"]
    with tenancy.scope(pic.instansi):
        assert Dokumen.objects.filter(usulan=usulan).count() == 2

    api = APIClient()
    api.force_authenticate(pic)
    api_url = f"/api/v1/usulan/{usulan.pk}/dokumen/"
    assert api.get(api_url).status_code == 200  # reading does not count
    codes = [
        api.post(api_url, {"persyaratan": p.kode, "berkas": pdf_upload()}, format="multipart").status_code
        for _ in range(3)
    ]
    assert codes[-1] == 429 and all(c == 201 for c in codes[:2]), codes


@pytest.mark.django_db
def test_sessions_end_when_idle_and_after_a_working_day(client, pic_a, settings):
    import time

    client.force_login(pic_a)
    assert client.get("/beranda/").status_code == 200
    session = client.session
    session["siaks_last_seen"] = int(time.time()) - settings.SIAKS_SESI_MENGANGGUR - 5
    session.save()
    idle = client.get("/beranda/")
    assert idle.status_code == 302 and idle.url.startswith(reverse("accounts:login"))
    assert "tidak aktif" in client.get(idle.url).content.decode()
    assert client.get("/beranda/").status_code == 302  # logged out

    client.force_login(pic_a)
    client.get("/beranda/")
    session = client.session
    session["siaks_login_at"] = int(time.time()) - settings.SIAKS_SESI_MAKS - 5  # active all along
    session.save()
    day = client.get("/beranda/")
    assert day.status_code == 302 and "satu hari kerja" in client.get(day.url).content.decode()
