"""One NIP, one active pejabat fungsional record across every instansi and JF (issue 19): the
database holds the rule (a unique index over every tenant, whatever row-level security shows),
and every path that writes a record turns it into a translated refusal naming no other instansi —
the holder import (also when a concurrent writer wins the index), the PPK issuing the SK, "SK
terbit" when the signed SK is uploaded — while a kenaikan jenjang moves the one record it has."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core import tenancy
from apps.jabatan import efek, kenaikan, services, xlsx
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services as surat_services
from apps.surat.models import JenisSurat, SuratUsulan, VersiSurat
from tests.jabatan.conftest import buat_pejabat
from tests.jabatan.test_views import _xlsx
from tests.pdfs import pindaian
from tests.surat.conftest import (
    PENANDATANGAN,
    PENANDATANGAN_PPK,
    TANGGAL,
    all_tenants,
    render_antrean,
    tandatangani_basah,
)
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

#: The NIP of the first usulan ``diputuskan`` makes ("19860926 201505 1 " + "001").
NIP_USULAN = "198609262015051001"
PESAN = "sudah tercatat sebagai pejabat fungsional aktif; satu NIP satu orang"


def _aktif(nip: str) -> list[PejabatFungsional]:
    with all_tenants():
        return list(PejabatFungsional.objects.filter(nip=nip, aktif=True))


def test_the_database_keeps_one_active_record_per_nip_across_instansi(instansi_a, instansi_b, pk, aks):
    buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi Lain")
    # Another instansi and another JF: the instansi's scope (and RLS) does not see the other row,
    # the unique index does.
    with pytest.raises(IntegrityError), transaction.atomic():
        buat_pejabat(instansi_a, aks, jenjang_kode="ahli_pertama", nip="197901012005011002", nama="Budi Lain")
    # An inactive record of the same NIP is history, not a second holder.
    lama = buat_pejabat(instansi_a, aks, nip="197901012005011002", nama="Budi Lain", aktif=False)
    aktif = _aktif("197901012005011002")
    assert len(aktif) == 1 and aktif[0].pk != lama.pk and aktif[0].instansi_id == instansi_b.pk


def test_the_holder_import_losing_the_race_is_a_refusal_not_a_500(
    client, instansi_a, instansi_b, pk, pic_pk, monkeypatch
):
    """The import checks the NIPs first; a writer committing the same NIP between that check and
    the insert trips the index: the page says so, nothing of the file is kept."""
    buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi Lain")
    monkeypatch.setattr(xlsx, "nip_aktif_di_tempat_lain", lambda *a, **k: set())  # the check saw nothing yet
    rows = [
        ["19860926 201505 1 003", "Citra", "Bandung", "Ahli Pertama", "III/a", date(2022, 1, 1), date(2022, 1, 1), 10,
         None, None, None],
        ["19790101 200501 1 002", "Budi Lain",
         "Bandung", "Ahli Pertama", "III/a", date(2022, 1, 1), date(2022, 1, 1), 10,
         None, None, None],
    ]  # fmt: skip
    client.force_login(pic_pk)
    page = client.post("/pejabat-fungsional/impor/pejabat/", {"jf": pk.kode, "berkas": _xlsx(xlsx.KOLOM_PEJABAT, rows)})
    assert page.status_code == 200
    html = " ".join(page.content.decode().split())
    assert "Impor dibatalkan: sebagian NIP baru saja tercatat sebagai pejabat fungsional aktif" in html
    assert instansi_b.nama not in html
    with tenancy.scope(instansi_a):
        assert not PejabatFungsional.objects.exists() and not MutasiAK.objects.exists()


@pytest.fixture
def rekomendasi_ditandatangani(diputuskan, staf, pic_pk, pk):
    """One usulan recommended, its rekomendasi signed: the PPK can issue its SK."""
    [usulan], _tidak, _sidang = diputuskan(lulus=1, tidak=0)
    with as_user(staf["admin"]):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=pic_pk.instansi.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_basah(rekomendasi, staf["admin"])
    assert usulan.pegawai_nip == NIP_USULAN
    return usulan


def _sk(ppk, usulan):
    with as_user(ppk), transaction.atomic():
        return surat_services.sk_terbitkan(
            actor=ppk, usulan_ids=[usulan.pk], tanggal=TANGGAL, tmt=TANGGAL, penandatangan=PENANDATANGAN_PPK
        )


def test_the_ppk_cannot_issue_an_sk_for_a_nip_active_elsewhere(rekomendasi_ditandatangani, instansi_b, aks, ppk_pk):
    buat_pejabat(instansi_b, aks, nip=NIP_USULAN, nama="Pegawai PK 1")
    with pytest.raises(surat_services.SuratError) as exc:
        _sk(ppk_pk, rekomendasi_ditandatangani)
    message = " ".join(exc.value.messages)
    assert f"Pegawai PK 1: NIP {NIP_USULAN} {PESAN}" in message and instansi_b.nama not in message
    with as_user(ppk_pk):
        assert not SuratUsulan.objects.filter(usulan=rekomendasi_ditandatangani, jenis=JenisSurat.SK).exists()


def test_sk_terbit_refuses_a_second_active_record_and_the_upload_page_says_why(
    client, rekomendasi_ditandatangani, instansi_a, instansi_b, aks, ppk_pk
):
    """The SK was issued; before its signed copy is uploaded, the same NIP became an active holder
    elsewhere (an import of the other instansi). The upload is refused with the reason: the usulan
    stays recommended, no record, no ledger, no signed copy kept."""
    usulan = rekomendasi_ditandatangani
    issued = _sk(ppk_pk, usulan)
    [sk] = [s for s in issued if s.jenis == JenisSurat.SK]
    render_antrean()
    for pak in [s for s in issued if s.jenis == JenisSurat.PAK]:
        tandatangani_basah(pak, ppk_pk)  # the PAK issued with it is signed first (seed 004)
    buat_pejabat(instansi_b, aks, nip=NIP_USULAN, nama="Pegawai PK 1")
    with all_tenants():
        versi = VersiSurat.objects.get(surat=sk, diganti_at__isnull=True)
    with versi.berkas.open("rb") as fh:
        scan = pindaian(fh.read())
    client.force_login(ppk_pk)
    response = client.post(
        f"/surat/versi/{versi.pk}/ttd/",
        {"berkas": SimpleUploadedFile("pindaian.pdf", scan), "alasan": "Layanan TTE sedang gangguan."},
        follow=True,
    )
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert f"NIP {NIP_USULAN} {PESAN}" in html and instansi_b.nama not in html
    with tenancy.scope(instansi_a):
        usulan.refresh_from_db()
        assert usulan.status == Status.DIREKOMENDASIKAN
        assert not PejabatFungsional.objects.exists()
    with all_tenants():
        versi.refresh_from_db()
    assert not versi.ttd_berkas
    assert len(_aktif(NIP_USULAN)) == 1


def test_sk_terbit_losing_the_race_to_the_index_is_a_refusal_and_the_transaction_goes_on(
    rekomendasi_ditandatangani, instansi_a, instansi_b, aks, ppk_pk, monkeypatch
):
    usulan = rekomendasi_ditandatangani
    buat_pejabat(instansi_b, aks, nip=NIP_USULAN, nama="Pegawai PK 1")
    monkeypatch.setattr(services, "nip_aktif_di_tempat_lain", lambda *a, **k: set())  # committed after the check
    with as_user(ppk_pk), transaction.atomic():
        usulan = Usulan.objects.get(pk=usulan.pk)
        with pytest.raises(services.JabatanError) as exc:
            services.pejabat_dari_sk(usulan, surat_id=None, actor=ppk_pk)
        assert PESAN in " ".join(exc.value.messages)
        # The savepoint took the failed INSERT: the request's transaction is still usable.
        assert not PejabatFungsional.objects.filter(nip=NIP_USULAN).exists()
    assert len(_aktif(NIP_USULAN)) == 1


def test_kenaikan_jenjang_moves_the_one_record_it_has(instansi_a, pk, pic_pk):
    """ "SK terbit" of a kenaikan jenjang updates the holder's record (the same row, still the only
    active one of the NIP); it never goes through the path that opens a record."""
    h = buat_pejabat(
        instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/d", tmt=date(2019, 3, 1),
        nip="196905122019031002", nama="Bambang Hartono", tanggal_lahir=date(1969, 5, 12),
    )  # fmt: skip
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(
            h, JenisMutasi.KONVERSI, Decimal("212.50"), oleh=pic_pk, periode_mulai=date(2019, 3, 1),
            periode_selesai=date(2025, 12, 31), predikat="baik", keterangan="Konversi 2019–2025",
        )  # fmt: skip
        usulan = kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=h)
        usulan.status_changed_at = timezone.now()
        efek.buka_catatan(usulan=usulan, actor=pic_pk, data={})
        efek.buka_catatan(usulan=usulan, actor=pic_pk, data={})  # a repeated effect adds nothing
        semua = list(PejabatFungsional.objects.filter(nip=h.nip))
    assert [(p.pk, p.jenjang.kode, p.aktif) for p in semua] == [(h.pk, "ahli_madya", True)]
    assert [p.pk for p in _aktif(h.nip)] == [h.pk]
