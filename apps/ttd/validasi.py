"""Validation of a signed copy of a letter version: the report the PPK's upload and the public
page show, and the reason a copy is refused."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.format import tgl
from apps.ttd import pades


@functools.lru_cache(maxsize=8)
def _load(paths: tuple[str, ...], stamp: tuple) -> tuple:
    certs = []
    for path in paths:
        with open(path, "rb") as fh:
            certs.extend(pades.muat_sertifikat_pem(fh.read()))
    return tuple(certs)


def _stamp(paths) -> tuple:
    return tuple(os.stat(p).st_mtime_ns if os.path.exists(p) else 0 for p in paths)


def trust_roots() -> tuple:
    paths = tuple(settings.SIAKS_TTD_TRUST_ROOTS)
    return _load(paths, _stamp(paths))


def intermediates() -> tuple:
    paths = tuple(settings.SIAKS_TTD_INTERMEDIATES)
    return _load(paths, _stamp(paths))


#: Chains checked in this process: (certificate SHA-256, usage, trust roots) → chains to a trust
#: root. A TSA stamps thousands of letters with one certificate, an official signs many: each chain
#: is built once per process, not once per letter (bench/ttd_1000.py).
_RANTAI: dict[tuple, bool] = {}


def berantai(cert, pool=(), *, eku: str = "") -> bool:
    """Does ``cert`` chain to :func:`trust_roots` (through ``pool`` and :func:`intermediates`)?
    ``eku``: an extended key usage it must have ("time_stamping" for a TSA). Cached per process."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator

    roots = trust_roots()
    key = (cert.sha256, eku, tuple(r.sha256 for r in roots))
    if key not in _RANTAI:
        validator = CertificateValidator(
            cert, intermediate_certs=[*pool, *intermediates()],
            validation_context=pades.konteks_validasi(roots, intermediates()),
        )  # fmt: skip
        try:
            asyncio.run(validator.async_validate_usage(set(), extended_key_usage={eku} if eku else None))
            _RANTAI[key] = True
        except Exception:  # PathBuildingError, PathValidationError, InvalidCertificateError …
            _RANTAI[key] = False
    return _RANTAI[key]


def masalah_ttd_baru(signed_data, *, tsa: str) -> str:
    """Why a signature the portal has just made (``signed_data``: its CMS SignedData) must not be
    stored, '' when it may: its timestamp token does not chain to the trust roots (a TSA of another
    CA: the validator, the public page's check and any reader would refuse the copy), or the
    signer's certificate does not (allowed only in development with
    SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA). ``tsa``: how the message names the TSA. Nothing is checked
    while no trust root is configured (validation then trusts nothing)."""
    from pyhanko.sign.general import extract_certificate_info

    if not trust_roots():
        return ""
    info = signed_data["signer_infos"][0]
    token = None
    for attr in info["unsigned_attrs"] or ():
        if attr["type"].native == "signature_time_stamp_token":
            token = attr["values"][0]["content"]
    saran = _("Tanda tangan tidak disimpan; hubungi admin platform.")
    if token is None:
        return _("Tanda tangan tidak memiliki cap waktu (timestamp) dari TSA %(u)s.") % {"u": tsa} + " " + saran
    tst = extract_certificate_info(token)
    if not berantai(tst.signer_cert, tst.other_certs, eku="time_stamping"):
        return _(
            "Cap waktu dari TSA %(u)s tidak tepercaya: sertifikat TSA \"%(n)s\" tidak berantai ke akar tepercaya "
            "portal."
        ) % {"u": tsa, "n": pades.identitas_sertifikat(tst.signer_cert)["nama"]} + " " + saran  # fmt: skip
    if settings.DEBUG and settings.SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA:
        return ""
    ttd = extract_certificate_info(signed_data)
    if not berantai(ttd.signer_cert, ttd.other_certs):
        return _(
            "Sertifikat penanda tangan \"%(n)s\" (penerbit %(p)s) tidak berantai ke akar tepercaya portal."
        ) % {"n": pades.identitas_sertifikat(ttd.signer_cert)["nama"],
             "p": pades.identitas_sertifikat(ttd.signer_cert)["penerbit"]} + " " + saran  # fmt: skip
    return ""


#: Academic, religious and noble titles (gelar) written before a name; those after it follow a comma.
GELAR_DEPAN = {
    "prof", "dr", "drs", "dra", "ir", "h", "hj", "drg", "dr(hc)", "kh", "ns", "apt", "ners", "raden", "r",
}  # fmt: skip
GELAR_BELAKANG = re.compile(r"^(?:[a-z]{1,4}\.){1,4}(?:[a-z]{1,6}\.?)?$")


def nama_inti(nama: str) -> list[str]:
    """A person's core name without titles, case, punctuation or extra spaces, as a list of words:
    ``"Ir. BUDI  Santoso, M.T."`` → ``["budi", "santoso"]``. Titles before the name (Dr., Ir.,
    Prof., H., Raden, R. …) are dropped; everything after the first comma is degrees (S.H.,
    M.Kn., Ph.D. …) and dropped too."""
    teks = (nama or "").lower().split(",")[0]
    words = []
    for w in teks.split():
        bare = w.strip(".")
        if not words and bare in GELAR_DEPAN:
            continue  # a title before the name
        if words and GELAR_BELAKANG.match(w) and "." in w:
            continue  # a title after the name without a comma ("Budi Santoso S.H.")
        bare = re.sub(r"[^0-9a-z\u00c0-\u024f']", "", bare)
        if bare:
            words.append(bare)
    return words


def nama_sama(a: str, b: str) -> bool:
    """Two spellings of one person's name: the same core name (:func:`nama_inti`) exactly, once
    titles, degrees, case, punctuation and spaces are set aside. A name with more words is
    another name ("Hendra Gunawan Wicaksono" is not "Hendra Gunawan"): the letter prints the name
    the certificate holder is registered under. The one rule for a typed signer, a PYB, a
    certificate at registration and at signing, and a signed copy's validation."""
    x = nama_inti(a)
    return bool(x) and x == nama_inti(b)


@dataclass
class Harapan:
    """An official the letter names as (one of) its signers."""

    nama: str
    nip: str = ""
    nik: str = ""
    sidik_jari: set = field(default_factory=set)
    user_id: int | None = None

    def cocok(self, identitas: dict) -> bool:
        """The certificate identifies this official (NIP, NIK or a registered fingerprint)."""
        return bool(
            (self.nip and identitas.get("nip") == self.nip)
            or (self.nik and identitas.get("nik") == self.nik)
            or identitas.get("sidik_jari") in self.sidik_jari
        )


@dataclass
class Laporan:
    sah: bool
    identik: bool
    lengkap: bool
    tanda_tangan: list[dict]
    alasan: list[str]
    #: The document's own check (identical to the issued PDF); each signature carries its checks
    #: in ``tanda_tangan[i]["pemeriksaan"]``.
    pemeriksaan: list[dict] = field(default_factory=list)
    #: What a valid copy's reader should know (a registered certificate under another name).
    catatan: list[str] = field(default_factory=list)
    #: Set by the public verdict (:func:`apps.ttd.publik.periksa_publik`): the version of the
    #: letter the file (or its signed revision) is byte-identical to, whether that version is the
    #: one in force, the version in force and whether it is signed, and the verdict's level
    #: (``sah``, ``peringatan`` or ``tidak_sah``) and sentence.
    versi: int | None = None
    berlaku: bool = False
    versi_berlaku: int | None = None
    versi_berlaku_ditandatangani: bool = False
    tingkat: str = ""
    teks: str = ""

    @property
    def ringkasan(self) -> str:
        if self.teks:
            return self.teks
        if not self.tanda_tangan:
            return _("Berkas tidak memuat tanda tangan elektronik.")
        nama = ", ".join(f"{t['nama']} pada {_waktu(t['waktu']) if t['waktu'] else '-'}" for t in self.tanda_tangan)
        if self.sah:
            teks = _(
                "Identik dengan surat yang diterbitkan portal dan ditandatangani secara elektronik oleh %(n)s — sah."
            ) % {"n": nama}
            return " ".join([teks, *self.catatan])
        return _("Tidak sah: %(a)s") % {"a": " ".join(self.alasan)}


def _jalur(s, who: dict) -> str:
    """The trust line's detail: the trust root by name, then the CAs it passes through
    ("Root CA Uji SIAKS, melalui CA Penanda Tangan Uji"), not the issuing CA alone."""
    if not s.akar:
        return who["penerbit"]
    if not s.perantara:
        return s.akar
    return _("%(akar)s, melalui %(perantara)s") % {"akar": s.akar, "perantara": " → ".join(s.perantara)}


def _cek(kode: str, label: str, lulus: bool | None, keterangan: str = "") -> dict:
    """One line of the report: ``lulus`` True (passed), False (failed) or None (not checked:
    an earlier check already failed and this one cannot be judged)."""
    return {"kode": kode, "label": label, "lulus": lulus, "keterangan": keterangan}


def harapan_untuk(surat) -> list[Harapan]:
    """The signers the letter names: the berita acara's ketua and each member present, the
    verifiers of a berita acara seleksi administrasi; otherwise the signing official. Registered
    officials add their NIK and certificate fingerprint."""
    return harapan_massal([surat])[surat.pk]


def harapan_massal(surat_list) -> dict[int, list[Harapan]]:
    """:func:`harapan_untuk` for many letters at once, in a fixed number of queries (the letter
    lists and the pages that check many letters are signed: ``apps.ttd.ringkasan``)."""
    from apps.ttd.models import Pejabat
    from apps.verifikasi.models import AnggotaTim, Pemeriksaan

    surat_list = list(surat_list)
    sidang_ids = sorted({s.sidang_id for s in surat_list if s.jenis == "berita_acara" and s.sidang_id})
    hadir: dict[int, list] = {}
    if sidang_ids:
        rows = (
            AnggotaTim.objects.filter(sidang_dihadiri__in=sidang_ids)
            .annotate(sidang_hadir=models.F("sidang_dihadiri"))
            .select_related("user")
            .order_by("id")
        )
        for a in rows:
            hadir.setdefault(a.sidang_hadir, []).append(a)
    seleksi_ids = [s.pk for s in surat_list if s.jenis == "berita_acara_seleksi"]
    verifikator: dict[int, dict] = {}
    if seleksi_ids:
        for p in Pemeriksaan.objects.filter(berita_acara_id__in=seleksi_ids).select_related("verifikator"):
            verifikator.setdefault(p.berita_acara_id, {})[p.verifikator.pk] = p.verifikator
    penerbit_ids = sorted({s.penerbit_id for s in surat_list})
    pejabat: dict[int, list] = {}
    rows = Pejabat.objects.filter(instansi_id__in=penerbit_ids, aktif=True).only(
        "instansi_id", "user_id", "nip", "nik", "sidik_jari"
    )
    for p in rows if penerbit_ids else ():
        pejabat.setdefault(p.instansi_id, []).append(p)
    out: dict[int, list[Harapan]] = {}
    for surat in surat_list:
        if surat.jenis == "berita_acara" and surat.sidang_id:
            rows = sorted(hadir.get(surat.sidang_id, []), key=lambda a: (a.peran != "ketua", a.pk))
            daftar = [Harapan(nama=str(a.user), nip=a.user.nip or "", user_id=a.user_id) for a in rows]
        elif surat.jenis == "berita_acara_seleksi":
            users = verifikator.get(surat.pk, {}).values()
            daftar = [
                Harapan(nama=str(u), nip=u.nip or "", user_id=u.pk) for u in sorted(users, key=lambda u: (str(u), u.pk))
            ]
        else:
            daftar = [Harapan(nama=surat.penandatangan_nama, nip=surat.penandatangan_nip or "")]
        for h in daftar:
            for p in pejabat.get(surat.penerbit_id, ()):
                if (h.nip and p.nip == h.nip) or (h.user_id and p.user_id == h.user_id):
                    h.nik = h.nik or p.nik
                    h.nip = h.nip or p.nip
                    if p.sidik_jari:
                        h.sidik_jari.add(p.sidik_jari)
        out[surat.pk] = daftar
    return out


def validasi(data: bytes, versi, *, terbit: bytes) -> Laporan:
    """Check ``data`` as a signed copy of ``versi`` whose issued PDF is ``terbit``.

    Each signature is checked on its own lines: intact; signed by the official the letter names
    (their NIP/NIK or registered certificate, and the same name once titles and case are set
    aside); chained to a trusted root; a trusted timestamp; nothing changed after signing. A
    broken signature (the signed bytes changed) is reported as that alone: its certificate, time
    and signer are not judged (they cannot be trusted), so no second failure is invented."""
    alasan: list[str] = []
    catatan: list[str] = []
    try:
        statuses = pades.periksa(data, trust_roots=trust_roots(), other_certs=intermediates())
    except Exception:
        return Laporan(False, False, False, [], [_("Berkas bukan PDF yang dapat dibaca.")])
    if not statuses:
        return Laporan(False, False, False, [], [_("Berkas tidak memuat tanda tangan elektronik.")])
    identik = data.startswith(terbit) and all(s.batas_revisi > len(terbit) for s in statuses)
    rusak = any(not (s.utuh and s.sah_kriptografis) for s in statuses)
    label_identik = _("Identik dengan PDF yang diterbitkan portal")
    if identik:
        cek_identik = _cek("identik", label_identik, True)
    elif rusak:
        # A byte comparison, whatever the signature: the page says what ``identik`` (the API) says.
        cek_identik = _cek("identik", label_identik, False, _("Isi berkas berbeda dari PDF yang diterbitkan portal "
                                                              "(berkas diubah)."))  # fmt: skip
    else:
        cek_identik = _cek("identik", label_identik, False, _("Salinan surat lain, versi lain, atau berkas yang "
                                                              "diubah sebelum ditandatangani."))  # fmt: skip
        alasan.append(
            _("Revisi yang ditandatangani tidak identik dengan PDF yang diterbitkan portal untuk surat ini "
              "(salinan surat lain, versi lain, atau berkas yang diubah sebelum ditandatangani).")
        )  # fmt: skip
    harapan = harapan_untuk(versi.surat)
    now = datetime.now(UTC)
    rows = []
    for s in statuses:
        who = s.penandatangan
        label = who["nama"] + (f" (NIP {who['nip']})" if who["nip"] else (f" (NIK {who['nik']})" if who["nik"] else ""))
        utuh = s.utuh and s.sah_kriptografis
        dikenal = [h for h in harapan if h.cocok(who)]
        nama_cocok = bool(dikenal) and any(nama_sama(who["nama"], h.nama) for h in dikenal)
        # The very certificate the portal registered for this official: the name was vetted then.
        terdaftar = any(who["sidik_jari"] in h.sidik_jari for h in dikenal)
        pejabat_cocok = bool(dikenal) and (nama_cocok or terdaftar)
        if not utuh:
            alasan.append(_("Tanda tangan %(n)s rusak: isi berkas berubah setelah ditandatangani.") % {"n": label})
            tak = _("Tidak diperiksa: tanda tangan rusak.")
            cek = [
                _cek("utuh", _("Tanda tangan utuh"), False, _("Isi berkas berubah setelah ditandatangani.")),
                _cek("penandatangan", _("Penandatangan sesuai dengan pejabat pada surat"), None, tak),
                _cek("rantai", _("Sertifikat berantai ke akar tepercaya"), None, tak),
                _cek("waktu", _("Cap waktu (timestamp) tepercaya"), None, tak),
                _cek("tidak_diubah", _("Tidak diubah setelah ditandatangani"), False,
                     _("Isi berkas berubah setelah ditandatangani.")),
            ]  # fmt: skip
        else:
            cek = [_cek("utuh", _("Tanda tangan utuh"), True)]
            sebutan = ", ".join(f"{h.nama} NIP {h.nip}" if h.nip else h.nama for h in harapan)
            if not dikenal:
                alasan.append(
                    _("Ditandatangani oleh %(n)s, bukan pejabat yang disebut dalam surat (%(h)s).")
                    % {"n": label, "h": sebutan}
                )
                cek.append(_cek("penandatangan", _("Penandatangan sesuai dengan pejabat pada surat"), False,
                                _("Bukan pejabat yang disebut dalam surat (%(h)s).") % {"h": sebutan}))  # fmt: skip
            elif not nama_cocok and terdaftar:
                tertulis = ", ".join(h.nama for h in dikenal)
                beda = _("Nama berbeda: sertifikat %(n)s, surat %(h)s; sertifikat ini terdaftar di portal untuk "
                         "pejabat tersebut.") % {"n": who["nama"], "h": tertulis}  # fmt: skip
                catatan.append(beda)
                cek.append(_cek("penandatangan", _("Penandatangan sesuai dengan pejabat pada surat"), True, beda))
            elif not nama_cocok:
                tertulis = ", ".join(h.nama for h in dikenal)
                alasan.append(
                    _("Nama berbeda: sertifikat atas nama %(n)s, surat menyebut %(h)s (NIP/NIK sama). Tanda tangan "
                      "tidak dapat dipastikan milik pejabat yang disebut dalam surat.")
                    % {"n": who["nama"], "h": tertulis}
                )  # fmt: skip
                beda = _("Nama berbeda: sertifikat %(n)s, surat %(h)s.") % {"n": who["nama"], "h": tertulis}
                cek.append(_cek("penandatangan", _("Penandatangan sesuai dengan pejabat pada surat"), False, beda))
            else:
                cek.append(_cek("penandatangan", _("Penandatangan sesuai dengan pejabat pada surat"), True, label))
            if not s.terpercaya and cek[-1]["lulus"]:
                # Anyone can make a certificate naming the official (CN = her name, serialNumber =
                # her NIK): an identity read from a certificate that does not chain to a trusted
                # root proves nothing, so it is not shown as passed (issue 17 fresh-eye walk).
                cek[-1] = _cek("penandatangan", _("Penandatangan sesuai dengan pejabat pada surat"), None,
                               _("Tidak diperiksa: identitas dari sertifikat yang tidak tepercaya tidak dapat "
                                 "dipastikan (tertulis %(n)s).") % {"n": label})  # fmt: skip
                pejabat_cocok = False
            nik_beda = sorted({h.nik for h in dikenal if h.nik and who["nik"] and who["nik"] != h.nik})
            if nik_beda and cek[-1]["lulus"]:
                # Known by NIP (or a registered certificate) on a trusted certificate, but its NIK is
                # not the one registered for the official: said on the report, never passed silently.
                beda = _("NIK berbeda: sertifikat NIK %(n)s, pejabat terdaftar NIK %(h)s. Periksa data pejabat "
                         "penanda tangan di portal.") % {"n": who["nik"], "h": ", ".join(nik_beda)}  # fmt: skip
                catatan.append(beda)
                cek[-1]["keterangan"] = " ".join(filter(None, [cek[-1]["keterangan"], beda]))
            if s.terpercaya:
                cek.append(_cek("rantai", _("Sertifikat berantai ke akar tepercaya"), True, _jalur(s, who)))
            elif who["berlaku_sampai"] and who["berlaku_sampai"] < now:
                pesan = _("Sertifikat %(n)s sudah kedaluwarsa sejak %(t)s.") % {
                    "n": label, "t": tgl(timezone.localtime(who["berlaku_sampai"]))}  # fmt: skip
                alasan.append(pesan)
                cek.append(_cek("rantai", _("Sertifikat berantai ke akar tepercaya"), False, pesan))
            else:
                pesan = _("Sertifikat %(n)s tidak berantai ke akar tepercaya (diterbitkan oleh %(p)s).") % {
                    "n": label, "p": who["penerbit"]}  # fmt: skip
                alasan.append(pesan)
                cek.append(_cek("rantai", _("Sertifikat berantai ke akar tepercaya"), False, pesan))
            if s.waktu_terpercaya:
                cek.append(_cek("waktu", _("Cap waktu (timestamp) tepercaya"), True,
                                _waktu(s.waktu, detik=True)))  # fmt: skip
            else:
                alasan.append(_("Tanda tangan %(n)s tidak memiliki cap waktu (timestamp) tepercaya.") % {"n": label})
                cek.append(_cek("waktu", _("Cap waktu (timestamp) tepercaya"), False,
                                _("Tidak ada cap waktu tepercaya.")))  # fmt: skip
            if s.diubah_setelah_ttd:
                alasan.append(_("Berkas diubah setelah ditandatangani %(n)s.") % {"n": label})
                cek.append(_cek("tidak_diubah", _("Tidak diubah setelah ditandatangani"), False,
                                _("Ada perubahan pada berkas setelah tanda tangan ini.")))  # fmt: skip
            else:
                cek.append(_cek("tidak_diubah", _("Tidak diubah setelah ditandatangani"), True))
        if next(c["lulus"] for c in cek if c["kode"] == "penandatangan") is None:
            # Not checked (a broken signature, or a certificate that does not chain to a trusted
            # root): neither the official nor the name is said to match or to differ, as the line
            # "Penandatangan sesuai" says (a tampered copy read "nama cocok" beside "pejabat tidak").
            pejabat_cocok = nama_cocok = None
        rows.append({
            "field": s.field, "nama": who["nama"], "nip": who["nip"], "nik": who["nik"],
            "sidik_jari": who["sidik_jari"],
            "penerbit": who["penerbit"], "utuh": utuh, "terpercaya": utuh and s.terpercaya,
            "waktu": s.waktu, "waktu_terpercaya": utuh and s.waktu_terpercaya,
            "diubah_setelah_ttd": (not utuh) or s.diubah_setelah_ttd,
            "pejabat_cocok": pejabat_cocok, "nama_cocok": nama_cocok, "pemeriksaan": cek,
        })  # fmt: skip
    lengkap = all(any(h.cocok(r) for r in rows if r["pejabat_cocok"]) for h in harapan)
    if not lengkap and not alasan:
        belum = [h.nama for h in harapan if not any(h.cocok(r) for r in rows)]
        alasan.append(_("Belum ditandatangani oleh: %(n)s.") % {"n": ", ".join(belum)})
    return Laporan(sah=not alasan, identik=identik, lengkap=lengkap, tanda_tangan=rows, alasan=alasan,
                   pemeriksaan=[cek_identik], catatan=catatan)  # fmt: skip


def _waktu(value, *, detik: bool = False) -> str:
    """A signing time as people read it: "23 November 2026 pukul 14.05 WIB" (Asia/Jakarta)."""
    lokal = timezone.localtime(value)
    return f"{tgl(lokal)} pukul {lokal.strftime('%H.%M.%S' if detik else '%H.%M')} WIB"


waktu_baca = _waktu
