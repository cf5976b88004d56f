"""Issue 17, second fresh-eye walk item 3 (helper i17g): a letter could be dated before the one it
rests on (SKs dated 30 November on a rekomendasi the walk dated likewise before its berita acara).
An SK dated before its rekomendasi is refused, by the service behind the page and the API, with a
message naming the rekomendasi and its date; nothing is issued."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.pengusulan.domain import Status
from apps.pengusulan.models import Usulan
from apps.surat import services
from apps.surat.models import JenisSurat, Surat
from apps.surat.services import SuratError
from tests.surat.conftest import PENANDATANGAN_PPK, all_tenants, terbitkan_rekomendasi
from tests.surat.test_views import TTD_FORM
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def test_an_sk_dated_before_its_rekomendasi_is_refused(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(1, 0)
    rekomendasi = terbitkan_rekomendasi(staf, pk, instansi_a, tanggal=date(2026, 8, 3))
    pesan = f"Tanggal SK 2 Agustus 2026 mendahului rekomendasi {rekomendasi.nomor} tanggal 3 Agustus 2026"
    with as_user(ppk_pk), pytest.raises(SuratError) as refused:
        services.sk_terbitkan(
            actor=ppk_pk, usulan_ids=[u.pk for u in lulus], tanggal=date(2026, 8, 2), tmt=date(2026, 9, 1),
            penandatangan=PENANDATANGAN_PPK,
        )  # fmt: skip
    assert pesan in " ".join(refused.value.messages)
    client.force_login(ppk_pk)
    isian = {"usulan": [u.pk for u in lulus], "tanggal": "2026-08-02", "tmt": "2026-09-01", **TTD_FORM}
    page = client.post(reverse("surat:ppk"), isian)
    assert page.status_code == 200 and pesan in page.content.decode()
    api = client.post(reverse("api:ppk-sk-list"), {**isian, "kolektif": False}, content_type="application/json")
    assert api.status_code == 400 and pesan in api.content.decode()
    with all_tenants():
        assert not Surat.objects.filter(jenis__in=[JenisSurat.SK, JenisSurat.SK_KOLEKTIF]).exists()
        assert set(Usulan.objects.filter(pk__in=[u.pk for u in lulus]).values_list("status", flat=True)) == {
            Status.DIREKOMENDASIKAN
        }
    # Dated on the rekomendasi's day: issued.
    with as_user(ppk_pk):
        issued = services.sk_terbitkan(
            actor=ppk_pk, usulan_ids=[u.pk for u in lulus], tanggal=date(2026, 8, 3), tmt=date(2026, 9, 1),
            penandatangan=PENANDATANGAN_PPK,
        )  # fmt: skip
    assert JenisSurat.SK in {s.jenis for s in issued}
