"""Issue 19 (F7): an SK kenaikan pangkat whose TMT is still ahead showed in the REST API as the
golongan in force today. The API (holder list and record, the holder's own /saya/) now gives the
golongan in force today with its TMT, and the recorded one as scheduled with the TMT it takes
effect on — as the holder's pages do; on that TMT the new golongan is the one in force."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.format import tgl
from apps.jabatan.models import PejabatFungsional
from tests.factories import UserFactory
from tests.jabatan.conftest import api_token, pejabat_di_api
from tests.jabatan.test_kenaikan_pangkat import _catat
from tests.penetapan import conftest as pc

pytestmark = pytest.mark.django_db

jfak, prov, kab, pic_kab = pc.jfak, pc.prov, pc.kab, pc.pic_kab


def _gol(d: dict) -> tuple:
    return d["golongan"], d["tmt_golongan"], d["golongan_terjadwal"], d["tmt_golongan_terjadwal"]


def test_a_kenaikan_pangkat_ahead_is_scheduled_in_the_api_not_in_force(client, pic_kab, kab, jfak, monkeypatch):
    holder = UserFactory(username="budi.pf", instansi=kab, roles=["pejabat_fungsional"])
    budi = pc.buat_pejabat(
        kab, jfak, nip="198701012010011003", nama="Budi Santoso", ak_awal=Decimal("62.5"), user=holder
    )
    tmt = timezone.localdate() + timedelta(days=120)
    _catat(pic_kab, budi, tmt_golongan=tmt)
    with tenancy.scope(kab):
        assert PejabatFungsional.objects.get(pk=budi.pk).golongan.kode == "III/b"  # recorded at once

    sebelum = ("III/a", date(2024, 1, 1).isoformat(), "III/b", tmt.isoformat())
    assert [_gol(d) for d in pejabat_di_api(pic_kab, holder, budi.pk)] == [sebelum] * 3

    # The page says the same: III/a in force, III/b from its TMT.
    client.force_login(pic_kab)
    page = html.unescape(re.sub(r"\s+", " ", client.get(reverse("jabatan:detail", args=[budi.pk])).content.decode()))
    assert "III/a, TMT 1 Januari 2024" in page and f"naik ke III/b, berlaku mulai {tgl(tmt)}" in page

    # On the TMT the new golongan is in force and nothing is scheduled.
    monkeypatch.setattr(timezone, "localdate", lambda: tmt)
    r = api_token(pic_kab).get(f"/api/v1/pejabat-fungsional/{budi.pk}/")
    assert _gol(r.json()) == ("III/b", tmt.isoformat(), None, None)


def test_the_holders_letter_names_the_golongan_in_force_not_the_scheduled_one(pic_kab, kab, jfak):
    """The PAK/HAPAK content (apps.penetapan.isi) prints the golongan in force on the letter's date."""
    from types import SimpleNamespace

    from apps.penetapan import isi

    budi = pc.buat_pejabat(kab, jfak, nip="198701012010011003", nama="Budi Santoso", ak_awal=Decimal("62.5"))
    _catat(pic_kab, budi, tmt_golongan=timezone.localdate() + timedelta(days=120))
    with tenancy.scope(kab):
        budi = PejabatFungsional.objects.select_related("golongan", "jenjang").get(pk=budi.pk)
        usulan = SimpleNamespace(
            pejabat_nama=budi.nama, pejabat_nip=budi.nip, jenjang=budi.jenjang, instansi=SimpleNamespace(nama=kab.nama)
        )
        data = isi._pejabat(usulan, budi)
    assert (data["golongan"], data["pangkat"]) == ("III/a", "Penata Muda")
