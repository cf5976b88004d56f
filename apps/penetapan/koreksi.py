"""Who may correct a Tim Penilai AK's letter (PAK, HAPAK), and what a correction may change.

Seed 001 BAB IV E and BAB III A (the decision of issue 19's fresh-eye walk; docs/panduan-angka-kredit.md
§ Perbaikan PAK dan HAPAK says the same to the users):

* **PAK** — "Bagi Analis Kebijakan yang angka kreditnya memenuhi syarat … diterbitkan Penetapan
  Angka Kredit (PAK) yang ditandatangani oleh PYB" (E.2) and "Penetapan Angka Kredit yang telah
  ditetapkan oleh pejabat yang berwenang menetapkan Angka Kredit tidak dapat diajukan keberatan"
  (E.5). The PAK is the PYB's decision; the sekretariat only prepares it and delivers it (III A.1.d,
  B.3.b). So the team's sekretariat may prepare a corrected version **only while the PYB has not
  signed any version of it**; once signed, the PAK stands as the PYB set it, and only the PYB
  the letter names (their own account, registered as a signing official of the team's instansi)
  may issue a corrected version of their decision. The PYB printed on a PAK is never typed in a
  correction: it is the official the letter names, or another *registered* signing official of
  the team's instansi chosen from the list (name, NIP and jabatan as registered) — by default
  the one the instansi configured as the PAK's signer on its alur paraf page.
* **HAPAK** — "Surat pengantar HAPAK JFAK ditandatangani oleh Ketua Tim Penilai" and "HAPAK JFAK
  disahkan oleh STP" (E.4.a-b); "Sekretariat Tim Penilai bertanggung jawab terhadap Ketua Tim
  Penilai" (III A.2). The team's sekretariat (in term) prepares a corrected version, and the
  ketua — whose letter it is — may do so himself. Its signer is always the team's ketua (as
  :func:`apps.penetapan.services.penanda_ketua` names him), never edited.
* Every correction is a new version with the same number (apps.surat); the parafs and
  signatures of the old version no longer count (apps.ttd), so the new version goes through
  the paraf chain and the signature again.
* Nobody else — not the PPK or PIC of the instansi, not another team's sekretariat — corrects
  these letters.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.core import tenancy
from apps.penetapan.alur import PenetapanError
from apps.surat.models import JenisSurat

JENIS = (JenisSurat.PAK_AK, JenisSurat.HAPAK)

SEKRETARIAT = "sekretariat"
KETUA = "ketua"
PYB = "pyb"


def _tim_id(surat) -> int | None:
    from apps.penetapan.models import UsulanPenetapanAK

    with tenancy.all_tenants(reason="the team that issued a PAK/HAPAK (its correction rights)"):
        return UsulanPenetapanAK.objects.filter(surat_id=surat.pk).values_list("tim_id", flat=True).first()


def pyb_terdaftar(user, surat):
    """The user's registration as the signing official the PAK names (NIP), at the team's instansi."""
    from apps.ttd.models import Pejabat

    nip = (surat.penandatangan_nip or "").strip()
    if not nip or not getattr(user, "is_authenticated", False):
        return None
    with tenancy.all_tenants(reason="the PYB a PAK names, registered at the team's instansi"):
        return Pejabat.objects.filter(instansi_id=surat.penerbit_id, user=user, nip=nip, aktif=True).first()


def peran(user, surat) -> frozenset[str]:
    """The roles under which ``user`` may correct ``surat`` (a PAK or HAPAK), before looking at
    its signatures: the issuing team's sekretariat in term, its ketua (HAPAK), the PYB the PAK
    names. Always of the team's instansi (the letter's issuer)."""
    from apps.penetapan import selectors
    from apps.penetapan.models import AnggotaTimAK

    instansi = getattr(user, "instansi", None)
    if surat.jenis not in JENIS or instansi is None or instansi.pk != surat.penerbit_id:
        return frozenset()
    out = set()
    tim_id = _tim_id(surat)
    if tim_id is not None:
        if selectors.sekretariat_aktif(user, tim_id):
            out.add(SEKRETARIAT)
        if surat.jenis == JenisSurat.HAPAK:
            with tenancy.all_tenants(reason="the ketua of the team that issued the HAPAK"):
                if AnggotaTimAK.objects.filter(tim_id=tim_id, user=user, peran=AnggotaTimAK.Peran.KETUA).exists():
                    out.add(KETUA)
    if surat.jenis == JenisSurat.PAK_AK and pyb_terdaftar(user, surat) is not None:
        out.add(PYB)
    return frozenset(out)


def boleh(user, surat) -> bool:
    """May see the correction part of the letter's page (the refusal, if any, says why)."""
    return bool(peran(user, surat))


def ditetapkan(surat):
    """The first signature the PAK received on any of its versions (electronic, a validated copy,
    a wet-ink scan), or None: the PYB has not set it yet."""
    from apps.ttd.models import TandaTangan

    with tenancy.all_tenants(reason="the signatures of a PAK (its correction rights)"):
        return (
            TandaTangan.objects.filter(versi__surat_id=surat.pk, status=TandaTangan.Status.SELESAI)
            .order_by("selesai_at", "id")
            .first()
        )


def alasan_tolak(user, surat) -> str:
    """Why ``user`` may not correct ``surat`` now (empty: they may). Only for a user holding a
    role on it (:func:`peran`); anyone else is refused as not found/forbidden."""
    roles = peran(user, surat)
    if not roles or surat.jenis != JenisSurat.PAK_AK or PYB in roles:
        return ""
    ttd = ditetapkan(surat)
    if ttd is None:
        return ""
    from apps.core.format import waktu

    return _(
        "PAK %(n)s sudah ditetapkan: ditandatangani %(p)s pada %(w)s. PAK yang telah ditetapkan pejabat yang "
        "berwenang tidak dapat diajukan keberatan dan tidak diubah sekretariat tim penilai (pedoman tim penilai, "
        "BAB IV E.2 dan E.5); perbaikannya hanya oleh PYB yang menetapkannya, dengan akunnya sendiri."
    ) % {"n": surat.nomor, "p": ttd.penandatangan_nama or surat.penandatangan_nama, "w": waktu(ttd.selesai_at)}


def penanda_ketua_kini(surat) -> tuple[str, str, str]:
    """The signer a HAPAK's new version names: the team's ketua today (seed 001 BAB IV E.4.a)."""
    from apps.penetapan.models import AnggotaTimAK, TimPenilaiAK
    from apps.penetapan.services import penanda_ketua

    with tenancy.all_tenants(reason="the ketua who signs the corrected HAPAK"):
        tim = TimPenilaiAK.objects.filter(pk=_tim_id(surat)).first()
        ketua = (
            AnggotaTimAK.objects.filter(tim=tim, peran=AnggotaTimAK.Peran.KETUA).select_related("user").first()
            if tim
            else None
        )
        if ketua is None:
            raise PenetapanError(
                _("HAPAK %(n)s ditandatangani ketua tim penilai, tetapi tim ini tidak memiliki ketua.")
                % {"n": surat.nomor}
            )
        penanda = penanda_ketua(tim, ketua)
    if not penanda[2]:
        raise PenetapanError(
            _(
                "HAPAK %(n)s ditandatangani ketua tim dengan NIP-nya di bawah tanda tangan, tetapi akun %(k)s belum "
                "memiliki NIP. Minta pengelola akun melengkapi NIP ketua, lalu ulangi."
            )
            % {"n": surat.nomor, "k": ketua.user}
        )
    return penanda


def penanda_baru(user, surat, perubahan: dict) -> tuple[str, str, str] | None:
    """Check a correction of a PAK/HAPAK by ``user`` and return the signer its new version
    names (None: unchanged). ``perubahan`` may hold ``pejabat`` (a PAK: a registered signing
    official of the team's instansi, an apps.ttd Pejabat or its id); a typed ``penandatangan`` or
    a ``tmt`` is refused. PermissionDenied without a role; PenetapanError with the reason."""
    from apps.ttd.models import Pejabat

    if not peran(user, surat):
        raise PermissionDenied
    if alasan := alasan_tolak(user, surat):
        raise PenetapanError(alasan)
    if perubahan.get("tmt"):
        raise PenetapanError(_("PAK dan HAPAK tidak memuat TMT; yang diperbaiki hanya isinya."))
    sekarang = (surat.penandatangan_nama, surat.penandatangan_jabatan, surat.penandatangan_nip)
    ketik = perubahan.get("penandatangan")
    if surat.jenis == JenisSurat.HAPAK:
        if perubahan.get("pejabat") is not None or (ketik and tuple(ketik) != sekarang):
            raise PenetapanError(
                _("HAPAK ditandatangani ketua tim penilai (pedoman tim penilai, BAB IV E.4.a): penanda tangannya "
                  "tidak dapat diganti dalam perbaikan.")
            )  # fmt: skip
        baru = penanda_ketua_kini(surat)
        return baru if baru != sekarang else None
    if ketik and tuple(ketik) != sekarang:
        raise PenetapanError(
            _("PYB pada PAK tidak diketik: pilih pejabat yang berwenang di antara pejabat penanda tangan terdaftar "
              "instansi tim penilai.")
        )  # fmt: skip
    pejabat = perubahan.get("pejabat")
    if pejabat is None:
        return None
    pejabat_id = getattr(pejabat, "pk", pejabat)
    with tenancy.all_tenants(reason="the team's instansi's registered signing officials (the PAK's PYB)"):
        p = Pejabat.objects.filter(pk=pejabat_id, instansi_id=surat.penerbit_id, aktif=True).first()
    if p is None or not p.nip:
        raise PenetapanError(
            {"pejabat": _("PYB harus pejabat penanda tangan terdaftar (dengan NIP) pada instansi tim penilai.")}
        )
    baru = (p.nama, p.jabatan, p.nip)
    return baru if baru != sekarang else None


#: The parts of a PAK/HAPAK snapshot that state the AK (``apps.penetapan.isi``): what a correction
#: re-reads from the ledger; the rest (holder, period, team, the HAPAK's reasons) stays as decided.
KUNCI_AK = ("ak_kumulatif", "ak_syarat", "rincian", "syarat_untuk", "kekurangan")


def angka_pada(usulan, surat):
    """The ledger figures of the letter's masa penilaian as they stand now: the rows recorded
    before the letter (its own PAK row, which moves nothing, left out) plus the corrections since
    of a konversi whose period lies inside its masa penilaian (``isi.masa_penilaian``) — a predikat
    the PIC corrected after the PAK. Rows for later periods belong to the next PAK.
    ``selectors.AngkaKredit``."""
    from dataclasses import replace
    from decimal import Decimal

    from django.utils import timezone

    from apps.jabatan.domain import Ambang, JenisMutasi, totals
    from apps.penetapan import isi as isi_mod
    from apps.penetapan import selectors

    semua = selectors.angka_kredit(usulan)

    def _angka(rows):
        # The ledger's order (apps.jabatan.selectors.ambang): the end of a row's period, else its
        # start, else the day it was recorded, then as recorded.
        urut = sorted(
            rows,
            key=lambda m: (m.periode_selesai or m.periode_mulai or timezone.localtime(m.created_at).date(), m.pk),
        )
        ak_p, ak_j = totals((m.jenis, m.nilai) for m in urut)
        a = Ambang(ak_pangkat=ak_p, ak_jenjang=ak_j, pangkat=semua.ambang.pangkat, jenjang=semua.ambang.jenjang)
        ak, syarat, memenuhi = selectors.ak_dan_syarat(a)
        return replace(
            semua, mutasi=rows, ambang=a, ak=ak, syarat=syarat, memenuhi=memenuhi,
            ak_awal=sum((m.nilai for m in rows if m.jenis == JenisMutasi.AWAL), Decimal(0)),
            ak_konversi=sum((m.nilai for m in rows if m.jenis == JenisMutasi.KONVERSI), Decimal(0)),
        )  # fmt: skip

    sendiri = {m.pk for m in semua.mutasi if m.jenis == JenisMutasi.PENETAPAN and m.surat_id == surat.pk}
    dasar = [m for m in semua.mutasi if m.created_at <= surat.created_at and m.pk not in sendiri]
    dari, sampai = isi_mod.masa_penilaian(_angka(dasar))
    if dari is None:
        return _angka(dasar)
    dalam = {
        m.pk for m in dasar if m.jenis == JenisMutasi.KONVERSI and m.periode_mulai and dari <= m.periode_mulai <= sampai
    }
    sesudah = [
        m
        for m in semua.mutasi
        if m.created_at > surat.created_at and m.jenis == JenisMutasi.KOREKSI and m.mengoreksi_id in dalam
    ]
    return _angka(dasar + sesudah)


def isi_koreksi(surat, lama: dict) -> dict:
    """The content of a corrected PAK/HAPAK version: the old snapshot with the letter's current
    head and the AK part re-read from the ledger (:func:`angka_pada`), so that a correction made
    because a predikat inside the masa penilaian changed states the corrected konversi and AK
    kumulatif. Refused when the corrected AK no longer gives the same kind of letter (a PAK whose
    AK now falls short of the threshold, a HAPAK whose AK now meets it): that is a new penetapan,
    not a correction of this letter."""
    from apps.core.format import format_ak
    from apps.penetapan import isi as isi_mod
    from apps.penetapan.models import UsulanPenetapanAK
    from apps.surat.isi import umum

    with tenancy.all_tenants(reason="the usulan a PAK/HAPAK was issued for (its corrected figures)"):
        usulan = (
            UsulanPenetapanAK.objects.select_related("instansi", "jenjang", "periode", "tim")
            .filter(surat_id=surat.pk)
            .first()
        )
    if usulan is None or "rincian" not in lama:
        return {**lama, **umum(surat)}
    angka = angka_pada(usulan, surat)
    pak = surat.jenis == JenisSurat.PAK_AK
    if angka.memenuhi != pak:
        raise PenetapanError(
            _(
                "Angka kredit kumulatif %(nama)s pada masa penilaian surat ini kini %(ak)s menurut buku angka "
                "kredit (dipersyaratkan %(s)s), sehingga hasilnya bukan lagi %(jenis)s. Perbaikan surat tidak "
                "mengubah PAK menjadi HAPAK atau sebaliknya: ajukan usulan penetapan angka kredit baru untuk "
                "dinilai tim penilai."
            )
            % {
                "nama": usulan.pejabat_nama,
                "ak": format_ak(angka.ak),
                "s": format_ak(angka.syarat) if angka.syarat is not None else "-",
                "jenis": "PAK" if pak else "HAPAK",
            }
        )
    kw = {"ak": angka.ak, "syarat": angka.syarat, "tim": usulan.tim, "angka": angka}
    if pak:
        baru = isi_mod.pak(surat, usulan, angka.pejabat, **kw)
        kunci = (*KUNCI_AK, "keterangan")
    else:
        baru = isi_mod.hapak(surat, usulan, angka.pejabat, keterangan=lama.get("keterangan", ""), **kw)
        kunci = KUNCI_AK
    return {**lama, **umum(surat), **{k: baru[k] for k in kunci if k in baru}}
