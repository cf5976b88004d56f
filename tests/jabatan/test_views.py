"""The PIC's holder pages, the imports (per-row, per-column errors), the pembina's recap, and
isolation: another instansi's holder is 404."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from apps.core import tenancy
from apps.jabatan import services, xlsx
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK, PejabatFungsional
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


def _xlsx(kolom, rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([h for _k, h in kolom])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue(), content_type=xlsx.XLSX_MIME)


def test_the_pic_sees_the_instansis_holders_and_who_is_due(client, instansi_a, instansi_b, pk, pic_pk, pic_b):
    a = buat_pejabat(instansi_a, pk)
    b = buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi Lain")
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(a, JenisMutasi.AWAL, Decimal("55"), oleh=pic_pk, periode_mulai=date(2025, 1, 2))
    client.force_login(pic_pk)
    page = client.get("/pejabat-fungsional/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ani Wulandari" in text and "Budi Lain" not in text
    assert 'data-testid="jatuh-pangkat">1<' in text and "kenaikan pangkat sejak 2 Januari 2025" in text
    assert client.get("/pejabat-fungsional/?status=jenjang").content.decode().count("Ani Wulandari") == 0
    detail = client.get(f"/pejabat-fungsional/{a.pk}/")
    assert detail.status_code == 200 and b'data-testid="kumulatif">55<' in detail.content
    for url in (f"/pejabat-fungsional/{b.pk}/", f"/pejabat-fungsional/{b.pk + 1000}/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/pejabat-fungsional/{b.pk}/predikat/", {"predikat": "baik"}).status_code == 404
    assert client.get("/pejabat-fungsional/rekap/").status_code == 403


def test_the_pic_records_a_predikat_and_a_refusal_keeps_the_page(client, instansi_a, pk, pic_pk):
    a = buat_pejabat(instansi_a, pk)
    client.force_login(pic_pk)
    url = f"/pejabat-fungsional/{a.pk}/predikat/"
    ok = client.post(url, {"periode_mulai": "2025-01-01", "periode_selesai": "2025-12-31", "predikat": "sangat_baik"})
    assert ok.status_code == 302
    with tenancy.scope(instansi_a):
        [m] = MutasiAK.objects.filter(pejabat=a)
    assert (m.jenis, m.nilai, m.dibuat_oleh_id) == ("konversi", Decimal("18.75"), pic_pk.pk)
    assert "Konversi dicatat: 18,75 angka kredit." in client.get(ok["Location"]).content.decode()
    again = client.post(url, {"periode_mulai": "2025-03-01", "periode_selesai": "2025-04-30", "predikat": "baik"})
    assert again.status_code == 200 and "sudah dikonversi" in again.content.decode()
    bad = client.post(url, {"periode_mulai": "2025-05-01", "periode_selesai": "2025-02-01", "predikat": "x"})
    assert bad.status_code == 200 and "Akhir periode tidak boleh" in bad.content.decode()
    with tenancy.scope(instansi_a):
        assert MutasiAK.objects.filter(pejabat=a).count() == 1


def test_importing_holders_reports_each_bad_row_and_column(client, instansi_a, pk, pic_pk):
    buat_pejabat(instansi_a, pk, nip="198609262015052001")
    rows = [
        ["19860926 201505 1 003", "Citra, S.E.",
         "Bandung", "Ahli Pertama", "III/b", "01-04-2022", date(2023, 1, 2), "45,5",
         None, "PAK 800/12/2023", "Biro Umum"],  # good
        ["19860926 201505 1 004", "Dedi", "Bandung", "Ahli Muda", "III/d", date(2021, 1, 1), date(2022, 1, 1), 120.25,
         date(2024, 6, 30), None, None],  # good, with its own date of AK
        ["19860926 201505 2 001", "Ani lagi",
         "Bandung", "Ahli Pertama", "III/a", date(2022, 1, 1), date(2022, 1, 1), 10,
         None, None, None],  # NIP already a holder of this JF
        ["123", "", "Bandung", "Ahli Super", "III/a", "kemarin", date(2022, 1, 1), "-3", None, None, None],
        ["19860926 201505 1 005", "Eko", "Bandung", "Ahli Pertama", "IV/a", date(2022, 1, 1), date(2022, 1, 1), 10,
         None, None, None],  # golongan outside the jenjang
        ["19860926 201505 1 003", "Citra dua",
         "Bandung", "Ahli Pertama", "III/a", date(2022, 1, 1), date(2022, 1, 1), 1,
         None, None, None],  # same NIP as row 2
    ]  # fmt: skip
    client.force_login(pic_pk)
    page = client.post("/pejabat-fungsional/impor/pejabat/", {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PEJABAT, rows)})
    assert page.status_code == 200
    report = page.context["report"]
    assert report.imported == 2
    errors = {(r, c) for r, c, _reason in report.errors}
    assert (4, "NIP") in errors and (7, "NIP") in errors and (6, "Golongan (mis. III/a)") in errors
    assert {c for r, c in errors if r == 5} == {
        "NIP", "Nama lengkap", "Jenjang (mis. Ahli Pertama)", "TMT golongan", "AK awal",
    }  # fmt: skip
    with tenancy.scope(instansi_a):
        citra = PejabatFungsional.objects.get(nip="198609262015051003", jf=pk)
        dedi = PejabatFungsional.objects.get(nip="198609262015051004", jf=pk)
        assert (citra.sumber, citra.golongan.kode, citra.tmt_golongan) == ("impor", "III/b", date(2022, 4, 1))
        [awal] = MutasiAK.objects.filter(pejabat=citra)
        assert (awal.jenis, awal.nilai, awal.periode_mulai) == ("awal", Decimal("45.5"), date(2023, 1, 2))
        assert awal.rincian["dasar"] == "PAK 800/12/2023"
        assert MutasiAK.objects.get(pejabat=dedi).periode_mulai == date(2024, 6, 30)


def test_importing_predikat_converts_the_good_rows_and_reports_the_others(client, instansi_a, pk, pic_pk):
    # Ahli Muda since mid-2025: the first half of the year was served as Ahli Pertama.
    a = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 7, 1))
    rows = [
        ["19860926 201505 2 001", "Ani", date(2025, 1, 1), date(2025, 6, 30), "Baik", "Ahli Pertama"],
        ["198609262015052001", "Ani", date(2025, 7, 1), date(2025, 12, 31), "Baik", "Ahli Muda"],
        ["198609262015052001", "Ani", date(2025, 11, 1), date(2025, 11, 30), "Baik", None],  # overlaps row 3
        ["199001012015011001", "Siapa", date(2025, 1, 1), date(2025, 12, 31), "Baik", None],  # not a holder
        ["198609262015052001", "Ani", "31-02-2024", date(2024, 12, 31), "Istimewa", "Ahli Dewa"],
    ]  # fmt: skip
    client.force_login(pic_pk)
    page = client.post(
        "/pejabat-fungsional/impor/predikat/", {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PREDIKAT, rows)}
    )
    report = page.context["report"]
    assert page.status_code == 200 and report.imported == 2
    assert [r for r, _c, _x in report.errors] == [4, 5, 6, 6, 6]
    with tenancy.scope(instansi_a):
        assert sorted(MutasiAK.objects.filter(pejabat=a).values_list("nilai", flat=True)) == [
            Decimal("6.25"), Decimal("12.5"),
        ]  # fmt: skip
    bad = client.post(
        "/pejabat-fungsional/impor/predikat/", {"jf": pk.kode, "berkas": SimpleUploadedFile("x.xlsx", b"no")}
    )
    assert bad.status_code == 200 and "bukan XLSX" in bad.content.decode()


def test_templates_download_with_their_headers(client, pic_pk, ppk_pk):
    client.force_login(pic_pk)
    for jenis, kolom in (("pejabat", xlsx.KOLOM_PEJABAT), ("predikat", xlsx.KOLOM_PREDIKAT)):
        r = client.get(f"/pejabat-fungsional/impor/{jenis}/templat/")
        assert r.status_code == 200 and r["Content-Type"] == xlsx.XLSX_MIME
        header = next(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
        assert list(header) == [h for _k, h in kolom]
    assert client.get("/pejabat-fungsional/impor/lain/templat/").status_code == 404
    client.force_login(ppk_pk)  # the PPK reads, the PIC writes
    assert client.get("/pejabat-fungsional/impor/pejabat/").status_code == 403
    assert client.get("/pejabat-fungsional/").status_code == 200


def test_the_pembina_recap_counts_holders_of_its_jfs_across_instansi(
    client, instansi_a, instansi_b, pk, staf, referensi
):
    buat_pejabat(instansi_a, pk)
    buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi")
    buat_pejabat(instansi_b, referensi["aks"], nip="197901012005011003", nama="Lain JF")
    client.force_login(staf["admin"])
    page = client.get("/pejabat-fungsional/rekap/")
    assert page.status_code == 200 and b'data-testid="rekap-jumlah">2<' in page.content
    assert client.get("/pejabat-fungsional/").status_code == 302


def test_the_ledger_lists_rows_by_period_not_by_recording_order(instansi_a, pk, pic_pk):
    """2025's predikat recorded before 2024's (entered late): the ledger lists 2024 first."""
    from apps.jabatan import selectors, services

    a = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        for tahun in (2025, 2024):
            services.konversi_catat(
                a, predikat="baik", periode_mulai=date(tahun, 1, 1), periode_selesai=date(tahun, 12, 31), oleh=pic_pk
            )
        assert [m.periode_mulai.year for m in selectors.mutasi_dari(a) if m.jenis == "konversi"] == [2024, 2025]


def test_an_imported_or_entered_jenjang_above_the_holders_is_refused_per_row(client, instansi_a, pk, pic_pk):
    """Ani is Ahli Pertama: a period she served as Ahli Muda cannot exist (a jenjang only rises).
    The import reports that row with its column and reason and converts the others; the form
    refuses it too, and nothing of it reaches the ledger."""
    a = buat_pejabat(instansi_a, pk)
    rows = [
        ["198609262015052001", "Ani", date(2024, 1, 1), date(2024, 12, 31), "Baik", "Ahli Muda"],
        ["198609262015052001", "Ani", date(2025, 1, 1), date(2025, 12, 31), "Baik", "Ahli Pertama"],
    ]
    client.force_login(pic_pk)
    page = client.post(
        "/pejabat-fungsional/impor/predikat/", {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PREDIKAT, rows)}
    )
    report = page.context["report"]
    assert report.imported == 1
    [(baris, kolom, alasan)] = report.errors
    assert (baris, kolom) == (2, "jenjang")
    assert "jenjang Ahli Muda lebih tinggi dari jenjang pejabat saat ini (Ahli Pertama)" in alasan
    assert "lebih tinggi dari jenjang pejabat saat ini" in page.content.decode()
    with tenancy.scope(instansi_a):
        assert list(MutasiAK.objects.filter(pejabat=a).values_list("periode_mulai", "nilai")) == [
            (date(2025, 1, 1), Decimal("12.5"))
        ]
        muda = a.jf.jenjang.get(kode="ahli_muda")
    r = client.post(
        f"/pejabat-fungsional/{a.pk}/predikat/",
        {"periode_mulai": "2024-01-01", "periode_selesai": "2024-12-31", "predikat": "baik", "jenjang": muda.pk},
    )
    assert "lebih tinggi dari jenjang pejabat saat ini" in r.content.decode()
    with tenancy.scope(instansi_a):
        assert MutasiAK.objects.filter(pejabat=a).count() == 1


def test_a_period_already_converted_points_to_the_correction_on_its_ledger_row(client, instansi_a, pk, pic_pk):
    """The refusal names where the correction is; the row there carries it; the correction is
    a new signed row pointing at the konversi, and a refused one keeps its form open."""
    a = buat_pejabat(instansi_a, pk)
    client.force_login(pic_pk)
    url = f"/pejabat-fungsional/{a.pk}/predikat/"
    client.post(url, {"periode_mulai": "2025-01-01", "periode_selesai": "2025-12-31", "predikat": "baik"})
    again = client.post(url, {"periode_mulai": "2025-01-01", "periode_selesai": "2025-12-31", "predikat": "baik"})
    html = again.content.decode()
    assert "pilih «Koreksi» pada baris konversi periode itu di buku angka kredit" in html
    with tenancy.scope(instansi_a):
        konversi = MutasiAK.objects.get(pejabat=a, jenis="konversi")
    koreksi_url = f"/pejabat-fungsional/{a.pk}/koreksi/"
    assert f'data-testid="koreksi-{konversi.pk}"' in html and f'action="{koreksi_url}"' in html
    kosong = client.post(koreksi_url, {"mutasi": konversi.pk, "predikat": "sangat_baik", "keterangan": ""})
    assert kosong.status_code == 400
    assert f'data-testid="koreksi-{konversi.pk}" open' in kosong.content.decode()
    ok = client.post(koreksi_url, {"mutasi": konversi.pk, "predikat": "sangat_baik", "keterangan": "SKP direvisi."})
    assert ok.status_code == 302
    assert (
        "Koreksi dicatat: angka kredit periode itu menjadi 18,75 (selisih +6,25)."
        in client.get(ok["Location"]).content.decode()
    )
    with tenancy.scope(instansi_a):
        k = MutasiAK.objects.get(pejabat=a, jenis="koreksi")
    assert (k.nilai, k.mengoreksi_id, k.predikat, k.dibuat_oleh_id) == (Decimal("6.25"), konversi.pk, "sangat_baik",
                                                                        pic_pk.pk)  # fmt: skip
    # Only a konversi of this holder can be corrected here.
    with tenancy.scope(instansi_a):
        awal = services.mutasi_tambah(a, JenisMutasi.AWAL, Decimal("10"), oleh=pic_pk)
    r = client.post(koreksi_url, {"mutasi": awal.pk, "predikat": "baik", "keterangan": "x"})
    assert r.status_code == 404


def test_a_predikat_for_a_period_the_ak_awal_already_covers_is_refused_everywhere(client, instansi_a, pk, pic_pk):
    # Imported with AK awal 10 dated 31 Dec 2024 (a pre-portal PAK): a 2024 predikat would count twice.
    a = buat_pejabat(instansi_a, pk)
    b = buat_pejabat(instansi_a, pk, nip="197901012005011002", nama="Budi")
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(a, JenisMutasi.AWAL, Decimal(10), oleh=pic_pk, periode_mulai=date(2024, 12, 31))
        services.mutasi_tambah(b, JenisMutasi.AWAL, Decimal(10), oleh=pic_pk, periode_mulai=date(2025, 7, 1))
    client.force_login(pic_pk)
    form = client.post(
        f"/pejabat-fungsional/{a.pk}/predikat/",
        {"periode_mulai": "2024-01-01", "periode_selesai": "2024-12-31", "predikat": "baik"},
    )
    assert form.status_code == 200 and "per tanggal 31 Desember 2024" in form.content.decode()
    api = client.post(
        f"/api/v1/pejabat-fungsional/{a.pk}/predikat/",
        {"periode_mulai": "2024-01-01", "periode_selesai": "2024-12-31", "predikat": "baik"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "31 Desember 2024" in api.content.decode()
    rows = [
        ["197901012005011002", "Budi", date(2025, 1, 1), date(2025, 6, 30), "Baik", None],  # before 1 Jul 2025
        ["197901012005011002", "Budi", date(2025, 7, 1), date(2025, 12, 31), "Baik", None],  # from it: counted
        [None, "Tanpa NIP", date(2025, 1, 1), date(2025, 12, 31), "Baik", None],
    ]  # fmt: skip
    page = client.post(
        "/pejabat-fungsional/impor/predikat/", {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PREDIKAT, rows)}
    )
    report = page.context["report"]
    assert report.imported == 1
    assert next(x for r, _c, x in report.errors if r == 2).endswith("dimulai pada atau sesudah tanggal 1 Juli 2025")
    assert any(r == 4 and x == "NIP wajib diisi" for r, _c, x in report.errors)
    with tenancy.scope(instansi_a):
        assert list(MutasiAK.objects.filter(pejabat=a, jenis="konversi")) == []
        assert [m.periode_mulai for m in MutasiAK.objects.filter(pejabat=b, jenis="konversi")] == [date(2025, 7, 1)]


def test_the_ledger_shows_a_correction_as_new_minus_old_with_its_reason(client, instansi_a, pk, pic_pk):
    a = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        m = services.konversi_catat(a, predikat="butuh_perbaikan", periode_mulai=date(2025, 1, 1),
                                    periode_selesai=date(2025, 12, 31), oleh=pic_pk)  # fmt: skip
        k = services.konversi_koreksi(m, predikat="baik", oleh=pic_pk, keterangan="SKP 2025 direvisi atasan")
    client.force_login(pic_pk)
    page = client.get(f"/pejabat-fungsional/{a.pk}/").content.decode()
    hitung = page.split(f'data-testid="koreksi-hitung-{k.pk}">', 1)[1].split("<", 1)[0]
    assert hitung == "koreksi: 12,5 − 9,38 = 3,12"  # adds up by hand: the rows keep what is printed
    assert f'data-testid="koreksi-alasan-{k.pk}">Alasan: SKP 2025 direvisi atasan<' in page


def test_the_import_refuses_a_nip_active_as_a_holder_in_another_instansi(client, instansi_a, instansi_b, pk, pic_pk):
    """Issue 19 walk: another instansi's holder's NIP was imported, counted twice in the recap. The
    refusal names no other instansi."""
    buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi Lain")
    rows = [
        ["19790101 200501 1 002", "Budi Lain",
         "Bandung", "Ahli Pertama", "III/a", date(2022, 1, 1), date(2022, 1, 1), 10,
         None, None, None],
        ["19860926 201505 1 003", "Citra", "Bandung", "Ahli Pertama", "III/a", date(2022, 1, 1), date(2022, 1, 1), 10,
         None, None, None],
    ]  # fmt: skip
    client.force_login(pic_pk)
    page = client.post("/pejabat-fungsional/impor/pejabat/", {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PEJABAT, rows)})
    report = page.context["report"]
    assert report.imported == 1
    [(nomor, kolom, alasan)] = report.errors
    assert (nomor, kolom) == (2, "NIP") and "sudah tercatat sebagai pejabat fungsional aktif" in alasan
    assert instansi_b.nama not in page.content.decode()
    with tenancy.scope(instansi_a):
        assert not PejabatFungsional.objects.filter(nip="197901012005011002").exists()
