"""Issue 13 (fresh-eye walk): every regulation in the reference data carries its kind, number, year
and title (the SK cites it in its "mengingat"), and every eligibility rule names its source on
the JF page and in the rule's outcome — the disiplin rule named none."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from apps.referensi import loader, selectors
from apps.surat import isi as isi_mod

pytestmark = pytest.mark.django_db


def test_each_regulation_of_the_data_files_has_kind_number_year_and_title():
    for name in loader.JF_FILES:
        spec = loader.read(name)
        assert spec["peraturan"], name
        for p in spec["peraturan"]:
            for field in ("jenis", "nomor", "tahun", "judul"):
                assert str(p.get(field) or "").strip(), (name, field, p)
        # The listed legal basis: a numbered regulation says what it is about, or why it cannot.
        for d in spec["dasar_hukum"]:
            if re.search(r"Nomor \S+ Tahun \d{4}", d):
                assert " tentang " in d or "belum terverifikasi" in d, (name, d)


def test_the_aks_sk_cites_the_permensesneg_by_its_title(referensi):
    aks = isi_mod._mengingat(referensi["aks"])
    assert (
        "Peraturan Menteri Sekretaris Negara Nomor 3 Tahun 2024 tentang Petunjuk Pelaksanaan dan Petunjuk Teknis "
        "Jabatan Fungsional Analis Kerja Sama" in aks
    )
    for jf in referensi.values():
        for p in jf.peraturan:
            assert all(str(p.get(f) or "").strip() for f in ("jenis", "nomor", "tahun", "judul")), (jf.kode, p)


def test_the_disiplin_rule_names_its_source_on_the_page_and_in_its_outcome(client, referensi, admin_setneg):
    from apps.referensi import domain

    client.force_login(admin_setneg)
    for kode, jf in referensi.items():
        assert jf.sumber_disiplin.strip(), kode
        body = client.get(reverse("referensi:jf_detail", args=[kode])).content.decode()
        found = re.search(r'data-testid="sumber-disiplin">\(([^)<]*)', body)
        assert found and found.group(1).strip(), kode
        params = selectors.jf_params(jf)
        snapshot = domain.PegawaiSnapshot(
            nip="198609262015051001", tanggal_lahir=date(1986, 9, 26), jenis_kelamin=None, golongan_urutan=None,
            golongan_kode="", tmt_golongan=None, pendidikan=None, pengalaman_bulan=0, predikat={},
        )  # fmt: skip
        outcome = domain.check_eligibility(snapshot, params, date(2026, 8, 1)).outcome("disiplin")
        assert outcome.source == jf.sumber_disiplin, kode
    # The AKS rule cites seed 000; the others say that their sources do not state it.
    assert referensi["aks"].sumber_disiplin.startswith("Seed 000")
    assert "periksa" in referensi["pengantar-kerja"].sumber_disiplin
