"""Issue 13, fresh-eye walk: a TMT of 2026-06-01, before the rekomendasi and months before the SK,
went through to "Periksa sebelum menerbitkan SK" without a word. A TMT before the rekomendasi's date
is refused (issue and correction); a TMT before the SK's own date is said plainly on the confirmation
page, with what it implies. Also (low): the confirmation names the signer's office as the SK prints
it ("Sekretaris Jenderal Kementerian Perhubungan", not the "Sekretaris Jenderal" typed)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.surat import services
from apps.surat.models import JenisSurat, Surat
from apps.surat.services import SuratError
from tests.surat.conftest import TTD_FORM, all_tenants, terbitkan_rekomendasi, terbitkan_sk
from tests.verifikasi.conftest import as_user


def _sk():
    with all_tenants():
        return list(Surat.objects.filter(jenis__in=[JenisSurat.SK, JenisSurat.PAK]))


def test_a_tmt_before_the_rekomendasi_is_refused_naming_it_also_in_a_correction(
    diputuskan, staf, pk, instansi_a, ppk_pk
):
    lulus, _t, _s = diputuskan(1, 0)
    rekomendasi = terbitkan_rekomendasi(staf, pk, instansi_a)  # dated 3 Agustus 2026
    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus, tmt=date(2026, 6, 1))
    text = " ".join(refused.value.messages)
    assert f"TMT 1 Juni 2026 mendahului rekomendasi {rekomendasi.nomor} tanggal 3 Agustus 2026" in text
    assert "TMT paling awal 3 Agustus 2026" in text
    assert _sk() == []
    sk = next(s for s in terbitkan_sk(ppk_pk, lulus, tmt=date(2026, 8, 3)) if s.jenis == JenisSurat.SK)
    with as_user(ppk_pk), pytest.raises(SuratError) as koreksi:
        services.surat_koreksi(actor=ppk_pk, surat=sk, alasan="TMT diubah.", perubahan={"tmt": date(2026, 6, 1)})
    assert "TMT 1 Juni 2026 mendahului rekomendasi" in " ".join(koreksi.value.messages)
    with all_tenants():
        assert Surat.objects.get(pk=sk.pk).tmt == date(2026, 8, 3)


def test_the_ppk_page_refuses_a_tmt_before_the_rekomendasi_and_warns_of_one_before_the_sk(
    client, diputuskan, staf, pk, instansi_a, ppk_pk
):
    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    client.force_login(ppk_pk)
    isian = {"usulan": [lulus[0].pk], "tanggal": "2026-08-20", **TTD_FORM}
    body = client.post(reverse("surat:ppk"), {**isian, "tmt": "2026-06-01"}).content.decode()
    assert "Periksa sebelum menerbitkan SK" not in body
    assert "TMT 1 Juni 2026 mendahului rekomendasi" in body and 'value="2026-06-01"' in body

    periksa = client.post(reverse("surat:ppk"), {**isian, "tmt": "2026-08-10"}).content.decode()
    assert "Periksa sebelum menerbitkan SK" in periksa
    assert "TMT 10 Agustus 2026 mendahului tanggal SK 20 Agustus 2026 (berlaku surut 10 hari)" in periksa
    assert "tunjangan jabatan fungsional sejak 10 Agustus 2026" in periksa
    tepat = client.post(reverse("surat:ppk"), {**isian, "tmt": "2026-09-01"}).content.decode()
    assert "Periksa sebelum menerbitkan SK" in tepat and "berlaku surut" not in tepat

    # The signer as the SK will print it, the same on the confirmation as on the letter.
    assert TTD_FORM["penandatangan_jabatan"] == "Sekretaris Jenderal"
    client.post(reverse("surat:ppk"), {**isian, "tmt": "2026-09-01", "konfirmasi": "ya"})
    (sk,) = [s for s in _sk() if s.jenis == JenisSurat.SK]
    assert sk.penandatangan_jabatan == f"Sekretaris Jenderal {instansi_a.nama}"
    assert f"{TTD_FORM['penandatangan_nama']}, {sk.penandatangan_jabatan}, NIP" in tepat
