"""Notices about usulan transitions (in the portal and by e-mail), sent by the worker and
requested through the outbox by ``services.pindahkan``."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from apps.core import tenancy
from apps.core.outbox import idempotent

# Who hears of which move (domain.md §1): the pembina's team learns of submissions and results
# it must act on; the instansi's PIC (and the PPK for results and letters) of the pembina's
# decisions. (side, roles) pairs.
PENERIMA: dict[str, list[tuple[str, list[str]]]] = {
    "ajukan": [("pembina", ["verifikator", "admin_pembina"])],
    "batalkan": [("pembina", ["verifikator", "admin_pembina"])],
    "mulai_verifikasi": [("instansi", ["pic_instansi"])],
    "kembalikan": [("instansi", ["pic_instansi"])],
    "tolak": [("instansi", ["pic_instansi", "ppk"])],
    "loloskan_administrasi": [("instansi", ["pic_instansi"]), ("pembina", ["admin_pembina"])],
    "mulai_penilaian": [("instansi", ["pic_instansi"])],
    "nyatakan_lulus": [("instansi", ["pic_instansi", "ppk"]), ("pembina", ["admin_pembina"])],
    "nyatakan_tidak_lulus": [("instansi", ["pic_instansi", "ppk"])],
    "rekomendasikan": [("instansi", ["pic_instansi", "ppk"])],
    "terbitkan_sk": [("instansi", ["pic_instansi"]), ("pembina", ["admin_pembina"])],
}

JUDUL = {
    "ajukan": "Usulan baru dari {instansi}: {nama}",
    "batalkan": "Usulan dibatalkan oleh {instansi}: {nama}",
    "mulai_verifikasi": "Usulan {nama} sedang diverifikasi",
    "kembalikan": "Perlu perbaikan: {nama} (tenggat {tenggat})",
    "tolak": "Tidak memenuhi syarat: {nama}",
    "loloskan_administrasi": "Lulus seleksi administrasi: {nama}",
    "mulai_penilaian": "Penilaian kompetensi dimulai: {nama}",
    "nyatakan_lulus": "Lulus uji kompetensi: {nama}",
    "nyatakan_tidak_lulus": "Tidak lulus uji kompetensi: {nama}",
    "rekomendasikan": "Rekomendasi terbit: {nama}",
    "terbitkan_sk": "SK terbit: {nama}",
}

ISI = {
    "ajukan": "{instansi} mengajukan usulan penyesuaian ke JF {jf}. Silakan lakukan seleksi administrasi.",
    "kembalikan": "Verifikator meminta perbaikan paling lambat {tenggat}. Buka usulan untuk melihat catatan per "
    "dokumen, unggah versi baru, lalu ajukan ulang.",
    "rekomendasikan": "Instansi pembina merekomendasikan pengangkatan. PPK dapat menerbitkan SK di menu "
    "SK pengangkatan.",
    "terbitkan_sk": "PPK {instansi} telah mengunggah SK bertanda tangan.",
}


def _tanggal(d) -> str:
    from apps.surat.isi import tgl

    return tgl(d) if d else "-"


def recipients(usulan, aksi: str, *, kecuali=None) -> list[tuple[object, str]]:
    """(user, url) for everyone who hears of ``aksi`` on ``usulan``; the actor is left out."""
    from apps.accounts.models import Membership

    out, seen = [], set()
    for side, roles in PENERIMA.get(aksi, []):
        instansi_id = usulan.jf.instansi_pembina_id if side == "pembina" else usulan.instansi_id
        memberships = (
            Membership.objects.filter(instansi_id=instansi_id, role__in=roles, is_active=True, user__is_active=True)
            .select_related("user")
            .order_by("user_id", "role")
        )
        for m in memberships:
            if m.user_id in seen or m.user_id == kecuali:
                continue
            seen.add(m.user_id)
            if side == "pembina":
                url = reverse("verifikasi:periksa", args=[usulan.pk])
            elif m.role == "ppk" and aksi == "rekomendasikan":
                url = reverse("surat:ppk")
            else:
                url = reverse("pengusulan:usulan_detail", args=[usulan.pk])
            out.append((m.user, url))
    return out


@shared_task(bind=True, name="pengusulan.kabari_transisi", acks_late=True)
@idempotent
def kabari_transisi(self, usulan_id: int, aksi: str, dari: str = "", oleh: int | None = None) -> int:
    from apps.notifikasi.services import buat
    from apps.pengusulan.models import Usulan

    if aksi == "batalkan" and dari == "draft":
        return 0  # a draft nobody at the pembina has seen
    with tenancy.all_tenants(reason="notification task addresses pembina staff of the usulan's JF"):
        usulan = Usulan.objects.select_related("jf", "instansi", "jenjang").filter(pk=usulan_id).first()
        if usulan is None:
            return 0
        to = recipients(usulan, aksi, kecuali=oleh)
        if not to:
            return 0
        values = {
            "nama": usulan.pegawai_nama, "instansi": usulan.instansi.nama, "jf": usulan.jf.nama,
            "tenggat": _tanggal(usulan.tenggat_perbaikan), "nomor": usulan.nomor,
        }  # fmt: skip
        judul = JUDUL.get(aksi, "Status usulan {nama} berubah").format(**values)
        # The status this move led to (the notice may be sent after later moves).
        from apps.pengusulan.domain import STATUS_LABELS, TRANSITIONS

        status = STATUS_LABELS[TRANSITIONS[aksi].target] if aksi in TRANSITIONS else usulan.status_label
        isi = ISI.get(aksi, "Status usulan menjadi: {status}.").format(**values, status=status)
        isi += f"\n\nNomor usulan: {usulan.nomor}\nJabatan fungsional: {usulan.jf.nama}"
        if usulan.jenjang:
            isi += f" — {usulan.jenjang.nama}"
        urls = {u.pk: url for u, url in to}
        buat([u for u, _url in to], jenis=f"usulan.{aksi}", judul=judul, isi=isi,
             url_for=lambda u: urls[u.pk], usulan_id=usulan.pk)  # fmt: skip
    return len(to)
