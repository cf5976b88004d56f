"""Reads for the pembina: the verifier inbox (keyset pagination), review context, penilai work."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Dokumen, Usulan
from apps.pengusulan.selectors import cari_nip_nama
from apps.verifikasi.models import Pemeriksaan, PemeriksaanDokumen, PenugasanPenilai
from apps.verifikasi.permissions import VERIFIKASI_ROLES

INBOX_STATUSES = [s for s in Status if s not in (Status.DRAFT,)]
SORTS = {"lama": ("diajukan_at", "id"), "baru": ("-diajukan_at", "-id")}


def usulan_pembina() -> QuerySet[Usulan]:
    """Submitted usulan of the JFs the current pembina scope administers (all instansi)."""
    scope = tenancy.require()
    return Usulan.objects.filter(jf_id__in=sorted(scope.jf_ids)).exclude(status=Status.DRAFT)


@dataclass
class InboxPage:
    rows: list[Usulan]
    next_cursor: str | None
    has_previous: bool


def _encode(u: Usulan) -> str:
    return base64.urlsafe_b64encode(f"{u.diajukan_at.isoformat()}|{u.pk}".encode()).decode()


def _decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        at, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(at), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def inbox_queryset(
    *,
    jf: str = "",
    instansi: str = "",
    jenjang: str = "",
    status: str = "",
    dari: date | None = None,
    sampai: date | None = None,
    terlambat: bool = False,
    q: str = "",
    verifikator_id: int | None = None,
    **_ignored,
):
    """The inbox's filters (also what its export writes)."""
    qs = usulan_pembina().select_related("jf", "jenjang", "instansi", "verifikator")
    if jf:
        qs = qs.filter(jf__kode=jf)
    if instansi:
        qs = qs.filter(instansi__kode=instansi)
    if jenjang:
        qs = qs.filter(jenjang__kode=jenjang)
    if status in {s.value for s in INBOX_STATUSES}:
        qs = qs.filter(status=status)
    if dari:
        qs = qs.filter(diajukan_at__date__gte=dari)
    if sampai:
        qs = qs.filter(diajukan_at__date__lte=sampai)
    if terlambat:
        qs = qs.filter(status=Status.PERBAIKAN, tenggat_perbaikan__lt=timezone.localdate())
    if verifikator_id:
        qs = qs.filter(verifikator_id=verifikator_id)
    cond = cari_nip_nama(q, nip="pegawai_nip", nama="pegawai_nama")
    if cond is not None:
        qs = qs.filter(cond)
    return qs


def inbox(
    *,
    urut: str = "lama",
    cursor: str = "",
    limit: int = 50,
    **filters,
) -> InboxPage:
    """One page of the inbox, by keyset on (diajukan_at, id): the 200th page costs what the first does."""
    qs = inbox_queryset(**filters)
    order = SORTS.get(urut, SORTS["lama"])
    position = _decode(cursor) if cursor else None
    if position:
        at, pk = position
        # The redundant bound on diajukan_at lets PostgreSQL seek in the index instead of
        # scanning every earlier row (the OR alone defeats the index range).
        if order[0].startswith("-"):
            qs = qs.filter(diajukan_at__lte=at).filter(Q(diajukan_at__lt=at) | Q(id__lt=pk))
        else:
            qs = qs.filter(diajukan_at__gte=at).filter(Q(diajukan_at__gt=at) | Q(id__gt=pk))
    from apps.surat.selectors import dengan_koreksi_sk  # the SK terbit rows whose SK awaits a signed correction

    rows = list(dengan_koreksi_sk(qs).order_by(*order)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    today = timezone.localdate()
    for u in rows:
        u.terlambat = u.status == Status.PERBAIKAN and u.tenggat_perbaikan is not None and u.tenggat_perbaikan < today
    return InboxPage(rows=rows, next_cursor=_encode(rows[-1]) if more else None, has_previous=bool(position))


def pemeriksaan_aktif(usulan: Usulan) -> Pemeriksaan | None:
    """The open review round (no decision yet), if any."""
    return usulan.pemeriksaan.filter(keputusan="").order_by("-putaran").first()


def catatan_perbaikan(usulan: Usulan) -> dict:
    """What the PIC must address: the verifier's note and the documents marked tidak sesuai."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef
    from django.db.models.functions import JSONObject

    # The documents marked tidak sesuai come with the round, in the same query.
    tidak_sesuai = (
        PemeriksaanDokumen.objects.filter(pemeriksaan_id=OuterRef("pk"), sesuai=False)
        .order_by("persyaratan__urutan")
        .values(j=JSONObject(id="persyaratan_id", nama="persyaratan__nama", catatan="catatan"))
    )
    last = (
        usulan.pemeriksaan.filter(keputusan=Pemeriksaan.Keputusan.PERBAIKAN)
        .annotate(_tidak_sesuai=ArraySubquery(tidak_sesuai))
        .order_by("-putaran")
        .first()
    )
    if last is None:
        return {"catatan": "", "dokumen": [], "tenggat": None, "perlu": {}, "diputuskan_at": None}
    return {
        "catatan": last.catatan,
        "dokumen": [(r["nama"], r["catatan"]) for r in last._tidak_sesuai],
        "tenggat": last.tenggat_perbaikan,
        # persyaratan id → the verifier's note: the documents the PIC page highlights
        "perlu": {r["id"]: r["catatan"] for r in last._tidak_sesuai},
        "diputuskan_at": last.diputuskan_at,
    }


def perubahan_sejak(terakhir: Pemeriksaan | None, berkas) -> list[Dokumen]:
    """Document versions uploaded after the decided review ``terakhir``, from the versions the
    page has loaded already (``pengusulan.selectors.berkas_usulan``): no query of its own."""
    if terakhir is None or terakhir.diputuskan_at is None:
        return []
    urutan = {p.pk: (p.urutan, p) for p in berkas.persyaratan}
    baru = [
        d
        for versions in (*berkas.versi.values(), *berkas.versi_instansi.values())
        for d in versions
        if d.created_at > terakhir.diputuskan_at
    ]
    for d in baru:
        d.persyaratan = urutan[d.persyaratan_id][1]  # the requirement row the page loaded
    return sorted(baru, key=lambda d: (urutan[d.persyaratan_id][0], d.versi))


def perubahan_sejak_pemeriksaan(usulan: Usulan) -> list[Dokumen]:
    """Document versions uploaded after the last decided review (what to look at again)."""
    last = usulan.pemeriksaan.exclude(keputusan="").order_by("-putaran").first()
    if last is None or last.diputuskan_at is None:
        return []
    return list(
        Dokumen.objects.filter(Q(usulan=usulan) | Q(usulan__isnull=True, instansi_id=usulan.instansi_id, jf=usulan.jf))
        .filter(created_at__gt=last.diputuskan_at)
        .select_related("persyaratan")
        .order_by("persyaratan__urutan", "versi")
    )


def perbaikan_lewat_tenggat(*, on: date) -> list[Usulan]:
    return list(
        usulan_pembina()
        .filter(status=Status.PERBAIKAN, tenggat_perbaikan__lt=on)
        .select_related("instansi", "jf")
        .order_by("tenggat_perbaikan", "id")
    )


def usulan_penilai(user) -> QuerySet[Usulan]:
    """Dossiers a penilai may open: those he or she holds ``view_usulan`` on (django-guardian)."""
    return get_objects_for_user(
        user, "pengusulan.view_usulan", klass=Usulan.objects.all(), accept_global_perms=False, with_superuser=False
    )


def penugasan_saya(user) -> QuerySet[PenugasanPenilai]:
    return PenugasanPenilai.objects.filter(penilai=user).select_related("usulan", "usulan__jenjang", "tim", "jf")


@dataclass
class HasilKompetensi:
    nomor: int
    nama: str
    level_dibutuhkan: int
    levels: list[int]

    @property
    def rata_rata(self) -> float | None:
        return round(sum(self.levels) / len(self.levels), 2) if self.levels else None

    @property
    def di_bawah(self) -> int:
        """How many penilai found the level below the required one."""
        return sum(1 for level in self.levels if level < self.level_dibutuhkan)


def rekap_nilai(usulan: Usulan, tim_id: int) -> list[HasilKompetensi]:
    """The team's scores of one dossier per competency: what the ketua weighs in the sidang."""
    from apps.referensi.models import Kompetensi
    from apps.verifikasi.models import Nilai

    rows = {
        k.pk: HasilKompetensi(k.nomor, k.nama, k.level, [])
        for k in Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).order_by("jenis", "nomor")
    }
    scores = Nilai.objects.filter(
        penugasan__usulan=usulan, penugasan__tim_id=tim_id, penugasan__selesai_at__isnull=False
    ).values_list("kompetensi_id", "level_dicapai")
    for kompetensi_id, level in scores:
        if kompetensi_id in rows:
            rows[kompetensi_id].levels.append(level)
    return list(rows.values())


def verifikator_list(instansi):
    """Users of the pembina who may verify (the admin's assignment list)."""
    from apps.accounts.models import Membership, User

    ids = Membership.objects.filter(instansi=instansi, role__in=VERIFIKASI_ROLES, is_active=True).values_list(
        "user_id", flat=True
    )
    return User.objects.filter(pk__in=ids).order_by("nama_lengkap")


def calon_penilai(instansi):
    """Users of the pembina who may sit in a Tim Penilai."""
    from apps.accounts.models import Membership, Role, User

    return User.objects.filter(
        pk__in=Membership.objects.filter(
            instansi=instansi, role__in=[Role.PENILAI, Role.KETUA_TIM], is_active=True
        ).values("user_id")
    ).order_by("nama_lengkap")


def calon_ketua_ids(instansi) -> set[int]:
    """The users of the pembina who may chair a Tim Penilai: holders of the ketua tim role."""
    from apps.accounts.models import Membership, Role

    return set(
        Membership.objects.filter(instansi=instansi, role=Role.KETUA_TIM, is_active=True).values_list(
            "user_id", flat=True
        )
    )


def tim_progres(tim) -> list[Usulan]:
    """The team's dossiers, each with ``penugasan`` (its assignments) and ``selesai`` (how many
    scored)."""
    dinilai = list(usulan_pembina().filter(penugasan_penilai__tim=tim).distinct().select_related("jenjang"))
    progres: dict[int, list] = {}
    for p in PenugasanPenilai.objects.filter(tim=tim).select_related("penilai"):
        progres.setdefault(p.usulan_id, []).append(p)
    for u in dinilai:
        u.penugasan = progres.get(u.pk, [])
        u.selesai = sum(1 for p in u.penugasan if p.selesai_at)
    return dinilai


def sidang_baris(sidang) -> list:
    """The sidang's dossiers, each with the team's assignments and the score summary."""
    rows = list(sidang.usulan.select_related("usulan", "usulan__jenjang"))
    for row in rows:
        row.penugasan = list(row.usulan.penugasan_penilai.filter(tim=sidang.tim).select_related("penilai"))
        row.rekap = rekap_nilai(row.usulan, sidang.tim_id)
    return rows
