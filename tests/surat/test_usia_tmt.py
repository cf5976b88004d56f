"""Issue 13 §2: the JF's age limit and the BUP are checked at the appointment date (the SK's TMT),
and again at rekomendasi; far-future dates are refused."""

from __future__ import annotations

from datetime import date

import pytest

from apps.referensi.models import JabatanFungsional
from apps.surat.services import SuratError
from tests.surat.conftest import terbitkan_rekomendasi, terbitkan_sk


def test_the_age_limit_is_checked_at_the_tmt_not_at_submission(diputuskan, staf, pk, instansi_a, ppk_pk):
    # Born 10 August 1969: 56 at submission (15 June 2026) and at the rekomendasi (3 August 2026),
    # 57 on the TMT 1 September 2026 — "maksimal berusia 56 tahun pada saat pengangkatan".
    lulus, _t, _s = diputuskan(1, 0, nip_prefix="19690810 199503 1 ")
    terbitkan_rekomendasi(staf, pk, instansi_a)
    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus, tmt=date(2026, 9, 1))
    text = " ".join(refused.value.messages)
    assert "Tidak dapat diangkat pada TMT 1 September 2026" in text
    assert "berusia 57 tahun, melewati batas usia 56 tahun (batas TMT 9 Agustus 2026)" in text
    assert terbitkan_sk(ppk_pk, lulus, tmt=date(2026, 8, 9))  # the last day within the limit


def test_the_age_limit_is_checked_again_at_rekomendasi(diputuskan, staf, pk, instansi_a):
    # Born 20 June 1969: 56 at submission, 57 on the rekomendasi date 3 August 2026.
    diputuskan(1, 0, nip_prefix="19690620 199503 1 ")
    with pytest.raises(SuratError) as refused:
        terbitkan_rekomendasi(staf, pk, instansi_a)
    assert "Tidak dapat diangkat pada tanggal rekomendasi 3 Agustus 2026" in " ".join(refused.value.messages)


def test_the_jf_may_read_the_limit_as_belum_melewati_ulang_tahun(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 0, nip_prefix="19700810 199503 1 ")
    terbitkan_rekomendasi(staf, pk, instansi_a)
    JabatanFungsional.objects.filter(pk=pk.pk).update(usia_tafsir="ulang_tahun")
    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus, tmt=date(2026, 8, 11))  # one day after the 56th birthday
    assert "batas TMT 10 Agustus 2026" in " ".join(refused.value.messages)
    assert terbitkan_sk(ppk_pk, lulus, tmt=date(2026, 8, 10))


def test_the_bup_is_checked_at_the_tmt(diputuskan, staf, pk, instansi_a, ppk_pk):
    """PP 11/2017 pasal 239: BUP Ahli Muda 58; born 20 June 1969, pensiun TMT 1 July 2027."""
    JabatanFungsional.objects.filter(pk=pk.pk).update(usia_maks=60)
    lulus, _t, _s = diputuskan(1, 0, nip_prefix="19690620 199503 1 ")
    terbitkan_rekomendasi(staf, pk, instansi_a)
    with pytest.raises(SuratError) as refused:
        terbitkan_sk(ppk_pk, lulus, tmt=date(2027, 7, 1))
    assert "telah mencapai batas usia pensiun 58 tahun (pensiun TMT 1 Juli 2027)" in " ".join(refused.value.messages)
    assert terbitkan_sk(ppk_pk, lulus, tmt=date(2027, 6, 30))


def test_far_future_sk_dates_are_refused(diputuskan, staf, pk, instansi_a, ppk_pk):
    from apps.surat import services
    from tests.surat.conftest import PENANDATANGAN_PPK
    from tests.verifikasi.conftest import as_user

    lulus, _t, _s = diputuskan(1, 0)
    terbitkan_rekomendasi(staf, pk, instansi_a)
    with as_user(ppk_pk), pytest.raises(SuratError) as refused:
        services.sk_terbitkan(
            actor=ppk_pk, usulan_ids=[lulus[0].pk], tanggal=date(9999, 12, 31), tmt=date(9999, 12, 31),
            penandatangan=PENANDATANGAN_PPK,
        )  # fmt: skip
    assert "Tanggal surat paling lambat sebulan setelah hari ini" in " ".join(refused.value.messages)
