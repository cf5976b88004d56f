from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction

from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage
from apps.pengusulan import services
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Dokumen, Pegawai, Usulan
from apps.referensi import domain as rules
from apps.referensi.models import Golongan, Jenjang, PersyaratanDokumen
from tests.pengusulan.conftest import ON, pdf_upload, pegawai_data, upload_all_mandatory

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- pegawai


def test_birth_date_sex_and_tmt_cpns_come_from_the_nip(make_pegawai):
    pegawai = make_pegawai(nip="19860926 201505 2 003")
    assert pegawai.nip == "198609262015052003"
    assert (pegawai.tanggal_lahir, pegawai.jenis_kelamin, pegawai.tmt_cpns) == (
        date(1986, 9, 26), "P", date(2015, 5, 1),
    )  # fmt: skip


def test_a_recorded_birth_date_must_match_the_nip(make_pegawai):
    with pytest.raises(ValidationError) as exc:
        make_pegawai(tanggal_lahir=date(1986, 9, 27))
    assert "Tanggal lahir tidak sesuai dengan NIP (26 September 1986)" in str(exc.value.message_dict["tanggal_lahir"])


def test_a_malformed_nip_is_refused_with_the_bad_part(make_pegawai):
    with pytest.raises(ValidationError) as exc:
        make_pegawai(nip="19861326 201505 1 001")
    assert "Digit 1–8 NIP (19861326)" in exc.value.message_dict["nip"][0]
    with tenancy.all_tenants(reason="test"):
        assert not Pegawai.objects.exists()


def test_a_pppk_number_is_refused_by_the_service_too(make_pegawai):
    """The PNS rule lives in referensi.domain.nip_pns; the service (not only the form) applies it."""
    with pytest.raises(ValidationError) as exc:
        make_pegawai(nip="19900101 202221 1 001")
    assert exc.value.message_dict["nip"] == [str(rules.PESAN_BUKAN_PNS)]
    with tenancy.all_tenants(reason="test"):
        assert not Pegawai.objects.exists()


def test_form_serializer_and_import_share_the_one_pns_message():
    from apps.pengusulan.api.serializers import PegawaiSerializer
    from apps.pengusulan.forms import PegawaiForm

    pppk = "19900101 202221 1 001"
    with tenancy.all_tenants(reason="test: the forms' own lookups"):
        form = PegawaiForm(data={"nip": pppk})
        form.is_valid()
        serializer = PegawaiSerializer(data={"nip": pppk})
        serializer.is_valid()
    assert form.errors["nip"] == [str(rules.PESAN_BUKAN_PNS)]
    assert [str(e) for e in serializer.errors["nip"]] == [str(rules.PESAN_BUKAN_PNS)]


def test_a_nip_registered_twice_gets_a_clear_error(make_pegawai):
    make_pegawai()
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        make_pegawai(nama="Orang Lain")


def test_only_the_pic_registers_pegawai(ppk_a, referensi):
    from django.core.exceptions import PermissionDenied

    with tenancy.scope(ppk_a.instansi), pytest.raises(PermissionDenied):
        services.pegawai_create(actor=ppk_a, data=pegawai_data())


# ---------------------------------------------------------------- usulan


def test_an_usulan_takes_its_jenjang_from_the_golongan(pic, aks, make_pegawai):
    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        assert usulan.status == Status.DRAFT
        assert usulan.jenjang.nama == "Ahli Muda"  # III/c
        services.pegawai_update(actor=pic, pegawai=pegawai, data={"golongan": Golongan.objects.get(kode="IV/a")})
        usulan.refresh_from_db()
        assert usulan.jenjang.nama == "Ahli Madya"


def test_a_double_click_never_creates_two_usulan(pic, aks, make_pegawai):
    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        first = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        second = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        assert first.pk == second.pk
        assert Usulan.objects.count() == 1


# ---------------------------------------------------------------- documents


def test_a_reupload_adds_a_version_and_keeps_the_old_file(pic, aks, make_pegawai):
    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        sk = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
        v1 = services.dokumen_upload(actor=pic, jf=aks, persyaratan=sk, upload=pdf_upload("SK CPNS.pdf"), usulan=usulan)
        v2 = services.dokumen_upload(
            actor=pic, jf=aks, persyaratan=sk, upload=pdf_upload("SK CPNS revisi.pdf"), usulan=usulan
        )
        assert (v1.versi, v2.versi) == (1, 2)
        assert default_storage.exists(v1.berkas.name) and default_storage.exists(v2.berkas.name)
        assert v1.berkas.name != v2.berkas.name
        # storage names are ours: instansi/year/uuid.pdf, never the uploader's name
        assert "SK" not in v1.berkas.name and v1.berkas.name.startswith(f"dokumen/{pic.instansi.pk}/")
        assert v1.nama_asli == "SK CPNS.pdf" and len(v1.sha256) == 64
        assert AuditLog.objects.filter(action="dokumen.diunggah", object_id=str(usulan.pk)).count() == 2


def test_a_bad_file_is_refused_and_nothing_is_stored(pic, aks, make_pegawai):
    from tests.pdfs import exe_bytes

    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        sk = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
        with pytest.raises(ValidationError, match="bukan PDF yang sah"):
            services.dokumen_upload(
                actor=pic, jf=aks, persyaratan=sk, upload=pdf_upload("x.pdf", exe_bytes()), usulan=usulan
            )
        assert not Dokumen.objects.exists()


def test_an_instansi_document_is_not_uploaded_as_a_portfolio_document(pic, aks, make_pegawai):
    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        peta = PersyaratanDokumen.objects.get(jf=aks, kode="peta_jabatan")
        with pytest.raises(ValidationError, match="halaman lain"):
            services.dokumen_upload(actor=pic, jf=aks, persyaratan=peta, upload=pdf_upload(), usulan=usulan)


# ---------------------------------------------------------------- submission


def test_submitting_reserves_a_position_and_freezes_the_dossier(pic, usulan_lengkap, formasi_aks):
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=ON)
        assert usulan.status == Status.DIAJUKAN
        assert usulan.formasi_id == formasi_aks.pk
        assert usulan.data_pegawai["nip"] == "198609262015051001"
        assert {o["rule"] for o in usulan.eligibilitas} >= {"usia", "pengalaman", "jenjang"}
        assert usulan.masa_kerja_pangkat == 4  # TMT 1-4-2021 → 5 years 2 months, capped at 4
        # placeholder table (4 × 25, unverified) + AK Dasar III/c (0)
        assert usulan.ak_awal == Decimal("100.000")
        assert AuditLog.objects.filter(action="usulan.diajukan", object_id=str(usulan.pk)).count() == 1
        assert OutboxMessage.objects.filter(task_name="pengusulan.kabari_transisi", kwargs__aksi="ajukan").count() == 1
        sk = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="sk_cpns")
        with pytest.raises(ValidationError, match="tidak dapat diubah"):
            services.dokumen_upload(actor=pic, jf=usulan.jf, persyaratan=sk, upload=pdf_upload(), usulan=usulan)


def test_submitting_twice_is_harmless(pic, usulan_lengkap):
    with tenancy.scope(pic.instansi):
        services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=ON)
        again = services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=ON)
        assert again.status == Status.DIAJUKAN
        assert AuditLog.objects.filter(action="usulan.diajukan").count() == 1


def test_missing_documents_block_submission_and_are_named(pic, aks, make_pegawai, formasi_aks):
    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        with pytest.raises(ValidationError) as exc:
            services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)
        assert "Dokumen wajib belum diunggah: SK pengangkatan CPNS." in exc.value.messages
        assert "Dokumen wajib belum diunggah: Peta jabatan." in exc.value.messages
        usulan.refresh_from_db()
        assert usulan.status == Status.DRAFT and usulan.formasi_id is None


def test_a_hard_eligibility_failure_blocks_submission(pic, aks, make_pegawai, formasi_aks):
    pegawai = make_pegawai(nip="19680101 199303 1 001", pengalaman_bulan=23)  # 58 and < 2 years
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    upload_all_mandatory(pic, usulan)
    with tenancy.scope(pic.instansi), pytest.raises(ValidationError) as exc:
        services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)
    text = " ".join(exc.value.messages)
    assert "Usia melebihi batas 56 tahun" in text and "kurang dari 2 tahun" in text


def test_the_window_must_be_open(pic, usulan_lengkap):
    with (
        tenancy.scope(pic.instansi),
        pytest.raises(ValidationError, match="Masa pengajuan JF Analis Kerja Sama ditutup"),
    ):
        services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=date(2027, 1, 5))


def test_a_full_formasi_blocks_submission_and_withdrawal_frees_it(pic, aks, make_pegawai, formasi_aks):
    usulan = []
    for i in range(3):
        pegawai = make_pegawai(nip=f"19860926 201505 1 00{i + 1}", nama=f"Pegawai {i + 1}")
        with tenancy.scope(pic.instansi):
            u = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        upload_all_mandatory(pic, u)
        usulan.append(u)
    with tenancy.scope(pic.instansi):
        services.usulan_ajukan(actor=pic, usulan=usulan[0], on=ON)
        services.usulan_ajukan(actor=pic, usulan=usulan[1], on=ON)
        with pytest.raises(ValidationError, match="sudah terisi penuh"):
            services.usulan_ajukan(actor=pic, usulan=usulan[2], on=ON)
        services.usulan_batalkan(actor=pic, usulan=usulan[0])
        assert services.usulan_ajukan(actor=pic, usulan=usulan[2], on=ON).status == Status.DIAJUKAN
        with pytest.raises(ValidationError, match="Sudah 2 posisi terpakai"):
            services.formasi_simpan(
                actor=pic, jf=aks, jenjang=Jenjang.objects.get(jf=aks, kode="ahli_muda"), unit_kerja="", jumlah=1
            )


def test_no_formasi_means_a_clear_message(pic, aks, make_pegawai):
    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    upload_all_mandatory(pic, usulan)
    with (
        tenancy.scope(pic.instansi),
        pytest.raises(ValidationError, match="Belum ada formasi Analis Kerja Sama jenjang Ahli Muda"),
    ):
        services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)


def test_withdrawal_only_before_verification(pic, usulan_lengkap):
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=ON)
        Usulan.objects.filter(pk=usulan.pk).update(status=Status.VERIFIKASI)  # as the pembina's service would
        with pytest.raises(ValidationError, match="tidak dapat dibatalkan"):
            services.usulan_batalkan(actor=pic, usulan=usulan)


@pytest.mark.django_db(transaction=True)
def test_two_pics_racing_for_the_last_position_exactly_one_wins(referensi, instansi_a):
    """Two transactions on two connections submit at once for the single remaining position."""
    from tests.factories import UserFactory

    aks = referensi["aks"]
    pic1 = UserFactory(username="pic.satu", instansi=instansi_a, roles=["pic_instansi"])
    pic2 = UserFactory(username="pic.dua", instansi=instansi_a, roles=["pic_instansi"])
    with tenancy.scope(instansi_a):
        services.formasi_simpan(
            actor=pic1, jf=aks, jenjang=Jenjang.objects.get(jf=aks, kode="ahli_muda"), unit_kerja="", jumlah=1
        )
        drafts = []
        for i, actor in enumerate((pic1, pic2)):
            pegawai = services.pegawai_create(actor=actor, data=pegawai_data(nip=f"19860926 201505 1 01{i}"))
            drafts.append(services.usulan_create(actor=actor, pegawai=pegawai, jf=aks))
    for actor, u in zip((pic1, pic2), drafts, strict=True):
        upload_all_mandatory(actor, u)

    barrier = threading.Barrier(2)
    results: list[str] = []

    def submit(actor, u):
        try:
            with tenancy.scope(instansi_a):
                barrier.wait(timeout=10)
                services.usulan_ajukan(actor=actor, usulan=u, on=ON)
            results.append("menang")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in zip((pic1, pic2), drafts, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 2 and results.count("menang") == 1
    assert any("sudah terisi penuh" in r for r in results)
    with tenancy.scope(instansi_a):
        assert Usulan.objects.filter(status=Status.DIAJUKAN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_first_saves_of_a_formasi_row_upsert_instead_of_failing(referensi, instansi_a):
    """Issue 15, finding 7: three parallel saves of a new (jenjang, unit kerja) pair gave an
    IntegrityError (500). Three transactions on three connections now end with one row and no
    error; the last writer's number stands."""
    from apps.pengusulan.models import Formasi
    from tests.factories import UserFactory

    aks = referensi["aks"]
    pic = UserFactory(username="pic.formasi", instansi=instansi_a, roles=["pic_instansi"])
    jenjang = Jenjang.objects.get(jf=aks, kode="ahli_muda")
    barrier = threading.Barrier(3)
    errors: list[str] = []

    def save(jumlah):
        try:
            with tenancy.scope(instansi_a), transaction.atomic():
                barrier.wait(timeout=10)
                services.formasi_simpan(actor=pic, jf=aks, jenjang=jenjang, unit_kerja="Biro Baru", jumlah=jumlah)
                time.sleep(0.2)  # hold the transaction open so the others meet the uncommitted row
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in (3, 4, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    with tenancy.scope(instansi_a):
        rows = list(Formasi.objects.filter(jf=aks, jenjang=jenjang, unit_kerja="Biro Baru"))
        assert len(rows) == 1 and rows[0].jumlah in (3, 4, 5)
    with tenancy.all_tenants(reason="test assertion"):
        assert AuditLog.objects.filter(action="formasi.disimpan", object_id=str(rows[0].pk)).count() == 3
