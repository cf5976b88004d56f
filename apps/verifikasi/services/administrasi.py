"""Seleksi administrasi: a review round per submission, findings per document, the decision.

Every status change goes through ``apps.pengusulan.alur.pindahkan``."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.pengusulan.alur import UsulanError, kunci_usulan, pindahkan
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Dokumen, Usulan
from apps.referensi.models import PersyaratanDokumen
from apps.verifikasi import selectors
from apps.verifikasi.models import (
    Pemeriksaan,
    PemeriksaanDokumen,
)
from apps.verifikasi.permissions import VERIFIKASI_ROLES, wajib_pembina_jf
from apps.verifikasi.services.penugasan import usulan_klaim


@transaction.atomic
def pemeriksaan_mulai(*, actor, usulan: Usulan, ip_address=None) -> Pemeriksaan:
    """Open a review round (diajukan → verifikasi). The verifier claims the dossier if unassigned."""
    wajib_pembina_jf(actor, usulan.jf_id, aksi="mulai_verifikasi")
    usulan = usulan_klaim(actor=actor, usulan=usulan, ip_address=ip_address)
    putaran = usulan.pemeriksaan.count() + 1
    pindahkan(
        usulan=usulan, action="mulai_verifikasi", actor=actor, konteks={"putaran": putaran}, ip_address=ip_address
    )
    pemeriksaan = Pemeriksaan.objects.create(
        instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, usulan=usulan, putaran=putaran, verifikator=actor
    )
    _bawa_putusan(pemeriksaan)
    return pemeriksaan


def _terbaru(usulan: Usulan, persyaratan: PersyaratanDokumen) -> Dokumen | None:
    """The latest version of a required document of the usulan (or of its instansi)."""
    return (
        Dokumen.objects.filter(
            persyaratan=persyaratan,
            **({"usulan": usulan} if persyaratan.level == "usulan" else {"usulan__isnull": True}),
            **({} if persyaratan.level == "usulan" else {"instansi_id": usulan.instansi_id, "jf_id": usulan.jf_id}),
        )
        .order_by("-versi")
        .first()
    )


def _bawa_putusan(pemeriksaan: Pemeriksaan) -> None:
    """A new round starts from the previous round's per-document verdicts: a document whose
    latest version is the one judged then keeps its verdict (marked ``dibawa``); a changed
    document has none and needs a new one before the round can pass."""
    sebelumnya = (
        Pemeriksaan.objects.filter(usulan_id=pemeriksaan.usulan_id, putaran__lt=pemeriksaan.putaran)
        .exclude(keputusan="")
        .order_by("-putaran")
        .first()
    )
    if sebelumnya is None:
        return
    usulan = pemeriksaan.usulan
    dibawa = []
    for f in sebelumnya.dokumen.select_related("persyaratan"):
        terbaru = _terbaru(usulan, f.persyaratan)
        if terbaru is not None and terbaru.pk == f.dokumen_id:
            dibawa.append(
                PemeriksaanDokumen(
                    instansi_id=f.instansi_id, jf_id=f.jf_id, pemeriksaan=pemeriksaan, persyaratan=f.persyaratan,
                    dokumen_id=f.dokumen_id, sesuai=f.sesuai, catatan=f.catatan, dibawa=True,
                )
            )  # fmt: skip
    PemeriksaanDokumen.objects.bulk_create(dibawa)


@transaction.atomic
def pemeriksaan_catat_dokumen(*, actor, usulan: Usulan, hasil: dict[int, tuple[bool, str]]) -> list[PemeriksaanDokumen]:
    """Record sesuai / tidak sesuai (+ catatan) per requirement, against its latest version.

    Refused as a whole with every document's problem at once, keyed by the page's field
    (``catatan_<pk>``), so the verifier fixes them all in one pass."""
    usulan, pemeriksaan = _boleh_periksa(actor, usulan)
    persyaratan = {
        p.pk: p for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(pk__in=hasil)
    }
    lama = {d.persyaratan_id: d for d in pemeriksaan.dokumen.all()}
    rows = []
    galat: dict[str, list[str]] = {}
    for pk, (sesuai, catatan) in hasil.items():
        p = persyaratan.get(pk)
        if p is None:
            galat.setdefault(NON_FIELD_ERRORS, []).append(_("Dokumen tidak dikenal untuk usulan ini."))
            continue
        if not sesuai and not catatan.strip():
            galat.setdefault(f"catatan_{pk}", []).append(
                _("Tulis catatan untuk dokumen yang tidak sesuai: %(doc)s.") % {"doc": p.nama}
            )
            continue
        latest = _terbaru(usulan, p)
        if latest is None:
            galat.setdefault(f"hasil_{pk}", []).append(
                _("Dokumen belum diunggah, tidak dapat dinilai: %(doc)s.") % {"doc": p.nama}
            )
            continue
        ada = lama.get(p.pk)
        # A carried verdict stays carried while the verifier leaves it as it was.
        tetap = (
            ada is not None
            and ada.dibawa
            and (ada.dokumen_id, ada.sesuai, ada.catatan) == (latest.pk, sesuai, catatan.strip()[:500])
        )
        row, _created = PemeriksaanDokumen.objects.update_or_create(
            pemeriksaan=pemeriksaan,
            persyaratan=p,
            defaults={
                "instansi_id": usulan.instansi_id,
                "jf_id": usulan.jf_id,
                "dokumen": latest,
                "sesuai": sesuai,
                "catatan": catatan.strip()[:500],
                "dibawa": tetap,
            },
        )
        rows.append(row)
    if galat:
        raise UsulanError(galat)
    return rows


def _boleh_periksa(actor, usulan: Usulan):
    wajib_pembina_jf(actor, usulan.jf_id, *VERIFIKASI_ROLES)
    usulan = kunci_usulan(usulan)
    if usulan.status != Status.VERIFIKASI:
        raise UsulanError(_("Usulan tidak sedang dalam seleksi administrasi."))
    if usulan.verifikator_id != actor.pk and Role.ADMIN_PEMBINA not in actor.roles:
        raise UsulanError(_("Usulan ini ditangani verifikator lain."))
    return usulan, selectors.pemeriksaan_aktif(usulan)


@transaction.atomic
def pemeriksaan_simpan(
    *,
    actor,
    usulan: Usulan,
    hasil: dict[int, tuple[bool, str]],
    keputusan: str = "",
    catatan: str = "",
    tenggat: date | None = None,
    peringatan: dict[str, dict] | None = None,
    ip_address=None,
) -> Usulan | None:
    """The verifier's page in one step: record the documents' verdicts and, with ``keputusan``,
    decide the round. Refused as a whole with every problem of both at once (keyed by field)."""
    galat: dict[str, list[str]] = {}
    try:
        with transaction.atomic():
            pemeriksaan_catat_dokumen(actor=actor, usulan=usulan, hasil=hasil)
    except UsulanError as exc:
        if not hasattr(exc, "error_dict"):
            raise  # not this verifier's round: nothing else to say
        galat = exc.message_dict
    if not keputusan:
        if galat:
            raise UsulanError(galat)
        return None
    if galat:
        # The decision is checked against the verdicts as posted, so its problems show too.
        _, pemeriksaan = _boleh_periksa(actor, usulan)
        putusan = {d.persyaratan_id: d.sesuai for d in pemeriksaan.dokumen.all()}
        putusan.update({pk: sesuai for pk, (sesuai, _c) in hasil.items()})
        for field, pesan in _masalah_keputusan(usulan, putusan, keputusan, catatan, tenggat, peringatan or {})[
            0
        ].items():
            galat.setdefault(field, []).extend(pesan)
        raise UsulanError(galat)
    return pemeriksaan_putuskan(
        actor=actor,
        usulan=usulan,
        keputusan=keputusan,
        catatan=catatan,
        tenggat=tenggat,
        peringatan=peringatan,
        ip_address=ip_address,
    )


def _masalah_keputusan(usulan, putusan: dict[int, bool], keputusan, catatan, tenggat, peringatan):
    """What stops the decision, keyed by the page's field; and the tenggat it would set."""
    problems: dict[str, list[str]] = {}

    def tambah(field, pesan):
        problems.setdefault(field, []).append(pesan)

    if keputusan == Pemeriksaan.Keputusan.MEMENUHI:
        for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True):
            if p.pk not in putusan:
                tambah(f"hasil_{p.pk}", _("Dokumen belum diperiksa: %(doc)s.") % {"doc": p.nama})
            elif not putusan[p.pk]:
                tambah(f"hasil_{p.pk}", _("Dokumen ditandai tidak sesuai: %(doc)s.") % {"doc": p.nama})
        for o in usulan.eligibilitas:
            if o["status"] == "review" and not peringatan.get(o["rule"], {}).get("diterima"):
                tambah(f"peringatan_{o['rule']}", _("Peringatan belum diputuskan: %(m)s") % {"m": o["message"]})
    elif keputusan == Pemeriksaan.Keputusan.PERBAIKAN:
        if not catatan.strip() and all(putusan.values()):
            tambah("catatan", _("Sebutkan dokumen yang harus diperbaiki atau tulis catatan untuk PIC."))
        tenggat = tenggat or timezone.localdate() + timedelta(days=usulan.jf.perbaikan_hari)
        if tenggat <= timezone.localdate():
            tambah("tenggat", _("Tenggat perbaikan harus setelah hari ini."))
    elif keputusan == Pemeriksaan.Keputusan.TIDAK_MEMENUHI:
        if not catatan.strip():
            tambah("catatan", _("Tuliskan alasan tidak memenuhi syarat."))
    else:
        tambah("keputusan", _("Keputusan tidak dikenal."))
    return problems, tenggat


@transaction.atomic
def pemeriksaan_putuskan(
    *,
    actor,
    usulan: Usulan,
    keputusan: str,
    catatan: str = "",
    tenggat: date | None = None,
    peringatan: dict[str, dict] | None = None,
    ip_address=None,
) -> Usulan:
    """Decide the review round: memenuhi syarat / perlu perbaikan / tidak memenuhi syarat.

    Of two verifiers deciding at once, the first wins; the second is told it was decided."""
    wajib_pembina_jf(actor, usulan.jf_id, aksi="loloskan_administrasi")
    usulan = kunci_usulan(usulan)
    if usulan.status != Status.VERIFIKASI:
        raise UsulanError(
            _("Usulan ini sudah diputuskan (status: %(s)s). Muat ulang halaman.") % {"s": usulan.status_label}
        )
    if usulan.verifikator_id != actor.pk and Role.ADMIN_PEMBINA not in actor.roles:
        raise UsulanError(_("Usulan ini ditangani verifikator lain."))
    pemeriksaan = selectors.pemeriksaan_aktif(usulan)
    peringatan = peringatan or {}
    putusan = {d.persyaratan_id: d.sesuai for d in pemeriksaan.dokumen.all()}
    problems, tenggat = _masalah_keputusan(usulan, putusan, keputusan, catatan, tenggat, peringatan)
    if problems:
        raise UsulanError(problems)
    action = {
        Pemeriksaan.Keputusan.MEMENUHI: "loloskan_administrasi",
        Pemeriksaan.Keputusan.PERBAIKAN: "kembalikan",
        Pemeriksaan.Keputusan.TIDAK_MEMENUHI: "tolak",
    }[keputusan]
    pemeriksaan.keputusan = keputusan
    pemeriksaan.catatan = catatan.strip()
    pemeriksaan.tenggat_perbaikan = tenggat if keputusan == Pemeriksaan.Keputusan.PERBAIKAN else None
    pemeriksaan.keputusan_peringatan = peringatan
    pemeriksaan.diputuskan_at = timezone.now()
    pemeriksaan.save()
    fields = {"tenggat_perbaikan": pemeriksaan.tenggat_perbaikan}
    if keputusan == Pemeriksaan.Keputusan.TIDAK_MEMENUHI:
        fields["formasi"] = usulan.formasi  # kept for the record; the state frees the position
    return pindahkan(
        usulan=usulan,
        action=action,
        actor=actor,
        ip_address=ip_address,
        catatan=catatan,
        fields=fields,
        data={"putaran": pemeriksaan.putaran},
    )


@transaction.atomic
def usulan_tolak_lewat_tenggat(*, usulan: Usulan, on: date) -> Usulan | None:
    """System rule of a JF: an overdue perbaikan becomes tidak memenuhi syarat."""
    usulan = kunci_usulan(usulan)
    if usulan.status != Status.PERBAIKAN or not usulan.tenggat_perbaikan or usulan.tenggat_perbaikan >= on:
        return None
    return pindahkan(usulan=usulan, action="tolak", actor=None, roles={"sistem"})


def seleksi_belum_berita_acara(jf):
    """The decided rounds of seleksi administrasi of a JF not yet recorded in a berita acara."""
    return Pemeriksaan.objects.filter(jf=jf, diputuskan_at__isnull=False, berita_acara__isnull=True).exclude(
        keputusan=""
    )


@transaction.atomic
def berita_acara_seleksi_terbitkan(*, actor, jf, ip_address=None):
    """Conclude a round of seleksi administrasi: every decided review of the JF not yet recorded goes
    into one berita acara (apps.surat: numbered, rendered, verifiable; signed by each verifier who
    decided a review in it). Caller: a verifier or the admin pembina of the JF."""
    from apps.core.format import tgl
    from apps.surat import services as surat_services

    wajib_pembina_jf(actor, jf.pk, aksi="loloskan_administrasi")
    rows = list(
        seleksi_belum_berita_acara(jf)
        .select_for_update(of=("self",))
        .select_related("usulan", "usulan__jenjang", "usulan__instansi", "verifikator")
        .order_by("diputuskan_at", "id")
    )
    if not rows:
        raise UsulanError(_("Belum ada hasil seleksi administrasi yang belum dituangkan dalam berita acara."))
    hasil = [
        {
            "nip": p.usulan.pegawai_nip,
            "nama": p.usulan.pegawai_nama,
            "instansi": p.usulan.instansi.nama,
            "jenjang": p.usulan.jenjang.nama if p.usulan.jenjang else "-",
            "putaran": p.putaran,
            "keputusan": p.keputusan,
            "catatan": p.catatan,
            "tanggal": timezone.localtime(p.diputuskan_at).date().isoformat(),
            "tanggal_teks": tgl(timezone.localtime(p.diputuskan_at).date()),
            "verifikator": str(p.verifikator),
        }
        for p in rows
    ]
    users = sorted({p.verifikator for p in rows}, key=lambda u: (str(u), u.pk))
    verifikator = [{"nama": str(u), "nip": u.nip or "", "user_id": u.pk} for u in users]
    surat = surat_services.berita_acara_seleksi_terbitkan(
        actor=actor, jf=jf, usulan_list=[p.usulan for p in rows], hasil=hasil, verifikator=verifikator,
        ip_address=ip_address,
    )  # fmt: skip
    Pemeriksaan.objects.filter(pk__in=[p.pk for p in rows]).update(berita_acara=surat)
    return surat
