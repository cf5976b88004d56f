"""Issue 19 fresh-eye walk: the rekomendasi and SK of a kenaikan jenjang are worded for the step,
not as an inpassing. One letter per kind of usulan (an instansi with both an inpassing and a
kenaikan jenjang waiting gets two letters); the kenaikan jenjang's names the jenjang held and the
target, the AK kumulatif against the threshold and the uji kompetensi's result; its SK does not
cite the inpassing's juklak (PermenNaker 4/2017 "Tata Cara Penyesuaian"). The rekomendasi page
does not warn about an AK awal a kenaikan jenjang does not have. Letters read with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.jabatan import kenaikan
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.selectors import ak_kumulatif
from apps.jabatan.services import mutasi_tambah
from apps.pengusulan import services as pic_services
from apps.pengusulan.domain import Status
from apps.surat import services as surat_services
from apps.surat.models import JenisSurat, SuratUsulan, VersiSurat
from tests.jabatan.test_kenaikan_jenjang import _sk, pemegang  # noqa: F401  (fixture)
from tests.pengusulan.conftest import ON, upload_all_mandatory
from tests.surat.conftest import (
    PENANDATANGAN,
    TANGGAL,
    all_tenants,
    render_antrean,
    tandatangani_ba,
    tandatangani_basah,
)
from tests.verifikasi.conftest import as_user, pada, seleksi_lulus, sidang_lulus

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is required"),
]


def pdftotext(versi) -> str:
    with versi.berkas.open("rb") as fh:
        data = fh.read()
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


@pytest.fixture
def kj_lulus(pemegang, pic_pk, staf, tim):  # noqa: F811  (the imported fixture)
    """A holder (Ahli Muda, AK kumulatif 212,5 against 200) proposed for Ahli Madya, lulus in a sidang."""
    h1 = pemegang["holders"][0]
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
        usulan = pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan, on=ON)
    (usulan,) = seleksi_lulus([usulan], staf)
    sidang = sidang_lulus(staf, tim, [usulan], hari=date(2026, 7, 2))
    tandatangani_ba(sidang, staf["admin"])
    with all_tenants():
        usulan.refresh_from_db()
    assert usulan.status == Status.LULUS
    return {"usulan": usulan, "pejabat": h1}


def test_rekomendasi_page_does_not_warn_about_an_ak_awal_of_a_kenaikan_jenjang(client, kj_lulus, staf, pk):
    client.force_login(staf["admin"])
    html = client.get(reverse("surat:rekomendasi"), {"jf": pk.kode}).content.decode()
    assert kj_lulus["usulan"].pegawai_nama in html  # the usulan is on the page, waiting
    assert 'data-testid="ak-belum-terverifikasi"' not in html


def test_one_letter_per_kind_worded_for_the_kenaikan_jenjang(kj_lulus, diputuskan, staf, pk, pic_pk, ppk_pk):
    # An inpassing of the same instansi waits for its rekomendasi at the same time.
    (inpassing,), _tidak, _sidang = diputuskan(lulus=1, tidak=0, nip_prefix="19870311 201505 1 ")
    kj = kj_lulus["usulan"]
    with as_user(staf["admin"]):
        # Both waiting: a single letter must name its kind.
        with pytest.raises(surat_services.SuratError, match="surat terpisah"):
            surat_services.rekomendasi_terbitkan(
                actor=staf["admin"], jf=pk, instansi_id=pic_pk.instansi.pk, tanggal=TANGGAL,
                penandatangan=PENANDATANGAN,
            )  # fmt: skip
        surat_services.rekomendasi_terbitkan_massal(
            actor=staf["admin"], jf=pk, instansi_ids=[pic_pk.instansi.pk], tanggal=TANGGAL,
            penandatangan=PENANDATANGAN,
        )  # fmt: skip
    render_antrean()
    with all_tenants():
        baris = {
            r.usulan_id: r.surat
            for r in SuratUsulan.objects.filter(usulan__in=[kj, inpassing], jenis=JenisSurat.REKOMENDASI)
        }
        rek_kj, rek_inp = baris[kj.pk], baris[inpassing.pk]
        assert rek_kj.pk != rek_inp.pk  # two letters
        assert SuratUsulan.objects.filter(surat=rek_kj).count() == 1
        kj_text = pdftotext(VersiSurat.objects.get(surat=rek_kj))
        inp_text = pdftotext(VersiSurat.objects.get(surat=rek_inp))
    assert rek_kj.perihal == f"Rekomendasi Kenaikan Jenjang Jabatan Fungsional {pk.nama}"
    assert f"Hal : Rekomendasi Kenaikan Jenjang Jabatan Fungsional {pk.nama}" in kj_text
    assert "perihal usulan kenaikan jenjang Jabatan Fungsional" in kj_text
    assert "dari jenjang Ahli Muda ke jenjang Ahli Madya (angka kredit kumulatif yang dipersyaratkan 200)" in kj_text
    assert "lulus uji kompetensi" in kj_text
    # The lampiran: jenjang asal → tujuan, AK kumulatif against the threshold, the uji kompetensi.
    for kolom in ("Jenjang asal", "Jenjang tujuan", "AK kumulatif", "Uji kompetensi"):
        assert kolom in kj_text
    assert "Ahli Muda Ahli Madya" in kj_text and "212,5 200" in kj_text
    assert "Lulus (sidang Tim Penilai 2 Juli 2026)" in kj_text
    for inpassing_kata in ("penyesuaian", "Penyesuaian", "inpassing)", "AK awal", inpassing.pegawai_nip):
        assert inpassing_kata not in kj_text
    # The inpassing keeps its own letter, without the holder.
    assert f"Hal : Rekomendasi Pengangkatan dalam Jabatan Fungsional {pk.nama} melalui Penyesuaian" in inp_text
    assert "AK awal" in inp_text and kj.pegawai_nip not in inp_text

    # The SK kenaikan jenjang cites the JF's regulation but not the inpassing's juklak; the SK
    # penyesuaian still cites it.
    tandatangani_basah(rek_kj, staf["admin"])
    tandatangani_basah(rek_inp, staf["admin"])
    (sk_kj,) = _sk(ppk_pk, [kj])
    sk_inp = _sk(ppk_pk, [inpassing])
    with all_tenants():
        sk_kj_text = pdftotext(VersiSurat.objects.get(surat=sk_kj))
        sk_inp_text = pdftotext(VersiSurat.objects.get(surat=next(s for s in sk_inp if s.jenis == JenisSurat.SK)))
    assert "KENAIKAN JENJANG" in sk_kj_text.upper()
    assert "Nomor 1 Tahun 2022 tentang Jabatan Fungsional Pengantar Kerja" in sk_kj_text
    assert "Nomor 3 Tahun 2023 tentang Angka Kredit, Kenaikan Pangkat, dan Jenjang" in sk_kj_text
    assert "Tata Cara Penyesuaian" not in sk_kj_text
    assert "Nomor 4 Tahun 2017 tentang Tata Cara Penyesuaian" in sk_inp_text
