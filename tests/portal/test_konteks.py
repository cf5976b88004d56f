"""Issue 16: what every page pays before its own work. The user, roles, instansi, pembina JFs,
authenticator and unread count are one query; the session comes from the cache. Nothing of it
is cached across requests, so each change shows on the very next page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Membership
from apps.notifikasi.services import notifikasi_buat
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _is_prelude(sql: str) -> bool:
    """Session, user, memberships, authenticator, unread count, pembina JFs — not the page's own."""
    return (
        any(f'"{t}"' in sql for t in ("django_session", "accounts_user", "accounts_membership", "otp_totp_totpdevice"))
        or ('"notifikasi_notifikasi"' in sql and "COUNT(" in sql)
        or re.search(r'"instansi_pembina_id" = \d', sql) is not None
    )


def _prelude(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return [q["sql"] for q in ctx.captured_queries if _is_prelude(q["sql"])]


def _badge(client) -> str:
    body = client.get(reverse("pengusulan:pegawai_list")).content.decode()
    return body.split('data-testid="jumlah-notifikasi">')[1].split("<")[0] if "jumlah-notifikasi" in body else "0"


def test_the_prelude_is_one_query_and_the_session_comes_from_the_cache(client, pic_a):
    client.force_login(pic_a)
    client.get(reverse("pengusulan:pegawai_list"))  # session stamps written once
    prelude = _prelude(client, reverse("pengusulan:pegawai_list"))
    assert len(prelude) == 1 and "accounts_membership" in prelude[0] and "notifikasi_notifikasi" in prelude[0]


def test_the_pembina_scope_comes_from_the_same_query(client, referensi):
    aks = referensi["aks"]
    verifikator = UserFactory(username="v.konteks", instansi=aks.instansi_pembina, roles=["verifikator"])
    client.force_login(verifikator)
    client.get(reverse("referensi:jf_list"))
    prelude = _prelude(client, reverse("referensi:jf_list"))
    assert len(prelude) == 1 and "referensi_jabatanfungsional" in prelude[0]


def test_the_unread_count_follows_new_and_read_notifications_on_the_next_page(client, pic_a):
    client.force_login(pic_a)
    assert _badge(client) == "0"
    notifikasi_buat([pic_a], jenis="uji", judul="Satu")
    notifikasi_buat([pic_a], jenis="uji", judul="Dua")
    assert _badge(client) == "2"
    client.post(reverse("notifikasi:baca_semua"))
    assert _badge(client) == "0"


def test_a_revoked_role_counts_on_the_next_request(client, pic_a):
    client.force_login(pic_a)
    assert client.get(reverse("pengusulan:pegawai_list")).status_code == 200
    Membership.objects.filter(user=pic_a).update(is_active=False)
    assert client.get(reverse("pengusulan:pegawai_list")).status_code == 403


def test_a_new_authenticator_asks_for_a_code_on_the_next_request_and_a_removed_one_ends_it(client, referensi):
    """The optional 2FA of a PIC (device preloaded), and a verified session whose device is
    deleted (the OTP middleware takes the device from the same query)."""
    pic = UserFactory(username="pic.konteks", instansi=referensi["aks"].instansi_pembina, roles=["pic_instansi"])
    client.post(reverse("accounts:login"), {"username": pic.username, "password": PASSWORD})
    assert client.get(reverse("pengusulan:pegawai_list")).status_code == 200
    device = TOTPDevice.objects.create(user=pic, name="hp", confirmed=True)
    response = client.get(reverse("pengusulan:pegawai_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:2fa_verifikasi"))
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("accounts:2fa_verifikasi"), {"kode": code}).status_code == 302
    assert client.get(reverse("pengusulan:pegawai_list")).status_code == 200
    # verified: no query for the device beyond the prelude's one
    assert len(_prelude(client, reverse("pengusulan:pegawai_list"))) == 1
    device.delete()
    response = client.get(reverse("pengusulan:pegawai_list"))
    assert response.status_code == 200  # optional for a PIC: without a device there is nothing to ask
    assert "otp_device_id" not in client.session  # the verified state went with the device
