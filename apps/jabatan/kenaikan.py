"""Kenaikan jenjang (issue 19, item 6; seed 004 "Promosi": uji kompetensi, the Tim Penilai
Kinerja's consideration, rekomendasi, SK).

A holder whose AK kumulatif meets their jenjang's threshold for the next jenjang is proposed by
the PIC. The proposal is an ordinary :class:`apps.pengusulan.models.Usulan` of ``jenis``
``kenaikan_jenjang`` linked to the holder, with the next jenjang as its jenjang: verifikasi, the
Tim Penilai's scoring against that jenjang's competency standard, the sidang, the rekomendasi and
the SK run unchanged. At "SK terbit" (the workflow's effect ``jabatan.buka_catatan``) the ledger
gets a ``kenaikan_jenjang`` row and the record takes the new jenjang, kelas jabatan and TMT.

The ledger row spends the threshold the step used, as a negative value (the AK above it carries
over to the new jenjang, and the new jenjang's count toward the next pangkat starts from that
remainder: ``apps.jabatan.domain.totals``). The seeds do not state the carry-over; it is marked
unverified in the row's ``rincian`` and in docs/panduan-angka-kredit.md."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import audit
from apps.core.format import format_ak, tgl
from apps.jabatan.domain import JenisMutasi, bulatkan
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.referensi.models import Jenjang


def jenjang_berikut(pejabat: PejabatFungsional) -> Jenjang | None:
    """The JF's next jenjang above the holder's, or None at the top."""
    return Jenjang.objects.filter(jf_id=pejabat.jf_id, urutan__gt=pejabat.jenjang.urutan).order_by("urutan").first()


def cek_kenaikan_jenjang(pejabat: PejabatFungsional | None, tujuan: Jenjang | None) -> list[str]:
    """Why the holder cannot be proposed for ``tujuan`` now (empty: they can)."""
    from apps.jabatan.selectors import ambang as ambang_dari

    if pejabat is None:
        return [_("Usulan kenaikan jenjang ini tidak terhubung dengan data pejabat fungsional.")]
    if not pejabat.aktif:
        return [_("%(nama)s tidak lagi aktif dalam jabatan fungsional ini.") % {"nama": pejabat.nama}]
    if pejabat.jenjang_belum_berlaku:  # not promoted from a jenjang not held yet
        return [
            _(
                "Kenaikan jenjang %(nama)s ke %(j)s baru berlaku mulai %(t)s; kenaikan jenjang berikutnya dapat "
                "diusulkan mulai tanggal itu."
            )
            % {"nama": pejabat.nama, "j": pejabat.jenjang.nama, "t": tgl(pejabat.tmt_jabatan)}
        ]
    berikut = jenjang_berikut(pejabat)
    if berikut is None:
        return [
            _("%(nama)s sudah berada pada jenjang tertinggi (%(j)s); tidak ada kenaikan jenjang.")
            % {"nama": pejabat.nama, "j": pejabat.jenjang.nama}
        ]
    if tujuan is not None and tujuan.pk != berikut.pk:
        return [_("Kenaikan jenjang hanya ke jenjang berikutnya (%(j)s).") % {"j": berikut.nama}]
    ambang = pejabat.jenjang.ak_kumulatif_jenjang
    if ambang is None:
        return [
            _("Ambang AK kumulatif kenaikan jenjang untuk jenjang %(j)s belum diisi pada data JF.")
            % {"j": pejabat.jenjang.nama}
        ]
    kumulatif = ambang_dari(pejabat).ak_jenjang  # the total that counts toward the next jenjang
    if kumulatif < ambang:
        return [
            _(
                "AK kumulatif %(nama)s %(ak)s belum memenuhi ambang kenaikan jenjang ke %(j)s (%(ambang)s); "
                "masih kurang %(kurang)s."
            )
            % {
                "nama": pejabat.nama,
                "ak": format_ak(kumulatif),
                "j": berikut.nama,
                "ambang": format_ak(ambang),
                "kurang": format_ak(ambang - kumulatif),
            }
        ]
    return []


def sumber_ak(jenjang: Jenjang) -> str:
    """Where the AK kumulatif threshold of ``jenjang`` comes from: the JF's own data (the JF page's
    "Sumber koefisien dan AK kumulatif"), unverified until its admin pembina confirms it — never
    cited as a verified rule of PerBKN 3/2023 while the JF page says "belum terverifikasi"."""
    sumber = jenjang.ak_sumber or "PermenPANRB 1/2023 dan PerBKN 3/2023: AK kumulatif kenaikan jenjang, data JF"
    if not jenjang.ak_terverifikasi and not re.search(r"\[(?:V2|U)\b|\bperiksa\b|belum terverifikasi", sumber, re.I):
        sumber += " [U]"
    return sumber


SUMBER_PANGKAT = (
    "domain.md §4: rentang pangkat/golongan per jenjang, data JF [V2]; pangkat tertinggi jenjang saat ini sebagai "
    "syarat: ketentuan portal, tidak tertulis dalam peraturan yang dimuat [U]"
)
SUMBER_BUP = "PP 11/2017 pasal 239: batas usia pensiun per jenjang (domain.md §4) [V]"
SUMBER_MASA = "Data pejabat fungsional: TMT jabatan"


def syarat_kenaikan_jenjang(pejabat: PejabatFungsional | None, tujuan: Jenjang | None, on: date | None = None):
    """The eligibility of a kenaikan jenjang usulan, as the usulan pages, the API and the
    submission read it (never the inpassing rules: no max age at appointment, no experience
    attested for the penyesuaian, no formasi). Outcomes, in order: the AK kumulatif against the
    current jenjang's threshold for the next jenjang; the pangkat (the highest of the current
    jenjang, i.e. just below the lowest of ``tujuan``: a warning for the verifier, unsourced as a
    hard rule); the batas usia pensiun of the jenjang the
    holder still occupies; the time in the JF since the holder's TMT jabatan (information).
    Returns an :class:`apps.referensi.domain.Eligibility` whose ``jenjang`` is ``tujuan``."""
    from django.utils import timezone

    from apps.jabatan.selectors import ambang as ambang_dari
    from apps.referensi import domain as rules

    R, S = rules.RuleOutcome, rules.Status
    on = on or timezone.localdate()
    struktur = []
    berikut = jenjang_berikut(pejabat) if pejabat is not None and pejabat.aktif else None
    if berikut is None or (tujuan is not None and tujuan.pk != berikut.pk):
        struktur = cek_kenaikan_jenjang(pejabat, tujuan)
    if struktur:
        return rules.Eligibility(outcomes=tuple(R("struktur", S.FAILED, m, "") for m in struktur), jenjang=tujuan)
    tujuan = tujuan or jenjang_berikut(pejabat)
    jenjang = pejabat.jenjang
    out = []
    # AK kumulatif: the held jenjang's threshold, cited as the JF's data
    batas, sumber = jenjang.ak_kumulatif_jenjang, sumber_ak(jenjang)
    kumulatif = ambang_dari(pejabat).ak_jenjang
    if batas is None:
        out.append(R("ak_kumulatif", S.FAILED, _(
            "Ambang AK kumulatif kenaikan jenjang untuk jenjang %(j)s belum diisi pada data JF.") % {"j": jenjang.nama},
            sumber))  # fmt: skip
    elif kumulatif < batas:
        out.append(R("ak_kumulatif", S.FAILED, _(
            "AK kumulatif %(ak)s belum memenuhi ambang kenaikan jenjang ke %(j)s (%(ambang)s); masih kurang %(kurang)s."
        ) % {"ak": format_ak(kumulatif), "j": tujuan.nama, "ambang": format_ak(batas),
             "kurang": format_ak(batas - kumulatif)}, sumber))  # fmt: skip
    else:
        out.append(R("ak_kumulatif", S.PASSED, _(
            "AK kumulatif %(ak)s memenuhi ambang kenaikan jenjang ke %(j)s (%(ambang)s).")
            % {"ak": format_ak(kumulatif), "j": tujuan.nama, "ambang": format_ak(batas)}, sumber))  # fmt: skip
    # Pangkat: the highest pangkat of the current jenjang (the one just below the target's lowest).
    syarat_gol = jenjang.golongan_maks
    if syarat_gol is not None:
        gol = pejabat.golongan
        if gol is None:
            out.append(R("pangkat", S.FAILED, _(
                "Pangkat/golongan belum tercatat; kenaikan jenjang ke %(j)s memerlukan paling rendah %(g)s.")
                % {"j": tujuan.nama, "g": syarat_gol.kode}, SUMBER_PANGKAT))  # fmt: skip
        elif gol.urutan < syarat_gol.urutan:
            # Unsourced as a hard rule (the seeds tie pangkat ranges to jenjang, not the step): the
            # verifier decides, as with the inpassing's other unverified rules.
            out.append(R("pangkat", S.REVIEW, _(
                "Pangkat/golongan %(gol)s: kenaikan jenjang ke %(j)s memerlukan pangkat tertinggi jenjang %(now)s, "
                "paling rendah %(g)s.") % {"gol": gol.kode, "j": tujuan.nama, "now": jenjang.nama,
                                            "g": syarat_gol.kode}, SUMBER_PANGKAT))  # fmt: skip
        else:
            out.append(R("pangkat", S.PASSED, _(
                "Pangkat/golongan %(gol)s memenuhi syarat kenaikan jenjang ke %(j)s (paling rendah %(g)s).")
                % {"gol": gol.kode, "j": tujuan.nama, "g": syarat_gol.kode}, SUMBER_PANGKAT))  # fmt: skip
    # Batas usia pensiun of the jenjang the holder occupies (not the inpassing's max age).
    lahir = pejabat.tanggal_lahir_aturan
    if lahir is None:
        out.append(R("bup", S.REVIEW, _("Tanggal lahir tidak diketahui; batas usia pensiun tidak dapat diperiksa."),
                     SUMBER_BUP))  # fmt: skip
    else:
        pensiun = rules.tanggal_pensiun(lahir, jenjang.batas_usia_pensiun)
        usia = rules.age_on(lahir, on)
        if on >= pensiun:
            out.append(R("bup", S.FAILED, _(
                "Usia %(u)d tahun: batas usia pensiun %(bup)d tahun jenjang %(j)s sudah tercapai (TMT pensiun %(t)s).")
                % {"u": usia, "bup": jenjang.batas_usia_pensiun, "j": jenjang.nama, "t": tgl(pensiun)},
                SUMBER_BUP))  # fmt: skip
        else:
            out.append(R("bup", S.PASSED, _(
                "Usia %(u)d tahun, belum mencapai batas usia pensiun %(bup)d tahun jenjang %(j)s (TMT pensiun %(t)s).")
                % {"u": usia, "bup": jenjang.batas_usia_pensiun, "j": jenjang.nama, "t": tgl(pensiun)},
                SUMBER_BUP))  # fmt: skip
    # Time in the JF since the TMT jabatan (the seeds set no minimum for the step: information).
    bulan = rules.full_months_between(pejabat.tmt_jabatan, on)
    out.append(R("masa_jabatan", S.PASSED, _(
        "Dalam jabatan fungsional %(jf)s sejak TMT %(t)s: %(th)d tahun %(bl)d bulan.")
        % {"jf": pejabat.jf.nama, "t": tgl(pejabat.tmt_jabatan), "th": bulan // 12, "bl": bulan % 12},
        SUMBER_MASA))  # fmt: skip
    return rules.Eligibility(outcomes=tuple(out), jenjang=tujuan)


def _pegawai_untuk(pejabat: PejabatFungsional, actor):
    """The pegawai row the usulan hangs on: the holder's own, one of the instansi with the same NIP,
    or (an imported holder) a new one from the record's data."""
    from apps.pengusulan.models import Pegawai

    if pejabat.pegawai_id:
        return pejabat.pegawai
    pegawai = Pegawai.objects.filter(instansi_id=pejabat.instansi_id, nip=pejabat.nip).first()
    if pegawai is None:
        pegawai = Pegawai.objects.create(
            instansi_id=pejabat.instansi_id, nip=pejabat.nip, nama=pejabat.nama, tanggal_lahir=pejabat.tanggal_lahir,
            tempat_lahir=pejabat.tempat_lahir, golongan=pejabat.golongan, tmt_golongan=pejabat.tmt_golongan,
            unit_kerja=pejabat.unit_kerja,
            jabatan_saat_ini=f"{pejabat.jf.nama} {pejabat.jenjang.nama}"[:200],
        )  # fmt: skip
    pejabat.pegawai = pegawai
    pejabat.save(update_fields=["pegawai", "updated_at"])
    return pegawai


@transaction.atomic
def kenaikan_jenjang_usulkan(*, actor, pejabat: PejabatFungsional, ip_address=None):
    """The PIC proposes the holder for the next jenjang: a draft usulan ``kenaikan_jenjang``
    (documents are uploaded and it is submitted on the usulan's page, like any usulan). Refused
    with a clear message when the AK kumulatif does not meet the threshold. A repeated request
    returns the live usulan."""
    from apps.accounts import permissions
    from apps.pengusulan.domain import SELESAI, Jenis
    from apps.pengusulan.models import Usulan

    if not permissions.can_submit_usulan(actor):
        raise ValidationError(_("Hanya PIC instansi yang dapat mengusulkan kenaikan jenjang."))
    pejabat = PejabatFungsional.objects.select_for_update().select_related("jf", "jenjang").get(pk=pejabat.pk)
    live = Usulan.objects.filter(pejabat=pejabat, jenis=Jenis.KENAIKAN_JENJANG).exclude(status__in=SELESAI).first()
    if live is not None:
        return live
    berikut = jenjang_berikut(pejabat)
    problems = cek_kenaikan_jenjang(pejabat, berikut)
    if problems:
        raise ValidationError(problems)
    pegawai = _pegawai_untuk(pejabat, actor)
    if Usulan.objects.filter(pegawai=pegawai, jf_id=pejabat.jf_id).exclude(status__in=SELESAI).exists():
        raise ValidationError(
            _("%(nama)s masih memiliki usulan JF %(jf)s yang sedang berjalan.")
            % {"nama": pejabat.nama, "jf": pejabat.jf.nama}
        )
    usulan = Usulan.objects.create(
        instansi_id=pejabat.instansi_id, jenis=Jenis.KENAIKAN_JENJANG, pejabat=pejabat, pegawai=pegawai,
        jf_id=pejabat.jf_id, jenjang=berikut, created_by=actor, pegawai_nip=pejabat.nip, pegawai_nama=pejabat.nama,
    )  # fmt: skip
    audit.record_objek(
        "usulan.dibuat",
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=_("Usulan kenaikan jenjang %(nomor)s untuk %(nama)s ke %(j)s dibuat.")
        % {"nomor": usulan.nomor, "nama": pejabat.nama, "j": berikut.nama},
        data={"jenis": Jenis.KENAIKAN_JENJANG.value, "pejabat": pejabat.pk},
    )
    return usulan


def kenaikan_jenjang_terapkan(usulan, *, surat_id: int | None, actor) -> PejabatFungsional:
    """ "SK terbit" of a kenaikan jenjang: the ledger's ``kenaikan_jenjang`` row and the record's
    new jenjang, kelas jabatan and TMT. Idempotent (a second call for the same usulan adds nothing)."""
    from apps.jabatan.selectors import ambang
    from apps.jabatan.services import mutasi_tambah
    from apps.surat.models import Surat

    pejabat = PejabatFungsional.objects.select_for_update().select_related("jenjang").get(pk=usulan.pejabat_id)
    if MutasiAK.objects.filter(
        pejabat=pejabat, jenis=JenisMutasi.KENAIKAN_JENJANG, rincian__usulan=usulan.nomor
    ).exists():
        return pejabat
    surat = Surat.objects.filter(pk=surat_id).first() if surat_id else None
    lama, baru = pejabat.jenjang, usulan.jenjang
    kumulatif = ambang(pejabat).ak_jenjang
    dipakai = bulatkan(lama.ak_kumulatif_jenjang or Decimal(0))
    tmt = (surat.tmt or surat.tanggal) if surat else usulan.status_changed_at.date()
    mutasi_tambah(
        pejabat, JenisMutasi.KENAIKAN_JENJANG, -dipakai, oleh=actor, periode_mulai=tmt, jenjang=baru, surat=surat,
        rincian={
            "usulan": usulan.nomor,
            "surat": surat.nomor if surat else None,
            "dari_jenjang": lama.nama,
            "ke_jenjang": baru.nama,
            # In force until the TMT (PejabatFungsional.jenjang_berlaku): the record takes the new ones below.
            "dari_jenjang_kode": lama.kode,
            "kelas_jabatan_lama": pejabat.kelas_jabatan,
            "tmt_jabatan_lama": pejabat.tmt_jabatan.isoformat() if pejabat.tmt_jabatan else None,
            "ak_kumulatif_sebelum": str(kumulatif),
            "ambang_dipakai": str(dipakai),
            "sisa_dibawa": str(kumulatif - dipakai),
            # The remainder is also where the new jenjang's AK toward the next pangkat starts
            # (apps.jabatan.domain.totals): unverified as the carry-over is.
            "sisa_untuk_pangkat": str(kumulatif - dipakai),
            # Not in the seeds (domain.md §4 gives thresholds only): the AK above the threshold is
            # carried over to the new jenjang.
            "aturan_sisa_terverifikasi": False,
        },
        keterangan=_("Kenaikan jenjang %(a)s → %(b)s (SK %(n)s).")
        % {"a": lama.nama, "b": baru.nama, "n": surat.nomor if surat else "-"},
        audit_entry=False,
    )  # fmt: skip
    pejabat.jenjang = baru
    pejabat.kelas_jabatan = baru.kelas_jabatan
    pejabat.tmt_jabatan = tmt
    pejabat.save(update_fields=["jenjang", "kelas_jabatan", "tmt_jabatan", "updated_at"])
    audit.record_objek(
        "jabatan.naik_jenjang",
        pejabat,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        message=_("%(nama)s naik jenjang dari %(a)s ke %(b)s.")
        % {"nama": pejabat.nama, "a": lama.nama, "b": baru.nama},
        data={"usulan": usulan.pk, "surat": surat_id},
    )
    return pejabat


#: What rests on a kenaikan jenjang's jenjang and TMT, recorded after it: a PAK, a kenaikan pangkat
#: or a later kenaikan jenjang (they sum the ledger in the new jenjang), and a konversi of a period
#: reaching the TMT (its koefisien is the jenjang held from then).
_BERSANDAR_KENAIKAN = {JenisMutasi.PENETAPAN, JenisMutasi.KENAIKAN_PANGKAT, JenisMutasi.KENAIKAN_JENJANG}


@transaction.atomic
def kenaikan_ikuti_koreksi_sk(*, surat, lama: dict, baru: dict, versi: int, actor, ip_address=None) -> list:
    """A corrected SK kenaikan jenjang (``apps.surat.services.surat_koreksi``), as
    :func:`apps.jabatan.services.pejabat_ikuti_koreksi_sk` does for the inpassing SK: each holder
    the SK moved up follows the jenjang (with its kelas jabatan) and the TMT the new version states
    wherever the correction changed them, in the correction's own transaction. The ledger keeps its
    history: the ``kenaikan_jenjang`` row stays, and a ``koreksi`` row of it (AK 0: the threshold
    spent is the jenjang held before, which a correction does not change) records the new TMT and
    jenjang, the letter and its version. Refused with :class:`JabatanError` (holder, fact and
    movements; nothing of the correction kept) while movements already rest on the old facts
    (``_BERSANDAR_KENAIKAN``). Audited per holder (before → after). Returns the records changed."""
    from apps.jabatan.services import (
        catat_ikut_koreksi_sk,
        label_fakta,
        mutasi_tambah,
        mutasi_teks,
        tolak_bila_bersandar,
    )
    from apps.pengusulan.domain import Jenis
    from apps.pengusulan.models import Usulan

    baris_lama = {r.get("usulan"): r for r in lama.get("pegawai") or []}
    baris_baru = {r.get("usulan"): r for r in baru.get("pegawai") or []}
    usulan_list = list(
        Usulan.objects.filter(surat_baris__surat=surat, jenis=Jenis.KENAIKAN_JENJANG, pejabat__isnull=False)
        .select_related("jenjang")
        .order_by("pk")
    )
    label, masalah, diubah = label_fakta(), [], []
    for usulan in usulan_list:
        pejabat = (
            PejabatFungsional.objects.select_for_update(of=("self",))
            .select_related("jenjang")
            .get(pk=usulan.pejabat_id)
        )
        mutasi = list(MutasiAK.objects.filter(pejabat=pejabat).select_related("jenjang").order_by("pk"))
        naik = next(
            (m for m in mutasi if m.jenis == JenisMutasi.KENAIKAN_JENJANG and m.rincian.get("usulan") == usulan.nomor),
            None,
        )
        if naik is None or naik.surat_id != surat.pk:
            continue  # not applied yet: "SK terbit" reads the version in force then
        sebelum = {"tmt": naik.periode_mulai, "jenjang": naik.jenjang}
        for k in (m for m in mutasi if m.jenis == JenisMutasi.KOREKSI and m.mengoreksi_id == naik.pk):
            sebelum = {"tmt": k.periode_mulai or sebelum["tmt"], "jenjang": k.jenjang or sebelum["jenjang"]}
        sesudah = {"tmt": surat.tmt or surat.tanggal, "jenjang": usulan.jenjang}
        a, b = baris_lama.get(usulan.nomor) or {}, baris_baru.get(usulan.nomor) or {}
        versi_beda = {
            "tmt": lama.get("tmt") != baru.get("tmt"),
            "jenjang": (a.get("jenjang"), a.get("kelas_jabatan")) != (b.get("jenjang"), b.get("kelas_jabatan")),
        }
        berubah = [k for k in ("tmt", "jenjang") if versi_beda[k] and sebelum[k] != sesudah[k]]
        if not berubah:
            continue
        sejak = min(sebelum["tmt"], sesudah["tmt"]) if sebelum["tmt"] else sesudah["tmt"]
        dasar = [
            m for m in mutasi
            if m.pk > naik.pk and (
                m.jenis in _BERSANDAR_KENAIKAN
                or (m.jenis == JenisMutasi.KONVERSI and m.periode_selesai and m.periode_selesai >= sejak)
            )
        ]  # fmt: skip
        if dasar:
            fakta = "; ".join(label[k] for k in berubah)
            masalah.append(
                _(
                    "%(fakta)s %(nama)s (NIP %(nip)s) pada SK kenaikan jenjang berubah, padahal buku angka kreditnya "
                    "sudah memuat %(mutasi)s yang bersandar pada %(fakta_kecil)s lama"
                )
                % {
                    "fakta": fakta[:1].upper() + fakta[1:], "fakta_kecil": fakta, "nama": pejabat.nama,
                    "nip": pejabat.nip, "mutasi": ", ".join(mutasi_teks(m) for m in dasar),
                }
            )  # fmt: skip
            continue
        teks = "; ".join(f"{label[k]} {_fakta_teks(k, sebelum[k])} → {_fakta_teks(k, sesudah[k])}" for k in berubah)
        if "tmt" in berubah:
            pejabat.tmt_jabatan = sesudah["tmt"]
        if "jenjang" in berubah:
            pejabat.jenjang, pejabat.kelas_jabatan = sesudah["jenjang"], sesudah["jenjang"].kelas_jabatan
        pejabat.save(update_fields=["tmt_jabatan", "jenjang", "kelas_jabatan", "updated_at"])
        koreksi = mutasi_tambah(
            pejabat, JenisMutasi.KOREKSI, 0, oleh=actor, periode_mulai=sesudah["tmt"], jenjang=sesudah["jenjang"],
            surat=surat, mengoreksi=naik,
            rincian={"sumber": "koreksi_sk", "surat": surat.nomor, "surat_id": surat.pk, "versi": versi,
                     "tmt_sebelum": sebelum["tmt"].isoformat() if sebelum["tmt"] else None,
                     "tmt_sesudah": sesudah["tmt"].isoformat(),
                     "jenjang_sebelum": sebelum["jenjang"].nama if sebelum["jenjang"] else None,
                     "jenjang_sesudah": sesudah["jenjang"].nama},
            keterangan=_("Koreksi SK %(n)s versi %(v)d: %(teks)s.") % {"n": surat.nomor, "v": versi, "teks": teks},
            audit_entry=False,
        )  # fmt: skip
        catat_ikut_koreksi_sk(
            pejabat,
            actor=actor,
            ip_address=ip_address,
            message=_("Catatan %(nama)s mengikuti SK kenaikan jenjang %(n)s versi %(v)d (koreksi): %(teks)s.")
            % {"nama": pejabat.nama, "n": surat.nomor, "v": versi, "teks": teks},
            data={
                "surat": surat.pk, "versi": versi, "fakta": berubah, "mutasi": koreksi.pk,
                "sebelum": {k: _fakta_data(k, sebelum[k]) for k in berubah},
                "sesudah": {k: _fakta_data(k, sesudah[k]) for k in berubah},
            },
        )  # fmt: skip
        diubah.append(pejabat)
    tolak_bila_bersandar(surat, masalah)
    return diubah


def _fakta_teks(k: str, nilai) -> str:
    if k == "tmt":
        return tgl(nilai) if nilai else "-"
    return f"{nilai.nama} (kelas {nilai.kelas_jabatan if nilai.kelas_jabatan is not None else '-'})" if nilai else "-"


def _fakta_data(k: str, nilai):
    if k == "tmt":
        return nilai.isoformat() if nilai else None
    return {"id": nilai.pk, "nilai": nilai.kelas_jabatan} if nilai else None


def fakta_kenaikan(usulan, on: date | None = None) -> dict | None:
    """A kenaikan jenjang usulan's own facts, for the pembina's and the PPK's pages (never the
    inpassing's: no AK awal, no experience attested for the penyesuaian, no max age at appointment):
    the jenjang held → the proposed one, the holder's time in the JF since their TMT jabatan, the AK
    kumulatif toward the next jenjang against the held jenjang's threshold, and the TMT pensiun
    (batas usia pensiun of the held jenjang). After "SK terbit" the jenjang held and the AK are the
    ones the step used (its ledger row). None for any other usulan or one without a holder."""
    from django.utils import timezone

    from apps.jabatan.selectors import ambang as ambang_dari
    from apps.referensi import domain as rules

    if usulan.jenis != "kenaikan_jenjang" or usulan.pejabat_id is None:
        return None
    on = on or timezone.localdate()
    pejabat = usulan.pejabat
    tujuan = usulan.jenjang
    asal = (
        Jenjang.objects.filter(jf_id=usulan.jf_id, urutan__lt=tujuan.urutan).order_by("-urutan").first()
        if tujuan is not None
        else pejabat.jenjang
    )
    naik = MutasiAK.objects.filter(
        pejabat=pejabat, jenis=JenisMutasi.KENAIKAN_JENJANG, rincian__usulan=usulan.nomor
    ).first()
    # Already applied: the figure the step used.
    ak = Decimal(naik.rincian.get("ak_kumulatif_sebelum") or 0) if naik is not None else ambang_dari(pejabat).ak_jenjang
    batas = asal.ak_kumulatif_jenjang if asal else None
    lahir = pejabat.tanggal_lahir_aturan
    bup = asal.batas_usia_pensiun if asal else None
    bulan = rules.full_months_between(pejabat.tmt_jabatan, on) if pejabat.tmt_jabatan <= on else 0
    return {
        "jf": usulan.jf.nama,
        "asal": asal.nama if asal else "",
        "tujuan": tujuan.nama if tujuan else "",
        "golongan": pejabat.golongan,
        "unit_kerja": pejabat.unit_kerja,
        "tmt_jabatan": pejabat.tmt_jabatan,
        "masa_bulan": bulan,
        "ak": ak,
        "ambang": batas,
        "memenuhi": batas is not None and ak >= batas,
        "bup": bup,
        "tmt_pensiun": rules.tanggal_pensiun(lahir, bup) if lahir and bup else None,
    }
