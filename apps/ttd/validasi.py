"""Validation of a signed copy of a letter version: the report the PPK's upload and the public
page show, and the reason a copy is refused."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

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


@dataclass
class Harapan:
    """An official the letter names as (one of) its signers."""

    nama: str
    nip: str = ""
    nik: str = ""
    sidik_jari: set = field(default_factory=set)
    user_id: int | None = None

    def cocok(self, identitas: dict) -> bool:
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

    @property
    def ringkasan(self) -> str:
        if not self.tanda_tangan:
            return _("Berkas tidak memuat tanda tangan elektronik.")
        nama = ", ".join(
            f"{t['nama']} pada {timezone.localtime(t['waktu']).strftime('%d-%m-%Y %H:%M') if t['waktu'] else '-'}"
            for t in self.tanda_tangan
        )
        if self.sah:
            return _(
                "Identik dengan surat yang diterbitkan portal dan ditandatangani secara elektronik oleh %(n)s — sah."
            ) % {"n": nama}
        return _("Tidak sah: %(a)s") % {"a": " ".join(self.alasan)}


def harapan_untuk(surat) -> list[Harapan]:
    """The signers the letter names: the berita acara's ketua and each member present, the
    verifiers of a berita acara seleksi administrasi; otherwise the signing official. Registered
    officials add their NIK and certificate fingerprint."""
    from apps.ttd.models import Pejabat

    if surat.jenis == "berita_acara" and surat.sidang_id:
        hadir = list(surat.sidang.hadir.select_related("user").order_by("id"))
        hadir.sort(key=lambda a: (a.peran != "ketua", a.pk))
        out = [Harapan(nama=str(a.user), nip=a.user.nip or "", user_id=a.user_id) for a in hadir]
    elif surat.jenis == "berita_acara_seleksi":
        users = {p.verifikator for p in surat.pemeriksaan_seleksi.select_related("verifikator")}
        out = [Harapan(nama=str(u), nip=u.nip or "", user_id=u.pk) for u in sorted(users, key=lambda u: (str(u), u.pk))]
    else:
        out = [Harapan(nama=surat.penandatangan_nama, nip=surat.penandatangan_nip or "")]
    pejabat = list(Pejabat.objects.filter(instansi_id=surat.penerbit_id, aktif=True))
    for h in out:
        for p in pejabat:
            if (h.nip and p.nip == h.nip) or (h.user_id and p.user_id == h.user_id):
                h.nik = h.nik or p.nik
                h.nip = h.nip or p.nip
                if p.sidik_jari:
                    h.sidik_jari.add(p.sidik_jari)
    return out


def validasi(data: bytes, versi, *, terbit: bytes) -> Laporan:
    """Check ``data`` as a signed copy of ``versi`` whose issued PDF is ``terbit``."""
    alasan: list[str] = []
    try:
        statuses = pades.periksa(data, trust_roots=trust_roots(), other_certs=intermediates())
    except Exception:
        return Laporan(False, False, False, [], [_("Berkas bukan PDF yang dapat dibaca.")])
    if not statuses:
        return Laporan(False, False, False, [], [_("Berkas tidak memuat tanda tangan elektronik.")])
    identik = data.startswith(terbit) and all(s.batas_revisi > len(terbit) for s in statuses)
    if not identik:
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
        pejabat_cocok = any(h.cocok(who) for h in harapan)
        if not s.utuh or not s.sah_kriptografis:
            alasan.append(_("Tanda tangan %(n)s rusak: isi berkas berubah setelah ditandatangani.") % {"n": label})
        elif s.diubah_setelah_ttd:
            alasan.append(_("Berkas diubah setelah ditandatangani %(n)s.") % {"n": label})
        if not s.terpercaya:
            if who["berlaku_sampai"] and who["berlaku_sampai"] < now:
                alasan.append(
                    _("Sertifikat %(n)s sudah kedaluwarsa sejak %(t)s.")
                    % {"n": label, "t": who["berlaku_sampai"].strftime("%d-%m-%Y")}
                )
            else:
                alasan.append(
                    _("Sertifikat %(n)s tidak berantai ke akar tepercaya (diterbitkan oleh %(p)s).")
                    % {"n": label, "p": who["penerbit"]}
                )
        if not s.waktu_terpercaya:
            alasan.append(_("Tanda tangan %(n)s tidak memiliki cap waktu (timestamp) tepercaya.") % {"n": label})
        if not pejabat_cocok:
            alasan.append(
                _("Ditandatangani oleh %(n)s, bukan pejabat yang disebut dalam surat (%(h)s).")
                % {"n": label, "h": ", ".join(f"{h.nama} NIP {h.nip}" if h.nip else h.nama for h in harapan)}
            )
        rows.append({
            "field": s.field, "nama": who["nama"], "nip": who["nip"], "nik": who["nik"],
            "sidik_jari": who["sidik_jari"],
            "penerbit": who["penerbit"], "utuh": s.utuh and s.sah_kriptografis, "terpercaya": s.terpercaya,
            "waktu": s.waktu, "waktu_terpercaya": s.waktu_terpercaya, "diubah_setelah_ttd": s.diubah_setelah_ttd,
            "pejabat_cocok": pejabat_cocok,
        })  # fmt: skip
    lengkap = all(any(h.cocok(r) for r in rows) for h in harapan)
    if not lengkap and not alasan:
        belum = [h.nama for h in harapan if not any(h.cocok(r) for r in rows)]
        alasan.append(_("Belum ditandatangani oleh: %(n)s.") % {"n": ", ".join(belum)})
    return Laporan(sah=not alasan, identik=identik, lengkap=lengkap, tanda_tangan=rows, alasan=alasan)
