"""The JF's admin pembina configures its periods; the windows follow at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.penetapan.models import PeriodePenetapan

pytestmark = pytest.mark.django_db

SEED_001_I = {
    "kode": "I",
    "nama": "Periode I",
    "bulan_pengajuan": "10",
    "hari_mulai": "1",
    "hari_selesai": "7",
    "bulan_pak": "1",
    "bulan_kenaikan_pangkat": "4",
    "aktif": "on",
    "sumber": "Seed 001 BAB IV C",
}


def test_the_admin_pembina_adds_and_edits_a_period_of_their_jf_only(client, referensi, admin_lan, admin_setneg):
    jfak, aks = referensi["analis-kebijakan"], referensi["aks"]
    client.force_login(admin_lan)
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": jfak.pk})
    assert r.status_code == 302
    p = PeriodePenetapan.objects.get(jf=jfak, kode="I")
    assert (p.bulan_pengajuan, p.hari_mulai, p.hari_selesai, p.bulan_pak, p.bulan_kenaikan_pangkat) == (10, 1, 7, 1, 4)
    # The same code edits it; a closing day before the opening day is refused with the input kept.
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": jfak.pk, "hari_selesai": "8"})
    assert r.status_code == 302 and PeriodePenetapan.objects.get(pk=p.pk).hari_selesai == 8
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": jfak.pk, "hari_mulai": "9",
                                                   "nama": "Periode Uji"})  # fmt: skip
    assert r.status_code == 400 and "Tanggal tutup tidak boleh sebelum tanggal buka." in r.content.decode()
    assert 'value="Periode Uji"' in r.content.decode()
    assert PeriodePenetapan.objects.get(pk=p.pk).hari_mulai == 1
    # Another pembina's JF is not a choice (and the other admin cannot touch this one).
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": aks.pk})
    assert r.status_code == 400 and not PeriodePenetapan.objects.filter(jf=aks).exists()
    client.force_login(admin_setneg)
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": jfak.pk, "hari_selesai": "5"})
    assert r.status_code == 400 and PeriodePenetapan.objects.get(pk=p.pk).hari_selesai == 8


def test_a_period_can_close_on_the_31st_clamped_in_shorter_months_and_bad_input_gets_field_errors(
    client, referensi, admin_lan
):
    from datetime import date
    from types import SimpleNamespace

    from apps.penetapan import domain

    jfak = referensi["analis-kebijakan"]
    client.force_login(admin_lan)
    page = client.get(reverse("penetapan:periode")).content.decode()
    assert 'max="31"' in page and "novalidate" in page and "tanggal terakhir bulan itu" in page
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": jfak.pk, "hari_mulai": "25",
                                                   "hari_selesai": "31"})  # fmt: skip
    assert r.status_code == 302
    assert PeriodePenetapan.objects.get(jf=jfak, kode="I").hari_selesai == 31
    # In a 30-day month the window closes on its last day.
    jendela = domain.jendela(SimpleNamespace(pk=1, nama="x", bulan_pengajuan=4, hari_mulai=25, hari_selesai=31,
                                             bulan_pak=7, bulan_kenaikan_pangkat=10), 2026)  # fmt: skip
    assert (jendela.mulai, jendela.selesai) == (date(2026, 4, 25), date(2026, 4, 30))
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": jfak.pk, "bulan_pengajuan": "13",
                                                   "hari_selesai": "32"})  # fmt: skip
    body = r.content.decode()
    assert (
        r.status_code == 400
        and "lebih kecil dari atau sama dengan 12." in body
        and "lebih kecil dari atau sama dengan 31." in body
    )


def test_a_day_the_month_never_has_is_refused_on_the_page_and_in_the_api(client, referensi, admin_lan):
    """Issue 19: 25–31 February was saved (201) and shown as "25 Februari – 28 Februari"."""
    from rest_framework.test import APIClient

    from apps.accounts import token

    jfak = referensi["analis-kebijakan"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.terbitkan(admin_lan, dua_langkah=False)[1]}")
    feb = {**SEED_001_I, "jf": jfak.kode, "bulan_pengajuan": 2, "hari_mulai": 25, "hari_selesai": 31}
    r = api.post("/api/v1/penetapan/periode/", feb, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["hari_selesai"] == ["Bulan Februari paling banyak 29 hari: isi tanggal 1–29."]
    r = api.post("/api/v1/penetapan/periode/", {**feb, "bulan_pengajuan": 4, "hari_mulai": 31}, format="json")
    assert r.status_code == 400
    assert r.json()["hari_mulai"] == ["Bulan April paling banyak 30 hari: isi tanggal 1–30."]
    assert not PeriodePenetapan.objects.filter(jf=jfak).exists()
    client.force_login(admin_lan)
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": jfak.pk, "bulan_pengajuan": "2",
                                                   "hari_mulai": "25", "hari_selesai": "30"})  # fmt: skip
    assert r.status_code == 400 and "Bulan Februari paling banyak 29 hari: isi tanggal 1–29." in r.content.decode()
    assert not PeriodePenetapan.objects.filter(jf=jfak).exists()
    # 29 February (a leap day) and 31 October stay valid.
    r = api.post("/api/v1/penetapan/periode/", {**feb, "hari_selesai": 29}, format="json")
    assert r.status_code == 201, r.content
    r = api.post("/api/v1/penetapan/periode/", {**feb, "kode": "II", "bulan_pengajuan": 10}, format="json")
    assert r.status_code == 201, r.content
    assert sorted(PeriodePenetapan.objects.filter(jf=jfak).values_list("bulan_pengajuan", "hari_selesai")) == [
        (2, 29), (10, 31)
    ]  # fmt: skip
