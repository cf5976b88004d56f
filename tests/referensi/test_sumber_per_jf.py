"""Issue 13, third walk, item 3: each JF's rules cite that JF's own source; where the JF's sources do
not state a rule, it says "belum terverifikasi" — never another JF's regulation (the tester saw JF
Analis Kerja Sama's "Pendidikan memenuhi syarat jenjang" cite JF Pengantar Kerja's SKJ.1/2022)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from apps.referensi import domain, selectors
from apps.referensi.models import JabatanFungsional

pytestmark = pytest.mark.django_db

#: What names each JF's own sources (seed 000: the Pusbin AKS letter; seed 001: the JFAK draft of
#: LAN; seeds 002/003: the SKJ and Permenaker of JF Pengantar Kerja).
PENANDA = {
    "aks": r"seed 000|Analis Kerja Sama|\bAKS\b|Permensesneg|Pusbin",
    "analis-kebijakan": r"seed 001|Analis Kebijakan|\bJFAK\b|45/2013|Nomor 45 Tahun 2013|\bLAN\b",
    "pengantar-kerja": r"seed 00[23]|Pengantar Kerja|SKJ\.?1|Permenaker|Antar Kerja",
}


def _sumber(jf: JabatanFungsional) -> dict[str, str]:
    """Every citation of the JF's rules: each eligibility rule's source for a pegawai in each of its
    jenjang (passing, and with the education missing), and the JF's own source fields."""
    params = selectors.jf_params(jf)
    out = {f: getattr(jf, f) for f in ("sumber_usia", "sumber_pengalaman", "sumber_kinerja", "sumber_disiplin",
                                       "sumber_tembusan_pak")}  # fmt: skip
    for j in params.jenjang:
        for pendidikan in (domain.Pendidikan.S1, None):
            p = domain.PegawaiSnapshot(
                nip="198001012005011001", tanggal_lahir=date(1980, 1, 1), jenis_kelamin="L",
                golongan_urutan=j.golongan_min, golongan_kode="", tmt_golongan=date(2020, 1, 1),
                pendidikan=pendidikan, pengalaman_bulan=60, predikat={2025: domain.Predikat.BAIK,
                2024: domain.Predikat.BAIK},
            )  # fmt: skip
            for o in domain.check_eligibility(p, params, date(2026, 6, 1)).outcomes:
                out[f"{o.rule} ({j.kode}, {pendidikan})"] = o.source
    return out


def test_no_jf_rule_cites_another_jfs_regulation(referensi):
    checked = 0
    for jf in JabatanFungsional.objects.filter(kode__in=PENANDA):
        lain = "|".join(v for k, v in PENANDA.items() if k != jf.kode)
        for rule, source in _sumber(jf).items():
            m = re.search(lain, source, re.IGNORECASE)
            assert m is None, (jf.kode, rule, source)
            checked += 1
    assert checked > 30


def test_education_cites_the_jfs_own_standard_or_says_unverified(referensi):
    def pendidikan(kode):
        params = selectors.jf_params(JabatanFungsional.objects.get(kode=kode))
        j = params.jenjang[0]
        p = domain.PegawaiSnapshot(
            nip="198001012005011001", tanggal_lahir=date(1980, 1, 1), jenis_kelamin="L",
            golongan_urutan=j.golongan_min, golongan_kode="", tmt_golongan=date(2020, 1, 1),
            pendidikan=domain.Pendidikan.S1, pengalaman_bulan=60,
        )  # fmt: skip
        return domain.check_eligibility(p, params, date(2026, 6, 1)).outcome("pendidikan").source

    assert "SKJ.1 Tahun 2022" in pendidikan("pengantar-kerja")
    for kode in ("aks", "analis-kebijakan"):
        assert pendidikan(kode).startswith("Belum terverifikasi"), kode
