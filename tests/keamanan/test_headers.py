"""Security headers and Django's deployment checks (issue 8, item 2)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_csp_without_inline_scripts(client, pic_a):
    client.force_login(pic_a)
    response = client.get(reverse("portal:beranda"))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_an_inline_script_or_style_attribute():
    offenders = []
    for base in [settings.BASE_DIR / "templates", *sorted((settings.BASE_DIR / "apps").glob("*/templates"))]:
        for path in base.rglob("*.html"):
            if "email" in path.parts or "pdf" in path.parts:
                continue  # e-mails and the letters' PDF sources are not served under the CSP
            text = path.read_text()
            if "<script>" in text or "<script " in text.replace("<script src=", ""):
                offenders.append(f"{path}: inline script")
            if ' style="' in text or "onclick=" in text:
                offenders.append(f"{path}: inline style or handler")
    assert offenders == []


def test_check_deploy_with_production_settings_reports_nothing():
    # A deployment's environment: not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "siaks.settings.production",
        "DJANGO_SECRET_KEY": "x9#kP2$vL7@qR4!mN8&tW1^zF6*bH3(cJ5)dG0-yE2+sA9=uQ7",
        "DJANGO_ALLOWED_HOSTS": "siaks.example.go.id",
        "DATABASE_URL": "postgres://siaks_app:pw@db.invalid:5432/siaks",
        "REDIS_URL": "redis://redis.invalid:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_nul_bytes_get_a_clear_400_not_a_server_error(client, pic_a):
    """Found by schemathesis: NUL in a query or JSON body reached PostgreSQL (500)."""
    from rest_framework.test import APIClient

    client.force_login(pic_a)
    assert client.get("/pegawai/?q=a%00b").status_code == 400
    api = APIClient()
    api.force_authenticate(pic_a)
    response = api.get("/api/v1/pegawai/", {"q": "x\x00y"})
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    response = api.post("/api/v1/formasi/", {"jf": "a\x00", "jenjang": "x", "jumlah": 1}, format="json")
    assert response.status_code == 400


def test_an_unhandled_api_error_does_not_leave_a_scope_behind(pic_a, monkeypatch):
    """Found by schemathesis: a re-raised exception skipped finalize_response and leaked the scope."""
    from rest_framework.test import APIClient

    from apps.core import tenancy
    from apps.pengusulan import selectors

    def boom(**kwargs):
        raise RuntimeError("kesalahan tak terduga")

    monkeypatch.setattr(selectors, "pegawai_list", boom)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(pic_a)
    assert api.get("/api/v1/pegawai/").status_code == 500
    assert tenancy.current() is None


def test_nul_in_a_multipart_field_is_refused_but_files_may_hold_nul(pic_a):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(pic_a)
    response = api.post("/api/v1/formasi/", {"jf": "a\x00", "jenjang": "x", "jumlah": "1"}, format="multipart")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4\x00\x00binary")
    response = api.post(
        "/api/v1/usulan/999999/dokumen/", {"persyaratan": "sk_cpns", "berkas": upload}, format="multipart"
    )
    assert response.status_code == 404  # reached the view (the usulan does not exist), not refused for the file's NULs
