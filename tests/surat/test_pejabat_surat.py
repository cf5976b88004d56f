"""A PAK/HAPAK is about one holder: the public verification page names the holder (NIP masked)."""

from __future__ import annotations

import pytest

from apps.core.tenancy import all_tenants
from apps.surat import selectors
from tests.surat.conftest import terbitkan_penetapan

pytestmark = pytest.mark.django_db


def test_the_public_verification_of_a_pak_names_its_holder(referensi, client):
    surat = terbitkan_penetapan(referensi)["pak-ak"]
    with all_tenants(reason="test assertion"):
        versi = surat.versi_set.get(diganti_at__isnull=True)
        nama = surat.pejabat.nama
    v = selectors.versi_publik(versi.kode)
    assert [p["nama"] for p in v.pegawai_list] == [nama]
    page = client.get(f"/v/{versi.kode}/").content.decode()
    assert 'Pegawai</dt><dd class="col-sm-8">-' not in page
