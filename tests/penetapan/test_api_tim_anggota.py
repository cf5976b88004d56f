"""The ketua and the sekretariat find the ids they must send (fresh-eye walk of issue 19):
``GET /api/v1/penetapan/tim/`` and ``/tim/<id>/`` answered 404 to them although ``POST
/penetapan/sidang/`` takes the team id and ``putuskan`` the members' ids. A member or the
sekretariat reads their own team(s) only; the sidang lists its team's members with their ids."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.penetapan import services
from tests.penetapan.conftest import as_user, bentuk_tim, ke_penilaian, nilai_ak

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    from apps.accounts import token

    client = APIClient()
    _row, key = token.terbitkan(user, dua_langkah=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_members_and_the_sekretariat_read_only_their_own_team(pic_kab, ani, tim_prov, kab, jfak):
    lain = bentuk_tim(kab, jfak, "kabupaten_kota", n=3, prefix="tpk")  # another instansi's team
    ketua, stp = tim_prov["anggota"][0], tim_prov["sekretariat"]
    tid = tim_prov["tim"].pk
    for user in (ketua.user, stp, tim_prov["anggota"][3].user):
        api = _api(user)
        r = api.get("/api/v1/penetapan/tim/")
        assert r.status_code == 200 and [t["id"] for t in r.json()["results"]] == [tid], r.content
        r = api.get(f"/api/v1/penetapan/tim/{tid}/")
        assert r.status_code == 200 and r.json()["dikelola"] is False
        assert sorted(a["id"] for a in r.json()["anggota"]) == sorted(a.pk for a in tim_prov["anggota"])
        assert api.get(f"/api/v1/penetapan/tim/{lain['tim'].pk}/").status_code == 404
        # Reading is all: forming a team or its sekretariat stays with the team's former.
        assert api.post("/api/v1/penetapan/tim/", {}, format="json").status_code == 404
        assert api.post(f"/api/v1/penetapan/tim/{tid}/sekretariat/", {}, format="json").status_code == 404
        assert api.get("/api/v1/penetapan/tim/calon/").status_code == 404
    # The other team's ketua sees only theirs.
    r = _api(lain["anggota"][0].user).get("/api/v1/penetapan/tim/")
    assert [t["id"] for t in r.json()["results"]] == [lain["tim"].pk]
    assert _api(lain["anggota"][0].user).get(f"/api/v1/penetapan/tim/{tid}/").status_code == 404


def test_the_sidang_lists_its_teams_members_with_the_ids_putuskan_takes(pic_kab, ani, tim_prov):
    u = ke_penilaian(pic_kab, ani, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, u)
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        sidang = services.sidang_buka(actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk])
    r = _api(tim_prov["anggota"][0].user).get(f"/api/v1/penetapan/sidang/{sidang.pk}/")
    assert r.status_code == 200
    anggota = r.json()["anggota"]
    assert [(a["id"], a["peran"]) for a in anggota] == [(a.pk, a.peran) for a in tim_prov["anggota"]] or sorted(
        (a["id"], a["peran"]) for a in anggota
    ) == sorted((a.pk, a.peran) for a in tim_prov["anggota"])
    r = _api(stp).get("/api/v1/penetapan/sidang/")
    assert len(r.json()["results"][0]["anggota"]) == len(tim_prov["anggota"])
