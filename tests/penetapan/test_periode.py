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
    # February → PAK May → kenaikan pangkat August (the months in the calendar's order).
    feb = {**SEED_001_I, "jf": jfak.kode, "bulan_pengajuan": 2, "hari_mulai": 25, "hari_selesai": 31, "bulan_pak": 5,
           "bulan_kenaikan_pangkat": 8}  # fmt: skip
    r = api.post("/api/v1/penetapan/periode/", feb, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["hari_selesai"] == ["Bulan Februari paling banyak 29 hari: isi tanggal 1–29."]
    r = api.post("/api/v1/penetapan/periode/", {**feb, "bulan_pengajuan": 4, "hari_mulai": 31}, format="json")
    assert r.status_code == 400
    assert r.json()["hari_mulai"] == ["Bulan April paling banyak 30 hari: isi tanggal 1–30."]
    assert not PeriodePenetapan.objects.filter(jf=jfak).exists()
    client.force_login(admin_lan)
    r = client.post(reverse("penetapan:periode"), {**SEED_001_I, "jf": jfak.pk, "bulan_pengajuan": "2",
                                                   "hari_mulai": "25", "hari_selesai": "30", "bulan_pak": "5",
                                                   "bulan_kenaikan_pangkat": "8"})  # fmt: skip
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


def test_the_order_of_a_periods_months_follows_seed_001():
    from apps.penetapan.domain import urutan_bulan_benar

    assert urutan_bulan_benar(10, 1, 4) and urutan_bulan_benar(4, 7, 10)  # seed 001's two periods
    assert urutan_bulan_benar(4, 4, 7)  # the demo period: PAK in the submission month, after the window
    assert not urutan_bulan_benar(4, 10, 7)  # kenaikan pangkat before the PAK
    assert not urutan_bulan_benar(10, 1, 1) and not urutan_bulan_benar(10, 1, 10)


def test_an_overlapping_window_and_a_contradictory_order_are_refused_on_the_page_and_in_the_api(
    client, jfak, admin_lan
):
    """Issue 19 walk (F8): an active period 3–10 April was saved beside Periode II (1–7 April) of the
    same JF, and a kenaikan pangkat month before the PAK month."""
    from rest_framework.test import APIClient

    from apps.accounts import token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.terbitkan(admin_lan, dua_langkah=False)[1]}")
    sebelum = set(PeriodePenetapan.objects.filter(jf=jfak).values_list("kode", flat=True))
    bertumpuk = {**SEED_001_I, "kode": "III", "nama": "Periode Uji", "bulan_pengajuan": "4", "hari_mulai": "3",
                 "hari_selesai": "10", "bulan_pak": "7", "bulan_kenaikan_pangkat": "10"}  # fmt: skip
    pesan = "Masa pengajuan 3–10 April bertumpuk dengan Periode II (1–7 April)"
    client.force_login(admin_lan)
    r = client.post(reverse("penetapan:periode"), {**bertumpuk, "jf": jfak.pk})
    body = r.content.decode()
    assert r.status_code == 400 and pesan in body and 'value="Periode Uji"' in body
    r = api.post("/api/v1/penetapan/periode/", {**bertumpuk, "jf": jfak.kode, "aktif": True}, format="json")
    assert r.status_code == 400 and pesan in r.json()["hari_mulai"][0], r.content
    # Inactive it may be kept; it cannot be switched on while Periode II is.
    r = api.post("/api/v1/penetapan/periode/", {**bertumpuk, "jf": jfak.kode, "aktif": False}, format="json")
    assert r.status_code == 201, r.content
    r = api.patch(f"/api/v1/penetapan/periode/{r.json()['id']}/", {"aktif": True}, format="json")
    assert r.status_code == 400 and pesan in r.json()["hari_mulai"][0]
    assert not PeriodePenetapan.objects.get(jf=jfak, kode="III").aktif
    # Kenaikan pangkat (July) before the PAK (October) of an April window: refused on both.
    terbalik = {**bertumpuk, "kode": "IV", "hari_mulai": "8", "hari_selesai": "14", "bulan_pak": "10",
                "bulan_kenaikan_pangkat": "7"}  # fmt: skip
    urutan = "Bulan kenaikan pangkat (Juli) harus sesudah bulan penetapan PAK (Oktober)"
    r = client.post(reverse("penetapan:periode"), {**terbalik, "jf": jfak.pk})
    assert r.status_code == 400 and urutan in r.content.decode()
    r = api.post("/api/v1/penetapan/periode/", {**terbalik, "jf": jfak.kode, "aktif": True}, format="json")
    assert r.status_code == 400 and urutan in r.json()["bulan_kenaikan_pangkat"][0], r.content
    assert set(PeriodePenetapan.objects.filter(jf=jfak).values_list("kode", flat=True)) == sebelum | {"III"}
    # 8–14 April with the PAK in April (after the window, as the demo period) and kenaikan pangkat in July.
    r = client.post(reverse("penetapan:periode"), {**terbalik, "jf": jfak.pk, "bulan_pak": "4"})
    assert r.status_code == 302
    assert PeriodePenetapan.objects.get(jf=jfak, kode="IV").aktif


@pytest.mark.parametrize("bulan_lalu", [None, 3], ids=["pertama-kali-april", "dari-maret-ke-april"])
def test_the_demo_period_in_an_official_windows_month_leaves_one_active_window(
    referensi, admin_lan, monkeypatch, bulan_lalu
):
    """demo_data's period is open all month: in April (Periode IV's month) the two windows would
    share days, which the period service now refuses; the demo period stands in for Periode IV."""
    from datetime import date

    from django.utils import timezone

    from apps.penetapan import domain
    from apps.portal.management.commands.demo_data import demo_periode_jfak

    jfak = referensi["analis-kebijakan"]
    for bulan in [bulan_lalu, 4, 4]:
        if bulan is not None:
            monkeypatch.setattr(timezone, "localdate", lambda b=bulan: date(2027, b, 3))
            demo_periode_jfak()
    aktif = list(PeriodePenetapan.objects.filter(jf=jfak, aktif=True))
    assert sorted(p.kode for p in aktif) == ["DEMO", "I"]
    assert not any(domain.jendela_bertumpuk(a, b) for a in aktif for b in aktif if a.pk != b.pk)
    ii = PeriodePenetapan.objects.get(jf=jfak, kode="IV")
    assert (ii.bulan_pengajuan, ii.hari_mulai, ii.hari_selesai, ii.bulan_pak, ii.aktif) == (4, 1, 7, 7, False)
    j = domain.jendela(PeriodePenetapan.objects.get(jf=jfak, kode="DEMO"), 2027)
    assert j.mulai <= date(2027, 4, 3) <= j.selesai and j.pak == date(2027, 4, 1)
    # In May the demo period moves on and Periode IV is active again.
    monkeypatch.setattr(timezone, "localdate", lambda: date(2027, 5, 3))
    demo_periode_jfak()
    assert PeriodePenetapan.objects.get(jf=jfak, kode="IV").aktif
