"""The issuer's own register of its signing officials (the "Pejabat penanda tangan" page).

Who keeps which register: an instansi pengguna's PIC (admin instansi) its officials (PPK,
PYB, …); the admin pembina the pembina's (the official who signs the rekomendasi, the Tim
Penilai's PYB, …). Both only for their own instansi: another instansi's official does not exist
for them (404).

``pkcs12``: the uploaded archive is stored as the portal keeps every one (apps.ttd.models):
encrypted with ``SIAKS_TTD_PKCS12_PASSPHRASE`` from the environment. An archive protected
with another passphrase is opened with the one typed on the form and re-encrypted with the
environment's before it is stored; the typed one is used in memory only, never stored or
logged. ``bsre``: the NIK BSrE knows the official by. A certificate (PEM/DER) or its SHA-256
fingerprint may be registered for either, so an upload signed elsewhere is matched by it.

Every change is audited (before/after, never the key). A newly registered (or reactivated, or
re-numbered) official is told at once of the letters already waiting for their signature."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role, User
from apps.accounts.permissions import has_role
from apps.core import audit
from apps.ttd.models import Pejabat
from apps.ttd.services import TtdError

_HEX = re.compile(r"[^0-9a-fA-F]")


def boleh_kelola(user) -> bool:
    """The PIC of an instansi pengguna and the admin pembina keep their own instansi's register."""
    return bool(
        user.is_authenticated
        and getattr(user, "instansi", None) is not None
        and has_role(user, Role.PIC_INSTANSI, Role.ADMIN_PEMBINA)
    )


def pejabat_untuk(user):
    """The officials ``user`` may open: their own instansi's (none for anyone else)."""
    if not boleh_kelola(user):
        return Pejabat.objects.none()
    return Pejabat.objects.filter(instansi_id=user.instansi.pk)


def calon_akun(instansi_id: int):
    """The accounts an official may be linked to: the issuer's active staff. Not a pejabat
    fungsional's own login (role ``pejabat_fungsional``, the JF holder reading their record and
    letters): it holds no office that signs the instansi's letters."""
    from django.db.models import Exists, OuterRef

    from apps.accounts.models import Membership

    staf = Membership.objects.filter(user=OuterRef("pk"), instansi_id=instansi_id, is_active=True).exclude(
        role=Role.PEJABAT_FUNGSIONAL
    )
    return User.objects.filter(Exists(staf), is_active=True).order_by("nama_lengkap", "username")


def _akun_pemegang_jf(user, instansi_id: int) -> bool:
    """``user`` is only a pejabat fungsional's own login at this instansi."""
    return user.memberships.filter(instansi_id=instansi_id, is_active=True, role=Role.PEJABAT_FUNGSIONAL).exists()


def normal_sidik_jari(raw: str) -> str:
    """``AB:CD:…`` or ``abcd…`` → 64 lowercase hex digits ("" when empty); ValueError otherwise."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    hexa = _HEX.sub("", raw.replace(":", "").replace(" ", ""))
    if len(hexa) != 64 or len(hexa) != len(raw.replace(":", "").replace(" ", "")):
        raise ValueError(raw)
    return hexa.lower()


def baca_sertifikat(data: bytes):
    """An X.509 certificate from PEM or DER bytes (the first one), or TtdError."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    try:
        der = pem.unarmor(data)[2] if pem.detect(data) else data
        cert = asn1_x509.Certificate.load(der)
        cert.native  # noqa: B018 - parse it fully here, not later in a signing run
        return cert
    except Exception as exc:
        raise TtdError({"sertifikat": [_("Berkas sertifikat tidak dapat dibaca (harus PEM atau DER X.509).")]}) from exc


def _bukan_pkcs12(blob: bytes) -> bool:
    """``blob`` is not a PKCS#12 archive at all (a text file, a PDF, a PEM certificate renamed
    .p12), as opposed to one that does not open with the passphrases tried."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(blob, strict=True)
        pfx["auth_safe"]["content_type"].native  # noqa: B018 - parse the outer structure now
        return pfx["version"].native != "v3"
    except Exception:
        return True


def buka_pkcs12(blob: bytes, passphrase_berkas: str = "") -> tuple[bytes, object, list]:
    """The archive as the portal stores it (encrypted with the environment's passphrase), its
    signing certificate and the other certificates it carries (its chain, for the chain check).
    ``passphrase_berkas``: the archive's own, when it is not the portal's."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, pkcs12

    env = settings.SIAKS_TTD_PKCS12_PASSPHRASE
    if not env:
        raise TtdError(
            {"p12": [_("Kunci penyimpanan sertifikat portal belum dikonfigurasi di server. Hubungi admin platform.")]}
        )  # fmt: skip  (the operator's variable is SIAKS_TTD_PKCS12_PASSPHRASE: docs/ttd-elektronik.md)
    percobaan = [env] + ([passphrase_berkas] if passphrase_berkas and passphrase_berkas != env else [])
    for pp in percobaan:
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(blob, pp.encode() or None)
        except (ValueError, TypeError):
            continue
        if key is None or cert is None:
            raise TtdError({"p12": [_("Berkas sertifikat tidak memuat kunci privat dan sertifikat penanda tangan.")]})
        if pp != env:  # re-encrypted with the portal's passphrase; the typed one is dropped here
            blob = pkcs12.serialize_key_and_certificates(
                b"siaks", key, cert, extra or None, BestAvailableEncryption(env.encode())
            )
        rantai = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in extra or ()]
        return blob, asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)), rantai
    # None of the passphrases opens it: a file that is no .p12 at all (checked only now, so a
    # real archive the parser here does not know is never refused for its form) is told apart
    # from an archive under another passphrase.
    if _bukan_pkcs12(blob):
        raise TtdError(
            {"p12": [_("Berkas ini bukan berkas sertifikat elektronik (.p12/.pfx). Unggah berkas .p12/.pfx yang "
                       "memuat kunci privat dan sertifikat pejabat (bukan sertifikat .pem/.crt saja).")]}
        )  # fmt: skip
    if passphrase_berkas:
        raise TtdError({"passphrase_berkas": [_("Passphrase berkas sertifikat salah.")]})
    raise TtdError(
        {"passphrase_berkas": [_("Berkas sertifikat ini dilindungi passphrase lain: isi passphrase berkasnya.")]}
    )


def boleh_tidak_tepercaya() -> bool:
    """Development only: ``SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA`` (and DEBUG) lets a certificate
    that does not chain to the trust roots be registered, with a warning. Never in production:
    the setting is ignored when DEBUG is off."""
    return bool(settings.DEBUG and getattr(settings, "SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA", False))


def periksa_rantai(cert, field: str, *, rantai=()) -> str:
    """Validate ``cert``'s chain now against the configured trust roots, with the same
    pyHanko certvalidator context the validation of signed copies uses
    (:func:`apps.ttd.pades.konteks_validasi`): a certificate whose signatures would be reported
    "tidak berantai ke akar tepercaya" is refused at registration, not discovered on every
    letter. An expired (or not yet valid) certificate is refused. Returns a warning (only in
    development with :func:`boleh_tidak_tepercaya`) or ""."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import ExpiredError, NotYetValidError, PathError, RevokedError, ValidationError

    from apps.ttd import pades
    from apps.ttd.validasi import intermediates, trust_roots

    akar = trust_roots()
    penerbit = pades.identitas_sertifikat(cert).get("penerbit") or cert.issuer.human_friendly
    if not akar:
        pesan = _("Akar tepercaya (SIAKS_TTD_TRUST_ROOTS) belum dikonfigurasi di server, sehingga sertifikat tidak "
                  "dapat diperiksa. Hubungi admin platform.")  # fmt: skip
    else:
        konteks = pades.konteks_validasi(akar, [*intermediates(), *rantai])
        validator = CertificateValidator(cert, intermediate_certs=list(rantai), validation_context=konteks)
        try:
            asyncio.run(validator.async_validate_path())
            return ""
        except (ExpiredError, NotYetValidError):
            _periksa_berlaku(cert, field)
            raise TtdError(
                {field: [_("Sertifikat ini atau sertifikat penerbitnya sudah kedaluwarsa atau belum berlaku.")]}
            ) from None
        except RevokedError:
            raise TtdError({field: [_("Sertifikat ini sudah dicabut (revoked) oleh penerbitnya.")]}) from None
        except (PathError, ValidationError):
            if cert.self_signed != "no":
                asal = _("sertifikat buatan sendiri (self-signed)")
            else:
                asal = _("diterbitkan oleh %(p)s") % {"p": penerbit}
            pesan = _(
                "Sertifikat tidak berantai ke akar tepercaya yang dikonfigurasi (%(p)s): tanda tangannya tidak akan "
                "dinyatakan sah. Gunakan sertifikat dari BSrE atau penyelenggara sertifikasi elektronik tepercaya."
            ) % {"p": asal}
    if boleh_tidak_tepercaya():
        return _("Peringatan (mode pengembangan): %(p)s Pejabat tetap didaftarkan karena "
                 "SIAKS_TTD_PEJABAT_TIDAK_TEPERCAYA aktif.") % {"p": pesan}  # fmt: skip
    raise TtdError({field: [pesan]})


def _periksa_berlaku(cert, field: str) -> None:
    from datetime import UTC, datetime

    from apps.core.format import tgl

    validity = cert["tbs_certificate"]["validity"]
    if validity["not_after"].native < datetime.now(UTC):
        raise TtdError(
            {field: [_("Sertifikat sudah kedaluwarsa sejak %(t)s.")
                     % {"t": tgl(timezone.localtime(validity["not_after"].native))}]}
        )  # fmt: skip


def _uraian(p: Pejabat) -> dict:
    return {
        "nama": p.nama, "nip": p.nip, "nik": p.nik, "jabatan": p.jabatan, "backend": p.backend,
        "akun": p.user.username if p.user_id else "", "sidik_jari": p.sidik_jari, "aktif": p.aktif,
        "kunci_pkcs12": bool(p.pkcs12),
    }  # fmt: skip


def _periksa_bsre(nik: str, *, nama: str, nip: str, galat: dict, jabatan: str = "") -> str:
    """Ask BSrE whether the NIK's certificate is active before the official is registered, so a
    wrong or unenrolled NIK is refused here rather than on every letter at signing time. Returns a
    warning when BSrE cannot be asked now. In the demo set-up only (``SIAKS_TTD_BSRE_DAFTAR_UJI``)
    the fake BSrE first enrols the official (docs/ttd-elektronik.md)."""
    from apps.ttd.penanda import BsreBackend

    bsre = BsreBackend()
    if getattr(settings, "SIAKS_TTD_BSRE_DAFTAR_UJI", False):
        bsre.daftar_uji(nik=nik, nama=nama, nip=nip, jabatan=jabatan)
    aktif = bsre.status_pengguna(nik)
    if aktif is False:
        galat["nik"] = [
            _(
                "Sertifikat elektronik untuk NIK %(nik)s tidak aktif atau belum terdaftar di BSrE. Pastikan NIK "
                "benar dan pejabat sudah mendaftar sertifikat elektronik melalui RA/BSrE instansi Anda."
            )
            % {"nik": nik}
        ]
    if aktif is None:
        return _(
            "Status sertifikat NIK %(nik)s belum dapat diperiksa karena layanan BSrE tidak dapat dihubungi; "
            "pastikan sertifikatnya aktif sebelum menandatangani."
        ) % {"nik": nik}
    return ""


def _nik_dipakai(nik: str, *, kecuali) -> bool:
    """One NIK, one person: a BSrE NIK already registered for an active official of any instansi
    (BSrE would sign with that person's certificate). The answer names no other instansi."""
    from apps.core import tenancy

    with tenancy.all_tenants(reason="a BSrE NIK is one person's across every instansi"):
        return Pejabat.objects.filter(backend=Pejabat.Backend.BSRE, nik=nik, aktif=True).exclude(pk=kecuali).exists()


def _paraf_dalam_alur_sendiri(instansi_id: int, obj: Pejabat, nip: str, user):
    """The paraf step ``user`` holds in an active chain this official signs (the chain names the
    official, or a letter of that type names the official's NIP), or ``None`` — the chain page
    refuses the same combination (apps.ttd.alur.alur_simpan)."""
    from apps.surat.models import Surat

    from .models import LangkahParaf

    for step in LangkahParaf.objects.filter(instansi_id=instansi_id, alur__aktif=True, user=user).select_related(
        "alur"
    ):
        alur = step.alur
        if obj.pk and alur.penanda_id == obj.pk:
            return step
        if (
            nip
            and alur.penanda_id is None
            and Surat.objects.filter(penerbit_id=instansi_id, jenis=alur.jenis, penandatangan_nip=nip).exists()
        ):
            return step
    return None


@transaction.atomic
def pejabat_simpan(
    *, actor, data: dict, pejabat: Pejabat | None = None, p12: bytes | None = None, passphrase_berkas: str = "",
    sertifikat: bytes | None = None, ip_address=None,
) -> Pejabat:  # fmt: skip
    """Register (``pejabat`` None) or update an official of the actor's instansi.

    ``data``: nama, nip, nik, jabatan, backend, user (a User or None), sidik_jari (typed, may be
    empty). ``p12``: a new PKCS#12 archive (required for a new ``pkcs12`` official; on an edit,
    the stored one is kept when none is given). ``sertifikat``: a certificate to register."""
    if not boleh_kelola(actor):
        raise PermissionDenied
    instansi_id = actor.instansi.pk
    if pejabat is not None:
        pejabat = Pejabat.objects.select_for_update().get(pk=pejabat.pk)
        if pejabat.instansi_id != instansi_id:
            raise PermissionDenied
    sebelum = _uraian(pejabat) if pejabat is not None else None
    obj = pejabat or Pejabat(instansi_id=instansi_id)
    backend = data["backend"]
    nip, nik = (data.get("nip") or "").strip(), (data.get("nik") or "").strip()
    user = data.get("user")
    galat: dict[str, list[str]] = {}
    if nip and Pejabat.objects.filter(instansi_id=instansi_id, nip=nip).exclude(pk=obj.pk).exists():
        galat["nip"] = [_("NIP %(nip)s sudah terdaftar sebagai pejabat penanda tangan instansi ini.") % {"nip": nip}]
    if user is not None:
        if not calon_akun(instansi_id).filter(pk=user.pk).exists():
            galat["user"] = [
                _("Akun %(u)s adalah akun pejabat fungsional (pemegang jabatan untuk melihat data dan suratnya "
                  "sendiri), bukan akun pegawai yang menandatangani surat instansi. Pilih akun pejabat penanda "
                  "tangan.") % {"u": user}
                if _akun_pemegang_jf(user, instansi_id)
                else _("Akun harus pengguna aktif instansi Anda.")
            ]  # fmt: skip
        elif Pejabat.objects.filter(instansi_id=instansi_id, user=user, aktif=True).exclude(pk=obj.pk).exists():
            galat["user"] = [_("Akun %(u)s sudah terhubung dengan pejabat penanda tangan aktif lain.") % {"u": user}]
        elif step := _paraf_dalam_alur_sendiri(instansi_id, obj, nip, user):
            galat["user"] = [
                _("%(u)s adalah pemberi paraf ke-%(n)d dalam alur paraf %(j)s instansi Anda, yang penanda tangannya "
                  "pejabat ini; penanda tangan tidak sekaligus memberi paraf. Hapus dari daftar paraf di halaman alur "
                  "paraf, atau pilih akun lain.") % {"u": user, "n": step.urutan, "j": step.alur.get_jenis_display()}
            ]  # fmt: skip
    if backend == Pejabat.Backend.BSRE and nik and _nik_dipakai(nik, kecuali=obj.pk):
        galat["nik"] = [_("NIK ini sudah terdaftar untuk pejabat penanda tangan aktif lain; satu NIK satu orang.")]
    if backend == Pejabat.Backend.BSRE and not nik:
        galat["nik"] = [_("NIK wajib untuk tanda tangan melalui BSrE (NIK yang terdaftar di BSrE).")]
    if backend == Pejabat.Backend.PKCS12 and not p12 and not bytes(obj.pkcs12 or b""):
        galat["p12"] = [_("Unggah berkas sertifikat elektronik (.p12/.pfx) pejabat ini.")]
    peringatan = ""
    if (
        not galat
        and backend == Pejabat.Backend.BSRE
        and (
            pejabat is None
            or (sebelum["nik"], sebelum["backend"], sebelum["nama"]) != (nik, backend, data["nama"].strip())
        )
    ):
        peringatan = _periksa_bsre(
            nik, nama=data["nama"].strip(), nip=nip, galat=galat, jabatan=data["jabatan"].strip()
        )
    if galat:
        raise TtdError(galat)
    cert = None
    peringatan_rantai: list[str] = []
    if backend == Pejabat.Backend.PKCS12 and p12:
        blob, cert, rantai = buka_pkcs12(p12, passphrase_berkas)
        _periksa_berlaku(cert, "p12")
        periksa_identitas(cert, nama=data["nama"], nip=nip, nik=nik, field="p12")
        peringatan_rantai.append(periksa_rantai(cert, "p12", rantai=rantai))
        obj.pkcs12 = blob
    elif backend == Pejabat.Backend.BSRE:
        obj.pkcs12 = b""  # a BSrE official signs with BSrE's key: no portal-held key is kept
    #: Switched from a portal-held certificate to BSrE: the key is dropped (above), and so is the
    #: fingerprint of its certificate, which the form still carries unless another one is typed or
    #: a certificate uploaded (BSrE signs with its own certificate, never the portal's).
    kunci_dihapus = bool(sebelum and sebelum["kunci_pkcs12"]) and backend == Pejabat.Backend.BSRE
    if kunci_dihapus and not sertifikat and data.get("sidik_jari") == sebelum["sidik_jari"]:
        data = {**data, "sidik_jari": ""}
    if sertifikat:
        cert = baca_sertifikat(sertifikat)
        _periksa_berlaku(cert, "sertifikat")
        periksa_identitas(cert, nama=data["nama"], nip=nip, nik=nik, field="sertifikat")
        peringatan_rantai.append(periksa_rantai(cert, "sertifikat"))
    if cert is not None:
        from asn1crypto import pem

        obj.sertifikat_pem = pem.armor("CERTIFICATE", cert.dump()).decode()
        obj.sidik_jari = cert.sha256.hex()
    elif data.get("sidik_jari"):
        obj.sidik_jari = data["sidik_jari"]
        if pejabat is not None and sebelum["sidik_jari"] != obj.sidik_jari:
            obj.sertifikat_pem = ""  # the stored certificate is not this fingerprint's any more
    elif backend == Pejabat.Backend.BSRE and pejabat is not None:
        obj.sidik_jari, obj.sertifikat_pem = "", ""  # cleared on the form
    if (
        cert is None and obj.sertifikat_pem and pejabat is not None
        and (sebelum["nama"], sebelum["nip"], sebelum["nik"]) != (data["nama"].strip(), nip, nik)
    ):  # fmt: skip
        # The name, NIP or NIK edited under a certificate already registered: still its holder's, so
        # a letter never prints a name the signature will not bear (refused here, not at signing).
        periksa_identitas(baca_sertifikat(obj.sertifikat_pem.encode()), nama=data["nama"], nip=nip, nik=nik,
                          field="nama")  # fmt: skip
    periksa_sidik_jari_unik(
        obj.sidik_jari, kecuali=obj.pk, aktif=obj.aktif or pejabat is None,
        field="sertifikat" if sertifikat else "p12" if p12 and cert is not None else "sidik_jari",
    )  # fmt: skip
    obj.nama, obj.jabatan, obj.nip, obj.nik = data["nama"].strip(), data["jabatan"].strip(), nip, nik
    obj.backend, obj.user = backend, user
    if pejabat is None:
        obj.aktif = True
    obj.save()
    #: Warnings for the page (BSrE unreachable; in development, a certificate outside the trust roots).
    obj.peringatan = [w for w in (peringatan, *peringatan_rantai) if w]
    sesudah = _uraian(obj)
    if pejabat is None:
        aksi, pesan = "ttd.pejabat_didaftarkan", _("Pejabat penanda tangan %(n)s didaftarkan (%(b)s).")
    else:
        aksi, pesan = "ttd.pejabat_diubah", _("Pejabat penanda tangan %(n)s diubah (%(b)s).")
    audit.record(
        aksi, actor=actor, instansi=instansi_id, obj=obj, ip_address=ip_address,
        message=pesan % {"n": obj.nama, "b": obj.get_backend_display()}
        + (" " + _("Sertifikat dan kunci yang disimpan portal dihapus.") if kunci_dihapus else ""),
        data={"sebelum": sebelum, "sesudah": sesudah, "pkcs12_baru": bool(p12), "kunci_pkcs12_dihapus": kunci_dihapus,
              "sertifikat_tidak_tepercaya": any(peringatan_rantai)},
    )  # fmt: skip
    if obj.aktif and (sebelum is None or (sebelum["nip"], sebelum["akun"]) != (sesudah["nip"], sesudah["akun"])):
        transaction.on_commit(lambda pk=obj.pk: beritahu_surat_menunggu(pk))
    return obj


@transaction.atomic
def pejabat_aktifkan(*, actor, pejabat: Pejabat, aktif: bool, ip_address=None) -> Pejabat:
    """Deactivate (or reactivate) an official: a deactivated one signs nothing, is offered on no
    form, and the letters naming them wait for a correction or an upload."""
    if not boleh_kelola(actor):
        raise PermissionDenied
    pejabat = Pejabat.objects.select_for_update().get(pk=pejabat.pk)
    if pejabat.instansi_id != actor.instansi.pk:
        raise PermissionDenied
    if pejabat.aktif == aktif:
        return pejabat
    if aktif:
        if (
            pejabat.nip
            and Pejabat.objects.filter(instansi_id=pejabat.instansi_id, nip=pejabat.nip, aktif=True)
            .exclude(pk=pejabat.pk)
            .exists()
        ):
            raise TtdError(_("NIP %(nip)s sudah dipakai pejabat penanda tangan aktif lain.") % {"nip": pejabat.nip})
        if (
            pejabat.user_id
            and Pejabat.objects.filter(instansi_id=pejabat.instansi_id, user_id=pejabat.user_id, aktif=True)
            .exclude(pk=pejabat.pk)
            .exists()
        ):
            raise TtdError(_("Akun pejabat ini sudah terhubung dengan pejabat penanda tangan aktif lain."))
        periksa_sidik_jari_unik(pejabat.sidik_jari, kecuali=pejabat.pk)
    pejabat.aktif = aktif
    pejabat.save(update_fields=["aktif"])
    audit.record(
        "ttd.pejabat_diaktifkan" if aktif else "ttd.pejabat_dinonaktifkan", actor=actor,
        instansi=pejabat.instansi_id, obj=pejabat, ip_address=ip_address,
        message=(_("Pejabat penanda tangan %(n)s diaktifkan kembali.") if aktif
                 else _("Pejabat penanda tangan %(n)s dinonaktifkan.")) % {"n": pejabat.nama},
        data={"aktif": aktif},
    )  # fmt: skip
    if aktif:
        transaction.on_commit(lambda pk=pejabat.pk: beritahu_surat_menunggu(pk))
    return pejabat


def akibat_nonaktif(pejabat: Pejabat) -> dict:
    """What deactivating ``pejabat`` leaves behind, for the confirmation page: the letters in force
    that name them as signer and that they have not signed (also those still waiting for paraf or
    being rendered; no signed copy uploaded), and the paraf chains that name them as signer."""
    from django.db.models import Q

    from apps.core import tenancy
    from apps.surat.models import VersiSurat
    from apps.ttd.models import AlurParaf, TandaTangan
    from apps.ttd.services import LINTAS, menyebut_pejabat

    with tenancy.all_tenants(reason=LINTAS):  # issued by the official's instansi and naming them
        surat = list(
            VersiSurat.objects.filter(
                menyebut_pejabat(pejabat), surat__penerbit_id=pejabat.instansi_id, diganti_at__isnull=True
            )
            .exclude(pk__in=TandaTangan.objects.filter(pejabat=pejabat).exclude(status=TandaTangan.Status.GAGAL)
                     .values("versi_id"))
            .exclude(pk__in=TandaTangan.objects.filter(cara__in=[TandaTangan.Cara.MANUAL, TandaTangan.Cara.UNGGAH])
                     .values("versi_id"))
            .exclude(~Q(ttd_berkas="") & ~Q(pk__in=TandaTangan.objects.values("versi_id")))
            .select_related("surat")
            .distinct()
            .order_by("surat__tanggal", "surat__nomor_urut", "pk")
        )  # fmt: skip
        alur = list(AlurParaf.objects.filter(penanda=pejabat).order_by("jenis"))
    return {"surat": surat, "alur": alur}


def beritahu_surat_menunggu(pejabat_id: int) -> int:
    """Tell an official (just registered, reactivated or re-numbered) of the letters already
    waiting for their signature — rendered before they were registered, so nobody told them.
    Returns how many letters wait (0: nobody is notified)."""
    from apps.core import tenancy
    from apps.notifikasi import services as notifikasi
    from apps.ttd.services import LINTAS, _siap_ditandatangani

    with tenancy.all_tenants(reason=LINTAS):
        pejabat = Pejabat.objects.select_related("user").filter(pk=pejabat_id, aktif=True).first()
        if pejabat is None or pejabat.user is None:
            return 0
        menunggu = _siap_ditandatangani(pejabat)
    if menunggu:
        notifikasi.notifikasi_buat(
            [pejabat.user], jenis="ttd",
            judul=_("%(n)d surat menunggu tanda tangan elektronik Anda") % {"n": len(menunggu)},
            url_for=reverse("ttd:antrean"),
        )  # fmt: skip
    return len(menunggu)


def periksa_identitas(cert, *, nama: str, nip: str, nik: str, field: str) -> None:
    """The certificate registered for an official must be theirs: a registered certificate (or
    its fingerprint) vouches that a signature is the official's, so another person's is refused
    here, not at signing. The rule of the signing check (apps.ttd.tasks._cek_penanda): the
    certificate's name is the official's (titles, case and punctuation aside: validasi.nama_sama)
    and a NIP or NIK it carries is the official's."""
    from apps.ttd.pades import identitas_sertifikat
    from apps.ttd.validasi import nama_sama

    info = identitas_sertifikat(cert)
    c_nama, c_nip, c_nik = info["nama"].strip(), info["nip"], info["nik"]
    beda = []
    if not c_nama and not ((c_nip and c_nip == nip) or (c_nik and c_nik == nik)):
        beda.append(_("sertifikat tidak memuat nama maupun NIP/NIK pejabat ini"))
    if c_nama and not nama_sama(c_nama, nama or ""):
        beda.append(_('nama pada sertifikat "%(c)s", bukan "%(p)s"') % {"c": c_nama, "p": (nama or "").strip()})
    if c_nip and nip and c_nip != nip:
        beda.append(_("NIP pada sertifikat %(c)s, bukan %(p)s") % {"c": c_nip, "p": nip})
    if c_nik and nik and c_nik != nik:
        beda.append(_("NIK pada sertifikat bukan NIK yang diisi"))
    if beda:
        pemegang = c_nama or "-"
        if c_nip:
            pemegang += f" (NIP {c_nip})"
        raise TtdError(
            {field: [_(
                "Sertifikat ini milik %(h)s, bukan pejabat yang didaftarkan (%(b)s). Sertifikat orang lain tidak "
                "dapat didaftarkan: unggah sertifikat pejabat ini sendiri, atau periksa nama, NIP dan NIK yang diisi."
            ) % {"h": pemegang, "b": "; ".join(beda)}]}
        )  # fmt: skip


def periksa_sidik_jari_unik(sidik_jari: str, *, kecuali, aktif: bool = True, field: str = "sidik_jari") -> None:
    """One certificate, one person: a fingerprint already registered for another active official
    (of any instansi) is refused. The message names no other instansi or official."""
    from apps.core import tenancy

    if not sidik_jari or not aktif:
        return
    with tenancy.all_tenants(reason="a certificate fingerprint vouches for one person across every instansi"):
        dipakai = Pejabat.objects.filter(sidik_jari=sidik_jari.lower(), aktif=True).exclude(pk=kecuali).exists()
    if dipakai:
        raise TtdError(
            {field: [_(
                "Sertifikat (sidik jari %(s)s…) sudah terdaftar untuk pejabat penanda tangan aktif lain; satu "
                "sertifikat hanya untuk satu orang. Periksa sertifikat yang diunggah atau sidik jari yang diisi."
            ) % {"s": sidik_jari[:16]}]}
        )  # fmt: skip
