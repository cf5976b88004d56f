"""The JF page shows each jenjang's requirements on its Persyaratan tab, from the reference data:
pangkat/golongan, pendidikan, pelatihan, pengalaman, indikator kinerja and the competency standard,
with their sources — for every JF, also those whose standard the portal does not hold yet (JF AKS)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tab(client, kode):
    body = client.get(reverse("referensi:jf_detail", args=[kode])).content.decode()
    tab = body.split('id="persyaratan" role="tabpanel"', 1)[1].split('id="jenjang" role="tabpanel"', 1)[0]
    return body, tab


def _blok(tab, kode):
    return tab.split(f'data-testid="persyaratan-{kode}"', 1)[1].split("</table>", 1)[0]


def test_each_jenjang_of_pengantar_kerja_shows_its_persyaratan_on_the_persyaratan_tab(client, referensi, instansi_a):
    client.force_login(UserFactory(instansi=instansi_a, roles=["pic_instansi"]))
    _body, tab = _tab(client, "pengantar-kerja")
    assert tab.count("— Persyaratan jabatan</h3>") == 4
    muda = _blok(tab, "ahli_muda")
    assert "III/c (Penata); III/d (Penata Tk. I)" in muda
    assert "Pendidikan dan pelatihan berjenjang Pengantar Kerja" in muda  # pelatihan
    assert "bidang Antar Kerja paling singkat 2 (dua) tahun" in muda  # pengalaman
    assert "Kualitas penyusunan, penganalisisan dan evaluasi" in muda  # indikator kinerja
    assert "kompetensi (" in _blok(tab, "ahli_muda").split('data-testid="standar-ahli_muda"', 1)[1]
    assert "manajerial" in muda and "teknis" in muda
    assert "KepmenPANRB Nomor SKJ.1 Tahun 2022" in tab  # its source, named
    assert "[V" not in tab and "eed 0" not in tab


def test_a_jf_without_a_transcribed_standard_still_shows_every_jenjang_from_its_data(client, referensi, instansi_a):
    client.force_login(UserFactory(instansi=instansi_a, roles=["pic_instansi"]))
    _body, tab = _tab(client, "aks")
    assert tab.count("— Persyaratan jabatan</h3>") == 4
    pertama = _blok(tab, "ahli_pertama")
    assert "III/a (Penata Muda) – III/b (Penata Muda Tingkat I)" in pertama
    assert "paling sedikit 2 tahun secara kumulatif" in pertama
    assert 'data-testid="tanpa-data-ahli_pertama"' in pertama
    standar = pertama.split('data-testid="standar-ahli_pertama"', 1)[1]
    assert "belum diisi" in standar
    assert "Sumber" in tab and "[V" not in tab and "eed 0" not in tab
