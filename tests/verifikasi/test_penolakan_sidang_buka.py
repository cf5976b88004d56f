"""A refused "Buka sidang" keeps the ketua's choice, date and place (issue 14: no lost input)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.verifikasi import services
from apps.verifikasi.models import Sidang
from tests.verifikasi.conftest import as_user, lulus_administrasi

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinilai(diajukan, staf, tim):
    """A dossier assigned to the team's three members, scored by none of them yet."""
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=members)
    return usulan


def test_a_refused_buka_sidang_keeps_the_choice_the_date_and_the_place(client, staf, tim, dinilai):
    client.force_login(staf["ketua"])
    isian = {"usulan": [str(dinilai.pk)], "tanggal": "2026-12-03", "tempat": "Ruang Rapat Garuda Lt. 3"}
    response = client.post(reverse("verifikasi:sidang_buka", args=[tim.pk]), isian)
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Usulan {dinilai.nomor} baru dinilai 0 dari 3 anggota" in body
    assert 'name="tempat" value="Ruang Rapat Garuda Lt. 3"' in body
    assert 'name="tanggal" value="2026-12-03"' in body
    assert f'name="usulan" value="{dinilai.pk}" aria-label="{dinilai.nomor}" checked' in body
    with tenancy.all_tenants(reason="test"):
        assert not Sidang.objects.filter(tim=tim).exists()


def test_every_reason_of_a_refused_buka_sidang_is_shown_at_once(client, staf, tim, dinilai):
    client.force_login(staf["ketua"])
    isian = {"tanggal": "2031-01-05", "tempat": "R" * 151}
    body = client.post(reverse("verifikasi:sidang_buka", args=[tim.pk]), isian).content.decode()
    assert body.count('data-testid="daftar-alasan"') == 1
    assert "tim tidak dapat ditugaskan atau bersidang" in body  # the term ends in 2028, not in 2031
    assert "Tempat sidang paling banyak 150 karakter." in body
    assert "Pilih usulan yang akan disidangkan." in body
    assert 'name="tanggal" value="2031-01-05"' in body


def test_an_unreadable_date_is_refused_not_replaced_by_today(client, staf, tim, dinilai):
    client.force_login(staf["ketua"])
    isian = {"usulan": [str(dinilai.pk)], "tanggal": "31-02-2026", "tempat": "Aula"}
    body = client.post(reverse("verifikasi:sidang_buka", args=[tim.pk]), isian).content.decode()
    assert "Tanggal sidang 31-02-2026 tidak valid" in body and 'name="tempat" value="Aula"' in body
