"""Scoped reads of holders and their ledger, and who meets the thresholds (and since when)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from apps.core import tenancy
from apps.jabatan.domain import (
    TANPA_UNTUK_JENJANG,
    TANPA_UNTUK_PANGKAT,
    Ambang,
    JenisMutasi,
    ambang_pangkat_berlaku,
    totals,
    tujuan_ak,
)
from apps.jabatan.models import (
    MutasiAK,
    PejabatFungsional,
    kenaikan_jenjang_terakhir,
    kenaikan_pangkat_mendatang,
)


def ak_kumulatif(pejabat: PejabatFungsional) -> Decimal:
    """The balance of the holder's ledger: the sum of every row (corrections are signed rows)."""
    total = MutasiAK.objects.filter(pejabat=pejabat).aggregate(s=Sum("nilai"))["s"]
    return Decimal(total or 0)


def mutasi_dari(pejabat: PejabatFungsional):
    return (
        MutasiAK.objects.filter(pejabat=pejabat)
        .select_related("jenjang", "surat", "dibuat_oleh", "golongan")
        # The AK awal first, then by the period a row covers (a predikat entered late sits in its
        # year), a row without one (a PAK, a correction) on the day it was recorded — so a PAK
        # follows the konversi it sums — then as recorded.
        .order_by(
            Case(When(jenis="awal", then=Value(0)), default=Value(1), output_field=IntegerField()),
            Coalesce("periode_mulai", TruncDate("created_at")),
            "created_at",
            "id",
        )
    )


def _urutan_buku(m) -> tuple:
    """A ledger row's place (as ``_KELAYAKAN_SQL`` orders it): the end of its period, else its
    start, else the day it was recorded (Jakarta), then as recorded."""
    return (m.periode_selesai or m.periode_mulai or timezone.localtime(m.created_at).date(), m.pk)


def ambang(pejabat: PejabatFungsional) -> Ambang:
    """The holder's two AK totals (:func:`apps.jabatan.domain.totals`) against the thresholds of
    their jenjang (reference data). One query."""
    rows = sorted(
        MutasiAK.objects.filter(pejabat=pejabat).only("id", "jenis", "nilai", "periode_mulai", "periode_selesai",
                                                      "created_at"),
        key=_urutan_buku,
    )  # fmt: skip
    ak_p, ak_j = totals((m.jenis, m.nilai) for m in rows)
    jenjang = pejabat.jenjang
    return Ambang(
        ak_pangkat=ak_p,
        ak_jenjang=ak_j,
        pangkat=ambang_pangkat_berlaku(
            jenjang.ak_kumulatif_pangkat, golongan_id=pejabat.golongan_id, golongan_maks_id=jenjang.golongan_maks_id
        ),
        jenjang=jenjang.ak_kumulatif_jenjang,
    )


def ak_berlaku(a: Ambang, mutasi, *, jenjang_berikut=None) -> dict:
    """The one AK kumulatif a holder's page leads with — the total that counts now, the one the
    next PAK states (:func:`apps.jabatan.domain.tujuan_ak`) — what it counts toward, and why it
    differs from the other total and from the plain sum of the ledger after a kenaikan pangkat or
    jenjang: a kenaikan pangkat uses the AK of its threshold from the pangkat total only, a
    kenaikan jenjang starts both from the remainder (:func:`apps.jabatan.domain.totals`).
    ``mutasi``: the holder's ledger rows (:func:`mutasi_dari`)."""
    from django.utils.translation import gettext as _

    from apps.core.format import format_ak, tgl

    tujuan = tujuan_ak(a)
    urut = sorted(mutasi, key=_urutan_buku)
    i_kj = max((i for i, m in enumerate(urut) if m.jenis == JenisMutasi.KENAIKAN_JENJANG), default=None)
    kj = urut[i_kj] if i_kj is not None else None
    sejak_kj = urut[i_kj + 1 :] if i_kj is not None else urut
    kp = next((m for m in reversed(sejak_kj) if m.jenis == JenisMutasi.KENAIKAN_PANGKAT), None)
    ke_jenjang = _(" ke %(j)s") % {"j": jenjang_berikut.nama} if jenjang_berikut is not None else ""
    if tujuan == "pangkat":
        ak, syarat, memenuhi, kurang = a.ak_pangkat, a.pangkat, a.memenuhi_pangkat, a.kurang_pangkat
        untuk = _("untuk kenaikan pangkat berikutnya")
    else:
        ak, syarat, memenuhi, kurang = a.ak_jenjang, a.jenjang, a.memenuhi_jenjang, a.kurang_jenjang
        untuk = _("untuk kenaikan jenjang%(k)s") % {"k": ke_jenjang}
    penjelasan = []
    if kp is not None:
        r = kp.rincian or {}
        kp_teks = {"g": r.get("ke_golongan") or "-", "t": tgl(kp.periode_mulai) if kp.periode_mulai else "-",
                   "d": format_ak(-kp.nilai)}  # fmt: skip
        if tujuan == "pangkat":
            penjelasan.append(
                _(
                    "Kenaikan pangkat ke %(g)s (TMT %(t)s) memakai %(d)s angka kredit (baris minus di buku angka "
                    "kredit); sisanya dibawa ke kenaikan pangkat berikutnya."
                )
                % kp_teks
            )
        else:
            penjelasan.append(
                _(
                    "Kenaikan pangkat ke %(g)s (TMT %(t)s) memakai %(d)s angka kredit (baris minus di buku angka "
                    "kredit) hanya dari AK untuk kenaikan pangkat; AK untuk kenaikan jenjang tidak berkurang."
                )
                % kp_teks
            )
    elif kj is not None and tujuan == "pangkat":
        r = kj.rincian or {}
        penjelasan.append(
            _("Dihitung dari sisa angka kredit kenaikan jenjang ke %(j)s.") % {"j": r.get("ke_jenjang") or "-"}
        )
    if tujuan == "pangkat" and a.jenjang is not None:
        penjelasan.append(
            _(
                "Untuk kenaikan jenjang%(k)s dihitung terpisah, tanpa dikurangi kenaikan pangkat: %(ak)s dari ambang "
                "%(s)s."
            )
            % {"k": ke_jenjang, "ak": format_ak(a.ak_jenjang), "s": format_ak(a.jenjang)}
        )
    elif tujuan == "jenjang" and a.pangkat is None and a.jenjang is None:
        penjelasan.append(_("Jenjang dan pangkat tertinggi: tidak ada kenaikan pangkat maupun jenjang berikutnya."))
    elif tujuan == "jenjang" and a.pangkat is None:
        pass  # said by the page's own line (``puncak``)
    elif tujuan == "jenjang":
        penjelasan.append(
            _(
                "Ambang kenaikan jenjang sudah terpenuhi; untuk kenaikan pangkat angka kreditnya %(ak)s dari ambang "
                "%(s)s."
            )
            % {"ak": format_ak(a.ak_pangkat), "s": format_ak(a.pangkat)}
        )
    return {
        "ak": ak, "tujuan": tujuan, "untuk": untuk, "syarat": syarat, "memenuhi": memenuhi, "kurang": kurang,
        "penjelasan": " ".join(str(p) for p in penjelasan),
        # The top pangkat of the jenjang: the next pangkat only with a kenaikan jenjang.
        "puncak": a.pangkat is None and a.jenjang is not None,
    }  # fmt: skip


def dengan_berlaku(qs):
    """``qs`` annotated with the golongan and the jenjang in force today where a kenaikan pangkat's
    or jenjang's TMT is still ahead (``PejabatFungsional.golongan_berlaku``, issue 19 F7;
    ``jenjang_berlaku``): the earliest kenaikan pangkat row still ahead, the latest kenaikan jenjang
    row, says what it rises from. One subquery per column, no query per holder."""
    from django.db.models import JSONField, OuterRef, Subquery
    from django.db.models.fields.json import KT

    naik = kenaikan_pangkat_mendatang(OuterRef("pk"))
    naik_jenjang = kenaikan_jenjang_terakhir(OuterRef("pk"))
    return qs.annotate(
        gol_berlaku_kode=Subquery(naik.values(k=KT("rincian__dari_golongan"))[:1]),
        gol_berlaku_tmt=Subquery(naik.values(k=KT("rincian__tmt_golongan_lama"))[:1]),
        jj_berlaku=Subquery(naik_jenjang.values("rincian")[:1], output_field=JSONField()),
    )


def jenjang_belum_berlaku() -> dict[int, tuple[int, str]]:
    """{holder id: (JF id, kode of the jenjang in force)} of the scope's holders whose recorded
    jenjang is not in force yet (an SK kenaikan jenjang's TMT ahead): few at any time, so the lists
    filter and count by the jenjang in force with one query more, not a subquery per row."""
    from django.utils import timezone

    qs = dengan_berlaku(
        PejabatFungsional.objects.filter(tmt_jabatan__gt=timezone.localdate()).select_related("jenjang")
    )
    return {p.pk: (p.jf_id, p.jenjang_berlaku.kode) for p in qs if p.jenjang_belum_berlaku}


def pejabat_list(*, jf=None, jenjang=None, jenjang_kode: str | None = None):
    """The scope's holders; ``jenjang`` (or ``jenjang_kode``, in any JF): those whose jenjang in
    force today is that one."""
    qs = dengan_berlaku(PejabatFungsional.objects.select_related("jf", "jenjang", "golongan").order_by("nama", "id"))
    if jf is not None:
        qs = qs.filter(jf=jf)
    if jenjang is not None or jenjang_kode is not None:
        kode = jenjang.kode if jenjang is not None else jenjang_kode
        beda = jenjang_belum_berlaku()
        masuk = [pk for pk, (jf_id, k) in beda.items() if k == kode and (jenjang is None or jf_id == jenjang.jf_id)]
        tercatat = Q(jenjang=jenjang) if jenjang is not None else Q(jenjang__kode=kode)
        qs = qs.filter((tercatat & ~Q(pk__in=list(beda))) | Q(pk__in=masuk))
    return qs


def jumlah_per_jenjang(*, per_instansi: bool = False) -> list[dict]:
    """The scope's active holders per JF (and instansi) and jenjang in force today: ``jf__nama``,
    (``instansi__nama``), ``jenjang__nama``, ``n``, by JF (instansi) and the JF's order of jenjang."""
    from django.db.models import Count

    from apps.core.models import Instansi
    from apps.referensi.models import Jenjang

    kolom = ["jf_id", "instansi_id", "jenjang_id"] if per_instansi else ["jf_id", "jenjang_id"]
    aktif = PejabatFungsional.objects.filter(aktif=True)
    hitung = {tuple(r[k] for k in kolom): r["n"] for r in aktif.values(*kolom).annotate(n=Count("id"))}
    if beda := jenjang_belum_berlaku():
        ke_id = {(j.jf_id, j.kode): j.pk for j in Jenjang.objects.filter(jf_id__in={jf for jf, _k in beda.values()})}
        for r in aktif.filter(pk__in=list(beda)).values("pk", *kolom):
            baru = ke_id.get(beda[r["pk"]])
            if baru is not None:
                lama = tuple(r[k] for k in kolom)
                hitung[lama] -= 1
                hitung[(*lama[:-1], baru)] = hitung.get((*lama[:-1], baru), 0) + 1
    jenjang = Jenjang.objects.select_related("jf").in_bulk({k[-1] for k in hitung})
    instansi = Instansi.objects.in_bulk({k[1] for k in hitung}) if per_instansi else {}
    baris = []
    for k, n in hitung.items():
        if n:
            j = jenjang[k[-1]]
            baris.append(
                {"jf__nama": j.jf.nama, **({"instansi__nama": instansi[k[1]].nama} if per_instansi else {}),
                 "jenjang__nama": j.nama, "urutan": j.urutan, "n": n}
            )  # fmt: skip
    return sorted(baris, key=lambda r: (r["jf__nama"], r.get("instansi__nama", ""), r["urutan"]))


def pejabat_satu(pk) -> PejabatFungsional:
    """One holder of the scope (404 for anyone else's: the manager and RLS hide it)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        dengan_berlaku(
            PejabatFungsional.objects.select_related("jf", "jenjang", "golongan", "sk_surat", "usulan_asal")
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class Kelayakan:
    """One holder's standing: the two totals, the thresholds and the date each was met (the end of
    the period whose AK crossed it, or None when not met now)."""

    pejabat_id: int
    ak_pangkat: Decimal
    ak_jenjang: Decimal
    ambang_pangkat: Decimal | None
    ambang_jenjang: Decimal | None
    pangkat_sejak: date | None
    jenjang_sejak: date | None

    @property
    def memenuhi_pangkat(self) -> bool:
        return self.pangkat_sejak is not None

    @property
    def memenuhi_jenjang(self) -> bool:
        return self.jenjang_sejak is not None


def lingkup_sql(alias: str) -> tuple[str, dict]:
    """The manager's scope as SQL with named parameters, for set-based queries (default-deny like
    the manager; RLS applies as well)."""
    active = tenancy.require()
    if active.all_tenants:
        return "TRUE", {}
    cond = f"{alias}.instansi_id = %(lingkup_instansi)s"
    params = {"lingkup_instansi": active.instansi_id or 0}
    if active.jf_ids:
        cond += f" OR {alias}.jf_id = ANY(%(lingkup_jf)s)"
        params["lingkup_jf"] = sorted(active.jf_ids)
    if getattr(active, "pejabat_id", None):  # a holder's own login: their record only
        cond += f" OR {alias}.id = %(lingkup_pejabat)s"
        params["lingkup_pejabat"] = active.pejabat_id
    return f"({cond})", params


# Running totals per holder in period order; a threshold is met since the last row where the
# total crossed it from below, if the total still meets it. One pass over the ledger, in SQL.
# As apps.jabatan.domain.totals: a kenaikan jenjang row starts a new segment (``seg``) whose
# pangkat total begins at the jenjang total carried over (the row's ``np``), so the pangkat total
# and its "since" date count in the new jenjang only.
_KELAYAKAN_SQL = """
WITH baris AS (
    SELECT m.pejabat_id, m.id, m.jenis, m.nilai,
           COALESCE(m.periode_selesai, m.periode_mulai, (m.created_at AT TIME ZONE 'Asia/Jakarta')::date) AS tgl,
           CASE WHEN m.jenis = ANY(%(tanpa_j)s) THEN 0 ELSE m.nilai END AS nj,
           CASE WHEN m.jenis = %(kj)s THEN 1 ELSE 0 END AS kj
    FROM jabatan_mutasiak m JOIN jabatan_pejabatfungsional p ON p.id = m.pejabat_id
    WHERE {lingkup} {saring}
), jalan_j AS (
    SELECT b.*, SUM(nj) OVER w AS rj, SUM(kj) OVER w AS seg
    FROM baris b
    WINDOW w AS (PARTITION BY pejabat_id ORDER BY tgl, id ROWS UNBOUNDED PRECEDING)
), nilai_p AS (
    SELECT j.*, CASE WHEN kj = 1 THEN rj WHEN jenis = ANY(%(tanpa_p)s) THEN 0 ELSE nilai END AS np
    FROM jalan_j j
), jalan AS (
    SELECT pejabat_id, id, tgl, np, nj, rj,
           SUM(np) OVER (PARTITION BY pejabat_id, seg ORDER BY tgl, id ROWS UNBOUNDED PRECEDING) AS rp
    FROM nilai_p
)
SELECT j.pejabat_id,
       (array_agg(j.rp ORDER BY j.tgl DESC, j.id DESC))[1] AS ak_p,
       (array_agg(j.rj ORDER BY j.tgl DESC, j.id DESC))[1] AS ak_j,
       jj.ak_kumulatif_pangkat, jj.ak_kumulatif_jenjang, p.golongan_id, jj.golongan_maks_id,
       MAX(j.tgl) FILTER (WHERE j.rp >= jj.ak_kumulatif_pangkat AND j.rp - j.np < jj.ak_kumulatif_pangkat),
       MAX(j.tgl) FILTER (WHERE j.rj >= jj.ak_kumulatif_jenjang AND j.rj - j.nj < jj.ak_kumulatif_jenjang)
FROM jalan j
JOIN jabatan_pejabatfungsional p ON p.id = j.pejabat_id
JOIN referensi_jenjang jj ON jj.id = p.jenjang_id
GROUP BY j.pejabat_id, jj.ak_kumulatif_pangkat, jj.ak_kumulatif_jenjang, p.golongan_id, jj.golongan_maks_id
"""


def kelayakan_iter(*, pejabat_ids=None, jf=None, hanya_memenuhi: bool = False, ukuran: int = 2000):
    """Every holder of the scope (or of ``pejabat_ids`` / ``jf``) against the thresholds of their
    jenjang, computed in the database in one pass over the ledger and streamed (a server-side
    cursor where the connection allows one, read ``ukuran`` rows at a time)."""
    lingkup, named = lingkup_sql("p")
    saring = ""
    if pejabat_ids is not None:
        saring += " AND p.id = ANY(%(ids)s)"
    if jf is not None:
        saring += " AND p.jf_id = %(jf)s"
    sql = _KELAYAKAN_SQL.format(lingkup=lingkup, saring=saring)
    named |= {
        "tanpa_p": sorted(TANPA_UNTUK_PANGKAT), "tanpa_j": sorted(TANPA_UNTUK_JENJANG),
        "kj": JenisMutasi.KENAIKAN_JENJANG.value,
        "ids": list(pejabat_ids or []), "jf": getattr(jf, "pk", jf),
    }  # fmt: skip
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(sql, named)
        while rows := cursor.fetchmany(ukuran):
            for pid, ak_p, ak_j, t_p, t_j, gol, gol_maks, sejak_p, sejak_j in rows:
                t_p = ambang_pangkat_berlaku(t_p, golongan_id=gol, golongan_maks_id=gol_maks)
                k = Kelayakan(
                    pejabat_id=pid, ak_pangkat=Decimal(ak_p or 0), ak_jenjang=Decimal(ak_j or 0),
                    ambang_pangkat=t_p, ambang_jenjang=t_j,
                    pangkat_sejak=sejak_p if t_p is not None and (ak_p or 0) >= t_p else None,
                    jenjang_sejak=sejak_j if t_j is not None and (ak_j or 0) >= t_j else None,
                )  # fmt: skip
                if not hanya_memenuhi or k.memenuhi_pangkat or k.memenuhi_jenjang:
                    yield k


def kelayakan(**kwargs) -> list[Kelayakan]:
    """:func:`kelayakan_iter` as a list (for a page or one holder)."""
    return list(kelayakan_iter(**kwargs))


def rekap_nasional() -> dict:
    """The pembina's national recap (page and API): active holders of the JFs in scope per JF,
    instansi and jenjang in force, their total, and how many meet the AK threshold for kenaikan pangkat
    and for kenaikan jenjang."""
    memenuhi = kelayakan(hanya_memenuhi=True)
    return {
        "baris": jumlah_per_jenjang(per_instansi=True),
        "jumlah": PejabatFungsional.objects.filter(aktif=True).count(),
        "memenuhi_pangkat": sum(1 for k in memenuhi if k.memenuhi_pangkat),
        "memenuhi_jenjang": sum(1 for k in memenuhi if k.memenuhi_jenjang),
    }


def pak_meliputi(mutasi, periode_mulai):
    """The PAK ledger row (``penetapan``) whose masa penilaian (its ``rincian``) holds a period
    starting ``periode_mulai``, or None: a predikat corrected there changes figures that PAK
    states, which only its PYB corrects (issue 19, fresh-eye walk)."""
    if periode_mulai is None:
        return None
    hari = periode_mulai.isoformat()
    for p in mutasi:
        r = (p.rincian or {}) if p.jenis == "penetapan" else {}
        if r.get("masa_mulai") and r["masa_mulai"] <= hari <= (r.get("masa_selesai") or r["masa_mulai"]):
            return p
    return None


def tandai_pak(mutasi: list) -> None:
    """Mark the ledger rows for the page: a konversi/koreksi inside a PAK's masa penilaian gets
    ``pak_nomor``; a PAK whose masa penilaian had a predikat corrected after it gets
    ``pak_dikoreksi`` (its figures no longer match the ledger until the PYB corrects it)."""
    for m in mutasi:
        if m.jenis in ("konversi", "koreksi") and (p := pak_meliputi(mutasi, m.periode_mulai)) is not None:
            m.pak_nomor = (p.rincian or {}).get("surat") or ""
            if m.jenis == "koreksi" and m.created_at > p.created_at:
                p.pak_dikoreksi = True
