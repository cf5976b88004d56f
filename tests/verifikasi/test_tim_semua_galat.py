"""'Bentuk tim' reports every rule the team breaks at once (issue 14): a missing date no longer
hides the member rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.verifikasi.models import TimPenilai

pytestmark = pytest.mark.django_db


def test_a_team_without_dates_hears_every_other_broken_rule_too(client, staf, pk):
    ketua, sekretaris = staf["ketua"], staf["penilai1"]
    client.force_login(staf["admin"])
    isian = {
        "jf": pk.kode, "nama": "Tim Tanpa Tanggal", "mulai": "", "selesai": "",
        f"peran_{ketua.pk}": "ketua", f"peran_{sekretaris.pk}": "sekretaris", f"sertifikat_{ketua.pk}": "on",
    }  # fmt: skip
    response = client.post(reverse("verifikasi:tim_list"), isian)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="daftar-alasan"') == 1
    for pesan in (
        "Isi tanggal mulai dan selesai masa jabatan tim",
        "Jumlah anggota tim harus ganjil (sekarang 2).",
        "Paling sedikit 2 anggota harus bersertifikat bimtek penilai (sekarang 1).",
        f"Isi pangkat/golongan {ketua}",
        f"Isi pangkat/golongan {sekretaris}",
    ):
        assert pesan in body, pesan
    assert 'value="Tim Tanpa Tanggal"' in body
    with tenancy.all_tenants(reason="test"):
        assert not TimPenilai.objects.exists()


def test_a_too_long_team_name_is_refused_with_the_rest_not_a_500(client, staf, pk):
    client.force_login(staf["admin"])
    isian = {"jf": pk.kode, "nama": "T" * 151, "mulai": "2026-01-01", "selesai": "2027-01-01"}
    response = client.post(reverse("verifikasi:tim_list"), isian)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nama tim paling banyak 150 karakter." in body and "Jumlah anggota tim harus ganjil (sekarang 0)." in body


def test_a_team_without_its_jf_hears_the_member_rules_too(client, staf, pk):
    client.force_login(staf["admin"])
    ketua = staf["ketua"]
    isian = {"jf": "", "nama": "Tim", "mulai": "2026-01-01", "selesai": "2027-01-01", f"peran_{ketua.pk}": "ketua"}
    response = client.post(reverse("verifikasi:tim_list"), isian)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pilih jabatan fungsional tim." in body and "Tim harus memiliki tepat satu sekretaris (sekarang 0)." in body
