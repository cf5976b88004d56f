"""Upload names with folder parts; the Django admin (issue 15, finding 9)."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches, resolve, reverse
from django.urls.exceptions import Resolver404
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core import tenancy
from apps.pengusulan import services
from apps.pengusulan.models import Dokumen
from apps.referensi.models import PersyaratanDokumen
from tests.factories import PASSWORD, UserFactory
from tests.pdfs import valid_pdf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["..\\\\..\\\\x.pdf", "..%2F..%2Fx.pdf", "C:\\\\Users\\\\pic\\\\x.pdf"])
def test_a_name_with_folder_parts_is_reduced_to_its_base_name(referensi, pic_a, raw):
    aks = referensi["aks"]
    upload = SimpleUploadedFile(raw, valid_pdf(), content_type="application/pdf")
    assert upload.name == raw  # what reaches the service (Django keeps backslashes and %2F)
    with tenancy.scope(pic_a.instansi):
        pegawai = services.pegawai_create(actor=pic_a, data=_pegawai())
        usulan = services.usulan_create(actor=pic_a, pegawai=pegawai, jf=aks)
        p = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
        dokumen = services.dokumen_upload(actor=pic_a, jf=aks, persyaratan=p, upload=upload, usulan=usulan)
    assert dokumen.nama_asli == "x.pdf"
    assert ".." not in dokumen.berkas.name and "\\\\" not in dokumen.berkas.name


def test_a_name_with_nothing_left_is_refused(referensi, pic_a):
    from django.core.exceptions import ValidationError

    from apps.core.files import check_upload

    with pytest.raises(ValidationError, match="tidak dapat dipakai"):
        check_upload(SimpleUploadedFile("..%2F..%2F", valid_pdf()), allowed_extensions=["pdf"], max_bytes=10**6)


def test_the_page_says_the_name_was_reduced(client, referensi, pic_a):
    aks = referensi["aks"]
    with tenancy.scope(pic_a.instansi):
        pegawai = services.pegawai_create(actor=pic_a, data=_pegawai())
        usulan = services.usulan_create(actor=pic_a, pegawai=pegawai, jf=aks)
    p = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
    client.force_login(pic_a)
    url = reverse("pengusulan:dokumen_unggah", args=[usulan.pk, p.pk])
    upload = SimpleUploadedFile("..%2F..%2Fx.pdf", valid_pdf(), content_type="application/pdf")
    response = client.post(url, {"berkas": upload})
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("diunggah sebagai x.pdf" in m for m in shown), shown
    assert any("..%2F..%2Fx.pdf" in m and "nama dasarnya: x.pdf" in m for m in shown), shown
    with tenancy.scope(pic_a.instansi):
        assert Dokumen.objects.get(usulan=usulan).nama_asli == "x.pdf"


def _pegawai():
    from tests.pengusulan.conftest import pegawai_data

    return pegawai_data()


# --------------------------------------------------------------------------- the Django admin


def _reload_urls():
    import siaks.urls

    clear_url_caches()
    importlib.reload(siaks.urls)


@pytest.fixture
def urls_reloaded():
    yield
    _reload_urls()


def test_production_settings_do_not_mount_the_admin_unless_asked(monkeypatch):
    monkeypatch.delenv("SIAKS_ADMIN_AKTIF", raising=False)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    import siaks.settings.production as production

    assert importlib.reload(production).SIAKS_ADMIN_AKTIF is False
    monkeypatch.setenv("SIAKS_ADMIN_AKTIF", "1")
    assert importlib.reload(production).SIAKS_ADMIN_AKTIF is True


def test_without_the_setting_admin_is_not_routed(urls_reloaded):
    with override_settings(SIAKS_ADMIN_AKTIF=False):
        _reload_urls()
        with pytest.raises(Resolver404):
            resolve("/admin/")
        with pytest.raises(Resolver404):
            resolve("/admin/login/")


def test_the_admin_admits_only_superadmins_with_a_verified_second_factor(client, instansi_a):
    from django_otp.oath import totp

    staff = UserFactory(username="staff.biasa", instansi=instansi_a, roles=["ppk"], is_staff=True)
    root = UserFactory(username="root", instansi=None, is_superuser=True, is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # to the admin login: no permission
    client.force_login(root)
    assert client.get("/admin/").status_code == 302  # a superadmin without a verified code
    client.post(reverse("accounts:logout"))
    device = TOTPDevice.objects.create(user=root, confirmed=True, name="hp")
    client.post(reverse("accounts:login"), {"username": "root", "password": PASSWORD})
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("accounts:2fa_verifikasi"), {"kode": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
