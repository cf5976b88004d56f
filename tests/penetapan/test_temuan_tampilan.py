"""Issue 19 fresh-eye walk (low findings, display), read from the pages and the rendered PDFs:
the HAPAK on the AK awal alone states its masa penilaian (not "-") and the starting figure's
date (not an empty cell); the usulan page prints its AK with two decimals at most; the PAK's row
in the ledger the team reads shows the masa penilaian the PAK covers (not "—")."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.format import tgl
from apps.jabatan.services import konversi_catat, mutasi_tambah
from apps.surat.models import VersiSurat
from tests.jabatan.conftest import buat_pejabat
from tests.penetapan.conftest import PYB, as_user, ke_penilaian, nilai_ak
from tests.surat.conftest import pdf_text, render_antrean

pytestmark = pytest.mark.django_db


def _pejabat(kab, jf, nip, nama, tmt):
    p = buat_pejabat(kab, jf, nip=nip, nama=nama, tmt=tmt)
    with tenancy.scope(kab):
        mutasi_tambah(p, "awal", Decimal(40), oleh=None, periode_mulai=tmt,
                      rincian={"sumber": "sk_inpassing", "surat": f"800/{nip[-3:]}/SK-INP/2024"})  # fmt: skip
    return p


def test_letters_and_usulan_page_state_the_masa_the_dates_and_two_decimals(client, pic_kab, kab, jfak, tim_prov):
    eka = _pejabat(kab, jfak, "198901012015031001", "Eka Putri", date(2024, 1, 2))
    fajar = _pejabat(kab, jfak, "199002022016031002", "Fajar Nugraha", date(2024, 1, 1))
    with tenancy.scope(kab):  # 40 + 12,5 = 52,5 ≥ 50: a PAK; Eka (40, nothing converted): a HAPAK
        konversi_catat(fajar, predikat="baik", periode_mulai=date(2024, 1, 1), periode_selesai=date(2024, 12, 31),
                       oleh=pic_kab)  # fmt: skip
    usulan = [ke_penilaian(pic_kab, p, tim_prov) for p in (eka, fajar)]
    for a in tim_prov["anggota"][:4]:
        for u in usulan:
            nilai_ak(a, u)
    stp, ketua = tim_prov["sekretariat"], tim_prov["anggota"][0]
    hari = timezone.localdate()
    with as_user(stp):
        from apps.penetapan import services

        sidang = services.sidang_buka(actor=stp, tim=tim_prov["tim"], tanggal=hari, usulan_ids=[u.pk for u in usulan])
    with as_user(ketua.user):
        hasil = services.sidang_putuskan(
            actor=ketua.user, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in tim_prov["anggota"][:5]]
        )
    render_antrean()
    teks = {}
    with tenancy.all_tenants(reason="test assertion"):
        for h in hasil:
            versi = VersiSurat.objects.select_related("surat").get(surat_id=h.surat_id, diganti_at__isnull=True)
            teks[h.pejabat_nama] = (versi.surat.jenis, " ".join(pdf_text(versi).split()))
    jenis, hapak = teks["Eka Putri"]
    assert jenis == "hapak"
    # The masa runs from the AK awal's date to the letter's; nothing was converted in it.
    assert f"Masa penilaian 2 Januari 2024 s.d. {tgl(hari)} (belum ada konversi predikat kinerja)" in hapak
    assert "Masa penilaian -" not in hapak
    # The AK awal's row says as of when (the middle cell was empty).
    assert "Angka kredit awal (penyesuaian/inpassing) SK Nomor 800/001/SK-INP/2024 per 2 Januari 2024 40" in hapak
    jenis, pak = teks["Fajar Nugraha"]
    assert jenis == "pak_ak"
    assert "Masa penilaian 1 Januari 2024 s.d. 31 Desember 2024" in pak
    assert "Angka kredit awal (penyesuaian/inpassing) SK Nomor 800/002/SK-INP/2024 per 1 Januari 2024 40" in pak

    # The usulan page: "52,5 / 50", not the stored "52,500 / 50,000".
    ub = next(h for h in hasil if h.pejabat_nama == "Fajar Nugraha")
    client.force_login(pic_kab)
    html = client.get(reverse("penetapan:detail", args=[ub.pk])).content.decode()
    assert "AK kumulatif 52,5 / 50" in html
    assert "52,500" not in html and "50,000" not in html
    # The PAK's ledger row shows the masa penilaian it covers, not "—".
    buku = re.search(r'data-testid="buku-ak".*?</table>', html, re.S).group(0)
    [baris] = [r for r in re.findall(r"<tr>.*?</tr>", buku, re.S) if "Penetapan angka kredit" in r]
    periode = re.findall(r"<td>(.*?)</td>", baris, re.S)[1].strip()
    assert periode == "1 Januari 2024 – 31 Desember 2024"
