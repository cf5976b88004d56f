"""Paraf chain, signing requests, signed-copy uploads, and what a complete signature does
(an SK's usulan reach "SK terbit").

Signing is requested here and done by the worker (:mod:`apps.ttd.tasks`, queue ``ttd``): one
:class:`BatchTtd` per action, one :class:`TandaTangan` row and one outbox message per letter."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import audit, outbox
from apps.core.files import check_upload
from apps.core.format import waktu
from apps.pengusulan.alur import UsulanError, kunci_usulan, pindahkan
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import JenisSurat, Surat, VersiSurat
from apps.surat.permissions import dapat_mengelola
from apps.surat.services import SuratError, bukan_pindaian_surat, salinan_ttd_unik
from apps.ttd import rahasia
from apps.ttd.models import AlurParaf, AlurVersi, BatchTtd, LangkahParaf, Paraf, Pejabat, TandaTangan
from apps.ttd.validasi import harapan_untuk, validasi, waktu_baca

logger = logging.getLogger(__name__)

QUEUE = "ttd"
TASK = "ttd.tandatangani"
MAKS_BATCH = 500
JENIS_SK = (JenisSurat.SK, JenisSurat.SK_KOLEKTIF)
#: Letters whose wet-ink signed scan is accepted (with the reason) when electronic signing is not
#: possible (seed 001: manual work when the system is down): the SK, the Tim Penilai AK's PAK
#: and HAPAK (an instansi with no registered signing official signs them by hand), and the berita
#: acara sidang and rekomendasi, which the next letter requires signed (issue 13: a rekomendasi
#: waits for its signed berita acara, an SK for its signed rekomendasi): without the fallback a
#: TTE outage would stop every usulan at the first letter. The PAK issued with an SK too: the SK
#: waits for it (seed 004: the PAK is signed first).
JENIS_MANUAL = (
    *JENIS_SK,
    JenisSurat.PAK,
    JenisSurat.PAK_AK,
    JenisSurat.HAPAK,
    JenisSurat.BERITA_ACARA,
    JenisSurat.REKOMENDASI,
)


class TtdError(UsulanError):
    pass


# --------------------------------------------------------------------------- paraf chain


def langkah_untuk(surat: Surat) -> list[LangkahParaf]:
    """The issuer's current chain for the letter's type (what a version made now is issued with)."""
    alur = AlurParaf.objects.filter(instansi_id=surat.penerbit_id, jenis=surat.jenis, aktif=True).first()
    if alur is None:
        return []
    return list(alur.langkah.select_related("user").order_by("urutan"))


@dataclass
class Langkah:
    """One step of the chain a version was issued with (:class:`AlurVersi`). ``atau``: a step any
    one of several people may fill (the HAPAK's Sekretariat Tim Penilai: :data:`LANGKAH_WAJIB`),
    ``user_id`` being the first of them; empty for a step of one approver."""

    urutan: int
    user_id: int
    sebutan: str
    user: object = None
    atau: tuple = ()
    users: list = field(default_factory=list)

    @property
    def user_ids(self) -> tuple:
        return tuple(self.atau) or (self.user_id,)

    @property
    def nama_pemberi(self) -> str:
        """Who may give this paraf: the approver, or "A atau B" for a step several may fill."""
        return _(" atau ").join(str(u) for u in (self.users or [self.user]) if u is not None)


def pemberi(row: dict) -> list[int]:
    """Who may fill a step of a chain snapshot (:class:`AlurVersi` ``langkah`` row)."""
    return list(row.get("atau") or [row["user"]])


#: Steps every version of a letter type starts with, before the chain its issuer configured on
#: the alur paraf page: letter type → ``fungsi(surat)`` returning ``[{"sebutan", "users"}]`` (any
#: one of ``users`` fills the step) or raising a ValidationError when the step cannot be filled.
#: Registered by the app issuing the letter (apps.penetapan: the HAPAK's Sekretariat Tim Penilai,
#: seed 001 BAB IV E.4.b), so apps.ttd stays unaware of it and every version — issued at the
#: sidang or corrected from any page or the API — gets the step.
LANGKAH_WAJIB: dict = {}


def daftarkan_langkah_wajib(jenis: str, fungsi) -> None:
    LANGKAH_WAJIB[jenis] = fungsi


VERSI_DIGANTIKAN = "tidak berlaku: versi digantikan"
HASH_BERUBAH = "tidak berlaku: berkas versi berubah"


def _langkah_snapshot(rows: list[dict]) -> list[Langkah]:
    from apps.accounts.models import User

    users = User.objects.in_bulk({u for r in rows for u in pemberi(r)})
    return [
        Langkah(
            r["urutan"],
            r["user"],
            r.get("sebutan", ""),
            users.get(r["user"]),
            tuple(r.get("atau") or ()),
            [users[u] for u in pemberi(r) if u in users],
        )
        for r in rows
    ]


def langkah_versi(versi: VersiSurat) -> list:
    """The chain this version must pass: the one it was issued with (its snapshot); a version made
    before snapshots existed follows the issuer's current chain. A chain changed on the alur
    paraf page applies to letters issued (or corrected) afterwards."""
    cache = getattr(versi, "_langkah_versi", None)
    if cache is not None:
        return cache
    if VersiSurat.alur_paraf.is_cached(versi):  # read with the version (select_related): no query
        try:
            snap = versi.alur_paraf
        except AlurVersi.DoesNotExist:
            snap = None
    else:
        snap = AlurVersi.objects.filter(versi_id=versi.pk).only("langkah").first()
    out = langkah_untuk(versi.surat) if snap is None else _langkah_snapshot(snap.langkah)
    versi._langkah_versi = out
    return out


def simpan_alur_versi(versi: VersiSurat) -> AlurVersi:
    """Snapshot the chain onto a version just made (apps.ttd.signals) — the letter type's
    required first steps (:data:`LANGKAH_WAJIB`), then the issuer's configured chain less the
    people those steps already name — and void the parafs of the letter's earlier versions
    (kept, with the reason, as its history)."""
    from apps.core import tenancy

    with tenancy.all_tenants(reason="the paraf chain snapshot of a letter version just made (columns copied from it)"):
        surat = Surat.objects.get(pk=versi.surat_id)
        wajib = LANGKAH_WAJIB.get(surat.jenis)
        langkah, dinamai = [], set()
        for s in wajib(surat) if wajib is not None else []:
            ids = list(dict.fromkeys(int(u) for u in s["users"]))
            langkah.append({"urutan": len(langkah) + 1, "user": ids[0], "sebutan": s["sebutan"], "atau": ids})
            dinamai |= set(ids)
        alur = AlurParaf.objects.filter(instansi_id=surat.penerbit_id, jenis=surat.jenis, aktif=True).first()
        for s in alur.langkah.order_by("urutan") if alur is not None else []:
            if s.user_id not in dinamai:  # the sekretariat's paraf is given once, at its own step
                langkah.append({"urutan": len(langkah) + 1, "user": s.user_id, "sebutan": s.sebutan})
        snap = AlurVersi.objects.create(
            versi=versi, instansi_id=versi.instansi_id, jf_id=versi.jf_id,
            instansi_penilai_id=versi.instansi_penilai_id, langkah=langkah,
        )  # fmt: skip
        Paraf.objects.filter(versi__surat_id=versi.surat_id, batal_at__isnull=True).exclude(versi_id=versi.pk).update(
            batal_at=timezone.now(), batal_alasan=VERSI_DIGANTIKAN
        )
    return snap


def paraf_sah(versi: VersiSurat) -> dict[int, Paraf]:
    """The parafs that count: given to this version while in force, with its current hash. A
    correction makes a new version, so the old version's parafs stop counting (they are kept,
    void: :func:`riwayat_paraf`)."""
    if not versi.terkini or not versi.sha256:
        return {}
    return {p.urutan: p for p in versi.paraf.filter(sha256=versi.sha256, batal_at__isnull=True).select_related("user")}


def keterangan_paraf(p: Paraf, versi: VersiSurat) -> str:
    """'' while the paraf counts; else why not (translated)."""
    if p.batal_at is not None:
        return _("tidak berlaku: versi digantikan") if p.batal_alasan == VERSI_DIGANTIKAN else p.batal_alasan
    if not versi.terkini:
        return _("tidak berlaku: versi digantikan")
    if p.sha256 != versi.sha256:
        return _("tidak berlaku: berkas versi berubah")
    return ""


def alasan_ttd(versi: VersiSurat) -> str:
    """The signature's reason (/Reason, bound in the signature with the file): the letter, and the
    parafs that count on the version signed — who gave each and when (the HAPAK's Sekretariat Tim
    Penilai first). The PDF is rendered before the parafs (they are bound to its hash), so the
    signed copy is where the endorsement is named."""
    from apps.core.format import waktu

    teks = f"Penetapan {versi.surat.label_jenis()} {versi.surat.nomor}"
    if not langkah_versi(versi):  # no chain (read already by the checks before signing): no paraf
        return teks
    paraf = sorted(paraf_sah(versi).values(), key=lambda p: p.urutan)
    if paraf:
        teks += "; " + "; ".join(
            f"paraf {p.sebutan or 'ke-' + str(p.urutan)}: {p.user.nama_lengkap or p.user}, {waktu(p.created_at)}"
            for p in paraf
        )
    return teks


def riwayat_paraf(surat: Surat) -> list[dict]:
    """Every paraf ever given on the letter, per version (newest version first): who, when, the
    sha256 of the version approved, and whether it still counts (with why not)."""
    out = []
    versi_list = list(surat.versi_set.order_by("-versi").prefetch_related("paraf__user"))
    for v in versi_list:
        for p in sorted(v.paraf.all(), key=lambda p: (p.urutan, p.created_at)):
            ket = keterangan_paraf(p, v)
            out.append({"versi": v, "paraf": p, "berlaku": not ket, "keterangan": ket})
    return out


def _paraf_untuk(step: LangkahParaf, sah: dict[int, Paraf]) -> Paraf | None:
    """The paraf that fills this step: at its place and by its approver (a chain changed on the
    alur paraf page does not credit the new approver with the old one's paraf)."""
    paraf = sah.get(step.urutan)
    return paraf if paraf is not None and paraf.user_id in step.user_ids else None


def status_paraf(versi: VersiSurat) -> list[dict]:
    """Each step of the version's chain: ``paraf`` the one that counts; ``tercatat`` the one given
    at that step on this version (also when it no longer counts), ``keterangan`` why not."""
    sah = paraf_sah(versi)
    tercatat: dict[int, Paraf] = {}
    for p in versi.paraf.select_related("user").order_by("created_at", "id"):
        tercatat[p.urutan] = p  # the latest given at each step
    out = []
    for step in langkah_versi(versi):
        paraf = _paraf_untuk(step, sah)
        lama = tercatat.get(step.urutan)
        lama = lama if lama is not None and lama.user_id in step.user_ids else None
        out.append({
            "langkah": step, "paraf": paraf, "tercatat": paraf or lama,
            "keterangan": "" if paraf is not None or lama is None else keterangan_paraf(lama, versi),
        })  # fmt: skip
    return out


def langkah_berikut(versi: VersiSurat):
    sah = paraf_sah(versi)
    return next((s for s in langkah_versi(versi) if _paraf_untuk(s, sah) is None), None)


def paraf_lengkap(versi: VersiSurat) -> bool:
    return versi.terkini and versi.siap and langkah_berikut(versi) is None


def adalah_penanda(surat: Surat, user) -> bool:
    """``user`` is (one of) the signer(s) the letter names: by account (the berita acara's
    members), by their NIP, or by the NIP of the signing official registered to their account."""
    if user is None or not getattr(user, "pk", None):
        return False
    nips = {user.nip} if getattr(user, "nip", "") else set()
    nips |= set(
        Pejabat.objects.filter(instansi_id=surat.penerbit_id, user=user).exclude(nip="").values_list("nip", flat=True)
    )
    return any(h.user_id == user.pk or (h.nip and h.nip in nips) for h in harapan_untuk(surat))


def alasan_paraf_penanda(versi: VersiSurat, step: LangkahParaf) -> str:
    return _(
        "Anda penanda tangan surat %(n)s, sehingga tidak dapat sekaligus memberi parafnya (paraf ke-%(u)d). Surat "
        "ini memakai alur paraf saat diterbitkan: minta pengelola alur paraf %(j)s mengganti pemberi paraf itu dengan "
        "pejabat lain, lalu Perbaiki surat (versi baru mengikuti alur paraf yang berlaku)."
    ) % {"n": versi.surat.nomor, "u": step.urutan, "j": versi.surat.label_jenis()}


def _penanda_di_alur(surat: Surat, langkah: list[LangkahParaf], user_id) -> str:
    """The refusal when the signing official ``user_id`` also stands in the paraf chain ('' else)."""
    step = next((s for s in langkah if user_id and user_id in s.user_ids), None)
    if step is None:
        return ""
    return _(
        "Surat %(n)s tidak dapat Anda tandatangani: Anda juga tercantum sebagai pemberi paraf ke-%(u)d dalam alur "
        "paraf %(j)s, padahal penanda tangan tidak sekaligus memberi paraf. Surat ini memakai alur paraf saat "
        "diterbitkan: minta pengelola alur paraf mengganti pemberi paraf itu, lalu Perbaiki surat (versi baru "
        "mengikuti alur paraf yang berlaku)."
    ) % {"n": surat.nomor, "u": step.urutan, "j": surat.label_jenis()}


def penanda_di_alur_baru(*, jenis: str, penerbit_id: int, nip: str, surat: Surat | None = None) -> str:
    """The refusal ('' else) when the signer chosen for a new version — issued or corrected — is a
    registered official (by ``nip``) whose login account stands in the paraf chain that version
    would take (:func:`simpan_alur_versi`: the letter type's required first steps, then the
    issuer's active chain): that paraf could never be given (:func:`_penanda_di_alur`), so the
    letter would wait forever."""
    from apps.core import tenancy

    nip = (nip or "").strip()
    if not nip:
        return ""
    with tenancy.all_tenants(reason="the signer chosen for a letter vs the issuer's paraf chain (read only)"):
        akun = dict(
            Pejabat.objects.filter(instansi_id=penerbit_id, nip=nip, aktif=True, user__isnull=False).values_list(
                "user_id", "nama"
            )
        )
        if not akun:
            return ""
        langkah = []  # (sebutan, user ids) in chain order
        wajib = LANGKAH_WAJIB.get(jenis) if surat is not None else None
        with contextlib.suppress(ValidationError):  # refused on its own when the version is made
            langkah += [(s["sebutan"], {int(u) for u in s["users"]}) for s in (wajib(surat) if wajib else [])]
        alur = AlurParaf.objects.filter(instansi_id=penerbit_id, jenis=jenis, aktif=True).first()
        if alur is not None:
            langkah += [(s.sebutan, {s.user_id}) for s in alur.langkah.select_related("user").order_by("urutan")]
        for urutan, (sebutan, ids) in enumerate(langkah, start=1):
            if ids & set(akun):
                from apps.accounts.models import User

                user = User.objects.get(pk=next(iter(ids & set(akun))))
                return _(
                    "Pejabat penanda tangan %(p)s tidak dapat dipilih: akun loginnya (%(a)s) tercantum sebagai "
                    "pemberi paraf ke-%(u)d (%(s)s) dalam alur paraf %(j)s, padahal penanda tangan tidak sekaligus "
                    "memberi paraf, sehingga surat akan tertahan menunggu paraf itu. Pilih pejabat penanda tangan "
                    "lain, atau ubah alur paraf %(j)s di halaman Alur paraf agar langkah itu diisi orang lain."
                ) % {"p": akun[user.pk], "a": user.username, "u": urutan, "s": sebutan or str(user),
                     "j": JenisSurat(jenis).label}  # fmt: skip
    return ""


def isi_pemberitahuan(versi: VersiSurat) -> str:
    """The body of a paraf / ready-to-sign notice (and its e-mail): the letter's type, number and
    version, perihal, the pegawai it names, and the link to the letter."""
    from django.conf import settings

    from apps.core import tenancy
    from apps.surat.models import SuratUsulan

    surat = versi.surat
    # The letter the recipient is told about, also when another instansi holds it (a team's PAK).
    with tenancy.all_tenants(reason="the pegawai named by the one letter an approver or signer is told about"):
        baris = SuratUsulan.objects.filter(surat_id=surat.pk).order_by("urutan", "id")
        jumlah = baris.count()
        nama = list(baris.values_list("usulan__pegawai_nama", flat=True)[:10])
    pegawai = ", ".join(nama) or "-"
    if jumlah > len(nama):
        pegawai += _(" dan %(n)d pegawai lainnya") % {"n": jumlah - len(nama)}
    tautan = settings.SITE_URL.rstrip("/") + reverse("surat:detail", args=[surat.pk])
    return "\n".join([
        _("Jenis surat: %(j)s") % {"j": surat.label_jenis()},
        _("Nomor: %(n)s (versi %(v)d)") % {"n": surat.nomor, "v": versi.versi},
        _("Perihal: %(p)s") % {"p": surat.perihal},
        _("Pegawai: %(g)s") % {"g": pegawai},
        _("Baca surat: %(u)s") % {"u": tautan},
    ])  # fmt: skip


def _notify(users, *, judul: str, versi: VersiSurat) -> None:
    """Tell approvers/signers a letter waits for them. One unread reminder per person: a batch of
    40 SKs rendered makes one notification (and one e-mail), not 40 — found walking a 40-letter
    batch. While it is unread, each further letter updates it: its title names the latest letter
    and how many others wait for that person at that moment (letters approved, signed, corrected
    or blocked since are not counted: :func:`menunggu_untuk`), its text lists them."""
    from apps.notifikasi import services as notifikasi
    from apps.notifikasi.models import Notifikasi

    url = reverse("ttd:antrean")
    baru = []
    for user in {u.pk: u for u in users if u is not None}.values():
        lama = (
            Notifikasi.objects.filter(user=user, jenis="ttd", url=url, dibaca_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if lama is None:
            baru.append(user)
            continue
        lain = menunggu_untuk(user)
        lain.pop(versi.pk, None)  # this letter is the title
        daftar = [f"- {judul}", *(f"- {t}" for t in lain.values())]
        # The reminder now tells of the latest letter: its time is this moment (the notification
        # list shows it, in Asia/Jakarta, and lists it first), not when the first letter arrived.
        lama.created_at = timezone.now()
        kepala = _("Surat yang menunggu paraf atau tanda tangan Anda (per %(w)s):") % {"w": waktu(lama.created_at)}
        lama.isi = "\n".join([kepala, *daftar])[-20000:]
        lama.judul = (_("%(j)s (dan %(n)d surat lain menunggu)") % {"j": judul, "n": len(lain)} if lain else judul)[
            :200
        ]
        lama.save(update_fields=["isi", "judul", "created_at"])
    if baru:
        notifikasi.notifikasi_buat(baru, jenis="ttd", judul=judul, isi=isi_pemberitahuan(versi), url_for=url)


def menunggu_untuk(user) -> dict[int, str]:
    """The letters waiting for ``user`` now — their paraf is the next one due on the version in
    force, or (a signing official) they can sign it — as version id → the reminder's line. In a
    fixed number of queries (the reminder is updated on every rendered letter of a batch)."""
    paraf, ttd = menunggu_paraf_ttd(user)
    out = {v.pk: _("Menunggu paraf Anda: %(n)s") % {"n": v.surat.nomor} for v in paraf}
    for v in ttd or ():
        out.setdefault(v.pk, _("Siap ditandatangani: %(n)s") % {"n": v.surat.nomor})
    return out


def menunggu_paraf_ttd(user) -> tuple[list[VersiSurat], list[VersiSurat] | None]:
    """(versions waiting for ``user``'s paraf, versions ``user`` can sign now — None when they are
    no registered signing official), each at most MAKS_BATCH, in a fixed number of queries (the
    reminder, the home page's counts)."""
    from django.db.models import Prefetch

    from apps.core import tenancy

    paraf: list[VersiSurat] = []
    if user.instansi is None:
        return paraf, None
    instansi_id = user.instansi.pk
    with tenancy.all_tenants(reason=LINTAS_PARAF):
        versi_list = list(
            VersiSurat.objects.filter(
                _dinamai_alur(user), surat__penerbit_id=instansi_id, diganti_at__isnull=True,
                status=VersiSurat.Status.SELESAI, ttd_berkas="",
            )
            .select_related("surat", "alur_paraf")
            .prefetch_related(Prefetch("paraf", queryset=Paraf.objects.filter(batal_at__isnull=True)
                                       .only("versi_id", "urutan", "sha256", "user_id")))
            .order_by("created_at")[:MAKS_BATCH]
        )  # fmt: skip
        kini: dict[str, list[tuple[int, int]]] = {}
        if any(getattr(v, "alur_paraf", None) is None for v in versi_list):
            for alur in AlurParaf.objects.filter(instansi_id=instansi_id, aktif=True).prefetch_related("langkah"):
                kini[alur.jenis] = sorted((s.urutan, (s.user_id,)) for s in alur.langkah.all())
        for v in versi_list:
            snap = getattr(v, "alur_paraf", None)
            steps = (
                sorted((r["urutan"], tuple(pemberi(r))) for r in snap.langkah) if snap else kini.get(v.surat.jenis, [])
            )
            given = {(p.urutan, p.user_id) for p in v.paraf.all() if p.sha256 == v.sha256}
            nxt = next((st for st in steps if not any((st[0], u) in given for u in st[1])), None)
            if nxt is not None and user.pk in nxt[1]:
                paraf.append(v)
    pejabat = pejabat_dari(user)
    if pejabat is None:
        return paraf, None
    # "Can sign now": an SK whose PAK waits for someone else is not (seed 004); one whose PAK is in
    # this queue too is (one batch signs the PAK first), as the queue page shows.
    ttd = _siap_ditandatangani(pejabat)
    menunggu = pak_dalam_antrean(ttd).menunggu
    return paraf, [v for v in ttd if v.pk not in menunggu]


def pejabat_penanda(versi: VersiSurat) -> list[Pejabat]:
    """Registered officials the letter names as its signers."""
    harapan = harapan_untuk(versi.surat)
    out = []
    for p in Pejabat.objects.filter(instansi_id=versi.surat.penerbit_id, aktif=True).select_related("user"):
        if any((h.nip and p.nip == h.nip) or (h.user_id and p.user_id == h.user_id) for h in harapan):
            out.append(p)
    return out


def _terdaftar(h, pejabat: list[Pejabat]) -> bool:
    return any((h.nip and p.nip == h.nip) or (h.user_id and p.user_id == h.user_id) for p in pejabat)


def _pesan_tak_terdaftar(nama_nip: list[str], penerbit_nama: str) -> str:
    return _(
        "Penanda tangan %(p)s belum terdaftar sebagai pejabat penanda tangan elektronik %(i)s, sehingga surat ini "
        "tidak masuk antrean tanda tangan siapa pun. Minta PIC instansi (admin pembina untuk instansi pembina) "
        "mendaftarkannya di halaman Pejabat penanda tangan, atau perbaiki NIP penanda tangan dengan versi "
        "koreksi. Sampai itu, surat hanya dapat ditandatangani di aplikasi lain lalu salinannya diunggah."
    ) % {"p": ", ".join(nama_nip), "i": penerbit_nama}


def _pesan_tanpa_akun(nama_nip: list[str], penerbit_nama: str) -> str:
    return _(
        "Penanda tangan %(p)s terdaftar sebagai pejabat penanda tangan elektronik %(i)s tetapi belum terhubung "
        "dengan akun portal, sehingga surat ini tidak masuk antrean tanda tangan siapa pun. Minta PIC instansi "
        "menghubungkan akun pejabat itu di halaman Pejabat penanda tangan (/ttd/pejabat/, tombol Ubah)."
    ) % {"p": ", ".join(nama_nip), "i": penerbit_nama}


def peringatan_penanda(*, penerbit, nama: str, nip: str) -> str:
    """Issuing a letter whose signer (``nip``) is no registered, active signing official of
    ``penerbit`` (or one with no portal account): the warning to show ("" when all is well)."""
    p = Pejabat.objects.filter(instansi_id=penerbit.pk, nip=nip, aktif=True).first() if nip else None
    if p is not None:
        return "" if p.user_id else _pesan_tanpa_akun([f"{nama} (NIP {nip})"], penerbit.nama)
    return _pesan_tak_terdaftar([f"{nama} (NIP {nip})" if nip else nama], penerbit.nama)


def alasan_belum_unggah(versi: VersiSurat) -> str:
    """Why no signed copy can be uploaded for this version yet ('' when it can, as far as the
    paraf chain goes): the same rule :func:`unggah_salinan` refuses by."""
    step = langkah_berikut(versi)
    if step is None:
        return ""
    return _(
        "Salinan bertanda tangan belum dapat diunggah: menunggu paraf %(s)s. Salinan (elektronik maupun pindaian "
        "tanda tangan basah) dapat diunggah setelah semua paraf diberikan pada versi ini."
    ) % {"s": step.sebutan or str(step.user)}


def nama_penanda_beda(*, penerbit_id: int, nama: str, nip: str) -> str:
    """The typed signer ``nama`` with the NIP of a registered, active signing official of the
    issuer whose registered name is another (the validator's rule, validasi.nama_sama: the core
    name without titles, case and punctuation, exactly): the refusal naming the registered name
    ("" when it matches or is no official's NIP)."""
    from apps.ttd.validasi import nama_sama

    nip = (nip or "").strip()
    if not nip:
        return ""
    p = Pejabat.objects.filter(instansi_id=penerbit_id, nip=nip, aktif=True).only("nama").first()
    if p is None or nama_sama(nama or "", p.nama):
        return ""
    return _(
        'Nama penanda tangan "%(n)s" tidak sama dengan nama pejabat penanda tangan terdaftar untuk NIP %(nip)s: '
        '"%(r)s" (nama pada sertifikat elektroniknya). Tanpa gelar, nama harus sama persis dengan "%(r)s": gelar '
        "di depan nama (Dr., Ir., Prof., H., Raden …) dan gelar di belakang koma (S.H., M.Si. …) boleh ditambahkan, "
        "kata lain tidak. Tulis nama pejabat itu, atau periksa NIP-nya."
    ) % {"n": nama, "nip": nip, "r": p.nama}


def _nama_surat_beda(surat: Surat, pejabat: Pejabat) -> str:
    """The letter prints a signer name other than this official's registered one (letters with a
    typed signer; a berita acara prints its members' account names)."""
    from apps.ttd.validasi import nama_sama

    if surat.jenis in (JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI):
        return ""
    if not pejabat.nip or surat.penandatangan_nip != pejabat.nip or nama_sama(surat.penandatangan_nama, pejabat.nama):
        return ""
    return _(
        'Surat %(s)s mencantumkan penanda tangan "%(n)s", bukan nama Anda yang terdaftar ("%(r)s"); blok tanda '
        "tangan tidak akan sesuai dengan nama tercetak. Minta penerbit memperbaiki penanda tangan "
        "di halaman surat lewat «Perbaiki surat (versi baru, nomor tetap)»."
    ) % {"s": surat.nomor, "n": surat.penandatangan_nama, "r": pejabat.nama}


def peringatan_penanda_surat(surat: Surat) -> str:
    """The same for an issued letter and every signer it names (the berita acara's several)."""
    harapan = harapan_untuk(surat)
    pejabat = list(Pejabat.objects.filter(instansi_id=surat.penerbit_id, aktif=True))
    belum = [h for h in harapan if not _terdaftar(h, pejabat)]
    nonaktif = list(Pejabat.objects.filter(instansi_id=surat.penerbit_id, aktif=False)) if belum else []
    mati = [h for h in belum if _terdaftar(h, nonaktif)]
    if mati:
        return _(
            "Penanda tangan %(p)s sudah dinonaktifkan sebagai pejabat penanda tangan elektronik %(i)s, sehingga surat "
            "ini tidak masuk antrean tanda tangan siapa pun. Minta PIC instansi mengaktifkannya kembali di halaman "
            "Pejabat penanda tangan, atau perbaiki surat dengan penanda tangan lain."
        ) % {"p": ", ".join(f"{h.nama} (NIP {h.nip})" if h.nip else h.nama for h in mati), "i": surat.penerbit.nama}
    if belum:
        return _pesan_tak_terdaftar(
            [f"{h.nama} (NIP {h.nip})" if h.nip else h.nama for h in belum], surat.penerbit.nama
        )
    berakun = [p for p in pejabat if p.user_id]
    tanpa_akun = [h for h in harapan if not h.user_id and not _terdaftar(h, berakun)]
    if tanpa_akun:
        return _pesan_tanpa_akun(
            [f"{h.nama} (NIP {h.nip})" if h.nip else h.nama for h in tanpa_akun], surat.penerbit.nama
        )
    return ""


def beritahu_siap_paraf(versi: VersiSurat) -> None:
    """A version was rendered: tell the first approver; with no paraf chain for it, it is ready
    to sign, so tell every signer the letter names who is a registered signing official (the
    berita acara's members, the rekomendasi's official), as the last paraf does for a chain."""
    if versi.ttd_berkas:
        return
    step = langkah_berikut(versi)
    if step is not None:
        _notify(step.users, judul=_("Menunggu paraf Anda: %(n)s") % {"n": versi.surat.nomor}, versi=versi)
    elif versi.terkini:
        _notify([p.user for p in pejabat_penanda(versi)],
                judul=_("Siap ditandatangani: %(n)s") % {"n": versi.surat.nomor}, versi=versi)  # fmt: skip


def pesan_versi_digantikan(versi: VersiSurat) -> str:
    """Why a paraf on a superseded version is refused: that it was refused, which version replaced
    it and when, and that the paraf is to be given on that version."""
    from apps.core.format import waktu

    baru = VersiSurat.objects.filter(surat_id=versi.surat_id, diganti_at__isnull=True).only("versi", "status").first()
    if baru is None:
        return _(
            "Paraf ditolak: versi %(v)d surat %(n)s sudah digantikan. Paraf harus diberikan pada versi yang berlaku."
        ) % {"v": versi.versi, "n": versi.surat.nomor}
    pesan = _(
        "Paraf ditolak: surat %(n)s sudah memiliki versi yang lebih baru (versi %(b)d, menggantikan versi %(v)d "
        "pada %(w)s). Paraf harus diberikan pada versi %(b)d."
    ) % {"v": versi.versi, "n": versi.surat.nomor, "b": baru.versi, "w": waktu(versi.diganti_at)}
    if baru.status != VersiSurat.Status.SELESAI:
        pesan += " " + _("PDF versi %(b)d masih dibuat.") % {"b": baru.versi}
    return pesan


@transaction.atomic
def paraf_beri(*, actor, versi: VersiSurat, ip_address=None) -> Paraf:
    versi = VersiSurat.objects.select_for_update(of=("self",)).select_related("surat").get(pk=versi.pk)
    if not versi.terkini:
        # Opened from a page or a notice loaded before a correction: say so plainly, whatever
        # step of the old chain the approver held (the view then opens the version in force).
        if any(actor.pk in s.user_ids for s in langkah_versi(versi)):
            raise TtdError(pesan_versi_digantikan(versi))
        raise PermissionDenied
    step = langkah_berikut(versi)
    if step is None or actor.pk not in step.user_ids:
        if any(actor.pk in s.user_ids for s in langkah_versi(versi)):
            raise TtdError(_("Surat ini tidak sedang menunggu paraf Anda."))
        raise PermissionDenied
    if not versi.siap:
        raise TtdError(_("Surat masih diproses; tunggu sampai PDF selesai dibuat."))
    if versi.ttd_berkas:
        raise TtdError(_("Surat ini sudah ditandatangani."))
    if adalah_penanda(versi.surat, actor):
        raise TtdError(alasan_paraf_penanda(versi, step))
    # A paraf left on this version for an older file hash (cannot happen unless the file was
    # replaced) does not count: it is kept, void, and a new one given.
    Paraf.objects.filter(versi=versi, urutan=step.urutan, batal_at__isnull=True).update(
        batal_at=timezone.now(), batal_alasan=HASH_BERUBAH
    )
    paraf = Paraf.objects.create(
        versi=versi, instansi_id=versi.instansi_id, jf_id=versi.jf_id, urutan=step.urutan,
        langkah=step if isinstance(step, LangkahParaf) else None, sebutan=step.sebutan,
        user=actor, sha256=versi.sha256, instansi_penilai_id=versi.instansi_penilai_id,
    )  # fmt: skip
    audit.record(
        "surat.paraf", actor=actor, instansi=versi.instansi_id, jf=versi.jf_id, obj=versi.surat, ip_address=ip_address,
        message=_("Paraf %(s)s pada %(n)s versi %(v)d.") % {"s": step.sebutan or str(actor), "n": versi.surat.nomor,
                                                             "v": versi.versi},
        data={"versi": versi.versi, "sha256": versi.sha256, "urutan": step.urutan},
    )  # fmt: skip
    nxt = langkah_berikut(versi)
    if nxt is not None:
        _notify(nxt.users, judul=_("Menunggu paraf Anda: %(n)s") % {"n": versi.surat.nomor}, versi=versi)
    else:
        _notify([p.user for p in pejabat_penanda(versi)],
                judul=_("Siap ditandatangani: %(n)s") % {"n": versi.surat.nomor}, versi=versi)  # fmt: skip
    return paraf


#: Why the paraf reads below leave the approver's scope: a letter their instansi issued for
#: another instansi (a Tim Penilai AK's PAK or HAPAK of a holder of another instansi is filed
#: under the holder's instansi) is approved by the approvers its issuer's chain names. Only such
#: letters: issued by the approver's instansi, of a type whose active chain names them.
LINTAS_PARAF = (
    "an approver of the paraf chain of a letter their instansi issued for another instansi (that letter only)"
)


def _jenis_paraf(user) -> list[str]:
    if not user.is_authenticated or user.instansi is None:
        return []
    return sorted(
        set(
            AlurParaf.objects.filter(instansi_id=user.instansi.pk, aktif=True, langkah__user=user).values_list(
                "jenis", flat=True
            )
        )
    )


def versi_paraf_lintas(user, ids) -> set[int]:
    """Of ``ids``, the versions of letters another instansi holds that ``user``'s instansi issued,
    of a type whose active paraf chain names ``user`` — the only letters of another tenant an
    approver reaches (to read them and give their paraf)."""
    from apps.core import tenancy

    ids = sorted({int(i) for i in ids})
    if not ids or not user.is_authenticated or user.instansi is None:
        return set()
    with tenancy.all_tenants(reason=LINTAS_PARAF):
        return set(
            VersiSurat.objects.filter(_dinamai_alur(user), pk__in=ids, surat__penerbit_id=user.instansi.pk)
            .exclude(surat__instansi_id=user.instansi.pk)
            .values_list("pk", flat=True)
        )


def _dinamai_alur(user):
    """Versions whose chain names ``user``: their snapshot does; one made before snapshots, the
    issuer's active chain of its type does."""
    from django.db.models import Q

    cond = Q(alur_paraf__langkah__contains=[{"user": user.pk}]) | Q(alur_paraf__langkah__contains=[{"atau": [user.pk]}])
    jenis = _jenis_paraf(user)
    if jenis:
        cond |= Q(alur_paraf__isnull=True, surat__jenis__in=jenis)
    return cond


def antrean_paraf(user) -> list[VersiSurat]:
    """Versions in force waiting for this user's paraf: of the letters their instansi issued, of
    the types whose chain names them (also those filed under another instansi: a team's PAK)."""
    from apps.core import tenancy

    if not user.is_authenticated or user.instansi is None:
        return []
    instansi_id = user.instansi.pk
    out = []
    with tenancy.all_tenants(reason=LINTAS_PARAF):
        qs = (
            VersiSurat.objects.filter(
                _dinamai_alur(user), surat__penerbit_id=instansi_id, diganti_at__isnull=True,
                status=VersiSurat.Status.SELESAI, ttd_berkas="",
            )
            .select_related("surat", "surat__instansi")
            .order_by("created_at")[:300]
        )  # fmt: skip
        for versi in qs:
            step = langkah_berikut(versi)
            if step is not None and user.pk in step.user_ids:
                versi.lintas = versi.surat.instansi_id != instansi_id
                # The letter's own signer does not give its paraf: the queue says why.
                versi.penanda_sendiri = alasan_paraf_penanda(versi, step) if adalah_penanda(versi.surat, user) else ""
                out.append(versi)
    return out


@dataclass
class HasilParaf:
    """One chosen letter of :func:`paraf_banyak`: the paraf given, or why not."""

    versi_id: int | None
    surat_id: int | None
    nomor: str = ""
    versi_ke: int | None = None
    paraf: Paraf | None = None
    alasan: str = ""
    ditemukan: bool = True

    @property
    def diberikan(self) -> bool:
        return self.paraf is not None


@transaction.atomic
def paraf_banyak(*, actor, versi_ids=(), surat_ids=(), ip_address=None) -> list[HasilParaf]:
    """The paraf of ``actor`` on each chosen letter at once ("Paraf terpilih" on /ttd/, and the
    API's batch): by version id, or by letter id (its version in force when asked). Each letter
    in its own savepoint through :func:`paraf_beri` — the chain's order, the version's hash, a
    superseded version refused — so one refusal (audited) stops no other; one result per chosen
    letter, in the order given (duplicates once). A letter the approver may not reach (another
    instansi's, one that does not exist) is answered with the same words, without its number."""
    from contextlib import nullcontext

    from apps.core import pesan, tenancy
    from apps.surat import selectors

    pilihan: list[tuple[str, int]] = list(dict.fromkeys([("versi", int(i)) for i in versi_ids]
                                                         + [("surat", int(i)) for i in surat_ids]))  # fmt: skip
    pilihan = pilihan[:MAKS_BATCH]
    # A letter's version in force (read across tenants here; used only once reachable below).
    surat_pilih = [i for jenis, i in pilihan if jenis == "surat"]
    berlaku: dict[int, int] = {}
    if surat_pilih:
        with tenancy.all_tenants(reason=LINTAS_PARAF):
            berlaku = dict(
                VersiSurat.objects.filter(surat_id__in=surat_pilih, diganti_at__isnull=True)
                .order_by("surat_id", "-versi")
                .values_list("surat_id", "pk")
            )
    ids = sorted({i if jenis == "versi" else berlaku.get(i) for jenis, i in pilihan} - {None})
    sendiri = set(selectors.versi_untuk(actor).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    lintas = versi_paraf_lintas(actor, [i for i in ids if i not in sendiri])
    with tenancy.all_tenants(reason=LINTAS_PARAF) if lintas else nullcontext():
        versi_map = VersiSurat.objects.select_related("surat").in_bulk([i for i in ids if i in sendiri | lintas])
    out = []
    for jenis, i in pilihan:
        versi = versi_map.get(i if jenis == "versi" else berlaku.get(i))
        if versi is None:
            out.append(
                HasilParaf(
                    versi_id=i if jenis == "versi" else None, surat_id=i if jenis == "surat" else None,
                    alasan=_("Surat yang dipilih tidak ditemukan atau tidak menunggu paraf Anda."), ditemukan=False,
                )
            )  # fmt: skip
            continue
        hasil = HasilParaf(versi_id=versi.pk, surat_id=versi.surat_id, nomor=versi.surat.nomor, versi_ke=versi.versi)
        lingkup = tenancy.all_tenants(reason=LINTAS_PARAF) if versi.pk in lintas else nullcontext()
        try:
            with lingkup, transaction.atomic():
                try:
                    hasil.paraf = paraf_beri(actor=actor, versi=versi, ip_address=ip_address)
                except PermissionDenied:
                    raise TtdError(_("Surat ini tidak sedang menunggu paraf Anda.")) from None
        except ValidationError as exc:  # the savepoint rolled back: this letter only
            pesan.catat(exc)
            hasil.alasan = " ".join(pesan.alasan(exc))
        out.append(hasil)
    return out


# --------------------------------------------------------------------------- signing


def versi_ttd_untuk(user):
    """Versions a user may act on here: the letters they may see, plus the berita acara of the
    sidang they attended (members present sign it, even those who see no letters otherwise)."""
    from django.db.models import Q

    from apps.surat import selectors

    if not user.is_authenticated:
        return VersiSurat.objects.none()
    return VersiSurat.objects.filter(
        Q(surat__in=selectors.surat_untuk(user).values("pk"))
        | Q(surat__jenis=JenisSurat.BERITA_ACARA, surat__sidang__hadir__user=user)
        | Q(surat__jenis=JenisSurat.BERITA_ACARA_SELEKSI, surat__pemeriksaan_seleksi__verifikator=user)
    ).distinct()


def punya_tugas_ttd(user) -> bool:
    """Whether the menu shows "Paraf & TTE": a registered signing official or an approver. One
    query, asked once per request (the menu of every page and the home page share it)."""
    if not user.is_authenticated or user.instansi is None:
        return False
    ada = getattr(user, "_siaks_tugas_ttd", None)
    if ada is None:
        from django.db.models import Exists, Q

        from apps.accounts.models import User

        ada = (
            User.objects.filter(pk=user.pk)
            .annotate(
                _t=Exists(Pejabat.objects.filter(user_id=user.pk, aktif=True))
                | Exists(LangkahParaf.objects.filter(user_id=user.pk, alur__aktif=True))
                # a letter issued with a chain naming them that has changed since
                | Exists(
                    AlurVersi.objects.filter(
                        Q(langkah__contains=[{"user": user.pk}]) | Q(langkah__contains=[{"atau": [user.pk]}]),
                        versi__diganti_at__isnull=True,
                        versi__ttd_berkas="",
                    )
                )
            )
            .values_list("_t", flat=True)
            .first()
        ) or False
        user._siaks_tugas_ttd = ada
    return ada


def pejabat_dari(user) -> Pejabat | None:
    if not user.is_authenticated or user.instansi is None:
        return None
    return Pejabat.objects.filter(user=user, instansi_id=user.instansi.pk, aktif=True).first()


#: Why the signing reads below leave the official's own scope: a letter their instansi issued
#: for another instansi (a provincial or central Tim Penilai AK's PAK of a kabupaten holder is
#: filed under the holder's instansi) is signed by the official it names. Only such letters:
#: issued by the official's instansi and naming the official (:func:`versi_lintas`).
LINTAS = "the official named to sign a letter their instansi issued for another instansi (that letter only)"


def versi_lintas(pejabat: Pejabat | None, ids) -> set[int]:
    """Of ``ids``, the versions of letters another instansi holds that ``pejabat``'s instansi
    issued and that name ``pejabat`` (by NIP) as signer — the only letters of another tenant an
    official reaches here (to read and sign them)."""
    from apps.core import tenancy

    ids = sorted({int(i) for i in ids})
    if pejabat is None or not pejabat.nip or not ids:
        return set()
    with tenancy.all_tenants(reason=LINTAS):
        return set(
            VersiSurat.objects.filter(
                pk__in=ids, surat__penerbit_id=pejabat.instansi_id, surat__penandatangan_nip=pejabat.nip
            )
            .exclude(surat__instansi_id=pejabat.instansi_id)
            .exclude(surat__jenis__in=[JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI])
            .values_list("pk", flat=True)
        )


def _lintas(aktif: bool):
    from contextlib import nullcontext

    from apps.core import tenancy

    return tenancy.all_tenants(reason=LINTAS) if aktif else nullcontext()


def _ttd_aktif(versi: VersiSurat):
    return versi.tanda_tangan.exclude(status=TandaTangan.Status.GAGAL)


def alasan_tidak_bisa(versi: VersiSurat, pejabat: Pejabat) -> str:
    """Why this official cannot sign this version now ('' when they can)."""
    surat = versi.surat
    if surat.penerbit_id != pejabat.instansi_id or pejabat not in pejabat_penanda(versi):
        return _("Anda bukan pejabat penanda tangan surat %(n)s.") % {"n": surat.nomor}
    if not versi.terkini:
        return _("Versi %(v)d surat %(n)s sudah digantikan.") % {"v": versi.versi, "n": surat.nomor}
    if not versi.siap:
        return _("Surat %(n)s masih diproses.") % {"n": surat.nomor}
    if versi.tanda_tangan.filter(cara=TandaTangan.Cara.MANUAL).exists() or (
        versi.ttd_berkas and not _ttd_aktif(versi).exists()
    ):
        return _("Surat %(n)s sudah memiliki salinan bertanda tangan basah.") % {"n": surat.nomor}
    unggah = versi.tanda_tangan.filter(cara=TandaTangan.Cara.UNGGAH, status=TandaTangan.Status.SELESAI).first()
    if unggah is not None:
        return _(
            "Surat %(n)s sudah memiliki salinan bertanda tangan elektronik dari aplikasi lain (ditandatangani %(p)s, "
            "diunggah dan tervalidasi %(w)s); tidak perlu ditandatangani lagi."
        ) % {"n": surat.nomor, "p": unggah.penandatangan_nama or "-",
             "w": waktu_baca(unggah.created_at)}  # fmt: skip
    milik = _ttd_aktif(versi).filter(pejabat=pejabat).order_by("-id").first()
    if milik is not None:
        if milik.status == TandaTangan.Status.SELESAI:
            return _("Surat %(n)s sudah Anda tandatangani secara elektronik pada %(w)s.") % {
                "n": surat.nomor, "w": waktu_baca(milik.waktu_ttd or milik.selesai_at)}  # fmt: skip
        # Queued or in progress, not signed yet: said so, with when it was asked (a second click).
        return _("Surat %(n)s sudah dalam antrean tanda tangan Anda sejak %(w)s; tunggu sampai selesai.") % {
            "n": surat.nomor, "w": waktu_baca(milik.created_at)}  # fmt: skip
    if beda := _nama_surat_beda(surat, pejabat):
        return beda
    if di_alur := _penanda_di_alur(surat, langkah_versi(versi), pejabat.user_id):
        return di_alur
    if not paraf_lengkap(versi):
        step = langkah_berikut(versi)
        return _("Surat %(n)s belum lengkap parafnya (menunggu %(s)s).") % {
            "n": surat.nomor, "s": (step.sebutan or str(step.user)) if step else "-"}  # fmt: skip
    return sk_menunggu_pak([versi]).get(versi.pk, "")


def _siap_ditandatangani(pejabat: Pejabat, ids=None) -> list[VersiSurat]:
    """The versions this official can sign now, in a fixed number of queries: the same rules as
    :func:`alasan_tidak_bisa` (named signer, in force, rendered, no uploaded copy, not signed by
    them yet, paraf chain complete for this version's hash), set-wise."""
    with _lintas(True):  # every row below is issued by the official's instansi and names them
        return _siap_ditandatangani_dari(pejabat, menyebut_pejabat(pejabat), ids)


def menyebut_pejabat(pejabat: Pejabat):
    """The condition on versions whose letter names ``pejabat`` as a signer (by NIP; the berita
    acara by the members present and the verifiers who decided)."""
    from django.db.models import Q

    # Berita acara are signed by the people they name (members present; verifiers who decided).
    named = Q(surat__jenis=JenisSurat.BERITA_ACARA, surat__sidang__hadir__user_id=pejabat.user_id) | Q(
        surat__jenis=JenisSurat.BERITA_ACARA_SELEKSI, surat__pemeriksaan_seleksi__verifikator_id=pejabat.user_id
    )
    if pejabat.nip:
        named |= ~Q(surat__jenis__in=[JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI]) & Q(
            surat__penandatangan_nip=pejabat.nip
        )
        named |= Q(surat__jenis=JenisSurat.BERITA_ACARA, surat__sidang__hadir__user__nip=pejabat.nip)
        named |= Q(
            surat__jenis=JenisSurat.BERITA_ACARA_SELEKSI, surat__pemeriksaan_seleksi__verifikator__nip=pejabat.nip
        )
    return named


def _siap_ditandatangani_dari(pejabat: Pejabat, named, ids) -> list[VersiSurat]:
    from django.db.models import Prefetch, Q

    qs = (
        VersiSurat.objects.filter(named, surat__penerbit_id=pejabat.instansi_id, diganti_at__isnull=True,
                                  status=VersiSurat.Status.SELESAI)
        .exclude(pk__in=TandaTangan.objects.filter(pejabat=pejabat).exclude(status=TandaTangan.Status.GAGAL)
                 .values("versi_id"))
        .exclude(pk__in=TandaTangan.objects.filter(cara__in=[TandaTangan.Cara.MANUAL, TandaTangan.Cara.UNGGAH])
                 .values("versi_id"))
        # A copy uploaded before this app existed (no signature rows at all).
        .exclude(~Q(ttd_berkas="") & ~Q(pk__in=TandaTangan.objects.values("versi_id")))
        .select_related("surat", "surat__instansi", "alur_paraf")
        .prefetch_related(
            Prefetch(
                "paraf",
                queryset=Paraf.objects.filter(batal_at__isnull=True).only("versi_id", "urutan", "sha256", "user_id"),
            )
        )
        .distinct()
        .order_by("created_at")
    )  # fmt: skip
    versi_list = list(qs.filter(pk__in=ids) if ids is not None else qs[:MAKS_BATCH])
    steps: dict[str, list[tuple[int, tuple]]] = {}
    for alur in AlurParaf.objects.filter(instansi_id=pejabat.instansi_id, aktif=True).prefetch_related("langkah"):
        steps[alur.jenis] = [(s.urutan, (s.user_id,)) for s in alur.langkah.all()]
    out = []
    for v in versi_list:
        snap = getattr(v, "alur_paraf", None)
        # The chain the version was issued with; one made before snapshots: the current chain.
        need = [(r["urutan"], tuple(pemberi(r))) for r in snap.langkah] if snap else steps.get(v.surat.jenis, [])
        given = {(p.urutan, p.user_id) for p in v.paraf.all() if p.sha256 == v.sha256}
        lengkap_paraf = all(any((n, u) in given for u in ids) for n, ids in need)
        in_chain = pejabat.user_id is not None and any(pejabat.user_id in ids for _n, ids in need)
        if lengkap_paraf and not in_chain and not _nama_surat_beda(v.surat, pejabat):
            out.append(v)
    return out


def sk_nip_aktif(versi_list: list[VersiSurat]) -> dict[int, str]:
    """Of the SK versions in ``versi_list``, those whose signature would be refused at "SK terbit"
    (:func:`sk_terbit`): a pegawai's NIP already an active pejabat fungsional in another instansi
    or JF (another instansi's SK for the same NIP signed first). Version id → the reason, naming
    no other instansi; asked when signing is requested, so the official reads it at once rather
    than from the worker. A fixed number of queries (one per instansi and JF of the usulan)."""
    from apps.jabatan.services import nip_aktif_di_tempat_lain, pesan_nip_aktif
    from apps.pengusulan.domain import Jenis
    from apps.surat.models import SuratUsulan

    sk = {v.surat_id: v for v in versi_list if v.surat.jenis in JENIS_SK}
    if not sk:
        return {}
    rows = list(
        SuratUsulan.objects.filter(surat_id__in=sorted(sk), usulan__status=Status.DIREKOMENDASIKAN)
        .exclude(usulan__jenis=Jenis.KENAIKAN_JENJANG)  # moves the one record it has
        .values_list("surat_id", "usulan__pegawai_nama", "usulan__pegawai_nip", "usulan__instansi_id",
                     "usulan__jf_id")
        .order_by("surat_id", "urutan", "id")
    )  # fmt: skip
    kelompok: dict[tuple[int, int], set[str]] = {}
    for _s, _n, nip, instansi_id, jf_id in rows:
        kelompok.setdefault((instansi_id, jf_id), set()).add(nip)
    aktif = {key: nip_aktif_di_tempat_lain(nips, instansi_id=key[0], jf_id=key[1]) for key, nips in kelompok.items()}
    masalah: dict[int, list[str]] = {}
    for surat_id, nama, nip, instansi_id, jf_id in rows:
        if nip in aktif[(instansi_id, jf_id)]:
            masalah.setdefault(surat_id, []).append(_("%(nama)s: %(a)s.") % {"nama": nama, "a": pesan_nip_aktif(nip)})
    return {
        sk[surat_id].pk: _(
            "Surat %(n)s tidak dapat ditandatangani: %(a)s SK ini tidak dapat berlaku (usulan tidak dapat menjadi "
            '"SK terbit") selama NIP itu tercatat aktif di tempat lain.'
        )
        % {"n": sk[surat_id].surat.nomor, "a": " ".join(pesan)}
        for surat_id, pesan in masalah.items()
    }


def pak_belum_ttd(versi_list: list[VersiSurat]) -> dict[int, dict[int, str]]:
    """Of the SK versions in ``versi_list``, those whose PAK issued with them in the portal (the
    JF's rule "PAK ditandatangani oleh pejabat yang menetapkan SK") is not signed yet: SK version id
    → {the PAK's version in force id: the PAK's number}. A fixed number of queries, however many
    letters (the rows, the PAKs' versions in force, their signatures, their signers)."""
    from apps.surat.models import SuratUsulan

    sk = {v.surat_id: v for v in versi_list if v.surat.jenis in JENIS_SK}
    if not sk:
        return {}
    usulan_sk: dict[int, set[int]] = {}
    for surat_id, usulan_id in SuratUsulan.objects.filter(surat_id__in=sorted(sk)).values_list("surat_id", "usulan_id"):
        usulan_sk.setdefault(usulan_id, set()).add(surat_id)
    pak_terakhir: dict[int, int] = {}  # usulan → its latest PAK issued with an SK (one in force)
    for usulan_id, pak_id in (
        SuratUsulan.objects.filter(usulan_id__in=sorted(usulan_sk), surat__jenis=JenisSurat.PAK)
        .values_list("usulan_id", "surat_id")
        .order_by("usulan_id", "surat_id")
    ):
        pak_terakhir[usulan_id] = pak_id
    if not pak_terakhir:
        return {}
    belum: dict[int, tuple[int, str]] = {}  # PAK letter → its version in force, unsigned
    paks = list(
        VersiSurat.objects.filter(surat_id__in=set(pak_terakhir.values()), diganti_at__isnull=True).select_related(
            "surat"
        )
    )
    sudah = ditandatangani_massal(paks)
    for v in paks:
        if v.pk not in sudah:
            belum[v.surat_id] = (v.pk, v.surat.nomor)
    out: dict[int, dict[int, str]] = {}
    for usulan_id, pak_id in pak_terakhir.items():
        if pak_id in belum:
            for surat_id in usulan_sk[usulan_id]:
                versi_pak, nomor = belum[pak_id]
                out.setdefault(sk[surat_id].pk, {})[versi_pak] = nomor
    return out


def pesan_menunggu_pak(nomor_sk: str, nomor_pak) -> str:
    return _(
        "Surat %(n)s belum dapat ditandatangani: Penetapan Angka Kredit %(p)s yang disebut SK ini belum "
        "ditandatangani. PAK ditandatangani lebih dahulu, baru SK: tandatangani PAK tersebut (dapat dalam "
        "satu kali tanda tangan bersama SK ini bila Anda penanda tangannya), atau tunggu penanda tangannya."
    ) % {"n": nomor_sk, "p": ", ".join(sorted(set(nomor_pak)))}


def sk_menunggu_pak(versi_list: list[VersiSurat], *, bersama=(), belum=None) -> dict[int, str]:
    """Of the SK versions in ``versi_list``, those that cannot be signed because the PAK issued with
    them is not signed: seed 004 sets the angka kredit first, the SK then cites it — the PAK is
    signed before the SK (issue 13). ``bersama``: PAK version ids signed earlier in the same batch
    (:func:`_minta` signs a batch's PAKs before its SKs), which count as signed; ``belum``:
    :func:`pak_belum_ttd` of ``versi_list`` when the caller has it. Version id → the reason,
    naming the PAK."""
    by_pk = {v.pk: v for v in versi_list}
    bersama = set(bersama)
    return {
        sk_pk: pesan_menunggu_pak(by_pk[sk_pk].surat.nomor, paks.values())
        for sk_pk, paks in (pak_belum_ttd(versi_list) if belum is None else belum).items()
        if not set(paks) <= bersama
    }


@dataclass(frozen=True)
class PakAntrean:
    """Seed 004 in a signing queue (:func:`pak_dalam_antrean`)."""

    #: SK version id → why it cannot be signed now: its PAK waits for someone else's signature.
    menunggu: dict[int, str]
    #: SK version ids whose PAK waits in the same queue: a batch holding both signs the PAK first.
    bersama: frozenset[int]


def pak_dalam_antrean(antrean: list[VersiSurat]) -> PakAntrean:
    """Of an official's signing queue ``antrean`` (:func:`antrean_ttd`), the SKs whose PAK is not
    signed: those that must wait (their PAK is not in this queue) and those that can be
    batch-signed after their PAK (it is). The one place the queue page, the home page's counts
    and the reminder decide it."""
    belum = pak_belum_ttd(antrean)
    pak_di_sini = {v.pk for v in antrean if v.surat.jenis == JenisSurat.PAK}
    menunggu = sk_menunggu_pak(antrean, bersama=pak_di_sini, belum=belum)
    return PakAntrean(menunggu=menunggu, bersama=frozenset(pk for pk in belum if pk not in menunggu))


def pak_dalam_batch(tt: TandaTangan) -> list[int]:
    """The signature rows of ``tt``'s batch on the PAK its SK cites (none for another letter): the
    worker signs the SK once they are (:func:`apps.ttd.tasks.tunggu_pak`)."""
    if tt.batch_id is None:
        return []
    if Surat.objects.filter(versi_set__pk=tt.versi_id).values_list("jenis", flat=True).first() not in JENIS_SK:
        return []
    return sorted(
        TandaTangan.objects.filter(
            batch_id=tt.batch_id, versi__surat__jenis=JenisSurat.PAK,
            versi__surat__baris__usulan__surat_baris__surat__versi_set__pk=tt.versi_id,
        ).values_list("pk", flat=True).distinct()
    )  # fmt: skip


def antrean_ttd(user) -> list[VersiSurat]:
    """Versions in force whose paraf chain is complete and that wait for this official's signature."""
    pejabat = pejabat_dari(user)
    if pejabat is None:
        return []
    return _siap_ditandatangani(pejabat)


@transaction.atomic
def minta_tandatangan(*, actor, versi_ids: list[int], passphrase: str = "", ip_address=None) -> BatchTtd:
    """One signing action for one or many letters: checks each, records the batch and one
    signature row per letter, and asks the worker through the outbox. The BSrE passphrase goes
    only to :mod:`apps.ttd.rahasia` (encrypted, short-lived)."""
    pejabat = pejabat_dari(actor)
    if pejabat is None:
        raise PermissionDenied
    ids = sorted({int(i) for i in versi_ids})
    if not ids:
        raise TtdError(_("Pilih paling sedikit satu surat."))
    if len(ids) > MAKS_BATCH:
        raise TtdError(_("Paling banyak %(n)d surat sekali tanda tangan.") % {"n": MAKS_BATCH})
    from apps.ttd.penanda import backend_for

    if backend_for(pejabat).butuh_passphrase and not passphrase:
        raise TtdError(_("Masukkan passphrase sertifikat elektronik BSrE Anda."))
    # The letters of the scope, and those another instansi holds that name this official.
    terlihat = set(VersiSurat.objects.filter(pk__in=ids).values_list("pk", flat=True))
    lintas = versi_lintas(pejabat, set(ids) - terlihat)
    if terlihat | lintas != set(ids):
        raise TtdError(_("Surat tidak ditemukan."))
    with _lintas(bool(lintas)):
        return _minta(actor, pejabat, ids, passphrase, ip_address)


def _minta(actor, pejabat, ids, passphrase, ip_address) -> BatchTtd:
    versi_list = list(
        VersiSurat.objects.select_for_update(of=("self",)).select_related("surat").filter(pk__in=ids).order_by("pk")
    )
    if len(versi_list) != len(ids):
        raise TtdError(_("Surat tidak ditemukan."))
    # The batch's PAKs first, then its SKs (seed 004: the PAK is signed before the SK citing it):
    # the signature rows and the worker's requests follow this order.
    versi_list.sort(key=lambda v: (v.surat.jenis in JENIS_SK, v.pk))
    siap = {v.pk for v in _siap_ditandatangani(pejabat, ids)}
    siap_list = [v for v in versi_list if v.pk in siap]
    # An SK whose PAK is unsigned: refused, unless that PAK is signed earlier in this batch.
    pak_bersama = {v.pk for v in siap_list if v.surat.jenis == JenisSurat.PAK}
    belum_pak = pak_belum_ttd(siap_list)
    ditolak = {**sk_menunggu_pak(siap_list, bersama=pak_bersama, belum=belum_pak), **sk_nip_aktif(siap_list)}
    siap -= set(ditolak)
    menunggu = {sk: set(paks) for sk, paks in belum_pak.items() if sk in siap}
    # The reasons, for the ones that cannot be signed (each checked one by one). They are skipped
    # and reported per letter; the others are signed (the passphrase is not typed again).
    dilewati = []
    for v in versi_list:
        if v.pk in siap:
            continue
        alasan = ditolak.get(v.pk) or alasan_tidak_bisa(v, pejabat)
        alasan = alasan or _(
            "Surat %(n)s versi %(v)d tidak dapat ditandatangani sekarang: tidak lagi ada di antrean tanda tangan "
            "Anda (keadaannya berubah sejak antrean dimuat)."
        ) % {"n": v.surat.nomor, "v": v.versi}
        dilewati.append({"versi": v.pk, "surat": v.surat_id, "nomor": v.surat.nomor, "versi_ke": v.versi,
                         "alasan": alasan})  # fmt: skip
    versi_list = [v for v in versi_list if v.pk in siap]
    if not versi_list:
        masalah = [d["alasan"] for d in dilewati]
        raise TtdError(" ".join(masalah[:5]) + (" …" if len(masalah) > 5 else ""))
    batch = BatchTtd.objects.create(
        instansi_id=pejabat.instansi_id, pejabat=pejabat, dibuat_oleh=actor, dilewati=dilewati
    )
    # Kept only for a backend that signs with it (BSrE): one typed needlessly for the portal's own
    # key is not stored at all, and that batch's signatures skip the end-of-batch clean-up.
    from apps.ttd.penanda import backend_for

    simpan = bool(passphrase) and backend_for(pejabat).butuh_passphrase
    if simpan:
        # Before the outbox rows commit, so the worker never looks for it too early. If this
        # transaction rolls back, only ciphertext nobody refers to remains, until its TTL.
        rahasia.simpan(batch.pk, passphrase)
    ttd_versi: dict[int, int] = {}
    for versi in versi_list:
        tt = TandaTangan.objects.create(
            versi=versi, instansi_id=versi.instansi_id, jf_id=versi.jf_id, pejabat=pejabat, batch=batch,
            dibuat_oleh=actor, instansi_penilai_id=versi.instansi_penilai_id,
        )  # fmt: skip
        ttd_versi[versi.pk] = tt.pk
        # ``bersihkan``: the batch holds a passphrase to forget at its end (a flag; never the secret).
        # ``pak``: an SK's PAK signed in this batch: the worker signs the SK once those are signed.
        pak = sorted(ttd_versi[p] for p in menunggu.get(versi.pk, ()))
        outbox.enqueue(TASK, queue=QUEUE, ttd_id=tt.pk, bersihkan=simpan, **({"pak": pak} if pak else {}))
    audit.record(
        "surat.ttd_diminta", actor=actor, instansi=pejabat.instansi_id, obj=pejabat, ip_address=ip_address,
        message=_("Penandatanganan elektronik %(c)d surat diminta.") % {"c": len(versi_list)}
        + (_(" %(d)d surat dilewati.") % {"d": len(dilewati)} if dilewati else ""),
        data={"batch": str(batch.pk), "versi": [v.pk for v in versi_list], "dilewati": [d["versi"] for d in dilewati]},
    )  # fmt: skip
    return batch


def ttd_terkini(versi: VersiSurat) -> list[TandaTangan]:
    """The version's signatures as they stand now: per official only their latest attempt, and no
    failure once a signed copy was uploaded after it (an earlier failure is history, not state)."""
    rows = list(versi.tanda_tangan.select_related("pejabat").order_by("created_at", "id"))
    diunggah = [t.created_at for t in rows if t.cara != TandaTangan.Cara.ELEKTRONIK]
    terkini: dict = {}
    for t in rows:
        if t.status == TandaTangan.Status.GAGAL and any(w >= t.created_at for w in diunggah):
            continue
        key = ("pejabat", t.pejabat_id) if t.cara == TandaTangan.Cara.ELEKTRONIK and t.pejabat_id else ("baris", t.pk)
        terkini.pop(key, None)
        terkini[key] = t
    return list(terkini.values())


def item_batch(batch: BatchTtd):
    """The signatures of one's own batch, with their letters (also those another instansi holds
    that name the official: :func:`versi_lintas`). Evaluated here, inside the widened read."""
    with _lintas(True):
        return list(
            TandaTangan.objects.filter(batch=batch)
            .select_related("versi", "versi__surat", "versi__surat__instansi")
            .order_by("id")
        )


def dilewati_batch(batch: BatchTtd) -> list[dict]:
    """The batch's skipped letters (``BatchTtd.dilewati``), each with the name of the instansi its
    letter concerns (the pembina signs rekomendasi for many), read in one query."""
    rows = [dict(d) for d in batch.dilewati or []]
    if rows:
        with _lintas(True):  # one's own batch: the letters one chose (some another instansi holds)
            nama = dict(Surat.objects.filter(pk__in=[d["surat"] for d in rows]).values_list("pk", "instansi__nama"))
        for d in rows:
            d["instansi"] = nama.get(d["surat"], "")
    return rows


def batch_terakhir(user, n: int = 10) -> list[BatchTtd]:
    """The user's last signing batches, each with its counts (``n_total``, ``n_selesai``,
    ``n_gagal``, ``n_proses``; ``dilewati`` is on the row), in one query."""
    from django.db.models import Count, Q

    with _lintas(True):  # one's own batches (filtered by their maker); their letters may be lintas
        return list(
            BatchTtd.objects.filter(dibuat_oleh=user)
            .annotate(
                n_total=Count("item"),
                n_selesai=Count("item", filter=Q(item__status=TandaTangan.Status.SELESAI)),
                n_gagal=Count("item", filter=Q(item__status=TandaTangan.Status.GAGAL)),
            )
            .order_by("-created_at")[:n]
        )


def versi_boleh_ttd(user, ids) -> set[int]:
    """Of ``ids``, the versions ``user`` may open to sign: the letters they see, and those another
    instansi holds that their instansi issued naming them (:func:`versi_lintas`)."""
    ids = {int(i) for i in ids}
    terlihat = set(versi_ttd_untuk(user).filter(pk__in=sorted(ids)).values_list("pk", flat=True))
    lintas = versi_lintas(pejabat_dari(user), ids - terlihat)
    return terlihat | lintas | versi_paraf_lintas(user, ids - terlihat - lintas)


def progress(batch: BatchTtd) -> dict:
    from django.db.models import Count

    with _lintas(True):  # one's own batch (the caller fetched it in scope)
        counts = dict(batch.item.values_list("status").annotate(n=Count("id")))
        total = sum(counts.values())
        selesai = counts.get(TandaTangan.Status.SELESAI, 0)
        gagal = counts.get(TandaTangan.Status.GAGAL, 0)
        # One reason for every failure (a wrong passphrase): said once, above the table.
        alasan = (
            list(
                batch.item.filter(status=TandaTangan.Status.GAGAL)
                .order_by()
                .values_list("galat", flat=True)
                .distinct()[:2]
            )
            if gagal
            else []
        )
    return {
        "total": total, "selesai": selesai, "gagal": gagal, "proses": total - selesai - gagal,
        "persen": round(100 * (selesai + gagal) / total) if total else 0,
        "alasan_sama": alasan[0] if len(alasan) == 1 and gagal > 1 else "",
    }  # fmt: skip


def lengkap(versi: VersiSurat, *, ttd: list[TandaTangan] | None = None) -> bool:
    """Every signer the letter names has signed (electronically or in the uploaded copy).
    ``ttd``: the version's finished signatures when the caller has them already."""
    harapan = harapan_untuk(versi.surat)
    if ttd is None:
        ttd = list(versi.tanda_tangan.filter(status=TandaTangan.Status.SELESAI))
    return _semua_bertanda(harapan, ttd)


def _semua_bertanda(harapan, ttd: list[TandaTangan]) -> bool:
    """Every expected signer (``harapan``) matches one of the finished signatures ``ttd``."""
    rows = [{"nip": t.penandatangan_nip, "nik": t.penandatangan_nik, "sidik_jari": t.sidik_jari} for t in ttd]
    return all(any(h.cocok(r) for r in rows) for h in harapan)


def ditandatangani(versi: VersiSurat | None) -> bool:
    """The version counts as signed for the letters that follow it: a wet-ink scan uploaded with
    its reason (the manual fallback of seed 001), or every signer the letter names has signed
    (electronically in the portal, or in a validated copy signed elsewhere)."""
    return versi is not None and versi.pk in ditandatangani_massal([versi])


def ditandatangani_massal(versi_list: list[VersiSurat]) -> set[int]:
    """The ids of the versions in ``versi_list`` (with ``surat`` loaded) that :func:`ditandatangani`
    counts as signed, in a fixed number of queries however many (the queue and home page)."""
    from apps.ttd.validasi import harapan_massal

    siap = [v for v in versi_list if v.siap]
    if not siap:
        return set()
    ttd: dict[int, list[TandaTangan]] = {}
    for t in TandaTangan.objects.filter(versi__in=siap, status=TandaTangan.Status.SELESAI):
        ttd.setdefault(t.versi_id, []).append(t)
    harapan = harapan_massal([v.surat for v in siap if v.pk in ttd]) if ttd else {}
    out = set()
    for v in siap:
        rows = ttd.get(v.pk, [])
        manual = any(t.cara == TandaTangan.Cara.MANUAL for t in rows)  # the wet-ink fallback: signed
        if manual or (rows and _semua_bertanda(harapan[v.surat_id], rows)):
            out.add(v.pk)
    return out


def status_penanda(surat: Surat) -> list[dict]:
    """Each signer the letter names, with their finished signature on the letter's current
    version (``None``: not signed yet). What a page may claim about who signed, from the
    signatures themselves and nothing else."""
    versi = surat.versi_set.filter(diganti_at__isnull=True).order_by("-id").first()
    ttd = []
    if versi is not None:
        ttd = list(versi.tanda_tangan.filter(status=TandaTangan.Status.SELESAI).order_by("selesai_at", "id"))
    out = []
    for h in harapan_untuk(surat):
        cocok = [t for t in ttd if h.cocok({"nip": t.penandatangan_nip, "nik": t.penandatangan_nik,
                                           "sidik_jari": t.sidik_jari})]  # fmt: skip
        out.append({"nama": h.nama, "nip": h.nip, "user_id": h.user_id, "ttd": cocok[0] if cocok else None})
    return out


def terbitkan_bila_lengkap(versi: VersiSurat, *, actor, ip_address=None, ttd: list[TandaTangan] | None = None) -> bool:
    """An SK signed by everyone it names: its usulan reach "SK terbit". ``ttd`` as for :func:`lengkap`."""
    surat = versi.surat
    if surat.jenis not in JENIS_SK or not lengkap(versi, ttd=ttd):
        return False
    for usulan in Usulan.objects.filter(surat_baris__surat=surat).order_by("id"):
        usulan = kunci_usulan(usulan)
        if usulan.status == Status.DIREKOMENDASIKAN:
            sk_terbit(usulan, surat=surat, actor=actor, ip_address=ip_address,
                      catatan=_("Ditandatangani secara elektronik."))  # fmt: skip
        elif usulan.status == Status.SK_TERBIT and versi.versi > 1:  # a correction signed
            koreksi_sk_ditandatangani(usulan, versi=versi, actor=actor, ip_address=ip_address)
    return True


def koreksi_sk_ditandatangani(usulan: Usulan, *, versi: VersiSurat, actor, ip_address, manual: bool = False) -> None:
    """A correction of the usulan's SK signed while the usulan is "SK terbit" (no move: the
    decision and the holder's record stand): its history says so, and the flag "Koreksi SK
    menunggu tanda tangan" ends with it (apps.surat.selectors.koreksi_sk_belum_ttd)."""
    audit.record_objek(
        "usulan.sk_koreksi_ditandatangani", usulan, actor=actor, ip_address=ip_address,
        message=(
            _("SK %(n)s versi %(v)d (koreksi) ditandatangani basah (pindaian diunggah).")
            if manual
            else _("SK %(n)s versi %(v)d (koreksi) ditandatangani secara elektronik.")
        ) % {"n": versi.surat.nomor, "v": versi.versi},
        data={"surat": versi.surat_id, "versi": versi.versi},
    )  # fmt: skip


def sk_terbit(usulan: Usulan, *, surat: Surat, actor, ip_address, catatan: str) -> None:
    """The usulan (locked) reaches "SK terbit" with its signed SK. A domain rule of the move or its
    effects refusing it (the holder's record: a NIP already an active pejabat fungsional
    elsewhere, :func:`apps.jabatan.services.pejabat_dari_sk`) is a :class:`TtdError` naming the
    pegawai, so the signature or upload that led here is refused with the reason."""
    from django.core.exceptions import ValidationError

    try:
        pindahkan(
            usulan=usulan, action="terbitkan_sk", actor=actor, ip_address=ip_address,
            konteks={"surat": surat.nomor}, catatan=catatan, data={"surat": surat.pk},
        )  # fmt: skip
    except TtdError:
        raise
    except ValidationError as exc:
        raise TtdError([_("%(nama)s: %(a)s") % {"nama": usulan.pegawai_nama, "a": m} for m in exc.messages]) from None


def _pasang_salinan(versi: VersiSurat, tt: TandaTangan, *, nama: str, actor) -> None:
    """The version's signed copy is now this signature's file (same stored object). ``actor``:
    the user or their id."""
    versi.ttd_berkas.name = tt.berkas.name
    versi.ttd_nama_asli = nama[:255]
    versi.ttd_sha256 = tt.sha256
    versi.ttd_ukuran = tt.ukuran
    versi.ttd_oleh_id = getattr(actor, "pk", actor)
    versi.ttd_at = timezone.now()
    versi.save(update_fields=["ttd_berkas", "ttd_nama_asli", "ttd_sha256", "ttd_ukuran", "ttd_oleh", "ttd_at"])


def _isi(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


# --------------------------------------------------------------------------- uploads


def jenis_pindaian_label() -> str:
    """The letter types a wet-ink scan may be uploaded for, as read: "SK, SK kolektif, PAK dan HAPAK"."""
    label = dict(JenisSurat.choices)
    nama = list(dict.fromkeys(str(label[j]) for j in JENIS_MANUAL))
    return nama[0] if len(nama) == 1 else _("%(a)s dan %(b)s") % {"a": ", ".join(nama[:-1]), "b": nama[-1]}


def pesan_tanpa_pindaian(surat) -> str:
    """Why a copy without electronic signatures is refused for a letter that takes no scan."""
    return _(
        "Berkas tidak memuat tanda tangan elektronik. Untuk %(j)s hanya salinan yang ditandatangani secara "
        "elektronik yang diterima; pindaian tanda tangan basah hanya diterima untuk %(m)s."
    ) % {"j": surat.label_jenis(), "m": jenis_pindaian_label()}


@transaction.atomic
def unggah_salinan(*, actor, versi: VersiSurat, upload, alasan_manual: str = "", ip_address=None) -> TandaTangan:
    """The issuer uploads a signed copy of the version in force.

    A PDF with electronic signatures (e.g. signed in the BSrE app) is validated and refused with
    the reason unless it is intact, by the officials the letter names, chained to a trusted
    root, timestamped, unchanged after signing and, before its signatures, byte-identical to the
    issued PDF. A PDF without any (a scan of the wet-ink signature) is the fallback of seed 001
    for when the system is down or in force majeure, and needs the reason. Either way the paraf
    chain must be complete first, and the issued (unsigned) PDF itself is refused."""
    from django.core.files.base import ContentFile

    versi = VersiSurat.objects.select_for_update(of=("self",)).select_related("surat", "surat__jf").get(pk=versi.pk)
    surat = versi.surat
    if not dapat_mengelola(actor, surat):
        raise PermissionDenied
    if not versi.terkini:
        raise TtdError(_("Versi ini sudah digantikan; unggah salinan untuk versi terbaru."))
    if not versi.siap:
        raise TtdError(_("Surat masih diproses; tunggu sampai dapat diunduh."))
    if versi.ttd_berkas:
        raise TtdError(_("Salinan bertanda tangan versi ini sudah ada."))
    # The fallback replaces the signing, never the approvals: parafs are given in the portal
    # whatever the state of the TTE service, and an approver who cannot give theirs is taken out
    # of the chain on the alur paraf page (audited), not skipped by an upload.
    step = langkah_berikut(versi)
    if step is not None:
        raise TtdError(
            _("Paraf surat %(n)s belum lengkap: menunggu paraf %(s)s. Salinan bertanda tangan (elektronik maupun "
              "pindaian tanda tangan basah) baru dapat diunggah setelah semua paraf diberikan pada versi ini.")
            % {"n": surat.nomor, "s": step.sebutan or str(step.user)}
        )  # fmt: skip
    if pak := sk_menunggu_pak([versi]).get(versi.pk):
        raise TtdError(pak)
    checked = check_upload(upload, allowed_extensions=["pdf"], max_bytes=surat.jf.ukuran_berkas_maks)
    upload.seek(0)
    data = upload.read()
    sidik = hashlib.sha256(data).hexdigest()
    if sidik in set(surat.versi_set.values_list("sha256", flat=True)):
        raise TtdError(
            _("Berkas ini adalah PDF yang diterbitkan portal, belum ditandatangani: bukan salinan bertanda tangan. "
              "Tandatangani surat secara elektronik, atau unggah pindaian surat setelah ditandatangani basah.")
        )  # fmt: skip
    laporan = validasi(data, versi, terbit=_isi(versi.berkas))
    punya_ttd = bool(laporan.tanda_tangan)
    if punya_ttd:
        if not laporan.sah:
            if not laporan.identik and (lama := pesan_salinan_versi_lama(versi, data)):
                raise TtdError(lama)
            raise TtdError(_("Salinan ditolak: %(a)s") % {"a": " ".join(laporan.alasan)})
        if dini := alasan_sebelum_paraf(versi, laporan.tanda_tangan):
            raise TtdError(dini)
        cara = TandaTangan.Cara.UNGGAH
    else:
        if laporan.alasan and laporan.alasan[0] == _("Berkas bukan PDF yang dapat dibaca."):
            raise TtdError(laporan.alasan[0])
        if surat.jenis not in JENIS_MANUAL:
            raise TtdError(pesan_tanpa_pindaian(surat))
        alasan_manual = (alasan_manual or "").strip()
        if not alasan_manual:
            raise TtdError(
                _("Salinan ini tidak memuat tanda tangan elektronik. Tanda tangan basah hanya sebagai cadangan "
                  "(sistem tidak tersedia atau keadaan kahar): tuliskan alasannya.")
            )  # fmt: skip
        cara = TandaTangan.Cara.MANUAL
    try:
        salinan_ttd_unik(sidik, surat, actor=actor)
        if cara == TandaTangan.Cara.MANUAL:
            bukan_pindaian_surat(data, surat, versi=versi)
    except SuratError as exc:
        raise TtdError(exc.messages) from None
    tt = TandaTangan(
        versi=versi, instansi_id=versi.instansi_id, jf_id=versi.jf_id, cara=cara, status=TandaTangan.Status.SELESAI,
        instansi_penilai_id=versi.instansi_penilai_id, sha256=sidik, ukuran=len(data),
        alasan_manual=alasan_manual[:500], dibuat_oleh=actor, selesai_at=timezone.now(), percobaan=1,
    )  # fmt: skip
    if punya_ttd:
        first = laporan.tanda_tangan[-1]
        tt.penandatangan_nama = first["nama"][:200]
        tt.penandatangan_nip = first["nip"]
        tt.penandatangan_nik = first["nik"]
        tt.sidik_jari = first["sidik_jari"]
        tt.waktu_ttd = first["waktu"]
    tt.berkas.save("salinan.pdf", ContentFile(data), save=False)
    tt.save()
    # Every signature of an uploaded copy counts toward completeness (the berita acara's several).
    for extra in laporan.tanda_tangan[:-1]:
        TandaTangan.objects.create(
            versi=versi, instansi_id=versi.instansi_id, jf_id=versi.jf_id, cara=cara,
            instansi_penilai_id=versi.instansi_penilai_id, status=TandaTangan.Status.SELESAI, sha256=tt.sha256,
            ukuran=tt.ukuran, berkas=tt.berkas.name,
            penandatangan_nama=extra["nama"][:200], penandatangan_nip=extra["nip"], penandatangan_nik=extra["nik"],
            sidik_jari=extra["sidik_jari"], waktu_ttd=extra["waktu"], dibuat_oleh=actor, selesai_at=timezone.now(),
        )  # fmt: skip
    _pasang_salinan(versi, tt, nama=checked.nama_asli, actor=actor)
    if cara == TandaTangan.Cara.MANUAL:
        # Only an SK moves its usulan ("SK terbit"); a signed berita acara or rekomendasi lets the
        # next letter be issued (apps.surat.services).
        rows = Usulan.objects.filter(surat_baris__surat=surat) if surat.jenis in JENIS_SK else Usulan.objects.none()
        for usulan in rows.order_by("id"):
            usulan = kunci_usulan(usulan)
            if usulan.status == Status.DIREKOMENDASIKAN:
                sk_terbit(usulan, surat=surat, actor=actor, ip_address=ip_address,
                          catatan=_("Tanda tangan basah: %(a)s") % {"a": alasan_manual})  # fmt: skip
            elif usulan.status == Status.SK_TERBIT and versi.versi > 1:  # a correction signed
                koreksi_sk_ditandatangani(usulan, versi=versi, actor=actor, ip_address=ip_address, manual=True)
    else:
        terbitkan_bila_lengkap(versi, actor=actor, ip_address=ip_address)
    audit.record_objek(
        "surat.ttd_diunggah",
        surat,
        actor=actor,
        ip_address=ip_address,
        message=(
            _("Salinan bertanda tangan elektronik %(n)s diunggah dan tervalidasi.")
            if punya_ttd
            else _("Salinan bertanda tangan basah %(n)s diunggah. Alasan: %(a)s")
        )
        % {"n": surat.nomor, "a": alasan_manual},
        data={"versi": versi.versi, "sha256": tt.sha256, "cara": cara, "catatan": laporan.catatan},
    )
    #: What the uploader should know of a valid copy (a NIK or name other than the registered one).
    tt.catatan = list(laporan.catatan)
    return tt


def pesan_salinan_versi_lama(versi: VersiSurat, data: bytes) -> str:
    """A signed copy uploaded for the version in force that is a copy of an earlier version of the
    letter: the public page's verdict on it ("Identik dengan versi 1, ditandatangani … oleh …,
    tetapi versi itu sudah digantikan versi 2 …"), rather than the generic "tidak identik"; ''
    when the file does not begin with an earlier version's issued PDF."""
    from apps.ttd.publik import periksa_publik

    lama = [
        v for v in versi.surat.versi_set.exclude(pk=versi.pk).filter(status=VersiSurat.Status.SELESAI)
        if v.ukuran and len(data) > v.ukuran and hashlib.sha256(data[: v.ukuran]).hexdigest() == v.sha256
    ]  # fmt: skip
    if not lama:
        return ""
    return _("Salinan ditolak: %(t)s Unggah salinan bertanda tangan versi %(v)d.") % {
        "t": periksa_publik(versi, data).teks, "v": versi.versi}  # fmt: skip


def alasan_sebelum_paraf(versi: VersiSurat, tanda_tangan: list[dict]) -> str:
    """Why a copy signed elsewhere is refused as signed before the version's paraf chain was
    complete ('' when it is not): a signature whose (timestamp) time is before the last paraf
    that counts for this version. The signer signs only once the chain is complete, in the portal
    or elsewhere. Compared to the second: a TSA may give whole seconds."""
    sah = paraf_sah(versi)
    paraf = [p for step in langkah_versi(versi) if (p := _paraf_untuk(step, sah)) is not None]
    if not paraf:
        return ""
    akhir = max(paraf, key=lambda p: p.created_at)
    batas = akhir.created_at.replace(microsecond=0)
    dini = [t for t in tanda_tangan if t.get("waktu") and t["waktu"].replace(microsecond=0) < batas]
    if not dini:
        return ""
    return _(
        "Salinan ditolak: ditandatangani %(n)s pada %(w)s, sebelum paraf versi %(v)d selesai (paraf terakhir: "
        "%(s)s pada %(p)s). Penanda tangan baru dapat menandatangani setelah semua paraf diberikan: tandatangani "
        "lagi PDF versi ini, lalu unggah salinannya."
    ) % {
        "n": ", ".join(t["nama"] for t in dini), "w": waktu_baca(min(t["waktu"] for t in dini), detik=True),
        "v": versi.versi, "s": akhir.sebutan or str(akhir.user), "p": waktu_baca(akhir.created_at, detik=True),
    }  # fmt: skip


def alasan_tidak_bisa_saat_ttd(versi: VersiSurat, tt: TandaTangan, *, rows: list[TandaTangan] | None = None) -> str:
    """Checked again by the worker under the version's lock (things may have changed since the
    request). ``rows``: the version's signature rows when the caller has them already."""
    if not versi.terkini:
        n = versi.surat.nomor
        return _("Versi %(v)d surat %(n)s digantikan sebelum ditandatangani.") % {"v": versi.versi, "n": n}
    if not versi.siap:
        return _("Surat %(n)s masih diproses.") % {"n": versi.surat.nomor}
    diunggah = (TandaTangan.Cara.MANUAL, TandaTangan.Cara.UNGGAH)
    if (
        any(r.cara in diunggah for r in rows)
        if rows is not None
        else versi.tanda_tangan.filter(cara__in=diunggah).exists()
    ):
        return _("Surat %(n)s sudah memiliki salinan bertanda tangan yang diunggah.") % {"n": versi.surat.nomor}
    if not paraf_lengkap(versi):
        return _("Paraf surat %(n)s belum lengkap.") % {"n": versi.surat.nomor}
    return ""


def identitas_ttd_terakhir(data: bytes) -> dict:
    """Signer identity and timestamp of the last signature in ``data`` (no chain validation: the
    file was just made by the backend; validation is for copies from elsewhere)."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import extract_certificate_info, extract_signer_info

    from apps.ttd.pades import identitas_sertifikat

    signed_data = _cms_terakhir(data)
    if signed_data is not None:
        signer_info = extract_signer_info(signed_data)
        cert = extract_certificate_info(signed_data).signer_cert
    else:  # not laid out as expected: let pyHanko's reader find it
        sig = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures[-1]
        signer_info, cert = sig.signer_info, sig.signer_cert
    info = identitas_sertifikat(cert)
    waktu = None
    for attr in signer_info["unsigned_attrs"] or ():
        if attr["type"].native == "signature_time_stamp_token":
            tst = attr["values"][0]["content"]
            waktu = tst["encap_content_info"]["content"].parsed["gen_time"].native
    info["waktu"] = waktu
    return info


_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def cms_terakhir(data: bytes):
    """The CMS SignedData of the last signature in ``data``."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    signed_data = _cms_terakhir(data)
    if signed_data is None:
        signed_data = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures[-1].signed_data
    return signed_data


def _cms_terakhir(data: bytes):
    """The CMS SignedData of the signature that ends the file, read from its ``/ByteRange``
    directly: pyHanko's reader parses the 32 kB hex ``/Contents`` one character at a time
    (~40 ms a signature). ``None`` when the file's last ``/ByteRange`` does not cover it up to
    its end or its gap is not one hex string (the caller then uses the reader)."""
    import binascii

    from asn1crypto import cms

    start = data.rfind(b"/ByteRange")
    match = _BYTE_RANGE.match(data, start) if start >= 0 else None
    if match is None:
        return None
    a, b, c, d = (int(x) for x in match.groups())
    if a != 0 or c + d != len(data) or not 0 < b < c or data[b : b + 1] != b"<" or data[c - 1 : c] != b">":
        return None
    try:
        info = cms.ContentInfo.load(binascii.unhexlify(data[b + 1 : c - 1]), strict=False)
        if info["content_type"].native != "signed_data":
            return None
        return info["content"]
    except (ValueError, TypeError, binascii.Error):
        return None


def ttd_elektronik(versi: VersiSurat) -> list[TandaTangan]:
    """The in-portal electronic signatures the version's signed copy carries (oldest first), or []
    when its signed copy was uploaded (signed elsewhere, or a scan)."""
    if versi is None or not versi.ttd_berkas:
        return []
    rows = list(
        versi.tanda_tangan.filter(status=TandaTangan.Status.SELESAI, cara=TandaTangan.Cara.ELEKTRONIK).order_by(
            "selesai_at", "id"
        )
    )
    return rows if any(r.sha256 == versi.ttd_sha256 for r in rows) else []


def isi_sk_terbit(usulan) -> str:
    """The notice of an usulan's SK reaching "SK terbit", saying how it was signed: "ditandatangani
    secara elektronik oleh … pada …" for the portal's TTE; '' for an upload (the notice keeps its
    own "mengunggah" text)."""
    from apps.surat.models import SuratUsulan

    baris = (
        SuratUsulan.objects.filter(usulan=usulan, jenis__in=JENIS_SK).select_related("surat").order_by("-id").first()
    )
    if baris is None:
        return ""
    versi = baris.surat.versi_set.filter(diganti_at__isnull=True).order_by("-versi").first()
    tte = ttd_elektronik(versi)
    if not tte:
        return ""
    # The time as the letter's card shows it: "23 November 2026 14:05 WIB" (Asia/Jakarta).
    oleh = ", ".join(
        _("%(n)s pada %(w)s") % {"n": t.penandatangan_nama, "w": waktu(t.waktu_ttd or t.selesai_at)} for t in tte
    )
    return _("SK %(n)s ditandatangani secara elektronik oleh %(o)s.") % {"n": baris.surat.nomor, "o": oleh}
