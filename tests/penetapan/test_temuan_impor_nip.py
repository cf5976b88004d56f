"""Import and validation lows of the fresh-eye walk of issue 19: an invalid NIP in the predikat
import is called invalid (not "not a holder here"); a team-member invitation does not take a
holder's NIP under another name; one file is not accepted in two document slots of an usulan
penetapan AK."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from apps.core import tenancy
from apps.jabatan import xlsx
from apps.penetapan import pembentukan, services
from apps.penetapan.alur import PenetapanError
from apps.penetapan.models import DokumenPenetapan
from tests.pdfs import valid_pdf
from tests.penetapan.conftest import DALAM_PERIODE, as_user

pytestmark = pytest.mark.django_db


def test_an_invalid_nip_in_the_predikat_import_is_called_invalid(client, pic_kab, ani, jfak):
    wb = Workbook()
    ws = wb.active
    ws.append([h for _k, h in xlsx.KOLOM_PREDIKAT])
    ws.append(["999999999999999999", "Siapa", date(2025, 1, 1), date(2025, 12, 31), "Baik", None])
    ws.append(["199001012015011001", "Bukan", date(2025, 1, 1), date(2025, 12, 31), "Baik", None])
    out = io.BytesIO()
    wb.save(out)
    client.force_login(pic_kab)
    berkas = SimpleUploadedFile("p.xlsx", out.getvalue(), content_type=xlsx.XLSX_MIME)
    report = client.post("/pejabat-fungsional/impor/predikat/", {"jf": jfak.kode, "berkas": berkas}).context["report"]
    alasan = {b: r for b, _k, r in report.errors}
    assert "bukan pejabat JF ini" not in alasan[2] and "NIP" in alasan[2]
    assert "bukan pejabat JF ini di instansi Anda" in alasan[3]


def test_the_invitation_refuses_a_holders_nip_under_another_name(pic_kab, ani):
    with as_user(pic_kab), pytest.raises(ValidationError) as exc:
        pembentukan.akun_undang(
            actor=pic_kab, peran="penilai_ak", nama_lengkap="Rina Marlina", email="rina@banyumaskab.go.id",
            nip=ani.nip,
        )  # fmt: skip
    assert "tercatat sebagai pejabat fungsional Ani Wulandari, bukan Rina Marlina" in exc.value.message_dict["nip"][0]
    # Her own name (with a title) is her.
    with as_user(pic_kab):
        user = pembentukan.akun_undang(
            actor=pic_kab, peran="penilai_ak", nama_lengkap="Ani Wulandari, S.E.", email="ani@banyumaskab.go.id",
            nip=ani.nip,
        )  # fmt: skip
    assert user.nip == ani.nip


def test_one_file_is_not_accepted_in_two_document_slots(pic_kab, ani, jfak):
    with as_user(pic_kab):
        u = services.usulan_buat(actor=pic_kab, pejabat=ani, pada=DALAM_PERIODE)
        services.dokumen_unggah(
            actor=pic_kab, usulan=u, jenis="skp", upload=SimpleUploadedFile("a.pdf", valid_pdf(), "application/pdf")
        )
        with pytest.raises(PenetapanError) as exc:
            services.dokumen_unggah(
                actor=pic_kab, usulan=u, jenis="sk_jabatan",
                upload=SimpleUploadedFile("b.pdf", valid_pdf(), "application/pdf"),
            )  # fmt: skip
        assert 'sama persis dengan dokumen "Hasil penilaian SKP / predikat kinerja" (a.pdf)' in str(exc.value)
        # The same slot again is a replacement, not a copy.
        services.dokumen_unggah(
            actor=pic_kab, usulan=u, jenis="skp", upload=SimpleUploadedFile("a2.pdf", valid_pdf(), "application/pdf")
        )
    with tenancy.all_tenants(reason="test"):
        assert list(
            DokumenPenetapan.objects.filter(usulan=u, diganti_at__isnull=True).values_list("jenis", flat=True)
        ) == ["skp"]
