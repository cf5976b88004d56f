"""What one signature costs the worker (issue 17, batch throughput): a fixed number of queries,
the portal's key opened once per process, one connection to the TSA per process, and the
signer's identity read from the CMS without parsing the signed PDF again. Speed itself is
measured by bench/ttd_1000.py, not here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import VersiSurat
from apps.ttd import penanda, services, tasks
from apps.ttd.models import Pejabat, TandaTangan
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import PKCS12_PASSPHRASE, baca, jalankan, ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _minta(ppk, versi_list) -> list[int]:
    with as_user(ppk):
        batch = services.minta_tandatangan(actor=ppk, versi_ids=[v.pk for v in versi_list])
    with all_tenants():
        return list(TandaTangan.objects.filter(batch=batch).order_by("pk").values_list("pk", flat=True))


def test_one_signature_takes_eight_queries_of_its_own(sk_siap, ppk_pk, pejabat_ppk, monkeypatch):
    """The signing request as the worker runs it (the outbox message's own arguments), apart from
    the usulan's move to "SK terbit" (alur's business): mark in progress; lock the version (with
    letter, issuer and its paraf chain snapshot); the version's signature rows; the parafs; the
    signed row; the version's copy; the named officials; the SK's usulan. Before: 17, then 10 —
    the chain snapshot read on its own, and a query (in a transaction of its own) whether the
    batch had letters left, made for every signature of a batch signed with the portal's key,
    which holds no passphrase to forget (tests/ttd/test_biaya_ttd.py, helper i17h)."""
    from apps.core.models import AuditLog, OutboxMessage

    (versi,) = sk_siap(1)
    _minta(ppk_pk, [versi])
    (message,) = OutboxMessage.objects.filter(task_name="ttd.tandatangani", published_at__isnull=True)
    alur_queries = []

    def own(captured) -> list[str]:
        return [x["sql"] for x in captured if not x["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]

    def counted(fn):
        def wrapper(*args, **kwargs):
            with CaptureQueriesContext(connection) as inner:
                result = fn(*args, **kwargs)
            alur_queries.append(len(own(inner.captured_queries)))
            return result

        return wrapper

    monkeypatch.setattr(services, "kunci_usulan", counted(services.kunci_usulan))
    monkeypatch.setattr(services, "pindahkan", counted(services.pindahkan))
    with CaptureQueriesContext(connection) as q:
        assert jalankan(message).result == "selesai"
    assert len(alur_queries) == 2  # the SK's one usulan was locked and moved
    sql = own(q.captured_queries)
    # Eight, and the request's outbox receipt written with them (below).
    assert len(sql) - sum(alur_queries) == 8 + 1, [x[:60] for x in sql]
    assert not any(' FROM "ttd_alurversi"' in x for x in sql)  # read with the version
    with all_tenants():
        usulan = Usulan.objects.get(surat_baris__surat=versi.surat)
        assert usulan.status == Status.SK_TERBIT
        # The requester, read lazily for the move, is still the one recorded.
        entry = AuditLog.objects.filter(object_id=str(usulan.pk)).order_by("-id").first()
        assert entry.actor_id == ppk_pk.pk
        versi = VersiSurat.objects.get(pk=versi.pk)
        assert versi.ttd_oleh_id == ppk_pk.pk and versi.ttd_berkas


def test_only_a_batch_holding_a_passphrase_is_checked_for_its_end(sk_siap, ppk_pk, pejabat_ppk, monkeypatch):
    """A passphrase sent for the portal's own key (the API accepts one for any backend) is not
    stored, and its batch's signatures skip the end-of-batch check; a BSrE batch's last signature
    forgets its passphrase (tests/ttd/test_bsre.py signs through the fake BSrE)."""
    from apps.core.models import OutboxMessage
    from apps.ttd import rahasia

    v1, v2 = sk_siap(2)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[v1.pk], passphrase="tidak-dipakai")
    assert rahasia.ambil(batch.pk) is None
    (message,) = OutboxMessage.objects.filter(task_name="ttd.tandatangani", published_at__isnull=True)
    assert message.kwargs == {"ttd_id": message.kwargs["ttd_id"], "bersihkan": False}
    diperiksa = []
    monkeypatch.setattr(tasks, "_selesaikan_batch", lambda ttd_id: diperiksa.append(ttd_id))
    assert jalankan(message).result == "selesai" and diperiksa == []
    OutboxMessage.objects.filter(pk=message.pk).update(published_at=message.created_at)
    # A message without the flag (the recovery sweep's, or one queued before it) still checks.
    with all_tenants():
        tt = TandaTangan.objects.get(versi=v1)
    assert tasks.tandatangani.apply(kwargs={"ttd_id": tt.pk}).result == "sudah" and diperiksa == [tt.pk]
    # The flag is set when a passphrase is held: a BSrE official's batch.
    monkeypatch.setattr(penanda.Pkcs12Backend, "butuh_passphrase", True)
    with as_user(ppk_pk):
        batch = services.minta_tandatangan(actor=ppk_pk, versi_ids=[v2.pk], passphrase="rahasia-bsre")
    assert rahasia.ambil(batch.pk) == "rahasia-bsre"
    (message,) = OutboxMessage.objects.filter(task_name="ttd.tandatangani", published_at__isnull=True)
    assert message.kwargs["bersihkan"] is True
    rahasia.hapus(batch.pk)


def test_the_portal_key_is_opened_once_per_worker_process(sk_siap, ppk_pk, pejabat_ppk, ca, monkeypatch):
    """The PKCS#12 stays encrypted in the database; the worker decrypts it once and keeps the
    signer in memory (it re-opens only a different archive, e.g. a renewed certificate)."""
    from pyhanko.sign import signers

    penanda._simple_signer.cache_clear()
    opened = []
    real = signers.SimpleSigner.load_pkcs12_data

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(signers.SimpleSigner, "load_pkcs12_data", staticmethod(counting))
    v1, v2, v3 = sk_siap(3)
    _minta(ppk_pk, [v1, v2])
    assert ttd_antrean() == 2
    assert len(opened) == 1
    # Encrypted at rest: the stored archive does not open without the passphrase from the environment.
    with all_tenants():
        blob = bytes(Pejabat.objects.get(pk=pejabat_ppk.pk).pkcs12)
    with pytest.raises(ValueError):
        real(blob, [], None)
    real(blob, [], PKCS12_PASSPHRASE.encode())
    # A renewed certificate (a new archive) is opened and used at once.
    baru = ca.pejabat(pejabat_ppk.nama, nip=pejabat_ppk.nip, nik=pejabat_ppk.nik)
    with all_tenants():
        Pejabat.objects.filter(pk=pejabat_ppk.pk).update(pkcs12=baru.pkcs12(PKCS12_PASSPHRASE.encode()),
                                                         sidik_jari=baru.sidik_jari)  # fmt: skip
    _minta(ppk_pk, [v3])
    assert ttd_antrean() == 1
    assert len(opened) == 2
    with all_tenants():
        tt = TandaTangan.objects.get(versi=v3)
    assert tt.status == "selesai" and tt.sidik_jari == baru.sidik_jari


def test_the_tsa_client_keeps_one_connection_per_process(sk_siap, ppk_pk, pejabat_ppk, tsa, monkeypatch):
    """pyHanko's HTTP client opened a session (and built a TLS context) for every signature; the
    worker's client keeps one per process, and a forked child never reuses its parent's."""
    v1, v2, v3 = sk_siap(3)
    first = penanda.timestamper()
    assert penanda.timestamper() is first
    tokens, connections = tsa.jumlah, tsa.koneksi
    _minta(ppk_pk, [v1, v2, v3])
    assert ttd_antrean() == 3
    assert tsa.jumlah - tokens == 3
    assert tsa.koneksi - connections <= 1
    monkeypatch.setattr(penanda.os, "getpid", lambda: -1)  # as in a pool child after fork
    assert penanda.timestamper() is not first


def test_a_dead_tsa_is_a_transient_failure_with_its_message(sk_siap, ppk_pk, pejabat_ppk, settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.SIAKS_TTD_TSA_URL = f"http://127.0.0.1:{port}/tsa"
    (versi,) = sk_siap(1)
    (ttd_id,) = _minta(ppk_pk, [versi])
    with all_tenants(), pytest.raises(penanda.TtdError) as exc:
        tasks.tandatangani_satu(ttd_id)
    assert exc.value.sementara and "cap waktu" in exc.value.pesan
    with all_tenants():
        assert TandaTangan.objects.get(pk=ttd_id).status == "diproses"  # not signed, retried later


def test_the_signer_is_read_from_the_cms_without_parsing_the_pdf_again(sk_siap, ppk_pk, pejabat_ppk):
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    (versi,) = sk_siap(1)
    _minta(ppk_pk, [versi])
    assert ttd_antrean() == 1
    with all_tenants():
        signed = baca(VersiSurat.objects.get(pk=versi.pk).ttd_berkas)
    sig = PdfFileReader(io.BytesIO(signed), strict=False).embedded_regular_signatures[-1]
    assert services._cms_terakhir(signed).dump() == sig.signed_data.dump()
    info = services.identitas_ttd_terakhir(signed)
    assert info["nip"] == pejabat_ppk.nip and info["nik"] == pejabat_ppk.nik and info["waktu"] is not None
    assert info["sidik_jari"] == sig.signer_cert.sha256.hex()
    # Anything after the signature, or no signature at all: the reader's way, same answer.
    assert services._cms_terakhir(signed + b"\n% tambahan\n") is None
    assert services.identitas_ttd_terakhir(signed + b"\n% tambahan\n") == info
    assert services._cms_terakhir(baca(versi.berkas)) is None


def test_the_blocks_qr_code_is_drawn_without_a_png_round_trip(sk_siap, ppk_pk, pejabat_ppk, monkeypatch):
    """The QR code of the visible block was encoded as a PNG and decoded again for every
    signature; it is now drawn from the code's modules, pixel for pixel the same picture."""
    import io

    from PIL import Image, ImageChops

    from apps.ttd import pades

    url = "https://siaks.example/v/ABCD-EFGH-JKLM/"
    png = Image.open(io.BytesIO(pades.gambar_qr(url))).convert("L")
    pil = pades.gambar_qr_pil(url)
    assert pil.mode == "L" and pil.size == png.size and ImageChops.difference(pil, png).getbbox() is None

    def tanpa_png(url):
        raise AssertionError("PNG encoded on the signing path")

    monkeypatch.setattr(pades, "gambar_qr", tanpa_png)
    (versi,) = sk_siap(1)
    _minta(ppk_pk, [versi])
    assert ttd_antrean() == 1
    with all_tenants():
        assert TandaTangan.objects.get(versi=versi).status == "selesai"


def test_the_receipt_is_written_with_the_signature_not_in_a_transaction_after_it(sk_siap, ppk_pk, pejabat_ppk):
    """Every outbox task leaves a receipt (apps.core.tasks' task_postrun hook: a lookup of the
    message and an insert, in a transaction of its own after the task). The signing request
    writes its receipt in the signing transaction, so the hook has nothing left to do; a request
    that did not sign (here: the row signed already) still gets its receipt from the hook."""
    import apps.core.tasks  # noqa: F401 — the receipt hook, connected as in the worker
    from apps.core.models import OutboxMessage, TaskReceipt
    from apps.core.outbox import receipt_key

    (versi,) = sk_siap(1)
    _minta(ppk_pk, [versi])
    (message,) = OutboxMessage.objects.filter(task_name="ttd.tandatangani", published_at__isnull=True)
    with CaptureQueriesContext(connection) as q:
        assert jalankan(message).result == "selesai"
    sql = [x["sql"] for x in q.captured_queries]
    assert sum('"core_taskreceipt"' in x for x in sql) == 1
    # (The SK's move to "SK terbit" enqueues its notices: INSERTs into the outbox, not this lookup.)
    assert not any(x.startswith("SELECT") and '"core_outboxmessage"' in x for x in sql), "the hook ran again"
    assert TaskReceipt.objects.filter(key=receipt_key("ttd.tandatangani", message.id)).exists()
    # Delivered again (a redelivery): nothing signed, the hook writes (finds) the receipt.
    TaskReceipt.objects.all().delete()
    assert jalankan(message).result == "sudah"
    assert TaskReceipt.objects.filter(key=receipt_key("ttd.tandatangani", message.id)).exists()
