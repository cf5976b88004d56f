"""Issue 13 (fresh-eye walk): no letter is issued on an unsigned predecessor. A rekomendasi rests
on the sidang's signed berita acara (seed 003), an SK on the signed rekomendasi (seed 004). A
letter counts as signed when every signer it names has signed (TTE) or when its wet-signed scan
was uploaded with the reason (seed 001's manual fallback). The refusal is in the services, so the
page and the REST API refuse alike, and the transaction stays usable (apps.core.pesan.penolakan)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services
from apps.surat.models import JenisSurat, Surat
from apps.surat.services import SuratError
from tests.surat.conftest import (
    PENANDATANGAN,
    all_tenants,
    rekomendasi_lewat_halaman,
    render_antrean,
    tandatangani_ba,
    tandatangani_basah,
    terbitkan_rekomendasi,
    terbitkan_sk,
)
from tests.surat.test_views import TTD_FORM
from tests.verifikasi.conftest import as_user


def _status(usulan) -> set[str]:
    with all_tenants():
        return set(Usulan.objects.filter(pk__in=[u.pk for u in usulan]).values_list("status", flat=True))


def _ba(sidang) -> Surat:
    with all_tenants():
        return Surat.objects.get(sidang=sidang, jenis=JenisSurat.BERITA_ACARA)


def test_rekomendasi_waits_for_the_signed_berita_acara(diputuskan, staf, pk, instansi_a):
    lulus, _t, sidang = diputuskan(2, 1, ttd_ba=False)
    ba = _ba(sidang)
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    text = " ".join(refused.value.messages)
    assert f"Berita acara sidang {ba.nomor} belum ditandatangani" in text
    # who has not signed yet: the ketua and every member present
    assert str(staf["ketua"]) in text and str(staf["penilai1"]) in text
    assert "Pegawai PK 1" in text and "Pegawai PK 2" in text
    assert "secara elektronik" in text and "pindaian tanda tangan basah" in text
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.REKOMENDASI).exists()
    assert _status(lulus) == {Status.LULUS}
    # Signed (the manual fallback: the wet-signed scan with its reason): the rekomendasi is issued.
    tandatangani_ba(sidang, staf["admin"])
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    assert surat.jenis == JenisSurat.REKOMENDASI and _status(lulus) == {Status.DIREKOMENDASIKAN}


def test_the_rekomendasi_page_refuses_it_with_the_reason_and_a_usable_transaction(
    client, diputuskan, staf, pk, instansi_a
):
    _l, _t, sidang = diputuskan(1, 0, ttd_ba=False)
    ba = _ba(sidang)
    # Said on the page before the admin tries, with the same words as the refusal.
    client.force_login(staf["admin"])
    page = client.get(reverse("surat:rekomendasi"), {"jf": pk.kode}).content.decode()
    assert 'data-testid="ba-belum-ttd"' in page and f"Berita acara sidang {ba.nomor} belum ditandatangani" in page
    response = rekomendasi_lewat_halaman(client, staf["admin"], pk, instansi_a, konfirmasi=None)
    assert response.status_code == 200
    assert f"Berita acara sidang {ba.nomor} belum ditandatangani" in response.content.decode()
    assert "Periksa sebelum menerbitkan rekomendasi" not in response.content.decode()  # no confirmation
    # the API refuses alike, with the reason
    api = client.post(
        reverse("api:pembina-rekomendasi-list"),
        {"jf": pk.kode, "instansi": [instansi_a.pk], "tanggal": "2026-08-03",
         "penandatangan_nama": PENANDATANGAN[0], "penandatangan_jabatan": PENANDATANGAN[1]},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 400 and f"{ba.nomor} belum ditandatangani" in api.content.decode()
    with all_tenants():
        assert not Surat.objects.filter(jenis=JenisSurat.REKOMENDASI).exists()


def test_sk_waits_for_the_signed_rekomendasi_page_and_api(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 0)
    with as_user(staf["admin"]):
        rekomendasi = services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=instansi_a.pk, tanggal=date(2026, 8, 3),
            penandatangan=PENANDATANGAN,
        )  # fmt: skip
    render_antrean()
    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus)
    text = " ".join(refused.value.messages)
    assert f"Rekomendasi pengangkatan {rekomendasi.nomor} belum ditandatangani" in text
    assert "SK untuk Pegawai PK 1" in text and "admin pembina Kementerian Ketenagakerjaan" in text
    client.force_login(ppk_pk)
    inbox = client.get(reverse("surat:ppk")).content.decode()
    assert 'data-testid="rekomendasi-belum-ttd"' in inbox and f"{rekomendasi.nomor} belum ditandatangani" in inbox
    api = client.post(
        reverse("api:ppk-sk-list"),
        {"usulan": [u.pk for u in lulus], "tanggal": "2026-08-20", "tmt": "2026-09-01", "kolektif": False,
         **TTD_FORM},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 400 and f"{rekomendasi.nomor} belum ditandatangani" in api.content.decode()
    page = client.post(
        reverse("surat:ppk"),
        {"usulan": [u.pk for u in lulus], "tanggal": "2026-08-20", "tmt": "2026-09-01", **TTD_FORM},
    )
    assert page.status_code == 200 and f"{rekomendasi.nomor} belum ditandatangani" in page.content.decode()
    with all_tenants():
        assert not Surat.objects.filter(jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF]).exists()
    assert _status(lulus) == {Status.DIREKOMENDASIKAN}
    # The admin pembina uploads the wet-signed scan (with the reason): the SK is issued.
    tandatangani_basah(rekomendasi, staf["admin"])
    assert 'data-testid="rekomendasi-belum-ttd"' not in client.get(reverse("surat:ppk")).content.decode()
    issued = terbitkan_sk(ppk_pk, lulus)
    assert {s.jenis for s in issued} >= {JenisSurat.SK}


def test_a_partly_signed_berita_acara_is_not_signed(diputuskan, staf, pk, instansi_a):
    """One member's electronic signature does not make the berita acara signed."""
    from apps.ttd.models import TandaTangan
    from apps.ttd.services import ditandatangani
    from tests.surat.conftest import versi_berlaku

    ketua = staf["ketua"]
    ketua.nip = "198002022006041002"
    ketua.save(update_fields=["nip"])
    _l, _t, sidang = diputuskan(1, 0, ttd_ba=False)
    render_antrean()
    versi = versi_berlaku(_ba(sidang))
    with all_tenants():
        TandaTangan.objects.create(
            versi=versi, instansi_id=versi.instansi_id, jf_id=versi.jf_id, status=TandaTangan.Status.SELESAI,
            penandatangan_nama=str(ketua), penandatangan_nip=ketua.nip,
        )  # fmt: skip
        assert not ditandatangani(versi)
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    text = " ".join(refused.value.messages)
    assert f"belum ditandatangani oleh: {staf['penilai1']}; {staf['penilai2']})" in text
    assert str(ketua) not in text
