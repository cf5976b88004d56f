"""The portal shell's pages: each role's home page and the platform pages (instansi, audit log,
outbox dead letters)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from apps.accounts import permissions
from apps.accounts.models import Role
from apps.core import audit, selectors
from apps.surat.selectors import menunggu_sk

# The home page of each role: heading and what that role does (domain.md section 1).
ROLE_HOME = {
    Role.PIC_INSTANSI: (
        _("Beranda PIC Admin Instansi"),
        [
            _("Unggah peta jabatan, rencana kebutuhan dan penetapan formasi."),
            _("Daftarkan pegawai beserta dokumen portofolionya."),
            _("Ajukan usulan penyesuaian dan tanggapi permintaan perbaikan."),
        ],
    ),
    Role.PPK: (
        _("Beranda Pejabat Pembina Kepegawaian"),
        [
            _("Unduh rekomendasi dari instansi pembina."),
            _(
                "Terbitkan SK pengangkatan dan PAK; setelah paraf lengkap, tandatangani secara elektronik (TTE) di "
                "Paraf & TTE, sekaligus banyak surat dengan satu passphrase."
            ),
            _(
                "Bila layanan TTE tidak tersedia atau keadaan kahar: unggah pindaian surat yang ditandatangani basah "
                "beserta alasannya."
            ),
        ],
    ),
    Role.VERIFIKATOR: (
        _("Beranda Verifikator"),
        [
            _("Periksa kelengkapan dan kesesuaian dokumen setiap usulan (seleksi administrasi)."),
            _("Kembalikan usulan untuk perbaikan dengan catatan dan tenggat."),
        ],
    ),
    Role.PENILAI: (
        _("Beranda Penilai"),
        [_("Nilai portofolio terhadap standar kompetensi jenjang yang diusulkan.")],
    ),
    Role.KETUA_TIM: (
        _("Beranda Ketua Tim Penilai"),
        [
            _("Pimpin sidang penilaian dan pastikan kuorum terpenuhi."),
            _("Tanda tangani berita acara hasil uji kompetensi."),
        ],
    ),
    Role.ADMIN_PEMBINA: (
        _("Beranda Admin Instansi Pembina"),
        [
            _("Atur jabatan fungsional: jenjang, dokumen, standar kompetensi dan jadwal."),
            _("Bentuk tim penilai dan terbitkan rekomendasi."),
        ],
    ),
    Role.SEKRETARIAT_TIM: (
        _("Beranda Sekretariat Tim Penilai"),
        [
            _("Periksa kelengkapan usulan penetapan angka kredit: lengkap, atau kembalikan dengan catatan."),
            _("Siapkan sidang tim penilai setelah 2/3 anggota menilai, lalu sampaikan PAK dan HAPAK."),
        ],
    ),
    Role.PENILAI_AK: (
        _("Beranda Tim Penilai Angka Kredit"),
        [
            _("Nilai usulan penetapan angka kredit yang diteruskan sekretariat (bukan usulan atas nama Anda)."),
            _("Hadiri sidang tim penilai; ketua memutuskan sidang dan menunjuk anggota pengganti."),
        ],
    ),
}
# When a user holds several roles, the home page leads with the most senior one.
ROLE_PRECEDENCE = [
    Role.ADMIN_PEMBINA,
    Role.KETUA_TIM,
    Role.VERIFIKATOR,
    Role.PENILAI,
    Role.PPK,
    Role.PIC_INSTANSI,
    Role.SEKRETARIAT_TIM,
    Role.PENILAI_AK,
]


def index(request):
    return redirect("portal:beranda" if request.user.is_authenticated else "accounts:login")


@login_required
def beranda(request):
    user = request.user
    if user.roles == {Role.PEJABAT_FUNGSIONAL}:
        # The holder's home is their own record, ledger and letters.
        return redirect("saya:beranda")
    sections = []
    for role in ROLE_PRECEDENCE:
        if role in user.roles:
            heading, tasks = ROLE_HOME[role]
            sections.append({"role": role, "label": Role(role).label, "heading": heading, "tasks": tasks})
    if permissions.is_superadmin(user):
        sections.insert(
            0,
            {
                "role": "superadmin",
                "label": _("Superadmin"),
                "heading": _("Beranda Superadmin Platform"),
                "tasks": [_("Kelola instansi dan akun instansi pembina.")],
            },
        )
    context = {
        "sections": sections,
        "heading": sections[0]["heading"] if sections else _("Beranda"),
        "instansi": user.instansi,
    }
    if Role.PPK in user.roles and user.instansi:
        context["menunggu_sk"] = menunggu_sk(user.instansi.pk).count()
    from apps.ttd.services import menunggu_paraf_ttd, punya_tugas_ttd

    if punya_tugas_ttd(user):
        # What waits for this user's paraf and signature now, counted set-wise (apps.ttd.services).
        paraf, ttd = menunggu_paraf_ttd(user)
        context["tugas_ttd"] = {"paraf": len(paraf), "ttd": None if ttd is None else len(ttd)}
    if Role.ADMIN_PEMBINA in user.roles and user.instansi:
        # Scoring is impossible for a jenjang without a competency standard: say so up front,
        # not at "Tugaskan" (fresh-eye finding 7).
        from apps.core import tenancy
        from apps.referensi.selectors import jenjang_tanpa_standar

        context["tanpa_standar"] = jenjang_tanpa_standar(tenancy.pembina_jf_ids(user.instansi.pk))
    if Role.SEKRETARIAT_TIM in user.roles and user.instansi:
        # The sekretariat's queue (issue 19 F5): usulan penetapan AK to check for completeness,
        # and those in assessment or in a sidang, with links.
        from apps.core import tenancy
        from apps.penetapan.selectors import antrean_sekretariat_beranda

        if tenancy.current() is not None:
            context["antrean_sekretariat"] = antrean_sekretariat_beranda(user)
    if Role.PIC_INSTANSI in user.roles and user.instansi:
        # The open and next periods of penetapan AK of the instansi's JF holders, with deadlines.
        from django.utils import timezone

        from apps.jabatan.models import PejabatFungsional
        from apps.penetapan.selectors import jadwal

        pejabat = PejabatFungsional.objects.filter(instansi_id=user.instansi.pk, aktif=True)
        jf_ids = set(pejabat.values_list("jf_id", flat=True).distinct())
        context["jadwal_penetapan"] = jadwal(jf_ids, timezone.localdate())
    return render(request, "portal/beranda.html", context)


@login_required
def instansi_list(request):
    _superadmin_only(request)  # a platform page: 404 for everyone else
    return render(request, "portal/instansi_list.html", {"instansi_list": selectors.instansi_list()})


@login_required
def audit_log(request):
    """Security and activity log: superadmin (all), admin pembina (own instansi and JFs)."""
    if not (permissions.is_superadmin(request.user) or permissions.can_configure_jf(request.user)):
        raise PermissionDenied
    aksi, q = request.GET.get("aksi", ""), request.GET.get("q", "")
    entries = selectors.audit_log(semua=permissions.is_superadmin(request.user), aksi=aksi, q=q)
    audit.record(
        "audit.dibaca",
        actor=request.user,
        instansi=request.user.instansi,
        data={"aksi": aksi, "q": q[:100]},
        ip_address=audit.client_ip(request),
    )
    jenis = [
        ("auth.", _("Masuk/keluar")),
        ("dokumen.diunduh", _("Unduhan dokumen")),
        ("referensi.", _("Perubahan konfigurasi JF")),
        ("akun.", _("Akun dan peran")),
        ("usulan.", _("Usulan")),
        ("audit.", _("Pembacaan log")),
    ]
    return render(request, "portal/audit_log.html", {"entries": entries, "aksi": aksi, "q": q, "jenis": jenis})


def _superadmin_only(request) -> None:
    """Platform operations exist only for the superadmin: anyone else gets a 404, not a 403."""
    from django.http import Http404

    if not permissions.is_superadmin(request.user):
        raise Http404


@login_required
def outbox_mati(request):
    """Dead letters of the outbox (``OutboxMessage.dead_at``), newest first, with a retry button."""
    from apps.core.models import OutboxMessage

    _superadmin_only(request)
    pesan = list(OutboxMessage.objects.filter(dead_at__isnull=False).order_by("-dead_at")[:200])
    tertunda = OutboxMessage.objects.filter(published_at__isnull=True, dead_at__isnull=True).count()
    return render(request, "portal/outbox_mati.html", {"pesan_list": pesan, "tertunda": tertunda})


@login_required
def outbox_ulangi(request, pk):
    from django.contrib import messages
    from django.http import Http404, HttpResponseNotAllowed

    from apps.core import outbox
    from apps.core.models import OutboxMessage

    _superadmin_only(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        message = outbox.ulangi(pk, actor=request.user, ip_address=audit.client_ip(request))
    except OutboxMessage.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Pesan %(tugas)s diterbitkan ulang.") % {"tugas": message.task_name})
    return redirect("portal:outbox_mati")
