"""Issue 13, fresh-eye walk: an instansi whose usulan all failed got no letter ("Belum ada usulan
lulus yang menunggu rekomendasi."); its failures appeared only in a later letter once someone passed.
The admin pembina issues the letter for the decided usulan not yet in one, also when none passed: it
says that no one is recommended, lists who does not meet the requirements and why, and its counts add
up (domain.md §9: counts proposed / recommended / not yet eligible with reasons)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat.models import JenisSurat, Surat, SuratUsulan
from apps.surat.services import SuratError
from tests.surat.conftest import (
    all_tenants,
    layout_text,
    rekomendasi_lewat_halaman,
    render_antrean,
    terbitkan_rekomendasi,
    versi_berlaku,
)


def test_an_instansi_with_no_pass_gets_a_letter_naming_who_fails_and_why(diputuskan, staf, pk, instansi_a):
    _lulus, tidak, _s = diputuskan(0, 2)
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    assert surat.perihal == "Hasil Usulan Pengangkatan dalam Jabatan Fungsional Pengantar Kerja melalui Penyesuaian"
    with all_tenants():
        assert {u.status for u in Usulan.objects.filter(pk__in=[u.pk for u in tidak])} == {Status.TIDAK_LULUS}
        rows = list(SuratUsulan.objects.filter(surat=surat).values_list("usulan_id", "direkomendasikan"))
    assert sorted(rows) == sorted((u.pk, False) for u in tidak)
    render_antrean()
    versi = versi_berlaku(surat)
    assert versi.isi["jumlah"] == {"diusulkan": 2, "direkomendasikan": 0, "belum_memenuhi": 2}
    text = " ".join(layout_text(versi).split())
    assert "Jumlah pegawai yang diusulkan sebanyak 2 orang." in text
    assert "Tidak ada pegawai yang direkomendasikan untuk diangkat dalam Jabatan Fungsional Pengantar Kerja" in text
    assert "belum memenuhi syarat sebanyak 2 orang, dengan alasan sebagaimana tercantum dalam lampiran" in text
    assert "sebanyak 0 orang" not in text
    assert "Daftar Pegawai yang Direkomendasikan".upper() not in text
    assert "Daftar Pegawai yang Belum Memenuhi Syarat".upper() in text
    assert "salinan keputusan pengangkatan" not in text  # nothing to appoint, no SK to send back
    for u in tidak:
        assert u.data_pegawai["nip"] in text
    assert len(re.findall(r"Tidak lulus uji kompetensi", text)) == 2
    assert "Bukti kompetensi teknis belum memadai." in text
    # All of them are in a letter now: nothing left for the instansi, and a second letter is refused.
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    assert "Tidak ada usulan lulus atau tidak lulus yang belum tercantum dalam surat rekomendasi" in " ".join(
        refused.value.messages
    )


def test_the_rekomendasi_page_offers_the_instansi_and_issues_its_letter(client, diputuskan, staf, pk, instansi_a):
    diputuskan(0, 1)
    client.force_login(staf["admin"])
    body = client.get(reverse("surat:rekomendasi") + f"?jf={pk.kode}").content.decode()
    assert 'data-testid="tidak-ada-rekomendasi"' not in body and instansi_a.nama in body
    periksa = rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a, konfirmasi=None).content.decode()
    assert "Periksa sebelum menerbitkan rekomendasi" in periksa and "1 surat" in periksa
    assert f"{instansi_a.nama}: 0 lulus, 1 tidak lulus" in periksa
    assert rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a).status_code == 302
    with all_tenants():
        assert Surat.objects.filter(jenis=JenisSurat.REKOMENDASI, instansi=instansi_a).count() == 1
    body = client.get(reverse("surat:rekomendasi") + f"?jf={pk.kode}").content.decode()
    assert 'data-testid="tidak-ada-rekomendasi"' in body
