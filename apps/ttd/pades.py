"""PAdES signing and validation with pyHanko — the part that knows nothing about Django models.

Signing: an incremental update over the exact bytes given (the issued PDF, or the PDF already
carrying earlier signatures), PAdES baseline B-T (CMS with an RFC 3161 signature timestamp from
the TSA), and a visible block: signer name, NIP, office, "Ditandatangani secara elektronik" and
the letter's verification QR code.

Validation: every signature of a PDF against the configured trust roots (no network fetching),
reporting integrity, coverage, modifications after signing, the signing certificate's subject
(NIK/NIP) and fingerprint, and the signature timestamp."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import x509 as asn1_x509

#: A4 in points. The signature blocks sit above the footer (QR, code, page number) of the last page.
LEBAR_BLOK, TINGGI_BLOK = 250, 78
KIRI, BAWAH, JARAK = 42, 92, 8

TEKS_BLOK = "Ditandatangani secara elektronik oleh\n%(nama)s\n%(nip_baris)s\n%(jabatan)s\nWaktu: %(ts)s"


@dataclass(frozen=True)
class Tampilan:
    """What the visible signature block shows, and where (slot 0 is the bottom right)."""

    nama: str
    nip: str
    jabatan: str
    url: str
    slot: int = 0

    def kotak(self) -> tuple[int, int, int, int]:
        kolom = 1 - (self.slot % 2)
        baris = self.slot // 2
        x1 = KIRI + kolom * (LEBAR_BLOK + JARAK) + 20
        y1 = BAWAH + baris * (TINGGI_BLOK + JARAK)
        return x1, y1, x1 + LEBAR_BLOK, y1 + TINGGI_BLOK

    def teks(self) -> dict:
        return {
            "nama": self.nama[:60],
            "nip_baris": f"NIP {self.nip}" if self.nip else "",
            "jabatan": self.jabatan[:60],
            "url": self.url,
        }


#: Room for the CMS signature container (signer certificate and chain, timestamp token with the
#: TSA's chain: about 7 kB DER for RSA-2048). Fixed, so pyHanko does not sign twice (a dry run
#: to measure the container, then the real one).
RUANG_TTD = 16384


def signer_kunci_tetap(signer):
    """The same pyHanko ``SimpleSigner`` whose private key is parsed once, not on every signature.

    pyHanko's ``sign_raw`` re-loads the key from DER for each call, and loading an RSA key
    checks it (about 100 ms of CPU, more than the signature itself); the parsed key is kept on
    the signer object, which the backend caches per process."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers.pdf_cms import SimpleSigner

    class KunciTetap(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algo = mechanism.signature_algo
            except ValueError:
                algo = mechanism["algorithm"].native
            key = getattr(self, "_kunci", None)
            if key is None:
                key = self._kunci = serialization.load_der_private_key(self.signing_key.dump(), password=None)
            if algo == "rsassa_pkcs1v15":
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if algo == "ecdsa":
                return key.sign(data, signature_algorithm=ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
            return super().sign_raw(data, digest_algorithm)

    signer.__class__ = KunciTetap
    return signer


def stamp_style():
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import QRStampStyle

    return QRStampStyle(
        stamp_text=TEKS_BLOK,
        text_box_style=TextBoxStyle(font_size=7, leading=9),
        timestamp_format="%d-%m-%Y %H:%M:%S %Z",
        border_width=1,
        innsep=3,
    )


def nama_field(pejabat_id: int | str) -> str:
    return f"TTE-{pejabat_id}"


def tandatangani(data: bytes, signer, *, tampilan: Tampilan, field_name: str, timestamper, alasan: str = "",
                 lokasi: str = "") -> bytes:  # fmt: skip
    """The signed PDF: ``data`` followed by one incremental update with the signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    halaman = int(writer.root["/Pages"]["/Count"]) - 1
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=alasan or None,
        location=lokasi or None,
        name=tampilan.nama,
    )
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=halaman, box=tampilan.kotak())
    pdf_signer = signers.PdfSigner(
        meta, signer, timestamper=timestamper, stamp_style=stamp_style(), new_field_spec=spec
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out, appearance_text_params=tampilan.teks(), bytes_reserved=RUANG_TTD)
    return out.getvalue()


# --------------------------------------------------------------------------- certificates

_DIGITS = re.compile(r"\d{16,18}")


def identitas_sertifikat(cert: asn1_x509.Certificate) -> dict:
    """Name, NIK and NIP from a signer certificate's subject, and its SHA-256 fingerprint."""
    subject = cert.subject.native
    teks = " ".join(
        str(subject.get(k, "")) for k in ("serial_number", "organizational_unit_name", "common_name", "title")
    )
    nik = nip = ""
    for nomor in _DIGITS.findall(teks):
        if len(nomor) == 18 and not nip:
            nip = nomor
        elif len(nomor) == 16 and not nik:
            nik = nomor
    ou = subject.get("organizational_unit_name")
    return {
        "nama": str(subject.get("common_name", "")),
        "organisasi": str(subject.get("organization_name", "")),
        "unit": ", ".join(ou) if isinstance(ou, list) else str(ou or ""),
        "nik": nik,
        "nip": nip,
        "sidik_jari": cert.sha256.hex(),
        "penerbit": str(cert.issuer.native.get("common_name", "")),
        "berlaku_sampai": cert["tbs_certificate"]["validity"]["not_after"].native,
    }


def muat_sertifikat_pem(data: bytes) -> list[asn1_x509.Certificate]:
    from asn1crypto import pem

    certs = []
    if not data:
        return certs
    if pem.detect(data):
        for _type, _headers, der in pem.unarmor(data, multiple=True):
            certs.append(asn1_x509.Certificate.load(der))
    else:
        certs.append(asn1_x509.Certificate.load(data))
    return certs


# --------------------------------------------------------------------------- validation


@dataclass
class StatusTtd:
    """One embedded signature, checked."""

    field: str
    utuh: bool
    sah_kriptografis: bool
    terpercaya: bool
    mencakup_seluruh_berkas: bool
    diubah_setelah_ttd: bool
    waktu: datetime | None
    waktu_terpercaya: bool
    penandatangan: dict
    batas_revisi: int  # bytes of the file this signature covers (its revision's end)
    masalah: list[str] = field(default_factory=list)


def konteks_validasi(trust_roots, other_certs):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=list(trust_roots), other_certs=list(other_certs), allow_fetching=False,
        revocation_mode="soft-fail",
    )  # fmt: skip


def periksa(data: bytes, *, trust_roots, other_certs=()) -> list[StatusTtd]:
    """Check every signature in ``data``. Raises ``ValueError`` for a file that is not a PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    hasil = []
    sigs = list(reader.embedded_regular_signatures)
    for i, sig in enumerate(sigs):
        status = validate_pdf_signature(sig, signer_validation_context=konteks_validasi(trust_roots, other_certs))
        ts = status.timestamp_validity
        coverage = status.coverage
        terakhir = i == len(sigs) - 1
        mod = getattr(status, "modification_level", None)
        diff_ok = status.docmdp_ok is not False and (
            coverage == SignatureCoverageLevel.ENTIRE_FILE
            or (not terakhir and coverage == SignatureCoverageLevel.ENTIRE_REVISION)
        )
        if terakhir and coverage != SignatureCoverageLevel.ENTIRE_FILE:
            diff_ok = False
        if mod is not None and mod.name not in ("NONE", "LTA_UPDATES", "FORM_FILLING"):
            diff_ok = False
        byte_range = sig.byte_range
        st = StatusTtd(
            field=sig.field_name,
            utuh=bool(status.intact),
            sah_kriptografis=bool(status.intact and status.valid),
            terpercaya=bool(status.trusted),
            mencakup_seluruh_berkas=coverage == SignatureCoverageLevel.ENTIRE_FILE,
            diubah_setelah_ttd=not diff_ok,
            waktu=ts.timestamp if ts is not None else None,
            waktu_terpercaya=bool(ts is not None and ts.intact and ts.valid and ts.trusted),
            penandatangan=identitas_sertifikat(status.signing_cert),
            batas_revisi=byte_range[2] + byte_range[3],
        )
        hasil.append(st)
    return hasil
