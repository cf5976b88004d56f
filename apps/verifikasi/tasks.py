from __future__ import annotations

from datetime import date

from celery import shared_task
from django.utils import timezone

from apps.core import tenancy
from apps.core.outbox import idempotent
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.verifikasi import services


@shared_task(name="verifikasi.proses_perbaikan_lewat_tenggat")
def proses_perbaikan_lewat_tenggat(on: date | str | None = None) -> int:
    """Daily (beat): for JFs whose rule says so, an overdue perbaikan becomes tidak memenuhi syarat.

    JFs with the default rule only flag it (the verifier sees it in the overdue list)."""
    on = date.fromisoformat(on) if isinstance(on, str) else (on or timezone.localdate())
    count = 0
    with tenancy.all_tenants(reason="system rule across every instansi of the JFs that chose it"):
        overdue = Usulan.objects.filter(
            status=Status.PERBAIKAN, tenggat_perbaikan__lt=on, jf__perbaikan_lewat_tenggat="tidak_memenuhi"
        ).values_list("pk", flat=True)
        for pk in list(overdue):
            if services.usulan_tolak_lewat_tenggat(usulan=Usulan.objects.get(pk=pk), on=on):
                count += 1
    return count


@shared_task(bind=True, name="verifikasi.kabari_penilaian", acks_late=True)
@idempotent
def kabari_penilaian(self, jenis: str, penugasan_id: int) -> int:
    """Tell a penilai of a new assignment ("ditugaskan"), or the team's ketua that 2/3 of the
    penilai have scored a dossier ("dua_pertiga"). Returns the number of notices."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from apps.notifikasi.services import notifikasi_buat
    from apps.verifikasi.models import AnggotaTim, PenugasanPenilai

    with tenancy.all_tenants(reason="a notice to the pembina's penilai or ketua about one dossier"):
        p = PenugasanPenilai.objects.select_related("usulan", "usulan__jf", "penilai", "tim").filter(pk=penugasan_id)
        p = p.first()
        if p is None:
            return 0
        nama, jf = p.usulan.pegawai_nama, p.usulan.jf.nama
        if jenis == "ditugaskan":
            to, url = [p.penilai], reverse("verifikasi:nilai", args=[p.pk])
            judul = _("Penugasan penilaian: %(nama)s") % {"nama": nama}
            isi = _("Anda ditugaskan menilai portofolio %(nama)s (JF %(jf)s) dalam %(tim)s.") % {
                "nama": nama, "jf": jf, "tim": p.tim.nama,
            }  # fmt: skip
        elif jenis == "dua_pertiga":
            ketua = AnggotaTim.objects.filter(tim=p.tim, peran=AnggotaTim.Peran.KETUA).select_related("user")
            to, url = [a.user for a in ketua], reverse("verifikasi:tim_detail", args=[p.tim_id])
            judul = _("2/3 penilai telah menilai: %(nama)s") % {"nama": nama}
            isi = _("Sidang penilaian %(nama)s (JF %(jf)s) sudah dapat dibuka.") % {"nama": nama, "jf": jf}
        elif jenis == "konflik":
            ketua = AnggotaTim.objects.filter(tim=p.tim, peran=AnggotaTim.Peran.KETUA).select_related("user")
            to, url = [a.user for a in ketua], reverse("verifikasi:tim_detail", args=[p.tim_id])
            judul = _("Konflik kepentingan penilai: %(nama)s") % {"nama": nama}
            isi = _(
                "%(p)s menyatakan memiliki konflik kepentingan atas portofolio %(nama)s (JF %(jf)s): %(a)s. "
                "Ganti penilai di halaman tim."
            ) % {"p": p.penilai, "nama": nama, "jf": jf, "a": p.konflik_alasan.strip().rstrip(".").rstrip()}
        else:
            return 0
        notifikasi_buat(to, jenis=f"penilaian.{jenis}", judul=judul, isi=isi, url_for=url, usulan_id=p.usulan_id)
    return len(to)
