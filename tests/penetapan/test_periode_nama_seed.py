"""Issue 19 (F9): the demo's periods of JF Analis Kebijakan carry the names seed 001 gives them
(BAB IV C, Tabel 1: "I" — first week of October → PAK January → kenaikan pangkat April; "IV" —
first week of April → July → October), not "I/II"; an older demo's names are renamed on the next
run, and the pages and letters print the seed's name."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.penetapan import services
from apps.penetapan.models import PeriodePenetapan

pytestmark = pytest.mark.django_db


def _resmi(jf) -> dict:
    return {
        p.kode: (p.nama, p.bulan_pengajuan, p.bulan_pak, p.bulan_kenaikan_pangkat)
        for p in PeriodePenetapan.objects.filter(jf=jf).exclude(kode="DEMO")
    }


SEED = {"I": ("Periode I", 10, 1, 4), "IV": ("Periode IV", 4, 7, 10)}


def test_the_demo_periods_are_named_as_seed_001_table_1(referensi, admin_lan, monkeypatch):
    from apps.portal.management.commands.demo_data import demo_periode_jfak

    monkeypatch.setattr(timezone, "localdate", lambda: date(2027, 6, 3))
    demo_periode_jfak()
    demo_periode_jfak()  # safe to run again
    assert _resmi(referensi["analis-kebijakan"]) == SEED


def test_an_older_demos_period_names_are_renamed_to_the_seeds(client, referensi, admin_lan, monkeypatch):
    from apps.portal.management.commands.demo_data import demo_periode_jfak

    jfak = referensi["analis-kebijakan"]
    for kode, nama, bulan, pak, kp in (("I", "Periode I (Oktober)", 10, 1, 4), ("II", "Periode II (April)", 4, 7, 10)):
        services.periode_simpan(
            actor=admin_lan, jf=jfak,
            data={"kode": kode, "nama": nama, "bulan_pengajuan": bulan, "hari_mulai": 1, "hari_selesai": 7,
                  "bulan_pak": pak, "bulan_kenaikan_pangkat": kp, "aktif": True, "sumber": "demo lama"},
        )  # fmt: skip
    monkeypatch.setattr(timezone, "localdate", lambda: date(2027, 6, 3))
    demo_periode_jfak()
    assert _resmi(jfak) == SEED
    # The admin's period page lists the seed's names, no longer the old ones.
    client.force_login(admin_lan)
    page = client.get(reverse("penetapan:periode")).content.decode()
    assert "Periode IV" in page and "Periode II" not in page and "Periode I (Oktober)" not in page


def test_the_letter_names_the_period_as_the_seed_does(referensi, admin_lan, monkeypatch):
    """The PAK/HAPAK print the usulan's period by its name (apps.penetapan.isi)."""
    from types import SimpleNamespace

    from apps.penetapan import isi
    from apps.portal.management.commands.demo_data import demo_periode_jfak

    monkeypatch.setattr(timezone, "localdate", lambda: date(2027, 6, 3))
    demo_periode_jfak()
    iv = PeriodePenetapan.objects.get(jf=referensi["analis-kebijakan"], kode="IV")
    usulan = SimpleNamespace(luar_periode_bup=False, periode=iv, periode_id=iv.pk, tahun=2027)
    assert isi._periode(usulan) == "Periode IV 2027"
