"""A corrected inpassing SK: the holder record "SK terbit" opened follows the facts the correction
changed (TMT, AK awal), audited, and the ledger keeps its history (a ``koreksi`` of the opening
row, never an edit of it); refused with the reason while a konversi already rests on the old TMT."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.jabatan import selectors, services
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.pengusulan.models import Usulan
from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from tests.jabatan.test_buku_ak import _sampai_sk_terbit
from tests.pdfs import valid_pdf
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

TMT, TMT_BARU = date(2026, 9, 1), date(2026, 10, 1)  # the SK's TMT, and the corrected one


@pytest.fixture
def terbit(diputuskan, staf, pk, instansi_a, ppk_pk):
    upload = SimpleUploadedFile("sk-ttd.pdf", valid_pdf(padding=7532), content_type="application/pdf")
    usulan, sk = _sampai_sk_terbit(diputuskan, staf, pk, instansi_a, ppk_pk, upload)
    with tenancy.scope(instansi_a):
        pejabat = PejabatFungsional.objects.get(usulan_asal=usulan)
    assert pejabat.tmt_jabatan == TMT
    return usulan, sk, pejabat


def _koreksi(ppk, sk, **perubahan):
    with as_user(ppk), transaction.atomic():  # a savepoint, as the views' penolakan() gives it
        return surat_services.surat_koreksi(actor=ppk, surat=sk, alasan="Data SK keliru", perubahan=perubahan)


def _buku(pejabat):
    return list(MutasiAK.objects.filter(pejabat=pejabat).order_by("id"))


def test_a_corrected_tmt_moves_the_record_and_the_date_the_ak_awal_covers(terbit, ppk_pk, pic_pk, instansi_a):
    usulan, sk, pejabat = terbit
    _koreksi(ppk_pk, sk, tmt=TMT_BARU)
    with tenancy.scope(instansi_a):
        pejabat.refresh_from_db()
        assert pejabat.tmt_jabatan == TMT_BARU
        awal, koreksi = _buku(pejabat)
        # The opening row is untouched; the correction is a new row pointing at it (AK unchanged).
        assert (awal.jenis, awal.periode_mulai, awal.nilai) == ("awal", TMT, usulan.ak_awal)
        assert (koreksi.jenis, koreksi.mengoreksi_id, koreksi.nilai, koreksi.periode_mulai, koreksi.surat_id) == (
            JenisMutasi.KOREKSI, awal.pk, 0, TMT_BARU, sk.pk,
        )  # fmt: skip
        assert selectors.ak_kumulatif(pejabat) == usulan.ak_awal
        log = AuditLog.objects.get(action="jabatan.ikut_koreksi_sk", object_id=str(pejabat.pk))
        assert f"SK {sk.nomor} versi 2 (koreksi)" in log.message
        assert "TMT jabatan 1 September 2026 → 1 Oktober 2026" in log.message
        assert log.data["sebelum"] == {"tmt": "2026-09-01"} and log.data["sesudah"] == {"tmt": "2026-10-01"}
        # September now lies before the holder's TMT: the AK awal covers to the new TMT.
        with pytest.raises(ValidationError, match="sesudah tanggal 1 Oktober 2026"), transaction.atomic():
            services.konversi_catat(
                pejabat, predikat="baik", periode_mulai=TMT, periode_selesai=date(2026, 10, 31), oleh=pic_pk
            )
        services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=TMT_BARU, periode_selesai=date(2026, 10, 31), oleh=pic_pk
        )


def test_a_corrected_ak_awal_is_a_ledger_correction_not_an_edit(terbit, ppk_pk, instansi_a):
    usulan, sk, pejabat = terbit
    baru = usulan.ak_awal + Decimal("1.5")
    # The data the correction re-snapshots states another AK awal (the SK prints the usulan's).
    with tenancy.scope(instansi_a):
        Usulan.objects.filter(pk=usulan.pk).update(ak_awal=baru)
    versi = _koreksi(ppk_pk, sk)
    assert versi.isi["pegawai"][0]["ak_angka"] == str(baru)
    with tenancy.scope(instansi_a):
        awal, koreksi = _buku(pejabat)
        assert awal.nilai == usulan.ak_awal  # the opening row keeps v1's value
        assert (koreksi.mengoreksi_id, koreksi.nilai) == (awal.pk, Decimal("1.5"))
        assert koreksi.rincian["versi"] == 2 and koreksi.rincian["ak_awal_sesudah"] == str(baru)
        assert selectors.ak_kumulatif(pejabat) == baru
    # Corrected again without a change: nothing more.
    _koreksi(ppk_pk, sk)
    with tenancy.scope(instansi_a):
        assert len(_buku(pejabat)) == 2


def test_a_tmt_correction_under_a_konversi_of_the_old_tmt_is_refused_and_nothing_is_kept(
    terbit, ppk_pk, pic_pk, instansi_a
):
    _usulan, sk, pejabat = terbit
    with tenancy.scope(instansi_a):
        services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=TMT, periode_selesai=date(2026, 10, 31), oleh=pic_pk
        )
    with pytest.raises(ValidationError) as e:
        _koreksi(ppk_pk, sk, tmt=TMT_BARU)
    pesan = " ".join(e.value.messages)
    assert f"Koreksi SK {sk.nomor} tidak dapat diterapkan" in pesan
    assert "konversi periode mulai 1 September 2026" in pesan and pejabat.nama in pesan
    with tenancy.scope(instansi_a):
        pejabat.refresh_from_db()
        assert pejabat.tmt_jabatan == TMT and [m.jenis for m in _buku(pejabat)] == ["awal", "konversi"]
        assert VersiSurat.objects.filter(surat=sk).count() == 1
        sk.refresh_from_db()
        assert sk.tmt == TMT
    # A correction that leaves the TMT be still goes through.
    _koreksi(ppk_pk, sk)
