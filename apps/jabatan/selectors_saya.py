"""Reads for the holder's own pages (apps.jabatan.views_saya) and API: always in the caller's
scope, never by an id the holder chose."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.jabatan.models import PejabatFungsional


def pejabat_saya(user) -> PejabatFungsional | None:
    """The record whose login this user is (seen through the scope: none for anyone else's)."""
    return (
        PejabatFungsional.objects.select_related("jf", "jenjang", "golongan", "instansi")
        .filter(user_id=user.pk, aktif=True)
        .first()
    )


def surat_pejabat(pejabat: PejabatFungsional) -> list:
    """The letters linked to the record (SK, PAK, HAPAK), each with its current version."""
    from apps.surat.models import Surat, VersiSurat

    surat = list(Surat.objects.filter(pejabat=pejabat).select_related("penerbit").order_by("-tanggal", "-id"))
    terkini = {
        v.surat_id: v for v in VersiSurat.objects.filter(surat_id__in=[s.pk for s in surat], diganti_at__isnull=True)
    }
    for s in surat:
        s.terkini = terkini.get(s.pk)
        tandai_ttd(s, s.terkini)
    return surat


def tandai_ttd(surat, versi) -> None:
    """What the holder is told of the letter's signature (issue 19 fresh-eye walk: an unsigned PAK
    read as final): ``ditandatangani`` — its version in force has a signed copy (signed in the
    portal, or the scan of the wet-ink fallback); ``ditahan`` — a PAK or HAPAK not signed yet,
    which the holder does not get (seed 001 BAB IV E.2: the PAK is signed by the PYB, E.4 the
    HAPAK's covering letter by the ketua); ``status_ttd`` — the sentence that says so."""
    from apps.core.format import waktu

    siap = versi is not None and versi.siap
    surat.ditandatangani = bool(siap and versi.ttd_berkas)
    surat.ditandatangani_pada = versi.ttd_at if surat.ditandatangani else None
    surat.ditahan = siap and not surat.ditandatangani and surat.jenis in JENIS_TTD_DULU
    jenis = {"pak_ak": "PAK", "hapak": "HAPAK"}.get(surat.jenis) or surat.label_jenis()
    if surat.ditandatangani:
        surat.status_ttd = _("%(j)s ditandatangani %(n)s pada %(w)s") % {
            "j": jenis,
            "n": surat.penandatangan_nama,
            "w": waktu(versi.ttd_at),
        }
    elif siap:
        surat.status_ttd = _("%(j)s diterbitkan, menunggu tanda tangan %(n)s") % {
            "j": jenis,
            "n": surat.penandatangan_nama,
        }
    else:
        surat.status_ttd = ""


#: The letters the holder receives only once signed (their unsigned PDF is a draft to them).
JENIS_TTD_DULU = ("pak_ak", "hapak")


def boleh_unduh_terbit(user, versi) -> bool:
    """Whether ``user`` may download the issued (unsigned) PDF of ``versi``: not the holder a PAK
    or HAPAK is about while it waits for its signature (:func:`tandai_ttd`)."""
    surat = versi.surat
    return not (
        surat.jenis in JENIS_TTD_DULU
        and not versi.ttd_berkas
        and surat.pejabat_id is not None
        and PejabatFungsional.objects.filter(pk=surat.pejabat_id, user_id=user.pk).exists()
    )


def ringkasan(pejabat: PejabatFungsional) -> dict:
    from apps.jabatan.kenaikan import jenjang_berikut
    from apps.jabatan.selectors import ak_berlaku, ambang, mutasi_dari

    mutasi = list(mutasi_dari(pejabat))
    a = ambang(pejabat)
    berikut = jenjang_berikut(pejabat)
    return {
        "pejabat": pejabat,
        "mutasi_list": mutasi,
        "ambang": a,
        # One AK kumulatif, the one that counts now, with why it differs from the other total (the
        # plain sum of the ledger is neither after a kenaikan pangkat or jenjang: not shown).
        "berlaku": ak_berlaku(a, mutasi, jenjang_berikut=berikut),
        "jenjang_berikut": berikut,
        "surat_list": surat_pejabat(pejabat),
        "usulan_penetapan": usulan_penetapan(pejabat),
        **pengajuan_sendiri(pejabat),
    }


def pengajuan_sendiri(pejabat: PejabatFungsional) -> dict:
    """Whether the holder may submit their own usulan penetapan AK (the JF allows it) and the
    JF's open and next periods with their deadlines."""
    from django.utils import timezone

    from apps.penetapan.selectors import jadwal
    from apps.penetapan.services import alasan_tidak_bisa_buat

    boleh = pejabat.jf.pejabat_boleh_mengajukan_ak
    # The button only when the step would be taken; else why not (the service's own rules).
    alasan = alasan_tidak_bisa_buat(pejabat) if boleh else ""
    return {
        "boleh_mengajukan": boleh and not alasan,
        "alasan_tidak_bisa_mengajukan": alasan,
        "jadwal_penetapan": jadwal([pejabat.jf_id], timezone.localdate()),
    }


def usulan_penetapan(pejabat: PejabatFungsional) -> list:
    """The holder's usulan penetapan angka kredit (apps.penetapan; the scope shows only theirs)."""
    from apps.penetapan.models import UsulanPenetapanAK

    daftar = list(
        UsulanPenetapanAK.objects.filter(pejabat=pejabat).select_related("periode").order_by("-created_at", "-id")
    )
    pengaju = pengaju_usulan(pejabat, daftar)
    surat = {s.pk: s for s in surat_pejabat(pejabat)} if any(u.surat_id for u in daftar) else {}
    for u in daftar:
        u.diajukan_oleh_label = pengaju.get(u.pk, "")
        # A PAK or HAPAK decided is final to the holder only once signed: its state says which.
        s = surat.get(u.surat_id)
        u.status_teks = (s.status_ttd if s is not None else "") or u.get_status_display()
    return daftar


def pengaju_usulan(pejabat: PejabatFungsional, daftar: list) -> dict[int, str]:
    """Who first submitted each usulan ("Anda" for the holder, else the PIC by name), from the
    audit entry of the submission (issue 19: a self-submitting holder was told the PIC did it);
    nothing for a draft never submitted. One query for the list."""
    from django.utils.translation import gettext as _

    from apps.core import tenancy
    from apps.core.models import AuditLog

    if not daftar:
        return {}
    ids = {str(u.pk): u.pk for u in daftar}
    # The holder reads the entries of their own usulan only (the ids above, seen through their scope).
    with tenancy.all_tenants(reason="the holder's own usulan: who submitted it"):
        rows = list(
            AuditLog.objects.filter(
                action="penetapan.diajukan", object_type="penetapan.usulanpenetapanak", object_id__in=list(ids)
            )
            .order_by("created_at", "id")
            .values_list("object_id", "actor_id", "actor__nama_lengkap")
        )
    hasil: dict[int, str] = {}
    for object_id, actor_id, nama in rows:
        pk = ids[object_id]
        if pk in hasil:
            continue
        if actor_id is not None and actor_id == pejabat.user_id:
            hasil[pk] = _("Anda")
        else:
            hasil[pk] = _("PIC instansi (%(nama)s)") % {"nama": nama} if nama else _("PIC instansi")
    return hasil
