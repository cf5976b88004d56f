"""The pure rules: seed 001's periods and their edges, the BUP exception, quorum, team fallback."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from apps.penetapan import domain

OKT = SimpleNamespace(
    pk=1, nama="Periode I", bulan_pengajuan=10, hari_mulai=1, hari_selesai=7, bulan_pak=1, bulan_kenaikan_pangkat=4
)
APR = SimpleNamespace(
    pk=2, nama="Periode II", bulan_pengajuan=4, hari_mulai=1, hari_selesai=7, bulan_pak=7, bulan_kenaikan_pangkat=10
)
SEED_001 = [OKT, APR]


def test_seed_001_periods_october_to_january_to_april_and_april_to_july_to_october():
    okt = domain.jendela(OKT, 2026)
    assert (okt.mulai, okt.selesai, okt.pak, okt.kenaikan_pangkat) == (
        date(2026, 10, 1),
        date(2026, 10, 7),
        date(2027, 1, 1),
        date(2027, 4, 1),
    )
    apr = domain.jendela(APR, 2027)
    assert (apr.mulai, apr.selesai, apr.pak, apr.kenaikan_pangkat) == (
        date(2027, 4, 1),
        date(2027, 4, 7),
        date(2027, 7, 1),
        date(2027, 10, 1),
    )


@pytest.mark.parametrize(
    ("pada", "terbuka"),
    [
        (date(2026, 9, 30), None),
        (date(2026, 10, 1), 1),
        (date(2026, 10, 7), 1),
        (date(2026, 10, 8), None),
        (date(2027, 3, 31), None),
        (date(2027, 4, 1), 2),
        (date(2027, 4, 7), 2),
        (date(2027, 4, 8), None),
    ],
)
def test_the_window_edges_are_inclusive(pada, terbuka):
    j = domain.jendela_terbuka(SEED_001, pada)
    assert (j.periode_id if j else None) == terbuka


def test_the_next_window_after_one_closes():
    assert domain.jendela_berikut(SEED_001, date(2026, 10, 8)).mulai == date(2027, 4, 1)
    assert domain.jendela_berikut(SEED_001, date(2026, 4, 8)).mulai == date(2026, 10, 1)


def test_bup_exception_edges():
    """Seed 001 BAB IV C: "… diluar periode tersebut apabila JFAK yang akan mengajukan DUPAK telah
    memasuki batas usia pensiun": allowed from the BUP birthday until the day before the TMT
    pensiun (the first day of the following month); the same whether the JF has periods or not."""
    f = domain.boleh_luar_periode
    pada = date(2026, 11, 30)
    assert f(date(1968, 11, 30), 58, pada)  # 58 today
    assert f(date(1968, 11, 1), 58, pada)  # 58 since 1 November, TMT pensiun 1 December
    assert not f(date(1968, 12, 1), 58, pada)  # 58 tomorrow: not yet
    assert not f(date(1969, 1, 5), 58, pada)  # next January: not yet (the 12-month reading, dropped)
    assert not f(date(1969, 7, 1), 58, pada)  # by the next PAK month: not yet (the earlier reading, dropped)
    assert not f(date(1968, 10, 31), 58, pada)  # TMT pensiun 1 November: already retired
    assert not f(date(1968, 1, 5), 58, pada) and not f(date(1960, 1, 1), 58, pada)
    assert not f(date(1990, 1, 1), 58, pada)
    # Ahli Madya (BUP 60), last day of the month: the one day before the TMT pensiun.
    assert f(date(1966, 11, 30), 60, pada) and not f(date(1966, 11, 30), 60, date(2026, 12, 1))


def test_leap_day_birthday_reaches_bup_on_28_february():
    assert domain.tanggal_bup(date(1968, 2, 29), 58) == date(2026, 2, 28)


@pytest.mark.parametrize(("n", "perlu"), [(1, 1), (3, 2), (4, 3), (5, 4), (6, 4), (7, 5), (9, 6)])
def test_quorum_is_the_ceiling_of_two_thirds(n, perlu):
    assert domain.kuorum(n) == perlu
    # 3 of 5 is short, 4 of 5 is enough (seed 001 BAB IV D.3-4).
    assert (perlu - 1) * 3 < 2 * n <= perlu * 3


def _tim(pk, instansi_id, tingkat, mulai=date(2026, 1, 1), selesai=date(2028, 12, 31)):
    return domain.CalonTim(pk, instansi_id, tingkat, mulai, selesai)


def test_team_levels_and_the_fallback():
    pusat = _tim(1, 100, "pusat")
    prov = _tim(2, 20, "provinsi")
    kab = _tim(3, 21, "kabupaten_kota")
    kem = _tim(4, 30, "instansi")
    pada = date(2026, 11, 30)
    calon = [pusat, prov, kab, kem]
    assert domain.tim_penilai_untuk(21, 20, calon, pada) == kab  # own team
    assert domain.tim_penilai_untuk(22, 20, calon, pada) == prov  # no team: the province's
    assert domain.tim_penilai_untuk(30, None, calon, pada) == kem  # a ministry's TPI
    assert domain.tim_penilai_untuk(31, None, calon, pada) == pusat  # no team, no province: pusat
    assert domain.tim_penilai_untuk(22, 20, [pusat, kab], pada) == pusat  # province without a team
    expired = _tim(5, 22, "kabupaten_kota", date(2020, 1, 1), date(2022, 12, 31))
    assert domain.tim_penilai_untuk(22, 20, [expired, pusat], pada) == pusat  # term over
    assert domain.tim_penilai_untuk(22, 20, [], pada) is None


def test_self_assessment_by_account_or_nip():
    f = domain.menilai_diri_sendiri
    assert f(anggota_user_id=7, anggota_nip="", pejabat_user_id=7, pejabat_nip="198609262015052001")
    assert f(
        anggota_user_id=7, anggota_nip="198609262015052001", pejabat_user_id=None, pejabat_nip="198609262015052001"
    )
    assert not f(anggota_user_id=7, anggota_nip="", pejabat_user_id=None, pejabat_nip="198609262015052001")
    assert not f(
        anggota_user_id=7, anggota_nip="197001012000011001", pejabat_user_id=8, pejabat_nip="198609262015052001"
    )


def test_workflow_table_labels_every_state():
    assert set(domain.STATUS_LABELS) == set(domain.Status)
    for t in domain.TRANSITIONS.values():
        assert t.roles and t.sources and t.aksi and t.pesan


@pytest.mark.django_db
def test_a_jf_without_its_own_tembusan_list_names_its_pembina_and_unit(referensi):
    """Issue 19 fresh-eye walk (F2): the PAK's first tembusan comes from the JF's pembina data —
    its own list where a source gives one (seed 001 BAB IV E.3 for JF Analis Kebijakan), else the
    pembina instansi with the JF unit as configured — never a generic placeholder."""
    jf = referensi["analis-kebijakan"]
    assert jf.tembusan_pak_untuk("Pemerintah Kabupaten Banyumas", periodik=True, bawaan=domain.TEMBUSAN_PAK)[0] == (
        "Kepala Lembaga Administrasi Negara u.p. Kepala Pusat Pembinaan Analis Kebijakan"
    )
    jf.tembusan_pak = []
    baris = jf.tembusan_pak_untuk("Pemerintah Kabupaten Banyumas", periodik=True, bawaan=domain.TEMBUSAN_PAK)
    assert baris[0] == f"Pimpinan {jf.instansi_pembina.nama} selaku instansi pembina u.p. {jf.unit_pembina}"
    assert len(baris) == 5 and "Pemerintah Kabupaten Banyumas" in baris[2]
    assert not any("{" in b or "Instansi Pembina" in b for b in baris)
