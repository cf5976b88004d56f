"""Seed 004: the penetapan angka kredit is signed before the SK that cites it (issue 13). Where
the JF has the SK's signer sign the PAK (JF ``pk``), the SK cannot be signed — singly, in a
batch, through the API, or by an uploaded copy — while the PAK issued with it is unsigned; a
batch holding both signs the PAK first, then the SK."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import JenisSurat, Surat, SuratUsulan, VersiSurat
from apps.ttd import services
from apps.ttd.models import TandaTangan
from tests.surat.conftest import all_tenants, tandatangani_basah
from tests.ttd.conftest import jalankan, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _pak_dari(sk: VersiSurat) -> VersiSurat:
    with all_tenants():
        pak = Surat.objects.get(
            jenis=JenisSurat.PAK, baris__usulan__in=SuratUsulan.objects.filter(surat=sk.surat).values("usulan")
        )
        return VersiSurat.objects.select_related("surat").get(surat=pak, diganti_at__isnull=True)


def _status(versi) -> str:
    with all_tenants():
        return Usulan.objects.get(surat_baris__surat=versi.surat).status


def test_a_single_sk_is_refused_while_its_pak_is_unsigned(sk_siap, ppk_pk, pejabat_ppk):
    (sk,) = sk_siap(1, pak_ttd=False)
    pak = _pak_dari(sk)
    with as_user(ppk_pk), pytest.raises(services.TtdError) as exc:
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[sk.pk])
    pesan = " ".join(exc.value.messages)
    assert pak.surat.nomor in pesan and "PAK ditandatangani lebih dahulu, baru SK" in pesan
    with all_tenants():
        assert not TandaTangan.objects.filter(versi=sk).exists()
        # The letter's page gives the same reason (apps.ttd.templatetags: alasan_tidak_bisa).
        assert pak.surat.nomor in services.alasan_tidak_bisa(VersiSurat.objects.get(pk=sk.pk), pejabat_ppk)


def test_a_batch_with_the_pak_and_the_sk_signs_the_pak_first(sk_siap, ppk_pk, pejabat_ppk):
    (sk,) = sk_siap(1, pak_ttd=False)
    pak = _pak_dari(sk)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[sk.pk, pak.pk])  # SK chosen first
    assert not batch.dilewati
    ttd_antrean()
    with all_tenants():
        rows = {t.versi_id: t for t in TandaTangan.objects.filter(batch=batch)}
        assert {t.status for t in rows.values()} == {TandaTangan.Status.SELESAI}
        # Requested and signed in that order: the PAK's signature is older than the SK's.
        assert rows[pak.pk].pk < rows[sk.pk].pk
        assert rows[pak.pk].selesai_at < rows[sk.pk].selesai_at
        assert rows[pak.pk].waktu_ttd <= rows[sk.pk].waktu_ttd
    assert _status(sk) == Status.SK_TERBIT


def test_the_worker_signs_the_sk_only_after_the_pak_of_its_batch(sk_siap, ppk_pk, pejabat_ppk):
    """Two workers may take the batch's requests at once: the SK's waits (is retried) while the
    PAK is in progress, and fails with the reason when the PAK failed."""
    from apps.core.models import OutboxMessage
    from apps.ttd.penanda import TtdError
    from apps.ttd.tasks import tunggu_pak

    sk1, sk2 = sk_siap(2, pak_ttd=False)
    pak1, pak2 = _pak_dari(sk1), _pak_dari(sk2)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[sk1.pk, sk2.pk, pak1.pk, pak2.pk])
    with all_tenants():
        rows = {t.versi_id: t.pk for t in TandaTangan.objects.filter(batch=batch)}
    pesan = {m.kwargs["ttd_id"]: m for m in OutboxMessage.objects.filter(task_name=services.TASK)}
    # The SK's request names its PAK's row; taken before it, it waits (retried) and stays queued.
    assert pesan[rows[sk1.pk]].kwargs["pak"] == [rows[pak1.pk]]
    with all_tenants(), pytest.raises(TtdError) as exc:
        tunggu_pak(rows[sk1.pk], pesan[rows[sk1.pk]].kwargs["pak"])
    assert exc.value.sementara and pak1.surat.nomor in exc.value.pesan  # retried by the task, later
    with all_tenants():
        assert TandaTangan.objects.get(pk=rows[sk1.pk]).status == TandaTangan.Status.ANTREAN
    assert jalankan(pesan[rows[pak1.pk]]).result == "selesai"
    assert jalankan(pesan[rows[sk1.pk]]).result == "selesai"
    assert _status(sk1) == Status.SK_TERBIT
    # The other PAK failed: its SK is not signed, and says why.
    with all_tenants():
        TandaTangan.objects.filter(pk=rows[pak2.pk]).update(status=TandaTangan.Status.GAGAL, galat="BSrE menolak.")
    assert jalankan(pesan[rows[sk2.pk]], throw=False).result == "gagal"
    with all_tenants():
        gagal = TandaTangan.objects.get(pk=rows[sk2.pk])
    assert gagal.status == TandaTangan.Status.GAGAL and pak2.surat.nomor in gagal.galat
    assert _status(sk2) == Status.DIREKOMENDASIKAN


def test_a_batch_without_the_pak_refuses_only_that_sk(sk_siap, ppk_pk, pejabat_ppk):
    sk1, sk2 = sk_siap(2, pak_ttd=False)
    pak1, pak2 = _pak_dari(sk1), _pak_dari(sk2)
    tandatangani_basah(pak1.surat, ppk_pk)  # the first SK's PAK is signed already
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[sk1.pk, sk2.pk])
    (skip,) = batch.dilewati
    assert skip["versi"] == sk2.pk and pak2.surat.nomor in skip["alasan"]
    ttd_antrean()
    with all_tenants():
        assert list(TandaTangan.objects.filter(batch=batch).values_list("versi_id", "status")) == [
            (sk1.pk, TandaTangan.Status.SELESAI)
        ]
    assert _status(sk1) == Status.SK_TERBIT and _status(sk2) == Status.DIREKOMENDASIKAN


def test_a_signed_copy_of_the_sk_is_refused_while_its_pak_is_unsigned(sk_siap, ppk_pk):
    (sk,) = sk_siap(1, pak_ttd=False)
    pak = _pak_dari(sk)
    with pytest.raises(services.TtdError) as exc:
        tandatangani_basah(sk.surat, ppk_pk)
    assert pak.surat.nomor in " ".join(exc.value.messages)
    tandatangani_basah(pak.surat, ppk_pk)  # the PAK's wet-ink scan (the same fallback), then the SK's
    tandatangani_basah(sk.surat, ppk_pk)
    assert _status(sk) == Status.SK_TERBIT


def test_the_api_refuses_the_sk_alone_and_signs_it_with_its_pak(client, sk_siap, ppk_pk, pejabat_ppk):
    sk1, sk2 = sk_siap(2, pak_ttd=False)
    pak1 = _pak_dari(sk1)
    client.force_login(ppk_pk)
    url = reverse("api:ttd-antrean-list")
    alone = client.post(url, {"versi": [sk1.pk]}, content_type="application/json")
    assert alone.status_code == 400 and pak1.surat.nomor in str(alone.json())
    both = client.post(url, {"versi": [sk1.pk, sk2.pk, pak1.pk]}, content_type="application/json")
    assert both.status_code == 202
    data = both.json()
    assert [d["versi"] for d in data["dilewati"]] == [sk2.pk] and "PAK" in data["dilewati"][0]["alasan"]
    ttd_antrean()
    assert client.get(reverse("api:ttd-batch-detail", args=[data["id"]])).json()["progress"]["selesai"] == 2
    assert _status(sk1) == Status.SK_TERBIT


def test_the_queue_says_which_sk_waits_for_its_pak(client, sk_siap, ppk_pk, pejabat_ppk, instansi_a, kabag):
    """An SK whose PAK waits in the same queue stays selectable (signed after it in the batch); one
    whose PAK waits for someone else (here: the PAK's paraf) shows "Menunggu PAK"."""
    from apps.ttd.models import AlurParaf, LangkahParaf

    with all_tenants():  # the instansi's PAKs take the Kabag's paraf before the PPK signs
        alur = AlurParaf.objects.create(instansi=instansi_a, jenis="pak")
        LangkahParaf.objects.create(instansi=instansi_a, alur=alur, urutan=1, user=kabag, sebutan="Kabag")
    sk1, sk2 = sk_siap(2, pak_ttd=False)
    pak1 = _pak_dari(sk1)
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=pak1)  # the first PAK reaches the PPK's queue
    client.force_login(ppk_pk)
    page = client.get(reverse("ttd:antrean")).content.decode()
    assert f'data-testid="pak-bersama-{sk1.pk}"' in page
    assert "PAK ditandatangani lebih dahulu dalam batch yang sama" in page
    assert f'name="versi" value="{sk1.pk}"' in page
    assert f'data-testid="menunggu-pak-{sk2.pk}"' in page and f'name="versi" value="{sk2.pk}"' not in page
    # The home page counts what can be signed now: the first SK with its PAK, not the second SK.
    with as_user(ppk_pk):
        siap = {v.pk for v in services.menunggu_paraf_ttd(ppk_pk)[1]}
    assert {sk1.pk, pak1.pk} <= siap and sk2.pk not in siap
    beranda = client.get(reverse("portal:beranda")).content.decode()
    assert f"{len(siap)} surat siap Anda tandatangani" in beranda


def test_pak_dalam_antrean_sorts_the_queue_sks_by_where_their_pak_waits(
    sk_siap, ppk_pk, pejabat_ppk, instansi_a, kabag
):
    """The one function the queue page and the home page's counts use (issue 17, helper h17: it
    was computed in both): an SK whose PAK is in the same queue is signed after it in a batch
    (``bersama``); one whose PAK waits for someone else cannot be signed now (``menunggu``, with
    the reason naming the PAK); an SK whose PAK is signed, and the PAK itself, are in neither."""
    from apps.ttd.models import AlurParaf, LangkahParaf

    with all_tenants():
        alur = AlurParaf.objects.create(instansi=instansi_a, jenis="pak")
        LangkahParaf.objects.create(instansi=instansi_a, alur=alur, urutan=1, user=kabag, sebutan="Kabag")
    sk1, sk2, sk3 = sk_siap(3, pak_ttd=False)
    pak1, pak2 = _pak_dari(sk1), _pak_dari(sk2)
    pak3 = _pak_dari(sk3)
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=pak3)
    tandatangani_basah(pak3.surat, ppk_pk)  # the third SK's PAK is signed already
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=pak1)  # the first PAK reaches the PPK's queue
    with as_user(ppk_pk):
        antrean = services.antrean_ttd(ppk_pk)
        assert {sk1.pk, sk2.pk, sk3.pk, pak1.pk} <= {v.pk for v in antrean} and pak2.pk not in {v.pk for v in antrean}
        hasil = services.pak_dalam_antrean(antrean)
    assert hasil.bersama == {sk1.pk}
    assert set(hasil.menunggu) == {sk2.pk}
    assert pak2.surat.nomor in hasil.menunggu[sk2.pk]
    assert services.pak_dalam_antrean([]) == services.PakAntrean(menunggu={}, bersama=frozenset())
