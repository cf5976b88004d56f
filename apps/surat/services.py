"""Issuing letters. Each service takes the letter's number in its own transaction, snapshots the
content, creates version 1 and asks the worker (through the outbox) to render it. Status moves
go through the transition core, ``apps.pengusulan.alur.pindahkan``."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.accounts.permissions import has_role
from apps.core import audit, outbox
from apps.core.files import check_upload
from apps.core.format import format_ak, tgl, waktu
from apps.pengusulan.alur import UsulanError, kunci_usulan, pindahkan, wajib_peran
from apps.pengusulan.domain import Jenis, Status
from apps.pengusulan.models import Usulan
from apps.referensi import domain as rules
from apps.surat import isi as isi_mod
from apps.surat import permissions, selectors
from apps.surat.models import ALASAN_MAKS, SERI, JenisSurat, PolaNomor, Surat, SuratUsulan, VersiSurat
from apps.surat.penomoran import ambil_nomor, validasi_pola

QUEUE = "pdf"
RENDER_TASK = "surat.render"


class SuratError(UsulanError):
    pass


def _advisory_lock(*parts) -> None:
    """A transaction-scoped mutex (released at commit/rollback)."""
    key = int.from_bytes(hashlib.sha256(":".join(map(str, parts)).encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _create(*, jenis, penerbit, instansi_id, jf, tanggal, perihal, actor, penandatangan, **extra) -> Surat:
    seri = SERI[jenis]
    urut, nomor = ambil_nomor(penerbit=penerbit, seri=seri, tanggal=tanggal)
    nama, jabatan, nip = penandatangan
    return Surat.objects.create(
        jenis=jenis, penerbit=penerbit, instansi_id=instansi_id, jf=jf, seri=seri, tahun=tanggal.year,
        nomor_urut=urut, nomor=nomor, tanggal=tanggal, perihal=perihal, dibuat_oleh=actor,
        penandatangan_nama=nama.strip(), penandatangan_jabatan=jabatan.strip(), penandatangan_nip=(nip or "").strip(),
        **extra,
    )  # fmt: skip


def _baris(surat: Surat, usulan_list, *, direkomendasikan=True) -> None:
    SuratUsulan.objects.bulk_create(
        SuratUsulan(
            surat=surat, usulan=u, instansi_id=u.instansi_id, jf_id=u.jf_id, jenis=surat.jenis, urutan=i,
            direkomendasikan=direkomendasikan,
        )
        for i, u in enumerate(usulan_list, start=1)
    )  # fmt: skip


def _versi(surat: Surat, isi: dict, *, actor, batch=None, alasan: str = "") -> VersiSurat:
    last = surat.versi_set.order_by("-versi").first()
    if last is not None:
        surat.versi_set.filter(diganti_at__isnull=True).update(diganti_at=timezone.now())
    versi = VersiSurat.objects.create(
        surat=surat, instansi_id=surat.instansi_id, jf_id=surat.jf_id, versi=(last.versi + 1) if last else 1,
        isi=isi, alasan=alasan, batch=batch, dibuat_oleh=actor, pejabat_id=surat.pejabat_id,
        instansi_penilai_id=surat.instansi_penilai_id,
    )  # fmt: skip
    outbox.enqueue(RENDER_TASK, queue=QUEUE, versi_id=versi.pk)
    return versi


def _baris_ak_teks(row) -> str:
    from apps.referensi.models import NilaiPenyesuaianAK

    if isinstance(row, NilaiPenyesuaianAK):
        return _("tabel penyesuaian %(gol)s, masa kerja %(mk)s, pendidikan %(pend)s (nilai %(n)s)") % {
            "gol": row.golongan.kode,
            "mk": _("kurang dari 1 tahun") if row.masa_kerja == 0 else _("%d tahun") % row.masa_kerja,
            "pend": row.get_pendidikan_display(),
            "n": format_ak(row.nilai),
        }
    return _("AK Dasar %(gol)s (nilai %(n)s)") % {"gol": row.golongan.kode, "n": format_ak(row.nilai)}


def _siapa_konfirmasi_ak(jf) -> str:
    """Who can confirm or correct a JF's AK rows: its admin pembina, by instansi and by name."""
    admins = selectors.admin_pembina_jf(jf)
    return _("admin pembina %(i)s") % {"i": jf.instansi_pembina.nama} + (f" ({', '.join(admins)})" if admins else "")


def ak_belum_terverifikasi_rinci(usulan_list, jf) -> dict | None:
    """What keeps a rekomendasi or SK of ``usulan_list`` from being issued on account of the AK
    rows, said before anyone tries (the rekomendasi page) as the refusal says it: each unverified
    row once, with the pegawai whose AK awal rests on it and the row's edit page; the pegawai whose
    AK awal could not be computed; who can confirm the rows. None when nothing is missing. Reads
    the rows loaded with the usulan (``AK_RELATED``): no query unless something is missing."""
    from django.urls import reverse

    from apps.referensi.models import NilaiPenyesuaianAK

    baris: dict = {}
    tanpa_ak, tanpa_baris = [], []
    for u in usulan_list:
        if u.kenaikan_jenjang:  # its AK is the holder's ledger (apps.jabatan), not a table row
            continue
        if u.ak_awal is None:
            tanpa_ak.append(u)
            continue
        for row in u.ak_baris_belum_terverifikasi():
            if row is None:
                tanpa_baris.append(u)
                continue
            jenis = "tabel" if isinstance(row, NilaiPenyesuaianAK) else "dasar"
            entry = baris.setdefault(
                (jenis, row.pk),
                {"teks": _baris_ak_teks(row), "url": reverse("referensi:ak_edit", args=[jenis, row.pk]), "usulan": []},
            )
            entry["usulan"].append(u)
    if not (baris or tanpa_ak or tanpa_baris):
        return None
    return {
        "baris": list(baris.values()),
        "tanpa_ak": tanpa_ak,
        "tanpa_baris": tanpa_baris,
        "jumlah": len({u.pk for e in baris.values() for u in e["usulan"]} | {u.pk for u in tanpa_ak + tanpa_baris}),
        "siapa": _siapa_konfirmasi_ak(jf),
    }


def ak_cek_terverifikasi(usulan_list, jf) -> None:
    """Refuse a rekomendasi or SK while the AK awal of any of its pegawai rests on an unverified
    reference row (or could not be computed); the message names the rows and who confirms them."""
    from apps.pengusulan.selectors import AK_RELATED

    # A kenaikan jenjang carries no AK awal: its AK is the holder's ledger (apps.jabatan).
    rows = (
        Usulan.objects.filter(pk__in=[u.pk for u in usulan_list])
        .exclude(jenis="kenaikan_jenjang")
        .select_related(*AK_RELATED)
    )
    problems = []
    for u in rows.order_by("pegawai_nama", "id"):
        if u.ak_awal is None:
            problems.append(
                _("%(nama)s (%(nomor)s): AK awal belum dapat dihitung (data golongan, TMT atau pendidikan kurang).")
                % {"nama": u.pegawai_nama, "nomor": u.nomor}
            )
            continue
        belum = u.ak_baris_belum_terverifikasi()
        if belum:
            teks = "; ".join(_baris_ak_teks(r) if r is not None else _("baris asal AK tidak tercatat") for r in belum)
            problems.append(
                _("%(nama)s (%(nomor)s): AK awal %(ak)s memakai baris belum terverifikasi: %(rows)s.")
                % {"nama": u.pegawai_nama, "nomor": u.nomor, "ak": format_ak(u.ak_awal), "rows": teks}
            )
    if problems:
        problems.append(
            _(
                "Baris tersebut dapat dikonfirmasi atau dikoreksi oleh %(siapa)s di halaman Tabel angka kredit; "
                "AK awal dihitung ulang otomatis."
            )
            % {"siapa": _siapa_konfirmasi_ak(jf)}
        )
        raise SuratError(problems)


def cek_usia_pada(usulan_list, on: date, *, saat: str) -> None:
    """Refuse when a pegawai is past the JF's age limit (read as the JF configures it) or the BUP
    of the jenjang on ``on`` — the TMT for an SK, the letter's date for a rekomendasi."""
    problems = []
    for u in usulan_list:
        lahir = (u.data_pegawai or {}).get("tanggal_lahir")
        if not lahir:
            try:
                lahir = rules.parse_nip(u.pegawai_nip).tanggal_lahir.isoformat()
            except ValueError:
                continue  # the NIP rule refused it at submission already
        found = rules.cek_usia_dan_pensiun(
            date.fromisoformat(lahir),
            on,
            # The JF's max age is that of the appointment by penyesuaian: a holder's kenaikan
            # jenjang answers to the batas usia pensiun only.
            usia_maks=None if u.jenis == Jenis.KENAIKAN_JENJANG else u.jf.usia_maks,
            tafsir=u.jf.usia_tafsir,
            batas_usia_pensiun=u.jenjang.batas_usia_pensiun if u.jenjang_id else None,
        )
        problems += [f"{u.pegawai_nama} ({u.nomor}): {p}" for p in found]
    if problems:
        raise SuratError([_("Tidak dapat diangkat pada %(saat)s:") % {"saat": saat}, *problems])


def masalah_masa_kerja_tmt(usulan_list, tmt: date) -> list[str]:
    """The PAK counts the masa kerja in pangkat to the TMT (fresh-eye L3, as the age rule reads the
    TMT); its AK awal is the table row read at submission (and stated by the rekomendasi). Where the
    TMT falls in another year of that table (PerBKN 3/2023, seed 004: "kurang dari 1 tahun", 1, 2,
    3, 4), the PAK would print a masa kerja its AK was not read with: refused, naming both and the
    TMTs that keep the row. Only the rows whose PAK is issued with this SK (the atasan's PAK is
    signed before the usulan). One reason per usulan."""
    from apps.core.format import masa_kerja_teks
    from apps.referensi.domain import add_years

    problems = []
    for u in usulan_list:
        if not u.pak_bersama_sk or u.masa_kerja_pangkat is None:
            continue
        tahun, bulan, _per = isi_mod.masa_kerja_pada(u, tmt)
        if tahun == u.masa_kerja_pangkat:
            continue
        awal, lama = isi_mod.awal_masa_kerja(u), u.masa_kerja_pangkat
        dari = add_years(awal, lama)
        rentang = (
            _("dari %(dari)s sampai dengan %(batas)s")
            % {"dari": tgl(dari), "batas": tgl(add_years(awal, lama + 1) - timedelta(days=1))}
            if lama < 4
            else _("pada atau sesudah %(dari)s") % {"dari": tgl(dari)}
        )
        problems.append(
            _(
                "%(nama)s (%(nomor)s): pada TMT %(tmt)s masa kerja dalam pangkatnya %(baru)s, sedangkan AK awal "
                "%(ak)s dibaca dari baris tabel penyesuaian untuk masa kerja %(lama)s (dihitung per %(per)s, saat "
                "diajukan). PAK yang terbit bersama SK menghitung masa kerja sampai TMT, sehingga keduanya tidak "
                "sesuai. Pilih TMT %(rentang)s, yang memberi masa kerja yang sama "
                "dengan dasar AK awal."
            )
            % {
                "nama": u.pegawai_nama,
                "nomor": u.nomor,
                "tmt": tgl(tmt),
                "baru": masa_kerja_teks(bulan, tahun),
                "ak": format_ak(u.ak_awal),
                "lama": masa_kerja_teks(u.masa_kerja_bulan, u.masa_kerja_pangkat),
                "per": tgl(u.masa_kerja_per) if u.masa_kerja_per else "-",
                "rentang": rentang,
            }
        )
    return problems


def _belum_ditandatangani(surat_list) -> list[tuple[Surat, list[str]]]:
    """The letters among ``surat_list`` whose version in force is not signed yet (see
    ``apps.ttd.services.ditandatangani``), each with the names of the signers still awaited. In a
    fixed number of queries however many letters (the rekomendasi and PPK pages check every
    letter their rows rest on: ``apps.ttd.ringkasan``)."""
    from apps.ttd.ringkasan import status_surat
    from apps.ttd.validasi import harapan_untuk

    surat_list = list(surat_list)
    status = status_surat(surat_list)
    out = []
    for surat in surat_list:
        st = status.get(surat.pk)
        if st is not None and st.ditandatangani:
            continue
        out.append((surat, st.belum if st is not None else [h.nama for h in harapan_untuk(surat)]))
    return out


def _pesan_belum_ttd(surat: Surat, belum: list[str], *, untuk: str, siapa_unggah: str) -> str:
    menunggu = (_(" (belum ditandatangani oleh: %(s)s)") % {"s": "; ".join(belum)}) if belum else ""
    return _(
        "%(jenis)s %(n)s belum ditandatangani%(menunggu)s, padahal %(untuk)s didasarkan padanya. "
        "Tandatangani surat itu secara elektronik terlebih dahulu (menu Tanda tangan), atau %(siapa)s mengunggah "
        "salinannya yang sudah ditandatangani di halaman surat itu: salinan bertanda tangan elektronik dari aplikasi "
        "lain, atau pindaian tanda tangan basah beserta alasannya bila layanan TTE tidak tersedia."
    ) % {
        "jenis": surat.label_jenis(), "n": surat.nomor, "menunggu": menunggu, "untuk": untuk,
        "siapa": siapa_unggah,
    }  # fmt: skip


def masalah_berita_acara(usulan_list) -> list[str]:
    """A rekomendasi rests on the sidang's berita acara (seed 003: the berita acara of the Tim
    Uji Kompetensi goes to the pembina "untuk diterbitkan rekomendasi"): refused while the latest
    berita acara listing any of these usulan is not signed. Every reason, one per letter."""
    latest: dict[int, int] = {}
    for usulan_id, surat_id in (
        SuratUsulan.objects.filter(usulan__in=[u.pk for u in usulan_list], jenis=JenisSurat.BERITA_ACARA)
        .order_by("usulan_id", "surat_id")
        .values_list("usulan_id", "surat_id")
    ):
        latest[usulan_id] = surat_id
    surat_list = list(Surat.objects.filter(pk__in=set(latest.values())).order_by("id"))
    nama = {u.pk: u.pegawai_nama for u in usulan_list}
    problems = []
    for surat, belum in _belum_ditandatangani(surat_list):
        pegawai = sorted(nama[uid] for uid, sid in latest.items() if sid == surat.pk)
        untuk = _("rekomendasi untuk %(p)s") % {"p": ", ".join(pegawai)}
        problems.append(_pesan_belum_ttd(surat, belum, untuk=untuk, siapa_unggah=_("admin pembina")))
    return problems


def _rekomendasi_sesudah(usulan_list, hari: date):
    """The rekomendasi recommending any of ``usulan_list`` dated after ``hari``, oldest first."""
    return Surat.objects.filter(
        pk__in=SuratUsulan.objects.filter(
            usulan__in=[u.pk for u in usulan_list], jenis=JenisSurat.REKOMENDASI, direkomendasikan=True
        ).values("surat_id"),
        tanggal__gt=hari,
    ).order_by("tanggal", "id")


def masalah_tanggal_rekomendasi(usulan_list, tanggal: date) -> list[str]:
    """An SK cannot be dated before the rekomendasi it rests on (the fresh-eye walk of issue 17
    found letters dated before the one they rest on). One reason per rekomendasi, naming it and
    its date."""
    rekomendasi = _rekomendasi_sesudah(usulan_list, tanggal)
    return [
        _(
            "Tanggal SK %(d)s mendahului rekomendasi %(n)s tanggal %(t)s yang menjadi dasarnya: SK paling awal "
            "bertanggal %(t)s."
        )
        % {"d": tgl(tanggal), "n": r.nomor, "t": tgl(r.tanggal)}
        for r in rekomendasi
    ]


def masalah_tmt_rekomendasi(usulan_list, tmt: date) -> list[str]:
    """An appointment cannot take effect before the rekomendasi it rests on was issued (seed 004:
    the PPK appoints "berdasarkan rekomendasi"; fresh-eye walk of issue 13: a TMT six months before
    the SK and the rekomendasi went through without a word). One reason per rekomendasi, naming it
    and its date."""
    rekomendasi = _rekomendasi_sesudah(usulan_list, tmt)
    return [
        _(
            "TMT %(d)s mendahului rekomendasi %(n)s tanggal %(t)s yang menjadi dasar pengangkatan: TMT paling awal "
            "%(t)s."
        )
        % {"d": tgl(tmt), "n": r.nomor, "t": tgl(r.tanggal)}
        for r in rekomendasi
    ]


def peringatan_tmt_surut(tanggal: date, tmt: date) -> str:
    """What a TMT before the SK's own date implies, said before the PPK issues it (not refused:
    an appointment may take effect on an earlier day once the rekomendasi is issued)."""
    if tmt >= tanggal:
        return ""
    return _(
        "TMT %(tmt)s mendahului tanggal SK %(sk)s (berlaku surut %(n)d hari): pegawai dianggap menjabat dan "
        "berhak atas tunjangan jabatan fungsional sejak %(tmt)s, sehingga tunjangan sejak tanggal itu dibayarkan "
        "(dirapel) dan masa jabatannya dihitung dari tanggal itu. Pastikan TMT ini memang dikehendaki."
    ) % {"tmt": tgl(tmt), "sk": tgl(tanggal), "n": (tanggal - tmt).days}


def masalah_pak_unggah_ulang(usulan_list, *, untuk: str) -> list[str]:
    """The AK of these usulan was recounted after the PAK signed by the atasan langsung was attached
    (``Usulan.pak_unggah_ulang_sejak``): that PAK states the old value, so neither the rekomendasi
    nor the SK (whose KETIGA cites it) may list the new one until the PIC uploads a new PAK. One
    reason per usulan, naming the pegawai, the new AK and who uploads it. ``untuk``: "Rekomendasi"
    or "SK"."""
    problems = []
    for u in sorted(
        (u for u in usulan_list if u.pak_unggah_ulang_sejak is not None), key=lambda u: (u.pegawai_nama, u.pk)
    ):
        problems.append(
            _(
                "%(untuk)s belum dapat diterbitkan untuk %(nama)s (%(nomor)s): AK dihitung ulang menjadi %(ak)s "
                "pada %(sejak)s setelah baris tabel angka kredit diubah, sedangkan PAK yang ditandatangani atasan "
                "langsung dan diunggah bersama usulan masih memuat nilai lama. PIC instansi %(instansi)s perlu "
                "mengunggah ulang PAK dengan AK baru %(ak)s di halaman usulan."
            )
            % {
                "untuk": untuk,
                "nama": u.pegawai_nama,
                "nomor": u.nomor,
                "ak": format_ak(u.ak_awal),
                "sejak": waktu(u.pak_unggah_ulang_sejak),
                "instansi": u.instansi.nama,
            }
        )
    return problems


def ak_beda_rekomendasi(usulan_list) -> list[tuple[Usulan, Surat, object]]:
    """The usulan among these whose AK table row changed after their rekomendasi was issued, so that
    the table now gives another AK awal than the letter states (``Usulan.ak_beda_rekomendasi``):
    ``(usulan, rekomendasi, AK menurut tabel)``, by name. Two queries however many usulan."""
    from apps.pengusulan.selectors import AK_RELATED

    ids = usulan_list.values("pk") if isinstance(usulan_list, QuerySet) else [u.pk for u in usulan_list]
    rows = list(
        Usulan.objects.filter(pk__in=ids, status=Status.DIREKOMENDASIKAN)
        .exclude(jenis=Jenis.KENAIKAN_JENJANG)
        .exclude(surat_baris__jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF])
        .select_related("instansi", "jf__instansi_pembina", *AK_RELATED)
        .order_by("pegawai_nama", "id")
    )
    beda = [u for u in rows if u.ak_beda_rekomendasi is not None]
    if not beda:
        return []
    surat = {
        r.usulan_id: r.surat
        for r in SuratUsulan.objects.filter(
            usulan__in=beda, jenis=JenisSurat.REKOMENDASI, direkomendasikan=True
        ).select_related("surat")
    }
    return [(u, surat[u.pk], u.ak_beda_rekomendasi) for u in beda if u.pk in surat]


def masalah_ak_rekomendasi(usulan_list, *, untuk: str) -> list[str]:
    """An SK and its PAK state the AK awal of the rekomendasi they cite (issue 13: the letters never
    disagree). Where a row of the AK table changed after the rekomendasi, the usulan kept the
    letter's AK; the SK is refused until the admin pembina corrects the rekomendasi (a new version
    takes the table's value) or sets the row back. One reason per usulan, naming both values and
    who corrects it. ``untuk``: "SK" or "SK dan PAK"."""
    problems = []
    admin_per_jf: dict[int, list[str]] = {}
    for u, rekomendasi, baru in ak_beda_rekomendasi(usulan_list):
        if u.jf_id not in admin_per_jf:
            admin_per_jf[u.jf_id] = selectors.admin_pembina_jf(u.jf)
        admins = admin_per_jf[u.jf_id]
        siapa = _("admin pembina %(i)s") % {"i": u.jf.instansi_pembina.nama} + (
            f" ({', '.join(admins)})" if admins else ""
        )
        problems.append(
            _(
                "%(untuk)s belum dapat diterbitkan untuk %(nama)s (%(nomor)s): rekomendasi %(rek)s mencantumkan "
                "AK awal %(lama)s, sedangkan tabel angka kredit kini memberi %(baru)s karena barisnya diubah "
                "setelah rekomendasi terbit. SK dan PAK harus memuat AK yang sama dengan rekomendasi yang "
                "menjadi dasarnya. %(siapa)s perlu memperbaiki rekomendasi %(rek)s (halaman surat itu, «Perbaiki "
                "surat») agar memuat AK awal %(baru)s dan menandatanganinya kembali, atau mengembalikan baris "
                "tabel angka kredit ke nilai semula bila perubahan itu keliru."
            )
            % {
                "untuk": untuk, "nama": u.pegawai_nama, "nomor": u.nomor, "rek": rekomendasi.nomor,
                "lama": format_ak(u.ak_awal), "baru": format_ak(baru), "siapa": siapa[:1].upper() + siapa[1:],
            }
        )  # fmt: skip
    return problems


def seleksi_belum_berita_acara(usulan_list) -> list[Usulan]:
    """The usulan among these whose seleksi administrasi decision is not yet recorded in a berita
    acara seleksi: a rekomendasi is refused for them (:func:`masalah_seleksi_berita_acara`); the
    rekomendasi page and the verifier's inbox say so before anyone tries."""
    from apps.verifikasi.models import Pemeriksaan

    ids = set(
        Pemeriksaan.objects.filter(
            usulan__in=[u.pk for u in usulan_list], diputuskan_at__isnull=False, berita_acara__isnull=True
        )
        .exclude(keputusan="")
        .values_list("usulan_id", flat=True)
    )
    return [u for u in usulan_list if u.pk in ids]


def masalah_seleksi_berita_acara(usulan_list) -> list[str]:
    """A rekomendasi rests on the result of the seleksi administrasi as well as on the sidang's:
    refused while the seleksi decision of any of these usulan is not recorded in a berita acara
    seleksi administrasi (domain.md §9 lists it among the letters of the inpassing). One reason
    naming every pegawai concerned and what to do."""
    belum = sorted(seleksi_belum_berita_acara(usulan_list), key=lambda u: (u.pegawai_nama, u.pk))
    if not belum:
        return []
    return [
        _(
            "Rekomendasi belum dapat diterbitkan: hasil seleksi administrasi %(p)s belum dituangkan dalam berita "
            "acara seleksi administrasi. Verifikator atau admin pembina menerbitkannya lebih dahulu: Kotak masuk → "
            "Berita acara seleksi (satu berita acara untuk semua keputusan yang belum tercatat); "
            "sesudah itu rekomendasi dapat diterbitkan dengan tanggal yang sama atau sesudahnya."
        )
        % {"p": ", ".join(f"{u.pegawai_nama} ({u.nomor})" for u in belum)}
    ]


def berita_acara_dasar(usulan_list) -> list[tuple[Surat, list[Usulan]]]:
    """The berita acara a rekomendasi for these usulan rests on, each with the usulan it records:
    the latest berita acara of the sidang listing each usulan, and every berita acara seleksi
    administrasi recording a decided round of it. Ordered by date, latest last."""
    from apps.verifikasi.models import Pemeriksaan

    ids = [u.pk for u in usulan_list]
    per_surat: dict[int, set[int]] = {}
    sidang: dict[int, int] = {}
    for usulan_id, surat_id in (
        SuratUsulan.objects.filter(usulan__in=ids, jenis=JenisSurat.BERITA_ACARA)
        .order_by("usulan_id", "surat_id")
        .values_list("usulan_id", "surat_id")
    ):
        sidang[usulan_id] = surat_id
    for usulan_id, surat_id in sidang.items():
        per_surat.setdefault(surat_id, set()).add(usulan_id)
    for usulan_id, surat_id in Pemeriksaan.objects.filter(usulan__in=ids, berita_acara__isnull=False).values_list(
        "usulan_id", "berita_acara_id"
    ):
        per_surat.setdefault(surat_id, set()).add(usulan_id)
    by_id = {u.pk: u for u in usulan_list}
    surat_list = Surat.objects.filter(pk__in=per_surat).order_by("tanggal", "id")
    return [(s, sorted((by_id[i] for i in per_surat[s.pk]), key=lambda u: (u.pegawai_nama, u.pk))) for s in surat_list]


def tanggal_rekomendasi_paling_awal(usulan_list) -> date | None:
    """The earliest date a rekomendasi for these usulan may bear: that of the latest berita acara
    it rests on (None: none issued yet)."""
    dasar = berita_acara_dasar(usulan_list)
    return max((s.tanggal for s, _u in dasar), default=None)


def masalah_tanggal_berita_acara(usulan_list, tanggal: date) -> list[str]:
    """A rekomendasi cannot be dated before a berita acara it rests on (the sidang's, the seleksi
    administrasi's): one reason per such berita acara, naming it, its date and the pegawai."""
    return [
        _(
            "Tanggal rekomendasi %(d)s mendahului %(jenis)s %(n)s tanggal %(t)s yang menjadi dasarnya (%(p)s): "
            "rekomendasi paling awal bertanggal %(t)s."
        )
        % {
            "d": tgl(tanggal),
            "jenis": surat.label_jenis().lower(),
            "n": surat.nomor,
            "t": tgl(surat.tanggal),
            "p": ", ".join(u.pegawai_nama for u in usulan),
        }
        for surat, usulan in berita_acara_dasar(usulan_list)
        if surat.tanggal > tanggal
    ]


def masalah_rekomendasi_ttd(usulan_list) -> list[str]:
    """An SK rests on the rekomendasi (seed 004: the PPK appoints "berdasarkan rekomendasi"):
    refused while the rekomendasi of any of these usulan is not signed."""
    rows = (
        SuratUsulan.objects.filter(
            usulan__in=[u.pk for u in usulan_list], jenis=JenisSurat.REKOMENDASI, direkomendasikan=True
        )
        .order_by("surat_id")
        .values_list("usulan_id", "surat_id")
    )
    per_surat: dict[int, list[int]] = {}
    for usulan_id, surat_id in rows:
        per_surat.setdefault(surat_id, []).append(usulan_id)
    surat_list = list(Surat.objects.filter(pk__in=per_surat).select_related("penerbit").order_by("id"))
    nama = {u.pk: u.pegawai_nama for u in usulan_list}
    problems = []
    for surat, belum in _belum_ditandatangani(surat_list):
        untuk = _("SK untuk %(p)s") % {"p": ", ".join(sorted(nama[uid] for uid in per_surat[surat.pk]))}
        siapa = _("admin pembina %(i)s") % {"i": surat.penerbit.nama}
        problems.append(_pesan_belum_ttd(surat, belum, untuk=untuk, siapa_unggah=siapa))
    return problems


def masalah_tanggal(tanggal: date, tmt: date | None = None) -> list[str]:
    """Every reason a letter's date (and an SK's TMT) is refused; the forms show them on the
    field, with their other errors."""
    today = timezone.localdate()
    problems = []
    if tanggal > today + timedelta(days=31):
        problems.append(_("Tanggal surat paling lambat sebulan setelah hari ini (%(d)s).") % {"d": tgl(today)})
    elif tanggal.year < today.year - 1:
        problems.append(_("Tanggal surat terlalu jauh di masa lalu."))
    if tmt is not None and abs((tmt - tanggal).days) > 366:
        problems.append(_("TMT terlalu jauh dari tanggal SK (lebih dari satu tahun)."))
    return problems


def _cek_tanggal(tanggal: date, tmt: date | None = None) -> None:
    problems = masalah_tanggal(tanggal, tmt)
    if problems:
        raise SuratError(problems)


#: The letters the PPK signs for the instansi: their signer's office is named with the instansi.
JENIS_KANTOR = (JenisSurat.SK, JenisSurat.SK_KOLEKTIF, JenisSurat.PAK)


def penandatangan_kantor(jenis: str, penandatangan: tuple, instansi_nama: str) -> tuple:
    """(nama, jabatan, nip) as an SK or its PAK prints them: one office named with its instansi in
    the heading, the opening line and the signer block (``isi.jabatan_kantor``), the same when the
    letter is issued and when it is corrected with a signer ("Sekretaris Daerah" of Pemerintah
    Provinsi Jawa Barat is "Sekretaris Daerah Provinsi Jawa Barat" on both). Other letters: as typed."""
    if jenis not in JENIS_KANTOR:
        return tuple(penandatangan)
    nama, jabatan, *rest = penandatangan
    return (nama, isi_mod.jabatan_kantor(jabatan, instansi_nama), *rest)


def _check_penandatangan(penandatangan, *, penerbit_id: int, jenis=()) -> None:
    """The typed signer: name and jabatan given, a valid NIP printed as its certificate names it,
    and (``jenis``: the letter types the new letters take) not a registered official whose account
    gives a paraf in the chain those letters would wait on (:func:`_cek_penanda_alur`)."""
    nama, jabatan, nip = penandatangan
    if not (nama or "").strip() or not (jabatan or "").strip():
        raise SuratError(_("Isi nama dan jabatan pejabat penanda tangan."))
    if (nip or "").strip():
        try:
            rules.parse_nip(nip)
        except rules.NipError as exc:
            raise SuratError(_("NIP penanda tangan: %(e)s") % {"e": exc}) from None
        from apps.ttd.services import nama_penanda_beda  # the printed name is the certificate's

        if beda := nama_penanda_beda(penerbit_id=penerbit_id, nama=nama, nip=nip.strip()):
            raise SuratError({"penandatangan_nama": beda})
        for j in jenis:
            _cek_penanda_alur(jenis=j, penerbit_id=penerbit_id, nip=nip)


def _cek_penanda_alur(
    *, jenis: str, penerbit_id: int, nip: str, surat: Surat | None = None, bidang="penandatangan_nama"
):
    """Refuse a signer who also stands in the paraf chain the new version would take: the version
    would wait forever for a paraf its signer may not give (apps.ttd.services)."""
    from apps.ttd.services import penanda_di_alur_baru

    if di_alur := penanda_di_alur_baru(jenis=jenis, penerbit_id=penerbit_id, nip=nip, surat=surat):
        raise SuratError({bidang: di_alur})


# --------------------------------------------------------------------------- berita acara


def berita_acara_terbitkan(*, actor, berita, ip_address=None) -> Surat:
    """The berita acara of a decided sidang (called by ``putuskan_sidang`` in its transaction)."""
    sidang = berita.sidang
    jf = sidang.tim.jf
    penerbit = jf.instansi_pembina
    surat = _create(
        jenis=JenisSurat.BERITA_ACARA, penerbit=penerbit, instansi_id=penerbit.pk, jf=jf,
        tanggal=timezone.localdate(), perihal=f"Berita Acara Sidang {sidang.tim.nama}", actor=actor,
        penandatangan=(str(actor), f"Ketua {sidang.tim.nama}", actor.nip or ""), sidang=sidang,
    )  # fmt: skip
    rows = list(sidang.usulan.select_related("usulan").order_by("id"))
    _baris(surat, [r.usulan for r in rows])
    _versi(surat, isi_mod.berita_acara(surat, berita), actor=actor)
    audit.record(
        "surat.diterbitkan", actor=actor, instansi=penerbit.pk, jf=jf.pk, obj=surat, ip_address=ip_address,
        message=_("Berita acara %(n)s diterbitkan.") % {"n": surat.nomor},
    )  # fmt: skip
    return surat


def berita_acara_seleksi_terbitkan(
    *, actor, jf, usulan_list: list[Usulan], hasil: list[dict], verifikator: list[dict], ip_address=None
) -> Surat:
    """The berita acara of a concluded round of seleksi administrasi (called by
    ``apps.verifikasi.services.berita_acara_seleksi_terbitkan`` in its transaction, which has
    checked the actor and chosen the decided rounds): numbered in the pembina's berita acara series,
    rendered by the worker, verifiable by its code, and signed by every verifier who decided a round
    in it. ``hasil``: one row per decision; ``verifikator``: ``{"nama", "nip", "user_id"}``."""
    penerbit = jf.instansi_pembina
    tanggal = timezone.localdate()
    # named after the kinds of usulan it records: a kenaikan jenjang is not an inpassing
    prosedur = isi_mod.prosedur(u.jenis for u in usulan_list)["perihal"]
    surat = _create(
        jenis=JenisSurat.BERITA_ACARA_SELEKSI, penerbit=penerbit, instansi_id=penerbit.pk, jf=jf, tanggal=tanggal,
        perihal=f"Berita Acara Seleksi Administrasi {prosedur} Jabatan Fungsional {jf.nama}"[:250], actor=actor,
        penandatangan=(str(actor), "Verifikator Tim Seleksi Administrasi", actor.nip or ""),
    )  # fmt: skip
    urut = list(dict.fromkeys(usulan_list))  # an usulan decided in two rounds is listed once as a row
    _baris(surat, urut)
    _versi(surat, isi_mod.berita_acara_seleksi(surat, hasil=hasil, verifikator=verifikator), actor=actor)
    audit.record(
        "surat.diterbitkan", actor=actor, instansi=penerbit.pk, jf=jf.pk, obj=surat, ip_address=ip_address,
        message=_("Berita acara seleksi administrasi %(n)s diterbitkan (%(c)d keputusan).")
        % {"n": surat.nomor, "c": len(hasil)},
    )  # fmt: skip
    return surat


# --------------------------------------------------------------------------- rekomendasi


def _alasan(usulan: Usulan) -> str:
    if usulan.status == Status.TIDAK_LULUS:
        row = usulan.sidang.exclude(alasan="").order_by("-id").first()
        return row.alasan if row else ""
    p = usulan.pemeriksaan.exclude(catatan="").order_by("-putaran").first()
    return p.catatan if p else ""


def _perihal_rekomendasi(jf, jenis: str, *, ada_lulus: bool = True) -> str:
    if not ada_lulus:  # a letter recommending no one: the result of the usulan
        if jenis == Jenis.KENAIKAN_JENJANG:
            return f"Hasil Usulan Kenaikan Jenjang Jabatan Fungsional {jf.nama}"
        return f"Hasil Usulan Pengangkatan dalam Jabatan Fungsional {jf.nama} melalui Penyesuaian"
    if jenis == Jenis.KENAIKAN_JENJANG:
        return f"Rekomendasi Kenaikan Jenjang Jabatan Fungsional {jf.nama}"
    return f"Rekomendasi Pengangkatan dalam Jabatan Fungsional {jf.nama} melalui Penyesuaian"


def jenis_rekomendasi(jf, instansi_id: int) -> list[str]:
    """The kinds of usulan (penyesuaian first) with a decided usulan of the instansi (lulus, tidak
    lulus, tidak memenuhi syarat) not yet in a rekomendasi letter: each kind gets its own letter (an
    inpassing and a kenaikan jenjang are worded, listed and cited differently), also when no one of
    that kind passed (the instansi is told in writing who does not meet the requirements and why)."""
    ada = set(selectors.siap_rekomendasi([jf.pk], instansi_id).values_list("jenis", flat=True))
    return [j.value for j in Jenis if j.value in ada]


def _tidak_ada_diputuskan() -> str:
    """The refusal when an instansi has no decided usulan left to put in a letter."""
    return _("Tidak ada usulan lulus atau tidak lulus yang belum tercantum dalam surat rekomendasi untuk instansi ini.")


@transaction.atomic
def rekomendasi_terbitkan(
    *,
    actor,
    jf,
    instansi_id: int,
    tanggal: date,
    penandatangan: tuple,
    jenis: str | None = None,
    batch=None,
    ip_address=None,
) -> Surat:
    """One rekomendasi letter for an instansi and one kind of usulan (``jenis``; None: the only
    kind waiting, refused when both wait): its lulus usulan become direkomendasikan; the others of
    that kind decided since the last letter are listed as not (yet) eligible with their reasons."""
    wajib_peran(actor, "rekomendasikan")
    if jf.instansi_pembina_id != actor.instansi.pk:
        raise PermissionDenied
    _check_penandatangan(penandatangan, penerbit_id=jf.instansi_pembina_id, jenis=(JenisSurat.REKOMENDASI,))
    _cek_tanggal(tanggal)
    _advisory_lock("rekomendasi", instansi_id, jf.pk)
    rows = list(
        selectors.siap_rekomendasi([jf.pk], instansi_id)
        .select_related("jenjang", "instansi", "jf", "pejabat__jenjang")
        .order_by("pegawai_nama", "id")
    )
    if jenis is None:
        kinds = {u.jenis for u in rows}
        if len(kinds) > 1:
            raise SuratError(
                _("Usulan penyesuaian dan kenaikan jenjang direkomendasikan dengan surat terpisah: pilih jenisnya.")
            )
        jenis = kinds.pop() if kinds else Jenis.PENYESUAIAN
    rows = [u for u in rows if u.jenis == jenis]
    lulus = [u for u in rows if u.status == Status.LULUS]
    if not rows:
        raise SuratError(_tidak_ada_diputuskan())
    # No one passed: the letter still tells the instansi, in writing, who does not meet the
    # requirements and why (fresh-eye walk of issue 13); the checks below concern the lulus only.
    if belum_ttd := masalah_berita_acara(lulus):
        raise SuratError(belum_ttd)
    if dasar := masalah_seleksi_berita_acara(lulus) + masalah_tanggal_berita_acara(lulus, tanggal):
        raise SuratError(dasar)
    if pak_usang := masalah_pak_unggah_ulang(lulus, untuk=_("Rekomendasi")):
        raise SuratError(pak_usang)
    ak_cek_terverifikasi(lulus, jf)
    cek_usia_pada(lulus, tanggal, saat=_("tanggal rekomendasi %(d)s") % {"d": tgl(tanggal)})
    tidak = [(u, _alasan(u)) for u in rows if u.status != Status.LULUS]
    diusulkan = (
        Usulan.objects.filter(jf=jf, instansi_id=instansi_id, jenis=jenis, diajukan_at__isnull=False)
        .exclude(status=Status.DIBATALKAN)
        .count()
    )
    instansi = rows[0].instansi
    surat = _create(
        jenis=JenisSurat.REKOMENDASI, penerbit=jf.instansi_pembina, instansi_id=instansi_id, jf=jf, tanggal=tanggal,
        perihal=_perihal_rekomendasi(jf, jenis, ada_lulus=bool(lulus)), actor=actor, penandatangan=penandatangan,
        kenaikan_jenjang=jenis == Jenis.KENAIKAN_JENJANG,
    )  # fmt: skip
    _baris(surat, lulus)
    _baris_tidak = [u for u, _a in tidak]
    SuratUsulan.objects.bulk_create(
        SuratUsulan(
            surat=surat, usulan=u, instansi_id=u.instansi_id, jf_id=u.jf_id, jenis=surat.jenis,
            urutan=len(lulus) + i, direkomendasikan=False,
        )
        for i, u in enumerate(_baris_tidak, start=1)
    )  # fmt: skip
    for u in lulus:
        pindahkan(
            usulan=kunci_usulan(u), action="rekomendasikan", actor=actor, ip_address=ip_address,
            konteks={"surat": surat.nomor}, data={"surat": surat.pk},
        )  # fmt: skip
    _versi(
        surat,
        isi_mod.rekomendasi(surat, direkomendasikan=lulus, tidak=tidak, diusulkan=diusulkan),
        actor=actor,
        batch=batch,
    )
    audit.record(
        "surat.diterbitkan", actor=actor, instansi=instansi_id, jf=jf.pk, obj=surat, ip_address=ip_address,
        message=_("Rekomendasi %(n)s untuk %(i)s diterbitkan.") % {"n": surat.nomor, "i": instansi.nama},
    )  # fmt: skip
    return surat


@transaction.atomic
def rekomendasi_periksa(*, jf, instansi_ids: list[int], tanggal: date | None) -> list[str]:
    """Every reason the dossiers of these instansi refuse a rekomendasi (none chosen, none lulus,
    a berita acara unsigned, missing or dated after ``tanggal``, an AK awal on unverified rows, past
    the age limit on ``tanggal``), for all of them at once. The
    form shows them with its own errors; :func:`rekomendasi_terbitkan_massal` refuses with them."""
    if not instansi_ids:
        return [_("Pilih paling sedikit satu instansi.")]
    problems: list[str] = []
    for instansi_id in sorted(set(instansi_ids)):
        semua = list(
            selectors.siap_rekomendasi([jf.pk], instansi_id)
            .select_related("jenjang", "instansi", "jf")
            .order_by("pegawai_nama", "id")
        )
        if not semua:
            problems.append(_tidak_ada_diputuskan())
            continue
        lulus = [u for u in semua if u.status == Status.LULUS]
        if not lulus:  # a letter telling who does not meet the requirements: nothing of the lulus to check
            continue
        problems += masalah_berita_acara(lulus)
        problems += masalah_seleksi_berita_acara(lulus)
        if tanggal is not None:
            problems += masalah_tanggal_berita_acara(lulus, tanggal)
        problems += masalah_pak_unggah_ulang(lulus, untuk=_("Rekomendasi"))
        try:
            ak_cek_terverifikasi(lulus, jf)
        except ValidationError as exc:
            problems += exc.messages
        if tanggal is not None:
            try:
                cek_usia_pada(lulus, tanggal, saat=_("tanggal rekomendasi %(d)s") % {"d": tgl(tanggal)})
            except ValidationError as exc:
                problems += exc.messages
    return list(dict.fromkeys(problems))


def rekomendasi_terbitkan_massal(
    *, actor, jf, instansi_ids: list[int], tanggal: date, penandatangan: tuple, ip_address=None
) -> uuid.UUID:
    """A rekomendasi for each instansi in one go; the returned batch id tracks rendering progress.
    Refused with every reason at once: the signer, the date and each instansi's dossiers."""
    wajib_peran(actor, "rekomendasikan")
    if actor.instansi is None or jf.instansi_pembina_id != actor.instansi.pk:
        raise PermissionDenied
    problems = []
    try:
        _check_penandatangan(penandatangan, penerbit_id=jf.instansi_pembina_id, jenis=(JenisSurat.REKOMENDASI,))
    except ValidationError as exc:
        problems += exc.messages
    problems += masalah_tanggal(tanggal)
    problems += rekomendasi_periksa(jf=jf, instansi_ids=instansi_ids, tanggal=tanggal)
    if problems:
        raise SuratError(problems)
    batch = uuid.uuid4()
    for instansi_id in sorted(set(instansi_ids)):
        for jenis in jenis_rekomendasi(jf, instansi_id):  # one letter per kind of usulan
            rekomendasi_terbitkan(
                actor=actor, jf=jf, instansi_id=instansi_id, tanggal=tanggal, penandatangan=penandatangan,
                jenis=jenis, batch=batch, ip_address=ip_address,
            )  # fmt: skip
    return batch


# --------------------------------------------------------------------------- letters of other apps


def surat_terbitkan(
    *, jenis, penerbit, instansi_id: int, jf, tanggal: date, perihal: str, actor, penandatangan: tuple, isi_untuk,
    pejabat=None, instansi_penilai=None,
) -> Surat:  # fmt: skip
    """Issue a letter that lists no inpassing usulan (the PAK and HAPAK of ``apps.penetapan``):
    its number from the issuer's series in the caller's transaction, version 1 from
    ``isi_untuk(surat)`` (the content snapshot), rendered by the worker through the outbox.
    ``instansi_id`` is the tenant it concerns (the holder's instansi) and ``pejabat`` the holder
    (who may read it), ``instansi_penilai`` the instansi of the Tim Penilai AK issuing it (its
    team and sekretariat read it: ``selectors.surat_untuk``); the caller checks who may issue it.
    Written across tenants: the issuing team may be another instansi's."""
    from apps.core import tenancy

    if not connection.in_atomic_block:
        raise RuntimeError("surat_terbitkan() must run inside the caller's transaction")
    _check_penandatangan(penandatangan, penerbit_id=penerbit.pk, jenis=(jenis,))
    with tenancy.all_tenants(reason="a Tim Penilai's letter is filed under the holder's instansi"):
        surat = _create(
            jenis=jenis, penerbit=penerbit, instansi_id=instansi_id, jf=jf, tanggal=tanggal, perihal=perihal[:250],
            actor=actor, penandatangan=penandatangan, pejabat=pejabat, instansi_penilai=instansi_penilai,
        )  # fmt: skip
        _versi(surat, isi_untuk(surat), actor=actor)
    return surat


# --------------------------------------------------------------------------- SK and PAK


def isi_belum_terverifikasi(jf, *, dengan_pak: bool) -> list[str]:
    """What the SK (and, ``dengan_pak``, the PAK issued with it) of ``jf`` prints that no source
    confirms: a regulation of its "mengingat" marked V2/U, and a PAK tembusan list whose source
    says "belum terverifikasi". The letters print them without a mark; the PPK is told before
    issuing and the SK's audit entry keeps the list."""
    from apps.core.sumber import kutipan

    butir = [
        _("Konsiderans Mengingat SK mencantumkan %(p)s — belum terverifikasi (%(s)s).")
        % {"p": p["teks"], "s": kutipan(p["sumber"]) or _("tanpa sumber")}
        for p in jf.peraturan_belum_terverifikasi
    ]
    if dengan_pak and jf.tembusan_pak_belum_terverifikasi:
        butir.append(
            _("Tembusan PAK (%(n)d baris) belum terverifikasi (%(s)s).")
            % {"n": len(jf.tembusan_pak_untuk("")), "s": kutipan(jf.sumber_tembusan_pak) or _("tanpa sumber")}
        )
    return butir


def _rekomendasi_of(usulan: Usulan) -> Surat:
    row = (
        SuratUsulan.objects.filter(usulan=usulan, jenis=JenisSurat.REKOMENDASI, direkomendasikan=True)
        .select_related("surat", "surat__penerbit")
        .first()
    )
    if row is None:
        raise SuratError(_("Usulan %(n)s belum memiliki surat rekomendasi.") % {"n": usulan.nomor})
    return row.surat


def _cek_nip_aktif(usulan_list) -> None:
    """An SK penyesuaian opens the holder's record at "SK terbit"; a NIP already an active
    pejabat fungsional in another instansi or JF cannot get a second one (apps.jabatan: one NIP,
    one active record). Refused here, before the SK is numbered, rather than when its signed copy
    is uploaded. A kenaikan jenjang moves the existing record: not checked."""
    from apps.jabatan.services import nip_aktif_di_tempat_lain, pesan_nip_aktif

    pesan = [
        _("%(nama)s: %(alasan)s") % {"nama": u.pegawai_nama, "alasan": pesan_nip_aktif(u.pegawai_nip)}
        for u in usulan_list
        if not u.kenaikan_jenjang
        and nip_aktif_di_tempat_lain({u.pegawai_nip}, instansi_id=u.instansi_id, jf_id=u.jf_id)
    ]
    if pesan:
        raise SuratError(pesan)


@transaction.atomic
def sk_terbitkan(
    *, actor, usulan_ids: list[int], tanggal: date, tmt: date, penandatangan: tuple, kolektif: bool = False,
    ditetapkan_di: str = "", ip_address=None,
) -> list[Surat]:  # fmt: skip
    """The PPK issues the SK (one per pegawai, or one collective SK) and a PAK per pegawai, from
    the recommended data. The usulan reach "SK terbit" when the signed copy is uploaded."""
    wajib_peran(actor, "terbitkan_sk")  # the SK leads to that move once its signed copy is uploaded
    instansi = actor.instansi
    sk_jenis = JenisSurat.SK_KOLEKTIF if kolektif else JenisSurat.SK
    _check_penandatangan(penandatangan, penerbit_id=instansi.pk, jenis=(sk_jenis, JenisSurat.PAK))
    penandatangan = penandatangan_kantor(JenisSurat.SK, penandatangan, instansi.nama)
    if not usulan_ids:
        raise SuratError(_("Pilih paling sedikit satu usulan."))
    _cek_tanggal(tanggal, tmt)
    ditetapkan_di = (ditetapkan_di or instansi.kota or "").strip()
    if not ditetapkan_di:
        raise SuratError(
            {
                "ditetapkan_di": _(
                    'Kota kedudukan %(i)s belum diisi, padahal SK mencantumkan "Ditetapkan di <kota>". Isi kolom '
                    '"Ditetapkan di (kota)" untuk SK ini, atau isi "Kota kedudukan" di menu Surat → Pengaturan '
                    "surat agar dipakai setiap SK berikutnya."
                )
                % {"i": instansi.nama}
            }
        )
    usulan_list = []
    for pk in sorted(set(usulan_ids)):
        usulan = Usulan.objects.filter(pk=pk, instansi=instansi).first()
        if usulan is None:
            raise SuratError(_("Usulan tidak ditemukan."))
        usulan = kunci_usulan(usulan)
        if usulan.status != Status.DIREKOMENDASIKAN:
            raise SuratError(_("Usulan %(n)s belum direkomendasikan.") % {"n": usulan.nomor})
        if SuratUsulan.objects.filter(usulan=usulan, jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF]).exists():
            raise SuratError(_("SK untuk usulan %(n)s sudah diterbitkan.") % {"n": usulan.nomor})
        usulan_list.append(usulan)
    usulan_list = list(
        Usulan.objects.filter(pk__in=[u.pk for u in usulan_list])
        .select_related("jenjang", "jf", "pejabat__jenjang")
        .order_by("pegawai_nama", "id")
    )
    jfs = {u.jf_id for u in usulan_list}
    if kolektif and len(jfs) > 1:
        raise SuratError(_("SK kolektif hanya untuk satu jabatan fungsional."))
    if kolektif and len({u.jenis for u in usulan_list}) > 1:
        raise SuratError(_("SK kolektif hanya untuk satu jenis usulan: pisahkan penyesuaian dan kenaikan jenjang."))
    if kolektif and len({u.pak_bersama_sk for u in usulan_list}) > 1:
        raise SuratError(
            _(
                "SK kolektif hanya untuk usulan dengan aturan PAK yang sama: sebagian diajukan dengan PAK yang "
                "ditandatangani atasan langsung, sebagian dengan PAK yang diterbitkan bersama SK. Terbitkan SK "
                "terpisah untuk masing-masing kelompok."
            )
        )
    for jf_id in sorted(jfs):
        group = [u for u in usulan_list if u.jf_id == jf_id]
        ak_cek_terverifikasi(group, group[0].jf)
    if belum_ttd := masalah_rekomendasi_ttd(usulan_list):
        raise SuratError(belum_ttd)
    if mendahului := masalah_tanggal_rekomendasi(usulan_list, tanggal):
        raise SuratError(mendahului)
    if tmt_awal := masalah_tmt_rekomendasi(usulan_list, tmt):
        raise SuratError({"tmt": tmt_awal})
    if ak_beda := masalah_ak_rekomendasi(usulan_list, untuk=_("SK dan PAK")):
        raise SuratError(ak_beda)
    if pak_usang := masalah_pak_unggah_ulang(usulan_list, untuk=_("SK")):
        raise SuratError(pak_usang)
    cek_usia_pada(usulan_list, tmt, saat=_("TMT %(d)s") % {"d": tgl(tmt)})
    if masa_kerja := masalah_masa_kerja_tmt(usulan_list, tmt):
        raise SuratError({"tmt": masa_kerja})
    _cek_nip_aktif(usulan_list)
    groups = [usulan_list] if kolektif else [[u] for u in usulan_list]
    issued = []
    for group in groups:
        jf = group[0].jf
        rekomendasi = _rekomendasi_of(group[0])
        jenis = JenisSurat.SK_KOLEKTIF if kolektif else JenisSurat.SK
        naik = group[0].kenaikan_jenjang
        perihal = (
            f"Kenaikan Jenjang Jabatan Fungsional {jf.nama}"
            if naik
            else f"Pengangkatan dalam Jabatan Fungsional {jf.nama} melalui Penyesuaian"
        ) + ("" if kolektif else f" a.n. {group[0].pegawai_nama}")
        # The PAK is issued here only where the JF has the SK's signer sign it; where the atasan langsung
        # signs it (the default, Peraturan BKN 3/2023 technical guide), it was signed before the SK and
        # is in the usulan's documents. A kenaikan jenjang changes no AK: its ledger row comes with
        # "SK terbit" (apps.jabatan). Seed 004: the AK is set first, then the PPK "menuangkan Angka
        # Kredit dalam keputusan pengangkatan": the PAK is numbered before the SK, dated the same day,
        # and the SK cites its number and date.
        paks, pak_ref = [], {}
        # Who signs the PAK is the rule each usulan was submitted under (Usulan.pak_penandatangan),
        # never the JF's setting today: a change since would issue a second PAK (issue 13).
        for usulan in [u for u in group if u.pak_bersama_sk]:
            pak = _create(
                jenis=JenisSurat.PAK, penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=tanggal,
                perihal=f"Penetapan Angka Kredit Penyesuaian a.n. {usulan.pegawai_nama}"[:250], actor=actor,
                penandatangan=penandatangan, tmt=tmt, rekomendasi=rekomendasi,
            )  # fmt: skip
            _baris(pak, [usulan])
            _versi(pak, isi_mod.pak(pak, usulan, ditetapkan_di=ditetapkan_di), actor=actor)
            paks.append(pak)
            pak_ref[usulan.pk] = pak
        surat = _create(
            jenis=jenis, penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=tanggal, perihal=perihal[:250],
            actor=actor, penandatangan=penandatangan, tmt=tmt, rekomendasi=rekomendasi, kenaikan_jenjang=bool(naik),
            # The holder reads their own SK kenaikan jenjang (one SK per holder).
            pejabat_id=group[0].pejabat_id if naik and not kolektif else None,
        )  # fmt: skip
        _baris(surat, group)
        _versi(surat, isi_mod.sk(surat, group, rekomendasi, ditetapkan_di=ditetapkan_di, pak=pak_ref), actor=actor)
        issued.append(surat)
        issued.extend(paks)
        audit.record(
            "surat.diterbitkan", actor=actor, instansi=instansi.pk, jf=jf.pk, obj=surat, ip_address=ip_address,
            message=_("SK %(n)s diterbitkan untuk %(c)d pegawai.") % {"n": surat.nomor, "c": len(group)},
            # Issued after the PPK confirmed the summary that listed these (views._konfirmasi_sk).
            data={"belum_terverifikasi": isi_belum_terverifikasi(jf, dengan_pak=bool(paks))},
        )  # fmt: skip
    return issued


def _sk_usulan(surat: Surat) -> list[Usulan]:
    return list(Usulan.objects.filter(surat_baris__surat=surat).select_related("jenjang", "jf").order_by("id"))


def _berkas_lain_di_portal(sha256: str, actor) -> str | None:
    """What the file already is in the portal, among the stored files the uploader's tenancy
    permits (every model declaring ``berkas_sidik`` other than the letters, checked by
    :func:`salinan_ttd_unik` across issuers): a portfolio or persyaratan document, a formasi /
    peta jabatan / rencana upload, a PAK document. None when it is none of them."""
    from django.apps import apps as django_apps

    from apps.core import tenancy

    scope = tenancy.scope_for_user(actor) if actor is not None else None
    if scope is None:
        return None
    with tenancy.activate(scope):
        for model in django_apps.get_models():
            if model is VersiSurat:
                continue
            for berkas, sidik in getattr(model, "berkas_sidik", {}).items():
                obj = model.objects.filter(**{sidik: sha256}).exclude(**{berkas: ""}).first()
                if obj is not None:
                    keterangan = getattr(obj, "keterangan_berkas", None)
                    return str(keterangan() if callable(keterangan) else model._meta.verbose_name)
    return None


def bukan_pindaian_surat(data: bytes, surat: Surat, *, versi: VersiSurat | None = None) -> None:
    """Refuse a file that is plainly not a copy of this letter: a PDF with a text layer that holds
    neither the letter's number nor any of its verification codes (whitespace is ignored, as text
    extraction breaks lines).

    With ``versi`` (the wet-ink fallback of apps.ttd), the letter's QR code is read back from the
    rendered pages (apps.surat.qr): a QR of another letter, or of another version of this one, is
    refused naming it; a scan without a text layer whose QR cannot be read is refused asking for
    a clearer scan, as nothing else shows which letter it is. A text layer holding the letter's
    number or the version's code proves the letter without a readable QR."""
    import io
    import re

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        teks = "".join((page.extract_text() or "") for page in reader.pages[:20])
    except Exception:  # an unreadable text layer is treated as none (a scan)
        teks = ""
    rapat = re.sub(r"\s+", "", teks).lower()
    ada_teks = bool(re.search(r"[0-9a-z]", rapat))
    kode_versi = dict(surat.versi_set.values_list("kode", "versi"))
    if ada_teks and not any(t and re.sub(r"\s+", "", str(t)).lower() in rapat for t in [surat.nomor, *kode_versi]):
        raise SuratError(
            _("Berkas ini memuat teks, tetapi tidak memuat nomor surat %(n)s maupun kode verifikasinya: bukan salinan "
              "surat ini. Unggah pindaian surat ini setelah ditandatangani.")
            % {"n": surat.nomor}
        )  # fmt: skip
    if versi is None:
        return
    from apps.surat.qr import kode_qr

    kode = kode_qr(data)
    if versi.kode in kode:
        return
    lain = [k for k in kode if k in kode_versi]
    if lain:
        raise SuratError(
            _("Kode QR pada berkas ini milik versi %(v)d surat %(n)s, bukan versi %(w)d yang berlaku: unggah pindaian "
              "versi %(w)d setelah ditandatangani.")
            % {"v": kode_versi[lain[0]], "n": surat.nomor, "w": versi.versi}
        )  # fmt: skip
    if kode:
        apa = _surat_dari_kode(kode[0], surat)
        if apa is None:
            # A code the portal never issued and another instansi's letter are answered alike:
            # the refusal never tells that another instansi's letter exists.
            raise SuratError(
                _("Kode QR pada berkas ini (%(k)s) bukan milik surat %(n)s: berkas ini bukan salinan surat ini. "
                  "Unggah pindaian surat ini setelah ditandatangani.")
                % {"k": kode[0], "n": surat.nomor}
            )  # fmt: skip
        raise SuratError(
            _("Kode QR pada berkas ini milik %(apa)s, bukan surat %(n)s: unggah pindaian surat ini setelah "
              "ditandatangani.")
            % {"apa": apa, "n": surat.nomor}
        )  # fmt: skip
    # No readable QR: a text layer holding the version's code (or, printed on every version, the
    # number with no other version's code) still proves the letter.
    kode_lain = [k for k in kode_versi if k != versi.kode and k.lower() in rapat]
    if ada_teks and versi.kode.lower() not in rapat and kode_lain:
        raise SuratError(
            _("Berkas ini memuat kode verifikasi versi %(v)d surat %(n)s, bukan versi %(w)d yang berlaku: unggah "
              "pindaian versi %(w)d setelah ditandatangani.")
            % {"v": kode_versi[kode_lain[0]], "n": surat.nomor, "w": versi.versi}
        )  # fmt: skip
    if ada_teks:
        return
    raise SuratError(
        _("Kode QR surat tidak terbaca pada pindaian ini, sehingga portal tidak dapat memastikan bahwa berkas ini "
          "salinan surat %(n)s. Pindai ulang seluruh halaman dengan resolusi minimal 200 dpi dan pastikan kode QR "
          "di kaki surat tidak tertutup, terlipat, atau terpotong.")
        % {"n": surat.nomor}
    )  # fmt: skip


def _surat_dari_kode(kode: str, surat: Surat) -> str | None:
    """What a verification code read from an upload belongs to, as the refusal names it: another
    letter of the same instansi, by its number; None for any other code — one the portal never
    issued or another instansi's letter, answered alike so that the refusal does not reveal
    that another instansi's letter exists."""
    from apps.core import tenancy

    with tenancy.all_tenants(reason="a QR read from an upload names the letter it belongs to"):
        lain = VersiSurat.objects.filter(kode=kode).select_related("surat").first()
    if lain is None:
        return None
    if lain.surat.instansi_id == surat.instansi_id:
        return _("surat lain (%(n)s)") % {"n": lain.surat.nomor}
    return None


def salinan_ttd_unik(sha256: str, surat: Surat, *, actor=None) -> None:
    """A signed copy belongs to one letter: the same file cannot be the signed copy of another
    (the public page would vouch for it on both). Checked across every issuer. With ``actor``,
    a file the portal already holds for another purpose within the uploader's tenancy (a
    portfolio document, a formasi upload...) is refused too, naming what it is."""
    from apps.core import tenancy

    apa = _berkas_lain_di_portal(sha256, actor)
    if apa is not None:
        raise SuratError(
            _("Berkas ini sudah tersimpan di portal sebagai %(apa)s, bukan salinan bertanda tangan surat %(n)s. "
              "Unggah pindaian surat ini setelah ditandatangani.")
            % {"apa": apa, "n": surat.nomor}
        )  # fmt: skip

    with tenancy.all_tenants(reason="a signed copy's fingerprint must be unique across letters"):
        lain = (
            VersiSurat.objects.filter(Q(ttd_sha256=sha256) | Q(sha256=sha256))
            .exclude(surat_id=surat.pk)
            .select_related("surat")
            .first()
        )
    if lain is None:
        return
    if lain.surat.instansi_id != surat.instansi_id:
        # Another instansi's letter: refused without saying whose (or that it exists).
        raise SuratError(_("Berkas ini bukan salinan surat %(n)s. Unggah salinan surat ini.") % {"n": surat.nomor})
    nomor = lain.surat.nomor
    if lain.ttd_sha256 == sha256:
        pesan = _("Berkas ini sudah menjadi salinan bertanda tangan surat lain (%(n)s). Unggah salinan surat ini.")
    else:
        pesan = _("Berkas ini adalah PDF surat lain (%(n)s), bukan salinan surat ini. Unggah salinan surat ini.")
    raise SuratError(pesan % {"n": nomor})


@transaction.atomic
def ttd_unggah(*, actor, versi: VersiSurat, upload, ip_address=None) -> VersiSurat:
    """The PPK uploads the signed SK (portfolio upload checks); its usulan reach "SK terbit"."""
    versi = VersiSurat.objects.select_for_update(of=("self",)).select_related("surat", "surat__jf").get(pk=versi.pk)
    surat = versi.surat
    wajib_peran(actor, "terbitkan_sk")
    if surat.penerbit_id != actor.instansi.pk:
        raise PermissionDenied
    if surat.jenis not in (JenisSurat.SK, JenisSurat.SK_KOLEKTIF):
        raise SuratError(_("Salinan bertanda tangan hanya untuk SK pengangkatan."))
    if not versi.terkini:
        raise SuratError(_("Versi ini sudah digantikan; unggah salinan untuk versi terbaru."))
    if not versi.siap:
        raise SuratError(_("SK masih diproses; tunggu sampai dapat diunduh."))
    if versi.ttd_berkas:
        raise SuratError(_("Salinan bertanda tangan versi ini sudah diunggah."))
    checked = check_upload(upload, allowed_extensions=["pdf"], max_bytes=surat.jf.ukuran_berkas_maks)
    salinan_ttd_unik(checked.sha256, surat, actor=actor)
    upload.seek(0)
    bukan_pindaian_surat(upload.read(), surat)
    upload.seek(0)
    versi.ttd_berkas.save(checked.nama_asli, upload, save=False)
    versi.ttd_nama_asli = checked.nama_asli
    versi.ttd_sha256 = checked.sha256
    versi.ttd_ukuran = checked.ukuran
    versi.ttd_oleh = actor
    versi.ttd_at = timezone.now()
    versi.save()
    for usulan in _sk_usulan(surat):
        usulan = kunci_usulan(usulan)
        if usulan.status == Status.DIREKOMENDASIKAN:
            pindahkan(
                usulan=usulan, action="terbitkan_sk", actor=actor, ip_address=ip_address,
                konteks={"surat": surat.nomor}, data={"surat": surat.pk},
            )  # fmt: skip
    audit.record_objek(
        "surat.ttd_diunggah",
        surat,
        actor=actor,
        ip_address=ip_address,
        message=_("Salinan bertanda tangan SK %(n)s diunggah.") % {"n": surat.nomor},
        data={"versi": versi.versi, "sha256": checked.sha256},
    )
    return versi


# --------------------------------------------------------------------------- corrections, retries


@transaction.atomic
def surat_koreksi(*, actor, surat: Surat, alasan: str, perubahan: dict | None = None, ip_address=None) -> VersiSurat:
    """A corrected letter: same number, a new version re-snapshotted from the current data; the
    previous version is kept and marked superseded."""
    surat = Surat.objects.select_for_update(of=("self",)).select_related("penerbit", "jf", "instansi").get(pk=surat.pk)
    if not permissions.dapat_mengelola(actor, surat):
        raise PermissionDenied
    alasan = (alasan or "").strip()
    if not alasan:
        raise SuratError(_("Tuliskan alasan perbaikan surat."))
    if len(alasan) > ALASAN_MAKS:
        raise SuratError(
            _("Alasan perbaikan terlalu panjang (%(n)d karakter); paling banyak %(maks)d karakter.")
            % {"n": len(alasan), "maks": ALASAN_MAKS}
        )
    perubahan = perubahan or {}
    if surat.jenis in (JenisSurat.PAK_AK, JenisSurat.HAPAK):
        # A Tim Penilai AK's letter: who corrects it and its signer follow seed 001 BAB IV E
        # (apps.penetapan.koreksi): a PAK the PYB signed is not changed by the sekretariat, the
        # PYB comes from the registered officials, the HAPAK is always the ketua's.
        from apps.penetapan import koreksi

        if baru := koreksi.penanda_baru(actor, surat, perubahan):
            surat.penandatangan_nama, surat.penandatangan_jabatan, surat.penandatangan_nip = baru
        perubahan = {}
    if "penandatangan" in perubahan:
        _check_penandatangan(perubahan["penandatangan"], penerbit_id=surat.penerbit_id)
        surat.penandatangan_nama, surat.penandatangan_jabatan, surat.penandatangan_nip = penandatangan_kantor(
            surat.jenis, tuple((x or "").strip() for x in perubahan["penandatangan"]), surat.penerbit.nama
        )
    _cek_penanda_alur(
        jenis=surat.jenis, penerbit_id=surat.penerbit_id, nip=surat.penandatangan_nip, surat=surat,
        bidang="pejabat" if surat.jenis in (JenisSurat.PAK_AK, JenisSurat.HAPAK) else "penandatangan_nama",
    )  # fmt: skip
    if perubahan.get("tmt") and surat.jenis != JenisSurat.REKOMENDASI:
        _cek_tanggal(surat.tanggal, perubahan["tmt"])
        baris = list(Usulan.objects.filter(surat_baris__surat=surat).select_related("jf", "jenjang"))
        if tmt_awal := masalah_tmt_rekomendasi(baris, perubahan["tmt"]):
            raise SuratError(tmt_awal)
        cek_usia_pada(baris, perubahan["tmt"], saat=_("TMT %(d)s") % {"d": tgl(perubahan["tmt"])})
        if masa_kerja := masalah_masa_kerja_tmt(baris, perubahan["tmt"]):
            raise SuratError({"tmt": masa_kerja})
        surat.tmt = perubahan["tmt"]
    surat.save()
    if surat.jenis == JenisSurat.REKOMENDASI:
        _rekomendasi_ikuti_tabel(surat, actor=actor, ip_address=ip_address)
    latest = surat.versi_set.order_by("-versi").first()
    isi = _isi_baru(surat, latest)
    versi = _versi(surat, isi, actor=actor, alasan=alasan)
    if surat.jenis in (JenisSurat.PAK_AK, JenisSurat.HAPAK):
        # The usulan states the AK of its corrected letter: both re-read the ledger.
        from apps.penetapan.services import ak_usulan_segarkan

        ak_usulan_segarkan(surat_id=surat.pk, actor=actor)
    if surat.jenis in (JenisSurat.SK, JenisSurat.SK_KOLEKTIF):
        # The holder records "SK terbit" opened follow the facts the correction changed, now: the
        # new version is the one in force (the public page shows it) even before it is signed, and
        # a refusal (movements already rest on the old fact) reaches the PPK here, not at signing.
        from apps.jabatan.services import pejabat_ikuti_koreksi_sk

        pejabat_ikuti_koreksi_sk(
            surat=surat, lama=latest.isi if latest else {}, baru=isi, versi=versi.versi, actor=actor,
            ip_address=ip_address,
        )  # fmt: skip
        # An SK kenaikan jenjang: the holders it moved up follow its corrected jenjang and TMT.
        from apps.jabatan.kenaikan import kenaikan_ikuti_koreksi_sk

        kenaikan_ikuti_koreksi_sk(
            surat=surat, lama=latest.isi if latest else {}, baru=isi, versi=versi.versi, actor=actor,
            ip_address=ip_address,
        )  # fmt: skip
    if surat.jenis in (JenisSurat.SK, JenisSurat.SK_KOLEKTIF) and surat.versi_set.exclude(ttd_berkas="").exists():
        # A signed SK corrected: its usulan stay "SK terbit" and their history says the version
        # in force now awaits its signature (the pages flag it: selectors.koreksi_sk_belum_ttd).
        audit.record_bulk(
            "usulan.sk_dikoreksi", Usulan.objects.filter(surat_baris__surat=surat, status=Status.SK_TERBIT),
            actor=actor, jf=surat.jf_id, ip_address=ip_address,
            message_for=lambda u: _(
                "SK %(n)s dikoreksi (versi %(v)d): versi koreksi menunggu tanda tangan. Status tetap SK terbit."
            ) % {"n": surat.nomor, "v": versi.versi},
            data_for=lambda u: {"surat": surat.pk, "versi": versi.versi},
        )  # fmt: skip
    audit.record_objek(
        "surat.dikoreksi",
        surat,
        actor=actor,
        ip_address=ip_address,
        message=_("Surat %(n)s diperbaiki (versi %(v)d): %(a)s") % {"n": surat.nomor, "v": versi.versi, "a": alasan},
        data={"versi": versi.versi, "alasan": alasan},  # whole (the message is cut at 500 characters)
    )
    return versi


def _rekomendasi_ikuti_tabel(surat: Surat, *, actor, ip_address=None) -> None:
    """A corrected rekomendasi states the AK awal the JF's AK table gives today for each pegawai it
    recommends whose SK is not issued (a row changed since it was issued: ``masalah_ak_rekomendasi``),
    refused like the letter itself while that AK rests on an unverified row."""
    from apps.pengusulan.ak import usulan_ak_ikuti_tabel

    direkomendasikan = list(
        Usulan.objects.filter(surat_baris__surat=surat, surat_baris__direkomendasikan=True).order_by("id")
    )
    beda = [u for u, _s, _b in ak_beda_rekomendasi(direkomendasikan)]
    if not beda:
        return
    ak_cek_terverifikasi(beda, surat.jf)
    usulan_ak_ikuti_tabel(usulan_list=beda, surat=surat, actor=actor, ip_address=ip_address)


def _isi_baru(surat: Surat, latest: VersiSurat | None) -> dict:
    usulan = list(
        Usulan.objects.filter(surat_baris__surat=surat)
        .select_related("jenjang", "pejabat__jenjang")
        .order_by("surat_baris__urutan", "id")
    )
    if surat.jenis == JenisSurat.BERITA_ACARA:
        return isi_mod.berita_acara(surat, surat.sidang.berita_acara)
    if surat.jenis == JenisSurat.BERITA_ACARA_SELEKSI:  # a record of decisions: the same rows, new header
        isi = latest.isi if latest else {}
        return isi_mod.berita_acara_seleksi(surat, hasil=isi.get("hasil", []), verifikator=isi.get("verifikator", []))
    if surat.jenis == JenisSurat.REKOMENDASI:
        flags = dict(SuratUsulan.objects.filter(surat=surat).values_list("usulan_id", "direkomendasikan"))
        old = (latest.isi.get("jumlah") or {}) if latest else {}
        return isi_mod.rekomendasi(
            surat,
            direkomendasikan=[u for u in usulan if flags.get(u.pk)],
            tidak=[(u, _alasan(u)) for u in usulan if not flags.get(u.pk)],
            diusulkan=old.get("diusulkan", len(usulan)),
            sebelumnya=latest.isi if latest else None,
        )
    if surat.jenis in (JenisSurat.PAK_AK, JenisSurat.HAPAK):
        # The snapshot taken at the sidang, with the letter's current head (signer, date) and its
        # AK re-read from the ledger for its masa penilaian (a predikat corrected since).
        from apps.penetapan.koreksi import isi_koreksi

        return isi_koreksi(surat, latest.isi if latest else {})
    if surat.jenis == JenisSurat.PAK:
        isi_mod.tanpa_baris(surat, usulan, butuh_rekomendasi=False)
        return isi_mod.pak(surat, usulan[0], ditetapkan_di=(latest.isi if latest else {}).get("ditetapkan_di", ""))
    return isi_mod.sk(
        surat, usulan, surat.rekomendasi, ditetapkan_di=(latest.isi if latest else {}).get("ditetapkan_di", ""),
        pak=_pak_ref(usulan),
    )  # fmt: skip


def _pak_ref(usulan_list: list[Usulan]) -> dict:
    """usulan id → the PAK issued with its SK (the one in force), for the SK to cite."""
    rows = SuratUsulan.objects.filter(
        usulan__in=usulan_list, jenis=JenisSurat.PAK, surat__jenis=JenisSurat.PAK
    ).select_related("surat")
    return {r.usulan_id: r.surat for r in rows}


@transaction.atomic
def versi_ulangi(*, actor, versi: VersiSurat) -> VersiSurat:
    """Queue a failed rendering again."""
    versi = VersiSurat.objects.select_for_update(of=("self",)).select_related("surat").get(pk=versi.pk)
    if not permissions.dapat_mengelola(actor, versi.surat):
        raise PermissionDenied
    if versi.status != VersiSurat.Status.GAGAL:
        raise SuratError(_("Hanya surat yang gagal dibuat yang dapat diulang."))
    versi.status = VersiSurat.Status.ANTREAN
    versi.galat = ""
    versi.save(update_fields=["status", "galat"])
    outbox.enqueue(RENDER_TASK, queue=QUEUE, versi_id=versi.pk)
    return versi


# --------------------------------------------------------------------------- number formats


@transaction.atomic
def pola_simpan(*, actor, penerbit, seri: str, pola: str) -> PolaNomor:
    if actor.instansi is None or actor.instansi.pk != penerbit.pk or not has_role(actor, Role.PPK, Role.ADMIN_PEMBINA):
        raise PermissionDenied
    pola = validasi_pola(pola)
    obj, _created = PolaNomor.objects.update_or_create(
        penerbit=penerbit, seri=seri, defaults={"pola": pola, "diubah_oleh": actor}
    )
    audit.record(
        "surat.format_nomor", actor=actor, instansi=penerbit.pk, obj=obj,
        message=_("Format nomor %(s)s: %(p)s") % {"s": seri, "p": pola},
    )  # fmt: skip
    return obj
