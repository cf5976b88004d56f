"""Holders and ledgers: fixtures shared by the jabatan tests (also usable by apps/penetapan's)."""

from __future__ import annotations

from datetime import date

import pytest

from apps.core import tenancy
from apps.jabatan.models import PejabatFungsional
from apps.referensi.models import Golongan, Jenjang


def teks_halaman(response) -> str:
    """A page's HTML as one line of text (entities decoded, whitespace collapsed); asserts a 200."""
    import html
    import re

    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def api_token(user):
    """An API client with a token of ``user``."""
    from rest_framework.test import APIClient

    from apps.accounts import token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.terbitkan(user, dua_langkah=False)[1]}")
    return client


def pejabat_di_api(pic, login, pejabat_id) -> list[dict]:
    """The holder as the three API routes give it: its record and its list row (for the PIC), and
    ``/api/v1/saya/`` (for the holder's own login)."""
    api = api_token(pic)
    r = api.get(f"/api/v1/pejabat-fungsional/{pejabat_id}/")
    assert r.status_code == 200, r.json()
    daftar = api.get("/api/v1/pejabat-fungsional/").json()["results"]
    saya = api_token(login).get("/api/v1/saya/")
    assert saya.status_code == 200, saya.json()
    return [r.json(), next(b for b in daftar if b["id"] == pejabat_id), saya.json()["pejabat"]]


def buat_pejabat(instansi, jf, *, jenjang_kode="ahli_pertama", nip="198609262015052001", nama="Ani Wulandari",
                 golongan="III/a", tmt=date(2025, 1, 1), **extra) -> PejabatFungsional:  # fmt: skip
    """A holder created directly (as an import would), in the instansi's scope."""
    with tenancy.scope(instansi):
        jenjang = Jenjang.objects.get(jf=jf, kode=jenjang_kode)
        return PejabatFungsional.objects.create(
            instansi=instansi, jf=jf, jenjang=jenjang, nip=nip, nama=nama, kelas_jabatan=jenjang.kelas_jabatan,
            tmt_jabatan=tmt, golongan=Golongan.objects.get(kode=golongan), tmt_golongan=tmt, sumber="impor",
            **extra,
        )  # fmt: skip


@pytest.fixture
def pejabat_a(instansi_a, pk):
    return buat_pejabat(instansi_a, pk)


def pak_luar(nomor: str = "PAK/821/2023", tanggal: date = date(2023, 12, 20)) -> dict:
    """The reference of a PAK issued outside the portal (before it existed): number, date and the
    scanned PDF, what a kenaikan pangkat without a portal PAK must record."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.pdfs import valid_pdf

    return {
        "pak_luar_nomor": nomor,
        "pak_luar_tanggal": tanggal,
        "pak_luar_berkas": SimpleUploadedFile("pak-2023.pdf", valid_pdf(), "application/pdf"),
    }
