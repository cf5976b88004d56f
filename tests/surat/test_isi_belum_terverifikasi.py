"""Issue 13 (fresh-eye walk, findings 2 and 3): what the SK and the PAK print that no source
confirms. Each JF regulation cited in the SK's "mengingat" is verified only where a seed quotes
it as printed; the others are "belum terverifikasi" on the JF page, still print in the SK (which
must cite the JF's regulation), and the PPK is told before issuing and confirms. The PAK's tembusan
list prints without a mark; where its source is unverified the PPK is told the same way."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from apps.core.models import AuditLog
from apps.referensi import loader
from apps.referensi.models import JabatanFungsional, peraturan_teks
from apps.surat import services as surat_services
from apps.surat.models import JenisSurat, Surat
from tests.surat.conftest import (
    TTD_FORM,
    all_tenants,
    layout_text,
    render_antrean,
    terbitkan_rekomendasi,
    versi_berlaku,
)

pytestmark = pytest.mark.django_db

#: The regulations a seed quotes, as it quotes them: (JF, nomor, tahun) → (seed, quote).
KUTIPAN_SEED = {
    ("aks", "10", 2023): ("000", "PermenPANRB Nomor 10 Tahun 2023 tentang JF Analis Kerja Sama"),
    ("pengantar-kerja", "1", 2022): (
        "002",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 1 Tahun 2022 tentang "
        "Jabatan Fungsional Pengantar Kerja",
    ),
    ("pengantar-kerja", "4", 2017): (
        "003",
        "Permenaker No.4 Tahun 2017 tentang Tata Cara Penyesuaian Jabatan Fungsional Bidang Ketenagakerjaan",
    ),
}
#: The regulations a seed names by kind, number and year but whose printed title it does not
#: confirm (fresh-eye walk 1, M2; domain.md §4a [V]): (JF, nomor, tahun) → (seed, the seed's words).
KUTIPAN_TANPA_JUDUL = {
    ("aks", "3", 2024): ("000", "Permensesneg Nomor 3 Tahun 2024"),
    ("analis-kebijakan", "45", 2013): (
        "001",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi No. 45 Tahun 2013",
    ),
}
SINGKATAN = {
    "Permensesneg": "Peraturan Menteri Sekretaris Negara",
    "PermenPANRB": "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
    "Permenaker": "Peraturan Menteri Ketenagakerjaan",
    "JF ": "Jabatan Fungsional ",
    "No.": "Nomor ",
}
SEEDS = Path(os.environ.get("SIAKS_SEEDS", "/work/shared/seeds"))


def _rata(text: str) -> str:
    return " ".join(text.split())


def _lengkap(kutipan: str) -> str:
    for pendek, panjang in SINGKATAN.items():
        kutipan = kutipan.replace(pendek, panjang)
    return _rata(kutipan)


def test_the_verified_regulations_are_exactly_those_a_seed_quotes_as_printed(referensi):
    dari_berkas, di_basis_data = set(), set()
    for name in loader.JF_FILES:
        spec = loader.read(name)
        for p in spec["peraturan"]:
            if p["status"] == "V":
                kunci = (spec["kode"], str(p["nomor"]), p["tahun"])
                dari_berkas.add(kunci)
                if p.get("status_judul", "V") != "V":  # the regulation confirmed, its title not
                    seed, kutipan = KUTIPAN_TANPA_JUDUL[kunci]
                    awal = peraturan_teks({**p, "judul": ""})
                    assert _rata(awal) == _lengkap(kutipan), (name, p)
                    assert p["sumber"].lower().startswith(f"seed {seed}"), (name, p)
                    continue
                seed, kutipan = KUTIPAN_SEED[kunci]
                # What the SK prints is the seed's citation, abbreviations written out.
                assert _rata(peraturan_teks(p)) == _lengkap(kutipan), (name, p)
                assert p["sumber"].lower().startswith(f"seed {seed}"), (name, p)
    for jf in JabatanFungsional.objects.all():
        di_basis_data |= {(jf.kode, str(p["nomor"]), p["tahun"]) for p in jf.peraturan if p.get("status") == "V"}
    assert dari_berkas == di_basis_data == set(KUTIPAN_SEED) | set(KUTIPAN_TANPA_JUDUL)
    # Where the seeds are at hand, the quotes are theirs word for word.
    if SEEDS.is_dir():
        for seed, kutipan in [*KUTIPAN_SEED.values(), *KUTIPAN_TANPA_JUDUL.values()]:
            (berkas,) = SEEDS.glob(f"{seed}_*.txt")
            assert _rata(kutipan) in _rata(berkas.read_text(encoding="utf-8")), (seed, kutipan)


def test_the_jf_page_marks_each_regulation_the_sk_cites(client, referensi, admin_setneg):
    client.force_login(admin_setneg)

    def baris(kode):
        page = client.get(reverse("referensi:jf_detail", args=[kode])).content.decode()
        daftar = re.search(r'data-testid="peraturan-sk">(.*?)</ul>', page, re.S).group(1)
        return [_rata(re.sub(r"<[^>]+>", " ", li)) for li in re.findall(r"<li>(.*?)</li>", daftar, re.S)]

    aks = baris("aks")
    assert "Nomor 10 Tahun 2023 tentang Jabatan Fungsional Analis Kerja Sama terverifikasi" in aks[0]
    assert "judul belum terverifikasi" not in aks[0]
    # Fresh-eye walk 1, M2: seed 000 names Permensesneg 3/2024 and seed 001 PermenPAN 45/2013
    # (domain.md §4a [V]); only their titles are unverified, and only the titles are flagged.
    assert "Nomor 3 Tahun 2024" in aks[1] and "Kerja Sama terverifikasi judul belum terverifikasi" in aks[1]
    (ankeb,) = baris("analis-kebijakan")
    assert "Nomor 45 Tahun 2013" in ankeb and "Kreditnya terverifikasi judul belum terverifikasi" in ankeb
    assert "Analisis Kebijakan (JFAK)" in ankeb  # the seed's spelling of the title, for the admin to check
    for b in (aks[1], ankeb):
        assert " belum terverifikasi" not in b.replace("judul belum terverifikasi", "").split(" (")[0], b
    pk = baris("pengantar-kerja")
    assert len(pk) == 2 and not any("belum terverifikasi" in b for b in pk)
    assert "[V" not in " ".join(aks + pk + [ankeb])


def test_an_unverified_regulation_prints_and_the_ppk_confirms_it(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    peraturan = [dict(p) for p in pk.peraturan]
    peraturan[1] |= {"status": "V2", "sumber": "salinan tidak resmi [V2]"}
    JabatanFungsional.objects.filter(pk=pk.pk).update(peraturan=peraturan)
    cetak = peraturan_teks(peraturan[1])
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:ppk")).content.decode()
    kotak = _rata(re.sub(r"<[^>]+>", " ", page.split('data-testid="periksa-isi-surat"', 1)[1].split("</div>", 1)[0]))
    assert f"Konsiderans Mengingat SK mencantumkan {cetak} — belum terverifikasi" in kotak
    # Item 3: the PAK issued with this SK prints the tembusan list whose source is unverified.
    assert "Tembusan PAK (4 baris) belum terverifikasi" in kotak
    isian = {"usulan": [lulus[0].pk], "tanggal": "2026-08-20", "tmt": "2026-09-01", **TTD_FORM}
    periksa = client.post(reverse("surat:ppk"), isian).content.decode()
    peringatan = _rata(periksa.split('data-testid="peringatan-konfirmasi"', 1)[1].split("</div>", 1)[0])
    assert cetak in peringatan and "Tembusan PAK" in peringatan
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.SK).exists()  # nothing issued before confirming
    client.post(reverse("surat:ppk"), {**isian, "konfirmasi": "ya"})
    render_antrean()
    with all_tenants():
        sk = Surat.objects.get(jenis=JenisSurat.SK)
        pak = Surat.objects.get(jenis=JenisSurat.PAK)
        entry = AuditLog.objects.get(action="surat.diterbitkan", object_id=str(sk.pk))
    assert any(cetak in b for b in entry.data["belum_terverifikasi"])
    sk_teks = _rata(layout_text(versi_berlaku(sk)))
    assert cetak in sk_teks  # still cited: the SK names the JF's regulations
    pak_teks = _rata(layout_text(versi_berlaku(pak)))
    assert "Pejabat lain yang berkepentingan" in pak_teks and "Tim Penilai" not in pak_teks
    for teks in (sk_teks, pak_teks):  # letters carry no internal marks
        assert "terverifikasi" not in teks and "[V" not in teks and "periksa" not in teks.lower()


def test_a_verbatim_tembusan_and_verified_regulations_raise_nothing(referensi, pk):
    ankeb = referensi["analis-kebijakan"]
    assert not ankeb.tembusan_pak_belum_terverifikasi  # seed 001 Bab IV E.3, verbatim
    assert referensi["aks"].tembusan_pak_belum_terverifikasi
    # Fresh-eye walk 1, M2: PermenPAN 45/2013 is confirmed by seed 001 (only its title is not):
    # the PPK of JF Analis Kebijakan, or of JF AKS for Permensesneg 3/2024, is not warned about it.
    assert surat_services.isi_belum_terverifikasi(ankeb, dengan_pak=True) == []
    butir = surat_services.isi_belum_terverifikasi(referensi["aks"], dengan_pak=False)
    assert not any("Nomor 3 Tahun 2024" in b for b in butir), butir
    assert surat_services.isi_belum_terverifikasi(pk, dengan_pak=False) == []
    assert len(surat_services.isi_belum_terverifikasi(pk, dengan_pak=True)) == 1  # its tembusan only


def test_the_migration_updates_the_rows_as_shipped_and_keeps_an_admins_edit(referensi):
    import importlib

    from django.apps import apps

    migrasi = importlib.import_module("apps.referensi.migrations.0014_peraturan_status_sumber")
    aks = referensi["aks"]
    lama = [
        dict(zip(("jenis", "nomor", "tahun", "judul", "status", "sumber"), r, strict=True)) for r in migrasi.LAMA["aks"]
    ]
    diubah = {**lama[0], "judul": "Judul yang dikoreksi admin"}
    JabatanFungsional.objects.filter(pk=aks.pk).update(peraturan=[diubah, lama[1]])
    migrasi.isi(apps, SimpleNamespace(connection=connection))
    aks.refresh_from_db()
    assert aks.peraturan[0] == diubah
    assert aks.peraturan[1]["status"] == "V" and "pasal.id" in aks.peraturan[1]["sumber"]
    assert aks.peraturan[1]["status_judul"] == "V2"


def test_fe1_m2_the_migration_confirms_the_regulation_and_keeps_its_title_flag(referensi):
    """Fresh-eye walk 1, M2: a database holding the rows as shipped (status V2) gets status V and
    the title's own flag; a row the admin pembina changed is left as it is."""
    import importlib

    from django.apps import apps

    migrasi = importlib.import_module("apps.referensi.migrations.0023_peraturan_status_judul")
    aks, ankeb = referensi["aks"], referensi["analis-kebijakan"]
    lama_aks = [dict(aks.peraturan[0]), {k: v for k, v in aks.peraturan[1].items() if k != "status_judul"}]
    lama_aks[1] |= {"status": "V2", "sumber": migrasi.SUMBER_LAMA["aks"]}
    JabatanFungsional.objects.filter(pk=aks.pk).update(peraturan=lama_aks)
    diubah = {**{k: v for k, v in ankeb.peraturan[0].items() if k != "status_judul"}, "status": "U"}
    JabatanFungsional.objects.filter(pk=ankeb.pk).update(peraturan=[diubah])
    migrasi.isi(apps, SimpleNamespace(connection=connection))
    aks.refresh_from_db()
    ankeb.refresh_from_db()
    assert aks.peraturan[1]["status"] == "V" and aks.peraturan[1]["status_judul"] == "V2"
    assert aks.peraturan[1]["sumber"] == migrasi.SUMBER_BARU["aks"]
    assert aks.peraturan[0] == lama_aks[0]
    assert ankeb.peraturan == [diubah]  # an admin's edit stays
    assert not any("Nomor 3 Tahun 2024" in b for b in surat_services.isi_belum_terverifikasi(aks, dengan_pak=False))
