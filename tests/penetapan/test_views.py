"""The pages: a refusal is shown with the user's input kept; the sekretariat's check by form."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.penetapan.models import UsulanPenetapanAK
from tests.penetapan.conftest import bentuk_tim, buat_pejabat, usulan_diajukan

pytestmark = pytest.mark.django_db


def test_outside_the_period_the_page_says_why_and_nothing_is_made(client, pic_kab, kab, jfak, prov):
    bentuk_tim(prov, jfak, "provinsi")
    p = buat_pejabat(kab, jfak, lahir=date(1990, 1, 1))
    client.force_login(pic_kab)
    page = client.get(reverse("penetapan:daftar"))
    assert page.status_code == 200 and f'value="{p.pk}"' in page.content.decode()
    r = client.post(reverse("penetapan:buat"), {"pejabat": p.pk}, follow=True)
    html = r.content.decode()
    from django.utils import timezone

    from apps.penetapan import domain, selectors

    if domain.jendela_terbuka(selectors.periode_jf(jfak.pk), timezone.localdate()) is None:
        assert "hanya dapat diajukan pada periode" in html
        with tenancy.all_tenants(reason="test"):
            assert not UsulanPenetapanAK.objects.exists()
    r = client.post(reverse("penetapan:buat"), {"pejabat": "999999"}, follow=True)
    assert "Pilih pejabat fungsional yang diusulkan." in r.content.decode()


def test_the_sekretariat_returns_by_form_and_an_empty_note_keeps_the_form(client, pic_kab, kab, jfak, prov):
    tim = bentuk_tim(prov, jfak, "provinsi")
    u = usulan_diajukan(pic_kab, buat_pejabat(kab, jfak))
    client.force_login(tim["sekretariat"])
    assert "Beranda Sekretariat Tim Penilai" in client.get(reverse("portal:beranda")).content.decode()
    detail = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    assert "Pemeriksaan kelengkapan" in detail and "Ani Wulandari" in detail
    url = reverse("penetapan:aksi", args=[u.pk])
    r = client.post(url, {"aksi": "periksa", "keputusan": "kembalikan", "catatan": ""})
    assert r.status_code == 400 and "Tuliskan catatan" in r.content.decode()
    r = client.post(url, {"aksi": "periksa", "keputusan": "kembalikan", "catatan": "SK pangkat belum ada."})
    assert r.status_code == 302
    with tenancy.all_tenants(reason="test"):
        u.refresh_from_db()
    assert (u.status, u.catatan_sekretariat) == ("dikembalikan", "SK pangkat belum ada.")
    # A member of the team may see it but not check it.
    client.force_login(tim["anggota"][2].user)
    assert client.post(url, {"aksi": "periksa", "keputusan": "lengkap"}).status_code == 403
