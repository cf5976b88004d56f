"""Issue 13 §2–3 at the PIC's services: no TMT golongan in the future; predikat below Baik or a
medium/heavy sanction blocks the submission unless the JF configures "needs review"."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from apps.core import tenancy
from apps.pengusulan import services
from apps.pengusulan.alur import UsulanError
from apps.referensi.models import JabatanFungsional
from tests.pengusulan.conftest import ON, upload_all_mandatory


def test_a_tmt_golongan_in_the_future_is_refused(make_pegawai):
    with pytest.raises(ValidationError) as refused:
        make_pegawai(tmt_golongan=date(9999, 12, 31))
    assert "TMT pangkat/golongan tidak boleh setelah hari ini" in str(refused.value.message_dict["tmt_golongan"])
    with pytest.raises(ValidationError) as before_birth:
        make_pegawai(tmt_golongan=date(1980, 1, 1))
    assert "sebelum tanggal lahir" in str(before_birth.value.message_dict["tmt_golongan"])


@pytest.mark.parametrize("setting, submitted", [("failed", False), ("review", True)])
def test_low_predikat_is_a_hard_failure_unless_the_jf_asks_for_review(
    pic, aks, make_pegawai, formasi_aks, setting, submitted
):
    JabatanFungsional.objects.filter(pk=aks.pk).update(kinerja_disiplin_status=setting)
    pegawai = make_pegawai(
        predikat={"2025": "butuh_perbaikan", "2024": "baik"}, hukuman_disiplin="sedang",
        tanggal_hukuman=date(2025, 3, 1),
    )  # fmt: skip
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    upload_all_mandatory(pic, usulan)
    with tenancy.scope(pic.instansi):
        if submitted:
            done = services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)
            rules = {o["rule"]: o["status"] for o in done.eligibilitas}
            assert rules["kinerja"] == rules["disiplin"] == "review"
        else:
            with pytest.raises(UsulanError) as refused:
                services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)
            text = " ".join(refused.value.messages)
            assert "Predikat kinerja di bawah Baik pada tahun 2025" in text
            assert "hukuman disiplin sedang/berat" in text
