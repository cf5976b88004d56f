"""A new instansi's official on the BSrE backend (issue 14, fresh-eye finding 1): the page asks
BSrE whether the NIK's certificate is active and refuses an unknown NIK at registration (not at
signing time, letter by letter); when BSrE cannot be reached it registers with a warning. In the
demo set-up only, the fake BSrE enrols the new official so they can sign in ``make run``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.ttd import services, validasi
from apps.ttd.models import Pejabat, TandaTangan
from tests.surat.conftest import PENANDATANGAN_PPK, all_tenants
from tests.ttd.conftest import baca, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

NIK_BARU = "3310015807790004"


def _data(user, **extra):
    nama, jabatan, nip = PENANDATANGAN_PPK
    return {"user": user.pk, "nama": nama, "nip": nip, "jabatan": jabatan, "backend": "bsre", **extra}


@pytest.fixture
def bsre_aktif(bsre, settings):
    settings.SIAKS_TTD_BSRE_URL = bsre.url
    settings.SIAKS_TTD_BSRE_TIMEOUT = 3
    bsre.gangguan = bsre.lambat = 0
    return bsre


def test_a_nik_without_an_active_bsre_certificate_is_refused_at_registration(client, pic_pk, ppk_pk, bsre_aktif):
    client.force_login(pic_pk)
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, nik="3310015807790099"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "tidak aktif atau belum terdaftar di BSrE" in page and PENANDATANGAN_PPK[0] in page  # input kept
    with all_tenants():
        assert not Pejabat.objects.exists()


def test_an_unreachable_bsre_registers_the_official_with_a_warning(client, pic_pk, ppk_pk, settings):
    settings.SIAKS_TTD_BSRE_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.SIAKS_TTD_BSRE_TIMEOUT = 2
    client.force_login(pic_pk)
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, nik=NIK_BARU), follow=True)
    assert response.status_code == 200
    assert "belum dapat diperiksa karena layanan BSrE tidak dapat dihubungi" in response.content.decode()
    with all_tenants():
        assert Pejabat.objects.get().nik == NIK_BARU


def test_in_the_demo_a_new_official_is_enrolled_and_signs_an_sk_that_validates(
    client, pic_pk, ppk_pk, sk_siap, bsre_aktif, settings
):
    settings.SIAKS_TTD_BSRE_DAFTAR_UJI = True
    client.force_login(pic_pk)
    response = client.post(reverse("ttd:pejabat_baru"), _data(ppk_pk, nik=NIK_BARU))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert NIK_BARU in bsre_aktif.pengguna  # enrolled by the demo-only call
    (versi,) = sk_siap(1)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk], passphrase="siaks-bsre")
    ttd_antrean()
    with all_tenants():
        tt = TandaTangan.objects.get(batch=batch)
        assert tt.status == "selesai", tt.galat
        versi.refresh_from_db()
        data = baca(versi.ttd_berkas)
        laporan = validasi.validasi(data, versi, terbit=baca(versi.berkas))
    assert laporan.sah and laporan.identik, laporan.alasan
    assert tt.penandatangan_nik == NIK_BARU and tt.penandatangan_nama == PENANDATANGAN_PPK[0]
