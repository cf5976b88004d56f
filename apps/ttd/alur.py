"""The issuer's own configuration of its paraf chains (the alur paraf page): per letter type, the
ordered approvers before the signer, and the signing official the issuance form is filled with.

Who configures what: the instansi pengguna's PPK and PIC (admin instansi) the letters their
instansi issues (SK, SK kolektif, PAK); the admin pembina the pembina's (rekomendasi and both
berita acara). Every change is audited with the chain before and after."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import STAF_PEMBINA, Role, User
from apps.accounts.permissions import has_role
from apps.core import audit
from apps.surat.models import JenisSurat
from apps.ttd.models import AlurParaf, LangkahParaf, Pejabat
from apps.ttd.services import TtdError

JENIS_PENGGUNA = (JenisSurat.SK, JenisSurat.SK_KOLEKTIF, JenisSurat.PAK)
JENIS_PEMBINA = (JenisSurat.REKOMENDASI, JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI)
#: The letters of a Tim Penilai AK (apps.penetapan), issued by the team's instansi: an instansi,
#: provinsi or kabupaten/kota team's (its PIC and PPK configure them) or the pusat team's (the
#: pembina's admin). Seed 001 BAB IV E.4: the sekretariat endorses the HAPAK (its paraf here).
JENIS_TIM_AK = (JenisSurat.PAK_AK, JenisSurat.HAPAK)
#: Signed by the people the letter names (the ketua and members present; the verifiers who
#: decided; the HAPAK's ketua of the Tim Penilai AK).
JENIS_PENANDA_DARI_SURAT = (JenisSurat.BERITA_ACARA, JenisSurat.BERITA_ACARA_SELEKSI, JenisSurat.HAPAK)
MAKS_LANGKAH = 6


def jenis_untuk(user) -> list[str]:
    """The letter types whose chain ``user`` configures (none: the page is refused)."""
    if not user.is_authenticated or user.instansi is None:
        return []
    out: list[str] = []
    if has_role(user, Role.PPK, Role.PIC_INSTANSI):
        out += JENIS_PENGGUNA
    if has_role(user, Role.ADMIN_PEMBINA):
        out += JENIS_PEMBINA
    if has_role(user, Role.PPK, Role.PIC_INSTANSI, Role.ADMIN_PEMBINA):
        out += JENIS_TIM_AK
    return out


def alur_untuk(user):
    """The chains ``user`` may open: their own instansi's, of the types they configure."""
    jenis = jenis_untuk(user)
    if not jenis:
        return AlurParaf.objects.none()
    return AlurParaf.objects.filter(instansi_id=user.instansi.pk, jenis__in=jenis)


def calon_paraf(instansi_id: int, jenis: str):
    """Who may give a paraf on this letter type: the issuer's active users who see such letters
    (apps.surat.selectors): its PIC and PPK for the SK and PAK, its pembina staff for the others;
    for a Tim Penilai AK's PAK and HAPAK, the team's sekretariat (who endorses it) as well."""
    if jenis in JENIS_TIM_AK:
        roles = [Role.SEKRETARIAT_TIM, Role.PIC_INSTANSI, Role.PPK, *STAF_PEMBINA]
    else:
        roles = [Role.PIC_INSTANSI, Role.PPK] if jenis in JENIS_PENGGUNA else list(STAF_PEMBINA)
    return (
        User.objects.filter(
            is_active=True, memberships__instansi_id=instansi_id, memberships__is_active=True,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("nama_lengkap", "username")
    )  # fmt: skip


def calon_penanda(instansi_id: int):
    return Pejabat.objects.filter(instansi_id=instansi_id, aktif=True).order_by("nama")


def alur_buka(*, actor, jenis: str) -> AlurParaf:
    """The actor's instansi's chain for ``jenis``, made (switched off, empty) when it has none."""
    if jenis not in jenis_untuk(actor):
        raise PermissionDenied
    alur, _created = AlurParaf.objects.get_or_create(
        instansi_id=actor.instansi.pk, jenis=jenis, defaults={"aktif": False}
    )
    return alur


def _uraian(langkah: list[tuple[User, str]], penanda: Pejabat | None) -> list[str]:
    out = [f"{i}. {sebutan or user} ({user.username})" for i, (user, sebutan) in enumerate(langkah, start=1)]
    if penanda is not None:
        out.append(f"TTE: {penanda.nama} NIP {penanda.nip}")
    return out


def pesan_tanpa_sebutan(urutan: int) -> str:
    return _(
        "Isi sebutan pemberi paraf ke-%(i)d (mis. Kabag Kepegawaian): sebutan itu yang tampil pada alur paraf "
        "surat dan di antrean paraf."
    ) % {"i": urutan}


def pesan_penanda_tanpa_akun(penanda: Pejabat) -> str:
    return _(
        "%(p)s belum terhubung dengan akun portal, sehingga surat yang ditandatanganinya tidak masuk antrean siapa "
        "pun. Hubungkan akunnya di halaman Pejabat penanda tangan terlebih dahulu, atau pilih pejabat lain."
    ) % {"p": penanda.nama}


@transaction.atomic
def alur_simpan(
    *, actor, alur: AlurParaf, langkah: list[tuple[User, str]], penanda: Pejabat | None, ip_address=None
) -> AlurParaf:
    """Replace the chain's approvers (in order) and its signer. No approver: the chain is off (the
    signer signs without paraf). It applies to the letters issued or corrected afterwards: a
    version keeps the chain it was issued with (apps.ttd.models.AlurVersi)."""
    alur = AlurParaf.objects.select_for_update().get(pk=alur.pk)
    if alur.jenis not in jenis_untuk(actor) or alur.instansi_id != actor.instansi.pk:
        raise PermissionDenied
    if len(langkah) > MAKS_LANGKAH:
        raise TtdError(_("Paling banyak %(n)d pemberi paraf.") % {"n": MAKS_LANGKAH})
    boleh = set(calon_paraf(alur.instansi_id, alur.jenis).values_list("pk", flat=True))
    dilihat = set()
    for i, (user, sebutan) in enumerate(langkah, start=1):
        if user is None:
            raise TtdError(_("Pilih pemberi paraf ke-%(i)d, atau hapus barisnya.") % {"i": i})
        if not (sebutan or "").strip():
            raise TtdError(pesan_tanpa_sebutan(i))
        if user.pk not in boleh:
            raise TtdError(
                _("%(u)s tidak dapat memberi paraf pada surat jenis ini (bukan pengguna aktif instansi Anda yang "
                  "melihat surat itu).") % {"u": user}
            )  # fmt: skip
        if user.pk in dilihat:
            raise TtdError(_("%(u)s tercantum lebih dari sekali dalam alur paraf.") % {"u": user})
        dilihat.add(user.pk)
    if alur.jenis in JENIS_PENANDA_DARI_SURAT:
        penanda = None
    if penanda is not None:
        if penanda.instansi_id != alur.instansi_id or not penanda.aktif:
            raise TtdError(_("Penanda tangan harus pejabat penanda tangan aktif instansi Anda."))
        if penanda.user_id is None:
            raise TtdError(pesan_penanda_tanpa_akun(penanda))
        if penanda.user_id in dilihat:
            raise TtdError(_("Penanda tangan tidak sekaligus memberi paraf; hapus dari daftar paraf."))
    if penanda is None and alur.jenis not in JENIS_PENANDA_DARI_SURAT:
        # The signer left "belum ditentukan": the officials the issuer's letters of this type name.
        for user, _sebutan in langkah:
            surat = penanda_tercantum(alur.instansi_id, alur.jenis, user)
            if surat is not None:
                raise TtdError(
                    _("%(u)s adalah penanda tangan %(j)s instansi Anda (tercantum sebagai penanda tangan surat "
                      "%(n)s); penanda tangan tidak sekaligus memberi paraf. Hapus dari daftar paraf dan pilih "
                      "pemberi paraf lain.") % {"u": user, "j": alur.get_jenis_display(), "n": surat.nomor}
                )  # fmt: skip
    sebelum = _uraian(
        [(s.user, s.sebutan) for s in alur.langkah.select_related("user").order_by("urutan")], alur.penanda
    )
    alur.langkah.all().delete()
    for i, (user, sebutan) in enumerate(langkah, start=1):
        LangkahParaf.objects.create(
            instansi_id=alur.instansi_id, alur=alur, urutan=i, user=user, sebutan=sebutan.strip()[:150]
        )
    alur.aktif = bool(langkah)
    alur.penanda = penanda
    alur.diubah_oleh = actor
    alur.diubah_at = timezone.now()
    alur.save(update_fields=["aktif", "penanda", "diubah_oleh", "diubah_at"])
    sesudah = _uraian(langkah, penanda)
    audit.record(
        "ttd.alur_diubah", actor=actor, instansi=alur.instansi_id, obj=alur, ip_address=ip_address,
        message=_("Alur paraf %(j)s diubah: %(s)s.") % {
            "j": alur.get_jenis_display(), "s": "; ".join(sesudah) or _("tanpa paraf")},
        data={"jenis": alur.jenis, "sebelum": sebelum, "sesudah": sesudah},
    )  # fmt: skip
    return alur


def penanda_tercantum(instansi_id: int, jenis: str, user):
    """A letter of this type the issuer issued that names ``user`` as its signer (by their NIP,
    or the NIP of the signing official registered to their account), or ``None``."""
    from apps.surat.models import Surat

    nips = {n for n in [getattr(user, "nip", "") or ""] if n}
    terdaftar = Pejabat.objects.filter(instansi_id=instansi_id, user=user).exclude(nip="")
    nips |= set(terdaftar.values_list("nip", flat=True))
    if not nips:
        return None
    return (
        Surat.objects.filter(penerbit_id=instansi_id, jenis=jenis, penandatangan_nip__in=sorted(nips))
        .order_by("-id")
        .only("nomor")
        .first()
    )


def penanda_bawaan(instansi_id: int, jenis: list[str]) -> Pejabat | None:
    """The signer configured for these letter types (the first one set), for the issuance form."""
    for j in jenis:
        alur = AlurParaf.objects.filter(instansi_id=instansi_id, jenis=j, penanda__aktif=True).first()
        if alur is not None:
            return alur.penanda
    return None
