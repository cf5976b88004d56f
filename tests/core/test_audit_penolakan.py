"""Denied actions are audited even though the request's transaction rolls back: a 404 on
another instansi's object (pages and API), a 403, and a refused transition. The entries are
written after the view's transaction has ended, in one of their own (transaction=True: what a
test reads afterwards was committed for real)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import audit, tenancy
from apps.core.models import AuditLog
from apps.pengusulan import services
from apps.pengusulan.models import Usulan

pytestmark = pytest.mark.django_db(transaction=True)


def _entries(action):
    with tenancy.all_tenants(reason="the test reads the audit trail"):
        return list(AuditLog.objects.filter(action=action).select_related("actor"))


@pytest.fixture
def draft(pic, make_pegawai, aks):
    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        return services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)


def test_another_instansi_object_is_a_404_and_an_audit_entry(client, pic_lain, draft):
    client.force_login(pic_lain)
    response = client.get(reverse("pengusulan:usulan_detail", args=[draft.pk]))
    assert response.status_code == 404
    [entry] = _entries("akses.tidak_ditemukan")
    assert entry.actor == pic_lain and entry.instansi_id == pic_lain.instansi.pk
    assert entry.data["view"] == "pengusulan:usulan_detail"
    assert entry.data["argumen"] == {"pk": str(draft.pk)} and entry.data["status"] == 404
    assert entry.ip_address == "127.0.0.1"


def test_the_api_404_and_a_403_are_audited_too(client, pic_lain, draft, superadmin):
    from apps.accounts import token as api_token

    key = api_token.terbitkan(pic_lain, dua_langkah=False)[1]
    response = client.get(f"/api/v1/usulan/{draft.pk}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404
    [entry] = _entries("akses.tidak_ditemukan")
    assert entry.actor == pic_lain and entry.data["path"] == f"/api/v1/usulan/{draft.pk}/"

    client.force_login(pic_lain)
    assert client.get(reverse("accounts:pengguna")).status_code == 403
    [entry] = _entries("akses.ditolak")
    assert entry.actor == pic_lain and entry.data["view"] == "accounts:pengguna"


def test_a_refused_transition_is_audited_although_its_transaction_rolled_back(client, pic, draft, monkeypatch):
    """The service writes in the request's transaction and then refuses: what it wrote is rolled
    back with the usulan unchanged, the refusal's entry stays."""
    asli = services.usulan_ajukan

    def ajukan_lalu_ditolak(**kwargs):
        audit.record("uji.dalam_transaksi", actor=kwargs["actor"], instansi=kwargs["actor"].instansi)
        return asli(**kwargs)  # a draft with no documents: refused

    monkeypatch.setattr(services, "usulan_ajukan", ajukan_lalu_ditolak)
    client.force_login(pic)
    # The first submission carries the PPK's surat pengantar; with it the request reaches the service.
    pengantar = {"pengantar_nomor": "800/12/2026", "pengantar_tanggal": "2026-01-05"}
    response = client.post(reverse("pengusulan:usulan_ajukan", args=[draft.pk]), pengantar, follow=True)
    assert response.status_code == 200
    assert "Dokumen wajib belum diunggah" in response.content.decode()

    assert _entries("uji.dalam_transaksi") == []  # the view's transaction rolled back
    with tenancy.scope(pic.instansi):
        assert Usulan.objects.get(pk=draft.pk).status == draft.status
    [entry] = _entries("aksi.ditolak")
    assert entry.actor == pic and entry.instansi_id == pic.instansi.pk
    assert "Dokumen wajib belum diunggah" in entry.message
    assert entry.data["view"] == "pengusulan:usulan_ajukan" and entry.data["metode"] == "POST"


def test_a_refused_transition_through_the_api_is_audited(client, pic, draft):
    from apps.accounts import token as api_token

    key = api_token.terbitkan(pic, dua_langkah=False)[1]
    response = client.post(f"/api/v1/usulan/{draft.pk}/ajukan/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 400
    [entry] = _entries("aksi.ditolak")
    assert entry.actor == pic and "Dokumen wajib belum diunggah" in entry.message


def test_outside_a_request_a_denial_is_written_at_once(pic):
    audit.record_denial("aksi.ditolak", actor=pic, instansi=pic.instansi, message="tugas")
    assert [e.message for e in _entries("aksi.ditolak")] == ["tugas"]


def test_the_browsers_own_requests_are_served_or_not_audited(client, pic):
    """Fresh-eye finding 10: every page asked for /favicon.ico, got a 404 and left "Halaman atau
    data tidak ditemukan" in the audit log. The icon is served (from static, linked in the base
    template); a miss on such a path (apple-touch-icon, a source map) is not audited."""
    client.force_login(pic)
    page = client.get(reverse("portal:beranda"), follow=True).content.decode()
    import re

    href = re.search(r'<link rel="icon" href="([^"]+)"', page).group(1)
    assert href.startswith("/static/img/favicon")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == href
    for path in ("/apple-touch-icon-precomposed.png", "/apple-touch-icon.png", "/static/js/x.js.map"):
        assert client.get(path).status_code == 404
    assert _entries("akses.tidak_ditemukan") == []
    assert client.get("/halaman-yang-tidak-ada/").status_code == 404  # a real miss still is
    assert len(_entries("akses.tidak_ditemukan")) == 1
