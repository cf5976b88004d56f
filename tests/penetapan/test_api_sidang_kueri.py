"""The AK sidang list API reads a page of sidang in a fixed number of queries (issue 19): the
usulan of every sidang on the page in one query, not one per sidang."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.penetapan import services
from tests.penetapan.conftest import as_user, buat_pejabat, ke_penilaian, nilai_ak
from tests.penetapan.test_api_sidang_periode import _api

pytestmark = pytest.mark.django_db


def _buka(tim, usulan_list) -> None:
    for u in usulan_list:
        for a in tim["anggota"][:4]:  # ⌈2/3⌉ of five
            nilai_ak(a, u)
    stp = tim["sekretariat"]
    with as_user(stp):
        services.sidang_buka(
            actor=stp, tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk for u in usulan_list]
        )


def _kueri(client) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/api/v1/penetapan/sidang/")
    assert r.status_code == 200
    return len(ctx.captured_queries), r.json()


def test_the_sidang_list_reads_every_sidangs_usulan_in_one_query(pic_kab, kab, jfak, ani, budi, tim_prov):
    citra = buat_pejabat(kab, jfak, nip="198801012011012004", nama="Citra Lestari")
    dodi = buat_pejabat(kab, jfak, nip="198901012012011005", nama="Dodi Pratama")
    ua, ub, uc, ud = (ke_penilaian(pic_kab, p, tim_prov) for p in (ani, budi, citra, dodi))
    client = _api(tim_prov["anggota"][0].user)
    _buka(tim_prov, [ua])
    _kueri(client)  # the first request of a token also records its use: not counted
    satu, data = _kueri(client)
    assert [[u["pejabat_nama"] for u in s["usulan"]] for s in data["results"]] == [["Ani Wulandari"]]
    _buka(tim_prov, [ub, uc])
    _buka(tim_prov, [ud])
    banyak, data = _kueri(client)
    assert sorted(len(s["usulan"]) for s in data["results"]) == [1, 1, 2]
    assert sorted(u["pejabat_nama"] for s in data["results"] for u in s["usulan"]) == [
        "Ani Wulandari", "Budi Santoso", "Citra Lestari", "Dodi Pratama",
    ]  # fmt: skip
    assert banyak == satu, (satu, banyak)
