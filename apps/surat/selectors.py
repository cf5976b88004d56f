"""Which letters a user may see (default-deny on top of the tenant scope).

* instansi pengguna (PIC, PPK): letters concerning their instansi, except berita acara (the
  pembina's internal record);
* pembina staff (admin, verifikator, ketua tim): every letter of the JFs their instansi
  administers (national data: rekomendasi, SK copies, berita acara);
* a pejabat fungsional (the holder): the letters linked to their own record;
* the members (ketua included) and the sekretariat of a Tim Penilai AK: the PAK and HAPAK their
  team issued (apps.penetapan), also for another instansi's holder (``instansi_penilai``); the
  official who signs one (by NIP) and the approvers of its paraf chain at the issuing instansi;
  pembina staff do not read them as national data (seed 001 BAB IV E);
* everyone else (other penilai, superadmin without a membership): none."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from apps.accounts.models import STAF_PEMBINA, Role
from apps.accounts.permissions import has_role
from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import JenisSurat, Surat, SuratUsulan, VersiSurat

#: Decided usulan a rekomendasi letter reports on.
SIAP_REKOMENDASI = (Status.LULUS, Status.TIDAK_LULUS, Status.TIDAK_MEMENUHI_SYARAT)


def _condition(user) -> Q | None:
    if not user.is_authenticated or user.instansi is None:
        return None
    condition = Q(pk__in=[])
    allowed = False
    if has_role(user, Role.PIC_INSTANSI, Role.PPK):
        condition |= Q(instansi_id=user.instansi.pk) & ~Q(
            jenis__in=[JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI]
        )
        allowed = True
    if has_role(user, *STAF_PEMBINA):
        # The JF's national letters — not a Tim Penilai AK's PAK/HAPAK (instansi_penilai set):
        # seed 001 BAB IV E sends those to the holder, their instansi and the team, and the PYB
        # signs them; an inpassing verifikator of the pembina is none of them (the manager and
        # the RLS policy say the same: TenantModel.tenancy_penilai_path).
        scope = tenancy.current()
        jf_ids = sorted(scope.jf_ids) if scope else []
        condition |= Q(jf_id__in=jf_ids, instansi_penilai__isnull=True)
        allowed = True
    tim = _penanda_dan_paraf_tim(user)
    if tim is not None:
        condition |= tim
        allowed = True
    if has_role(user, Role.PENILAI_AK, Role.SEKRETARIAT_TIM):
        # The Tim Penilai AK's members and sekretariat: the PAK/HAPAK of their own team's usulan.
        from apps.penetapan.selectors import surat_tim

        condition |= Q(instansi_penilai_id=user.instansi.pk, pk__in=surat_tim(user))
        allowed = True
    if has_role(user, Role.PEJABAT_FUNGSIONAL):
        # The holder: the letters linked to their own record (SK, PAK, HAPAK), nothing else.
        scope = tenancy.current()
        if scope and scope.pejabat_id:
            condition |= Q(pejabat_id=scope.pejabat_id)
            allowed = True
    return condition if allowed else None


def _penanda_dan_paraf_tim(user) -> Q | None:
    """The PAK/HAPAK a Tim Penilai AK of the user's instansi issued that wait for them: the
    signing official (PYB, or the ketua under a HAPAK) the letter names by NIP, and the approvers
    of the instansi's paraf chain for that letter type (apps.ttd)."""
    from apps.ttd.models import LangkahParaf, Pejabat

    nips = sorted(
        set(
            Pejabat.objects.filter(user=user, instansi_id=user.instansi.pk, aktif=True)
            .exclude(nip="")
            .values_list("nip", flat=True)
        )
    )
    jenis = sorted(
        set(
            LangkahParaf.objects.filter(
                user=user, alur__instansi_id=user.instansi.pk, alur__aktif=True,
                alur__jenis__in=[JenisSurat.PAK_AK, JenisSurat.HAPAK],
            ).values_list("alur__jenis", flat=True)
        )
    )  # fmt: skip
    if not nips and not jenis:
        return None
    tim = Q(penerbit_id=user.instansi.pk, instansi_penilai_id=user.instansi.pk)
    return tim & (Q(penandatangan_nip__in=nips) | Q(jenis__in=jenis))


def surat_untuk(user):
    condition = _condition(user)
    if condition is None:
        return Surat.objects.none()
    return Surat.objects.filter(condition)


def versi_untuk(user):
    return VersiSurat.objects.filter(surat__in=surat_untuk(user).values("pk"))


def daftar(user, *, jenis: str = "", instansi: str = "", q: str = ""):
    qs = surat_untuk(user).select_related("penerbit", "instansi", "jf").annotate(jumlah_pegawai=Count("baris"))
    if jenis:
        qs = qs.filter(jenis=jenis)
    if instansi.isdigit():
        qs = qs.filter(instansi_id=int(instansi))
    if q:
        qs = qs.filter(
            Q(nomor__icontains=q) | Q(perihal__icontains=q) | Q(baris__usulan__pegawai_nip=q) | Q(pejabat__nip=q)
        ).distinct()
    return qs.order_by("-tanggal", "-id")


def versi_terkini(surat_ids) -> dict[int, VersiSurat]:
    """The version in force of each letter, with the paraf chain it was issued with (the lists show
    its signature state: apps.ttd.ringkasan)."""
    from apps.ttd.ringkasan import anotasi

    rows = anotasi(VersiSurat.objects.filter(surat_id__in=list(surat_ids), diganti_at__isnull=True))
    return {v.surat_id: v for v in rows}


def progress(user, batch) -> dict:
    rows = versi_untuk(user).filter(batch=batch).values("status").annotate(n=Count("id"))
    counts = {r["status"]: r["n"] for r in rows}
    total = sum(counts.values())
    selesai = counts.get(VersiSurat.Status.SELESAI, 0)
    gagal = counts.get(VersiSurat.Status.GAGAL, 0)
    return {
        "total": total,
        "selesai": selesai,
        "gagal": gagal,
        "proses": total - selesai - gagal,
        "persen": round(100 * (selesai + gagal) / total) if total else 0,
    }


def mask_nip(nip: str) -> str:
    """198503122010011003 → 1985**********1003: enough to recognise, not to reuse."""
    nip = nip or ""
    if len(nip) < 8:
        return "*" * len(nip)
    return nip[:4] + "*" * (len(nip) - 8) + nip[-4:]


def siap_rekomendasi(jf_ids, instansi_id=None):
    """Decided usulan not yet in a rekomendasi letter (the admin pembina's to-do list)."""
    qs = Usulan.objects.filter(jf_id__in=jf_ids, status__in=SIAP_REKOMENDASI).exclude(
        surat_baris__jenis=JenisSurat.REKOMENDASI
    )
    if instansi_id:
        qs = qs.filter(instansi_id=instansi_id)
    return qs


def direkomendasikan_tanpa_sk(jf_ids):
    """Recommended usulan of these JFs with no SK yet (any instansi: the pembina's view)."""
    return Usulan.objects.filter(jf_id__in=jf_ids, status=Status.DIREKOMENDASIKAN).exclude(
        surat_baris__jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF]
    )


def menunggu_sk(instansi_id: int):
    """Recommended usulan of the instansi with no SK yet (the PPK's inbox)."""
    return Usulan.objects.filter(instansi_id=instansi_id, status=Status.DIREKOMENDASIKAN).exclude(
        surat_baris__jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF]
    )


def admin_pembina_jf(jf) -> list[str]:
    """Names of the JF's admin pembina (who can confirm an AK reference row)."""
    from apps.accounts.models import Membership
    from apps.core import tenancy

    with tenancy.all_tenants(reason="name the JF's admin pembina in a refusal"):
        return sorted(
            str(m.user)
            for m in Membership.objects.filter(
                instansi_id=jf.instansi_pembina_id, role=Role.ADMIN_PEMBINA, is_active=True, user__is_active=True
            ).select_related("user")
        )


def versi_publik(kode: str) -> VersiSurat:
    """A finished version by its printed code, for the public verification page and API (404
    otherwise), with the masked names it lists and its newer version if any."""
    kode = (kode or "").strip().upper()
    with tenancy.all_tenants(reason="public verification of a letter by its printed code"):
        versi = (
            VersiSurat.objects.select_related("surat", "surat__penerbit", "surat__jf")
            .filter(kode=kode, status=VersiSurat.Status.SELESAI)
            .first()
        )
        if versi is None:
            raise Http404(_("Kode verifikasi tidak ditemukan."))
        versi.pegawai_list = [
            {"nip": mask_nip(r.usulan.pegawai_nip), "nama": r.usulan.pegawai_nama}
            for r in SuratUsulan.objects.filter(surat=versi.surat, direkomendasikan=True)
            .select_related("usulan")
            .order_by("urutan", "id")[:500]
        ]
        if not versi.pegawai_list and versi.surat.pejabat_id:
            # One holder's PAK, HAPAK or SK after inpassing: the holder it is about.
            p = versi.surat.pejabat
            versi.pegawai_list = [{"nip": mask_nip(p.nip), "nama": p.nama}]
        versi.terbaru = (
            versi.surat.versi_set.filter(diganti_at__isnull=True).exclude(pk=versi.pk).values("versi", "kode").first()
        )
    return versi


def cocokkan(versi: VersiSurat, upload) -> dict:
    """Is ``upload`` this version's file (``sama``) or its signed copy (``sama_ttd``)? The one
    rule of the public page and the API. ValidationError (translated) when the file is too large."""
    if upload.size > settings.SIAKS_VERIFIKASI_MAKS_BYTES:
        raise ValidationError(_("Berkas terlalu besar untuk dicocokkan (maks. 20 MB)."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha = digest.hexdigest()
    return {"sha256": sha, "sama": sha == versi.sha256, "sama_ttd": bool(versi.ttd_sha256) and sha == versi.ttd_sha256}


JENIS_SK = (JenisSurat.SK, JenisSurat.SK_KOLEKTIF)


def koreksi_sk_belum_ttd(usulan_ref: str = "pk") -> Exists:
    """The rule of :func:`koreksi_menunggu_ttd` for one usulan, in SQL (``OuterRef(usulan_ref)``):
    an SK listing it has a version in force with no signed copy while a superseded version of it
    has one. A version counts as signed once its signed copy is stored — the complete electronic
    signature or the wet-ink scan (the fallback), which is what the public page ``/v/<kode>/``
    reports as signed too (``apps.ttd.publik.keadaan_berlaku``)."""
    lama_ttd = VersiSurat.objects.filter(surat_id=OuterRef("surat_id"), diganti_at__isnull=False).exclude(ttd_berkas="")
    return Exists(
        VersiSurat.objects.filter(
            surat__baris__usulan=OuterRef(usulan_ref), surat__jenis__in=JENIS_SK, diganti_at__isnull=True,
            ttd_berkas="",
        ).filter(Exists(lama_ttd))
    )  # fmt: skip


def dengan_koreksi_sk(qs):
    """Usulan annotated with ``koreksi_sk_anotasi``: "SK terbit", and the SK in force is a
    correction awaiting its signature (read by ``Usulan.sk_koreksi_menunggu_ttd``); one
    subquery, only for the rows at "SK terbit"."""
    return qs.annotate(
        koreksi_sk_anotasi=Case(
            When(status=Status.SK_TERBIT, then=koreksi_sk_belum_ttd()), default=Value(False),
            output_field=BooleanField(),
        )
    )  # fmt: skip


def koreksi_menunggu_ttd(surat_list) -> dict[int, dict]:
    """SKs corrected after a version of them was signed, whose version in force is not signed yet:
    ``{surat_id: {"terkini": version in force, "lama": the last signed version}}``. Their usulan
    stay "SK terbit" (the decision stands; the correction awaits its signature), and the pages
    say so."""
    ids = [s.pk for s in surat_list if s.jenis in JENIS_SK]
    if not ids:
        return {}
    out: dict[int, dict] = {}
    versi = VersiSurat.objects.filter(surat_id__in=ids).order_by("surat_id", "versi")
    per_surat: dict[int, list[VersiSurat]] = {}
    for v in versi:
        per_surat.setdefault(v.surat_id, []).append(v)
    for surat_id, rows in per_surat.items():
        terkini = next((v for v in rows if v.diganti_at is None), None)
        lama = [v for v in rows if v.diganti_at is not None and v.ttd_berkas]
        if terkini is not None and not terkini.ttd_berkas and lama:
            out[surat_id] = {"terkini": terkini, "lama": lama[-1]}
    return out
