"""One display rule for an angka kredit (apps.core.format.format_ak): the PIC's page and the PAK
letter print the same AK the same way — BKN's two decimals, half up, decimal comma."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan.models import Usulan
from apps.surat import isi
from apps.surat.pdf import render_html

pytestmark = pytest.mark.django_db


def _teks(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_a_page_and_a_letter_print_the_same_ak(client, diajukan, pic_pk):
    usulan = diajukan(1)[0]
    with tenancy.all_tenants(reason="test: an AK with more decimals than BKN prints"):
        Usulan.objects.filter(pk=usulan.pk).update(
            ak_nilai_tabel=Decimal("75.005"), ak_dasar=Decimal("12.5"), ak_awal=Decimal("87.505")
        )
        usulan = Usulan.objects.select_related("jenjang", "instansi").get(pk=usulan.pk)
        penerbit = usulan.instansi
        surat = SimpleNamespace(
            jenis="pak", nomor="800/0001/PAK/2026", tanggal=date(2026, 8, 3), tmt=date(2026, 8, 3), perihal="PAK",
            penerbit=penerbit, instansi=penerbit, jf=usulan.jf, penandatangan_nama="Ir. Budi Santoso, M.T.",
            penandatangan_jabatan="Sekretaris Jenderal", penandatangan_nip="196805121993031002",
        )  # fmt: skip
        snapshot = isi.pak(surat, usulan)
    surat_html = render_html(SimpleNamespace(surat=surat, isi=snapshot, kode="UJI-AK", versi=1))
    letter = _teks(surat_html)

    client.force_login(pic_pk)
    page = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    rincian = _teks(re.search(r'data-testid="ak-rincian">(.*?)</span>\s*(?:</div>|<div)', page, re.S).group(1))

    # The page: tabel + AK Dasar = total, each as BKN prints it.
    assert re.search(r"75,01 .*\+ 12,5 .*= 87,51", rincian), rincian
    # The letter: the same three numbers, the same text.
    assert "Angka kredit dari tabel penyesuaian 75,01" in letter
    assert "Angka Kredit Dasar 12,5" in letter
    assert "Jumlah angka kredit penyesuaian 87,51" in letter
    assert "87,505" not in letter and "87,505" not in page
