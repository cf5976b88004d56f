"""The holder's record and the append-only AK ledger: opened by "SK terbit" with the SK's AK awal
(breakdown and provenance kept), idempotent, refused UPDATE/DELETE by the model and the
database, and scoped to the instansi (manager and RLS)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from apps.core import tenancy
from apps.core.tenancy import ScopeError
from apps.jabatan import selectors, services
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from tests.jabatan.conftest import buat_pejabat
from tests.pdfs import valid_pdf
from tests.surat.conftest import PENANDATANGAN, PENANDATANGAN_PPK, TANGGAL, render_antrean, tandatangani_basah
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _sampai_sk_terbit(diputuskan, staf, pk, instansi_a, ppk_pk, upload):
    lulus, _t, _s = diputuskan(1, 0)
    with as_user(staf["admin"]):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_basah(rekomendasi, staf["admin"])  # an SK waits for its signed rekomendasi
    from datetime import date

    with as_user(ppk_pk):
        sk = surat_services.sk_terbitkan(
            actor=ppk_pk, usulan_ids=[lulus[0].pk], tanggal=date(2026, 8, 20), tmt=date(2026, 9, 1),
            penandatangan=PENANDATANGAN_PPK,
        )[0]  # fmt: skip
    render_antrean()
    with tenancy.all_tenants(reason="test"):
        versi = VersiSurat.objects.select_related("surat").get(surat=sk, diganti_at__isnull=True)
    with as_user(ppk_pk):
        surat_services.ttd_unggah(actor=ppk_pk, versi=versi, upload=upload)
    return lulus[0], sk


def test_sk_terbit_opens_the_record_and_the_ledger_with_the_ak_awal(diputuskan, staf, pk, instansi_a, ppk_pk):
    upload = SimpleUploadedFile("sk-ttd.pdf", valid_pdf(padding=7531), content_type="application/pdf")
    usulan, sk = _sampai_sk_terbit(diputuskan, staf, pk, instansi_a, ppk_pk, upload)
    with tenancy.scope(instansi_a):
        usulan = Usulan.objects.select_related("ak_tabel_ref", "ak_dasar_ref", "jenjang").get(pk=usulan.pk)
        assert usulan.status == Status.SK_TERBIT
        pejabat = PejabatFungsional.objects.get(usulan_asal=usulan)
        assert (pejabat.nip, pejabat.jf_id, pejabat.jenjang_id) == (usulan.pegawai_nip, pk.pk, usulan.jenjang_id)
        assert pejabat.sk_surat_id == sk.pk and pejabat.tmt_jabatan.isoformat() == "2026-09-01"
        assert pejabat.kelas_jabatan == usulan.jenjang.kelas_jabatan
        assert pejabat.golongan.kode == usulan.data_pegawai["golongan"]
        assert pejabat.pegawai_id == usulan.pegawai_id
        [awal] = MutasiAK.objects.filter(pejabat=pejabat)
        assert awal.jenis == JenisMutasi.AWAL and awal.nilai == usulan.ak_awal
        assert awal.surat_id == sk.pk and awal.dibuat_oleh_id == ppk_pk.pk
        assert awal.rincian["nilai_tabel"] == str(usulan.ak_nilai_tabel)
        assert awal.rincian["ak_dasar"] == str(usulan.ak_dasar)
        assert awal.rincian["tabel_terverifikasi"] == usulan.ak_tabel_ref.terverifikasi
        assert awal.rincian["ak_dasar_terverifikasi"] == usulan.ak_dasar_ref.terverifikasi
        assert awal.rincian["surat"] == sk.nomor
        assert selectors.ak_kumulatif(pejabat) == usulan.ak_awal
        # Idempotent: the effect again (a re-delivered move) adds nothing.
        again = services.pejabat_dari_sk(usulan, surat_id=sk.pk, actor=ppk_pk)
        assert again.pk == pejabat.pk
        assert MutasiAK.objects.filter(pejabat=pejabat).count() == 1
        assert PejabatFungsional.objects.filter(nip=usulan.pegawai_nip).count() == 1


def test_an_imported_holder_is_linked_not_duplicated_and_keeps_one_ak_awal(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 0)
    with tenancy.scope(instansi_a):
        nip = Usulan.objects.get(pk=lulus[0].pk).pegawai_nip
    imported = buat_pejabat(instansi_a, pk, nip=nip)
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(imported, JenisMutasi.AWAL, Decimal("40"), oleh=ppk_pk)
        usulan = Usulan.objects.get(pk=lulus[0].pk)
        pejabat = services.pejabat_dari_sk(usulan, surat_id=None, actor=ppk_pk)
        assert pejabat.pk == imported.pk and pejabat.usulan_asal_id == usulan.pk
        assert list(MutasiAK.objects.filter(pejabat=pejabat).values_list("nilai", flat=True)) == [Decimal("40")]


def test_the_ledger_is_append_only_in_the_model_and_in_the_database(instansi_a, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        m = services.mutasi_tambah(pejabat, JenisMutasi.AWAL, Decimal("50"), oleh=pic_pk)
        m.nilai = Decimal("500")
        with pytest.raises(ValidationError, match="tidak dapat diubah"):
            m.save()
        with pytest.raises(ValidationError, match="tidak dapat dihapus"):
            m.delete()
        with pytest.raises(ValidationError):
            MutasiAK.objects.filter(pk=m.pk).update(nilai=1)
        with pytest.raises(ValidationError):
            MutasiAK.objects.filter(pk=m.pk).delete()
        for sql in (
            "UPDATE jabatan_mutasiak SET nilai = 1 WHERE id = %s",
            "DELETE FROM jabatan_mutasiak WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
                c.execute(sql, [m.pk])
        assert MutasiAK.objects.get(pk=m.pk).nilai == Decimal("50")


def test_corrections_are_new_signed_rows_and_the_kumulatif_sums_them(instansi_a, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        awal = services.mutasi_tambah(pejabat, JenisMutasi.AWAL, Decimal("50"), oleh=pic_pk)
        with pytest.raises(ValidationError, match="sudah tercatat"):
            services.mutasi_tambah(pejabat, JenisMutasi.AWAL, Decimal("50"), oleh=pic_pk)
        with pytest.raises(ValidationError, match="keterangan"):
            services.mutasi_tambah(pejabat, JenisMutasi.KOREKSI, Decimal("-2.5"), oleh=pic_pk, mengoreksi=awal)
        services.mutasi_tambah(
            pejabat, JenisMutasi.KOREKSI, Decimal("-2.5"), oleh=pic_pk, mengoreksi=awal, keterangan="Salah ketik"
        )
        assert selectors.ak_kumulatif(pejabat) == Decimal("47.5")
        assert [m.jenis for m in selectors.mutasi_dari(pejabat)] == ["awal", "koreksi"]


def test_another_instansi_sees_no_holder_nor_ledger_row(instansi_a, instansi_b, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(pejabat, JenisMutasi.AWAL, Decimal("50"), oleh=pic_pk)
    with pytest.raises(ScopeError):
        PejabatFungsional.objects.count()
    with tenancy.scope(instansi_b):
        assert PejabatFungsional.objects.count() == 0 and MutasiAK.objects.count() == 0
        with connection.cursor() as c:  # the database agrees, without the manager
            c.execute("SELECT count(*) FROM jabatan_pejabatfungsional")
            assert c.fetchone() == (0,)
            c.execute("SELECT count(*) FROM jabatan_mutasiak")
            assert c.fetchone() == (0,)
    with tenancy.scope(pk.instansi_pembina, jf_ids=[pk.pk]):  # the JF's pembina staff see it
        assert PejabatFungsional.objects.filter(pk=pejabat.pk).exists()


def test_the_ledger_reads_awal_then_by_period_and_a_pak_after_the_konversi_it_sums(instansi_a, pk, pic_pk):
    """Fresh-eye walk (issue 19): a PAK (no period) was listed before the AK awal and the konversi
    it sums, and a period entered late out of its place."""
    from datetime import date

    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(
            pejabat, JenisMutasi.KONVERSI, Decimal("2.08"), oleh=pic_pk, predikat="baik",
            periode_mulai=date(2025, 11, 1), periode_selesai=date(2025, 12, 31), bulan=2,
        )  # fmt: skip
        services.mutasi_tambah(
            pejabat, JenisMutasi.KONVERSI, Decimal("10.42"), oleh=pic_pk, predikat="baik",
            periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 10, 31), bulan=10,
        )  # fmt: skip
        services.mutasi_tambah(pejabat, JenisMutasi.AWAL, Decimal("50"), oleh=pic_pk)
        services.mutasi_tambah(pejabat, JenisMutasi.PENETAPAN, Decimal("0"), oleh=pic_pk)
        urut = [(m.jenis, m.periode_mulai) for m in selectors.mutasi_dari(pejabat)]
    assert urut == [
        ("awal", None),
        ("konversi", date(2025, 1, 1)),
        ("konversi", date(2025, 11, 1)),
        ("penetapan", None),
    ]
