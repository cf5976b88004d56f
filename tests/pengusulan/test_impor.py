from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.core import tenancy
from apps.pengusulan import xlsx
from apps.pengusulan.models import Pegawai, Usulan
from tests.pengusulan.conftest import row, workbook

pytestmark = pytest.mark.django_db


def test_the_template_has_the_columns_and_an_example(client, pic):
    client.force_login(pic)
    response = client.get(reverse("pengusulan:impor_templat"))
    assert response["Content-Disposition"] == 'attachment; filename="templat-impor-pegawai.xlsx"'
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == [title for _k, title in xlsx.columns()]
    assert ws["A2"].value == "19860926 201505 1 001"


def test_good_rows_are_imported_and_bad_rows_reported_with_row_column_and_reason(client, pic, aks):
    rows = [
        row(),  # row 2: good
        row(nip="19861326 201505 1 002", nama="Salah Tanggal"),  # row 3
        row(nip="19860926 201505 1 003", nama="Golongan Aneh", gol="V/z"),  # row 4
        row(nip="19860926 201505 1 004", nama="Tanpa TMT", tmt=None),  # row 5
        row(nip="19860926 201505 1 001", nama="Ganda"),  # row 6: same NIP as row 2
        row(nip="19900101 202221 1 001", nama="PPPK"),  # row 7
        row(nip="19860926 201505 2 005", nama="Siti", jk="L"),  # row 8: sex disagrees with the NIP
        row(nip="19860926 201505 1 006", nama="Budi", p1="Luar Biasa"),  # row 9
        row(nip="19860926 201505 1 007", nama="Andi", hukuman="sedang"),  # row 10: date missing
        row(nip="19860926 201505 2 008", nama="Rina", gol="IV/a", pend="d-iv"),  # row 11: good
    ]
    client.force_login(pic)
    response = client.post(reverse("pengusulan:impor"), {"berkas": workbook(rows), "jf": "aks"})
    report = response.context["report"]
    assert report.imported == 2
    errors = {r: (c, reason) for r, c, reason in report.errors}
    assert errors[3] == ("NIP", "Digit 1–8 NIP (19861326) bukan tanggal lahir yang valid.")
    assert errors[4] == ("Golongan (mis. III/c)", "golongan V/z tidak dikenal")
    assert errors[5] == ("TMT golongan", "wajib diisi")
    assert errors[6] == ("NIP", "NIP 198609262015051001 sudah ada di baris 2")
    assert "PPPK" in errors[7][1]
    assert errors[8] == ("Jenis kelamin L/P (opsional)", "tidak sesuai dengan NIP")
    assert errors[9][1] == "predikat Luar Biasa tidak dikenal"
    assert errors[10] == ("Tanggal hukuman disiplin", "wajib diisi")
    body = response.content.decode()
    assert "golongan V/z tidak dikenal" in body
    # the rows that went in are named (with links) next to the refused ones
    hasil = body[body.index('data-testid="hasil-impor"') :].split("</ul>")[0]
    assert "2 baris diimpor" in body and "Dewi" in hasil and "Rina" in hasil
    assert hasil.count('href="/') == 2 and "Golongan Aneh" not in hasil
    with tenancy.scope(pic.instansi):
        assert sorted(Pegawai.objects.values_list("nama", flat=True)) == ["Dewi", "Rina"]  # nothing half-imported
        usulan = {u.pegawai.nama: u for u in Usulan.objects.select_related("pegawai", "jenjang")}
        assert usulan["Dewi"].status == "draft" and usulan["Dewi"].jenjang.nama == "Ahli Muda"
        assert usulan["Rina"].jenjang.nama == "Ahli Madya"
        # One audit entry per usulan, through apps.core.audit (the service is the writer).
        from apps.core.models import AuditLog

        entries = AuditLog.objects.filter(action="usulan.dibuat", object_type="pengusulan.usulan")
        assert sorted(int(e.object_id) for e in entries) == sorted(u.pk for u in usulan.values())
        assert {e.actor_id for e in entries} == {pic.pk}
        assert all(e.message.endswith("dibuat dari impor XLSX.") for e in entries)
        assert Pegawai.objects.get(nama="Rina").pendidikan == "s1"
    # importing the same sheet again reports the NIPs as already registered
    again = client.post(reverse("pengusulan:impor"), {"berkas": workbook(rows[:1]), "jf": "aks"}).context["report"]
    assert again.imported == 0 and "sudah terdaftar" in again.errors[0][2]


def test_a_file_that_is_not_xlsx_gets_a_clear_error(client, pic, aks):
    client.force_login(pic)
    bad = SimpleUploadedFile("impor.xlsx", b"ini bukan berkas excel")
    response = client.post(reverse("pengusulan:impor"), {"berkas": bad, "jf": "aks"})
    report = response.context["report"]
    # a problem of the file, not a row: no "Baris 0, Kolom berkas", the error on the file field
    assert report.errors == [] and report.imported == 0
    pesan = "Berkas bukan XLSX yang valid. Gunakan templat yang disediakan."
    assert response.context["form"].errors["berkas"] == [pesan]
    html = response.content.decode()
    assert 'data-testid="ringkasan-galat"' in html and pesan in html
    assert 'data-testid="galat-impor"' not in html


def test_a_sheet_without_the_template_columns_is_refused(client, pic, aks):
    wb = Workbook()
    wb.active.append(["NIP", "Nama"])
    out = io.BytesIO()
    wb.save(out)
    client.force_login(pic)
    report = client.post(
        reverse("pengusulan:impor"), {"berkas": SimpleUploadedFile("x.xlsx", out.getvalue()), "jf": "aks"}
    ).context["report"]
    assert report.imported == 0
    assert (1, "Nama lengkap", "kolom tidak ditemukan pada baris judul") in report.errors


def test_a_large_import_asks_for_fresh_statistics_once_committed(client, pic, aks):
    """Many new rows: the owner analyzes the tables (outbox → worker), a handful of rows: no."""
    from apps.core.models import OutboxMessage

    client.force_login(pic)
    few = client.post(reverse("pengusulan:impor"), {"berkas": workbook([row()]), "jf": "aks"}).context["report"]
    assert few.imported == 1
    assert not OutboxMessage.objects.filter(task_name="core.analisis_statistik").exists()
    rows = [row(nip=f"19860926 201505 1 {i:03d}", nama=f"Pegawai {i}") for i in range(2, 202)]
    report = client.post(reverse("pengusulan:impor"), {"berkas": workbook(rows), "jf": "aks"}).context["report"]
    assert report.imported == 200
    message = OutboxMessage.objects.get(task_name="core.analisis_statistik")
    assert message.kwargs == {"tabel": ["pengusulan_pegawai", "pengusulan_usulan", "core_auditlog"]}


def test_a_row_with_seven_errors_reports_all_seven_and_the_jf_choice_stays(client, pic, aks, referensi):
    """Issue 14, item 6: every error of a row, one per column; the JF stays as the user chose."""
    bad = row(
        nip="12345", nama="", jk="X", gol="III/e", tmt=None, pend="SMP", bulan="abc", p1="Luar Biasa",
        hukuman="kadang",
    )  # fmt: skip
    client.force_login(pic)
    response = client.post(reverse("pengusulan:impor"), {"berkas": workbook([bad]), "jf": "pengantar-kerja"})
    report = response.context["report"]
    columns = [c for r, c, _reason in report.errors if r == 2]
    assert len(columns) == len(set(columns)) >= 7, report.errors
    reasons = " | ".join(reason for _r, _c, reason in report.errors)
    assert "golongan III/e tidak dikenal" in reasons and "NIP" in columns and "isi L atau P" in reasons
    html = response.content.decode()
    assert '<option value="pengantar-kerja" selected>' in html
    assert '<option value="analis-kebijakan" selected>' not in html
