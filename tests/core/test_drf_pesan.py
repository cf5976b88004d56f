"""API messages in Indonesian (issue 14, item 9): DRF's own Indonesian catalog is active for the
API whatever the browser asks for, and what that catalog leaves in English is ours
(apps.core.drf_pesan) — "Expected available in 53 seconds." and "Object with kode=… does not
exist." were still English."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from apps.core import drf_pesan

pytestmark = pytest.mark.django_db


def test_no_drf_message_is_still_english_under_indonesian():
    ours = {drf_pesan._asli(v) for v in drf_pesan.PESAN.values()}
    still_english = []
    for cls in drf_pesan.kelas_drf():
        own = vars(cls)
        texts = dict(own.get("default_error_messages") or {})
        texts.update({a: own[a] for a in drf_pesan.ATRIBUT if a in own and own[a] is not None})
        for key, value in texts.items():
            with translation.override("id"):
                indonesian = str(value)
            original = drf_pesan._asli(value) or indonesian
            if re.search(r"[A-Za-z]{3}", original) and indonesian == original and original not in ours:
                still_english.append(f"{cls.__name__}.{key}: {original}")
    assert still_english == []


def test_a_throttled_request_says_when_to_retry_in_indonesian(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "600/minute"})
    client = APIClient()
    for _ in range(2):
        client.post(reverse("api:token"), {"username": "x", "password": "y"}, format="json")
    response = client.post(
        reverse("api:token"), {"username": "x", "password": "y"}, format="json", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert response.status_code == 429
    detail = response.json()["detail"]
    assert re.fullmatch(r"Permintaan ini telah dibatasi\. Coba lagi dalam \d+ detik\.", detail), detail
    assert "Expected" not in detail


def test_an_unknown_code_is_explained_in_indonesian(admin_setneg):
    client = APIClient()
    client.force_authenticate(admin_setneg)
    response = client.post(
        reverse("api:pembina-tim-list"),
        {"jf": "jf-tidak-ada", "nama": "Tim", "periode_mulai": "2026-01-01", "periode_selesai": "2028-12-31",
         "anggota": [{"user": admin_setneg.pk, "peran": "ketua", "golongan": "IX/z"}]},
        format="json", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )  # fmt: skip
    assert response.status_code == 400
    body = response.json()
    assert body["jf"] == ["Data dengan kode \u201cjf-tidak-ada\u201d tidak ditemukan."]
    assert body["anggota"]["0"]["golongan"] == ["Data dengan kode \u201cIX/z\u201d tidak ditemukan."]
    assert "does not exist" not in response.content.decode()


def test_a_malformed_body_and_a_wrong_method_are_explained_in_indonesian(admin_setneg):
    client = APIClient()
    client.force_authenticate(admin_setneg)
    response = client.generic("POST", reverse("api:pembina-tim-list"), "{bukan json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["detail"]
    assert "parse error" not in response.json()["detail"]
    response = client.delete(reverse("api:pembina-tim-list"))
    assert response.status_code == 405 and response.json()["detail"] == "Metode DELETE tidak diizinkan."
