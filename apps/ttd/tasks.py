"""Signing in the worker (queue ``ttd``), requested through the outbox.

Idempotent per signature row, like ``surat.render``: the row and its letter version are locked
while the signature is made, the signed file and the row's ``selesai`` commit together, and a
row already ``selesai`` is skipped. A worker killed mid-signature leaves at most an orphan file
and no row change: the broker redelivers (acks_late + reject_on_worker_lost) and the retry signs
the same bytes again, so a version never gets two signed copies. Signatures of one version (the
berita acara's several) are serialised by the version's row lock; each is an incremental update
over the previous one. A transient failure (TSA or BSrE timeout, 5xx) is retried with backoff,
still under the same row; a final one (wrong passphrase, certificate not active) marks the row
failed with the official's message."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from celery import shared_task
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from apps.core import tenancy

logger = logging.getLogger(__name__)

MAKS_PERCOBAAN = 6
MACET_SETELAH = timedelta(minutes=15)
TRANSIENT = (OperationalError, InterfaceError)


def _tampilan(versi, pejabat, slot: int):
    """The visible block of ``pejabat``'s signature, in the room the letter reserves for them (by
    their NIP; the one signer's room on a letter with one signer)."""
    from apps.surat.models import JenisSurat
    from apps.surat.pdf import url_verifikasi
    from apps.ttd.pades import Tampilan, kunci_ruang

    satu = versi.surat.jenis not in (JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI)
    nama = () if satu else (str(pejabat.user) if pejabat.user else "", pejabat.nama)
    return Tampilan(nama=pejabat.nama, nip=pejabat.nip, jabatan=_jabatan(versi, pejabat),
                    url=url_verifikasi(versi.kode), slot=slot,
                    ruang=kunci_ruang(pejabat.nip, nama=nama, utama=satu))  # fmt: skip


def _jabatan(versi, pejabat) -> str:
    """The title under the signature: on a sidang's berita acara the member's role in the team
    (as the letter's table lists it: Ketua, Sekretaris, Anggota), else the registered jabatan with
    the issuing instansi."""
    from django.db.models import Q
    from django.utils.translation import gettext as _

    from apps.surat.isi import jabatan_kantor

    surat = versi.surat
    if surat.jenis != "berita_acara" or not surat.sidang_id:
        if jabatan := _jabatan_versi(versi, pejabat):
            return jabatan
        # The office as registered, with the issuer where the title does not name it ("Sekretaris
        # Daerah" of Kota Bandung is "Sekretaris Daerah Kota Bandung"), as the SK's signer block.
        return jabatan_kantor(pejabat.jabatan, surat.penerbit.nama)
    user_id = getattr(pejabat, "user_id", None)
    cocok = Q(user_id=user_id) if user_id else Q(pk__in=[])
    if pejabat.nip:
        cocok |= Q(user__nip=pejabat.nip)
    with tenancy.all_tenants(reason="the signer's role in the team of the berita acara being signed"):
        anggota = surat.sidang.tim.anggota.filter(cocok).first()
    if anggota is None:
        return pejabat.jabatan
    return _("%(peran)s Tim Penilai") % {"peran": anggota.get_peran_display()}


def _jabatan_versi(versi, pejabat) -> str:
    """The office the version being signed states above its signer's name (its snapshot's
    ``penandatangan``, as the letter's signer block prints it: a correction may have changed it to
    "Sekretaris Daerah Kota Bandung (Plh.)"), on a letter with one signer whose stated NIP is this
    official's (or states none); "" otherwise (the registered office is used)."""
    from apps.surat.models import JenisSurat

    if versi.surat.jenis in (JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI):
        return ""
    ttd = (versi.isi or {}).get("penandatangan") or {}
    if not isinstance(ttd, dict):
        return ""
    jabatan = str(ttd.get("jabatan") or "").strip()
    nip = "".join(str(ttd.get("nip") or "").split())
    if nip and nip != "".join((pejabat.nip or "").split()):
        return ""
    return jabatan


def tandatangani_satu(ttd_id: int, *, passphrase_of=None, tanda_terima: str = "") -> str:
    """Make the signature of one row (the task body; also called by the benchmark).

    Eight queries in two transactions when the letter needs no state change (test
    ``tests/ttd/test_biaya_ttd.py``): the row marked in progress in one statement; then the
    version locked with its letter, issuer and paraf chain snapshot, the version's signature rows
    locked in one query (this one, the earlier signatures to sign over, any uploaded copy), the
    parafs, the completeness check (and what it does), the signed row and the version's copy
    written.

    ``tanda_terima``: the outbox receipt key of this request (:func:`apps.core.outbox.receipt_key`),
    written with the signature in the same transaction — as ``outbox.idempotent`` does — so the
    worker does not open a third transaction after the task for it (the task_postrun hook skips
    a request that wrote its own)."""
    from django.db.models import F
    from django.utils.functional import SimpleLazyObject

    from apps.surat.models import VersiSurat
    from apps.ttd import pades, penanda, rahasia, services, validasi
    from apps.ttd.models import TandaTangan

    selesai = TandaTangan.Status.SELESAI
    marked = (
        TandaTangan.objects.filter(pk=ttd_id)
        .exclude(status__in=[selesai, TandaTangan.Status.GAGAL])
        .update(status=TandaTangan.Status.DIPROSES, percobaan=F("percobaan") + 1, diproses_at=timezone.now())
    )
    if not marked:
        return "sudah" if TandaTangan.objects.filter(pk=ttd_id).exists() else "hilang"
    with transaction.atomic():
        # The version first (serialises the signatures of one letter), then its signature rows.
        versi = (
            VersiSurat.objects.select_for_update(of=("self",))
            .select_related("surat", "surat__penerbit", "alur_paraf")  # the chain it was issued with
            .get(pk=TandaTangan.objects.filter(pk=ttd_id).values("versi_id")[:1])
        )
        rows = list(
            TandaTangan.objects.select_for_update(of=("self",))
            .select_related("pejabat", "pejabat__user")
            .filter(versi_id=versi.pk)
        )
        tt = next(r for r in rows if r.pk == ttd_id)
        if tt.status == selesai:
            return "sudah"
        pejabat = tt.pejabat
        alasan = services.alasan_tidak_bisa_saat_ttd(versi, tt, rows=rows)
        if alasan:
            raise penanda.TtdError(alasan)
        sebelumnya = sorted((r for r in rows if r.status == selesai and r.pk != tt.pk), key=lambda r: r.selesai_at)
        dasar = services._isi(sebelumnya[-1].berkas if sebelumnya else versi.berkas)
        backend = penanda.backend_for(pejabat)
        passphrase = None
        if backend.butuh_passphrase:
            passphrase = (passphrase_of or rahasia.ambil)(tt.batch_id) if tt.batch_id else None
        from apps.core import metrik

        with metrik.ukur_tanda_tangan(versi.surat.jenis):  # siaks_pdf_signing_seconds
            signed = backend.tandatangani(
                dasar, pejabat=pejabat, tampilan=_tampilan(versi, pejabat, len(sebelumnya)),
                field_name=pades.nama_field(pejabat.pk), passphrase=passphrase,
                alasan=services.alasan_ttd(versi),
                lokasi=versi.surat.penerbit.nama,
            )  # fmt: skip
        del passphrase
        # Stored only when it validates: a timestamp from a TSA that does not chain to the trust
        # roots (another portal's test TSA, a misconfigured one) would make a letter "signed" whose
        # copy every validator refuses. The chains are checked once per certificate and process.
        if masalah := validasi.masalah_ttd_baru(services.cms_terakhir(signed), tsa=backend.nama_tsa()):
            raise penanda.TtdError(masalah, seluruh_batch=True)
        info = services.identitas_ttd_terakhir(signed)
        _cek_penanda(info, pejabat)
        tt.penandatangan_nama = (info.get("nama") or pejabat.nama)[:200]
        tt.penandatangan_nip = info.get("nip") or pejabat.nip
        tt.penandatangan_nik = info.get("nik") or pejabat.nik
        tt.sidik_jari = info.get("sidik_jari", "")
        tt.waktu_ttd = info.get("waktu")
        tt.status = TandaTangan.Status.SELESAI
        tt.selesai_at = timezone.now()
        tt.galat = ""
        # What the complete signature does comes first (an SK's usulan reach "SK terbit", which
        # opens the holder's record): a domain refusal there (the NIP already an active pejabat
        # fungsional elsewhere) raises before any file is stored, and the transaction keeps nothing
        # (the task fails the row with that reason: :func:`pesan_penolakan`). The requester is read
        # only if an usulan moves.
        actor = SimpleLazyObject(lambda: tt.dibuat_oleh) if tt.dibuat_oleh_id else None
        services.terbitkan_bila_lengkap(versi, actor=actor, ttd=[r for r in rows if r.status == selesai])
        tt.berkas.save("ttd.pdf", ContentFile(signed), save=False)
        tt.sha256 = hashlib.sha256(signed).hexdigest()
        tt.ukuran = len(signed)
        tt.save(update_fields=[
            "berkas", "sha256", "ukuran", "penandatangan_nama", "penandatangan_nip", "penandatangan_nik",
            "sidik_jari", "waktu_ttd", "status", "selesai_at", "galat",
        ])  # fmt: skip
        from apps.ttd.ringkasan import SUFIKS_TTE

        nama = f"{versi.surat.label_jenis()} {versi.surat.nomor} v{versi.versi}{SUFIKS_TTE}".replace("/", "-")
        services._pasang_salinan(versi, tt, nama=nama, actor=tt.dibuat_oleh_id)
        if tanda_terima:
            from apps.core.models import TaskReceipt

            TaskReceipt.objects.bulk_create(
                [TaskReceipt(key=tanda_terima, task_name="ttd.tandatangani")], ignore_conflicts=True
            )
    return "selesai"


def tunggu_pak(ttd_id: int, pak: list[int]) -> None:
    """An SK signed in the batch that signs its PAK first (:func:`apps.ttd.services._minta`): a
    :class:`TtdError` while a PAK row of the batch is not signed — to retry (``sementara``) while
    it is queued or in progress, final when it failed. One query."""
    from django.utils.translation import gettext as _

    from apps.ttd.models import TandaTangan
    from apps.ttd.penanda import TtdError

    rows = list(
        TandaTangan.objects.filter(pk__in=[*pak, ttd_id])
        .exclude(pk__in=pak, status=TandaTangan.Status.SELESAI)
        .values_list("pk", "status", "versi__surat__nomor")
    )
    nomor_sk = next((n for pk, _s, n in rows if pk == ttd_id), "-")
    belum = [(s, n) for pk, s, n in rows if pk != ttd_id]
    if not belum:
        return
    gagal = sorted({n for s, n in belum if s == TandaTangan.Status.GAGAL})
    if gagal:
        raise TtdError(
            _(
                "Surat %(n)s tidak ditandatangani: Penetapan Angka Kredit %(p)s yang disebut SK ini gagal "
                "ditandatangani dalam batch yang sama. PAK ditandatangani lebih dahulu, baru SK: tandatangani lagi "
                "PAK tersebut, lalu SK ini."
            )
            % {"n": nomor_sk, "p": ", ".join(gagal)}
        )
    raise TtdError(
        _(
            "Surat %(n)s belum ditandatangani: menunggu Penetapan Angka Kredit %(p)s yang disebut SK ini selesai "
            "ditandatangani lebih dahulu dalam batch yang sama."
        )
        % {"n": nomor_sk, "p": ", ".join(sorted({n for _s, n in belum}))},
        sementara=True,
    )


def pesan_penolakan(ttd_id: int, exc: ValidationError) -> str:
    """The official's message for a signature a domain service refused (``exc``: a
    :class:`ValidationError` of a service the signing triggers, e.g. "SK terbit" refusing a
    second active record of one NIP): the letter, the service's reasons as they are, that nothing
    was stored, and that signing again changes nothing until the cause is dealt with."""
    from django.utils.translation import gettext as _

    from apps.ttd.models import TandaTangan

    nomor = TandaTangan.objects.filter(pk=ttd_id).values_list("versi__surat__nomor", flat=True).first() or "-"
    return _(
        "Surat %(n)s tidak ditandatangani: %(a)s Tanda tangan tidak disimpan dan surat tetap belum "
        "ditandatangani. Menandatangani ulang tidak akan berhasil sebelum masalah ini diselesaikan."
    ) % {"n": nomor, "a": " ".join(_kalimat(m) for m in exc.messages)}


def _kalimat(teks: str) -> str:
    teks = teks.strip()
    return teks if teks.endswith((".", "!", "?")) else teks + "."


def _cek_penanda(info: dict, pejabat) -> None:
    """The signature just made is the official's: its certificate names them (the same person by
    name) and identifies them by NIP, NIK or a registered fingerprint. A backend answering with
    another person's certificate (a BSrE NIK registered for the wrong official) is refused before
    anything is stored, for the whole batch (every letter would be signed by that certificate)."""
    from django.utils.translation import gettext as _

    from apps.ttd.penanda import TtdError
    from apps.ttd.validasi import nama_sama

    nama = info.get("nama") or ""
    dikenali = (
        (pejabat.nip and info.get("nip") == pejabat.nip)
        or (pejabat.nik and info.get("nik") == pejabat.nik)
        or (info.get("sidik_jari") and info.get("sidik_jari") == (pejabat.sidik_jari or "").lower())
    )
    if (nama and not nama_sama(nama, pejabat.nama)) or not (dikenali or nama_sama(nama, pejabat.nama)):
        raise TtdError(
            _(
                "Sertifikat yang dipakai atas nama %(c)s, bukan %(p)s: tanda tangan tidak disimpan. Periksa NIK/"
                "sertifikat pejabat ini di halaman pejabat penanda tangan."
            )
            % {"c": nama or "-", "p": pejabat.nama},
            seluruh_batch=True,
        )


def _gagal(ttd_id: int, pesan: str) -> None:
    from apps.ttd.models import TandaTangan

    with transaction.atomic():
        TandaTangan.objects.filter(pk=ttd_id).exclude(status=TandaTangan.Status.SELESAI).update(
            status=TandaTangan.Status.GAGAL, galat=pesan[:2000]
        )


def _kembali_antre(ttd_id: int, pesan: str) -> None:
    from apps.ttd.models import TandaTangan

    with transaction.atomic():
        TandaTangan.objects.filter(pk=ttd_id, status=TandaTangan.Status.DIPROSES).update(
            status=TandaTangan.Status.ANTREAN, galat=pesan[:2000]
        )


def _gagalkan_sisa_batch(ttd_id: int, pesan: str) -> int:
    """The official's error (wrong passphrase, certificate not accepted): the batch's letters not
    yet taken by a worker fail now with the same message, and the passphrase is forgotten. Their
    queued requests find the rows failed and do nothing. Returns how many rows were failed."""
    from apps.ttd import rahasia
    from apps.ttd.models import TandaTangan

    batch_id = TandaTangan.objects.filter(pk=ttd_id).values_list("batch_id", flat=True).first()
    if batch_id is None:
        return 0
    with transaction.atomic():
        n = TandaTangan.objects.filter(batch_id=batch_id, status=TandaTangan.Status.ANTREAN).update(
            status=TandaTangan.Status.GAGAL, galat=pesan[:2000]
        )
    rahasia.hapus(batch_id)
    return n


def _selesaikan_batch(ttd_id: int) -> None:
    """No letter of the batch left to sign: forget the passphrase now rather than at its TTL."""
    from django.db.models import Exists, OuterRef

    from apps.ttd import rahasia
    from apps.ttd.models import TandaTangan

    sisa = TandaTangan.objects.filter(
        batch_id=OuterRef("batch_id"), status__in=[TandaTangan.Status.ANTREAN, TandaTangan.Status.DIPROSES]
    )
    row = (
        TandaTangan.objects.filter(pk=ttd_id, batch__isnull=False)
        .annotate(sisa=Exists(sisa))
        .values("batch_id", "sisa")
        .first()
    )
    if row and not row["sisa"]:
        rahasia.hapus(row["batch_id"])


@shared_task(
    bind=True, name="ttd.tandatangani", acks_late=True, reject_on_worker_lost=True, soft_time_limit=120,
    time_limit=180, max_retries=MAKS_PERCOBAAN,
)  # fmt: skip
def tandatangani(self, ttd_id: int, bersihkan: bool = True, pak: list[int] | None = None) -> str:
    """``bersihkan``: the batch holds a BSrE passphrase, forgotten once its last letter is done
    (a flag from the request; a message without it — the recovery sweep's — checks anyway). A
    batch signed with the portal's key holds none: its signatures skip that query and its
    transaction. ``pak``: the signature rows, in the same batch, of the PAK this SK cites: the SK
    is signed once they are (seed 004), waits while they are in progress, and fails with the
    reason if one failed (:func:`tunggu_pak`)."""
    from apps.ttd.penanda import TtdError

    with tenancy.all_tenants(reason="the signing worker signs letters of every instansi"):
        from apps.core.outbox import receipt_key

        kunci = receipt_key(self.name, self.request.id) if self.request.id else ""
        self.request.siaks_tanda_terima = False
        try:
            if pak:
                tunggu_pak(ttd_id, pak)
            hasil = tandatangani_satu(ttd_id, tanda_terima=kunci)
            # Its receipt committed with the signature: the task_postrun hook writes none.
            self.request.siaks_tanda_terima = hasil == "selesai" and bool(kunci)
        except TtdError as exc:
            if exc.sementara and self.request.retries < MAKS_PERCOBAAN:
                _kembali_antre(ttd_id, exc.pesan)
                logger.warning("ttd %s: transient failure, retrying", ttd_id)
                raise self.retry(countdown=min(120, 2 * 2**self.request.retries)) from None
            _gagal(ttd_id, exc.akhir if exc.sementara else exc.pesan)
            if exc.seluruh_batch:
                n = _gagalkan_sisa_batch(ttd_id, exc.pesan)
                logger.warning("ttd %s: the official's error; %d more letters of the batch failed with it", ttd_id, n)
            hasil = "gagal"
        except ValidationError as exc:
            # A domain refusal of a service the signing triggers: final (signing again changes
            # nothing), with its reason for the official; the letter stays unsigned.
            logger.info("ttd %s: refused by a domain rule (%s)", ttd_id, type(exc).__name__)
            _gagal(ttd_id, pesan_penolakan(ttd_id, exc))
            hasil = "gagal"
        except TRANSIENT as exc:
            _kembali_antre(ttd_id, "Basis data sementara tidak tersedia.")
            raise self.retry(exc=exc, countdown=min(120, 2 * 2**self.request.retries)) from None
        except Exception as exc:
            logger.exception("ttd %s: signing failed (%s)", ttd_id, type(exc).__name__)
            _gagal(ttd_id, "Penandatanganan gagal karena kesalahan sistem; coba lagi atau hubungi admin.")
            hasil = "gagal"
        if bersihkan:
            _selesaikan_batch(ttd_id)
        return hasil


@shared_task(name="ttd.pulihkan_macet")
def pulihkan_macet() -> int:
    """Ask again for signatures stuck after a lost worker (the broker has not redelivered):
    rows queued or mid-signature for longer than MACET_SETELAH. A duplicate request is harmless
    (the row lock and the ``selesai`` check make it a no-op); after MAKS_PERCOBAAN attempts the
    row fails with a message, and a BSrE passphrase past its TTL fails it with its own."""
    from django.db.models import Q

    from apps.core import outbox
    from apps.ttd import services
    from apps.ttd.models import TandaTangan

    batas = timezone.now() - MACET_SETELAH
    count = 0
    with tenancy.all_tenants(reason="the recovery sweep looks at signatures of every instansi"), transaction.atomic():
        stuck = TandaTangan.objects.select_for_update(skip_locked=True).filter(
            Q(diproses_at__lt=batas) | Q(diproses_at__isnull=True, created_at__lt=batas),
            cara=TandaTangan.Cara.ELEKTRONIK,
            status__in=[TandaTangan.Status.ANTREAN, TandaTangan.Status.DIPROSES],
        )
        for tt in stuck:
            if tt.percobaan >= MAKS_PERCOBAAN:
                tt.status = TandaTangan.Status.GAGAL
                tt.galat = "Penandatanganan gagal setelah beberapa kali percobaan; ulangi dari antrean."
                tt.save(update_fields=["status", "galat"])
                continue
            tt.status = TandaTangan.Status.ANTREAN
            tt.diproses_at = timezone.now()
            tt.save(update_fields=["status", "diproses_at"])
            # An SK still waits for the PAK signed in its batch (seed 004), as first requested.
            pak = services.pak_dalam_batch(tt)
            outbox.enqueue("ttd.tandatangani", queue="ttd", ttd_id=tt.pk, **({"pak": pak} if pak else {}))
            count += 1
    return count
