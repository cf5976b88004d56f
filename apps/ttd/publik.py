"""What the public verification page says about signatures (no login: the letter was found by
its printed code)."""

from __future__ import annotations

import itertools
import re

from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import TandaTangan


def versi_final(versi: VersiSurat) -> VersiSurat:
    if versi.terkini:
        return versi
    return versi.surat.versi_set.filter(diganti_at__isnull=True).first() or versi


def frasa_digantikan(pengganti: VersiSurat, final: VersiSurat) -> str:
    """How the public page and the upload report both say a version was superseded: by the next
    version (with its date) and, when that one was superseded too, which version is the last."""
    from django.utils.translation import gettext as _

    from apps.core.format import tgl

    teks = _("digantikan versi %(b)d (%(t)s)") % {"b": pengganti.versi, "t": tgl(timezone_lokal(pengganti.created_at))}
    if pengganti.pk != final.pk:
        teks += _("; versi terakhir: versi %(f)d") % {"f": final.versi}
    return teks


def status_publik(versi: VersiSurat) -> dict:
    """The signature status of the letter's final version (public: anyone holding the code)."""
    from apps.core import tenancy

    with tenancy.all_tenants(reason="public signature status of a letter by its printed code"):
        final = versi_final(versi)
        ttd = list(final.tanda_tangan.filter(status=TandaTangan.Status.SELESAI).order_by("selesai_at"))
        if any(t.cara == TandaTangan.Cara.MANUAL for t in ttd):
            nama, jabatan = penanda_disebut(final.surat)
            for t in ttd:
                t.basah_nama, t.basah_jabatan = nama, jabatan
        lama = final.pk != versi.pk
        return {
            "versi": final, "ttd": ttd, "lengkap": bool(ttd) and services.lengkap(final),
            # The code printed on a superseded version: its own signatures (if any) are not the
            # final version's, and each line says which version it is about.
            "dilihat": versi, "lama": lama,
            "digantikan": frasa_digantikan(
                versi.surat.versi_set.filter(versi__gt=versi.versi).order_by("versi").first() or final, final
            ) if lama else "",
            "ttd_dilihat": list(versi.tanda_tangan.filter(status=TandaTangan.Status.SELESAI)) if lama else [],
            # Signed by hand (the fallback): that is the status, not the missing e-signatures.
            "manual": [t for t in ttd if t.cara == TandaTangan.Cara.MANUAL],
            "pengesahan": pengesahan_publik(final),
        }  # fmt: skip


def penanda_disebut(surat) -> tuple[str, str]:
    """The signer(s) as the letter names them, for the public line of a wet-ink (scanned)
    signature, whose row records no signer: (names, jabatan) — the signing official's name and
    jabatan; a berita acara's ketua and members present by name. The reason the issuer gave for
    the fallback is internal (staff pages only)."""
    from apps.ttd.validasi import harapan_untuk

    if surat.jenis in ("berita_acara", "berita_acara_seleksi"):
        nama = [h.nama for h in harapan_untuk(surat) if h.nama]
        if len(nama) > 1:
            return ", ".join(nama), ""
    return surat.penandatangan_nama, surat.penandatangan_jabatan


def kalimat_basah(t) -> str:
    """The public sentence of a wet-ink signature (:func:`status_publik` sets ``basah_nama`` /
    ``basah_jabatan``); ``ttd/_status_publik.html`` says the same."""
    from django.utils.translation import gettext as _

    nama, jabatan = getattr(t, "basah_nama", ""), getattr(t, "basah_jabatan", "")
    if nama and jabatan:
        return _("Ditandatangani basah (pindaian) oleh %(n)s, %(j)s; salinan pindaian disimpan penerbit.") % {
            "n": nama, "j": jabatan}  # fmt: skip
    if nama or jabatan:
        return _("Ditandatangani basah (pindaian) oleh %(n)s; salinan pindaian disimpan penerbit.") % {
            "n": nama or jabatan}  # fmt: skip
    return _("Ditandatangani secara manual (tanda tangan basah); salinan pindaian disimpan penerbit.")


def pengesahan_publik(final: VersiSurat) -> list[dict]:
    """The endorsements every version of the letter's type requires before its signature
    (:data:`apps.ttd.services.LANGKAH_WAJIB`: the HAPAK's Sekretariat Tim Penilai, seed 001 BAB
    IV E.4.b), on the version in force, for the public page: ``sebutan``, and the name of who gave
    the paraf and when (``nama`` empty while it is awaited) — the name only, as the signed copy's
    reason names them; no NIP, account or e-mail. Called inside the public all-tenants read."""
    from apps.ttd.models import AlurVersi

    if final.surat.jenis not in services.LANGKAH_WAJIB:
        return []
    snap = AlurVersi.objects.filter(versi_id=final.pk).only("langkah").first()
    sah = services.paraf_sah(final)
    out = []
    for row in snap.langkah if snap is not None else []:
        if not row.get("atau"):  # a step of the issuer's configured chain, not the required endorsement
            continue
        p = sah.get(row["urutan"])
        p = p if p is not None and p.user_id in services.pemberi(row) else None
        out.append({
            "sebutan": row.get("sebutan", ""),
            "nama": (p.user.nama_lengkap or "").strip() if p is not None else "",
            "waktu": p.created_at if p is not None else None,
        })  # fmt: skip
    return out


def _isi(versi: VersiSurat) -> bytes:
    with versi.berkas.open("rb") as fh:
        return fh.read()


def keadaan_berlaku(final: VersiSurat) -> tuple[bool, str]:
    """Whether the version in force is signed, and the sentence saying so (with where its signed
    copy is to be had)."""
    from django.utils.translation import gettext as _

    from apps.ttd.validasi import waktu_baca

    ttd = list(final.tanda_tangan.filter(status=TandaTangan.Status.SELESAI).order_by("selesai_at", "id"))
    penerbit = final.surat.penerbit.nama
    manual = [t for t in ttd if t.cara == TandaTangan.Cara.MANUAL]
    if manual:
        return True, _(
            "Versi yang berlaku (versi %(v)d) ditandatangani basah (pindaian disimpan penerbit). Salinan bertanda "
            "tangan diperoleh dari penerbit, %(p)s."
        ) % {"v": final.versi, "p": penerbit}
    if ttd and services.lengkap(final, ttd=ttd):
        oleh = ", ".join(f"{t.penandatangan_nama} ({waktu_baca(t.waktu_ttd) if t.waktu_ttd else '-'})" for t in ttd)
        return True, _(
            "Versi yang berlaku (versi %(v)d) sudah ditandatangani secara elektronik oleh %(o)s. Salinan bertanda "
            "tangan (PDF yang memuat tanda tangan elektronik) diperoleh dari penerbit, %(p)s, atau diunduh dari "
            "halaman surat di portal SIAKS oleh pengguna instansi terkait; cocokkan salinan itu di halaman ini."
        ) % {"v": final.versi, "o": oleh, "p": penerbit}
    return False, _("Versi yang berlaku (versi %(v)d) belum ditandatangani.") % {"v": final.versi}


def periksa_publik(versi: VersiSurat, data: bytes):
    """The one verdict of the public page and the public API on a file uploaded for the letter
    whose code is ``versi``'s (called inside the public all-tenants read), as a
    :class:`~apps.ttd.validasi.Laporan` with ``versi``/``berlaku``/``tingkat``/``teks`` set.

    * The issued (unsigned) PDF of any version: identical (``identik``), not valid as a signed
      copy (``sah`` false), saying it carries no signature and whether the version in force is
      signed and where its signed copy is to be had.
    * A signed copy: its signed revision is matched against every version of the letter; one of
      a superseded version is reported as identical to that version, signed by whom and when,
      but replaced by the version in force (not ``sah``).
    * A wet-ink scan the issuer uploaded: identical to that copy.
    * Anything else: not identical."""
    import hashlib

    from django.utils.translation import gettext as _

    from apps.core.format import tgl
    from apps.ttd.validasi import Laporan, _cek, validasi, waktu_baca

    final = versi_final(versi)
    if not final.siap:
        return Laporan(
            sah=False, identik=False, lengkap=False, tanda_tangan=[], alasan=[_("Surat masih diproses.")],
            tingkat="tidak_sah", versi_berlaku=final.versi,
            teks=_("Versi terbaru surat ini (versi %(v)d) masih diproses; coba lagi beberapa saat lagi.")
            % {"v": final.versi},
        )  # fmt: skip
    semua = [v for v in final.surat.versi_set.order_by("versi") if v.siap]
    berikut = {a.pk: b for a, b in itertools.pairwise(semua)}
    ditandatangani, keadaan = keadaan_berlaku(final)
    sha = hashlib.sha256(data).hexdigest()
    umum = {"versi_berlaku": final.versi, "versi_berlaku_ditandatangani": ditandatangani}

    def digantikan(v: VersiSurat) -> str:
        return _("Versi %(v)d sudah %(g)s.") % {"v": v.versi, "g": frasa_digantikan(berikut.get(v.pk) or final, final)}

    label_identik = _("Identik dengan PDF yang diterbitkan portal")
    terbit = next((v for v in semua if v.sha256 == sha), None)
    if terbit is not None:
        berlaku = terbit.pk == final.pk
        tanpa = _("Salinan ini tidak memuat tanda tangan elektronik.")
        teks = [
            _("Identik: berkas ini sama persis dengan surat yang diterbitkan (versi %(v)d), tetapi salinan ini tidak "
              "memuat tanda tangan elektronik.") % {"v": terbit.versi}
        ]  # fmt: skip
        if not berlaku:
            teks.append(digantikan(terbit))
        teks.append(keadaan)
        return Laporan(
            sah=False, identik=True, lengkap=False, tanda_tangan=[], alasan=[tanpa],
            pemeriksaan=[
                _cek("identik", label_identik, True, _("Versi %(v)d.") % {"v": terbit.versi}),
                _cek("bertanda_tangan", _("Memuat tanda tangan elektronik"), False, tanpa),
            ],
            versi=terbit.versi, berlaku=berlaku, tingkat="peringatan", teks=" ".join(teks), **umum,
        )  # fmt: skip
    # The version whose issued PDF the file begins with (a signed copy is an incremental update).
    cocok = next(
        (v for v in semua if v.ukuran and len(data) > v.ukuran and hashlib.sha256(data[: v.ukuran]).hexdigest()
         == v.sha256),
        final,
    )  # fmt: skip
    laporan = validasi(data, cocok, terbit=_isi(cocok))
    laporan.versi_berlaku, laporan.versi_berlaku_ditandatangani = final.versi, ditandatangani
    if not laporan.tanda_tangan:
        scan = next((v for v in semua if v.ttd_sha256 == sha), None)
        if scan is not None:
            # A wet-ink scan: the portal can say only that the file is the one the issuer
            # uploaded, and when (why it was used is internal: staff pages); it cannot check a
            # wet-ink signature, so never "sah".
            berlaku = scan.pk == final.pk
            manual = scan.tanda_tangan.filter(cara=TandaTangan.Cara.MANUAL).order_by("-pk").first()
            pada = scan.ttd_at or (manual.selesai_at if manual else None)
            sama = _(
                "Berkas ini sama dengan salinan bertanda tangan basah yang diunggah penerbit untuk versi %(v)d pada "
                "%(t)s; portal tidak dapat memeriksa tanda tangan basah."
            ) % {"v": scan.versi, "t": tgl(timezone_lokal(pada)) if pada else "-"}
            teks = [sama]
            if not berlaku:
                teks += [digantikan(scan), keadaan]
            tanpa = _("Portal tidak dapat memeriksa tanda tangan basah.")
            return Laporan(
                sah=False, identik=True, lengkap=berlaku, tanda_tangan=[],
                alasan=[tanpa] if berlaku else [tanpa, digantikan(scan)],
                pemeriksaan=[_cek("identik", _("Sama dengan salinan bertanda tangan basah yang diunggah penerbit"),
                                  True, sama)],
                versi=scan.versi, berlaku=berlaku, tingkat="peringatan", teks=" ".join(teks),
                **umum,
            )  # fmt: skip
        laporan.tingkat = "tidak_sah"
        if b"%PDF-" not in data[:1024]:
            laporan.teks = _(
                "Berkas ini bukan berkas PDF, sehingga tidak dapat diperiksa. Unggah berkas PDF surat yang Anda terima."
            )
        else:
            laporan.teks = _("Tidak identik: berkas ini berbeda dari surat yang diterbitkan.")
        return laporan
    if laporan.identik:
        laporan.versi, laporan.berlaku = cocok.versi, cocok.pk == final.pk
    if laporan.identik and not laporan.berlaku:
        ganti = digantikan(cocok)
        oleh = ", ".join(
            f"{t['nama']} {_('pada')} {waktu_baca(t['waktu']) if t['waktu'] else '-'}" for t in laporan.tanda_tangan
        )
        if laporan.sah:
            laporan.teks = " ".join([
                _("Identik dengan versi %(v)d, ditandatangani secara elektronik oleh %(o)s, tetapi versi itu sudah "
                  "%(g)s dan tidak berlaku lagi.") % {
                    "v": cocok.versi, "o": oleh, "g": frasa_digantikan(berikut.get(cocok.pk) or final, final)},
                keadaan,
            ])  # fmt: skip
            laporan.tingkat = "peringatan"
        else:
            laporan.teks = " ".join([_("Tidak sah: %(a)s") % {"a": " ".join(laporan.alasan)}, ganti, keadaan])
            laporan.tingkat = "tidak_sah"
        laporan.alasan = [*laporan.alasan, ganti]
        laporan.sah = False
        for c in laporan.pemeriksaan:
            if c["kode"] == "identik":
                c["keterangan"] = _("Versi %(v)d (sudah digantikan; tidak berlaku lagi).") % {"v": cocok.versi}
        return laporan
    laporan.tingkat = "sah" if laporan.sah else "tidak_sah"
    return laporan


def timezone_lokal(value):
    from django.utils import timezone

    return timezone.localtime(value)


_NOMOR_IDENTITAS = re.compile(r"(?<![0-9A-Za-z])(?:[0-9]{18}|[0-9]{16})(?![0-9A-Za-z])")


def samarkan(laporan):
    """The report for anonymous readers: every signer's NIP and NIK masked as the public page
    masks NIPs (``1985**********1003``), in the fields and in every sentence that quotes them."""
    import copy

    from apps.surat.selectors import mask_nip

    out = copy.deepcopy(laporan)
    ganti = {}
    for t in out.tanda_tangan:
        for key in ("nip", "nik"):
            if t.get(key):
                ganti[t[key]] = mask_nip(t[key])
                t[key] = mask_nip(t[key])

    def bersih(teks):
        if not isinstance(teks, str):
            return teks
        for asli, samar in ganti.items():
            teks = teks.replace(asli, samar)
        # One rule for every NIP (18 digits) and NIK (16) a sentence quotes: the signer's and the
        # official the letter names alike (issue 17 walk finding 9).
        return _NOMOR_IDENTITAS.sub(lambda m: mask_nip(m.group(0)), teks)

    def cek(rows):
        return [{k: bersih(v) for k, v in c.items()} for c in rows]

    for t in out.tanda_tangan:
        for k, v in list(t.items()):
            t[k] = cek(v) if k == "pemeriksaan" else bersih(v)
    out.alasan = [bersih(a) for a in out.alasan]
    out.teks = bersih(out.teks)
    out.catatan = [bersih(a) for a in out.catatan]
    out.pemeriksaan = cek(out.pemeriksaan)
    return out


def status_publik_data(versi: VersiSurat) -> dict:
    """The signature status the public page ``/v/<kode>/`` shows (:func:`status_publik`, the
    template ``ttd/_status_publik.html``), for the public API (``VerifikasiPublik.tanda_tangan``):
    ``status`` ``elektronik`` (every signer the letter names signed electronically — each
    signature was validated when it was made or uploaded: ``sah``), ``manual`` (the wet-ink
    fallback, by the signer the letter names; the reason for it stays on staff pages),
    ``sebagian`` (some signed) or ``belum``; of the letter's final version. Names only: no NIP or
    NIK (the page shows none)."""
    from django.utils.translation import gettext as _

    from apps.core.format import waktu

    st = status_publik(versi)
    final, ttd = st["versi"], st["ttd"]
    if st["manual"]:
        keadaan = "manual"
    elif ttd and st["lengkap"]:
        keadaan = "elektronik"
    else:
        keadaan = "sebagian" if ttd else "belum"
    kalimat = []
    if st["lama"]:
        g = {"v": versi.versi, "g": st["digantikan"]}
        kalimat.append(
            _("Versi ini (v%(v)d) pernah ditandatangani, tetapi sudah %(g)s dan tidak berlaku lagi.") % g
            if st["ttd_dilihat"]
            else _("Versi ini (v%(v)d) tidak ditandatangani; sudah %(g)s.") % g
        )
    awal = _("Versi terakhir (v%(v)d):") % {"v": final.versi} + " " if st["lama"] else ""
    penandatangan = []
    for t in ttd:
        manual = t.cara == TandaTangan.Cara.MANUAL
        if manual:
            teks = kalimat_basah(t)
            teks += " " + _("Salinan diunggah %(w)s.") % {"w": waktu(t.created_at)}
        else:
            teks = _("Ditandatangani secara elektronik oleh %(n)s pada %(w)s, sah.") % {
                "n": t.penandatangan_nama, "w": waktu(t.waktu_ttd)}  # fmt: skip
        kalimat.append(awal + teks)
        penandatangan.append({
            "cara": t.cara, "nama": t.basah_nama if manual else t.penandatangan_nama,
            "jabatan": t.basah_jabatan if manual else "",
            "waktu": t.created_at if manual else t.waktu_ttd, "sah": not manual,
        })  # fmt: skip
    if keadaan == "sebagian":
        kalimat.append(_("Belum ditandatangani oleh semua pejabat yang disebut dalam surat."))
    elif keadaan == "belum":
        kalimat.append(
            _("Versi terakhir (v%(v)d) belum ditandatangani.") % {"v": final.versi}
            if st["lama"]
            else _("Versi yang berlaku belum ditandatangani.")
        )
    return {
        "status": keadaan, "versi": final.versi, "lengkap": keadaan in ("elektronik", "manual"),
        "versi_ini_ditandatangani": bool(st["ttd_dilihat"]) if st["lama"] else bool(ttd),
        "penandatangan": penandatangan, "ringkasan": " ".join(kalimat),
    }  # fmt: skip
