"""A golongan recorded from an SK kenaikan pangkat whose TMT is still ahead is shown as taking
effect on that date (fresh-eye walk, issue 19: the holder showed the new golongan at once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.format import tgl
from apps.jabatan.models import PejabatFungsional
from tests.jabatan.conftest import buat_pejabat, teks_halaman

pytestmark = pytest.mark.django_db


def test_a_golongan_with_a_tmt_ahead_says_when_it_takes_effect(client, instansi_a, pk, pic_pk):
    h = buat_pejabat(instansi_a, pk)
    client.force_login(pic_pk)
    assert 'data-testid="golongan-belum-berlaku"' not in teks_halaman(
        client.get(reverse("jabatan:detail", args=[h.pk]))
    )
    nanti = timezone.localdate() + timedelta(days=120)
    with tenancy.scope(instansi_a):
        PejabatFungsional.objects.filter(pk=h.pk).update(tmt_golongan=nanti)
    detail = teks_halaman(client.get(reverse("jabatan:detail", args=[h.pk])))
    assert f"berlaku mulai {tgl(nanti)}" in detail and 'data-testid="golongan-belum-berlaku"' in detail
    daftar = teks_halaman(client.get(reverse("jabatan:daftar")))
    assert f" mulai {tgl(nanti)})" in daftar
