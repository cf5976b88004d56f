"""The XLSX imports of holders and predikat through the API: the same services as the import
page (the good rows go in, each other row comes back with its column and reason; a bad file is
a 400 on ``berkas``), PIC only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core import tenancy
from apps.jabatan import xlsx
from apps.jabatan.models import MutasiAK, PejabatFungsional
from tests.jabatan.conftest import api_token, buat_pejabat
from tests.jabatan.test_views import _xlsx

pytestmark = pytest.mark.django_db


def test_predikat_import_through_the_api_converts_the_good_rows_and_lists_the_others(instansi_a, pk, pic_pk, ppk_pk):
    a = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 7, 1))
    rows = [
        ["19860926 201505 2 001", "Ani", date(2025, 1, 1), date(2025, 6, 30), "Baik", "Ahli Pertama"],
        ["198609262015052001", "Ani", date(2025, 7, 1), date(2025, 12, 31), "Baik", "Ahli Muda"],
        ["199001012015011001", "Siapa", date(2025, 1, 1), date(2025, 12, 31), "Baik", None],  # not a holder
    ]  # fmt: skip
    url = "/api/v1/pejabat-fungsional/impor-predikat/"
    r = api_token(pic_pk).post(url, {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PREDIKAT, rows)}, format="multipart")
    assert r.status_code == 200, r.content
    assert (r.json()["diimpor"], r.json()["baris_gagal"]) == (2, 1)
    assert [g["baris"] for g in r.json()["galat"]] == [4] and r.json()["galat"][0]["alasan"]
    with tenancy.scope(instansi_a):
        assert sorted(MutasiAK.objects.filter(pejabat=a).values_list("nilai", flat=True)) == [
            Decimal("6.25"), Decimal("12.5"),
        ]  # fmt: skip
    # A bad file: a 400 on the file, nothing read; a PPK: refused, nothing saved.
    bad = api_token(pic_pk).post(
        url, {"jf": pk.kode, "berkas": SimpleUploadedFile("x.xlsx", b"no")}, format="multipart"
    )
    assert bad.status_code == 400 and "bukan XLSX" in " ".join(bad.json()["berkas"])
    r = api_token(ppk_pk).post(url, {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PREDIKAT, rows)}, format="multipart")
    assert r.status_code == 403
    with tenancy.scope(instansi_a):
        assert MutasiAK.objects.filter(pejabat=a, jenis="konversi").count() == 2


def test_holder_import_through_the_api_reports_each_bad_row(instansi_a, pk, pic_pk):
    rows = [
        ["19860926 201505 1 003", "Citra, S.E.",
         "Bandung", "Ahli Pertama", "III/b", "01-04-2022", date(2023, 1, 2), "45,5",
         None, "PAK 800/12/2023", "Biro Umum"],  # good
        ["123", "", "Bandung", "Ahli Super", "III/a", "kemarin", date(2022, 1, 1), "-3", None, None, None],
    ]  # fmt: skip
    r = api_token(pic_pk).post("/api/v1/pejabat-fungsional/impor-pejabat/",
                          {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PEJABAT, rows)}, format="multipart")  # fmt: skip
    assert r.status_code == 200, r.content
    assert (r.json()["diimpor"], r.json()["baris_gagal"]) == (1, 1)
    assert {g["kolom"] for g in r.json()["galat"] if g["baris"] == 3} >= {"NIP", "Nama lengkap", "AK awal"}
    with tenancy.scope(instansi_a):
        citra = PejabatFungsional.objects.get(nip="198609262015051003", jf=pk)
        assert MutasiAK.objects.get(pejabat=citra).nilai == Decimal("45.5")


def test_the_pembina_recap_of_holders_through_the_api(instansi_a, instansi_b, pk, staf, referensi, pic_pk, admin_lan):
    buat_pejabat(instansi_a, pk)
    buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi")
    buat_pejabat(instansi_b, pk, nip="197901012005011004", nama="Cici", jenjang_kode="ahli_muda", golongan="III/c")
    buat_pejabat(instansi_b, referensi["aks"], nip="197901012005011003", nama="Lain JF")
    r = api_token(staf["admin"]).get("/api/v1/pembina/pejabat-fungsional/rekap/")
    assert r.status_code == 200
    assert r.json()["jumlah"] == 3 and r.json()["memenuhi_pangkat"] == 0
    baris = {(b["instansi"], b["jenjang"]): b["jumlah"] for b in r.json()["baris"]}
    assert baris == {
        (instansi_a.nama, "Ahli Pertama"): 1, (instansi_b.nama, "Ahli Pertama"): 1, (instansi_b.nama, "Ahli Muda"): 1,
    }  # fmt: skip
    assert {b["jf"] for b in r.json()["baris"]} == {pk.nama}
    # Another JF's pembina sees only its own JF's holder; a PIC is refused.
    lain = api_token(admin_lan).get("/api/v1/pembina/pejabat-fungsional/rekap/").json()
    assert lain["jumlah"] == sum(b["jumlah"] for b in lain["baris"]) and pk.nama not in {b["jf"] for b in lain["baris"]}
    assert api_token(pic_pk).get("/api/v1/pembina/pejabat-fungsional/rekap/").status_code == 403
