"""The rules engine, with worked examples from the sources named in each test's docstring."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from apps.core.format import format_ak
from apps.referensi import domain as d
from apps.referensi.domain import Predikat, Status

# ---------------------------------------------------------------- fixtures

AHLI = (
    d.JenjangParams("ahli_pertama", "Ahli Pertama", 9, 10, 2, 58, Decimal("12.5")),  # III/a–III/b
    d.JenjangParams("ahli_muda", "Ahli Muda", 11, 12, 2, 58, Decimal("25")),  # III/c–III/d
    d.JenjangParams("ahli_madya", "Ahli Madya", 13, 15, 2, 60, Decimal("37.5")),  # IV/a–IV/c
    d.JenjangParams("ahli_utama", "Ahli Utama", 16, 17, 3, 65, Decimal("50")),  # IV/d–IV/e
)
AKS = d.JFParams(
    nama="Analis Kerja Sama",
    usia_maks=56,
    pengalaman_min_tahun=2,
    predikat_min=Predikat.BAIK,
    predikat_tahun=2,
    disiplin_tahun=2,
    jenjang=AHLI,
    sumber_usia="Seed 000: batas usia maksimal 56 tahun",
    sumber_pengalaman="Seed 000/003/004: pengalaman minimal 2 tahun",
    sumber_kinerja="Seed 000: evaluasi kinerja dua tahun terakhir",
)
ON = date(2026, 6, 1)


def snapshot(**overrides) -> d.PegawaiSnapshot:
    base = dict(  # noqa: C408 - reads like the dataclass call
        nip="19860926 201505 1 001",
        tanggal_lahir=date(1986, 9, 26),
        jenis_kelamin="L",
        golongan_urutan=11,
        golongan_kode="III/c",
        tmt_golongan=date(2021, 4, 1),
        pendidikan=d.Pendidikan.S1,
        pengalaman_bulan=36,
        predikat={2025: Predikat.BAIK, 2024: Predikat.SANGAT_BAIK},
        hukuman_disiplin=(),
    )
    base.update(overrides)
    return d.PegawaiSnapshot(**base)


# ---------------------------------------------------------------- NIP (BKN, domain.md §5)


def test_nip_is_read_part_by_part():
    """domain.md §5 [V]: YYYYMMDD YYYYMM G NNN, e.g. 19860926 201505 1 001."""
    info = d.parse_nip("19860926 201505 1 001")
    assert info.nip == "198609262015051001"
    assert info.tanggal_lahir == date(1986, 9, 26)
    assert info.tmt_cpns == date(2015, 5, 1)
    assert info.jenis_kelamin == "L"
    assert info.nomor_urut == "001"
    assert info.is_pns
    assert info.formatted() == "19860926 201505 1 001"


def test_nip_accepts_spaces_of_any_kind():
    assert d.normalize_nip(" 19860926\u00a0201505 2 001 ") == "198609262015052001"
    assert d.parse_nip("19860926\t201505\u00a02001").jenis_kelamin == "P"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "wajib diisi"),
        ("19860926 201505 1 00", "18 digit; yang diisi 17"),
        ("1986O926 201505 1 001", "hanya boleh berisi angka; ditemukan: O"),
        ("19860231 201505 1 001", "Digit 1–8 NIP (19860231) bukan tanggal lahir"),
        ("19861326 201505 1 001", "Digit 1–8 NIP (19861326)"),
        ("18860926 201505 1 001", "Tahun lahir pada NIP (1886)"),
        ("19860926 201505 3 001", "Digit ke-15 NIP (3)"),
        ("19860926 198505 1 001", "Digit 9–14 NIP (198505)"),
    ],
)
def test_a_malformed_nip_names_the_bad_part(raw, message):
    with pytest.raises(d.NipError, match=message.replace("(", r"\(").replace(")", r"\)")):
        d.parse_nip(raw)


def test_a_pppk_number_is_flagged_not_a_crash():
    """domain.md §5: PPPK numbers carry a non-month code in digits 13–14."""
    info = d.parse_nip("19900101 202221 1 001")
    assert not info.is_pns and info.tmt_cpns is None
    result = d.check_eligibility(snapshot(nip="19900101 202221 1 001", tanggal_lahir=date(1990, 1, 1)), AKS, ON)
    assert result.outcome("nip").status == Status.FAILED
    assert "PPPK" in result.outcome("nip").message
    assert not result.eligible


@pytest.mark.parametrize("kode", ["00", "13", "20", "99"])
def test_another_non_month_in_digits_13_14_is_a_typing_error_not_pppk(kode):
    """Issue 13 §7: only the PPPK code reads as PPPK; any other non-month is a typing error."""
    with pytest.raises(d.NipError) as err:
        d.parse_nip(f"19900101 2022{kode} 1 001")
    assert f"Digit 13–14 NIP ({kode}) bukan bulan" in str(err.value) and "salah ketik" in str(err.value)
    assert "PPPK (21)" in str(err.value)


nip_dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31))


@given(
    lahir=nip_dates,
    tmt_offset=st.integers(min_value=18, max_value=40),
    month=st.integers(1, 12),
    sex=st.sampled_from("12"),
    urut=st.integers(1, 999),
)
def test_nip_round_trip(lahir, tmt_offset, month, sex, urut):
    """Building a NIP from its parts and reading it back gives the same parts."""
    nip = f"{lahir:%Y%m%d}{lahir.year + tmt_offset:04d}{month:02d}{sex}{urut:03d}"
    info = d.parse_nip(d.format_nip(nip))
    assert info.nip == nip
    assert info.tanggal_lahir == lahir
    assert info.tmt_cpns == date(lahir.year + tmt_offset, month, 1)
    assert info.jenis_kelamin == ("L" if sex == "1" else "P")
    assert d.parse_nip(info.formatted()) == info


@given(st.text(max_size=30))
def test_parse_nip_never_crashes(raw):
    try:
        d.parse_nip(raw)
    except d.NipError as exc:
        assert str(exc)


# ---------------------------------------------------------------- jenjang and masa kerja (seed 004)


@pytest.mark.parametrize(
    ("urutan", "expected"),
    [(9, "Ahli Pertama"), (10, "Ahli Pertama"), (11, "Ahli Muda"), (12, "Ahli Muda"), (13, "Ahli Madya"),
     (15, "Ahli Madya"), (16, "Ahli Utama"), (17, "Ahli Utama"), (8, None), (5, None)],
)  # fmt: skip
def test_jenjang_follows_the_last_golongan(urutan, expected):
    """Seed 004 (the principle) and the table of PermenPANRB 1/2023 as taught by BKN [V2]: III/a–III/b
    Ahli Pertama … IV/d–IV/e Ahli Utama; II/d has none."""
    found = d.jenjang_for_golongan(urutan, AHLI)
    assert (found.nama if found else None) == expected


@pytest.mark.parametrize(
    ("tmt", "expected"),
    [
        (date(2025, 6, 2), 0),  # kurang dari 1 tahun
        (date(2025, 6, 1), 1),
        (date(2024, 6, 2), 1),  # 1 tahun 11 bulan → 1
        (date(2024, 6, 1), 2),
        (date(2023, 6, 1), 3),
        (date(2022, 6, 2), 3),
        (date(2022, 6, 1), 4),
        (date(2010, 1, 1), 4),  # capped at 4
    ],
)
def test_masa_kerja_in_pangkat_is_rounded_down_and_capped(tmt, expected):
    """PerBKN 3/2023 (seed 004): <1 → kurang 1 tahun; 1–<2 → 1; 2–<3 → 2; 3–<4 → 3; ≥4 → 4."""
    assert d.masa_kerja_pangkat(tmt, ON) == expected


def test_masa_kerja_of_a_pelaksana_in_iii_a_counts_from_cpns():
    """PerBKN 3/2023 (seed 004): pelaksana III/a, masa kerja dihitung sejak calon PNS."""
    assert d.counts_from_cpns("III/a", is_pelaksana=True)
    assert not d.counts_from_cpns("III/b", is_pelaksana=True)
    assert not d.counts_from_cpns("III/a", is_pelaksana=False)
    tmt_pangkat, tmt_cpns = date(2025, 9, 1), date(2019, 1, 1)
    assert d.masa_kerja_pangkat(tmt_pangkat, ON) == 0
    assert d.masa_kerja_pangkat(tmt_pangkat, ON, hitung_dari_cpns=True, tmt_cpns=tmt_cpns) == 4


@given(
    tmt=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)),
    on=st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 1, 1)),
)
def test_masa_kerja_is_whole_years_of_full_months_capped_at_4(tmt, on):
    years = d.masa_kerja_pangkat(tmt, on)
    assert 0 <= years <= 4
    months = d.full_months_between(tmt, on)
    assert years == min(4, months // 12)
    if on >= tmt:
        # never rounded up: the anniversary of ``years`` has been reached
        assert d.add_years(tmt, years) <= on or (tmt.month == 2 and tmt.day == 29)


def test_full_months_handle_month_ends():
    assert d.full_months_between(date(2024, 1, 31), date(2024, 2, 29)) == 1
    assert d.full_months_between(date(2024, 1, 31), date(2024, 2, 28)) == 0
    assert d.full_months_between(date(2024, 3, 15), date(2024, 3, 1)) == 0


def test_age_and_years_until_retirement():
    """PP 11/2017 pasal 239: BUP 58 (Ahli Pertama/Muda), 60 (Madya), 65 (Utama); TMT pensiun is
    the first day of the month after the BUP birthday."""
    birth = date(1970, 12, 15)
    assert d.age_on(birth, date(2026, 12, 14)) == 55
    assert d.age_on(birth, date(2026, 12, 15)) == 56
    assert d.tanggal_pensiun(birth, 58) == date(2029, 1, 1)
    assert d.tanggal_pensiun(date(1970, 5, 15), 60) == date(2030, 6, 1)
    assert d.years_until_pension(birth, 58, date(2026, 6, 1)) == 2
    assert d.years_until_pension(birth, 58, date(2030, 1, 1)) == 0
    assert d.add_years(date(2000, 2, 29), 1) == date(2001, 2, 28)


# ---------------------------------------------------------------- angka kredit (PermenPANRB 1/2023)


def test_predikat_percentages():
    """PermenPANRB 1/2023: Sangat Baik 150 %, Baik 100 %, Butuh Perbaikan 75 %, Kurang 50 %,
    Sangat Kurang 25 %."""
    koef = Decimal("12.5")
    assert [d.angka_kredit(p, koef) for p in Predikat] == [
        Decimal("18.750"),
        Decimal("12.500"),
        Decimal("9.375"),
        Decimal("6.250"),
        Decimal("3.125"),
    ]


def test_partial_year_follows_the_bkn_worked_example():
    """BKN example: 2/12 × 100 % × 12,5 = 2,083 (three decimals, half up)."""
    assert d.angka_kredit(Predikat.BAIK, Decimal("12.5"), bulan=2) == Decimal("2.083")
    assert d.angka_kredit("sangat_baik", Decimal("25"), bulan=5) == Decimal("15.625")
    with pytest.raises(ValueError):
        d.angka_kredit(Predikat.BAIK, Decimal("12.5"), bulan=13)


def test_penyesuaian_ak_is_table_value_plus_ak_dasar():
    """Seed 004: AK = nilai tabel penyesuaian + AK Dasar; AK Dasar III/d = 100 [V]."""
    assert d.angka_kredit_penyesuaian(Decimal("37.5"), Decimal("100")) == Decimal("137.500")
    tabel = {("III/d", 2, "s1"): (Decimal("50"), False)}
    dasar = {"III/d": (Decimal("100"), True)}
    ak = d.hitung_ak_awal(golongan_kode="III/d", masa_kerja=2, pendidikan="s1", tabel=tabel, ak_dasar=dasar)
    assert ak == d.AKAwal(Decimal("50"), Decimal("100"), Decimal("150.000"), False, True)
    assert not ak.terverifikasi and not ak.tabel_terverifikasi and ak.dasar_terverifikasi
    assert d.hitung_ak_awal(golongan_kode="IV/a", masa_kerja=2, pendidikan="s1", tabel=tabel, ak_dasar=dasar) is None


def test_ak_is_shown_as_bkn_prints_it():
    """BKN example prints 2/12 × 100 % × 12,5 as 2,08: two decimals, decimal comma."""
    assert format_ak(d.angka_kredit(Predikat.BAIK, Decimal("12.5"), bulan=2)) == "2,08"
    assert format_ak(Decimal("12.500")) == "12,5"
    assert format_ak(Decimal("150.000")) == "150"
    assert format_ak("1.005") == "1,01"
    assert format_ak(None) == "-" and format_ak("") == "-"


@given(
    bulan=st.integers(0, 11),
    koef=st.sampled_from([Decimal("3.75"), Decimal("5"), Decimal("12.5"), Decimal("25"), Decimal("37.5"), Decimal(50)]),
    predikat=st.sampled_from(list(Predikat)),
)
def test_ak_is_monotonic_in_months_and_predikat(bulan, koef, predikat):
    assert d.angka_kredit(predikat, koef, bulan) <= d.angka_kredit(predikat, koef, bulan + 1)
    better = [p for p in Predikat if d.PREDIKAT_URUTAN[p] > d.PREDIKAT_URUTAN[predikat]]
    for p in better:
        assert d.angka_kredit(predikat, koef, bulan + 1) <= d.angka_kredit(p, koef, bulan + 1)


@given(a=st.decimals(0, 1000, places=3), b=st.decimals(0, 1000, places=3), extra=st.decimals(0, 100, places=3))
def test_penyesuaian_is_monotonic(a, b, extra):
    assume(a.is_finite() and b.is_finite() and extra.is_finite())
    assert d.angka_kredit_penyesuaian(a, b) <= d.angka_kredit_penyesuaian(a + extra, b)


# ---------------------------------------------------------------- eligibility


def test_an_eligible_pegawai_passes_every_rule_with_sources():
    result = d.check_eligibility(snapshot(), AKS, ON)
    assert result.eligible and not result.warnings
    assert [o.rule for o in result.outcomes] == [
        "nip", "usia", "jenjang", "pengalaman", "pendidikan", "kinerja", "disiplin", "pensiun",
    ]  # fmt: skip
    assert all(o.source for o in result.outcomes)
    assert result.jenjang.nama == "Ahli Muda"


def test_maksimal_berusia_56_tahun_lasts_until_the_57th_birthday():
    """Seed 000 [V]: 56 tahun; the pembina letter [V2]: "maksimal berusia 56 (lima puluh enam)
    tahun pada saat pengangkatan" — the default reading: at most 56 whole years old."""
    p = snapshot(nip="19700601 199503 1 001", tanggal_lahir=date(1970, 6, 1))
    assert d.check_eligibility(p, AKS, date(2026, 6, 2)).outcome("usia").status == Status.PASSED
    assert d.check_eligibility(p, AKS, date(2027, 5, 31)).outcome("usia").status == Status.PASSED
    late = d.check_eligibility(p, AKS, date(2027, 6, 1))
    assert late.outcome("usia").status == Status.FAILED
    assert late.outcome("usia").source.startswith("Seed 000")
    assert "56" in late.outcome("usia").message and "31 Mei 2027" in late.outcome("usia").message
    assert not late.eligible


def test_belum_melewati_ulang_tahun_ke_56_is_a_jf_choice():
    """The other reading a JF may configure: the TMT on or before the 56th birthday."""
    strict = d.JFParams(**{**AKS.__dict__, "usia_tafsir": d.TafsirUsia.ULANG_TAHUN})
    p = snapshot(nip="19700601 199503 1 001", tanggal_lahir=date(1970, 6, 1))
    assert d.check_eligibility(p, strict, date(2026, 6, 1)).outcome("usia").passed
    assert d.check_eligibility(p, strict, date(2026, 6, 2)).outcome("usia").status == Status.FAILED


def test_age_and_pension_at_the_appointment_date():
    """Checked at the TMT: the JF's age limit and the BUP of the jenjang (PP 11/2017 ps. 239)."""
    birth = date(1970, 6, 1)
    kw = {"usia_maks": 56, "tafsir": d.TafsirUsia.USIA_GENAP, "batas_usia_pensiun": 58}
    assert d.cek_usia_dan_pensiun(birth, date(2027, 5, 31), **kw) == []
    (usia,) = d.cek_usia_dan_pensiun(birth, date(2027, 6, 1), **kw)
    assert "Pada TMT 1 Juni 2027 berusia 57 tahun" in usia
    over = d.cek_usia_dan_pensiun(birth, date(2028, 7, 1), **{**kw, "usia_maks": 65})
    assert over == ["Pada TMT 1 Juli 2028 telah mencapai batas usia pensiun 58 tahun (pensiun TMT 1 Juli 2028)."]
    assert d.cek_usia_dan_pensiun(birth, date(2028, 6, 30), **{**kw, "usia_maks": 65}) == []
    assert d.cek_usia_dan_pensiun(birth, date(2030, 1, 1), **{**kw, "usia_maks": 65, "batas_usia_pensiun": None}) == []
    assert d.hari_terakhir_usia(date(1972, 2, 29), 56) == date(2029, 2, 27)


def test_one_year_eleven_months_of_experience_fails():
    """Seeds 000, 003, 004 [V]: pengalaman paling singkat 2 tahun secara kumulatif."""
    result = d.check_eligibility(snapshot(pengalaman_bulan=23), AKS, ON)
    assert result.outcome("pengalaman").status == Status.FAILED
    assert "1 tahun 11 bulan" in result.outcome("pengalaman").message
    assert d.check_eligibility(snapshot(pengalaman_bulan=24), AKS, ON).outcome("pengalaman").passed


def test_a_golongan_outside_the_jf_fails():
    """PermenPANRB 1/2023 table as taught by BKN [V2]: a keahlian JF has no jenjang for II/d."""
    result = d.check_eligibility(snapshot(golongan_urutan=8, golongan_kode="II/d"), AKS, ON)
    assert result.outcome("jenjang").status == Status.FAILED
    assert "II/d" in result.outcome("jenjang").message
    assert result.jenjang is None
    assert "pendidikan" not in {o.rule for o in result.outcomes}


def test_missing_golongan_and_birth_date_fail_clearly():
    result = d.check_eligibility(snapshot(nip="bukan nip", tanggal_lahir=None, golongan_urutan=None), AKS, ON)
    assert result.outcome("nip").status == Status.FAILED
    assert result.outcome("usia").message == "Tanggal lahir belum diisi."
    assert result.outcome("jenjang").message == "Pangkat/golongan terakhir belum diisi."


def test_nip_must_agree_with_the_recorded_birth_date_and_sex():
    """domain.md §5: birth date and sex derived from the NIP must match the recorded ones."""
    result = d.check_eligibility(snapshot(tanggal_lahir=date(1986, 9, 27), jenis_kelamin="P"), AKS, ON)
    assert result.outcome("nip").status == Status.FAILED
    assert "tanggal lahir, jenis kelamin" in result.outcome("nip").message


def test_education_below_the_jenjang_is_a_warning_for_the_verifier():
    """KepmenPANRB SKJ.1/2022 (seed 002): keahlian min. S1/D-IV; Ahli Utama S2 for JF PK."""
    low = d.check_eligibility(snapshot(pendidikan=d.Pendidikan.D3), AKS, ON)
    assert low.outcome("pendidikan").status == Status.REVIEW
    assert low.eligible  # a warning, not a hard failure
    utama = snapshot(golongan_urutan=16, golongan_kode="IV/d", pendidikan=d.Pendidikan.S1)
    assert d.check_eligibility(utama, AKS, ON).outcome("pendidikan").status == Status.REVIEW
    missing = d.check_eligibility(snapshot(pendidikan=None), AKS, ON)
    assert missing.outcome("pendidikan").message == "Pendidikan terakhir belum diisi."


def test_performance_below_baik_fails_and_missing_is_a_warning():
    """Seed 000: evaluasi kinerja dua tahun terakhir minimal Baik (seed 003: 1 tahun, Kemnaker).
    Below the minimum is a hard failure by default; a JF may configure "needs review"."""
    weak = snapshot(predikat={2025: Predikat.BUTUH_PERBAIKAN, 2024: Predikat.BAIK})
    low = d.check_eligibility(weak, AKS, ON)
    assert low.outcome("kinerja").status == Status.FAILED and not low.eligible
    assert "2025" in low.outcome("kinerja").message
    review = d.JFParams(**{**AKS.__dict__, "kinerja_disiplin_status": Status.REVIEW})
    reviewed = d.check_eligibility(weak, review, ON)
    assert reviewed.outcome("kinerja").status == Status.REVIEW and reviewed.eligible
    missing = d.check_eligibility(snapshot(predikat={2025: Predikat.BAIK}), AKS, ON)
    assert "2024" in missing.outcome("kinerja").message
    one_year = d.JFParams(**{**AKS.__dict__, "predikat_tahun": 1})
    assert d.check_eligibility(snapshot(predikat={2025: Predikat.BAIK}), one_year, ON).outcome("kinerja").passed


def test_a_recent_medium_sanction_fails_and_an_old_one_does_not():
    """Seed 000: tidak sedang menjalani / dijatuhi hukuman disiplin sedang atau berat (2 tahun):
    a hard failure by default, "needs review" when the JF configures it."""
    recent = snapshot(hukuman_disiplin=[(date(2025, 1, 10), d.TingkatHukuman.SEDANG)])
    assert d.check_eligibility(recent, AKS, ON).outcome("disiplin").status == Status.FAILED
    review = d.JFParams(**{**AKS.__dict__, "kinerja_disiplin_status": Status.REVIEW})
    assert d.check_eligibility(recent, review, ON).outcome("disiplin").status == Status.REVIEW
    old = snapshot(hukuman_disiplin=[(date(2023, 1, 10), d.TingkatHukuman.BERAT)])
    assert d.check_eligibility(old, AKS, ON).outcome("disiplin").passed
    light = snapshot(hukuman_disiplin=[(date(2025, 1, 10), d.TingkatHukuman.RINGAN)])
    assert d.check_eligibility(light, AKS, ON).outcome("disiplin").passed


def test_retirement_age_of_the_jenjang():
    """PP 11/2017 pasal 239: BUP Ahli Muda 58 — past it fails, within a year is a warning."""
    no_age_limit = d.JFParams(**{**AKS.__dict__, "usia_maks": 70})
    soon = snapshot(nip="19680801 199303 1 001", tanggal_lahir=date(1968, 8, 1))
    assert d.check_eligibility(soon, no_age_limit, date(2026, 1, 1)).outcome("pensiun").status == Status.REVIEW
    assert d.check_eligibility(soon, no_age_limit, date(2026, 9, 1)).outcome("pensiun").status == Status.FAILED


def test_changing_a_parameter_changes_the_outcome():
    p = snapshot(nip="19700601 199503 1 001", tanggal_lahir=date(1970, 6, 1))
    assert not d.check_eligibility(p, AKS, date(2027, 7, 1)).eligible
    relaxed = d.JFParams(**{**AKS.__dict__, "usia_maks": 58})
    assert d.check_eligibility(p, relaxed, date(2027, 7, 1)).eligible


def test_citations_name_their_true_source():
    """Issue 13 §8 / domain.md: the golongan → jenjang table, the predikat percentages and the
    2/12 example are not in seed 004; each citation says where they come from."""
    assert "PermenPANRB 1/2023" in d.SRC_JENJANG and "[V2]" in d.SRC_JENJANG
    assert "tabel" in d.SRC_JENJANG and "Seed 004 (prinsip" in d.SRC_JENJANG
    assert "[V2" in d.SUMBER_PREDIKAT and "tidak ada dalam seed" in d.SUMBER_PREDIKAT
    import inspect

    source = inspect.getsource(d)
    assert "PermenPANRB 1/2023: konversi predikat" not in source
    assert "(BKN worked example: 2/12" not in source


def test_nip_pns_accepts_a_pns_and_refuses_a_pppk_number():
    assert d.nip_pns("19860926 201505 1 001").is_pns
    with pytest.raises(d.NipError) as err:
        d.nip_pns("19900101 202221 1 001")
    assert "PPPK" in str(err.value)


def test_experience_reads_as_every_page_writes_it():
    """'7 tahun', as the verifier's page (the ``durasi`` filter) writes it, not '7 tahun 0 bulan'."""
    message = d.check_eligibility(snapshot(pengalaman_bulan=84), AKS, ON).outcome("pengalaman").message
    assert message.startswith("Pengalaman 7 tahun (minimal"), message
    message = d.check_eligibility(snapshot(pengalaman_bulan=5), AKS, ON).outcome("pengalaman").message
    assert message.startswith("Pengalaman 5 bulan, kurang dari"), message


def test_a_stage_prints_its_dates_the_indonesian_way():
    """Messages naming a stage read '30 November 2026', as the other messages do (not 30-11-2026)."""
    from apps.referensi.models import Tahapan

    tahap = Tahapan(kode="pengajuan", mulai=date(2026, 11, 30), selesai=date(2026, 12, 31))
    assert str(tahap) == "Pengajuan peserta (30 November 2026 – 31 Desember 2026)"


# ---------------------------------------------------------------- checks the pages call directly


def test_a_recorded_birth_date_or_sex_that_disagrees_with_the_nip_is_named():
    """domain.md §5: digits 1–8 are the birth date, digit 15 the sex (1 L, 2 P)."""
    nip = d.parse_nip("198609262015052001")  # born 26-09-1986, woman
    assert nip.tidak_sesuai(tanggal_lahir=date(1986, 9, 26), jenis_kelamin="P") == {}
    assert nip.tidak_sesuai(tanggal_lahir=None, jenis_kelamin=None) == {}  # empty: filled from the NIP
    salah = nip.tidak_sesuai(tanggal_lahir=date(1986, 9, 27), jenis_kelamin="L")
    assert set(salah) == {"tanggal_lahir", "jenis_kelamin"}
    assert "26 September 1986" in salah["tanggal_lahir"] and "digit ke-15" in salah["jenis_kelamin"]


def test_the_last_tmt_is_the_earlier_of_the_age_limit_and_the_day_before_pension():
    """Pembina letter: "maksimal berusia 56 tahun pada saat pengangkatan" (usia genap: until the
    day before the 57th birthday); the BUP: the TMT pensiun is the first of the month after it."""
    lahir = date(1970, 3, 10)
    genap = d.tmt_paling_lambat(lahir, usia_maks=56, tafsir=d.TafsirUsia.USIA_GENAP, batas_usia_pensiun=None)
    assert genap == date(2027, 3, 9)
    ulang = d.tmt_paling_lambat(lahir, usia_maks=56, tafsir=d.TafsirUsia.ULANG_TAHUN, batas_usia_pensiun=None)
    assert ulang == date(2026, 3, 10)
    pensiun = d.tmt_paling_lambat(lahir, usia_maks=None, tafsir=d.TafsirUsia.USIA_GENAP, batas_usia_pensiun=58)
    assert pensiun == d.tanggal_pensiun(lahir, 58) - timedelta(days=1)
    both = d.tmt_paling_lambat(lahir, usia_maks=56, tafsir=d.TafsirUsia.USIA_GENAP, batas_usia_pensiun=56)
    assert both == min(genap, d.tanggal_pensiun(lahir, 56) - timedelta(days=1))
    assert d.tmt_paling_lambat(lahir, usia_maks=None, tafsir="usia_genap", batas_usia_pensiun=None) is None
