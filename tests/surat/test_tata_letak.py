"""Issue 13 §6: every letter, rendered with the realistic worst cases (three-line letterheads, the
longest instansi name, names with academic titles, long letter numbers), read back with
``pdftotext -layout``: page counts, and no golongan, NIP, date or letter number broken across
lines (body and footer), and no table cells run together."""

from __future__ import annotations

import re
import shutil

import pytest

from apps.surat.models import JenisSurat
from tests.surat.conftest import (
    INSTANSI_TERPANJANG,
    KOP_PEMBINA,
    KOP_TIGA_BARIS,
    NAMA_TERPANJANG,
    PENANDATANGAN_PEMBINA_TERPANJANG,
    PENANDATANGAN_TERPANJANG,
    PYB_TERPANJANG,
    layout_text,
    nama_terburuk,
    terbitkan_penetapan,
    terbitkan_semua,
    versi_berlaku,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed"),
]


def halaman(text: str) -> int:
    return text.count("\f") + (0 if text.endswith("\f") else 1)


def utuh(text: str, token: str) -> bool:
    """The token appears whole on one line (not broken across lines)."""
    return any(token in line for line in text.splitlines())


def test_every_letter_with_the_worst_cases_keeps_its_tokens_whole(diputuskan, staf, pk, instansi_a, ppk_pk):
    letters = terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk)
    texts = {name: layout_text(versi_berlaku(s)) for name, s in letters.items()}

    # Page counts: the SK per pegawai and the PAK on one A4 page; the others within bounds.
    assert halaman(texts["sk"]) == 1, texts["sk"]
    assert halaman(texts["pak"]) == 1, texts["pak"]
    assert halaman(texts["sk-kolektif"]) == 2  # the decision, then the landscape lampiran
    assert halaman(texts["rekomendasi"]) == 2  # the letter, then the lampiran
    assert halaman(texts["berita-acara"]) <= 2
    assert halaman(texts["berita-acara-seleksi"]) <= 2

    for name, surat in letters.items():
        text = texts[name]
        versi = versi_berlaku(surat)
        # The letter number: whole in the body (heading) and in the footer of every page.
        assert utuh(text, surat.nomor), (name, surat.nomor)
        pages = text.split("\f")
        for page in (p for p in pages if p.strip()):
            assert utuh(page, versi.kode), (name, "footer code")
            assert surat.nomor in page, (name, "footer number on every page")
        for row in versi.isi.get("pegawai", []) if isinstance(versi.isi.get("pegawai"), list) else []:
            assert utuh(text, row["nip"]), (name, row["nip"])
            assert utuh(text, f"({row['golongan']})"), (name, row["golongan"])
        # No NIP glued to the next column, no golongan glued to the jenjang.
        assert not re.search(r"\d{18}[^\s\d]", text), name
        assert not re.search(r"\(I{1,3}V?/[a-e]\)[A-Za-z0-9]", text), name

    for name in ("sk", "pak"):
        p = versi_berlaku(letters[name]).isi["pegawai"]
        p = p[0] if isinstance(p, list) else p
        nip, gol = p["nip"], p["golongan"]
        assert utuh(texts[name], nip) and utuh(texts[name], gol), name
    # Dates whole: the letters' dates, the TMT and the signer's NIP.
    for name in ("sk", "sk-kolektif", "pak"):
        assert utuh(texts[name], "20 Agustus 2026"), name
        assert utuh(texts[name], "1 September 2026"), name
        assert utuh(texts[name], PENANDATANGAN_TERPANJANG[2]), name
    assert utuh(texts["rekomendasi"], "3 Agustus 2026")
    assert utuh(texts["rekomendasi"], "10 Juni 2026")
    assert utuh(texts["rekomendasi"], PENANDATANGAN_PEMBINA_TERPANJANG[2])
    assert utuh(texts["rekomendasi"], "hal-hal")  # fresh-eye re-walk: split as "hal-" / "hal"
    # The letterheads: every line whole on one line (each sized to fit, templatetags.surat_pdf.ukuran_kop),
    # also the pembina's 85-character second line.
    for name, kop in (("sk", KOP_TIGA_BARIS), ("pak", KOP_TIGA_BARIS), ("sk-kolektif", KOP_TIGA_BARIS),
                      ("rekomendasi", KOP_PEMBINA), ("berita-acara", KOP_PEMBINA)):  # fmt: skip
        for baris in kop.splitlines():
            assert utuh(texts[name], baris), (name, baris, texts[name][:800])
    # The worst-case strings themselves reach the letters.
    assert NAMA_TERPANJANG.split(",")[0] in " ".join(texts["sk"].split())
    assert INSTANSI_TERPANJANG.upper() in texts["sk"]


def nama_rapi(text: str, nama: str) -> bool:
    """The signer's name is printed whole on one line, or wraps cleanly: on consecutive lines that
    start in the same column, read together as the name, with its academic titles ("S.E., M.Si.")
    whole on the last of them (never split among lines)."""
    if utuh(text, nama):
        return True
    _head, _sep, gelar = nama.partition(", ")
    lines = text.splitlines()
    first = nama.split()[0] + " " + nama.split()[1]
    for i, line in enumerate(lines):
        col = line.find(first)
        if col < 0:
            continue
        parts = [line[col:].split("  ")[0].strip()]
        for nxt in lines[i + 1 : i + 4]:
            if " ".join(parts) == nama or nxt[:col].strip() or not nxt[col:].strip():
                break
            parts.append(nxt[col:].split("  ")[0].strip())
        if " ".join(parts) == nama and parts[-1].endswith(gelar):
            return True
    return False


def test_columns_signers_nips_and_amounts_read_cleanly(diputuskan, staf, pk, instansi_a, ppk_pk):
    """The fresh-eye faults of the worst-case letters: the SK's data table ran its columns together
    ("Jabatan lama : X Jabatan baru") and wrapped "Diploma IV"; titled signer names split inside
    their titles; the berita acara seleksi printed spaced NIPs; the SK showed only the total AK."""
    from tests.surat.conftest import TIM_TERPANJANG, VERIFIKATOR_TERPANJANG

    letters = terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk)
    texts = {name: layout_text(versi_berlaku(s)) for name, s in letters.items()}

    # 1. The SK per pegawai's data table: one label per line, its colon apart from it and from
    # the value, all colons in one column, and short values whole on their line.
    sk, p = texts["sk"], versi_berlaku(letters["sk"]).isi["pegawai"][0]
    labels = ["Nama", "NIP", "Tempat, tanggal lahir", "Pangkat/gol. ruang, TMT", "Pendidikan", "Jabatan lama",
              "Jabatan baru", "Angka kredit", "TMT jabatan", "Unit kerja"]  # fmt: skip
    colons = set()
    for label in labels:
        rows = [line for line in sk.splitlines() if re.match(rf"^\s*{re.escape(label)}\s+:\s+\S", line)]
        assert len(rows) == 1, (label, sk)
        colons.add(rows[0].index(":", rows[0].index(label) + len(label)))
    assert len(colons) == 1, colons  # the colons line up: a label never runs into its value
    assert not re.search(r"Jabatan lama\s*:.*Jabatan baru", sk)
    for value in (p["pendidikan"], p["jabatan_lama"], f"Pengantar Kerja {p['jenjang']}", p["tempat_lahir"]):
        assert utuh(sk, value), (value, sk)

    # 5. The AK's breakdown, as the PAK gives it: table value + AK Dasar = total, in the SK and in
    # the collective SK's lampiran (three columns under "Angka kredit").
    rinci = f"{p['ak_tabel']} (tabel penyesuaian) + {p['ak_dasar']} (AK Dasar) = {p['ak']}"
    assert utuh(sk, rinci), sk
    lampiran = texts["sk-kolektif"].split("\f")[1]
    assert "AK Dasar" in lampiran and "Jumlah" in lampiran and "Tabel" in lampiran and "penye" in lampiran, lampiran
    for row in versi_berlaku(letters["sk-kolektif"]).isi["pegawai"]:
        angka = r"\s+".join(re.escape(v) for v in (row["ak_tabel"], row["ak_dasar"], row["ak"]))
        assert re.search(rf"\s{angka}\s", lampiran), (row, lampiran)

    # 2. Signer names with titles fit or wrap cleanly (before the titles), the NIP on one line.
    signers = {
        "sk": [PENANDATANGAN_TERPANJANG[::2]], "sk-kolektif": [PENANDATANGAN_TERPANJANG[::2]],
        "pak": [PENANDATANGAN_TERPANJANG[::2]], "rekomendasi": [PENANDATANGAN_PEMBINA_TERPANJANG[::2]],
        "berita-acara": list(TIM_TERPANJANG.values()), "berita-acara-seleksi": [VERIFIKATOR_TERPANJANG],
    }  # fmt: skip
    for name, people in signers.items():
        for nama, nip in people:
            assert nama_rapi(texts[name], nama), (name, nama, texts[name])
            assert utuh(texts[name], f"NIP {nip}"), (name, nip)

    # 3. The berita acara seleksi: NIPs as their 18 digits, unbroken; names readable in their column.
    ba = texts["berita-acara-seleksi"]
    assert not re.search(r"\d{8} \d{6} \d \d{3}", ba), ba
    for row in versi_berlaku(letters["berita-acara-seleksi"]).isi["hasil"]:
        assert re.fullmatch(r"\d{18}", row["nip"]) and utuh(ba, row["nip"]), row["nip"]
    assert utuh(ba, "Dr. Raden Ayu Sekar Kusumawardhani"), ba
    assert utuh(ba, f"NIP {VERIFIKATOR_TERPANJANG[1]}")

    # 6. The berita acara sidang and the rekomendasi's lampiran: a column gap (two spaces or more)
    # between the cells of every row (fresh-eye walk: "Sekretaris Hadir", "Ahli Madya Lulus -").
    def terpisah(text: str, *cells: str) -> bool:
        pola = r"\s{2,}".join(c if c.startswith("(?") else re.escape(c) for c in cells)
        return any(re.search(pola, line) for line in text.splitlines())

    teks = r"(?:\S.*\S|\S)"  # a cell's first line, whatever it holds
    sidang, isi_ba = texts["berita-acara"], versi_berlaku(letters["berita-acara"]).isi
    for a in isi_ba["anggota"]:
        assert terpisah(sidang, teks, a["peran"][:1].upper() + a["peran"][1:], r"(?:Hadir|Tidak hadir)"), (a, sidang)
    for h in isi_ba["hasil"]:
        assert terpisah(sidang, str(h["no"]), h["nip"], teks, h["jenjang"], h["keputusan_teks"], teks), (h, sidang)
    rekomendasi = texts["rekomendasi"].split("\f")[1]
    isi_rek = versi_berlaku(letters["rekomendasi"]).isi
    for p in isi_rek["pegawai"]:
        cells = (
            str(p["no"]),
            p["nip"],
            teks,
            f"{p['pangkat']} ({p['golongan']})",
            p["jenjang"],
            str(p["kelas_jabatan"]),
        )
        assert terpisah(rekomendasi, *cells, p["ak"]), (p, rekomendasi)
    for p in isi_rek["belum_memenuhi"]:
        assert terpisah(rekomendasi, str(p["no"]), p["nip"], teks, p["jenjang"], p["status"], teks), (p, rekomendasi)

    # 7. The collective SK's landscape lampiran (fresh-eye walk of issue 13: its 14 columns were so
    # narrow that a titled name took four lines and "Pengantar Kerja Ahli Muda" four more). Every
    # row's NIP, golongan, dates and PAK number whole; a titled name in at most two lines over its
    # NIP, its titles whole; the cells of a row's first line and of the heading apart.
    lampiran, isi_kol = texts["sk-kolektif"].split("\f")[1], versi_berlaku(letters["sk-kolektif"]).isi
    lines = lampiran.splitlines()
    assert utuh(lampiran, f"Terhitung mulai tanggal {isi_kol['tmt_teks']}"), lampiran
    assert terpisah(lampiran, "Kelas", "Angka kredit", "Unit kerja") and terpisah(lampiran, "AK Dasar", "Jumlah")
    for p in isi_kol["pegawai"]:
        for token in (p["nip"], f"({p['golongan']})", p["tmt_golongan"], p["tanggal_lahir"], p["pak_nomor"],
                      p["pak_tanggal"], p["jenjang"], p["jabatan_lama"].split()[0]):  # fmt: skip
            assert utuh(lampiran, token), (token, lampiran)
        nama = p["nama"].split()
        awal = next(i for i, line in enumerate(lines) if re.match(rf"\s*{p['no']}\s{{2,}}{re.escape(nama[0])}\s", line))
        nip = next(i for i in range(awal, len(lines)) if p["nip"] in lines[i])
        assert nip - awal <= 2, ("name over more than two lines", lines[awal:nip])
        col = lines[awal].index(nama[0])
        dibaca = " ".join(line[col:].split("  ")[0].strip() for line in lines[awal:nip])
        assert dibaca == p["nama"] and utuh(lampiran, p["nama"].partition(", ")[2]), (dibaca, p["nama"])
        pertama = lines[awal]
        pangkat = f"{p['pangkat']} ({p['golongan']})"
        assert terpisah(pertama, str(p["no"]), teks, pangkat, teks, teks, isi_kol["jf"]["nama"],
                        str(p["kelas_jabatan"]), p["ak_tabel"], p["ak_dasar"], p["ak"], teks), (p, pertama)  # fmt: skip


def test_a_corrected_sk_keeps_to_one_page_and_states_its_correction_once(diputuskan, staf, pk, instansi_a, ppk_pk):
    """A correction (a new version) of the worst-case SK per pegawai with a 600-character reason:
    its banner is printed once, under the letterhead, shortened, and the signer block stays on the
    first page (a long reason pushed it onto a page of its own); the reason is kept whole in the
    version history and the audit entry."""
    from django.urls import reverse

    from apps.core.models import AuditLog
    from apps.surat import services
    from apps.surat.services import SuratError
    from tests.surat.conftest import all_tenants, render_antrean
    from tests.verifikasi.conftest import as_user

    sk = terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk)["sk"]
    kalimat = "Tempat lahir dan gelar akademik pegawai keliru ditulis pada versi sebelumnya sehingga diperbaiki. "
    alasan = (kalimat * 7)[:591] + " ujungnya"  # its end is cut from the banner
    assert len(alasan) == 600
    with as_user(ppk_pk):
        services.surat_koreksi(actor=ppk_pk, surat=sk, alasan=alasan)
    render_antrean()
    versi = versi_berlaku(sk)
    assert versi.versi == 2 and versi.alasan == alasan
    text = layout_text(versi)
    assert halaman(text) == 1, text
    flat = " ".join(text.split())
    assert flat.count("menggantikan versi sebelumnya") == 1
    assert "selengkapnya: riwayat versi surat, kode " + versi.kode in flat and "ujungnya" not in flat
    assert utuh(text, PENANDATANGAN_TERPANJANG[2])
    with all_tenants():
        entry = AuditLog.objects.get(action="surat.dikoreksi", object_id=str(sk.pk))
    assert entry.data["alasan"] == alasan
    # The letter's page lists the version with its whole reason.
    page = _client_for(ppk_pk).get(reverse("surat:detail", args=[sk.pk]))
    assert page.status_code == 200 and alasan in page.content.decode()
    # A reason beyond what is kept is refused with a message, not a database error.
    with as_user(ppk_pk), pytest.raises(SuratError, match="terlalu panjang"):
        services.surat_koreksi(actor=ppk_pk, surat=sk, alasan="x" * 1001)


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_penetapan_letters_with_the_worst_cases_keep_their_tokens_whole(referensi):
    """The periodic PAK and the HAPAK (apps.penetapan): one A4 page each, the number whole in the
    heading and in every page's footer, the NIPs, golongan and dates whole, no cells run together;
    the three-line letterhead, the longest instansi name and the titled names reach the letters."""
    from django.utils import timezone

    from apps.core.format import tgl

    letters = terbitkan_penetapan(referensi)
    assert {s.jenis for s in letters.values()} == {JenisSurat.PAK_AK, JenisSurat.HAPAK}
    texts = {name: layout_text(versi_berlaku(s)) for name, s in letters.items()}
    assert halaman(texts["pak-ak"]) == 1, texts["pak-ak"]
    assert halaman(texts["hapak"]) == 1, texts["hapak"]
    for name, surat in letters.items():
        text, versi = texts[name], versi_berlaku(surat)
        assert utuh(text, surat.nomor), (name, surat.nomor)
        for page in (p for p in text.split("\f") if p.strip()):
            assert utuh(page, versi.kode) and surat.nomor in page, (name, "footer")
        p = versi.isi["pejabat"]
        assert utuh(text, p["nip"]), name
        if name == "pak-ak":  # the HAPAK prints no pangkat
            assert utuh(text, f"({p['golongan']})"), name
        assert utuh(text, tgl(timezone.localdate())), name
        assert not re.search(r"\d{18}[^\s\d),;.]", text), name  # "(NIP …)" closes on its bracket
        assert not re.search(r"\(I{1,3}V?/[a-e]\)[A-Za-z0-9]", text), name
        flat = " ".join(text.split())
        assert "KEPULAUAN SIAU TAGULANDANG BIARO" in text and "Jalan Raya Ulu Siau Nomor 1" in flat, name
        assert p["nama"] == (NAMA_TERPANJANG if name == "hapak" else nama_terburuk(1)), name
        assert p["nama"] in flat, name
    assert utuh(texts["pak-ak"], PYB_TERPANJANG[2])
    assert "Dr. Raden Mas Haryo Wicaksono Adinegoro, S.E., M.Si." in " ".join(texts["pak-ak"].split())
    assert "197203151998031004" in texts["hapak"] or "Wirjosoemarto" in texts["hapak"]
