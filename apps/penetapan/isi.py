"""The content snapshots of the PAK and the HAPAK (JSON, rendered by apps.surat's worker)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.utils import timezone

from apps.core.format import format_ak, format_angka, tgl
from apps.jabatan.domain import JENIS_LABELS, TANPA_UNTUK_JENJANG, TANPA_UNTUK_PANGKAT, JenisMutasi, totals
from apps.penetapan import domain
from apps.surat.isi import umum


def _pejabat(usulan, pejabat) -> dict:
    golongan = getattr(pejabat, "golongan", None)
    if getattr(pejabat, "golongan_belum_berlaku", False):
        # An SK kenaikan pangkat whose TMT is still ahead: the letter names the golongan in force
        # on its date, as the holder's pages and the API do (issue 19 F7).
        from apps.referensi.models import Golongan

        kode = pejabat.golongan_berlaku[0]
        golongan = Golongan.objects.filter(kode=kode).first() if kode else golongan
    jenjang = usulan.jenjang.nama
    if getattr(pejabat, "jenjang_belum_berlaku", False):
        # An SK kenaikan jenjang whose TMT is still ahead: the jenjang in force on the letter's date,
        # as for the golongan above.
        jenjang = pejabat.jenjang_berlaku.nama or jenjang
    lahir = getattr(pejabat, "tanggal_lahir_aturan", None)
    return {
        "nama": usulan.pejabat_nama,
        "nip": usulan.pejabat_nip,
        # "Tempat, tanggal lahir" as on the inpassing PAK (issue 19 F11: the holders import reads it).
        "tempat_lahir": (getattr(pejabat, "tempat_lahir", "") or "").strip(),
        "tanggal_lahir": tgl(lahir) if lahir else "",
        "jenjang": jenjang,
        "golongan": getattr(golongan, "kode", "") or "",
        "pangkat": getattr(golongan, "pangkat", "") or "",
        "instansi": usulan.instansi.nama,
    }


def _periode(usulan) -> str:
    if usulan.luar_periode_bup:
        return "Di luar periode (batas usia pensiun)"
    return f"{usulan.periode.nama} {usulan.tahun}" if usulan.periode_id else str(usulan.tahun)


def _tujuan(a) -> str:
    """Which step the usulan's AK kumulatif counts toward (as ``selectors.ak_dan_syarat`` picks
    it): the next jenjang when only that one is met or the jenjang has no next pangkat; else the
    next pangkat."""
    return "jenjang" if (a.memenuhi_jenjang and not a.memenuhi_pangkat) or a.pangkat is None else "pangkat"


SEN = Decimal("0.01")


def cetak(nilai) -> Decimal:
    """An AK as the letter prints it: rounded once, to two decimals, half up (``format_ak``)."""
    return Decimal(nilai).quantize(SEN, rounding=ROUND_HALF_UP)


def bagi_cetak(nilai: list[Decimal]) -> list[Decimal]:
    """The parts of a sum rounded to two decimals so that the printed parts add up to the printed
    total (the exact total rounded once): each part rounded down, then the cents still missing go
    to the parts with the largest remainders (ties to the earlier part). 25 + 2,083 × 3 = 31,249
    prints 25 + 2,09 + 2,08 + 2,08 = 31,25, not 25 + 2,08 × 3 = 31,24 under a total of 31,25."""
    nilai = [Decimal(x) for x in nilai]
    bawah = [x.quantize(SEN, rounding=ROUND_FLOOR) for x in nilai]
    sisa = int((cetak(sum(nilai, Decimal(0))) - sum(bawah, Decimal(0))) / SEN)
    urut = sorted(range(len(nilai)), key=lambda i: (-(nilai[i] - bawah[i]), i))
    for i in urut[: max(0, min(sisa, len(nilai)))]:
        bawah[i] += SEN
    return bawah


def _ambang(a) -> list[dict]:
    """Both thresholds of the jenjang (PerBKN 3/2023; domain.md §4): the AK required and reached,
    and the kekurangan or kelebihan — the threshold less the AK *as printed* (rounded once), so
    that the printed figures add up (55,625 prints 55,63 reached and 44,37 short of 100)."""
    out = []
    for kunci, label, syarat, dicapai, memenuhi in (
        ("pangkat", "Kenaikan pangkat setingkat lebih tinggi", a.pangkat, a.ak_pangkat, a.memenuhi_pangkat),
        ("jenjang", "Kenaikan jenjang jabatan setingkat lebih tinggi", a.jenjang, a.ak_jenjang, a.memenuhi_jenjang),
    ):
        if syarat is None:
            continue
        selisih = cetak(syarat) - cetak(dicapai)
        out.append(
            {
                "kunci": kunci,
                "label": label,
                "syarat": format_ak(syarat),
                "dicapai": format_ak(cetak(dicapai)),
                "memenuhi": memenuhi,
                "kurang": format_ak(max(selisih, Decimal(0))),
                "kelebihan": format_ak(-selisih) if memenuhi and selisih < 0 else "",
            }
        )
    return out


def _uraian(m) -> str:
    koreksi_predikat = m.jenis == JenisMutasi.KOREKSI and m.predikat and m.mengoreksi_id
    if m.jenis == JenisMutasi.KONVERSI or koreksi_predikat:
        # BKN's form, as the pages and the API print it (domain.md §4): "2/12 × 100 % × 12,5 = 2,08";
        # "2 bulan × 100% × koefisien 12,5" read as 25 (fresh-eye walk of issue 19).
        rincian = [
            f"{m.bulan}/12" if m.bulan else "",
            # a no-break space: the percentage never parts from its sign at the end of a table line
            f"{format_angka(m.persentase)}\u00a0%" if m.persentase else "",
            format_ak(m.koefisien) if m.koefisien else "",
        ]
        rumus = " × ".join(r for r in rincian if r)
        # what the formula gives: the konversi's AK; a corrected predikat's row holds the difference
        # to the konversi, so its formula gives the AK it now rests on (rincian["sesudah"])
        hasil = (m.rincian or {}).get("sesudah") if koreksi_predikat else m.nilai
        if all(rincian) and hasil not in (None, ""):
            rumus += f" = {format_ak(hasil)}"
        return (
            # A corrected predikat (apps.jabatan.services.konversi_koreksi): the difference to the
            # konversi, with the predikat it now rests on.
            ("Koreksi konversi predikat kinerja menjadi " if koreksi_predikat else "Konversi predikat kinerja ")
            + (m.get_predikat_display() or "-")
            + (f" ({rumus})" if rumus else "")
        )
    return str(JENIS_LABELS.get(JenisMutasi(m.jenis), m.jenis)) + (f": {m.keterangan}" if m.keterangan else "")


def _uraian_awal(rows) -> str:
    """What the AK the PAK starts from is, as its ledger row's source says: the portal's inpassing
    SK ("penyesuaian/inpassing"), or the holder's pre-portal PAK an import carried over (its number
    as the import gave it), else plainly "Angka kredit awal"."""
    if not rows:
        return "Angka kredit awal"
    r = rows[0].rincian or {}
    sumber = r.get("sumber")
    if sumber == "sk_inpassing":
        return "Angka kredit awal (penyesuaian/inpassing)" + (f" SK Nomor {r['surat']}" if r.get("surat") else "")
    if sumber == "impor_xlsx":
        tanggal = f" tanggal {tgl(rows[0].periode_mulai)}" if rows[0].periode_mulai else ""
        dasar = (r.get("dasar") or "").strip()
        if dasar:
            return f"Angka kredit dari PAK terakhir ({dasar}){tanggal}"
        return f"Angka kredit awal dari data sebelum portal{tanggal}"
    return "Angka kredit awal"


def _susun(angka) -> tuple:
    """(tujuan, bawaan, dasar_rows, baru, dasar_uraian): which total the AK counts toward, the
    remainder carried from a kenaikan jenjang, the rows the AK starts from (the last PAK's, or the
    AK awal) and the movements since, with the words for the starting figure."""
    a = angka.ambang
    tujuan = _tujuan(a)
    tanpa = TANPA_UNTUK_JENJANG if tujuan == "jenjang" else TANPA_UNTUK_PANGKAT
    semua = sorted(angka.mutasi, key=lambda m: (m.created_at, m.pk))
    rows = [m for m in semua if m.jenis not in tanpa]
    # Toward the next pangkat after a kenaikan jenjang: from the remainder carried into the new
    # jenjang (apps.jabatan.domain.totals), the rows since.
    bawaan, kj = Decimal(0), None
    if tujuan != "jenjang":
        kj = max((i for i, m in enumerate(semua) if m.jenis == JenisMutasi.KENAIKAN_JENJANG), default=None)
        if kj is not None:
            bawaan = totals((m.jenis, m.nilai) for m in semua[: kj + 1])[0]
            rows = [m for m in semua[kj + 1 :] if m.jenis not in tanpa]
            kj = semua[kj]
    akhir_pak = max((i for i, m in enumerate(rows) if m.jenis == JenisMutasi.PENETAPAN), default=None)
    if akhir_pak is not None:
        pak = rows[akhir_pak]
        dasar_rows, baru = rows[: akhir_pak + 1], rows[akhir_pak + 1 :]
        nomor = (pak.rincian or {}).get("surat") or ""
        dasar_uraian = f"Angka kredit kumulatif pada PAK terakhir{f' Nomor {nomor}' if nomor else ''}"
        dasar_uraian += f" tanggal {tgl(timezone.localtime(pak.created_at).date())}"
    elif kj is not None:
        dasar_rows, baru = [], rows
        r = kj.rincian or {}
        dasar_uraian = (
            f"Sisa angka kredit kenaikan jenjang {r.get('dari_jenjang', '')} ke {r.get('ke_jenjang', '')}".rstrip()
            + (f" (SK Nomor {r['surat']})" if r.get("surat") else "")
        )
    else:
        dasar_rows = [m for m in rows if m.jenis == JenisMutasi.AWAL]
        baru = [m for m in rows if m.jenis != JenisMutasi.AWAL]
        dasar_uraian = _uraian_awal(dasar_rows)
    return tujuan, bawaan, dasar_rows, baru, dasar_uraian


def masa_penilaian(angka):
    """(first day, last day) of the periods converted since the AK the PAK starts from — the
    period the PAK covers (its "masa penilaian"); (None, None) when no konversi is in it."""
    _tujuan_ak, _bawaan, _dasar, baru, _uraian = _susun(angka)
    periode = [m for m in baru if m.jenis == JenisMutasi.KONVERSI and m.periode_mulai and m.periode_selesai]
    dari = min((m.periode_mulai for m in periode), default=None)
    return dari, max((m.periode_selesai for m in periode), default=None)


def _dasar_tanggal(dasar_rows, semua) -> tuple:
    """(what the middle cell of the starting figure's row says, the day the masa penilaian starts
    from when no period was converted since): the last PAK's masa penilaian end ("s.d." it; the
    masa continues the next day) or its date; the AK awal's date (its TMT or the date an import
    gave it; an import may give none); the kenaikan jenjang whose remainder is carried (its
    TMT)."""
    from datetime import timedelta

    def hari(m):
        return m.periode_mulai or timezone.localtime(m.created_at).date()

    pak = next((m for m in reversed(dasar_rows) if m.jenis == JenisMutasi.PENETAPAN), None)
    if pak is not None:
        r = pak.rincian or {}
        try:
            selesai = date.fromisoformat(r["masa_selesai"]) if r.get("masa_selesai") else None
        except (TypeError, ValueError):
            selesai = None
        if selesai is not None:
            return f"s.d. {tgl(selesai)}", selesai + timedelta(days=1)
        return f"per {tgl(hari(pak))}", hari(pak)
    awal = next((m for m in dasar_rows if m.jenis == JenisMutasi.AWAL), None)
    if awal is not None:
        # Its date as recorded (an import may give none: the day it was imported is not the AK's).
        if awal.periode_mulai is None:
            return "tanggal tidak tercatat", None
        return f"per {tgl(awal.periode_mulai)}", awal.periode_mulai
    kj = next((m for m in reversed(semua) if m.jenis == JenisMutasi.KENAIKAN_JENJANG), None)
    if kj is not None and not dasar_rows:
        return f"per {tgl(hari(kj))}", hari(kj)
    return "", None


def rincian_ak(angka, pada: date | None = None) -> dict:
    """The AK kumulatif as a sum (seed 004: the PAK converts the predikat kinerja from the last
    PAK — or the AK awal — up to the latest predikat): the AK carried from the holder's last PAK
    (or their AK awal), each movement recorded since — the konversi per period with its predikat,
    months, percentage and koefisien, corrections, deductions — and the total; the masa penilaian
    (the first to the last period converted); both thresholds with the AK required and reached,
    and which one the result rests on. ``angka``: ``selectors.AngkaKredit``."""
    a = angka.ambang
    tujuan, bawaan, dasar_rows, baru, dasar_uraian = _susun(angka)
    dasar = bawaan + sum((m.nilai for m in dasar_rows), Decimal(0))
    # Printed in the order of the periods they cover (a period entered late is still read in its
    # place); movements without a period by the day they were recorded.
    tampil = sorted(
        (m for m in baru if m.jenis != JenisMutasi.PENETAPAN),
        key=lambda m: (m.periode_mulai or timezone.localtime(m.created_at).date(), m.created_at, m.pk),
    )
    # Exact decimals summed, the total rounded once; the printed parts add up to it.
    jumlah = dasar + sum((m.nilai for m in baru), Decimal(0))
    bagian = [dasar, *(m.nilai for m in tampil)]
    bagian_cetak = bagi_cetak(bagian) if sum(bagian, Decimal(0)) == jumlah else [cetak(x) for x in bagian]
    baris = [
        {
            "uraian": _uraian(m),
            "dari": tgl(m.periode_mulai) if m.periode_mulai else "",
            "sampai": tgl(m.periode_selesai) if m.periode_selesai else "",
            "ak": format_ak(ak),
        }
        for m, ak in zip(tampil, bagian_cetak[1:], strict=True)
    ]
    dari, sampai = masa_penilaian(angka)
    dasar_tanggal, mulai = _dasar_tanggal(dasar_rows, angka.mutasi)
    if dasar_tanggal.startswith("per ") and f"tanggal {dasar_tanggal[4:]}" in dasar_uraian:
        dasar_tanggal = ""  # the description already gives the date (issue 19 fresh-eye walk)
    if dari and sampai:
        masa_teks = f"{tgl(dari)} s.d. {tgl(sampai)}"
    else:
        # No period converted since the starting figure (a HAPAK on the AK awal alone): the masa
        # runs from that figure's date to the letter's, and says nothing was converted in it.
        pada = pada or timezone.localdate()
        rentang = f"{tgl(mulai)} s.d. {tgl(pada)}" if mulai and mulai <= pada else tgl(pada)
        masa_teks = f"{rentang} (belum ada konversi predikat kinerja)"
    ambang = _ambang(a)
    dipakai = next((x for x in ambang if x["kunci"] == tujuan), None)
    return {
        "dasar": {"uraian": dasar_uraian, "tanggal": dasar_tanggal, "ak": format_ak(bagian_cetak[0])},
        "baris": baris,
        "jumlah": format_ak(cetak(jumlah)),
        "masa": {"dari": tgl(dari) if dari else "", "sampai": tgl(sampai) if sampai else ""},
        "masa_teks": masa_teks,
        "ambang": ambang,
        "tujuan": tujuan,
        "tujuan_label": dipakai["label"] if dipakai else "",
    }


def _penilaian(surat, usulan, pejabat, ak, syarat, tim, angka=None) -> dict:
    """What the PAK and the HAPAK both state: the holder, the period, the team and the AK (its
    breakdown, masa penilaian and thresholds when the ledger figures are given)."""
    out = {
        **umum(surat),
        "ditetapkan_di": surat.penerbit.kota,
        "pejabat": _pejabat(usulan, pejabat),
        "periode": _periode(usulan),
        "tim": tim.nama,
        "ak_kumulatif": format_ak(ak),
        "ak_syarat": format_ak(syarat),
    }
    if angka is not None:
        out["rincian"] = rincian_ak(angka, pada=surat.tanggal)
    return out


def pak(surat, usulan, pejabat, *, ak, syarat, tim, angka=None) -> dict:
    # Seed 001 BAB IV E.3: the JF's own list, as data with its source (the JF page shows it);
    # else the default lines filled with the JF's pembina data.
    out = {
        **_penilaian(surat, usulan, pejabat, ak, syarat, tim, angka),
        "tembusan": surat.jf.tembusan_pak_untuk(usulan.instansi.nama, periodik=True, bawaan=domain.TEMBUSAN_PAK),
    }
    r = out.get("rincian")
    if r and r["tujuan_label"]:
        # Which threshold is met, with the figure required and reached (PerBKN 3/2023).
        x = next(x for x in r["ambang"] if x["kunci"] == r["tujuan"])
        out["keterangan"] = (
            f"Memenuhi angka kredit kumulatif untuk {x['label'].lower()}: dicapai {x['dicapai']}, "
            f"dipersyaratkan {x['syarat']}."
        )
    return out


def syarat_untuk(angka) -> str:
    """Which threshold the AK required is (the one :func:`apps.penetapan.selectors.ak_dan_syarat`
    takes): "kenaikan pangkat setingkat lebih tinggi" or "kenaikan jenjang jabatan setingkat lebih
    tinggi"; the generic "kenaikan pangkat/jabatan" without the ledger figures."""
    from apps.jabatan.domain import tujuan_ak

    if angka is None:
        return "kenaikan pangkat/jabatan"
    if tujuan_ak(angka.ambang) == "jenjang":
        return "kenaikan jenjang jabatan setingkat lebih tinggi"
    return "kenaikan pangkat setingkat lebih tinggi"


def hapak(surat, usulan, pejabat, *, ak, syarat, tim, keterangan: str = "", angka=None) -> dict:
    instansi = usulan.instansi
    return {
        **_penilaian(surat, usulan, pejabat, ak, syarat, tim, angka),
        # The threshold the AK required and the kekurangan refer to, named (issue 19 fresh-eye walk).
        "syarat_untuk": syarat_untuk(angka),
        # Seed 001 BAB IV E.4.b: sent to the proposing instansi, to be passed on to the holder.
        "kepada": {
            "nama": usulan.pejabat_nama,
            "nip": usulan.pejabat_nip,
            "melalui": f"Pengelola Kepegawaian {instansi.nama}",
            "di": instansi.kota or "Tempat",
        },
        "keterangan": keterangan,
        # The threshold less the AK as printed above it (rounded once): the two add up.
        "kekurangan": format_ak(max(cetak(syarat) - cetak(ak), 0)) if ak is not None and syarat is not None else "-",
        # Seed 001 BAB IV E.4.b: the sekretariat endorses the HAPAK — the first paraf of every
        # version's chain (apps.penetapan.services.langkah_pengesahan_hapak), which the ketua's
        # signature waits for. The PDF is rendered before that paraf (the paraf is bound to the
        # file's hash), so the letter states the rule; who gave it and when is in its paraf record.
    }
