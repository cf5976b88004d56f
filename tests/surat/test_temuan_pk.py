"""Issue 13, a fresh-eye walk of JF Pengantar Kerja (Kemenhub → Kemnaker): what the PIC, the PPK,
the Tim Penilai and the admin pembina met, each with the behaviour that answers it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.core.format import format_ak
from apps.pengusulan import services as pic_services
from apps.referensi.models import AKDasar, Jenjang, NilaiPenyesuaianAK
from tests.pengusulan.conftest import pegawai_data

pytestmark = pytest.mark.django_db


def _teks(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _draft(pic, jf, **extra):
    with tenancy.scope(pic.instansi):
        pic_services.formasi_simpan(
            actor=pic, jf=jf, jenjang=Jenjang.objects.get(jf=jf, kode="ahli_muda"), unit_kerja="", jumlah=5
        )
        pegawai = pic_services.pegawai_create(actor=pic, data=pegawai_data(**extra))
        return pic_services.usulan_create(actor=pic, pegawai=pegawai, jf=jf)


def test_the_pic_sees_the_ak_awal_breakdown_while_the_usulan_is_a_draft(client, pic_pk, pk):
    """Finding 1: the PIC copies the AK awal into the PAK signed by the atasan langsung, a document
    required before submitting; the draft page shows table value + AK Dasar = total, with the flag
    of a row not yet verified."""
    usulan = _draft(pic_pk, pk)
    assert usulan.ak_awal is None  # nothing stored before the submission
    client.force_login(pic_pk)
    page = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    kartu = re.search(r'data-testid="ak-pratinjau">(.*?)</div></div>', page, re.S)
    assert kartu, "no AK awal breakdown on the draft page"
    teks = _teks(kartu.group(1))
    # III/c since 1 April 2021: four years counted (capped), S1: the shipped rows, neither verified yet.
    tabel = NilaiPenyesuaianAK.objects.get(jf=pk, golongan__kode="III/c", masa_kerja=4, pendidikan="s1")
    dasar = AKDasar.objects.get(jf=pk, golongan__kode="III/c")
    assert not tabel.terverifikasi and not dasar.terverifikasi
    t, d, total = (format_ak(x) for x in (tabel.nilai, dasar.nilai, tabel.nilai + dasar.nilai))
    assert (
        f"AK awal: {t} (tabel penyesuaian) belum terverifikasi + {d} (AK Dasar) belum terverifikasi = {total}" in teks
    ), teks
    assert "masa kerja dalam pangkat 4 tahun" in teks
    # A draft has no rekomendasi: no warning that the table changed after one (second fresh-eye
    # walk of issue 13: every draft showed "… rekomendasi memuat AK 100, tabel kini memberi -").
    assert 'data-testid="ak-beda-rekomendasi"' not in page
    assert "rekomendasi" not in teks, teks


def test_the_jf_page_shows_how_the_age_rule_is_read_and_what_a_kinerja_failure_does(client, pk, pic_pk):
    """Finding 5: the rule rows show the configured reading of the age limit and the configured
    mode of a kinerja/disiplin failure. Finding 9: the PAK's signer keeps its capitals ("SK")."""
    pk.usia_tafsir = "ulang_tahun"
    pk.kinerja_disiplin_status = "review"
    pk.save(update_fields=["usia_tafsir", "kinerja_disiplin_status"])
    client.force_login(pic_pk)
    page = client.get(reverse("referensi:jf_detail", args=[pk.kode])).content.decode()

    def row(testid):
        return _teks(re.search(rf'data-testid="{testid}">(.*?)</td>', page, re.S).group(1))

    assert "belum melewati ulang tahun ke-56 pada TMT pengangkatan" in row("aturan-usia")
    assert "Bila tidak terpenuhi: Perlu ditinjau verifikator" in row("aturan-kinerja")
    assert "Bila tidak terpenuhi: Perlu ditinjau verifikator" in row("aturan-disiplin")
    # The fixture has the SK's signer sign the PAK.
    assert "Ditandatangani oleh: Pejabat yang menetapkan SK, diterbitkan bersama SK" in row("pak-penandatangan")
    assert "menetapkan sk" not in page and "bersama sk" not in page

    pk.usia_tafsir = "usia_genap"
    pk.kinerja_disiplin_status = "failed"
    pk.save(update_fields=["usia_tafsir", "kinerja_disiplin_status"])
    page = client.get(reverse("referensi:jf_detail", args=[pk.kode])).content.decode()
    assert "maksimal berusia 56 tahun pada TMT pengangkatan (sebelum ulang tahun ke-57)" in row("aturan-usia")
    assert "Bila tidak terpenuhi: Tidak memenuhi syarat (usulan tidak dapat diajukan)" in row("aturan-kinerja")


def test_the_ppk_page_notes_only_what_applies_to_the_usulan_waiting(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    """Finding 8: for an SK penyesuaian the note on the PAK does not speak of a kenaikan jenjang."""
    from apps.referensi.models import PakPenandatangan
    from tests.surat.conftest import terbitkan_rekomendasi

    diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:ppk")).content.decode()
    assert "SK kenaikan jenjang tidak disertai PAK" not in page
    assert 'data-testid="catatan-kenaikan"' not in page and 'data-testid="catatan-pak-atasan"' not in page
    assert "Nomor SK dan PAK diberikan otomatis" in page  # this JF's PAK comes with the SK

    # Usulan submitted under the atasan langsung's PAK (the rule each usulan keeps from its submission).
    from apps.pengusulan.models import Usulan
    from tests.surat.conftest import all_tenants

    with all_tenants():
        Usulan.objects.filter(jf=pk).update(pak_penandatangan=PakPenandatangan.ATASAN_LANGSUNG)
    page = client.get(reverse("surat:ppk")).content.decode()
    assert 'data-testid="catatan-pak-atasan"' in page and 'data-testid="catatan-kenaikan"' not in page
    assert "SK kenaikan jenjang tidak disertai PAK" not in page


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_sk_cites_the_pak_issued_with_it_which_comes_first(diputuskan, staf, pk, instansi_a, ppk_pk):
    """Finding 2: where the SK's signer signs the PAK too, the PAK is numbered first, dated no later
    than the SK, and the SK (per pegawai: its KETIGA; collective: its KETIGA and Lampiran) cites its
    number and date (seed 004: the PPK "menuangkan Angka Kredit dalam keputusan pengangkatan")."""
    from apps.core.format import tgl
    from apps.surat.models import JenisSurat
    from tests.surat.conftest import pdf_text, render_antrean, terbitkan_rekomendasi, terbitkan_sk, versi_berlaku

    lulus, _t, _s = diputuskan(3, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    satu = terbitkan_sk(ppk_pk, lulus[:1])
    kolektif = terbitkan_sk(ppk_pk, lulus[1:], kolektif=True)
    render_antrean()

    sk = next(s for s in satu if s.jenis == JenisSurat.SK)
    pak = next(s for s in satu if s.jenis == JenisSurat.PAK)
    assert pak.tanggal <= sk.tanggal and pak.pk < sk.pk
    text = _flat(pdf_text(versi_berlaku(sk)))
    rujukan = f"Penetapan Angka Kredit Nomor {pak.nomor} tanggal {tgl(pak.tanggal)}"
    assert f"Angka kredit pada Diktum KESATU ditetapkan dengan {rujukan} dan diperhitungkan" in text

    sk_kolektif = next(s for s in kolektif if s.jenis == JenisSurat.SK_KOLEKTIF)
    paks = [s for s in kolektif if s.jenis == JenisSurat.PAK]
    assert len(paks) == 2 and all(p.pk < sk_kolektif.pk and p.tanggal <= sk_kolektif.tanggal for p in paks)
    text = _flat(pdf_text(versi_berlaku(sk_kolektif)))
    assert "Penetapan Angka Kredit masing-masing sebagaimana tercantum dalam Lampiran Keputusan ini" in text
    lampiran = text[text.index("Nomor Penetapan Angka Kredit") :]
    for p in paks:
        assert p.nomor in lampiran and tgl(p.tanggal) in lampiran, lampiran

    # A correction re-snapshots the SK: the citation stays.
    from apps.surat import services as surat_services
    from tests.verifikasi.conftest import as_user

    with as_user(ppk_pk):
        surat_services.surat_koreksi(actor=ppk_pk, surat=sk, alasan="Salah ketik unit kerja.")
    render_antrean()
    assert rujukan in _flat(pdf_text(versi_berlaku(sk)))


def test_an_sk_whose_pak_the_atasan_langsung_signed_says_where_it_is(diputuskan, staf, pk, instansi_a, ppk_pk):
    """Finding 2: a PAK signed by the atasan langsung attached without its number (uploaded before
    the portal asked for it, or not a mandatory document then): the SK names it as the one attached
    to the usulan. With its number the SK cites it (tests/surat/test_pak_atasan_nomor.py)."""
    from apps.referensi.models import PakPenandatangan
    from apps.surat.models import JenisSurat
    from tests.surat.conftest import pdf_text, render_antrean, terbitkan_rekomendasi, terbitkan_sk, versi_berlaku

    pk.pak_penandatangan = PakPenandatangan.ATASAN_LANGSUNG
    pk.save(update_fields=["pak_penandatangan"])
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus)
    render_antrean()
    assert [s.jenis for s in issued] == [JenisSurat.SK]
    text = _flat(pdf_text(versi_berlaku(issued[0])))
    dasar = (
        "Penetapan Angka Kredit yang telah ditandatangani oleh atasan langsung dan dilampirkan pada usulan "
        "penyesuaian yang bersangkutan"
    )
    assert f"Angka kredit pada Diktum KESATU ditetapkan dengan {dasar} dan diperhitungkan" in text, text


def test_the_pak_carries_the_jfs_tembusan_with_its_source(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    """Finding 7: the PAK lists its tembusan (seed 001 Bab IV E.3), kept per JF as data with its
    source, which the JF page shows."""
    from apps.referensi.models import JabatanFungsional
    from apps.surat.models import JenisSurat
    from tests.surat.conftest import (
        layout_text,
        pdf_text,
        render_antrean,
        terbitkan_rekomendasi,
        terbitkan_sk,
        versi_berlaku,
    )

    pk.refresh_from_db()
    # No source of JF Pengantar Kerja names the tembusan: the list is marked, not borrowed from
    # another JF's source (issue 13, third walk, item 3).
    assert len(pk.tembusan_pak) == 4 and pk.sumber_tembusan_pak.startswith("Belum terverifikasi")
    # Fresh-eye walk 1, L4: a penyesuaian PAK has no Tim Penilai angka kredit. A list as shipped
    # before (still in a database) named its "Sekretaris Tim Penilai": not printed.
    JabatanFungsional.objects.filter(pk=pk.pk).update(
        tembusan_pak=[*pk.tembusan_pak[:1], "Sekretaris Tim Penilai", *pk.tembusan_pak[1:]]
    )
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus)
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    render_antrean()
    text = _flat(pdf_text(versi_berlaku(pak)))
    tembusan = text[text.index("Tembusan:") :]
    for baris in (
        "Pimpinan Kementerian Ketenagakerjaan selaku instansi pembina u.p. Biro Organisasi dan Kepegawaian",
        f"Kepala Biro/Badan Kepegawaian {instansi_a.nama}",
        "Pejabat lain yang berkepentingan",
        "Arsip",
    ):
        assert baris in tembusan, tembusan
    assert "Tim Penilai" not in tembusan, tembusan
    # Fresh-eye walk 1, L2: the SK's title does not leave "PENYESUAIAN" alone on its last line.
    sk = next(s for s in issued if s.jenis == JenisSurat.SK)
    baris_sk = [b.strip() for b in layout_text(versi_berlaku(sk)).splitlines()]
    awal = next(i for i, b in enumerate(baris_sk) if b.startswith("PENGANGKATAN DALAM JABATAN FUNGSIONAL"))
    akhir = next(i for i in range(awal, awal + 4) if baris_sk[i].endswith("PENYESUAIAN"))
    assert len(baris_sk[akhir].split()) > 1, baris_sk[awal : akhir + 1]
    client.force_login(ppk_pk)
    page = _teks(client.get(reverse("referensi:jf_detail", args=[pk.kode])).content.decode())
    # The PPK reads it as it will print for their instansi (never the raw "{instansi}").
    assert "Tembusan PAK" in page and f"Kepala Biro/Badan Kepegawaian {instansi_a.nama}" in page
    assert "{instansi}" not in page
    assert "Belum terverifikasi: tembusan PAK JF Pengantar Kerja belum termuat dalam sumbernya" in page
    assert "JFAK" not in page.split("Tembusan PAK", 1)[1][:600]
    assert "(belum terverifikasi)" in page
