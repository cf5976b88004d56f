from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions
from apps.accounts.models import STAF_PEMBINA


def navigation(request) -> dict:
    """The menu a user sees: only what their roles can use. Daily work is in the bar; the
    administration pages (audit log, instansi, users) sit in one "Kelola" menu so the bar fits
    on one line for the busiest role (admin pembina)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_kelola": []}
    items = [
        (_("Beranda"), reverse("portal:beranda"), "house"),
        (_("Jabatan fungsional"), reverse("referensi:jf_list"), "journal-text"),
    ]
    if permissions.can_view_instansi_data(user):
        items.append((_("Usulan"), reverse("pengusulan:dashboard"), "folder2-open"))
        items.append((_("Pegawai"), reverse("pengusulan:pegawai_list"), "people"))
        items.append((_("Formasi"), reverse("pengusulan:formasi"), "diagram-3"))
        items.append((_("Angka kredit"), reverse("jabatan:daftar"), "award"))
    if permissions.has_role(user, "ppk"):
        items.append((_("SK pengangkatan"), reverse("surat:ppk"), "file-earmark-check"))
    if permissions.has_role(user, *STAF_PEMBINA):
        items.append((_("Kotak masuk"), reverse("verifikasi:inbox"), "inbox"))
        items.append((_("Rekap"), reverse("rekap:nasional"), "bar-chart"))
    if permissions.has_role(user, "admin_pembina"):
        items.append((_("Rekomendasi"), reverse("surat:rekomendasi"), "send-check"))
    if permissions.has_role(user, "pic_instansi", "ppk", "verifikator", "admin_pembina", "ketua_tim"):
        items.append((_("Surat"), reverse("surat:daftar"), "file-earmark-text"))
    from apps.ttd.services import punya_tugas_ttd

    if punya_tugas_ttd(user):  # approvers and signing officials: their paraf and signature queue
        items.append((_("Paraf & TTE"), reverse("ttd:antrean"), "pen"))
    if permissions.has_role(user, "admin_pembina", "ketua_tim", "penilai", "verifikator"):
        items.append((_("Tim penilai"), reverse("verifikasi:tim_list"), "people-fill"))
    if permissions.has_role(user, "penilai", "ketua_tim"):
        items.append((_("Penilaian saya"), reverse("verifikasi:penilaian_saya"), "clipboard-check"))
    if permissions.has_role(user, "pejabat_fungsional"):
        items.append((_("Jabatan saya"), reverse("saya:beranda"), "person-badge"))
    if permissions.has_role(user, "pic_instansi", "sekretariat_tim", "penilai_ak"):
        # The usulan penetapan angka kredit (apps.penetapan): the PIC submits, the sekretariat
        # checks, the team's members assess.
        items.append((_("Penetapan AK"), reverse("penetapan:daftar"), "clipboard-data"))
    if permissions.has_role(user, "sekretariat_tim", "penilai_ak"):
        items.append((_("Sidang AK"), reverse("penetapan:sidang_daftar"), "people"))
        # The team's PAK and HAPAK: the sekretariat's paraf, the ketua's signature on the HAPAK.
        items.append((_("PAK/HAPAK tim"), reverse("penetapan:surat_tim"), "file-earmark-text"))
    kelola = []
    if permissions.is_superadmin(user) or permissions.can_configure_jf(user):
        kelola.append((_("Log audit"), reverse("portal:audit_log"), "shield-lock"))
    if permissions.can_manage_instansi(user):
        kelola.append((_("Instansi"), reverse("portal:instansi_list"), "building"))
        kelola.append((_("Pesan outbox gagal"), reverse("portal:outbox_mati"), "envelope-exclamation"))
    if permissions.is_superadmin(user) or permissions.has_role(user, "admin_pembina"):
        kelola.append((_("Pengguna"), reverse("accounts:pengguna"), "person-gear"))
    if permissions.is_superadmin(user):
        kelola.append((_("Permintaan akun"), reverse("platform:permintaan_list"), "person-plus"))
    if permissions.has_role(user, *STAF_PEMBINA):
        kelola.append((_("Rekap pejabat fungsional"), reverse("jabatan:rekap"), "award"))
        kelola.append((_("Rekap PAK dan HAPAK"), reverse("penetapan:rekap"), "clipboard-data"))
    if permissions.has_role(user, "admin_pembina"):
        kelola.append((_("Periode penetapan AK"), reverse("penetapan:periode"), "calendar-range"))
        kelola.append((_("Pejabat penanda tangan"), reverse("ttd:pejabat"), "pen"))
    if permissions.has_role(user, "admin_pembina"):
        # Forming the pusat Tim Penilai AK (an instansi's PIC forms its own team from the
        # Penetapan AK page: the PIC has no Kelola menu).
        kelola.append((_("Tim penilai AK"), reverse("penetapan:tim_daftar"), "people-fill"))
    from apps.portal import konteks

    # Counted with the user at the start of the request (apps/portal/konteks.py), else here.
    unread = konteks.belum_dibaca(user)
    if unread is konteks.TIDAK_ADA:
        from apps.notifikasi.models import Notifikasi

        unread = Notifikasi.objects.filter(user=user, dibaca_at__isnull=True).count()
    return {"nav_items": items, "nav_kelola": kelola, "notifikasi_belum_dibaca": unread}
