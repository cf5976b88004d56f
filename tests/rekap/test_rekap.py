"""Dashboards and exports (issue 7): recap numbers against a hand-built dataset, aggregates kept
exact by the services, exports opened with openpyxl, background export with notification."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.core import tenancy
from apps.core.models import OutboxMessage
from apps.notifikasi.models import Notifikasi
from apps.pengusulan.models import Formasi, Usulan
from apps.referensi.models import Jenjang
from apps.rekap import selectors
from apps.rekap.models import Ekspor, RekapUsulan
from tests.factories import InstansiFactory, PegawaiFactory, UserFactory

pytestmark = pytest.mark.django_db

# (instansi, jenjang kode, status, how many)
DATASET = [
    ("A", "ahli_pertama", "diajukan", 3),
    ("A", "ahli_pertama", "perbaikan", 1),
    ("A", "ahli_muda", "lulus", 2),
    ("A", "ahli_muda", "sk_terbit", 4),
    ("A", "ahli_muda", "draft", 5),  # drafts are not counted nationally
    ("B", "ahli_pertama", "tidak_lulus", 1),
    ("B", "ahli_madya", "direkomendasikan", 2),
    ("B", "ahli_madya", "dibatalkan", 1),
    ("B", "ahli_pertama", "penilaian", 6),
]


@pytest.fixture
def dataset(pk):
    a = InstansiFactory(kode="INST-A", nama="Instansi A")
    b = InstansiFactory(kode="INST-B", nama="Instansi B")
    by = {"A": a, "B": b}
    n = 0
    lama = timezone.now() - timedelta(days=30)
    with tenancy.all_tenants(reason="test dataset"):
        for inst, kode, status, count in DATASET:
            jenjang = Jenjang.objects.get(jf=pk, kode=kode)
            for _ in range(count):
                n += 1
                p = PegawaiFactory(instansi=by[inst], nip=f"1980010120050110{n:02d}", nama=f"Pegawai {n}")
                Usulan.objects.create(
                    instansi=by[inst], pegawai=p, pegawai_nip=p.nip, pegawai_nama=p.nama, jf=pk, jenjang=jenjang,
                    status=status, diajukan_at=None if status == "draft" else lama,
                    status_changed_at=lama + timedelta(minutes=n),
                )  # fmt: skip
        Formasi.objects.create(instansi=a, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_muda"), jumlah=12)
        Formasi.objects.create(instansi=b, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_madya"), jumlah=5)
    call_command("rekap_bangun_ulang")
    return a, b


def test_the_recap_matches_a_hand_counted_dataset(dataset, pk):
    with tenancy.all_tenants(reason="test"):
        r = selectors.nasional([pk.pk])
    assert r["total"] == 3 + 1 + 2 + 4 + 1 + 2 + 1 + 6  # 20: drafts excluded
    per_status = {s: n for s, _l, n in r["per_status"]}
    assert per_status["diajukan"] == 3 and per_status["penilaian"] == 6 and per_status["sk_terbit"] == 4
    tahap = {t["kode"]: t["jumlah"] for t in r["tahap"]}
    assert tahap == {"pengajuan": 3, "verifikasi": 1, "penilaian": 6, "rekomendasi": 2, "sk": 2, "selesai": 4,
                     "gugur": 2}  # fmt: skip
    jenjang = {j["nama"]: j for j in r["per_jenjang"]}
    assert jenjang["Ahli Pertama"]["jumlah"] == 11 and jenjang["Ahli Pertama"]["proses"] == 10  # 3 + 1 + 6
    assert jenjang["Ahli Muda"]["lulus"] == 6 and jenjang["Ahli Muda"]["sk"] == 4
    assert jenjang["Ahli Madya"]["jumlah"] == 3 and jenjang["Ahli Madya"]["lulus"] == 2
    inst = {i["instansi__kode"]: i for i in r["per_instansi"]}
    assert inst["INST-A"] == {
        **inst["INST-A"],
        "formasi": 12,
        "diusulkan": 10,
        "proses": 6,
        "lulus": 6,
        "sk": 4,
        "gugur": 0,
    }
    assert inst["INST-B"] == {
        **inst["INST-B"],
        "formasi": 5,
        "diusulkan": 9,
        "proses": 6,
        "lulus": 2,
        "sk": 0,
        "gugur": 1,
    }
    assert [u.status for u in r["terlama"]][:3] == ["diajukan", "diajukan", "diajukan"]  # oldest first
    assert len(r["terlama"]) == 10 and all(u.menunggu_hari >= 29 for u in r["terlama"])


def test_services_keep_the_aggregates_exact(diputuskan, staf, pk, instansi_a):
    diputuskan(2, 1)
    with tenancy.all_tenants(reason="test"):
        maintained = sorted(
            RekapUsulan.objects.filter(jumlah__gt=0).values_list("instansi_id", "jenjang_id", "status", "jumlah")
        )
    call_command("rekap_bangun_ulang")
    with tenancy.all_tenants(reason="test"):
        rebuilt = sorted(RekapUsulan.objects.values_list("instansi_id", "jenjang_id", "status", "jumlah"))
    assert maintained == rebuilt
    assert {s for _i, _j, s, _n in rebuilt} == {"lulus", "tidak_lulus"}


def test_the_dashboard_page_and_its_query_count(client, dataset, staf, pk):
    client.force_login(staf["admin"])
    with CaptureQueriesContext(connection) as q:
        page = client.get(reverse("rekap:nasional"))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="total-usulan">20<' in body
    assert "Instansi A" in body and "Instansi B" in body and 'data-grafik="bar"' in body
    assert len(q) <= 20  # independent of the number of usulan
    for role in ("pic_instansi", "ppk", "penilai"):
        client.force_login(UserFactory(username=f"x.{role}", instansi=dataset[0], roles=[role]))
        assert client.get(reverse("rekap:nasional")).status_code == 403


def test_the_per_instansi_export_opens_in_excel(client, dataset, staf):
    client.force_login(staf["admin"])
    response = client.get(reverse("rekap:nasional"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    assert rows[0] == ("Kode instansi", "Instansi", "Formasi", "Diusulkan", "Dalam proses", "Lulus", "SK terbit",
                       "Tidak lolos")  # fmt: skip
    assert sorted(rows[1:]) == [
        ("INST-A", "Instansi A", 12, 10, 6, 6, 4, 0),
        ("INST-B", "Instansi B", 5, 9, 6, 2, 0, 1),
    ]
    raw = client.get(reverse("rekap:nasional"), {"format": "csv"}).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert csv_rows[0][0] == "Kode instansi" and len(csv_rows) == 3
    # the audit entry names the export as people read it, not by its internal name
    from apps.core.models import AuditLog

    with tenancy.all_tenants(reason="test reads the audit trail"):
        pesan = list(AuditLog.objects.filter(action="ekspor.diunduh").order_by("id").values_list("message", flat=True))
    assert pesan == ["Ekspor Rekap per instansi, XLSX (2 baris).", "Ekspor Rekap per instansi, CSV (2 baris)."]


def test_inbox_export_uses_the_inbox_filters(client, dataset, staf):
    client.force_login(staf["verifikator"])
    response = client.get(
        reverse("rekap:ekspor_inbox"), {"format": "xlsx", "instansi": "INST-B", "status": "penilaian"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("Nomor usulan", "NIP", "Nama") and len(rows) == 1 + 6
    assert {r[3] for r in rows[1:]} == {"Instansi B"} and {r[6] for r in rows[1:]} == {"Penilaian kompetensi"}


def test_a_large_export_runs_in_the_background_and_notifies(client, dataset, staf, monkeypatch):
    from apps.rekap import ekspor
    from apps.rekap.tasks import buat_ekspor

    monkeypatch.setattr(ekspor, "BATAS_LANGSUNG", 5)
    client.force_login(staf["verifikator"])
    response = client.get(reverse("rekap:ekspor_inbox"), {"format": "csv"})
    assert response.status_code == 302 and response.url == reverse("rekap:ekspor_daftar")
    job = Ekspor.objects.get()
    assert job.status == "antrean" and job.user == staf["verifikator"]
    message = OutboxMessage.objects.get(task_name="rekap.buat_ekspor")
    buat_ekspor.apply(kwargs=message.kwargs, throw=True)
    job.refresh_from_db()
    assert job.status == "selesai" and job.jumlah_baris == 20
    n = Notifikasi.objects.get(user=staf["verifikator"], jenis="ekspor.selesai")
    assert n.url == reverse("rekap:ekspor_unduh", args=[job.pk])
    download = client.get(n.url)
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(content), delimiter=";"))) == 21
    client.force_login(staf["admin"])
    assert client.get(n.url).status_code == 404  # someone else's export


def test_the_recap_pdf_report(client, dataset, staf):
    from pypdf import PdfReader

    from apps.rekap.tasks import buat_ekspor

    client.force_login(staf["admin"])
    assert client.post(reverse("rekap:ekspor_pdf")).status_code == 302
    job = Ekspor.objects.get(jenis="rekap_pdf")
    buat_ekspor.apply(kwargs={"ekspor_id": job.pk}, throw=True)
    job.refresh_from_db()
    with job.berkas.open("rb") as fh:
        text = " ".join(page.extract_text() for page in PdfReader(fh).pages)
    assert "REKAP NASIONAL" in text and "Instansi A" in text and "Instansi B" in text and "20" in text


def test_recap_api(dataset, staf):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staf["verifikator"])
    data = api.get("/api/v1/pembina/rekap/").json()
    assert data["total"] == 20 and data["per_tahap"]["selesai"] == 4
    assert {i["kode"]: i["sk"] for i in data["per_instansi"]} == {"INST-A": 4, "INST-B": 0}
    pic = UserFactory(username="pic.api", instansi=dataset[0], roles=["pic_instansi"])
    api.force_authenticate(pic)
    assert api.get("/api/v1/pembina/rekap/").status_code == 403


def test_recap_api_for_a_jf_not_administered_is_empty_not_an_error(dataset, staf):
    """schemathesis found a 500 (EmptyResultSet) when ?jf= names a JF outside the caller's scope:
    the per-instansi query was compiled with an empty JF list."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staf["verifikator"])
    response = api.get("/api/v1/pembina/rekap/", {"jf": "tidak-ada"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 0 and data["per_instansi"] == []
    assert selectors.per_instansi([]) == []


def test_iterator_server_side_cursors_carry_the_scope(dataset, staf, pk):
    """The export streams with QuerySet.iterator() (a named server-side cursor) under the pembina's
    scope; the scope must reach PostgreSQL for it too (it did not: the export came out empty)."""
    from django.db import transaction

    with tenancy.activate(tenancy.scope_for_user(staf["verifikator"])), transaction.atomic():
        streamed = list(
            Usulan.objects.filter(jf=pk).exclude(status="draft").select_related("jf").iterator(chunk_size=7)
        )
    assert len(streamed) == 20


def test_old_exports_are_removed_with_their_files(staf):
    from django.core.files.base import ContentFile

    from apps.rekap.tasks import bersihkan_ekspor

    old = Ekspor.objects.create(user=staf["admin"], jenis="inbox", format="csv", status="selesai")
    old.berkas.save("lama.csv", ContentFile(b"a,b\n"))
    new = Ekspor.objects.create(user=staf["admin"], jenis="inbox", format="csv", status="selesai")
    Ekspor.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    name = old.berkas.name
    assert old.berkas.storage.exists(name)
    assert bersihkan_ekspor.apply().get() == 1
    assert list(Ekspor.objects.values_list("pk", flat=True)) == [new.pk]
    assert not old.berkas.storage.exists(name)


def test_ak_in_exports_is_a_number_in_xlsx_and_reads_right_in_indonesian_csv(client, dataset, staf):
    """Issue 13, item 7: XLSX cells hold numbers with two decimals shown; the CSV uses ";" and the
    decimal comma, so Indonesian spreadsheet settings read 87,5 (not 87 500 from "87.500")."""
    from decimal import Decimal

    with tenancy.all_tenants(reason="test"):
        rows = list(Usulan.objects.filter(status="penilaian").order_by("diajukan_at", "id")[:2])
        Usulan.objects.filter(pk=rows[0].pk).update(ak_awal=Decimal("87.500"))
        Usulan.objects.filter(pk=rows[1].pk).update(ak_awal=Decimal("2.083"))
    client.force_login(staf["verifikator"])
    params = {"instansi": "INST-B", "status": "penilaian"}
    ws = load_workbook(io.BytesIO(client.get(reverse("rekap:ekspor_inbox"), {**params, "format": "xlsx"}).content))
    sheet = ws.active
    header = [c.value for c in sheet[1]]
    col = header.index("AK awal") + 1
    cells = {sheet.cell(row=r, column=2).value: sheet.cell(row=r, column=col) for r in range(2, sheet.max_row + 1)}
    ak = cells[rows[0].pegawai_nip]
    assert ak.data_type == "n" and ak.value == 87.5 and ak.number_format == "#,##0.00"
    assert cells[rows[1].pegawai_nip].value == 2.08  # the BKN rounding (2,08)
    assert {c.value for nip, c in cells.items() if nip not in {r.pegawai_nip for r in rows}} == {None}

    raw = client.get(reverse("rekap:ekspor_inbox"), {**params, "format": "csv"}).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert table[0][-1] == "AK awal" and all(len(r) == len(table[0]) for r in table)
    by_nip = {r[1]: r[-1] for r in table[1:]}
    assert by_nip[rows[0].pegawai_nip] == "87,5" and by_nip[rows[1].pegawai_nip] == "2,08"
    assert "87.500" not in raw and "87,500" not in raw


def test_fe13_usulan_export_nip_is_text_dates_are_dates_and_csv_is_labelled_for_other_systems(client, dataset):
    """Fresh-eye walk, item 3: the XLSX held the NIP as a string cell without text format and the
    "Diajukan"/"Status sejak" dates as text; the CSV's bare NIP digits lose precision when opened in
    a spreadsheet app, and the page did not say which format is for what. A name typed as a formula
    is text in both."""
    from datetime import datetime

    a, _b = dataset
    pic = UserFactory(username="pic.a", instansi=a, roles=["pic_instansi"])
    with tenancy.all_tenants(reason="test"):
        u = Usulan.objects.filter(instansi=a, status="diajukan").order_by("id").first()
        Usulan.objects.filter(pk=u.pk).update(pegawai_nama='=HYPERLINK("http://x","klik")')
        u.refresh_from_db()
    client.force_login(pic)
    page = client.get(reverse("pengusulan:dashboard")).content.decode()
    assert 'data-testid="ekspor-csv"' in page and "CSV (untuk sistem lain)" in page
    assert 'data-testid="ekspor-catatan"' in page and "aplikasi lembar kerja" in page

    response = client.get(reverse("rekap:ekspor_usulan"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    kol = {t: header.index(t) + 1 for t in ("NIP", "Nama", "Diajukan", "Status sejak", "Tenggat perbaikan")}
    rows = {sheet.cell(row=r, column=kol["NIP"]).value: r for r in range(2, sheet.max_row + 1)}
    r = rows[u.pegawai_nip]
    nip = sheet.cell(row=r, column=kol["NIP"])
    assert nip.data_type == "s" and nip.number_format == "@" and nip.value == u.pegawai_nip
    lokal = timezone.localtime(u.diajukan_at).replace(tzinfo=None, second=0, microsecond=0)
    for judul, nilai in (("Diajukan", lokal), ("Status sejak", None)):
        cell = sheet.cell(row=r, column=kol[judul])
        assert cell.is_date and isinstance(cell.value, datetime), judul
        assert cell.number_format == "dd/mm/yyyy hh:mm", judul
        if nilai is not None:
            assert cell.value == nilai
    nama = sheet.cell(row=r, column=kol["Nama"])
    assert nama.data_type == "s" and nama.value.startswith("=HYPERLINK")

    raw = client.get(reverse("rekap:ekspor_usulan"), {"format": "csv"}).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(raw), delimiter=";"))
    baris = next(x for x in table[1:] if x[1] == u.pegawai_nip)
    assert baris[header.index("Diajukan")] == lokal.strftime("%Y-%m-%d %H:%M")
    assert baris[header.index("Nama")].startswith("'=HYPERLINK")
