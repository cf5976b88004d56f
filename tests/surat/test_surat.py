"""Letters: content of each generated PDF (text extracted), numbering, versions, the PPK
journey, and the QR payload read back from the rendered page."""

from __future__ import annotations

import hashlib
from datetime import date

import pypdfium2
import pytest
import zxingcpp
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.format import format_ak
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services
from apps.surat.models import JenisSurat, Surat, VersiSurat
from apps.surat.pdf import url_verifikasi
from apps.surat.selectors import mask_nip
from tests.pdfs import valid_pdf
from tests.surat.conftest import (
    PENANDATANGAN,
    PENANDATANGAN_PPK,
    TANGGAL,
    all_tenants,
    pdf_text,
    render_antrean,
    terbitkan_penetapan,
    terbitkan_rekomendasi,
    terbitkan_semua,
    terbitkan_sk,
    versi_berlaku,
)
from tests.verifikasi.conftest import as_user


def test_the_sidang_produces_a_numbered_berita_acara_pdf(diputuskan, kemnaker):
    lulus, tidak, sidang = diputuskan(2, 1, ttd_ba=False)
    with all_tenants():
        ba = Surat.objects.get(sidang=sidang, jenis=JenisSurat.BERITA_ACARA)
        assert ba.penerbit == kemnaker and ba.instansi_id == kemnaker.pk and ba.nomor_urut == 1
        assert ba.baris.count() == 3
        v = VersiSurat.objects.get(surat=ba)
    assert v.status == VersiSurat.Status.ANTREAN and not v.berkas
    assert render_antrean() == 2  # the berita acara seleksi administrasi before it, and this one
    v = versi_berlaku(ba)
    assert v.status == VersiSurat.Status.SELESAI and v.percobaan == 1
    with v.berkas.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == v.sha256
    text = pdf_text(v)
    assert "BERITA ACARA SIDANG TIM PENILAI" in text
    assert ba.nomor in text and ba.nomor.startswith("BA-001/TIM-")
    assert "Hadir" in text and "3 dari 3 anggota" in text
    for u in lulus + tidak:
        assert u.data_pegawai["nip"] in text and u.data_pegawai["nama"] in text
    assert "Bukti kompetensi teknis belum memadai." in text
    assert "Ahli Muda" in text and "Halaman 1 dari" in text and v.kode in text


def test_rekomendasi_lists_the_recommended_and_the_not_eligible_with_reasons(diputuskan, staf, pk, instansi_a):
    lulus, tidak, _s = diputuskan(2, 1)
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    with all_tenants():
        assert {u.status for u in Usulan.objects.filter(pk__in=[u.pk for u in lulus])} == {Status.DIREKOMENDASIKAN}
        assert Usulan.objects.get(pk=tidak[0].pk).status == Status.TIDAK_LULUS
    render_antrean()
    v = versi_berlaku(surat)
    text = pdf_text(v)
    assert surat.nomor in text and f"Pejabat Pembina Kepegawaian {instansi_a.nama}" in text
    assert "diusulkan sebanyak 3 orang" in text
    assert "direkomendasikan untuk diangkat" in text and "sebanyak 2 orang" in text
    assert "belum memenuhi syarat sebanyak 1 orang" in text
    for u in lulus:
        row = u.data_pegawai
        assert row["nip"] in text and row["nama"] in text
    assert "Penata (III/c)" in text  # pangkat/gol of the pegawai
    assert "Ahli Muda" in text
    kelas = lulus[0].jenjang.kelas_jabatan
    assert f" {kelas} " in text.replace("\n", " ")
    ak = f"{lulus[0].ak_awal.normalize():f}".replace(".", ",")
    assert ak in text
    assert "Tidak lulus uji kompetensi" in text and "Bukti kompetensi teknis belum memadai." in text
    assert "Tembusan" in text and "salinan keputusan pengangkatan" in text
    assert v.jumlah_halaman == 2  # letter + landscape lampiran


def test_a_second_rekomendasi_for_the_same_instansi_has_nothing_to_recommend(diputuskan, staf, pk, instansi_a):
    diputuskan(1, 0)
    first = terbitkan_rekomendasi(staf, pk, instansi_a)
    with pytest.raises(ValidationError, match="Tidak ada usulan lulus"):
        terbitkan_rekomendasi(staf, pk, instansi_a)
    assert first.nomor_urut == 1


def test_only_the_jfs_admin_pembina_issues_rekomendasi(diputuskan, staf, pk, instansi_a, admin_setneg):
    diputuskan(1, 0)
    for user in (staf["verifikator"], staf["ketua"], admin_setneg):
        with as_user(user), pytest.raises(PermissionDenied):
            services.rekomendasi_terbitkan(
                actor=user, jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
            )


def test_sk_per_pegawai_and_pak_carry_the_recommended_data(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 0)
    rekomendasi = terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus)
    sk = next(s for s in issued if s.jenis == JenisSurat.SK)
    pak = next(s for s in issued if s.jenis == JenisSurat.PAK)
    assert sk.penerbit == instansi_a and sk.rekomendasi == rekomendasi
    assert sk.nomor == f"800.1.3.3/0001/SK-JF/{instansi_a.kode}/2026" and pak.nomor_urut == 1
    render_antrean()
    u = lulus[0]
    d = u.data_pegawai
    text = pdf_text(versi_berlaku(sk))
    flat = " ".join(text.split())
    for expected in (
        sk.nomor, d["nip"], d["nama"], "Bandung", "Penata (III/c)", "1 April 2021", "Analis Kerja Sama",
        f"{pk.nama} Ahli Muda", "Biro Kerja Sama", "1 September 2026", "20 Agustus 2026",
        "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
        "Peraturan Pemerintah Nomor 11 Tahun 2017", "Peraturan Badan Kepegawaian Negara Nomor 3 Tahun 2023",
        f"Surat Rekomendasi {pk.instansi_pembina.nama} Nomor {rekomendasi.nomor}", "KESATU", "KEEMPAT",
        PENANDATANGAN_PPK[0], "Tembusan",
    ):  # fmt: skip
        assert expected in flat, expected
    assert f"Jabatan baru : {pk.nama} Ahli Muda, kelas jabatan {u.jenjang.kelas_jabatan}" in flat
    # The AK with its breakdown, as the PAK gives it: table value + AK Dasar = total.
    tabel, dasar, total = (format_ak(v) for v in (u.ak_nilai_tabel, u.ak_dasar, u.ak_awal))
    assert f"Angka kredit : {tabel} (tabel penyesuaian) + {dasar} (AK Dasar) = {total}" in flat
    pak_text = " ".join(pdf_text(versi_berlaku(pak)).split())
    assert "PENETAPAN ANGKA KREDIT" in pak_text and pak.nomor in pak_text and d["nip"] in pak_text
    assert f"{u.ak_awal.normalize():f}".replace(".", ",") in pak_text
    with all_tenants():
        assert Usulan.objects.get(pk=u.pk).status == Status.DIREKOMENDASIKAN  # until the signed copy


def test_a_collective_sk_has_a_lampiran_row_per_pegawai(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(3, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    issued = terbitkan_sk(ppk_pk, lulus, kolektif=True)
    sk = [s for s in issued if s.jenis == JenisSurat.SK_KOLEKTIF]
    assert len(sk) == 1 and len([s for s in issued if s.jenis == JenisSurat.PAK]) == 3
    render_antrean()
    text = pdf_text(versi_berlaku(sk[0]))
    assert "Lampiran Keputusan" in text and "tercantum dalam Lampiran" in " ".join(text.split())
    for u in lulus:
        assert u.data_pegawai["nip"] in text and u.data_pegawai["nama"] in text


def test_sk_rules(diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk):
    lulus, tidak, _s = diputuskan(2, 1)
    with pytest.raises(ValidationError, match="belum direkomendasikan"):
        terbitkan_sk(ppk_pk, lulus[:1])
    terbitkan_rekomendasi(staf, pk, instansi_a)
    with pytest.raises(ValidationError, match="belum direkomendasikan"):
        terbitkan_sk(ppk_pk, tidak)
    with as_user(pic_pk), pytest.raises(PermissionDenied):
        services.sk_terbitkan(actor=pic_pk, usulan_ids=[lulus[0].pk], tanggal=TANGGAL, tmt=TANGGAL,
                              penandatangan=PENANDATANGAN_PPK)  # fmt: skip
    with as_user(ppk_pk), pytest.raises(ValidationError, match="18 digit"):
        services.sk_terbitkan(actor=ppk_pk, usulan_ids=[lulus[0].pk], tanggal=TANGGAL, tmt=TANGGAL,
                              penandatangan=("Nama", "Jabatan", "123"))  # fmt: skip
    with pytest.raises(ValidationError, match="TMT terlalu jauh"):
        terbitkan_sk(ppk_pk, lulus[:1], tmt=date(2028, 1, 1))
    terbitkan_sk(ppk_pk, lulus[:1])
    with pytest.raises(ValidationError, match="sudah diterbitkan"):  # a double click
        terbitkan_sk(ppk_pk, lulus[:1])


def test_the_signed_copy_moves_the_usulan_to_sk_terbit(diputuskan, staf, pk, instansi_a, ppk_pk, pdf_upload_factory):
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    sk = terbitkan_sk(ppk_pk, lulus)[0]
    versi = versi_berlaku(sk)
    with as_user(ppk_pk), pytest.raises(ValidationError, match="masih diproses"):
        services.ttd_unggah(actor=ppk_pk, versi=versi, upload=pdf_upload_factory())
    render_antrean()
    versi = versi_berlaku(sk)
    bad = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with as_user(ppk_pk), pytest.raises(ValidationError, match="bukan PDF"):
        services.ttd_unggah(actor=ppk_pk, versi=versi, upload=bad)
    with as_user(ppk_pk), pytest.raises(ValidationError, match="tidak diizinkan"):
        services.ttd_unggah(actor=ppk_pk, versi=versi, upload=SimpleUploadedFile("sk.docx", b"PK\x03\x04"))
    signed = pdf_upload_factory()
    with as_user(ppk_pk):
        services.ttd_unggah(actor=ppk_pk, versi=versi, upload=signed)
    with all_tenants():
        assert Usulan.objects.get(pk=lulus[0].pk).status == Status.SK_TERBIT
        versi.refresh_from_db()
    assert versi.ttd_sha256 == hashlib.sha256(valid_pdf(padding=6420)).hexdigest() and versi.ttd_berkas
    with as_user(ppk_pk), pytest.raises(ValidationError, match="sudah diunggah"):
        services.ttd_unggah(actor=ppk_pk, versi=versi, upload=pdf_upload_factory())


def test_a_correction_is_a_new_version_with_the_same_number(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    sk = terbitkan_sk(ppk_pk, lulus)[0]
    render_antrean()
    v1 = versi_berlaku(sk)
    with as_user(ppk_pk):
        v2 = services.surat_koreksi(actor=ppk_pk, surat=sk, alasan="TMT keliru", perubahan={"tmt": date(2026, 10, 1)})
    render_antrean()
    with all_tenants():
        v1.refresh_from_db()
        v2.refresh_from_db()
        assert VersiSurat.objects.filter(surat=sk).count() == 2
        assert Surat.objects.filter(penerbit=instansi_a, seri="sk").count() == 1
    assert v1.diganti_at is not None and v1.berkas and v1.sha256  # kept, marked superseded
    assert v2.terkini and v2.versi == 2 and v2.kode != v1.kode and v2.sha256 != v1.sha256
    text = " ".join(pdf_text(v2).split())
    assert sk.nomor in text and "1 Oktober 2026" in text and "Versi 2" in text and "TMT keliru" in text
    with as_user(staf["admin"]), pytest.raises(PermissionDenied):
        services.surat_koreksi(actor=staf["admin"], surat=sk, alasan="x")


def test_the_qr_code_on_the_page_opens_the_verification_url(diputuskan, staf, pk, instansi_a):
    diputuskan(1, 0)
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    render_antrean()
    versi = versi_berlaku(surat)
    with versi.berkas.open("rb") as fh:
        pdf = pypdfium2.PdfDocument(fh.read())
    image = pdf[0].render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [url_verifikasi(versi.kode)]
    assert codes[0].text.endswith(f"/v/{versi.kode}/")


def test_masking():
    assert mask_nip("198503122010011003") == "1985**********1003"
    assert mask_nip("123") == "***"


@pytest.fixture
def pdf_upload_factory():
    return lambda: SimpleUploadedFile("sk-ttd.pdf", valid_pdf(padding=6420), content_type="application/pdf")


_ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
# Sample letters go to the guides only through `make dokumentasi`; a plain run keeps the tree clean.
CONTOH = (
    _ROOT / "docs" / "contoh-surat"
    if __import__("os").environ.get("SIAKS_DOKUMENTASI") == "1"
    else _ROOT / "test-artifacts" / "contoh-surat"
)


def test_sample_letters_for_the_docs(diputuskan, staf, pk, instansi_a, ppk_pk, referensi):
    """Renders one of each letter with the worst-case data of the layout test (three-line
    letterheads, the longest instansi name, names with titles, long numbers) and writes page
    images (docs/contoh-surat/ under `make dokumentasi`): the inpassing letters and the periodic
    PAK and HAPAK of the penetapan angka kredit."""
    samples = terbitkan_semua(diputuskan, staf, pk, instansi_a, ppk_pk) | terbitkan_penetapan(referensi)
    assert {s.jenis for s in samples.values()} == set(JenisSurat)
    # No sample letter is dated before the one it rests on (issue 13 low: the berita acara were
    # dated after the rekomendasi citing them): surat pengantar → berita acara seleksi → berita
    # acara sidang (on the sidang's day) → rekomendasi → SK and PAK.
    from apps.pengusulan.models import Usulan
    from apps.surat.models import SuratUsulan

    t = {name: s.tanggal for name, s in samples.items()}
    assert t["berita-acara-seleksi"] <= t["berita-acara"] <= t["rekomendasi"] <= t["sk"] == t["pak"], t
    assert t["rekomendasi"] <= t["sk-kolektif"], t
    with all_tenants():
        assert t["berita-acara"] == samples["berita-acara"].sidang.tanggal
        pengantar = set(
            Usulan.objects.filter(
                pk__in=SuratUsulan.objects.filter(surat=samples["rekomendasi"]).values("usulan_id")
            ).values_list("pengantar_tanggal", flat=True)
        )
    assert pengantar and max(pengantar) <= t["berita-acara-seleksi"], pengantar
    CONTOH.mkdir(parents=True, exist_ok=True)
    for name, surat in samples.items():
        versi = versi_berlaku(surat)
        assert versi.status == VersiSurat.Status.SELESAI
        with versi.berkas.open("rb") as fh:
            pdf = pypdfium2.PdfDocument(fh.read())
        for i in range(len(pdf)):
            suffix = "" if i == 0 else f"-{i + 1}"
            pdf[i].render(scale=1.4).to_pil().save(CONTOH / f"{name}{suffix}.png", optimize=True)
        assert (CONTOH / f"{name}.png").stat().st_size > 10_000
