"""A refused "Ajukan" shows one list of what is missing (issue 14, item 2), not an alert per
reason plus a box repeating them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan import services

pytestmark = pytest.mark.django_db


def test_a_refused_submission_is_one_list(client, pic, make_pegawai, aks):
    with tenancy.scope(pic.instansi):
        draft = services.usulan_create(actor=pic, pegawai=make_pegawai(), jf=aks)
    client.force_login(pic)
    response = client.post(reverse("pengusulan:usulan_ajukan", args=[draft.pk]), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("alert-danger") == 1
    assert html.count('data-testid="daftar-alasan"') == 1
    block = html[html.index('data-testid="daftar-alasan"') :].split("</div>")[0]
    assert block.count("<li>") >= 2 and "Dokumen wajib belum diunggah" in block
    assert "Dokumen wajib yang belum diunggah" not in html  # the box does not repeat the list
    # without a refusal, the page still says which documents are missing
    page = client.get(reverse("pengusulan:usulan_detail", args=[draft.pk])).content.decode()
    assert "Dokumen wajib yang belum diunggah" in page and "alert-danger" not in page


def test_a_missing_formasi_is_in_the_same_list(client, pic, make_pegawai, aks):
    """No formasi for the JF and documents missing: both in the one list (the formasi was only
    reported once everything else was fixed)."""
    with tenancy.scope(pic.instansi):
        draft = services.usulan_create(actor=pic, pegawai=make_pegawai(), jf=aks)
    client.force_login(pic)
    response = client.post(reverse("pengusulan:usulan_ajukan", args=[draft.pk]), follow=True)
    html = response.content.decode()
    block = html[html.index('data-testid="daftar-alasan"') :].split("</div>")[0]
    assert "Dokumen wajib belum diunggah" in block
    assert "Belum ada formasi Analis Kerja Sama" in block, block
    with tenancy.scope(pic.instansi):
        draft.refresh_from_db()
        assert draft.formasi_id is None and draft.status == "draft"
