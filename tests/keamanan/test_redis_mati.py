"""Redis down (issue 18, item 10): the API — token endpoint included — keeps answering. DRF's
throttles and every other cache use go through apps.core.cache.FailOpenRedisCache, which turns a
Redis failure into a miss; throttling works again once Redis is back."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from apps.core import cache as siaks_cache
from siaks import embedded
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _redis_cache(location: str, backend: str = "apps.core.cache.FailOpenRedisCache") -> dict:
    return {"default": {"BACKEND": backend, "LOCATION": location, "KEY_PREFIX": "uji",
                        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}  # fmt: skip


def _api_round(pic) -> list[int]:
    """What an API client does: get a token, list, read the count of notifications, look up a code."""
    api = APIClient(raise_request_exception=False)
    token = api.post("/api/v1/token/", {"username": pic.username, "password": PASSWORD})
    codes = [token.status_code]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json().get('token', '')}")
    codes.append(api.get("/api/v1/pegawai/").status_code)
    codes.append(api.get("/api/v1/notifikasi/jumlah/").status_code)
    codes.append(APIClient(raise_request_exception=False).get("/api/v1/verifikasi-surat/TIDAKADA/").status_code)
    return codes


def test_the_api_answers_with_the_cache_redis_unreachable(pic_a, tmp_path):
    dead = f"unix://{tmp_path}/tidak-ada.sock"
    with override_settings(CACHES=_redis_cache(dead)):
        assert _api_round(pic_a) == [200, 200, 200, 404]
        assert cache.get("apa-saja", "bawaan") == "bawaan" and cache.add("k", 1) is True
    # The fault it fixes: Django's own Redis cache raises, and DRF's throttles do not catch it.
    with override_settings(CACHES=_redis_cache(dead, "django.core.cache.backends.redis.RedisCache")):
        api = APIClient(raise_request_exception=False)
        assert api.post("/api/v1/token/", {"username": pic_a.username, "password": PASSWORD}).status_code == 500


def test_the_production_cache_gives_up_on_a_silent_redis_within_seconds():
    """A Redis that accepts but never answers must not hang a request: the deployed cache has finite
    connect and read timeouts (a settings pin, not a wall-clock measure of this machine)."""
    from siaks.settings import base

    options = base.CACHES["default"]["OPTIONS"]
    assert base.CACHES["default"]["BACKEND"] == "apps.core.cache.FailOpenRedisCache"
    assert 0 < options["socket_connect_timeout"] <= 5 and 0 < options["socket_timeout"] <= 5


def test_throttles_work_with_redis_fail_open_while_it_is_down_and_work_again_after(pic_a, monkeypatch, settings):
    monkeypatch.setattr(siaks_cache, "PAUSE_SECONDS", 0.2)
    settings.SIAKS_RATE_VERIFIKASI = 3
    url = embedded.redis_url(settings.TEST_REDIS_SOCKET, db=3)
    with override_settings(CACHES=_redis_cache(url)):
        cache.clear()
        public = APIClient(raise_request_exception=False)
        codes = [public.get("/api/v1/verifikasi-surat/TIDAKADA/").status_code for _ in range(4)]
        assert codes == [404, 404, 404, 429]  # throttled through Redis
        embedded.stop_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)
        try:
            assert _api_round(pic_a) == [200, 200, 200, 404]
            codes = [public.get("/api/v1/verifikasi-surat/TIDAKADA/").status_code for _ in range(4)]
            assert codes == [404, 404, 404, 404]  # fails open: nobody is locked out
        finally:
            embedded.ensure_redis(settings.TEST_REDIS_SOCKET, settings.TEST_REDIS_DIR)
        time.sleep(0.3)
        cache.clear()
        codes = [public.get("/api/v1/verifikasi-surat/TIDAKADA/").status_code for _ in range(4)]
        assert codes == [404, 404, 404, 429]  # back without a restart
        cache.clear()
