"""Issue 13, fresh-eye walk (low): "Butuh Perbaikan" set to 77,5 showed "77,50 %" on the JF page
beside "150 %", and the history "persen: 75.00 → 77.5" and "77.5 %". One Indonesian number format
(decimal comma, no needless trailing zeros) wherever these values are shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.format import format_angka
from apps.referensi.models import PersentasePredikat
from tests.referensi.test_desimal_koma import _post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("nilai", "teks"), [("77.50", "77,5"), ("150.00", "150"), ("2.083", "2,08"), ("75", "75"), (None, "-")]
)
def test_a_decimal_prints_with_a_comma_and_no_needless_zeros(nilai, teks):
    assert format_angka(nilai) == teks


def test_a_predikat_percentage_reads_the_same_on_the_jf_page_and_in_its_history(client, referensi, admin_setneg):
    aks = referensi["aks"]
    row = PersentasePredikat.objects.get(jf=aks, predikat="butuh_perbaikan")
    client.force_login(admin_setneg)
    url = reverse("referensi:row_edit", args=["aks", "predikat", row.pk])
    assert _post(client, url, {"persen": "77,5", "terverifikasi": "", "sumber": row.sumber}).status_code == 302

    body = client.get(reverse("referensi:jf_detail", args=["aks"])).content.decode()
    assert "<td>77,5 %</td>" in body and "<td>150 %</td>" in body
    assert "77,50" not in body and "150,00" not in body

    riwayat = client.get(reverse("referensi:jf_riwayat", args=["aks"])).content.decode()
    assert "Butuh Perbaikan: 77,5 %" in riwayat
    assert "<code>persen</code>: 75 → <strong>77,5</strong>" in riwayat
    assert "75.00" not in riwayat and "77.5" not in riwayat
