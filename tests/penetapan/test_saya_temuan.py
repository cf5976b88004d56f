"""Fresh-eye re-walk of issue 19 (lows): the holder's /saya/ offers "Buat usulan penetapan angka
kredit" only when it would be taken (else the reason), and shows how each konversi was computed
as the PIC's page does; the PIC's page says an invitation not yet taken up is not "aktif"."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from apps.core import tenancy
from apps.jabatan import akses
from apps.jabatan.services import konversi_catat
from tests.factories import UserFactory
from tests.penetapan.conftest import bentuk_tim, buat_pejabat

pytestmark = pytest.mark.django_db

OKTOBER = datetime(2026, 10, 3, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # inside seed 001's October window
NOVEMBER = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))  # outside any window


def _teks(response) -> str:
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def _holder(kab, jfak):
    jfak.pejabat_boleh_mengajukan_ak = True
    jfak.save(update_fields=["pejabat_boleh_mengajukan_ak"])
    user = UserFactory(username="ani.jfak", instansi=kab, roles=["pejabat_fungsional"])
    return user, buat_pejabat(kab, jfak, nip="198609262015052001", nama="Ani Wulandari", user=user)


def test_the_button_shows_only_when_an_usulan_can_be_started(client, jfak, kab, prov):
    bentuk_tim(prov, jfak, "provinsi")
    user, _pejabat = _holder(kab, jfak)
    client.force_login(user)
    tombol = reverse("saya:usulan_penetapan_buat")
    with time_machine.travel(NOVEMBER, tick=True):
        page = _teks(client.get(reverse("saya:beranda")))
        assert tombol not in page and 'data-testid="alasan-tidak-bisa-mengajukan"' in page
    with time_machine.travel(OKTOBER, tick=True):
        assert tombol in _teks(client.get(reverse("saya:beranda")))
        assert client.post(tombol).status_code == 302
        page = _teks(client.get(reverse("saya:beranda")))
        assert tombol not in page
        assert "sudah memiliki usulan penetapan angka kredit pada periode ini" in page


def test_the_holder_sees_how_a_konversi_was_computed(client, jfak, kab):
    user, pejabat = _holder(kab, jfak)
    with tenancy.scope(kab):
        konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 12, 31), oleh=None
        )
    client.force_login(user)
    page = _teks(client.get(reverse("saya:beranda")))
    assert re.search(r"12/12 × 100 % × 12,5", page), page[page.find("Konversi") : page.find("Konversi") + 400]


def test_an_invitation_not_taken_up_is_not_shown_as_active(client, jfak, kab, pic_kab):
    pejabat = buat_pejabat(kab, jfak, nip="198701012015051002", nama="Budi Prakoso")
    with tenancy.scope(kab):
        user = akses.pejabat_undang(actor=pic_kab, pejabat=pejabat, email="budi@uji.siaks.go.id")
    client.force_login(pic_kab)
    status = re.search(
        r'data-testid="status-akses">(.*?)</p>', _teks(client.get(reverse("jabatan:detail", args=[pejabat.pk])))
    )
    assert status and "undangan terkirim, belum diaktifkan" in status.group(1) and ">aktif<" not in status.group(1)
    user.set_password("kata-sandi-pejabat-2026")
    user.save()
    status = re.search(
        r'data-testid="status-akses">(.*?)</p>', _teks(client.get(reverse("jabatan:detail", args=[pejabat.pk])))
    )
    assert status and ">aktif<" in status.group(1)
