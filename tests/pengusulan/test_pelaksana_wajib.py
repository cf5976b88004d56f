"""`is_pelaksana` has no silent default: the PIC answers it (issue 13, item 7; seed 004 counts the
masa kerja of a pelaksana in III/a from CPNS, so a wrong guess changes the angka kredit)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core import tenancy
from apps.pengusulan.models import Pegawai
from apps.referensi.models import Golongan
from tests.pengusulan.conftest import PEGAWAI, row, workbook

pytestmark = pytest.mark.django_db

PESAN = "Pilih apakah jabatan saat ini jabatan pelaksana (Ya atau Tidak)."


def form_data(**kw):
    data = {
        "nip": "19860926 201505 1 001", "nama": "Dewi Anggraini", "tempat_lahir": "Bandung",
        "tanggal_lahir": "", "jenis_kelamin": "", "golongan": Golongan.objects.get(kode="III/a").pk,
        "tmt_golongan": "2021-04-01", "pendidikan": "s1", "jabatan_saat_ini": "Analis", "unit_kerja": "Biro KS",
        "hukuman_disiplin": "tidak_ada", "tanggal_hukuman": "", "pengalaman_tahun": 3, "pengalaman_bulan_sisa": 0,
    }  # fmt: skip
    data.update(kw)
    return data


def test_the_new_pegawai_form_preselects_no_answer(client, pic, referensi):
    client.force_login(pic)
    form = client.get(reverse("pengusulan:pegawai_create")).context["form"]
    assert form["is_pelaksana"].value() in (None, "")
    html = str(form["is_pelaksana"])
    assert 'value="" selected' in html and html.count("selected") == 1


def test_a_post_without_the_answer_gets_the_translated_error_and_saves_nothing(client, pic, referensi):
    client.force_login(pic)
    response = client.post(reverse("pengusulan:pegawai_create"), form_data())
    assert response.status_code == 200
    assert response.context["form"].errors["is_pelaksana"] == [PESAN]
    assert PESAN in response.content.decode()
    assert 'value="Dewi Anggraini"' in response.content.decode()  # nothing typed is lost
    with tenancy.scope(pic.instansi):
        assert not Pegawai.objects.exists()


@pytest.mark.parametrize(("answer", "stored"), [("True", True), ("False", False)])
def test_the_answer_is_stored_as_given(client, pic, referensi, answer, stored):
    client.force_login(pic)
    response = client.post(reverse("pengusulan:pegawai_create"), form_data(is_pelaksana=answer))
    assert response.status_code == 302
    with tenancy.scope(pic.instansi):
        assert Pegawai.objects.get().is_pelaksana is stored


def test_the_edit_form_shows_the_stored_answer(client, pic, referensi):
    client.force_login(pic)
    client.post(reverse("pengusulan:pegawai_create"), form_data(is_pelaksana="False"))
    with tenancy.scope(pic.instansi):
        pegawai = Pegawai.objects.get()
    form = client.get(reverse("pengusulan:pegawai_update", args=[pegawai.pk])).context["form"]
    assert 'value="False" selected' in str(form["is_pelaksana"])


def test_the_api_refuses_a_pegawai_without_the_answer(pic, referensi):
    from apps.accounts import token

    api = APIClient()
    _row, key = token.terbitkan(pic, dua_langkah=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    data = {k: v for k, v in PEGAWAI.items() if k != "is_pelaksana"}
    response = api.post("/api/v1/pegawai/", data, format="json")
    assert response.status_code == 400
    assert response.json()["is_pelaksana"] == [PESAN]
    assert api.post("/api/v1/pegawai/", {**data, "is_pelaksana": None}, format="json").json()["is_pelaksana"] == [PESAN]
    response = api.post("/api/v1/pegawai/", {**data, "is_pelaksana": False}, format="json")
    assert response.status_code == 201 and response.json()["is_pelaksana"] is False


def test_the_xlsx_import_refuses_a_blank_answer(client, pic, aks):
    client.force_login(pic)
    report = client.post(reverse("pengusulan:impor"), {"berkas": workbook([row(pelaksana=None)]), "jf": "aks"})
    report = report.context["report"]
    assert report.imported == 0
    assert report.errors[0][2] == "isi Ya atau Tidak"


def test_the_form_says_what_the_answer_is_for(client, pic, referensi):
    """Fresh-eye finding 12: "Tidak" changed nothing in the eligibility check and nothing said why.
    No rule of the seeds or domain.md turns on it; it is the start of masa kerja for a III/a
    pelaksana (seed 004), and the form says exactly that."""
    client.force_login(pic)
    page = client.get(reverse("pengusulan:pegawai_create")).content.decode()
    assert "Hanya dipakai untuk menghitung masa kerja" in page
    assert "tidak dipakai dalam pemeriksaan syarat penyesuaian" in page
