"""The API's "ajukan" carries the PPK's surat pengantar as the page does (fresh-eye report of issue
13, M3): ``POST /api/v1/usulan/{id}/ajukan/`` with ``{}`` submitted a draft with no nomor or
tanggal for the rekomendasi to cite. Now the body takes ``pengantar_nomor`` and
``pengantar_tanggal``, checked by the page's rule (one per field, in Indonesian), and the OpenAPI
schema shows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.pengusulan import services
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.isi import _pengantar
from tests.pengusulan.conftest import pegawai_data, upload_all_mandatory

pytestmark = pytest.mark.django_db


@pytest.fixture
def usulan_lengkap(pic, aks, formasi_aks):
    with tenancy.scope(pic.instansi):
        pegawai = services.pegawai_create(actor=pic, data=pegawai_data())
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    upload_all_mandatory(pic, usulan)
    return usulan


def _status(usulan) -> str:
    with tenancy.all_tenants(reason="test assertion"):
        return Usulan.objects.get(pk=usulan.pk).status


def test_an_empty_body_is_refused_per_field_and_nothing_moves(client, pic, usulan_lengkap):
    client.force_login(pic)
    url = reverse("api:usulan-ajukan", args=[usulan_lengkap.pk])
    for body in ({}, {"pengantar_nomor": "  ", "pengantar_tanggal": ""}):
        r = client.post(url, body, content_type="application/json")
        assert r.status_code == 400, r.content
        galat = r.json()
        assert galat["pengantar_nomor"] == ["Isi nomor surat pengantar usulan dari PPK."]
        assert galat["pengantar_tanggal"] == ["Isi tanggal surat pengantar usulan dari PPK."]
        assert _status(usulan_lengkap) == Status.DRAFT
    besok = (timezone.localdate() + timedelta(days=1)).isoformat()
    for tanggal, pesan in [
        ("10-06-2026", "Tanggal surat pengantar tidak valid."),
        (besok, "Tanggal surat pengantar tidak boleh setelah hari ini."),
    ]:
        r = client.post(url, {"pengantar_nomor": "800/1/2026", "pengantar_tanggal": tanggal}, "application/json")
        assert r.status_code == 400 and r.json()["pengantar_tanggal"] == [pesan], r.content
        assert "pengantar_nomor" not in r.json()
        assert _status(usulan_lengkap) == Status.DRAFT


def test_a_valid_body_submits_and_the_rekomendasi_cites_it(client, pic, usulan_lengkap):
    client.force_login(pic)
    tanggal = timezone.localdate() - timedelta(days=2)
    r = client.post(
        reverse("api:usulan-ajukan", args=[usulan_lengkap.pk]),
        {"pengantar_nomor": " 800.1.3/101/BKPSDM/2026 ", "pengantar_tanggal": tanggal.isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == Status.DIAJUKAN, r.content
    with tenancy.all_tenants(reason="test assertion"):
        u = Usulan.objects.get(pk=usulan_lengkap.pk)
    assert (u.pengantar_nomor, u.pengantar_tanggal) == ("800.1.3/101/BKPSDM/2026", tanggal)
    assert [p["nomor"] for p in _pengantar([u])] == ["800.1.3/101/BKPSDM/2026"]


def test_the_schema_shows_the_body(client, pic):
    client.force_login(pic)
    schema = client.get("/api/schema/?format=json").json()
    op = schema["paths"]["/api/v1/usulan/{id}/ajukan/"]["post"]
    ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    props = schema["components"]["schemas"][ref]["properties"]
    assert {"pengantar_nomor", "pengantar_tanggal"} <= set(props)
