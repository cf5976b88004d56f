"""What the PAK and the HAPAK say (seed 001 BAB IV E, seed 004, domain.md §4): the PAK states the
masa penilaian, the AK as a sum — the AK awal (or the last PAK's) plus each period's konversi —
and which threshold is met with the figures required and reached; the HAPAK is addressed to the
holder through the proposing instansi and prints the ketua's NIP under the signature. Read from
the rendered PDFs."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.core import tenancy
from apps.core.format import tgl
from apps.jabatan.services import konversi_catat
from apps.penetapan import services
from apps.surat.models import VersiSurat
from tests.penetapan.conftest import KETUA_NIP, PYB, as_user, buat_pejabat, ke_penilaian, nilai_ak
from tests.surat.conftest import pdf_text, render_antrean

pytestmark = pytest.mark.django_db


def _teks(pdf: str) -> str:
    return " ".join(pdf.split())


def _putuskan(pic_kab, tim_prov, holders) -> dict:
    usulan = [ke_penilaian(pic_kab, p, tim_prov) for p in holders]
    for a in tim_prov["anggota"][:4]:
        for u in usulan:
            nilai_ak(a, u)
    stp, ketua = tim_prov["sekretariat"], tim_prov["anggota"][0]
    with as_user(stp):
        sidang = services.sidang_buka(
            actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk for u in usulan]
        )
    with as_user(ketua.user):
        hasil = services.sidang_putuskan(
            actor=ketua.user, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim_prov["anggota"][:5]]
        )
    render_antrean()
    out = {}
    with tenancy.all_tenants(reason="test assertion"):
        for h in hasil:
            versi = VersiSurat.objects.select_related("surat").get(surat_id=h.surat_id, diganti_at__isnull=True)
            out[h.pejabat_nama] = (versi, _teks(pdf_text(versi)))
    return out


def test_the_pak_states_the_period_the_sum_and_the_threshold_met_and_the_hapak_its_addressee(
    pic_kab, kab, jfak, tim_prov, ani
):
    # Citra: AK awal 40, then 2024 at "Baik" (12 × 100 % × 12,5 = 12,5) and two months of 2025 at
    # "Sangat Baik" (2/12 × 150 % × 12,5 = 3,125): 55,625 ≥ 50 for the next pangkat, < 100 for the jenjang.
    # Citra was imported with her AK from a pre-portal PAK; Ani's AK awal is the portal's inpassing SK.
    citra = buat_pejabat(kab, jfak, nip="198811112014022001", nama="Citra Lestari", ak_awal=Decimal("40"),
                         rincian_awal={"sumber": "impor_xlsx", "baris": 2, "dasar": "PAK 7/2024"})  # fmt: skip
    with tenancy.scope(kab):
        konversi_catat(citra, predikat="baik", periode_mulai=date(2024, 1, 1), periode_selesai=date(2024, 12, 31),
                       oleh=pic_kab)  # fmt: skip
        konversi_catat(citra, predikat="sangat_baik", periode_mulai=date(2025, 1, 1),
                       periode_selesai=date(2025, 2, 28), oleh=pic_kab)  # fmt: skip
    surat = _putuskan(pic_kab, tim_prov, [citra, ani])
    pak_versi, pak = surat["Citra Lestari"]
    assert pak_versi.surat.jenis == "pak_ak"
    assert "Masa penilaian 1 Januari 2024 s.d. 28 Februari 2025" in pak
    # An import without the AK's date: the letter says so, not the day of the import.
    assert "Angka kredit dari PAK terakhir (PAK 7/2024) tanggal tidak tercatat 40" in pak
    assert "penyesuaian/inpassing" not in pak
    assert (
        "Konversi predikat kinerja Baik (12/12 × 100 % × 12,5 = 12,5) 1 Januari 2024 s.d. 31 Desember 2024 12,5" in pak
    )
    assert "Konversi predikat kinerja Sangat Baik (2/12 × 150 % × 12,5 = 3,13)" in pak
    assert "3,13" in pak  # 3,125 as BKN prints it
    assert "Angka kredit kumulatif 55,63" in pak
    assert "Kenaikan pangkat setingkat lebih tinggi dipersyaratkan 50; dicapai 55,63 memenuhi; kelebihan 5,63" in pak
    # The threshold less the AK as printed (55,625 rounded once): 55,63 + 44,37 = 100, not 44,38.
    assert "Kenaikan jenjang jabatan setingkat lebih tinggi dipersyaratkan 100; dicapai 55,63 kurang 44,37" in pak
    assert (
        "Memenuhi angka kredit kumulatif untuk kenaikan pangkat setingkat lebih tinggi: dicapai 55,63, "
        "dipersyaratkan 50." in pak
    )
    # The snapshot's sum adds up to the AK kumulatif the letter states.
    r = pak_versi.isi["rincian"]
    total = Decimal(r["dasar"]["ak"].replace(",", ".")) + sum(Decimal(b["ak"].replace(",", ".")) for b in r["baris"])
    assert total == Decimal("55.63") and pak_versi.isi["ak_kumulatif"] == "55,63"

    hapak_versi, hapak = surat["Ani Wulandari"]
    assert hapak_versi.surat.jenis == "hapak"
    assert (
        "Yth. Sdr. Ani Wulandari (NIP 198609262015052001) melalui Pengelola Kepegawaian Pemerintah Kabupaten "
        "Banyumas di Purwokerto" in hapak
    )
    assert f"NIP {KETUA_NIP}" in hapak
    assert hapak.index(f"Ketua {tim_prov['tim'].nama}") < hapak.index(f"NIP {KETUA_NIP}")
    # Nothing converted since the AK awal: the masa says so up to the letter's date (not "-").
    assert f"Masa penilaian {tgl(hapak_versi.surat.tanggal)} (belum ada konversi predikat kinerja)" in hapak
    assert "Angka kredit awal (penyesuaian/inpassing) SK Nomor 800/1/SK-INP/2024 tanggal tidak tercatat 40" in hapak


def test_the_pak_and_the_hapak_print_the_konversi_formula_as_it_computes(pic_kab, kab, jfak, tim_prov, ani):
    """Issue 19 (fresh-eye walk, MEDIUM): the letters printed "(2 bulan × 100% × koefisien 12,5) …
    2,08", which as written is 25. They print BKN's form, as the pages and the API do (domain.md
    §4): "2/12 × 100 % × 12,5 = 2,08"; a full year "12/12 × 150 % × 12,5 = 18,75"."""
    citra = buat_pejabat(kab, jfak, nip="198811112014022001", nama="Citra Lestari", ak_awal=Decimal("40"))
    with tenancy.scope(kab):
        konversi_catat(citra, predikat="sangat_baik", periode_mulai=date(2024, 1, 1),
                       periode_selesai=date(2024, 12, 31), oleh=pic_kab)  # fmt: skip
        konversi_catat(ani, predikat="baik", periode_mulai=date(2024, 1, 1), periode_selesai=date(2024, 2, 29),
                       oleh=pic_kab)  # fmt: skip
    surat = _putuskan(pic_kab, tim_prov, [citra, ani])
    (pak_versi, pak), (hapak_versi, hapak) = surat["Citra Lestari"], surat["Ani Wulandari"]
    assert (pak_versi.surat.jenis, hapak_versi.surat.jenis) == ("pak_ak", "hapak")
    assert "Konversi predikat kinerja Sangat Baik (12/12 × 150 % × 12,5 = 18,75)" in pak
    assert "Konversi predikat kinerja Baik (2/12 × 100 % × 12,5 = 2,08)" in hapak
    for teks in (pak, hapak):
        assert "bulan ×" not in teks and "× koefisien" not in teks
    # A percentage never parts from its sign at a line's end (re-check walk: "(12/12 × 100" then
    # "% × 12,5 = 12,5)" on the next line of the table cell): a no-break space joins them.
    isi = json.dumps(pak_versi.isi, ensure_ascii=False)
    assert "× 150\u00a0% ×" in isi and "150 %" not in isi


def _ak(teks: str) -> Decimal:
    return Decimal(teks.replace(",", "."))


def test_the_printed_parts_of_the_pak_add_up_to_its_printed_total(pic_kab, kab, jfak, tim_prov):
    """Issue 19 (fresh-eye walks): each figure was rounded on its own. Dodi's ledger: 40, 12,5 and
    three two-month periods at "Baik" (2/12 × 12,5). A konversi row keeps the figure BKN prints,
    2,08 (apps.jabatan.domain.ak_konversi), so the ledger, the PAK's rows and its total agree by
    hand: 40 + 12,5 + 2,08 × 3 = 58,74, in the PDF and on the ledger."""
    from apps.jabatan.selectors import ak_kumulatif

    dodi = buat_pejabat(kab, jfak, nip="198905052015031001", nama="Dodi Saputra", ak_awal=Decimal("40"))
    with tenancy.scope(kab):
        konversi_catat(dodi, predikat="baik", periode_mulai=date(2024, 1, 1), periode_selesai=date(2024, 12, 31),
                       oleh=pic_kab)  # fmt: skip
        for mulai, selesai in ((date(2025, 1, 1), date(2025, 2, 28)), (date(2025, 3, 1), date(2025, 4, 30)),
                               (date(2025, 5, 1), date(2025, 6, 30))):  # fmt: skip
            m = konversi_catat(dodi, predikat="baik", periode_mulai=mulai, periode_selesai=selesai, oleh=pic_kab)
            assert m.nilai == Decimal("2.08")
        assert ak_kumulatif(dodi) == Decimal("58.74")
    versi, pak = _putuskan(pic_kab, tim_prov, [dodi])["Dodi Saputra"]
    assert versi.surat.jenis == "pak_ak"
    baris = [b["ak"] for b in versi.isi["rincian"]["baris"]]
    assert sorted(baris) == ["12,5", "2,08", "2,08", "2,08"]
    assert _ak(versi.isi["rincian"]["dasar"]["ak"]) + sum(_ak(b) for b in baris) == Decimal("58.74")
    # The PDF prints those figures: each konversi row ends in its AK, then the total.
    dicetak = [
        _ak(pak.rsplit(f"s.d. {akhir} ", 1)[1].split(" ", 1)[0])
        for akhir in ("31 Desember 2024", "28 Februari 2025", "30 April 2025", "30 Juni 2025")
    ]
    assert sorted(dicetak) == [Decimal("2.08"), Decimal("2.08"), Decimal("2.08"), Decimal("12.5")]
    assert "Angka kredit awal tanggal tidak tercatat 40" in pak and "Angka kredit kumulatif 58,74" in pak
    assert Decimal(40) + sum(dicetak) == Decimal("58.74")
    assert "dipersyaratkan 50; dicapai 58,74 memenuhi; kelebihan 8,74" in pak
    assert "dipersyaratkan 100; dicapai 58,74 kurang 41,26" in pak


def test_a_ketua_without_a_nip_cannot_issue_a_hapak_that_prints_none(pic_kab, tim_prov, ani):
    from apps.penetapan.alur import PenetapanError

    ketua = tim_prov["anggota"][0]
    with tenancy.all_tenants(reason="test: the ketua's account has no NIP"):
        type(ketua.user).objects.filter(pk=ketua.user_id).update(nip="")
    ketua.user.refresh_from_db()
    u = ke_penilaian(pic_kab, ani, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, u)
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        sidang = services.sidang_buka(actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk])
    with as_user(ketua.user), pytest.raises(PenetapanError, match="belum memiliki NIP"):
        services.sidang_putuskan(actor=ketua.user, sidang=sidang, pyb=PYB,
                                 hadir_ids=[a.pk for a in tim_prov["anggota"][:5]])  # fmt: skip


def test_the_hapak_names_the_threshold_it_states():
    """Issue 19 fresh-eye walk: the HAPAK printed "yang dipersyaratkan" without saying which of the
    jenjang's two thresholds; it names the one the AK is set against (selectors.ak_dan_syarat)."""
    from types import SimpleNamespace

    from apps.penetapan.isi import syarat_untuk

    def angka(**a):
        return SimpleNamespace(ambang=SimpleNamespace(**{"memenuhi_pangkat": False, "memenuhi_jenjang": False, **a}))

    assert syarat_untuk(angka(pangkat=50)) == "kenaikan pangkat setingkat lebih tinggi"
    # The top pangkat of the jenjang (no next pangkat): the next jenjang's threshold.
    assert syarat_untuk(angka(pangkat=None)) == "kenaikan jenjang jabatan setingkat lebih tinggi"
    assert syarat_untuk(None) == "kenaikan pangkat/jabatan"


def test_the_hapak_gives_the_golongan_the_date_once_and_closes_as_a_letter(pic_kab, kab, jfak, tim_prov):
    """Issue 19 fresh-eye walk (F3): the starting row said "… tanggal 1 Maret 2021 | per 1 Maret
    2021"; the covering letter closed with "Ditetapkan di …" (a decision's wording, not a
    letter's); the holder's golongan was missing."""
    eka = buat_pejabat(kab, jfak, nip="198905052015031002", nama="Eka Saputra", ak_awal=Decimal("30"),
                       rincian_awal={"sumber": "impor_xlsx", "baris": 2, "dasar": "PAK 3/2021"},
                       awal_pada=date(2021, 3, 1))  # fmt: skip
    versi, hapak = _putuskan(pic_kab, tim_prov, [eka])["Eka Saputra"]
    assert versi.surat.jenis == "hapak"
    assert "Angka kredit dari PAK terakhir (PAK 3/2021) tanggal 1 Maret 2021 30" in hapak
    assert "per 1 Maret 2021" not in hapak
    assert "Pangkat/golongan ruang Penata Muda (III/a)" in hapak
    assert "Ditetapkan di" not in hapak
    kota = versi.surat.penerbit.kota
    assert f"{kota}, {tgl(versi.surat.tanggal)}" in hapak
