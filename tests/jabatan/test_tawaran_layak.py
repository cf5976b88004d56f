"""Fresh-eye walk, issue 19: forms offered that could only be refused. The holder's page shows
why a kenaikan jenjang cannot be proposed yet instead of the button, the predikat form offers no
jenjang above the holder's (tests/penetapan/test_tawaran_nilai.py: the assessment form)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.services import mutasi_tambah
from tests.jabatan.conftest import buat_pejabat, teks_halaman

pytestmark = pytest.mark.django_db


def test_the_kenaikan_jenjang_button_shows_only_once_the_threshold_is_met(client, instansi_a, pk, pic_pk):
    h = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        mutasi_tambah(h, JenisMutasi.AWAL, Decimal("37.71"), oleh=None, keterangan="AK awal (impor)")
        ambang = h.jenjang.ak_kumulatif_jenjang
    assert ambang is not None and ambang > Decimal("37.71")
    client.force_login(pic_pk)
    page = teks_halaman(client.get(reverse("jabatan:detail", args=[h.pk])))
    assert "Usulkan kenaikan jenjang ke" not in page
    assert 'data-testid="kenaikan-jenjang-kendala"' in page and "belum memenuhi ambang kenaikan jenjang" in page
    # The predikat form offers the holder's jenjang and those below, never a higher one.
    from apps.referensi.models import Jenjang

    form = client.get(reverse("jabatan:detail", args=[h.pk])).context["form"]
    ditawarkan = {int(str(k)) for k, _v in form.fields["jenjang"].widget.choices if k}
    with tenancy.scope(instansi_a):
        semua = {j.pk: j.urutan for j in Jenjang.objects.filter(jf=pk)}
    assert h.jenjang_id in ditawarkan and any(u > h.jenjang.urutan for u in semua.values())
    assert all(semua[j] <= h.jenjang.urutan for j in ditawarkan)
    with tenancy.scope(instansi_a):
        mutasi_tambah(h, JenisMutasi.KOREKSI, ambang, oleh=pic_pk, keterangan="Koreksi uji", mengoreksi=h.mutasi.get())
    page = teks_halaman(client.get(reverse("jabatan:detail", args=[h.pk])))
    assert "Usulkan kenaikan jenjang ke" in page and 'data-testid="kenaikan-jenjang-kendala"' not in page
