"""Kenaikan jenjang (issue 19, item 6) through the existing workflow, and the holder's letters
(item 5): the SK penyesuaian opens the record, the PIC proposes a holder who meets the next
jenjang's threshold, the Tim Penilai scores against the next jenjang's standard, the sidang, the
rekomendasi and the SK kenaikan jenjang follow unchanged, and "SK terbit" moves the record and
the ledger. The holder downloads their own letters and gets 404 for anyone else's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core import tenancy
from apps.jabatan import akses, kenaikan
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.jabatan.selectors import ak_kumulatif, ambang
from apps.jabatan.services import mutasi_tambah
from apps.pengusulan import services as pic_services
from apps.pengusulan.domain import Jenis, Status
from apps.pengusulan.models import Usulan
from apps.surat import services as surat_services
from apps.surat.models import JenisSurat, Surat, VersiSurat
from apps.verifikasi.models import Nilai
from tests.pdfs import valid_pdf
from tests.pengusulan.conftest import ON, upload_all_mandatory
from tests.surat.conftest import (
    PENANDATANGAN,
    PENANDATANGAN_PPK,
    TANGGAL,
    all_tenants,
    pdf_text,
    render_antrean,
    tandatangani_ba,
    tandatangani_basah,
)
from tests.verifikasi.conftest import as_user, pada, seleksi_lulus, sidang_lulus

pytestmark = pytest.mark.django_db


def _sk(ppk, usulan_list):
    with as_user(ppk):
        issued = surat_services.sk_terbitkan(
            actor=ppk, usulan_ids=[u.pk for u in usulan_list], tanggal=TANGGAL, tmt=TANGGAL,
            penandatangan=PENANDATANGAN_PPK,
        )  # fmt: skip
    render_antrean()
    return issued


def _ttd(ppk, sk: Surat) -> None:
    with all_tenants():
        versi = VersiSurat.objects.get(surat=sk, diganti_at__isnull=True)
    # Each signed copy is a file of its own (the service refuses a copy of another letter).
    upload = SimpleUploadedFile("ttd.pdf", valid_pdf(padding=10 + sk.pk))
    with as_user(ppk):
        surat_services.ttd_unggah(actor=ppk, versi=versi, upload=upload)


@pytest.fixture
def pemegang(diputuskan, staf, ppk_pk, pic_pk, pk):
    """Two pegawai through inpassing to "SK terbit": two holders at Ahli Muda with their ledger."""
    lulus, _tidak, _sidang = diputuskan(lulus=2, tidak=0)
    with as_user(staf["admin"]):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=pic_pk.instansi.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_basah(rekomendasi, staf["admin"])  # an SK waits for its signed rekomendasi
    letters = {}
    for u in lulus:
        issued = _sk(ppk_pk, [u])
        _ttd(ppk_pk, issued[0])
        letters[u.pk] = issued
    with tenancy.scope(pic_pk.instansi):
        holders = list(PejabatFungsional.objects.filter(usulan_asal__in=lulus).order_by("nama"))
    assert len(holders) == 2 and all(h.jenjang.kode == "ahli_muda" for h in holders)
    return {"holders": holders, "letters": letters, "usulan": lulus}


def test_sk_terbit_links_the_holders_own_sk_and_pak_and_the_holder_downloads_them(client, pemegang, pic_pk):
    h1, h2 = pemegang["holders"]
    with tenancy.scope(pic_pk.instansi):
        linked = {(s.jenis, s.pejabat_id) for s in Surat.objects.filter(pejabat__isnull=False)}
        user = akses.pejabat_undang(actor=pic_pk, pejabat=h1, email="h1@uji.siaks.go.id")
    assert linked == {(JenisSurat.SK, h1.pk), (JenisSurat.PAK, h1.pk), (JenisSurat.SK, h2.pk), (JenisSurat.PAK, h2.pk)}
    client.force_login(user)
    html = client.get(reverse("saya:beranda")).content.decode()
    with all_tenants():
        pak_h1 = VersiSurat.objects.get(surat__pejabat=h1, surat__jenis=JenisSurat.PAK)
        pak_h2 = VersiSurat.objects.get(surat__pejabat=h2, surat__jenis=JenisSurat.PAK)
        rekomendasi = VersiSurat.objects.get(surat__jenis=JenisSurat.REKOMENDASI)
    assert reverse("surat:unduh", args=[pak_h1.pk]) in html
    assert reverse("surat:unduh", args=[pak_h2.pk]) not in html
    response = client.get(reverse("surat:unduh", args=[pak_h1.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert h1.nama in pdf_text(pak_h1)
    # Another holder's letter, and a letter of the instansi that names no holder: 404.
    for versi in (pak_h2, rekomendasi):
        assert client.get(reverse("surat:unduh", args=[versi.pk])).status_code == 404
        assert client.get(reverse("surat:detail", args=[versi.surat_id])).status_code == 404
    assert client.get(reverse("surat:detail", args=[pak_h1.surat_id])).status_code == 200


def test_kenaikan_jenjang_refused_below_the_threshold(pemegang, pic_pk):
    h1 = pemegang["holders"][0]
    with tenancy.scope(pic_pk.instansi):
        kumulatif = ak_kumulatif(h1)
        assert kumulatif < h1.jenjang.ak_kumulatif_jenjang
        with pytest.raises(ValidationError) as exc:
            kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=h1)
        assert not Usulan.objects.filter(jenis=Jenis.KENAIKAN_JENJANG).exists()
    message = " ".join(exc.value.messages)
    assert "belum memenuhi ambang kenaikan jenjang ke Ahli Madya (200)" in message
    assert "masih kurang" in message


def test_kenaikan_jenjang_through_the_tim_penilai_to_the_sk_and_the_ledger(pemegang, pic_pk, ppk_pk, staf, tim, pk):
    h1, h2 = pemegang["holders"]
    with tenancy.scope(pic_pk.instansi):
        # The highest pangkat of Ahli Muda (III/d): a lower one is a warning for the verifier.
        h1.golongan_id = h1.jenjang.golongan_maks_id
        h1.save(update_fields=["golongan"])
        kurang = h1.jenjang.ak_kumulatif_jenjang - ak_kumulatif(h1)
        mutasi_tambah(
            h1, JenisMutasi.KONVERSI, kurang + Decimal("12.50"), oleh=pic_pk, periode_mulai=date(2026, 1, 1),
            periode_selesai=date(2026, 12, 31), predikat="baik", keterangan="Konversi 2026",
        )  # fmt: skip
        sebelum = ak_kumulatif(h1)
        usulan = kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=h1)
        assert kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=h1).pk == usulan.pk  # a double click
    assert (usulan.jenis, usulan.status, usulan.jenjang.kode, usulan.pejabat_id) == (
        "kenaikan_jenjang", Status.DRAFT, "ahli_madya", h1.pk,
    )  # fmt: skip
    upload_all_mandatory(pic_pk, usulan)
    with tenancy.scope(pic_pk.instansi), pada(ON):
        usulan = pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan, on=ON)
    # Not an inpassing: no formasi taken, no AK awal, and the proposed jenjang stays the next one.
    assert (usulan.status, usulan.formasi_id, usulan.ak_awal, usulan.jenjang.kode) == (
        Status.DIAJUKAN, None, None, "ahli_madya",
    )  # fmt: skip
    (usulan,) = seleksi_lulus([usulan], staf)
    sidang = sidang_lulus(staf, tim, [usulan], hari=date(2026, 7, 1))
    with all_tenants():
        # Scored against the next jenjang's competency standard (the existing scoring, unchanged).
        dinilai = set(
            Nilai.objects.filter(penugasan__usulan=usulan).values_list("kompetensi__jenjang__kode", flat=True)
        )
    assert dinilai == {"ahli_madya"}
    tandatangani_ba(sidang, staf["admin"])  # a rekomendasi waits for the signed berita acara
    with as_user(staf["admin"]):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=pic_pk.instansi.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_basah(rekomendasi, staf["admin"])  # an SK waits for its signed rekomendasi
    issued = _sk(ppk_pk, [usulan])
    # One SK and no PAK penyesuaian: a kenaikan jenjang changes no AK by itself.
    assert [s.jenis for s in issued] == [JenisSurat.SK]
    sk = issued[0]
    assert sk.perihal == f"Kenaikan Jenjang Jabatan Fungsional {pk.nama} a.n. {h1.nama}"
    assert sk.pejabat_id == h1.pk
    with all_tenants():
        text = " ".join(pdf_text(VersiSurat.objects.get(surat=sk)).split())
    assert "KENAIKAN JENJANG JABATAN FUNGSIONAL" in text.upper()
    assert "melalui penyesuaian" not in text
    assert f"Jabatan baru : {pk.nama} Ahli Madya" in text and f"Jabatan lama : {pk.nama} Ahli Muda" in text
    _ttd(ppk_pk, sk)
    with tenancy.scope(pic_pk.instansi):
        usulan.refresh_from_db()
        h1.refresh_from_db()
        baris = MutasiAK.objects.get(pejabat=h1, jenis=JenisMutasi.KENAIKAN_JENJANG)
        h2.refresh_from_db()
        setelah = ambang(h1)
    assert usulan.status == Status.SK_TERBIT
    assert (h1.jenjang.kode, h1.tmt_jabatan, h1.kelas_jabatan) == ("ahli_madya", TANGGAL, h1.jenjang.kelas_jabatan)
    assert baris.nilai == Decimal("-200") and baris.surat_id == sk.pk and baris.jenjang.kode == "ahli_madya"
    assert baris.rincian["ak_kumulatif_sebelum"] == str(sebelum) and baris.rincian["ke_jenjang"] == "Ahli Madya"
    # The step spends 200 toward the next jenjang; the excess carries over, and the count toward
    # the next pangkat starts from it in the new jenjang (apps.jabatan.domain.totals).
    assert setelah.ak_jenjang == sebelum - Decimal("200") == Decimal("12.50")
    assert setelah.ak_pangkat == Decimal("12.50")
    assert h2.jenjang.kode == "ahli_muda"  # the other holder is untouched
    # A repeated "SK terbit" effect adds nothing.
    with tenancy.scope(pic_pk.instansi):
        kenaikan.kenaikan_jenjang_terapkan(usulan, surat_id=sk.pk, actor=ppk_pk)
        assert MutasiAK.objects.filter(pejabat=h1, jenis=JenisMutasi.KENAIKAN_JENJANG).count() == 1


def test_a_kenaikan_jenjang_asks_for_its_own_documents_not_the_inpassings(client, pemegang, pic_pk):
    """Issue 19 (fresh-eye walk): the draft kenaikan jenjang asked for the inpassing's list (SK
    CPNS, ijazah, surat pernyataan bersedia…). It asks for the kenaikan jenjang's: the last PAK,
    SK jabatan and pangkat terakhir, the predikat kinerja (seeds 001 and 004), the uji
    kompetensi's certificate as the JF configures it; an inpassing document is refused."""
    from apps.pengusulan import selectors as pic_selectors
    from apps.referensi.models import PersyaratanDokumen
    from tests.pengusulan.conftest import pdf_upload

    h1 = pemegang["holders"][0]
    with tenancy.scope(pic_pk.instansi):
        mutasi_tambah(
            h1, JenisMutasi.KONVERSI, Decimal("200"), oleh=pic_pk, periode_mulai=date(2026, 1, 1),
            periode_selesai=date(2026, 12, 31), predikat="baik", keterangan="Konversi 2026",
        )  # fmt: skip
        usulan = kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=h1)
        kurang = [p.kode for p in pic_selectors.dokumen_wajib_kurang(usulan) if p.level == "usulan"]
        berkas = [p.kode for p in pic_selectors.berkas_usulan(usulan).persyaratan_usulan]
    assert kurang == ["kj_pak_terakhir", "kj_sk_jabatan", "kj_sk_pangkat", "kj_predikat_kinerja"]
    assert berkas == [*kurang, "kj_hapak", "kj_uji_kompetensi"]
    client.force_login(pic_pk)
    html = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    assert "Penetapan angka kredit (PAK) terakhir" in html and "SK pengangkatan CPNS" not in html
    inpassing = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="sk_cpns")
    with tenancy.scope(pic_pk.instansi), pytest.raises(ValidationError, match="bukan persyaratan usulan"):
        pic_services.dokumen_upload(
            actor=pic_pk, jf=usulan.jf, persyaratan=inpassing, upload=pdf_upload(), usulan=usulan
        )
    url = reverse("pengusulan:dokumen_unggah", args=[usulan.pk, inpassing.pk])
    assert client.post(url, {"berkas": pdf_upload()}).status_code == 404
    # The JF configures the uji kompetensi's certificate as mandatory: the list follows.
    PersyaratanDokumen.objects.filter(jf=usulan.jf, kode="kj_uji_kompetensi").update(wajib=True)
    with tenancy.scope(pic_pk.instansi):
        assert "kj_uji_kompetensi" in [p.kode for p in pic_selectors.dokumen_wajib_kurang(usulan)]
    # The inpassing keeps its own list.
    inpassing_usulan = pemegang["usulan"][0]
    with tenancy.scope(pic_pk.instansi):
        kode = [p.kode for p in pic_selectors.berkas_usulan(inpassing_usulan).persyaratan_usulan]
    assert "sk_cpns" in kode and not any(k.startswith("kj_") for k in kode)


def _usulan_kenaikan_diajukan(h1, pic_pk):
    """``h1`` brought past the next jenjang's threshold, proposed for kenaikan jenjang and submitted."""
    with tenancy.scope(pic_pk.instansi):
        h1.golongan_id = h1.jenjang.golongan_maks_id
        h1.save(update_fields=["golongan"])
        kurang = h1.jenjang.ak_kumulatif_jenjang - ak_kumulatif(h1)
        mutasi_tambah(
            h1, JenisMutasi.KONVERSI, kurang + Decimal("12.50"), oleh=pic_pk, periode_mulai=date(2026, 1, 1),
            periode_selesai=date(2026, 12, 31), predikat="baik", keterangan="Konversi 2026",
        )  # fmt: skip
        usulan = kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=h1)
    upload_all_mandatory(pic_pk, usulan)
    with tenancy.scope(pic_pk.instansi), pada(ON):
        return pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan, on=ON)


def test_the_berita_acara_of_a_kenaikan_jenjang_name_the_kenaikan_jenjang_not_the_inpassing(
    pemegang, pic_pk, staf, tim, pk
):
    """Issue 19 (fresh-eye walk, HIGH): the berita acara seleksi administrasi of a kenaikan jenjang
    was titled "Penyesuaian (Inpassing) Jabatan Fungsional …", said "usulan penyesuaian (inpassing)"
    and the signing queue named it so. Both berita acara (seleksi and sidang) name the procedure of
    the usulan they record, in the title, the body and the subject; the inpassing's still say
    penyesuaian."""
    usulan = _usulan_kenaikan_diajukan(pemegang["holders"][0], pic_pk)
    (usulan,) = seleksi_lulus([usulan], staf)
    sidang_lulus(staf, tim, [usulan], hari=date(2026, 7, 1))
    render_antrean()
    with all_tenants():
        teks = {}
        for s in Surat.objects.filter(jenis__in=[JenisSurat.BERITA_ACARA_SELEKSI, JenisSurat.BERITA_ACARA]):
            kinds = {b.usulan.jenis for b in s.baris.select_related("usulan")}
            jenis = kinds.pop() if len(kinds) == 1 else "campur"
            nama = "seleksi" if s.jenis == JenisSurat.BERITA_ACARA_SELEKSI else "sidang"
            versi = VersiSurat.objects.get(surat=s, diganti_at__isnull=True)
            teks[(nama, jenis)] = " ".join(pdf_text(versi).split())
            if (nama, jenis) == ("seleksi", "kenaikan_jenjang"):
                perihal = s.perihal
    naik_seleksi, naik_sidang = teks[("seleksi", "kenaikan_jenjang")], teks[("sidang", "kenaikan_jenjang")]
    for text in (naik_seleksi, naik_sidang):
        assert f"Kenaikan Jenjang Jabatan Fungsional {pk.nama}" in text
        assert "Penyesuaian" not in text and "inpassing" not in text.lower()
    assert f"seleksi administrasi atas usulan kenaikan jenjang dalam Jabatan Fungsional {pk.nama}" in naik_seleksi
    assert "uji kompetensi dalam rangka kenaikan jenjang" in naik_sidang
    assert perihal == (f"Berita Acara Seleksi Administrasi Kenaikan Jenjang Jabatan Fungsional {pk.nama}")
    # The inpassing's berita acara still name the penyesuaian.
    assert set(teks) == {(n, j) for n in ("seleksi", "sidang") for j in ("penyesuaian", "kenaikan_jenjang")}
    for nama in ("seleksi", "sidang"):
        text = teks[(nama, "penyesuaian")]
        assert f"Penyesuaian (Inpassing) Jabatan Fungsional {pk.nama}" in text and "Kenaikan Jenjang" not in text
        assert "penyesuaian (inpassing)" in text


def _kenaikan_direkomendasikan(pemegang, pic_pk, staf, tim, pk):
    """A kenaikan jenjang of the first holder through the Tim Penilai to its signed rekomendasi."""
    usulan = _usulan_kenaikan_diajukan(pemegang["holders"][0], pic_pk)
    (usulan,) = seleksi_lulus([usulan], staf)
    sidang = sidang_lulus(staf, tim, [usulan], hari=date(2026, 7, 1))
    tandatangani_ba(sidang, staf["admin"])
    with as_user(staf["admin"]):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=pic_pk.instansi.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_basah(rekomendasi, staf["admin"])
    return usulan


def test_the_ppk_page_says_what_the_kenaikan_jenjang_does_to_the_ledger(
    client, pemegang, pic_pk, ppk_pk, staf, tim, pk
):
    """Issue 19 (fresh-eye walk, LOW 4): the PPK page said "kenaikan jenjang tidak mengubah angka
    kredit" while "SK terbit" books the threshold used off the ledger and carries the rest over."""
    _kenaikan_direkomendasikan(pemegang, pic_pk, staf, tim, pk)
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:ppk")).content.decode()
    catatan = " ".join(page.split('data-testid="catatan-kenaikan">', 1)[1].split("</span>", 1)[0].split())
    assert "tidak mengubah angka kredit" not in catatan
    assert "SK kenaikan jenjang tidak disertai PAK" in catatan
    assert "dibukukan keluar dari buku angka kredit" in catatan and "sisanya terbawa ke jenjang baru" in catatan


def test_the_sk_kenaikan_jenjang_is_labelled_as_such_not_sk_pengangkatan(
    client, pemegang, pic_pk, ppk_pk, staf, tim, pk
):
    """Issue 19 (fresh-eye walk, LOW 5): the SK kenaikan jenjang's page and download were labelled
    "SK pengangkatan"; a letter is labelled by what it is (the rekomendasi too)."""
    usulan = _kenaikan_direkomendasikan(pemegang, pic_pk, staf, tim, pk)
    (sk,) = _sk(ppk_pk, [usulan])
    with all_tenants():
        rekomendasi = Surat.objects.get(jenis=JenisSurat.REKOMENDASI, sk_turunan=sk)
        versi = VersiSurat.objects.get(surat=sk, diganti_at__isnull=True)
        sk_inpassing = Surat.objects.filter(jenis=JenisSurat.SK).exclude(pk=sk.pk).first()
    assert sk.label_jenis() == "SK kenaikan jenjang" and str(sk).startswith("SK kenaikan jenjang ")
    assert rekomendasi.label_jenis() == "Rekomendasi kenaikan jenjang"
    assert sk_inpassing.label_jenis() == "SK pengangkatan"
    assert (sk.kenaikan_jenjang, rekomendasi.kenaikan_jenjang, sk_inpassing.kenaikan_jenjang) == (True, True, False)
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:detail", args=[sk.pk])).content.decode()
    assert "<title>SK kenaikan jenjang " in page
    konten = page.split('<main id="konten"', 1)[1].split("</main>", 1)[0]  # the menu has its own link
    assert "SK kenaikan jenjang</h1>" in konten and "SK pengangkatan" not in konten
    response = client.get(reverse("surat:unduh", args=[versi.pk]))
    assert "SK kenaikan jenjang" in response.headers["Content-Disposition"]
