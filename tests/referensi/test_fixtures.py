"""The shipped reference data loads, is complete, and cites its sources."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apps.core import tenancy
from apps.referensi.loader import load_all
from apps.referensi.models import AKDasar, Golongan, Kompetensi, NilaiPenyesuaianAK, PersyaratanDokumen

pytestmark = pytest.mark.django_db

MANAJERIAL = {
    "Integritas", "Kerja sama", "Komunikasi", "Orientasi pada hasil", "Pelayanan publik",
    "Pengembangan diri dan orang lain", "Mengelola perubahan", "Pengambilan keputusan",
}  # fmt: skip


def test_each_jf_loads_with_jenjang_documents_and_schedule(referensi):
    assert set(referensi) == {"aks", "pengantar-kerja", "analis-kebijakan"}
    for jf in referensi.values():
        assert [j.nama for j in jf.jenjang.order_by("urutan")] == [
            "Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama",
        ]  # fmt: skip
        assert jf.tahapan.count() == 5
        assert jf.persyaratan_dokumen.filter(level="usulan", wajib=True).count() >= 7
        assert jf.persyaratan_dokumen.filter(level="instansi").count() == 5
        assert jf.instansi_pembina.is_pembina
        assert jf.dasar_hukum


def test_analis_kerja_sama_follows_seed_000(referensi):
    aks = referensi["aks"]
    assert aks.instansi_pembina.nama == "Kementerian Sekretariat Negara"
    assert (aks.usia_maks, aks.pengalaman_min_tahun) == (56, 2)
    assert aks.ekstensi_berkas == ["pdf"] and aks.ukuran_berkas_maks == 2 * 1024 * 1024
    assert str(aks.jendela_tutup) == "2026-12-31"
    kodes = set(aks.persyaratan_dokumen.values_list("kode", flat=True))
    # seed 000 additions on top of the seed 003 checklist
    assert {"portofolio", "pernyataan_disiplin", "evaluasi_kinerja_2_tahun", "sk_cpns", "ijazah"} <= kodes
    golongan = {j.nama: (j.golongan_min.kode, j.golongan_maks.kode) for j in aks.jenjang.all()}
    assert golongan == {
        "Ahli Pertama": ("III/a", "III/b"),
        "Ahli Muda": ("III/c", "III/d"),
        "Ahli Madya": ("IV/a", "IV/c"),
        "Ahli Utama": ("IV/d", "IV/e"),
    }


def test_pengantar_kerja_has_the_full_standard_of_seed_002(referensi):
    pk = referensi["pengantar-kerja"]
    assert pk.predikat_tahun == 1  # seed 003: 1 tahun terakhir
    teknis_expected = {"ahli_pertama": 3, "ahli_muda": 5, "ahli_madya": 5, "ahli_utama": 4}
    for jenjang in pk.jenjang.all():
        kompetensi = list(jenjang.kompetensi.all())
        manajerial = [k for k in kompetensi if k.jenis == Kompetensi.Jenis.MANAJERIAL]
        sosial = [k for k in kompetensi if k.jenis == Kompetensi.Jenis.SOSIAL_KULTURAL]
        teknis = [k for k in kompetensi if k.jenis == Kompetensi.Jenis.TEKNIS]
        assert {k.nama for k in manajerial} == MANAJERIAL, jenjang.kode
        assert [k.nama for k in sosial] == ["Perekat bangsa"]
        assert len(teknis) == teknis_expected[jenjang.kode]
        assert all(1 <= k.level <= 5 and k.deskripsi and len(k.indikator) >= 2 for k in kompetensi)
        assert jenjang.ikhtisar
    levels = {j.kode: {k.nama: k.level for k in j.kompetensi.all()} for j in pk.jenjang.all()}
    assert levels["ahli_pertama"]["Integritas"] == 2
    assert levels["ahli_muda"]["Perekat bangsa"] == 3
    assert levels["ahli_madya"]["Pengendalian Penggunaan Tenaga Kerja Asing"] == 4
    assert levels["ahli_utama"]["Integritas"] == 5 and levels["ahli_utama"]["Kerja sama"] == 4
    assert pk.jenjang.get(kode="ahli_utama").pendidikan_min == "s2"  # seed 002: magister


def test_ak_tables_ship_unverified_including_iii_d(referensi):
    """Each JF owns its AK tables (issue 13): the same shipped rows, once per JF, all unverified.
    AK Dasar III/d = 100 is read only in secondary material (domain.md §4 [V2]; its sumber says
    "sumber sekunder, belum terverifikasi"), so it is unverified too."""
    from apps.core.sumber import kutipan

    assert Golongan.objects.count() == 13
    assert len(referensi) == 3
    for jf in referensi.values():
        assert NilaiPenyesuaianAK.objects.filter(jf=jf).count() == 13 * 5 * 5
        assert not NilaiPenyesuaianAK.objects.filter(jf=jf, terverifikasi=True).exists()
        iii_d = AKDasar.objects.get(jf=jf, golongan__kode="III/d")
        assert iii_d.nilai == Decimal(100) and not iii_d.terverifikasi
        assert "sumber sekunder, belum terverifikasi" in kutipan(iii_d.sumber)
        assert AKDasar.objects.filter(jf=jf, terverifikasi=False).count() == 13
    assert NilaiPenyesuaianAK.objects.count() == 3 * 13 * 5 * 5


def test_loading_again_keeps_admin_corrections(referensi):
    aks = referensi["aks"]
    aks.usia_maks = 58
    aks.save()
    # Deleting a requirement checks the tenant-owned documents that could refer to it.
    with tenancy.all_tenants(reason="test: delete a reference row"):
        PersyaratanDokumen.objects.filter(jf=aks, kode="spt").delete()
    created = load_all()
    assert created == {"golongan": 0, "ak": 0, "jf": 0}
    aks.refresh_from_db()
    assert aks.usia_maks == 58


PUSBIN = ["keputusan_jabatan_terakhir", "surat_keterangan_sehat", "daftar_riwayat_hidup"]


def test_aks_requires_the_pusbin_letters_documents_marked_unverified(referensi):
    """Issue 13 §7: keputusan jabatan terakhir, surat keterangan sehat, dokumen PAK and daftar
    riwayat hidup (Surat Kepala Pusbin AKS B-02/…/2026, a secondary copy). The letter makes them
    required: wajib, still "belum terverifikasi" with that source (fresh-eye L0: they were optional)."""
    from apps.referensi.models import PersyaratanDokumen

    rows = PersyaratanDokumen.objects.filter(jf__kode="aks", kode__in=PUSBIN)
    assert rows.count() == 3
    for row in rows:
        assert row.wajib and row.level == "usulan" and row.jenis_usulan == "penyesuaian", row.kode
        assert row.deskripsi.startswith("Belum terverifikasi")
        assert "B-02/KSN/Pusbin-AKS/KP.01.03/03/2026" in row.deskripsi
    # The PAK the letter also names is required by Peraturan BKN 3/2023 itself (signed by the atasan
    # langsung before the SK): mandatory and cited to that regulation (tests/surat/test_pak.py).
    pak = PersyaratanDokumen.objects.get(jf__kode="aks", kode="dokumen_pak")
    assert pak.wajib and "Peraturan BKN Nomor 3 Tahun 2023" in pak.deskripsi
    # Only JF AKS: the letter is Pusbin AKS's.
    assert not PersyaratanDokumen.objects.filter(kode__in=PUSBIN).exclude(jf__kode="aks").exists()


def test_a_database_with_the_pusbin_documents_optional_gets_them_required_through_the_migration(referensi):
    """A database loaded while they were shipped optional (migration 0006), or before they existed."""
    import importlib

    from django.apps import apps as django_apps
    from django.db import connection

    from apps.referensi.models import PersyaratanDokumen

    aks = PersyaratanDokumen.objects.filter(jf__kode="aks")
    # Deleting a requirement checks the tenant-owned documents that could refer to it.
    with tenancy.all_tenants(reason="test: a database loaded before the row existed"):
        aks.filter(kode="keputusan_jabatan_terakhir").delete()
    aks.filter(kode__in=PUSBIN).update(wajib=False)
    migration = importlib.import_module("apps.referensi.migrations.0024_dokumen_aks_surat_pusbin_wajib")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.wajibkan(django_apps, editor)
    rows = PersyaratanDokumen.objects.filter(jf__kode="aks", kode__in=PUSBIN)
    assert sorted(rows.values_list("kode", flat=True)) == sorted(PUSBIN)
    assert all(r.wajib and "B-02/KSN/Pusbin-AKS/KP.01.03/03/2026" in r.deskripsi for r in rows)
    migration.wajibkan(django_apps, editor)  # idempotent
    assert PersyaratanDokumen.objects.filter(jf__kode="aks", kode__in=PUSBIN).count() == 3
