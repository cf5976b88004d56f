"""Issue 13: AK values are typed the Indonesian way. The reference forms took "77.5" (what
Chromium's number input sends) but refused "77,5" (what scripts, the API clients and other browsers
send): they accept both, and refuse "7,7,5" or "abc" with a message that says how to write it —
one field for every typed AK value (apps.core.forms.DesimalField)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core.format import baca_desimal
from apps.referensi.models import JabatanFungsional, Jenjang, NilaiPenyesuaianAK, PersentasePredikat

pytestmark = pytest.mark.django_db

PESAN = "Masukkan angka dengan satu tanda desimal, misalnya 77,5 atau 77.5, tanpa pemisah ribuan."


@pytest.mark.parametrize(
    ("teks", "nilai"),
    [("77,5", "77.5"), ("77.5", "77.5"), (" 77,5 ", "77.5"), ("0,25", "0.25"), (",5", "0.5"), ("100", "100")],
)
def test_a_typed_decimal_reads_with_a_comma_or_a_point(teks, nilai):
    assert baca_desimal(teks) == Decimal(nilai)


@pytest.mark.parametrize("teks", ["7,7,5", "7.7,5", "1.234,5", "abc", "1e3", "NaN", "Infinity", "", "77,", "7 7"])
def test_anything_else_is_not_a_decimal(teks):
    with pytest.raises(ValueError):
        baca_desimal(teks)


def _post(client, url, data):
    return client.post(url, {**data, "versi": client.get(url).context["versi"]})


def test_the_ak_row_form_takes_a_decimal_comma_and_refuses_garbage(client, referensi, admin_setneg):
    row = NilaiPenyesuaianAK.objects.get(jf__kode="aks", golongan__kode="III/c", masa_kerja=4, pendidikan="s1")
    lama = row.nilai
    client.force_login(admin_setneg)
    url = reverse("referensi:ak_edit", args=["tabel", row.pk])
    for sampah in ("7,7,5", "abc"):
        resp = _post(client, url, {"nilai": sampah, "terverifikasi": ""})
        assert resp.status_code == 200 and PESAN in resp.content.decode()
        assert f'value="{sampah}"' in resp.content.decode()  # what was typed is kept
        row.refresh_from_db()
        assert row.nilai == lama
    assert _post(client, url, {"nilai": "77,5", "terverifikasi": ""}).status_code == 302
    row.refresh_from_db()
    assert row.nilai == Decimal("77.5") and not row.terverifikasi
    assert _post(client, url, {"nilai": "80.25", "terverifikasi": "on"}).status_code == 302
    row.refresh_from_db()
    assert row.nilai == Decimal("80.25") and row.terverifikasi


def test_the_jenjang_predikat_and_jf_forms_take_a_decimal_comma(client, referensi, admin_setneg):
    aks = referensi["aks"]
    client.force_login(admin_setneg)
    madya = Jenjang.objects.get(jf=aks, kode="ahli_madya")
    url = reverse("referensi:row_edit", args=["aks", "jenjang", madya.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items() if k in form.fields}
    resp = _post(client, url, {**data, "koefisien_ak": "1,2,5"})
    assert resp.status_code == 200 and PESAN in resp.content.decode()
    resp = _post(client, url, {**data, "koefisien_ak": "37,5", "ak_kumulatif_pangkat": "150,25"})
    assert resp.status_code == 302
    madya.refresh_from_db()
    assert (madya.koefisien_ak, madya.ak_kumulatif_pangkat) == (Decimal("37.5"), Decimal("150.25"))

    baik = PersentasePredikat.objects.get(jf=aks, predikat="baik")
    url = reverse("referensi:row_edit", args=["aks", "predikat", baik.pk])
    resp = _post(client, url, {"persen": "abc", "terverifikasi": "", "sumber": baik.sumber})
    assert resp.status_code == 200 and PESAN in resp.content.decode()
    assert _post(client, url, {"persen": "87,5", "terverifikasi": "", "sumber": baik.sumber}).status_code == 302
    baik.refresh_from_db()
    assert baik.persen == Decimal("87.5")

    from tests.referensi.test_views import _jf_form_data

    url = reverse("referensi:jf_edit", args=["aks"])
    assert _post(client, url, _jf_form_data(aks, ukuran_berkas_mb="2,5")).status_code == 302
    assert JabatanFungsional.objects.get(pk=aks.pk).ukuran_berkas_maks == int(Decimal("2.5") * 1024 * 1024)
