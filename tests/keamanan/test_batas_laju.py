"""Rate limits cannot be lifted by the client (issue 15, findings 2 and 5).

Client addresses come from one rule, ``apps.core.audit.client_ip`` with the trusted-proxy setting
``SIAKS_PROXY_TEPERCAYA``: django-axes calls it, the page limiter calls it, and DRF's throttles
read the same number of proxies (``NUM_PROXIES``). With no proxy configured, X-Forwarded-For —
which any client can write — is ignored."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from apps.core.audit import client_ip

pytestmark = pytest.mark.django_db

ROTATING = (f"203.0.113.{i}" for i in itertools.count(1))


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _api_statuses(n, method, url, **kwargs):
    client = APIClient()
    return [getattr(client, method)(url, HTTP_X_FORWARDED_FOR=next(ROTATING), **kwargs).status_code for _ in range(n)]


@pytest.mark.parametrize(
    "route, method, data",
    [
        ("verifikasi-surat-detail", "get", None),
        ("verifikasi-surat-cocokkan", "post", {}),
    ],
)
def test_rotating_x_forwarded_for_does_not_lift_the_public_verification_429(settings, route, method, data):
    settings.SIAKS_RATE_VERIFIKASI = 3
    url = reverse(f"api:{route}", kwargs={"kode": "ABCDEFGH"})
    statuses = _api_statuses(5, method, url, **({"data": data, "format": "multipart"} if data is not None else {}))
    assert statuses[:3] == [404, 404, 404] if method == "get" else all(s != 429 for s in statuses[:3])
    assert statuses[3:] == [429, 429], statuses


def test_rotating_x_forwarded_for_does_not_lift_the_token_endpoint_429(monkeypatch, db):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "600/minute"})
    statuses = _api_statuses(5, "post", reverse("api:token"), data={"username": "x", "password": "y"}, format="json")
    assert statuses == [400, 400, 400, 429, 429], statuses


def test_rotating_x_forwarded_for_does_not_lift_the_page_limiter(client, settings):
    settings.SIAKS_RATE_VERIFIKASI = 2
    url = reverse("surat:verifikasi", kwargs={"kode": "ABCDEFGH"})
    statuses = [client.get(url, HTTP_X_FORWARDED_FOR=next(ROTATING)).status_code for _ in range(4)]
    assert statuses[2:] == [429, 429], statuses


def test_rotating_x_forwarded_for_does_not_lift_the_login_lockout(client, pic_a):
    url = reverse("accounts:login")
    statuses = [
        client.post(url, {"username": "pic.a", "password": "salah"}, HTTP_X_FORWARDED_FOR=next(ROTATING)).status_code
        for _ in range(6)
    ]
    assert statuses[-2:] == [429, 429], statuses


def _request(remote="192.0.2.10", xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


CASES = [
    (None, "192.0.2.10"),
    ("203.0.113.9", None),  # the proxy's own view: X-Forwarded-For = client
    ("1.1.1.1, 203.0.113.9", None),  # a forged entry to the left is never used
    ("  203.0.113.9  ", None),
]


@pytest.mark.parametrize("proxies", [0, 1])
@pytest.mark.parametrize("xff, _expected", CASES)
def test_one_rule_for_axes_the_throttles_the_page_limiter_and_the_audit_log(settings, proxies, xff, _expected):
    """The same address for every consumer: axes' resolver, DRF's throttle identity and ours."""
    from axes.helpers import get_client_ip_address
    from rest_framework.settings import api_settings

    settings.SIAKS_PROXY_TEPERCAYA = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    assert proxies == api_settings.NUM_PROXIES
    request = _request(xff=xff)
    ours = client_ip(request)
    expected = "192.0.2.10" if proxies == 0 or xff is None else "203.0.113.9"
    assert ours == expected
    assert get_client_ip_address(request) == ours
    assert AnonRateThrottle().get_ident(request) == ours


def test_with_a_trusted_proxy_each_client_has_its_own_budget(settings, monkeypatch):
    """Behind one proxy (REMOTE_ADDR is the proxy), clients are told apart by the address the
    proxy appended — and a client prefixing a forged one still lands in its own bucket."""
    settings.SIAKS_PROXY_TEPERCAYA = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.SIAKS_RATE_VERIFIKASI = 2
    url = reverse("api:verifikasi-surat-detail", kwargs={"kode": "ABCDEFGH"})
    client = APIClient()
    same = [
        client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{next(ROTATING)}, 198.51.100.7").status_code
        for _ in range(3)
    ]
    assert same == [404, 404, 429]
    other = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code
    assert other == 404
