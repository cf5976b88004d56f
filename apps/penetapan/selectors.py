"""Scoped reads of the penetapan angka kredit. Objects are fetched through these, so a row the
scope does not see is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404

from apps.core import tenancy
from apps.penetapan import domain
from apps.penetapan.models import (
    AnggotaTimAK,
    PenilaianAK,
    PeriodePenetapan,
    SekretariatTimAK,
    SidangAK,
    TimPenilaiAK,
    UsulanPenetapanAK,
)


def usulan(pk) -> UsulanPenetapanAK:
    try:
        return UsulanPenetapanAK.objects.select_related("jf", "jenjang", "periode", "tim", "instansi").get(pk=int(pk))
    except (UsulanPenetapanAK.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def sidang(pk) -> SidangAK:
    try:
        return SidangAK.objects.select_related("tim", "jf").get(pk=int(pk))
    except (SidangAK.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def periode_jf(jf) -> list[PeriodePenetapan]:
    return list(PeriodePenetapan.objects.filter(jf=jf, aktif=True).order_by("bulan_pengajuan", "id"))


def jadwal(jf_ids, pada: date, per_jf: int = 2) -> list[dict]:
    """The open and the next windows of each JF's active periods on ``pada`` (the PIC's and the
    holder's dashboards): {"jf", "jendela", "terbuka", "sisa_hari"}, by JF then opening date."""
    from apps.referensi.models import JabatanFungsional

    jf_ids = sorted(set(jf_ids))
    if not jf_ids:
        return []
    nama = dict(JabatanFungsional.objects.filter(pk__in=jf_ids).values_list("pk", "nama"))
    per: dict[int, list] = {}
    for p in PeriodePenetapan.objects.filter(jf_id__in=jf_ids, aktif=True).order_by("bulan_pengajuan", "id"):
        per.setdefault(p.jf_id, []).append(p)
    baris = []
    for jf_id in sorted(per, key=lambda i: nama.get(i, "")):
        calon = [domain.jendela(p, t) for t in (pada.year, pada.year + 1) for p in per[jf_id]]
        calon = sorted((j for j in calon if j.selesai >= pada), key=lambda j: j.mulai)[:per_jf]
        for j in calon:
            baris.append(
                {
                    "jf": nama.get(jf_id, ""),
                    "jendela": j,
                    "terbuka": j.mulai <= pada,
                    "sisa_hari": (j.selesai - pada).days,
                }
            )
    return baris


def calon_tim(jf) -> list[domain.CalonTim]:
    """Every team of the JF, as bare facts for the fallback rule (seed 001 E.6): an instansi
    without a team is assessed by another instansi's team, which its own scope cannot see."""
    with tenancy.all_tenants(reason="choosing the assessing team: the province's or the pusat team (seed 001 E.6)"):
        rows = TimPenilaiAK.objects.filter(jf=jf).values_list(
            "pk", "instansi_id", "tingkat", "masa_mulai", "masa_selesai"
        )
        return [domain.CalonTim(*r) for r in rows]


def tim_untuk(instansi, jf, pada: date) -> domain.CalonTim | None:
    provinsi_id = instansi.parent_id if instansi.jenis in ("kabupaten", "kota") else None
    return domain.tim_penilai_untuk(instansi.pk, provinsi_id, calon_tim(jf), pada)


def anggota_reguler(tim_id: int) -> list[AnggotaTimAK]:
    return list(
        AnggotaTimAK.objects.filter(tim_id=tim_id)
        .exclude(peran=AnggotaTimAK.Peran.PENGGANTI)
        .select_related("user")
        .order_by("id")
    )


def anggota_dari(user, tim_id) -> AnggotaTimAK | None:
    if tim_id is None or not getattr(user, "is_authenticated", False):
        return None
    return AnggotaTimAK.objects.filter(tim_id=tim_id, user=user).select_related("user").first()


def sekretariat_aktif(user, tim_id, pada: date | None = None) -> bool:
    """The user sits in the team's sekretariat today (one-year term) and holds the role."""
    from django.utils import timezone

    if tim_id is None or "sekretariat_tim" not in getattr(user, "roles", ()):
        return False
    pada = pada or timezone.localdate()
    return SekretariatTimAK.objects.filter(
        tim_id=tim_id, user=user, masa_mulai__lte=pada, masa_selesai__gte=pada
    ).exists()


def peran_pada(user, usulan: UsulanPenetapanAK, tim_id=None) -> frozenset[str]:
    """The workflow roles ``user`` holds on ``usulan``: the PIC of the holder's instansi, the
    sekretariat of the assessing team (role and term), its ketua or a member."""
    tim_id = tim_id if tim_id is not None else usulan.tim_id
    roles = set()
    user_roles = getattr(user, "roles", frozenset())
    instansi = getattr(user, "instansi", None)
    if instansi is not None and instansi.pk == usulan.instansi_id:
        roles |= set(user_roles) & set(domain.PENGAJU_INSTANSI)
    if pengaju_sendiri(user, usulan.pejabat_id, usulan.jf_id):
        roles.add(domain.PEJABAT_PENGAJU)
    if sekretariat_aktif(user, tim_id):
        roles.add("sekretariat_tim")
    anggota = anggota_dari(user, tim_id)
    if anggota is not None:
        roles.add(domain.ANGGOTA_TIM_AK)
        if anggota.peran == AnggotaTimAK.Peran.KETUA:
            roles.add(domain.KETUA_TIM_AK)
    return frozenset(roles)


def penilaian_rinci_boleh(user, usulan: UsulanPenetapanAK, roles=None) -> bool:
    """May ``user`` read who assessed the usulan and how (each member's vote, figures and note)?
    Only the pembina side: the assessing team (member, ketua) and its sekretariat, and the JF's
    pembina staff. The holder and the instansi's PIC read the outcome and the counts (issue 19,
    fresh-eye walks: confidentiality of the Tim Penilai's votes)."""
    roles = peran_pada(user, usulan) if roles is None else roles
    if roles & {"sekretariat_tim", domain.ANGGOTA_TIM_AK, domain.KETUA_TIM_AK}:
        return True
    active = tenancy.scope_for_user(user)
    instansi = getattr(user, "instansi", None)
    return bool(
        active is not None
        and usulan.jf_id in (active.jf_ids or ())
        and (instansi is None or instansi.pk != usulan.instansi_id)
    )


def pengaju_sendiri(user, pejabat_id, jf_id) -> bool:
    """The user is the holder of this record (their login, role pejabat_fungsional) and the JF
    lets holders submit their own usulan penetapan AK."""
    from apps.referensi.models import JabatanFungsional

    if domain.PEJABAT_PENGAJU not in getattr(user, "roles", ()) or pejabat_id is None:
        return False
    if tenancy.pejabat_id_for_user(user) != pejabat_id:
        return False
    return JabatanFungsional.objects.filter(pk=jf_id, pejabat_boleh_mengajukan_ak=True).exists()


def jumlah_dinilai(usulan_ids) -> dict[int, int]:
    """Finished assessments per usulan (a substitute's counts for the member replaced)."""
    rows = (
        PenilaianAK.objects.filter(usulan_id__in=list(usulan_ids), selesai_at__isnull=False)
        .values("usulan_id")
        .annotate(n=Count("id"))
    )
    return {r["usulan_id"]: r["n"] for r in rows}


def antrean_sekretariat(user):
    """The usulan waiting for the user's sekretariat (every team the user sits in today)."""
    from django.utils import timezone

    hari = timezone.localdate()
    tim_ids = SekretariatTimAK.objects.filter(user=user, masa_mulai__lte=hari, masa_selesai__gte=hari).values("tim_id")
    return UsulanPenetapanAK.objects.filter(tim_id__in=tim_ids).exclude(status=domain.Status.DRAFT)


def antrean_sekretariat_beranda(user, n: int = 5) -> dict | None:
    """What waits for the user's sekretariat, for their home page (issue 19 F5): the usulan
    submitted and waiting for the completeness check (count and the ``n`` submitted longest ago,
    each to open), those in assessment (the sidang opens once 2/3 of the members have assessed)
    and those in a sidang. None when the user sits in no team's sekretariat today. A fixed number
    of queries whatever the number of usulan."""
    tim_ids = [t.pk for t in tim_sekretariat(user)]
    if not tim_ids:
        return None
    qs = terlihat(user).filter(tim_id__in=tim_ids)
    jumlah = qs.aggregate(
        diperiksa=Count("id", filter=Q(status=domain.Status.DIAJUKAN)),
        penilaian=Count("id", filter=Q(status=domain.Status.PENILAIAN)),
        sidang=Count("id", filter=Q(status=domain.Status.SIDANG)),
    )
    menunggu = list(
        qs.filter(status=domain.Status.DIAJUKAN)
        .select_related("instansi", "jenjang", "jf")
        .order_by("diajukan_at", "id")[:n]
    )
    return {**jumlah, "menunggu": menunggu}


def untuk_dinilai(user):
    tim_ids = AnggotaTimAK.objects.filter(user=user).values("tim_id")
    return UsulanPenetapanAK.objects.filter(tim_id__in=tim_ids, status=domain.Status.PENILAIAN)


def rekap_periode(jf_ids=None):
    """PAK/HAPAK per JF, year and period (the pembina's recap; national for their JFs)."""
    qs = UsulanPenetapanAK.objects.exclude(status=domain.Status.DRAFT)
    if jf_ids is not None:
        qs = qs.filter(jf_id__in=list(jf_ids))
    return list(
        qs.values("jf__nama", "tahun", "periode__nama")
        .annotate(
            diajukan=Count("id"),
            pak=Count("id", filter=Q(status=domain.Status.PAK)),
            hapak=Count("id", filter=Q(status=domain.Status.HAPAK)),
            proses=Count("id", filter=~Q(status__in=list(domain.SELESAI))),
        )
        .order_by("jf__nama", "-tahun", "periode__nama")
    )


def terlihat(user):
    """The usulan a user may open (pages and API): the PIC's instansi's; the teams the user sits
    in (member or sekretariat in term); the JF's pembina staff once submitted. The manager and RLS
    already bound every query to the scope; this narrows it to the user's part in the process."""
    from django.utils import timezone

    from apps.accounts.models import STAF_PEMBINA

    if not getattr(user, "is_authenticated", False) or tenancy.current() is None:
        return UsulanPenetapanAK.objects.none()
    roles = set(user.roles)
    hari = timezone.localdate()
    q = Q(pk__in=[])
    pejabat_id = tenancy.require().pejabat_id
    if pejabat_id:  # the holder: their own usulan only (role pejabat_fungsional)
        q |= Q(pejabat_id=pejabat_id)
    if getattr(user, "instansi", None) is None:
        return UsulanPenetapanAK.objects.filter(q)
    if "pic_instansi" in roles:
        q |= Q(instansi_id=user.instansi.pk)
    tim_ids = list(AnggotaTimAK.objects.filter(user=user).values_list("tim_id", flat=True))
    if "sekretariat_tim" in roles:
        tim_ids += SekretariatTimAK.objects.filter(user=user, masa_mulai__lte=hari, masa_selesai__gte=hari).values_list(
            "tim_id", flat=True
        )
    if tim_ids:
        q |= Q(tim_id__in=sorted(set(tim_ids))) & ~Q(status=domain.Status.DRAFT)
    if roles & set(STAF_PEMBINA):
        q |= Q(jf_id__in=sorted(tenancy.require().jf_ids), diajukan_at__isnull=False)
    return UsulanPenetapanAK.objects.filter(q)


def tim_ids_untuk(user) -> list[int]:
    """The teams ``user`` sits in: as a member (ketua and substitutes included), or in its
    sekretariat for a term running today (holding the role) — the teams whose usulan
    :func:`terlihat` shows them."""
    from django.utils import timezone

    if not getattr(user, "is_authenticated", False):
        return []
    ids = set(AnggotaTimAK.objects.filter(user=user).values_list("tim_id", flat=True))
    if "sekretariat_tim" in getattr(user, "roles", ()):
        hari = timezone.localdate()
        ids |= set(
            SekretariatTimAK.objects.filter(user=user, masa_mulai__lte=hari, masa_selesai__gte=hari).values_list(
                "tim_id", flat=True
            )
        )
    return sorted(ids)


def surat_tim(user):
    """The ids of the PAK and HAPAK the teams of ``user`` issued (a subquery for
    ``apps.surat.selectors``)."""
    return UsulanPenetapanAK.objects.filter(tim_id__in=tim_ids_untuk(user), surat__isnull=False).values("surat_id")


def tim_sekretariat(user) -> list[TimPenilaiAK]:
    from django.utils import timezone

    hari = timezone.localdate()
    ids = SekretariatTimAK.objects.filter(user=user, masa_mulai__lte=hari, masa_selesai__gte=hari).values("tim_id")
    return list(TimPenilaiAK.objects.filter(pk__in=ids).order_by("nama"))


def sidang_terlihat(user):
    """Sidang of the teams the user sits in (member or sekretariat in term)."""
    tim_ids = set(AnggotaTimAK.objects.filter(user=user).values_list("tim_id", flat=True))
    tim_ids |= {t.pk for t in tim_sekretariat(user)}
    return SidangAK.objects.filter(tim_id__in=sorted(tim_ids)).select_related("tim")


def surat_tim_qs(user):
    """The PAK and HAPAK the teams of ``user`` issued, newest first (a queryset to page)."""
    from apps.surat.selectors import surat_untuk

    return (
        surat_untuk(user)
        .filter(pk__in=surat_tim(user))
        .select_related("penerbit", "instansi", "jf")
        .order_by("-tanggal", "-id")
    )


def surat_tim_daftar(user, surat_list=None) -> list[dict]:
    """The team's letters (one page of :func:`surat_tim_qs`), each with what it waits for (the
    ketua's and the sekretariat's page, ``views.surat_tim``): its current version, the next
    paraf (who), its signers and whether each has signed (apps.ttd), and whether it waits for
    ``user`` (a paraf, or their signature as the official it names). In a fixed number of
    queries whatever the number of letters (apps.ttd.ringkasan's set-wise rules)."""
    from apps.surat.models import JenisSurat
    from apps.surat.selectors import versi_terkini
    from apps.ttd import ringkasan
    from apps.ttd import services as ttd
    from apps.ttd.validasi import harapan_massal

    surat_list = list(surat_tim_qs(user)[:50] if surat_list is None else surat_list)
    terkini = versi_terkini(s.pk for s in surat_list)
    for s in surat_list:
        if (v := terkini.get(s.pk)) is not None:
            v.surat = s  # read once, with the list
    status = ringkasan.status_versi(terkini.values())
    harapan = harapan_massal(surat_list)
    # The holder as the usulan recorded them (another instansi's holder record is not in scope).
    pemegang = {
        r[0]: (r[1], r[2])
        for r in UsulanPenetapanAK.objects.filter(surat_id__in=[s.pk for s in surat_list]).values_list(
            "surat_id", "pejabat_nama", "pejabat_nip"
        )
    }
    pejabat = ttd.pejabat_dari(user)
    # What waits for the user (their paraf queue; their signing queue as a registered official).
    paraf_saya, ttd_saya = ttd.menunggu_paraf_ttd(user) if surat_list else ([], None)
    paraf_saya = {v.pk for v in paraf_saya}
    ttd_saya = {v.pk for v in ttd_saya or ()}
    nip_saya = (getattr(user, "nip", "") or "").strip()
    baris = []
    for s in surat_list:
        versi = terkini.get(s.pk)
        st = status.get(versi.pk) if versi is not None else None
        belum = set(st.belum) if st is not None else {h.nama for h in harapan.get(s.pk, [])}
        penanda = [{"nama": h.nama, "nip": h.nip, "ttd": h.nama not in belum} for h in harapan.get(s.pk, [])]
        siap = versi is not None and versi.siap
        baris.append(
            {
                "surat": s,
                "versi": versi,
                "pemegang": pemegang.get(s.pk, ("", "")),
                "pak": s.jenis == JenisSurat.PAK_AK,
                # Who the next paraf waits for ("Sekretariat Tim Penilai (…), paraf ke-1").
                "menunggu_paraf": st.rincian if siap and st is not None and st.keadaan == ringkasan.MENUNGGU_PARAF
                else "",
                "penanda": penanda,
                "selesai": bool(versi and versi.ttd_berkas) or (bool(penanda) and all(p["ttd"] for p in penanda)),
                "menunggu_paraf_saya": siap and versi.pk in paraf_saya,
                "menunggu_ttd_saya": siap and versi.pk in ttd_saya,
                # The letter names this user as signer but they are no registered signing official.
                "belum_terdaftar": pejabat is None and any(p["nip"] and p["nip"] == nip_saya for p in penanda),
            }
        )  # fmt: skip
    return baris


@dataclass(frozen=True)
class AngkaKredit:
    """What the team assesses (seed 001 BAB IV D.1, on PerBKN 3/2023's rules): the holder's
    ledger — the AK awal, the konversi per period, the other movements — its two totals against
    the jenjang's thresholds, and the computed result: the AK kumulatif toward the next pangkat
    (or the next jenjang when only that is met), the AK it requires, and whether it is met."""

    pejabat: object
    mutasi: list
    ambang: object
    ak_awal: Decimal
    ak_konversi: Decimal
    ak: Decimal
    syarat: Decimal | None
    memenuhi: bool

    @property
    def kurang(self) -> Decimal | None:
        return None if self.syarat is None else max(Decimal(0), self.syarat - self.ak)

    @property
    def rincian(self) -> list[tuple[str, str, Decimal]]:
        """(kind, label, sum) of every kind of movement in the ledger, in the ledger's kinds'
        order (the PAK's own row, which moves nothing, left out): the summary lines that add up
        to the totals — a correction or a kenaikan shows as its own line (fresh-eye walk of issue
        19: "AK awal 40 + konversi 33,33" was shown against a total of 67,08)."""
        from apps.jabatan.domain import JENIS_LABELS, JenisMutasi

        jumlah: dict[str, Decimal] = {}
        for m in self.mutasi:
            jumlah[m.jenis] = jumlah.get(m.jenis, Decimal(0)) + m.nilai
        return [
            (j.value, str(JENIS_LABELS[j]), jumlah[j.value])
            for j in JenisMutasi
            if j.value in jumlah and j != JenisMutasi.PENETAPAN
        ]


def ak_dan_syarat(a) -> tuple[Decimal, Decimal | None, bool]:
    """(AK kumulatif, AK required for the next pangkat/jabatan, met) from the holder's
    :class:`apps.jabatan.domain.Ambang`: the total toward the next pangkat, or toward the next
    jenjang when only that one is met."""
    from apps.jabatan.domain import tujuan_ak

    if tujuan_ak(a) == "jenjang":
        return a.ak_jenjang, a.jenjang, a.memenuhi_jenjang
    return a.ak_pangkat, a.pangkat, a.memenuhi_pangkat


def angka_kredit(usulan: UsulanPenetapanAK) -> AngkaKredit:
    """The holder's ledger figures for an usulan the caller already sees (``terlihat``): the
    assessing team belongs to another instansi, whose scope does not hold the holder's ledger."""
    from apps.jabatan import selectors as jabatan
    from apps.jabatan.domain import JenisMutasi
    from apps.jabatan.models import PejabatFungsional

    with tenancy.all_tenants(reason="the holder's ledger, assessed by the team of another instansi"):
        pejabat = PejabatFungsional.objects.select_related("jenjang", "jf", "golongan").get(pk=usulan.pejabat_id)
        mutasi = list(jabatan.mutasi_dari(pejabat))
        a = jabatan.ambang(pejabat)
    ak, syarat, memenuhi = ak_dan_syarat(a)
    return AngkaKredit(
        pejabat=pejabat,
        mutasi=mutasi,
        ambang=a,
        ak_awal=sum((m.nilai for m in mutasi if m.jenis == JenisMutasi.AWAL), Decimal(0)),
        ak_konversi=sum((m.nilai for m in mutasi if m.jenis == JenisMutasi.KONVERSI), Decimal(0)),
        ak=ak,
        syarat=syarat,
        memenuhi=memenuhi,
    )
