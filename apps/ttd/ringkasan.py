"""The signature state of many letters at once, in a fixed number of queries whatever their
number: what the letter lists show per letter (signed electronically, wet-ink scan uploaded,
waiting for a paraf, waiting for a signature), the pages that check the letters an issuance rests
on are signed (apps.surat.services), and the letter card's status line for a reader who neither
approves nor signs the letter.

The rules are those of :mod:`apps.ttd.services` (``ditandatangani``, ``status_penanda``,
``langkah_berikut``), applied set-wise; a test compares them letter by letter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from django.utils.translation import gettext as _

from apps.core.format import waktu
from apps.surat.models import VersiSurat
from apps.ttd.models import AlurParaf, AlurVersi, Paraf, TandaTangan
from apps.ttd.validasi import harapan_massal

DIPROSES = "diproses"
DIGANTIKAN = "digantikan"
ELEKTRONIK = "elektronik"
PINDAIAN = "pindaian"
DIUNGGAH = "diunggah"
MENUNGGU_PARAF = "menunggu_paraf"
MENUNGGU_TTD = "menunggu_ttd"
#: How the file name of a copy signed in the portal ends (apps.ttd.tasks names it).
SUFIKS_TTE = " (TTE).pdf"


@dataclass
class StatusTtd:
    """One letter version's signature state."""

    keadaan: str
    #: Short, for a table cell: "Ditandatangani elektronik", "Menunggu paraf", …
    label: str
    #: Who and when, or who is awaited: "oleh … pada …", "Kabag Kepegawaian (paraf ke-1)".
    rincian: str = ""
    #: Counts as signed for the letters that follow it (``services.ditandatangani``).
    ditandatangani: bool = False
    #: The signers the letter names who have not signed it yet.
    belum: list[str] = field(default_factory=list)
    #: Bootstrap colour of the badge.
    warna: str = "secondary"


def anotasi(qs):
    """A VersiSurat queryset annotated with what :func:`status_versi` reads (the finished
    signatures, the parafs not void) and its paraf chain snapshot, so a letter list shows each
    letter's state without a query of its own for them."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef
    from django.db.models.functions import JSONObject

    ttd = (
        TandaTangan.objects.filter(versi_id=OuterRef("pk"), status=TandaTangan.Status.SELESAI)
        .order_by("selesai_at", "id")
        .values(j=JSONObject(cara="cara", nama="penandatangan_nama", nip="penandatangan_nip",
                             nik="penandatangan_nik", sidik="sidik_jari", waktu="waktu_ttd", selesai="selesai_at"))
    )  # fmt: skip
    paraf = (
        Paraf.objects.filter(versi_id=OuterRef("pk"), batal_at__isnull=True)
        .order_by()
        .values(j=JSONObject(urutan="urutan", user="user_id", sha256="sha256"))
    )
    return qs.select_related("alur_paraf").annotate(ttd_ringkas=ArraySubquery(ttd), paraf_ringkas=ArraySubquery(paraf))


def _waktu_json(value):
    return datetime.fromisoformat(value) if value else None


def _baris_ttd(r: dict) -> SimpleNamespace:
    return SimpleNamespace(
        cara=r["cara"], penandatangan_nama=r["nama"], penandatangan_nip=r["nip"], penandatangan_nik=r["nik"],
        sidik_jari=r["sidik"], waktu_ttd=_waktu_json(r["waktu"]), selesai_at=_waktu_json(r["selesai"]),
    )  # fmt: skip


def _nama_user(user) -> str:
    return str(user) if user is not None else "-"


def status_versi(versi_list) -> dict[int, StatusTtd]:
    """``{version id: StatusTtd}`` for these versions (each with its ``surat`` loaded), in a
    fixed number of queries."""
    versi_list = [v for v in versi_list if v is not None]
    if not versi_list:
        return {}
    surat_list = list({v.surat_id: v.surat for v in versi_list}.values())
    harapan = harapan_massal(surat_list)
    ttd: dict[int, list] = {}
    tanya_ttd = []
    for v in versi_list:
        if hasattr(v, "ttd_ringkas"):  # read with the version (:func:`anotasi`)
            ttd[v.pk] = [_baris_ttd(r) for r in v.ttd_ringkas or []]
        else:
            tanya_ttd.append(v.pk)
    for t in (
        TandaTangan.objects.filter(versi_id__in=tanya_ttd, status=TandaTangan.Status.SELESAI)
        .only("versi_id", "cara", "penandatangan_nama", "penandatangan_nip", "penandatangan_nik", "sidik_jari",
              "waktu_ttd", "selesai_at")
        .order_by("selesai_at", "id")
    ) if tanya_ttd else ():  # fmt: skip
        ttd.setdefault(t.versi_id, []).append(t)
    # The paraf chain each version was issued with, and the parafs that count on it.
    belum_siap = [v for v in versi_list if not v.siap or v.ttd_berkas]
    perlu_alur = [v.pk for v in versi_list if v not in belum_siap and v.terkini]
    # Read with the versions when they were fetched with ``select_related("alur_paraf")``.
    snap: dict[int, list] = {}
    tanya = []
    for v in versi_list:
        if v.pk not in perlu_alur:
            continue
        if VersiSurat.alur_paraf.is_cached(v):
            if (a := getattr(v, "alur_paraf", None)) is not None:
                snap[v.pk] = a.langkah
        else:
            tanya.append(v.pk)
    if tanya:
        rows = AlurVersi.objects.filter(versi_id__in=tanya).only("versi_id", "langkah")
        snap |= {a.versi_id: a.langkah for a in rows}
    kini: dict[tuple[int, str], list[dict]] = {}
    tanpa_snap = [v for v in versi_list if v.pk in perlu_alur and v.pk not in snap]
    if tanpa_snap:  # made before snapshots existed: the issuer's current chain
        for alur in AlurParaf.objects.filter(
            instansi_id__in={v.surat.penerbit_id for v in tanpa_snap}, aktif=True
        ).prefetch_related("langkah"):
            kini[(alur.instansi_id, alur.jenis)] = [
                {"urutan": s.urutan, "user": s.user_id, "sebutan": s.sebutan}
                for s in sorted(alur.langkah.all(), key=lambda s: s.urutan)
            ]
    diberi: dict[int, set[tuple[int, int]]] = {}
    sha = {v.pk: v.sha256 for v in versi_list}
    tanya_paraf = []
    for v in versi_list:
        if v.pk not in perlu_alur:
            continue
        if hasattr(v, "paraf_ringkas"):  # read with the version (:func:`anotasi`)
            diberi[v.pk] = {(p["urutan"], p["user"]) for p in v.paraf_ringkas or [] if p["sha256"] == v.sha256}
        else:
            tanya_paraf.append(v.pk)
    for p in (
        Paraf.objects.filter(versi_id__in=tanya_paraf, batal_at__isnull=True).only("versi_id", "urutan", "user_id",
                                                                                  "sha256")
        if tanya_paraf
        else ()
    ):  # fmt: skip
        if p.sha256 == sha[p.versi_id]:
            diberi.setdefault(p.versi_id, set()).add((p.urutan, p.user_id))
    berikut: dict[int, dict] = {}
    for v in versi_list:
        if v.pk not in perlu_alur:
            continue
        steps = snap[v.pk] if v.pk in snap else kini.get((v.surat.penerbit_id, v.surat.jenis), [])
        given = diberi.get(v.pk, set())
        nxt = next(
            (
                s
                for s in sorted(steps, key=lambda s: s["urutan"])
                if not any((s["urutan"], u) in given for u in s.get("atau") or [s["user"]])
            ),
            None,
        )
        if nxt is not None:
            berikut[v.pk] = nxt
    users = {}
    if berikut:
        from apps.accounts.models import User

        users = User.objects.in_bulk({u for s in berikut.values() for u in s.get("atau") or [s["user"]]})

    out: dict[int, StatusTtd] = {}
    for v in versi_list:
        rows = ttd.get(v.pk, [])
        h_list = harapan.get(v.surat_id, [])
        cocok = {
            i: next((t for t in rows if h.cocok({"nip": t.penandatangan_nip, "nik": t.penandatangan_nik,
                                                 "sidik_jari": t.sidik_jari})), None)
            for i, h in enumerate(h_list)
        }  # fmt: skip
        belum = [h.nama for i, h in enumerate(h_list) if cocok[i] is None]
        if not v.siap:
            label = _("Gagal dibuat") if v.status == VersiSurat.Status.GAGAL else _("PDF sedang dibuat")
            out[v.pk] = StatusTtd(DIPROSES, label, belum=belum, warna="warning")
        elif not v.terkini:
            out[v.pk] = StatusTtd(DIGANTIKAN, _("Digantikan versi baru"), belum=belum)
        elif any(t.cara == TandaTangan.Cara.MANUAL for t in rows):
            t = next(t for t in rows if t.cara == TandaTangan.Cara.MANUAL)
            out[v.pk] = StatusTtd(
                PINDAIAN, _("Pindaian tanda tangan basah"), _("diunggah %(w)s") % {"w": waktu(t.selesai_at)},
                ditandatangani=True, belum=belum, warna="info",
            )  # fmt: skip
        elif rows and not belum:
            oleh = "; ".join(
                _("%(n)s pada %(w)s") % {"n": t.penandatangan_nama or "-", "w": waktu(t.waktu_ttd or t.selesai_at)}
                for t in {id(c): c for c in cocok.values() if c is not None}.values()
            )
            out[v.pk] = StatusTtd(ELEKTRONIK, _("Ditandatangani elektronik"), _("oleh %(o)s") % {"o": oleh},
                                  ditandatangani=True, warna="success")  # fmt: skip
        elif v.ttd_berkas and not rows:
            # A signed copy whose signature rows this reader does not see (the holder a PAK is
            # about: the rows are the issuer's) or that predates them: said by how it was made —
            # signed in the portal (TTE) or uploaded — once, not "diunggah diunggah" (issue 19).
            if v.ttd_nama_asli.endswith(SUFIKS_TTE):
                label = _("Ditandatangani elektronik di portal")
            else:
                label = _("Salinan bertanda tangan diunggah")
            out[v.pk] = StatusTtd(
                DIUNGGAH, label, _("pada %(w)s") % {"w": waktu(v.ttd_at)}, belum=belum, warna="info",
            )  # fmt: skip
        elif v.pk in berikut:
            s = berikut[v.pk]
            # A step any one of several may fill (the HAPAK's sekretariat): "A atau B".
            siapa = _(" atau ").join(_nama_user(users.get(u)) for u in s.get("atau") or [s["user"]])
            rincian = (
                _("%(s)s (%(u)s), paraf ke-%(n)d") % {"s": s["sebutan"], "u": siapa, "n": s["urutan"]}
                if s.get("sebutan")
                else _("%(u)s, paraf ke-%(n)d") % {"u": siapa, "n": s["urutan"]}
            )
            out[v.pk] = StatusTtd(MENUNGGU_PARAF, _("Menunggu paraf"), rincian, belum=belum, warna="warning")
        else:
            sudah = len(h_list) - len(belum)
            label = _("Belum ditandatangani")
            if sudah:
                label = _("Ditandatangani %(s)d dari %(t)d") % {"s": sudah, "t": len(h_list)}
            rincian = _("menunggu tanda tangan %(n)s") % {"n": ", ".join(belum) or "-"}
            out[v.pk] = StatusTtd(MENUNGGU_TTD, label, rincian, belum=belum, warna="secondary")
    return out


def status_surat(surat_list) -> dict[int, StatusTtd]:
    """``{surat id: StatusTtd}`` of each letter's version in force (absent while it has none)."""
    by_id = {s.pk: s for s in surat_list}
    versi = list(anotasi(VersiSurat.objects.filter(surat_id__in=list(by_id), diganti_at__isnull=True)))
    for v in versi:
        v.surat = by_id[v.surat_id]
    hasil = status_versi(versi)
    return {v.surat_id: hasil[v.pk] for v in versi}
