"""A corrected PAK states the ledger's figures for its masa penilaian (issue 19, fresh-eye walk):
the PIC corrected a predikat inside the PAK's masa penilaian after it was issued; the new version
of the PAK prints the corrected konversi and AK kumulatif, not the old snapshot. A correction that
would turn the PAK into a HAPAK is refused with the reason, nothing issued."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from apps.core import tenancy
from apps.jabatan.models import MutasiAK
from apps.jabatan.services import konversi_catat, konversi_koreksi
from apps.penetapan import services
from apps.surat.models import VersiSurat
from tests.penetapan.conftest import as_user, sidang_ani_dan_budi

pytestmark = pytest.mark.django_db


def _versi(usulan) -> list[VersiSurat]:
    with tenancy.all_tenants(reason="test"):
        return list(VersiSurat.objects.filter(surat_id=usulan.surat_id).select_related("surat").order_by("versi"))


@pytest.fixture
def hasil(pic_kab, kab, ani, budi, tim_prov):
    """Ani (40) and Budi (62,5), each with 2024 at "Sangat Baik" (18,75): both get a PAK."""
    with tenancy.scope(kab):
        for p in (ani, budi):
            konversi_catat(p, predikat="sangat_baik", periode_mulai=date(2024, 1, 1),
                           periode_selesai=date(2024, 12, 31), oleh=pic_kab)  # fmt: skip
    return {u.pejabat_nama: u for u in sidang_ani_dan_budi(pic_kab, ani, budi, tim_prov)}


def _koreksi_predikat(kab, pic, pejabat, predikat):
    with tenancy.scope(kab):
        k = MutasiAK.objects.get(pejabat=pejabat, jenis="konversi")
        konversi_koreksi(k, predikat=predikat, oleh=pic, keterangan="Predikat 2024 direvisi")


def test_a_corrected_pak_states_the_corrected_konversi_and_ak_kumulatif(hasil, kab, pic_kab, budi, tim_prov):
    pak = hasil["Budi Santoso"]
    (v1,) = _versi(pak)
    assert v1.surat.jenis == "pak_ak" and v1.isi["ak_kumulatif"] == "81,25"
    _koreksi_predikat(kab, pic_kab, budi, "baik")  # 18,75 → 12,5: a −6,25 correction row
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        services.surat_koreksi(actor=stp, usulan=pak, alasan="Predikat 2024 direvisi menjadi Baik.")
    _v1, v2 = _versi(pak)
    assert v2.isi["ak_kumulatif"] == "75" and v2.isi["rincian"]["jumlah"] == "75"
    uraian = [(b["uraian"], b["ak"]) for b in v2.isi["rincian"]["baris"]]
    assert ("Konversi predikat kinerja Sangat Baik (12/12 × 150\u00a0% × 12,5 = 18,75)", "18,75") in uraian
    assert ("Koreksi konversi predikat kinerja menjadi Baik (12/12 × 100\u00a0% × 12,5 = 12,5)", "-6,25") in uraian
    assert "dicapai 75," in v2.isi["keterangan"]
    # The parts printed add up to the total printed.
    r = v2.isi["rincian"]
    dec = lambda s: float(s.replace(",", "."))  # noqa: E731
    assert dec(r["dasar"]["ak"]) + sum(dec(b["ak"]) for b in r["baris"]) == pytest.approx(75)


def test_a_correction_that_turns_the_pak_into_a_hapak_is_refused(hasil, kab, pic_kab, ani, tim_prov):
    pak = hasil["Ani Wulandari"]
    assert _versi(pak)[0].isi["ak_kumulatif"] == "58,75"
    _koreksi_predikat(kab, pic_kab, ani, "butuh_perbaikan")  # 40 + 9,38 < 50
    stp = tim_prov["sekretariat"]
    with as_user(stp), pytest.raises(ValidationError, match="bukan lagi PAK"):
        services.surat_koreksi(actor=stp, usulan=pak, alasan="Predikat 2024 direvisi.")
    assert [v.versi for v in _versi(pak)] == [1]


def test_the_sidang_tells_the_pic_the_pak_waits_for_the_pyb_signature(hasil, pic_kab):
    """The sidang issues the PAK; the PYB sets it by signing: the notice does not say "ditetapkan"."""
    from apps.core.models import OutboxMessage
    from apps.notifikasi.models import Notifikasi
    from apps.penetapan.tasks import kabari

    pak = hasil["Budi Santoso"]
    pesan = OutboxMessage.objects.get(task_name="penetapan.kabari", kwargs__aksi="tetapkan_pak",
                                      kwargs__usulan_id=pak.pk)  # fmt: skip
    kabari.apply(kwargs=pesan.kwargs).get()
    n = Notifikasi.objects.get(user=pic_kab, jenis="penetapan.tetapkan_pak", judul__contains="Budi")
    assert n.judul == "PAK diterbitkan, menunggu tanda tangan PYB: Budi Santoso"
    assert "ditetapkan" not in n.isi and f"PAK {pak.surat_nomor} diterbitkan dan menunggu tanda tangan PYB" in n.isi


def test_the_pic_is_warned_a_corrected_period_lies_in_a_pak_and_the_ledger_flags_that_pak(
    client, hasil, kab, pic_kab, budi
):
    from django.urls import reverse

    pak = hasil["Budi Santoso"]
    client.force_login(pic_kab)
    url = reverse("jabatan:detail", args=[budi.pk])
    page = client.get(url).content.decode()
    with tenancy.scope(kab):
        k = MutasiAK.objects.get(pejabat=budi, jenis="konversi")
        row = MutasiAK.objects.get(pejabat=budi, jenis="penetapan")
    assert f'data-testid="dalam-pak-{k.pk}"' in page and pak.surat_nomor in page
    assert f'data-testid="pak-dikoreksi-{row.pk}"' not in page
    r = client.post(
        reverse("jabatan:koreksi_catat", args=[budi.pk]),
        {"mutasi": k.pk, "predikat": "baik", "keterangan": "Predikat 2024 direvisi"},
        follow=True,
    )
    body = r.content.decode()
    assert r.status_code == 200 and f"Periode ini termasuk masa penilaian PAK {pak.surat_nomor}" in body
    assert f'data-testid="pak-dikoreksi-{row.pk}"' in body
