"""What each letter says: JSON snapshots taken when a letter (or a corrected version) is issued.

The PDF is rendered from the snapshot only, so a re-render after a crash prints the same
content, and a later change to a pegawai's data never alters an issued letter silently (it
takes a corrected version)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from apps.core.format import format_ak, masa_kerja_teks, tgl
from apps.pengusulan.domain import Status
from apps.verifikasi.domain import dihitung_per_usulan

#: Why a member present neither counts for the quorum nor decides on a pegawai (the berita acara
#: sidang's attendance row and its "Tidak ikut memutuskan" line): their pangkat (golongan) is below
#: the assessed pegawai's, which may be within one jenjang (III/c judging III/d). One source for both.
ALASAN_PANGKAT_BAWAH = "pangkat di bawah pangkat yang dinilai"

URUTAN = [
    "KESATU", "KEDUA", "KETIGA", "KEEMPAT", "KELIMA", "KEENAM", "KETUJUH", "KEDELAPAN", "KESEMBILAN", "KESEPULUH",
]  # fmt: skip


def kop(instansi) -> dict:
    """The issuer's letterhead: the kop's lines as written, and nothing more (its last line is
    usually the address); with no kop, the name and, under it, the alamat (fresh-eye report of
    issue 13, L1). The forms say so (apps.core.models.KOP_BANTUAN, ALAMAT_BANTUAN)."""
    lines = [line.strip() for line in (instansi.kop_surat or "").splitlines() if line.strip()]
    return {
        "nama": instansi.nama,
        "kode": instansi.kode,
        "baris": lines or [instansi.nama.upper()],
        "alamat": "" if lines else (instansi.alamat or "").strip(),
    }


def awal_masa_kerja(usulan) -> date | None:
    """The day the usulan's masa kerja in pangkat counts from, read from its snapshot: the TMT
    golongan, or the TMT CPNS for a pelaksana in III/a (PerBKN 3/2023, seed 004) — that case is the
    one whose months at submission the TMT CPNS gives (the snapshot does not keep is_pelaksana)."""
    from apps.referensi.domain import full_months_between

    d = usulan.data_pegawai or {}
    golongan = date.fromisoformat(d["tmt_golongan"]) if d.get("tmt_golongan") else None
    cpns = date.fromisoformat(d["tmt_cpns"]) if d.get("tmt_cpns") else None
    per, bulan = usulan.masa_kerja_per, usulan.masa_kerja_bulan
    if (
        cpns and golongan and per and bulan is not None and d.get("golongan") == "III/a"
        and full_months_between(golongan, per) != bulan and full_months_between(cpns, per) == bulan
    ):  # fmt: skip
        return cpns
    return golongan


def masa_kerja_pada(usulan, tmt: date | None) -> tuple[int | None, int | None, date | None]:
    """Masa kerja in the last pangkat on the appointment's TMT (fresh-eye L3: the PAK counted it to
    the submission day): (years as the penyesuaian table counts them, capped at 4; whole months; the
    day counted to). Without a TMT or a start day, the values computed at submission."""
    from apps.referensi.domain import full_months_between

    awal = awal_masa_kerja(usulan)
    if tmt is None or awal is None or usulan.masa_kerja_pangkat is None:
        return usulan.masa_kerja_pangkat, usulan.masa_kerja_bulan, usulan.masa_kerja_per
    bulan = full_months_between(awal, tmt)
    return min(4, bulan // 12), bulan, tmt


def _pegawai_row(usulan, nomor: int, *, tmt: date | None = None) -> dict:
    """``tmt``: the appointment's TMT (SK, PAK), the day the masa kerja is counted to."""
    d = usulan.data_pegawai or {}
    jenjang = usulan.jenjang
    mk_tahun, mk_bulan, mk_per = masa_kerja_pada(usulan, tmt)
    return {
        "no": nomor,
        "usulan": usulan.nomor,
        "nip": d.get("nip") or usulan.pegawai_nip,
        "nama": d.get("nama") or usulan.pegawai_nama,
        # Empty: the letter prints the date alone (never "-, <tanggal>"); the PIC and the PPK are warned.
        "tempat_lahir": (d.get("tempat_lahir") or "").strip(),
        "tanggal_lahir": tgl(d.get("tanggal_lahir")) if d.get("tanggal_lahir") else "-",
        "pangkat": d.get("pangkat") or "",
        "golongan": d.get("golongan") or "",
        "tmt_golongan": tgl(d.get("tmt_golongan")) if d.get("tmt_golongan") else "-",
        "pendidikan": d.get("pendidikan") or "",
        "jabatan_lama": d.get("jabatan_saat_ini") or "",
        "unit_kerja": d.get("unit_kerja") or "",
        "jenjang": jenjang.nama if jenjang else "",
        "kelas_jabatan": jenjang.kelas_jabatan if jenjang else "",
        "ak_angka": str(usulan.ak_awal) if usulan.ak_awal is not None else None,
        "masa_kerja_pangkat": mk_tahun,
        "masa_kerja_teks": masa_kerja_teks(mk_bulan, mk_tahun),
        # The day the masa kerja is counted to: the TMT of the appointment (as the age rule reads
        # it), else the submission that computed the AK awal.
        "masa_kerja_per": tgl(mk_per) if mk_per else "",
        # AK as the pages print it (the ``ak`` filter): one rule, apps.core.format.format_ak.
        "ak_tabel": format_ak(usulan.ak_nilai_tabel),
        "ak_dasar": format_ak(usulan.ak_dasar),
        "ak": format_ak(usulan.ak_awal),
    }


def umum(surat) -> dict:
    """What every letter's snapshot starts with: kind, number, date, subject, the issuer's
    letterhead, the signer and the JF. Public: the letters of other apps (apps.penetapan's PAK
    and HAPAK) build their snapshots on it."""
    return {
        "jenis": surat.jenis,
        "nomor": surat.nomor,
        "tanggal": surat.tanggal.isoformat(),
        "tanggal_teks": tgl(surat.tanggal),
        "perihal": surat.perihal,
        "penerbit": kop(surat.penerbit),
        "penandatangan": {
            "nama": surat.penandatangan_nama,
            "jabatan": surat.penandatangan_jabatan,
            "nip": surat.penandatangan_nip,
        },
        "jf": {"nama": surat.jf.nama, "kode": surat.jf.kode},
    }


def _rentang(angka: list[int]) -> dict:
    return {"min": min(angka), "max": max(angka)}


def prosedur(jenis_list) -> dict:
    """The procedure a berita acara records, named from the kinds of usulan it lists (a berita acara
    seleksi administrasi records every decided round of the JF, a sidang every usulan it decided, and
    either may hold both kinds): ``judul`` for its heading, ``perihal`` for its subject (the signing
    queue and the lists show it), ``usulan`` for its body ("usulan … Jabatan Fungsional X"). A
    kenaikan jenjang is not an inpassing (fresh-eye walk of issue 19); no usulan: the inpassing."""
    kinds = {str(j) for j in jenis_list} or {"penyesuaian"}
    naik, sesuai = "kenaikan_jenjang" in kinds, "penyesuaian" in kinds
    if naik and sesuai:
        return {
            "judul": "Penyesuaian (Inpassing) dan Kenaikan Jenjang",
            "perihal": "Penyesuaian dan Kenaikan Jenjang",
            "usulan": "penyesuaian (inpassing) ke dalam dan kenaikan jenjang dalam",
            "kenaikan_jenjang": True,
        }
    if naik:
        return {
            "judul": "Kenaikan Jenjang",
            "perihal": "Kenaikan Jenjang",
            "usulan": "kenaikan jenjang dalam",
            "kenaikan_jenjang": True,
        }
    return {
        "judul": "Penyesuaian (Inpassing)",
        "perihal": "Penyesuaian",
        "usulan": "penyesuaian (inpassing) ke dalam",
        "kenaikan_jenjang": False,
    }


def _prosedur_surat(surat) -> dict:
    """:func:`prosedur` of the usulan listed in ``surat`` (its rows are written before its snapshot;
    no saved letter: the inpassing)."""
    if surat is None or surat.pk is None:
        return prosedur(())
    return prosedur(surat.baris.values_list("usulan__jenis", flat=True).distinct())


def berita_acara(surat, berita) -> dict:
    isi = berita.isi
    return {
        **umum(surat),
        "prosedur": _prosedur_surat(surat),
        "tim": isi.get("tim"),
        "tempat": isi.get("tempat") or "-",
        "tanggal_sidang": tgl(isi.get("tanggal")),
        "anggota": isi.get("anggota", []),
        "kuorum": isi.get("kuorum", {}),
        # Everyone marked present, also a member below the assessed pangkat who is present but not
        # counted for the quorum (the sentence and the attendance table then agree).
        "hadir_semua": sum(1 for a in isi.get("anggota", []) if a.get("hadir")),
        # how many count on each pegawai: a member below one pegawai's pangkat still counts on the
        # others, so one figure for the whole sidang is not true (fresh-eye walk 1, M1)
        "kuorum_rentang": _rentang(dihitung_per_usulan(isi) or [isi.get("kuorum", {}).get("hadir", 0)]),
        "hasil": [
            {**h, "no": i, "keputusan_teks": "Lulus" if h.get("keputusan") == "lulus" else "Tidak lulus"}
            for i, h in enumerate(isi.get("hasil", []), start=1)
        ],
        "jumlah_lulus": sum(1 for h in isi.get("hasil", []) if h.get("keputusan") == "lulus"),
    }


KEPUTUSAN_SELEKSI = {
    "memenuhi": "Memenuhi syarat",
    "perbaikan": "Perlu perbaikan",
    "tidak_memenuhi": "Tidak memenuhi syarat",
}


def nip_utuh(nip) -> str:
    """A NIP as letters print it: its 18 digits unbroken (a snapshot taken with the spaced form
    "19860926 201505 1 001" is printed unspaced too); any other text unchanged."""
    text = str(nip or "")
    digits = text.replace(" ", "")
    return digits if len(digits) == 18 and digits.isdigit() else text


def berita_acara_seleksi(surat, *, hasil: list[dict], verifikator: list[dict]) -> dict:
    """The berita acara of a round of seleksi administrasi: who decided, and each decision (NIP,
    name, instansi, jenjang, round, result, note), with the counts per result."""
    rows = [
        {
            **h,
            "nip": nip_utuh(h.get("nip")),
            "no": i,
            "keputusan_teks": KEPUTUSAN_SELEKSI.get(h.get("keputusan"), h.get("keputusan", "")),
        }
        for i, h in enumerate(hasil, start=1)
    ]
    return {
        **umum(surat),
        "prosedur": _prosedur_surat(surat),
        "tim": f"Tim Seleksi Administrasi {surat.penerbit.nama}",
        "verifikator": [{**v, "nip": nip_utuh(v.get("nip"))} for v in verifikator],
        "hasil": rows,
        "jumlah": {k: sum(1 for h in rows if h.get("keputusan") == k) for k in KEPUTUSAN_SELEKSI},
        "periode": {
            "dari": tgl(min((h["tanggal"] for h in rows), default=None)),
            "sampai": tgl(max((h["tanggal"] for h in rows), default=None)),
        },
    }


def _status_teks(usulan) -> str:
    if usulan.status == Status.TIDAK_LULUS:
        return "Tidak lulus uji kompetensi"
    return "Tidak memenuhi syarat administrasi"


def _pengantar(usulan_list) -> list[dict]:
    """The distinct surat pengantar (nomor, tanggal) the PIC entered for the usulan of a letter."""
    seen: dict[tuple, dict] = {}
    for u in usulan_list:
        if u.pengantar_nomor:
            key = (u.pengantar_nomor, u.pengantar_tanggal)
            seen.setdefault(key, {"nomor": u.pengantar_nomor, "tanggal": tgl(u.pengantar_tanggal)})
    # In order of date, then of number (digits compared as numbers): fresh-eye walk 1, M3.
    urut = sorted(seen, key=lambda k: (k[1] or date.min, _nomor_urut(k[0])))
    return [seen[k] for k in urut]


def _nomor_urut(nomor: str) -> list:
    return [(0, int(b), "") if b.isdigit() else (1, 0, b) for b in re.split(r"(\d+)", nomor) if b]


def _unit_kerja(usulan_list) -> list[str]:
    units = []
    for u in usulan_list:
        unit = ((u.data_pegawai or {}).get("unit_kerja") or "").strip()
        if unit and unit not in units:
            units.append(unit)
    return units


def _uji_kompetensi(usulan) -> str:
    """The uji kompetensi's result as the sidang decided it (with the sidang's date)."""
    from apps.verifikasi.models import SidangUsulan

    row = (
        SidangUsulan.objects.filter(usulan=usulan)
        .exclude(keputusan="")
        .select_related("sidang")
        .order_by("-sidang__tanggal", "-id")
        .first()
    )
    if row is None:
        return "-"
    hasil = "Lulus" if row.keputusan == SidangUsulan.Keputusan.LULUS else "Tidak lulus"
    return f"{hasil} (sidang Tim Penilai {tgl(row.sidang.tanggal)})"


def _baris_kenaikan_jenjang(usulan, row: dict, sebelumnya: dict) -> dict:
    """A kenaikan jenjang's own facts for the rekomendasi: the jenjang held (the one below the
    proposed one) → the proposed one, the AK kumulatif against the held jenjang's threshold, and
    the uji kompetensi's result. The AK kumulatif is the holder's ledger on the day the letter is
    first issued; a corrected version keeps that figure (the SK then spends the threshold)."""
    from apps.jabatan.selectors import ambang
    from apps.referensi.models import Jenjang

    tujuan = usulan.jenjang
    asal = (
        Jenjang.objects.filter(jf_id=usulan.jf_id, urutan__lt=tujuan.urutan).order_by("-urutan").first()
        if tujuan
        else None
    )
    batas = asal.ak_kumulatif_jenjang if asal else None
    if usulan.nomor in sebelumnya:
        kumulatif = sebelumnya[usulan.nomor]
    elif usulan.pejabat_id and asal and usulan.pejabat.jenjang_id == asal.pk:
        kumulatif = format_ak(ambang(usulan.pejabat).ak_jenjang)
    else:
        kumulatif = "-"
    return {
        **row,
        "jenjang_asal": asal.nama if asal else "-",
        "jenjang_tujuan": tujuan.nama if tujuan else "-",
        "ak_kumulatif": kumulatif,
        "ambang": format_ak(batas) if batas is not None else "-",
        "uji_kompetensi": _uji_kompetensi(usulan),
    }


def rekomendasi(
    surat, *, direkomendasikan: list, tidak: list[tuple[object, str]], diusulkan: int = 0, sebelumnya=None
) -> dict:
    """``diusulkan`` is kept for old callers; the counts are those of this letter and add up.
    A letter holds one kind of usulan (apps.surat.services.rekomendasi_terbitkan): a kenaikan
    jenjang's is worded for the step, with its own columns (``sebelumnya``: the version being
    corrected, whose AK kumulatif figures are kept)."""
    instansi = surat.instansi
    semua = list(direkomendasikan) + [u for u, _a in tidak]
    jf = surat.jf
    if semua and semua[0].jenis == "kenaikan_jenjang":
        return _rekomendasi_kenaikan_jenjang(surat, direkomendasikan, tidak, sebelumnya or {})
    return {
        **umum(surat),
        "kepada": f"Pejabat Pembina Kepegawaian {instansi.nama}",
        "instansi": instansi.nama,
        "lampiran_teks": "1 (satu) berkas",
        "jumlah": {
            "diusulkan": len(direkomendasikan) + len(tidak),
            "direkomendasikan": len(direkomendasikan),
            "belum_memenuhi": len(tidak),
        },
        "sistem": jf.nama_sistem,
        "pengantar": _pengantar(semua),
        "pegawai": [_pegawai_row(u, i) for i, u in enumerate(direkomendasikan, start=1)],
        "belum_memenuhi": [
            {
                **_pegawai_row(u, i),
                "status": _status_teks(u),
                "alasan": alasan,
            }
            for i, (u, alasan) in enumerate(tidak, start=1)
        ],
        "tembusan": _tembusan_rekomendasi(instansi, semua),
    }


def _tembusan_rekomendasi(instansi, semua: list) -> list[str]:
    """Seed 003: the rekomendasi goes to the instansi "dengan tembusan" to the unit/Dinas of each
    pegawai in it."""
    return [
        "Kepala Badan Kepegawaian Negara",
        "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
        f"Pimpinan unit kepegawaian {instansi.nama}",
        *[f"Pimpinan {unit}, {instansi.nama}" for unit in _unit_kerja(semua)],
    ]


def _rekomendasi_kenaikan_jenjang(surat, direkomendasikan: list, tidak: list, sebelumnya: dict) -> dict:
    instansi = surat.instansi
    semua = list(direkomendasikan) + [u for u, _a in tidak]
    lama = {
        p.get("usulan"): p.get("ak_kumulatif")
        for p in (sebelumnya.get("pegawai") or []) + (sebelumnya.get("belum_memenuhi") or [])
        if p.get("ak_kumulatif") not in (None, "-")
    }
    pegawai = [_baris_kenaikan_jenjang(u, _pegawai_row(u, i), lama) for i, u in enumerate(direkomendasikan, start=1)]
    # The steps in the body: "dari jenjang A ke jenjang B" with the threshold, and how many.
    langkah: dict[tuple, int] = {}
    for p in pegawai:
        key = (p["jenjang_asal"], p["jenjang_tujuan"], p["ambang"])
        langkah[key] = langkah.get(key, 0) + 1
    return {
        **umum(surat),
        "kenaikan_jenjang": True,
        "kepada": f"Pejabat Pembina Kepegawaian {instansi.nama}",
        "instansi": instansi.nama,
        "lampiran_teks": "1 (satu) berkas",
        "jumlah": {
            "diusulkan": len(semua),
            "direkomendasikan": len(direkomendasikan),
            "belum_memenuhi": len(tidak),
        },
        "sistem": surat.jf.nama_sistem,
        "pengantar": _pengantar(semua),
        "langkah": [{"asal": a, "tujuan": t, "ambang": ambang, "jumlah": n} for (a, t, ambang), n in langkah.items()],
        "pegawai": pegawai,
        "belum_memenuhi": [
            {
                **_baris_kenaikan_jenjang(u, _pegawai_row(u, i), lama),
                "status": _status_teks(u),
                "alasan": alasan,
            }
            for i, (u, alasan) in enumerate(tidak, start=1)
        ],
        # The rekomendasi penyesuaian's list: no source gives one of its own.
        "tembusan": _tembusan_rekomendasi(instansi, semua),
    }


NASIONAL = ("Nomor 1 Tahun 2023", "Nomor 3 Tahun 2023", "Nomor 20 Tahun 2023", "Nomor 11 Tahun 2017")


def _mengingat(jf, jenis: str = "penyesuaian") -> list[str]:
    """The SK's "mengingat": the national rules, the JF's own regulations that concern this kind
    of usulan (a regulation marked for the penyesuaian only is not cited by an SK kenaikan
    jenjang), and PerBKN 3/2023."""
    base = [
        "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
        "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil sebagaimana telah "
        "diubah dengan Peraturan Pemerintah Nomor 17 Tahun 2020",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 1 Tahun 2023 tentang "
        "Jabatan Fungsional",
    ]
    if jf.peraturan:
        # verified or not: see JabatanFungsional.peraturan_baris
        base += [p["teks"] for p in jf.peraturan_baris() if not p["untuk"] or jenis in p["untuk"]]
    else:  # a JF without structured data: its listed legal basis, minus the national ones above
        base += [d for d in (jf.dasar_hukum or []) if not any(n in d for n in NASIONAL)]
    base.append(
        "Peraturan Badan Kepegawaian Negara Nomor 3 Tahun 2023 tentang Angka Kredit, Kenaikan Pangkat, dan "
        "Jenjang Jabatan Fungsional"
    )
    return base


def tanpa_baris(surat, usulan_list, rekomendasi_surat=None, *, butuh_rekomendasi: bool = True) -> None:
    """A letter about pegawai (SK, PAK) is built from its usulan rows (and an SK from its
    rekomendasi): a letter that has none (made outside the portal's flow, or its rows removed) is
    refused with the reason, never built with an empty list (an IndexError, a 500)."""
    from django.utils.translation import gettext as _

    from apps.surat.services import SuratError

    if not usulan_list:
        raise SuratError(
            _(
                "Surat %(n)s tidak dapat dibuat ulang: surat ini tidak terhubung dengan usulan pegawai mana pun di "
                "portal, sehingga isinya tidak dapat diambil dari data terkini. Terbitkan surat baru dari usulannya."
            )
            % {"n": surat.nomor or "-"}
        )
    if butuh_rekomendasi and rekomendasi_surat is None:
        raise SuratError(
            _(
                "Surat %(n)s tidak dapat dibuat ulang: surat rekomendasi yang menjadi dasarnya tidak tercatat di "
                "portal. Terbitkan surat baru dari usulannya."
            )
            % {"n": surat.nomor or "-"}
        )


def sk(surat, usulan_list: list, rekomendasi_surat, *, ditetapkan_di: str = "", pak: dict | None = None) -> dict:
    """``pak``: usulan id → the PAK issued with the SK (the JF has the SK's signer sign it), which
    the SK cites by number and date (seed 004: the AK is set first, then the PPK "menuangkan Angka
    Kredit dalam keputusan pengangkatan")."""
    tanpa_baris(surat, usulan_list, rekomendasi_surat)
    jf = surat.jf
    pak = pak or {}
    pegawai = [_pegawai_row(u, i) for i, u in enumerate(usulan_list, start=1)]
    atasan = pak_atasan_langsung([u for u in usulan_list if u.pk not in pak], jf)
    for row, u in zip(pegawai, usulan_list, strict=True):
        if u.pk in pak:
            row["pak_nomor"], row["pak_tanggal"] = pak[u.pk].nomor, tgl(pak[u.pk].tanggal)
        elif u.pk in atasan:
            row["pak_nomor"], row["pak_tanggal"] = atasan[u.pk].nomor_surat, tgl(atasan[u.pk].tanggal_surat)
            row["pak_atasan_langsung"] = True
    kolektif = len(pegawai) > 1 or surat.jenis == "sk_kolektif"
    subjek = (
        "Pegawai Negeri Sipil yang namanya tercantum dalam Lampiran Keputusan ini"
        if kolektif
        else (f"Sdr. {pegawai[0]['nama']}, NIP {pegawai[0]['nip']}")
    )
    if usulan_list and usulan_list[0].jenis == "kenaikan_jenjang":
        return _sk_kenaikan_jenjang(surat, usulan_list, rekomendasi_surat, pegawai, kolektif, subjek, ditetapkan_di)
    dasar_pak = _dasar_pak(jf, usulan_list, pegawai, kolektif)
    diktum = [
        f"Mengangkat {subjek} dalam Jabatan Fungsional {jf.nama} melalui penyesuaian (inpassing), "
        f"dengan jenjang, kelas jabatan dan angka kredit sebagaimana tercantum"
        + (" dalam Lampiran Keputusan ini." if kolektif else " di bawah ini."),
        f"Terhitung mulai tanggal {tgl(surat.tmt)}, kepada yang bersangkutan diberikan tunjangan jabatan "
        "fungsional sesuai dengan ketentuan peraturan perundang-undangan.",
        f"Angka kredit pada Diktum KESATU ditetapkan dengan {dasar_pak} dan diperhitungkan untuk kenaikan pangkat "
        "dan/atau jenjang jabatan berikutnya.",
        "Keputusan ini mulai berlaku pada tanggal ditetapkan, dengan ketentuan apabila di kemudian hari terdapat "
        "kekeliruan akan diadakan perbaikan sebagaimana mestinya.",
    ]
    menimbang = [
        f"bahwa berdasarkan Surat Rekomendasi {rekomendasi_surat.penerbit.nama} Nomor {rekomendasi_surat.nomor} "
        f"tanggal {tgl(rekomendasi_surat.tanggal)}, Pegawai Negeri Sipil yang namanya tercantum dalam "
        f"{'Lampiran ' if kolektif else ''}Keputusan ini telah memenuhi syarat untuk diangkat dalam Jabatan "
        f"Fungsional {jf.nama} melalui penyesuaian",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan Keputusan tentang "
        f"Pengangkatan dalam Jabatan Fungsional {jf.nama} melalui Penyesuaian",
    ]
    return _keputusan(
        surat, rekomendasi_surat, pegawai, kolektif, ditetapkan_di, menimbang, diktum, "Pegawai yang bersangkutan",
        dengan_pak=any("pak_nomor" in p for p in pegawai),
    )  # fmt: skip


def pak_atasan_langsung(usulan_list, jf) -> dict:
    """usulan id → the PAK signed by the atasan langsung attached to it, with its number and date
    (``Dokumen.nomor_surat``/``tanggal_surat``): the version in force (the one uploaded again after a
    recount, else the latest). Usulan under the rule "pejabat yang menetapkan SK", or whose PAK was
    uploaded before its number was asked, have none."""
    from apps.pengusulan.models import Dokumen
    from apps.referensi.models import PakPenandatangan
    from apps.referensi.services import DOKUMEN_PAK

    ids = [
        u.pk
        for u in usulan_list
        if (getattr(u, "pak_penandatangan", "") or jf.pak_penandatangan) == PakPenandatangan.ATASAN_LANGSUNG
    ]
    if not ids:
        return {}
    out = {}
    for d in (
        Dokumen.objects.filter(usulan__in=ids, persyaratan__kode=DOKUMEN_PAK["kode"], tanggal_surat__isnull=False)
        .exclude(nomor_surat="")
        .order_by("usulan_id", "versi")
    ):
        out[d.usulan_id] = d  # the latest version last
    return out


def _dasar_pak(jf, usulan_list: list, pegawai: list[dict], kolektif: bool) -> str:
    """How the SK names the PAK its angka kredit comes from: the PAK issued with it, or the one the
    atasan langsung signed before the usulan, attached to it — by number and date (for a collective
    SK, each in the Lampiran); a PAK attached before its number was asked is named without. Which of the two
    is the rule each usulan was submitted under (``Usulan.pak_penandatangan``), never the JF's
    setting today: a correction re-snapshotted after the JF changed keeps its basis (issue 13)."""
    if pegawai and all("pak_nomor" in p for p in pegawai):
        atasan = all(p.get("pak_atasan_langsung") for p in pegawai)
        oleh = " yang telah ditandatangani oleh atasan langsung" if atasan else ""
        if kolektif:
            return f"Penetapan Angka Kredit{oleh} masing-masing sebagaimana tercantum dalam Lampiran Keputusan ini"
        return f"Penetapan Angka Kredit Nomor {pegawai[0]['pak_nomor']} tanggal {pegawai[0]['pak_tanggal']}{oleh}"
    aturan = {getattr(u, "pak_penandatangan", "") or jf.pak_penandatangan for u in usulan_list}
    if aturan == {"atasan_langsung"}:
        return (
            "Penetapan Angka Kredit yang telah ditandatangani oleh atasan langsung dan dilampirkan pada usulan "
            "penyesuaian " + ("masing-masing pegawai" if kolektif else "yang bersangkutan")
        )
    return "Penetapan Angka Kredit yang bersangkutan"


def jabatan_kantor(jabatan: str, instansi_nama: str) -> str:
    """The PPK's office as the SK names it (heading, opening line, signer block): the configured title
    with the instansi where the title does not name it already — "Sekretaris Jenderal" of Kementerian
    Perhubungan is "Sekretaris Jenderal Kementerian Perhubungan"; "Bupati Kepulauan Siau Tagulandang
    Biaro" already names its regency and stays as it is."""
    import re

    jabatan, nama = (jabatan or "").strip(), (instansi_nama or "").strip()
    inti = re.sub(r"^pemerintah\s+(kabupaten|kota|provinsi)?\s*", "", nama, flags=re.IGNORECASE).strip()
    # "Menteri Perhubungan" heads Kementerian Perhubungan: the ministry's field names it too.
    bidang = re.sub(r"^kementerian\s+", "", inti, flags=re.IGNORECASE).strip()
    if not jabatan or not inti or inti.lower() in jabatan.lower() or bidang.lower() in jabatan.lower():
        return jabatan
    wilayah = re.sub(r"^pemerintah\s+", "", nama, flags=re.IGNORECASE)
    # "Sekretaris Daerah selaku Pejabat yang Berwenang": the instansi goes with the office, before
    # "selaku …" ("Sekretaris Daerah Provinsi Jawa Barat selaku Pejabat yang Berwenang").
    if m := re.match(r"^(.+?)\s+(selaku\s+.+)$", jabatan, flags=re.IGNORECASE):
        return f"{m.group(1)} {wilayah} {m.group(2)}"
    return f"{jabatan} {wilayah}"


def _keputusan(surat, rekomendasi_surat, pegawai, kolektif, ditetapkan_di, menimbang, diktum, penerima, **extra):
    """The SK's content, shared by the SK penyesuaian and the SK kenaikan jenjang (one layout):
    their own considerations and diktum, and ``penerima`` as the last tembusan."""
    return {
        **umum(surat),
        "kolektif": kolektif,
        **extra,
        # One office: the heading and the signer block both name the signer's jabatan.
        "judul": f"Keputusan {surat.penandatangan_jabatan}",
        "ditetapkan_di": ditetapkan_di or surat.penerbit.kota,
        "tmt": surat.tmt.isoformat() if surat.tmt else None,
        "tmt_teks": tgl(surat.tmt),
        "instansi": surat.instansi.nama,
        "menimbang": menimbang,
        "mengingat": _mengingat(surat.jf, "kenaikan_jenjang" if extra.get("kenaikan_jenjang") else "penyesuaian"),
        "diktum": [{"urutan": URUTAN[i], "teks": t} for i, t in enumerate(diktum)],
        "pegawai": pegawai,
        "rekomendasi": {"nomor": rekomendasi_surat.nomor, "tanggal": tgl(rekomendasi_surat.tanggal)},
        "tembusan": [
            "Kepala Badan Kepegawaian Negara",
            f"Pimpinan {rekomendasi_surat.penerbit.nama} selaku instansi pembina",
            "Kepala Kantor Perbendaharaan dan Kas Negara setempat",
            penerima,
        ],
    }


def _sk_kenaikan_jenjang(surat, usulan_list, rekomendasi_surat, pegawai, kolektif, subjek, ditetapkan_di) -> dict:
    """The SK kenaikan jenjang (seed 004, "Promosi"): after the uji kompetensi, the Tim Penilai
    Kinerja's consideration and the pembina's rekomendasi. Same layout as the SK penyesuaian."""
    jf = surat.jf
    lampiran = " dalam Lampiran Keputusan ini" if kolektif else " di bawah ini"
    for row, usulan in zip(pegawai, usulan_list, strict=True):
        # The jenjang held now (the SK moves it), and the AK kumulatif the step rests on.
        from apps.jabatan.models import MutasiAK
        from apps.jabatan.selectors import ambang

        pejabat = usulan.pejabat
        row["jabatan_lama"] = f"{jf.nama} {pejabat.jenjang.nama}"
        row["ak"] = format_ak(ambang(pejabat).ak_jenjang)
        # Once the SK moved the record (a corrected version): the jenjang and AK the step left from.
        naik = MutasiAK.objects.filter(pejabat=pejabat, jenis="kenaikan_jenjang", rincian__usulan=usulan.nomor).first()
        if naik is not None and naik.rincian.get("dari_jenjang"):
            row["jabatan_lama"] = f"{jf.nama} {naik.rincian['dari_jenjang']}"
            row["ak"] = format_ak(Decimal(naik.rincian.get("ak_kumulatif_sebelum") or 0))
    diktum = [
        f"Menaikkan jenjang jabatan {subjek} dalam Jabatan Fungsional {jf.nama} ke jenjang dan kelas jabatan "
        f"sebagaimana tercantum{lampiran}.",
        f"Terhitung mulai tanggal {tgl(surat.tmt)}, kepada yang bersangkutan diberikan tunjangan jabatan "
        "fungsional sesuai dengan jenjang yang baru berdasarkan ketentuan peraturan perundang-undangan.",
        "Angka kredit kumulatif yang melebihi angka kredit yang dipersyaratkan untuk kenaikan jenjang ini "
        "diperhitungkan untuk kenaikan pangkat dan/atau jenjang jabatan berikutnya.",
        "Keputusan ini mulai berlaku pada tanggal ditetapkan, dengan ketentuan apabila di kemudian hari terdapat "
        "kekeliruan akan diadakan perbaikan sebagaimana mestinya.",
    ]
    menimbang = [
        f"bahwa berdasarkan hasil uji kompetensi dan Surat Rekomendasi {rekomendasi_surat.penerbit.nama} Nomor "
        f"{rekomendasi_surat.nomor} tanggal {tgl(rekomendasi_surat.tanggal)}, Pejabat Fungsional yang namanya "
        f"tercantum dalam {'Lampiran ' if kolektif else ''}Keputusan ini telah memenuhi angka kredit kumulatif "
        f"dan syarat untuk kenaikan jenjang Jabatan Fungsional {jf.nama}",
        "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan Keputusan tentang "
        f"Kenaikan Jenjang Jabatan Fungsional {jf.nama}",
    ]
    return _keputusan(
        surat, rekomendasi_surat, pegawai, kolektif, ditetapkan_di, menimbang, diktum,
        "Pejabat Fungsional yang bersangkutan", kenaikan_jenjang=True,
    )  # fmt: skip


def pak(surat, usulan, *, ditetapkan_di: str = "") -> dict:
    row = _pegawai_row(usulan, 1, tmt=surat.tmt)
    return {
        **umum(surat),
        "ditetapkan_di": ditetapkan_di or surat.penerbit.kota,
        "instansi": surat.instansi.nama,
        "pegawai": row,
        "tmt_teks": tgl(surat.tmt),
        "ak_penyesuaian": row["ak"],
        # Seed 001 Bab IV E.3: the JF's list, as data with its source (the JF page shows it).
        "tembusan": surat.jf.tembusan_pak_untuk(surat.instansi.nama),
    }
