"""Daily reminders (Celery beat): a perbaikan deadline coming up, a national stage about to
close, penilai with scores pending. Each reminder is sent once (``Pengingat`` keys)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.core import tenancy
from apps.core.format import tgl
from apps.notifikasi.models import Pengingat
from apps.notifikasi.services import notifikasi_buat

#: Days before a deadline on which a reminder goes out.
HARI_SEBELUM = (3, 1)
TAHAP_HARI_SEBELUM = (7, 1)
PENILAIAN_TERTUNDA_HARI = 7


def _sekali(kunci: str) -> bool:
    try:
        with transaction.atomic():
            Pengingat.objects.create(kunci=kunci)
        return True
    except IntegrityError:
        return False


def _users(instansi_id: int, roles: list[str]):
    from apps.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True, memberships__instansi_id=instansi_id, memberships__role__in=roles,
            memberships__is_active=True,
        ).distinct()
    )  # fmt: skip


def perbaikan(on: date) -> int:
    from apps.pengusulan.domain import Status
    from apps.pengusulan.models import Usulan

    sent = 0
    targets = [on + timedelta(days=d) for d in HARI_SEBELUM]
    for u in Usulan.objects.filter(status=Status.PERBAIKAN, tenggat_perbaikan__in=targets).select_related("jf"):
        sisa = (u.tenggat_perbaikan - on).days
        if not _sekali(f"perbaikan:{u.pk}:{u.tenggat_perbaikan}:{sisa}"):
            continue
        users = _users(u.instansi_id, ["pic_instansi"])
        notifikasi_buat(users, jenis="pengingat.perbaikan", usulan_id=u.pk,
             judul=f"Tenggat perbaikan {sisa} hari lagi: {u.pegawai_nama}",
             isi=f"Perbaikan usulan {u.nomor} ({u.jf.nama}) harus diajukan ulang paling lambat "
                 f"{tgl(u.tenggat_perbaikan)}. Setelah tenggat, usulan dapat dinyatakan tidak memenuhi syarat.",
             url_for=reverse("pengusulan:usulan_detail", args=[u.pk]))  # fmt: skip
        sent += len(users)
    return sent


def tahap_ditutup(on: date) -> int:
    """PICs with drafts for a JF whose pengajuan window closes in 7 or 1 days."""
    from django.db.models import Count

    from apps.pengusulan.domain import Status
    from apps.pengusulan.models import Usulan
    from apps.referensi.models import JabatanFungsional

    sent = 0
    for jf in JabatanFungsional.objects.prefetch_related("tahapan"):
        tutup = jf.masa_pengajuan.tutup
        sisa = (tutup - on).days
        if sisa not in TAHAP_HARI_SEBELUM:
            continue
        drafts = Usulan.objects.filter(jf=jf, status__in=[Status.DRAFT, Status.PERBAIKAN]).values("instansi_id")
        for row in drafts.annotate(n=Count("id")):
            if not _sekali(f"tahap:{jf.pk}:{row['instansi_id']}:{tutup}:{sisa}"):
                continue
            users = _users(row["instansi_id"], ["pic_instansi"])
            notifikasi_buat(users, jenis="pengingat.tahap", judul=f"Pengajuan JF {jf.nama} ditutup {sisa} hari lagi",
                 isi=f"Masih ada {row['n']} usulan draf atau perbaikan. Pengajuan ditutup {tgl(tutup)}; setelah itu "
                     "usulan tidak dapat diajukan.",
                 url_for=reverse("pengusulan:dashboard") + "?status=draft")  # fmt: skip
            sent += len(users)
    return sent


def penilaian_tertunda(on: date) -> int:
    """Penilai with an assignment unscored for a week (weekly)."""
    from django.db.models import Count

    from apps.accounts.models import User
    from apps.verifikasi.models import PenugasanPenilai

    batas = on - timedelta(days=PENILAIAN_TERTUNDA_HARI)
    minggu = on.isocalendar()
    rows = (
        PenugasanPenilai.objects.filter(selesai_at__isnull=True, ditugaskan_at__date__lte=batas)
        .values("penilai_id")
        .annotate(n=Count("id"))
    )
    sent = 0
    for row in rows:
        if not _sekali(f"penilai:{row['penilai_id']}:{minggu.year}-{minggu.week}"):
            continue
        notifikasi_buat([User.objects.get(pk=row["penilai_id"])], jenis="pengingat.penilaian",
             judul=f"{row['n']} penilaian menunggu lebih dari {PENILAIAN_TERTUNDA_HARI} hari",
             isi="Nyatakan bebas konflik kepentingan dan kirim nilai agar sidang dapat dijadwalkan.",
             url_for=reverse("verifikasi:penilaian_saya"))  # fmt: skip
        sent += 1
    return sent


def jalankan(on: date) -> dict[str, int]:
    with tenancy.all_tenants(reason="daily reminders look at every instansi's deadlines"):
        return {"perbaikan": perbaikan(on), "tahap": tahap_ditutup(on), "penilaian": penilaian_tertunda(on)}
