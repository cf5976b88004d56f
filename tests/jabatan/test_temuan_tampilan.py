"""Issue 19 fresh-eye walk (low findings, display): the import form preselects no JF the PIC did
not choose; an AK is printed with two decimals at most ("72,81", never "72,810" or "72.810");
the refusal of a period already counted in the AK awal reads "pada atau sesudah", not "sejak"."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.jabatan import services
from apps.jabatan.models import PejabatFungsional
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


def _terpilih(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="jf".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*\sselected', select)


def test_the_import_form_preselects_the_instansis_jf_or_none(client, referensi, instansi_a, pk, pic_pk):
    client.force_login(pic_pk)
    # No holder yet: no JF is preselected (the first JF by name was, silently); submitting without
    # one is refused with the reason and nothing is imported.
    for jenis in ("pejabat", "predikat"):
        assert _terpilih(client.get(f"/pejabat-fungsional/impor/{jenis}/").content.decode()) == [""]
    page = client.post("/pejabat-fungsional/impor/predikat/", {})
    assert page.status_code == 200
    assert "Pilih jabatan fungsional yang datanya diimpor." in page.content.decode()
    assert page.context["report"] is None
    # The instansi's holders are all of JF Pengantar Kerja: that JF is the default.
    buat_pejabat(instansi_a, pk)
    for jenis in ("pejabat", "predikat"):
        assert _terpilih(client.get(f"/pejabat-fungsional/impor/{jenis}/").content.decode()) == [pk.kode]
    # Holders of two JF: the PIC chooses.
    buat_pejabat(instansi_a, referensi["analis-kebijakan"], nip="197901012005011002", nama="Budi")
    assert _terpilih(client.get("/pejabat-fungsional/impor/predikat/").content.decode()) == [""]


def test_an_ak_is_printed_with_two_decimals_on_the_pages_and_in_the_audit(client, instansi_a, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        m = services.mutasi_tambah(
            pejabat, "awal", Decimal("72.81"), oleh=pic_pk, periode_mulai=date(2025, 1, 1),
            rincian={"sumber": "sk_inpassing", "nilai_tabel": "72.810", "ak_dasar": "0.000",
                     "tabel_terverifikasi": True, "ak_dasar_terverifikasi": True},
        )  # fmt: skip
        pesan = AuditLog.objects.get(action="ak.awal", object_id=str(pejabat.pk)).message
    assert "72,81" in pesan and "72.81" not in pesan
    client.force_login(pic_pk)
    html = client.get(f"/pejabat-fungsional/{pejabat.pk}/").content.decode()
    assert "tabel penyesuaian 72,81 + AK dasar 0" in html
    assert "72.810" not in html and "72,810" not in html and m.nilai == Decimal("72.810")


def test_a_period_counted_in_the_ak_awal_is_refused_as_starting_before_its_date(instansi_a, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(pejabat, "awal", Decimal(40), oleh=pic_pk, periode_mulai=date(2024, 12, 31))
        pejabat = PejabatFungsional.objects.get(pk=pejabat.pk)
        laporan = services.konversi_massal(
            [services.ItemKonversi(pejabat.pk, "baik", date(2024, 1, 1), date(2024, 12, 31), tag=2)], oleh=pic_pk
        )
    [(_tag, _kolom, alasan)] = laporan.galat
    assert "sejak" not in alasan
    assert "per tanggal 31 Desember 2024" in alasan
    assert "dimulai pada atau sesudah tanggal 31 Desember 2024" in alasan
