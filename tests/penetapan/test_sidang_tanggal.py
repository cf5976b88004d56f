"""The sidang's date (fresh-eye walk of issue 19): not before the latest submission or
assessment of the usulan it covers, not beyond the scheduling horizon, and a sidang is not
decided before its own date — the same service behind the page and the API."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core import tenancy
from apps.penetapan import domain, services
from apps.penetapan.alur import PenetapanError
from apps.penetapan.models import SidangAK, UsulanPenetapanAK
from tests.penetapan.conftest import PYB, as_user, ke_penilaian, nilai_ak

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    from apps.accounts import token

    client = APIClient()
    _row, key = token.terbitkan(user, dua_langkah=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def dinilai(pic_kab, ani, tim_prov):
    u = ke_penilaian(pic_kab, ani, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, u)
    return u


def test_the_page_refuses_a_sidang_dated_before_the_usulan_were_submitted(client, dinilai, tim_prov):
    stp = tim_prov["sekretariat"]
    client.force_login(stp)
    r = client.post(
        reverse("penetapan:sidang_daftar"),
        {"tim": tim_prov["tim"].pk, "tanggal": "2020-01-01", "tempat": "Semarang", "usulan": [dinilai.pk]},
    )
    assert r.status_code == 400
    teks = re.sub(r"\s+", " ", r.content.decode())
    assert "Tanggal sidang tidak boleh sebelum" in teks
    with tenancy.all_tenants(reason="test"):
        assert not SidangAK.objects.exists()
        assert UsulanPenetapanAK.objects.get(pk=dinilai.pk).status == "penilaian"


def test_the_api_refuses_a_sidang_years_ahead_and_a_decision_before_the_sidang_date(dinilai, tim_prov):
    stp, ketua = tim_prov["sekretariat"], tim_prov["anggota"][0]
    hari = timezone.localdate()
    body = {"tim": tim_prov["tim"].pk, "tanggal": "2031-06-01", "usulan": [dinilai.pk]}
    r = _api(stp).post("/api/v1/penetapan/sidang/", body, format="json")
    assert r.status_code == 400 and "paling lambat" in r.json()["tanggal"][0], r.content
    with tenancy.all_tenants(reason="test"):
        assert not SidangAK.objects.exists()
    # Within the horizon: opened, but not decided before its date.
    besok = hari + timedelta(days=1)
    r = _api(stp).post("/api/v1/penetapan/sidang/", {**body, "tanggal": besok.isoformat()}, format="json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    putus = {"hadir": [a.pk for a in tim_prov["anggota"]], "pyb_nama": PYB[0], "pyb_jabatan": PYB[1],
             "pyb_nip": PYB[2], "ttd_manual": True}  # fmt: skip
    r = _api(ketua.user).post(f"/api/v1/penetapan/sidang/{sid}/putuskan/", putus, format="json")
    assert r.status_code == 400 and "baru dapat diputuskan" in str(r.json()), r.content
    with tenancy.all_tenants(reason="test"):
        s = SidangAK.objects.get(pk=sid)
        assert s.status == "dibuka" and s.ditutup_at is None
        assert UsulanPenetapanAK.objects.get(pk=dinilai.pk).status == "sidang"


def test_the_horizon_edge_and_the_latest_assessment_day(dinilai, tim_prov):
    stp = tim_prov["sekretariat"]
    hari = timezone.localdate()
    with as_user(stp):
        with pytest.raises(PenetapanError):
            services.sidang_buka(
                actor=stp, tim=tim_prov["tim"], tanggal=hari + timedelta(days=domain.SIDANG_MAKS_HARI + 1),
                usulan_ids=[dinilai.pk],
            )  # fmt: skip
        with pytest.raises(PenetapanError):
            kemarin = hari - timedelta(days=1)
            services.sidang_buka(actor=stp, tim=tim_prov["tim"], tanggal=kemarin, usulan_ids=[dinilai.pk])
        s = services.sidang_buka(
            actor=stp, tim=tim_prov["tim"], tanggal=hari + timedelta(days=domain.SIDANG_MAKS_HARI),
            usulan_ids=[dinilai.pk],
        )  # fmt: skip
    assert s.tanggal > hari and date(2020, 1, 1) < s.tanggal
