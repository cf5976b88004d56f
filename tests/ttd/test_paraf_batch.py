"""The paraf chain (a correction voids the old version's parafs), batches with progress, and a
killed worker that never makes two signed versions."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from apps.notifikasi.models import Notifikasi
from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import Paraf, TandaTangan
from tests.surat.conftest import all_tenants, render_antrean
from tests.ttd.conftest import baca, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _refresh(versi) -> VersiSurat:
    with all_tenants():
        return VersiSurat.objects.select_related("surat").get(pk=versi.pk)


def _sk(versi_list):
    return [v for v in versi_list if v.surat.jenis == "sk"]


def test_the_signer_waits_for_the_paraf_and_a_correction_voids_it(
    alur, kabag, sk_siap, ppk_pk, pejabat_ppk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (versi,) = sk_siap(1)
    with all_tenants():
        # The approver was told when the PDF was ready, and sees it in their queue.
        assert Notifikasi.objects.filter(user=kabag, jenis="ttd", judul__contains=versi.surat.nomor).count() == 1
    with as_user(kabag):
        assert [v.pk for v in services.antrean_paraf(kabag)] == [versi.pk]
    with as_user(ppk_pk):
        assert _sk(services.antrean_ttd(ppk_pk)) == []
        with pytest.raises(services.TtdError, match="belum lengkap parafnya"):
            services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    with as_user(kabag):
        paraf = services.paraf_beri(actor=kabag, versi=versi)
    assert paraf.sha256 == versi.sha256 and paraf.user == kabag and paraf.created_at
    with all_tenants():
        assert Notifikasi.objects.filter(user=ppk_pk, jenis="ttd", judul__startswith="Siap ditandatangani").exists()
    # The PPK corrects the SK: version 2 has no paraf; the old one does not count.
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=versi.surat, alasan="TMT keliru")
    render_antrean()
    v2 = _refresh(v2)
    with all_tenants():
        assert Paraf.objects.filter(versi=versi).count() == 1  # kept as history
        assert services.paraf_sah(v2) == {} and not services.paraf_lengkap(v2)
    with as_user(ppk_pk):
        assert _sk(services.antrean_ttd(ppk_pk)) == []
        with pytest.raises(services.TtdError, match="sudah digantikan"):
            services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
        with pytest.raises(services.TtdError, match="belum lengkap parafnya"):
            services.minta_tandatangan(actor=ppk_pk, versi_ids=[v2.pk])
    with as_user(kabag):
        with pytest.raises(services.TtdError, match="versi yang lebih baru"):
            services.paraf_beri(actor=kabag, versi=_refresh(versi))
        services.paraf_beri(actor=kabag, versi=v2)
    with as_user(ppk_pk):
        assert [v.pk for v in _sk(services.antrean_ttd(ppk_pk))] == [v2.pk]
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[v2.pk])
    assert ttd_antrean() == 1
    assert _refresh(v2).ttd_berkas


def test_no_signed_copy_or_scan_is_uploaded_before_the_paraf_chain_is_complete(
    alur, kabag, sk_siap, ppk_pk, pejabat_ppk, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from apps.pengusulan.domain import Status
    from apps.pengusulan.models import Usulan
    from tests.pdfs import pindaian

    (versi,) = sk_siap(1)
    scan = pindaian(baca(versi.berkas))

    def unggah():
        with as_user(ppk_pk):
            return services.unggah_salinan(
                actor=ppk_pk, versi=_refresh(versi), alasan_manual="Keadaan kahar: server TTE mati (seed 001).",
                upload=SimpleUploadedFile("pindaian.pdf", scan, content_type="application/pdf"),
            )  # fmt: skip

    # The SK page offers no upload form before the chain is complete, and says why.
    client.force_login(ppk_pk)
    html = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    assert 'data-testid="unggah-ttd"' not in html and 'data-testid="unggah-menunggu-paraf"' in html
    assert "menunggu paraf Kabag Kepegawaian" in html
    with pytest.raises(services.TtdError, match="belum lengkap: menunggu paraf Kabag Kepegawaian"):
        unggah()
    with all_tenants():
        assert not TandaTangan.objects.filter(versi=versi).exists() and not _refresh(versi).ttd_berkas
        assert Usulan.objects.get(surat_baris__surat=versi.surat).status == Status.DIREKOMENDASIKAN
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=versi)
    html = client.get(reverse("surat:detail", args=[versi.surat_id])).content.decode()
    assert 'data-testid="unggah-ttd"' in html and 'data-testid="unggah-menunggu-paraf"' not in html
    assert unggah().cara == "manual"
    with all_tenants():
        assert Usulan.objects.get(surat_baris__surat=versi.surat).status == Status.SK_TERBIT


def test_only_the_next_approver_gives_the_paraf(alur, kabag, sk_siap, ppk_pk, pejabat_ppk):
    from django.core.exceptions import PermissionDenied

    (versi,) = sk_siap(1)
    with as_user(ppk_pk), pytest.raises(PermissionDenied):
        services.paraf_beri(actor=ppk_pk, versi=versi)


def _sk_lagi(asli, ppk_pk, n: int) -> None:
    """``n`` more SKs like ``asli`` (same issuer, signer and content), numbered by the real services."""
    from django.db import transaction

    with as_user(ppk_pk), transaction.atomic():
        for _i in range(n):
            surat = surat_services._create(
                jenis="sk", penerbit=asli.surat.penerbit, instansi_id=asli.surat.instansi_id, jf=asli.surat.jf,
                tanggal=asli.surat.tanggal, perihal=asli.surat.perihal, actor=ppk_pk,
                penandatangan=(asli.surat.penandatangan_nama, asli.surat.penandatangan_jabatan,
                               asli.surat.penandatangan_nip),
                tmt=asli.surat.tmt, rekomendasi=asli.surat.rekomendasi,
            )  # fmt: skip
            surat_services._versi(surat, dict(asli.isi, nomor=surat.nomor), actor=ppk_pk)


def test_a_batch_of_fifty_sks_signs_with_progress(sk_siap, ppk_pk, pejabat_ppk):
    (asli,) = sk_siap(1)
    # 49 more SKs of the same issuer, numbered and rendered by the real services and worker.
    _sk_lagi(asli, ppk_pk, 49)
    assert render_antrean() == 49
    with as_user(ppk_pk):
        antre = _sk(services.antrean_ttd(ppk_pk))  # (the PAK waits for the PPK's signature too)
        assert len(antre) == 50
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[v.pk for v in antre])
        assert services.progress(batch) == {
            "total": 50, "selesai": 0, "gagal": 0, "proses": 50, "persen": 0, "alasan_sama": ""
        }  # fmt: skip
    from apps.core.models import OutboxMessage
    from apps.ttd.tasks import tandatangani

    with all_tenants():
        messages = list(OutboxMessage.objects.filter(task_name="ttd.tandatangani").order_by("created_at"))
    # The row's id and whether a passphrase is to be forgotten at the end (none for the portal's key).
    assert len(messages) == 50
    assert all(m.queue == "ttd" and m.kwargs == {"ttd_id": m.kwargs["ttd_id"], "bersihkan": False} for m in messages)
    for m in messages[:20]:
        tandatangani.apply(kwargs=m.kwargs, task_id=str(m.id), throw=True)
    with as_user(ppk_pk):
        assert services.progress(batch)["selesai"] == 20 and services.progress(batch)["persen"] == 40
    for m in messages[20:]:
        tandatangani.apply(kwargs=m.kwargs, task_id=str(m.id), throw=True)
    with as_user(ppk_pk):
        assert services.progress(batch) == {
            "total": 50, "selesai": 50, "gagal": 0, "proses": 0, "persen": 100, "alasan_sama": ""
        }  # fmt: skip
    with all_tenants():
        rows = list(TandaTangan.objects.filter(batch=batch).select_related("versi"))
        assert len({r.versi_id for r in rows}) == 50
        for r in rows[:3]:
            data = baca(r.versi.ttd_berkas)
            assert data.startswith(baca(r.versi.berkas))
            assert len(PdfFileReader(io.BytesIO(data)).embedded_regular_signatures) == 1


def test_a_killed_worker_never_makes_two_signed_versions(sk_siap, ppk_pk, pejabat_ppk, monkeypatch):
    from apps.core.models import OutboxMessage
    from apps.ttd import tasks

    (versi,) = sk_siap(1)
    with as_user(ppk_pk):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    with all_tenants():
        message = OutboxMessage.objects.get(task_name="ttd.tandatangani")

    real = services._pasang_salinan

    def killed(*args, **kwargs):
        raise SystemExit("worker killed after the signed file was written")

    monkeypatch.setattr(services, "_pasang_salinan", killed)
    with all_tenants(), pytest.raises(SystemExit):
        tasks.tandatangani_satu(message.kwargs["ttd_id"])
    with all_tenants():
        tt = TandaTangan.objects.get(pk=message.kwargs["ttd_id"])
        assert tt.status == "diproses" and not tt.berkas and not _refresh(versi).ttd_berkas
    monkeypatch.setattr(services, "_pasang_salinan", real)
    # The broker redelivers the same message (twice, even): one signed version.
    for _ in range(2):
        tasks.tandatangani.apply(kwargs=message.kwargs, task_id=str(message.id), throw=True)
    with all_tenants():
        rows = list(TandaTangan.objects.filter(versi=versi))
        assert [(r.status, r.percobaan) for r in rows] == [("selesai", 2)]
    data = baca(_refresh(versi).ttd_berkas)
    assert len(PdfFileReader(io.BytesIO(data)).embedded_regular_signatures) == 1


def test_the_sweep_asks_again_for_a_signature_stuck_after_a_lost_worker(sk_siap, ppk_pk, pejabat_ppk):
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.models import OutboxMessage
    from apps.ttd import tasks

    (versi,) = sk_siap(1)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[versi.pk])
    with all_tenants():
        OutboxMessage.objects.filter(task_name="ttd.tandatangani").update(published_at=timezone.now())  # lost
        TandaTangan.objects.filter(batch=batch).update(
            status="diproses", percobaan=1, diproses_at=timezone.now() - timedelta(minutes=20)
        )
        assert tasks.pulihkan_macet() == 1
        assert tasks.pulihkan_macet() == 0  # just asked again: not stuck (yet)
    assert ttd_antrean() == 1
    with all_tenants():
        assert TandaTangan.objects.get(batch=batch).status == "selesai"
        TandaTangan.objects.filter(batch=batch).update(status="diproses", percobaan=6,
                                                       diproses_at=timezone.now() - timedelta(hours=1))  # fmt: skip
        tasks.pulihkan_macet()
        assert TandaTangan.objects.get(batch=batch).status == "gagal"


def test_the_signing_queue_takes_the_same_queries_for_one_letter_or_many(
    sk_siap, ppk_pk, pejabat_ppk, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    (asli,) = sk_siap(1)
    with as_user(ppk_pk), CaptureQueriesContext(connection) as one:
        assert len(_sk(services.antrean_ttd(ppk_pk))) == 1
    _sk_lagi(asli, ppk_pk, 5)
    render_antrean()
    with as_user(ppk_pk), django_assert_num_queries(len(one.captured_queries)):
        assert len(_sk(services.antrean_ttd(ppk_pk))) == 6


def test_a_batch_of_rendered_letters_makes_one_unread_reminder_not_one_per_letter(
    sk_siap, ppk_pk, pejabat_ppk, django_capture_on_commit_callbacks
):
    """Found walking a 40-letter batch: the signer's bell showed 40 notifications (and 40
    e-mails), one per rendered SK. One unread reminder now stands for all of them."""
    with django_capture_on_commit_callbacks(execute=True):
        versi = sk_siap(3, pak_ttd=False)  # each SK and its PAK wait for the same signer
    with all_tenants():
        (n,) = Notifikasi.objects.filter(user=ppk_pk, jenis="ttd", dibaca_at__isnull=True)
    # Each SK and the PAK issued with it: six letters, one reminder listing them all.
    assert n.judul.startswith("Siap ditandatangani:") and "(dan 5 surat lain menunggu)" in n.judul
    assert all(v.surat.nomor in n.isi for v in versi) and sum(b.startswith("- ") for b in n.isi.splitlines()) == 6
