"""The holder's page at the top pangkat of the jenjang explains it (issue 19 walk: "ambang -")."""

from __future__ import annotations

import pytest

from apps.core import tenancy
from apps.jabatan import akses
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


def test_the_holder_at_the_top_pangkat_reads_why_there_is_no_threshold(client, instansi_a, pk, pic_pk):
    h = buat_pejabat(instansi_a, pk, golongan="III/b")  # the highest pangkat of Ahli Pertama
    with tenancy.scope(instansi_a):
        user = akses.pejabat_undang(actor=pic_pk, pejabat=h, email="ani@uji.siaks.go.id")
    client.force_login(user)
    html = " ".join(client.get("/saya/").content.decode().split())
    assert "Pangkat tertinggi jenjang ini: kenaikan pangkat berikutnya hanya melalui kenaikan jenjang." in html
    assert "ambang —" not in html and "ambang -" not in html
