"""Issue 13 (fresh-eye walk, finding 5): an empty tempat lahir printed "-, 1 Januari 1970" on the SK
with no warning. The letters print the birth date alone; the PIC is warned on the summary before
submitting and the PPK on the SK page and the summary before issuing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.pengusulan.models import Usulan
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


def _rata(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("tempat", ["", "Bandung"])
def test_the_pic_is_warned_before_submitting_without_a_tempat_lahir(client, pic_pk, pk, tempat):
    from apps.core import tenancy
    from apps.pengusulan import services as pic_services
    from apps.referensi.models import Jenjang
    from tests.pengusulan.conftest import pegawai_data, upload_all_mandatory

    with tenancy.scope(pic_pk.instansi):
        pic_services.formasi_simpan(
            actor=pic_pk, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_muda"), unit_kerja="", jumlah=5
        )
        pegawai = pic_services.pegawai_create(actor=pic_pk, data=pegawai_data(tempat_lahir=tempat))
        usulan = pic_services.usulan_create(actor=pic_pk, pegawai=pegawai, jf=pk)
    upload_all_mandatory(pic_pk, usulan)
    client.force_login(pic_pk)
    page = client.post(
        reverse("pengusulan:usulan_ajukan", args=[usulan.pk]),
        {"pengantar_nomor": "800/123/BKD/2026", "pengantar_tanggal": "2026-07-01"},
    ).content.decode()
    assert "Periksa sebelum mengajukan" in page
    peringatan = "Tempat lahir pegawai belum diisi: SK dan PAK akan mencantumkan tanggal lahirnya saja."
    assert (peringatan in _rata(page)) is (not tempat)
    with all_tenants():
        assert Usulan.objects.get(pk=usulan.pk).status == "draft"  # only the summary so far


def test_the_ppk_is_warned_and_the_letters_print_the_date_alone(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(2, 0)
    with all_tenants():
        u = Usulan.objects.get(pk=lulus[0].pk)
        u.data_pegawai = {**u.data_pegawai, "tempat_lahir": ""}
        u.save(update_fields=["data_pegawai"])
    terbitkan_rekomendasi(staf, pk, instansi_a)
    client.force_login(ppk_pk)
    page = client.get(reverse("surat:ppk")).content.decode()
    kotak = _rata(re.sub(r"<[^>]+>", " ", page.split('data-testid="tanpa-tempat-lahir"', 1)[1].split("</div>", 1)[0]))
    assert u.pegawai_nama in kotak and lulus[1].pegawai_nama not in kotak
    isian = {"usulan": [u.pk], "tanggal": "2026-08-20", "tmt": "2026-09-01", **TTD_FORM}
    periksa = _rata(client.post(reverse("surat:ppk"), isian).content.decode())
    assert f"Tempat lahir belum diisi untuk {u.pegawai_nama}" in periksa
    client.post(reverse("surat:ppk"), {**isian, "konfirmasi": "ya"})
    render_antrean()
    with all_tenants():
        letters = list(Surat.objects.filter(baris__usulan=u, jenis__in=[JenisSurat.SK, JenisSurat.PAK]))
    assert sorted(s.jenis for s in letters) == [JenisSurat.PAK, JenisSurat.SK]
    for surat in letters:
        teks = _rata(layout_text(versi_berlaku(surat)))
        assert re.search(r"Tempat, tanggal lahir :? ?26 September 1986", teks), teks
        assert "-, 26 September 1986" not in teks and "-," not in teks
