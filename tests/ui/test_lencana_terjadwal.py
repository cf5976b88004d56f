"""The "naik ke …, berlaku mulai …" badges of a holder's page in Chromium (fresh-eye walk of the
jenjang in force): a badge did not wrap, so at 992 px it ran under the next card with its date cut
off, and on a phone it widened the whole page. The badges wrap inside their card at both widths."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.ui.conftest import as_

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]


def _menunggu_kenaikan() -> int:
    """A holder of pic.kemenhub's instansi with an SK kenaikan pangkat and an SK kenaikan jenjang
    whose TMTs are three weeks ahead."""
    from apps.accounts.models import User
    from apps.core import tenancy
    from apps.jabatan.domain import JenisMutasi
    from apps.jabatan.models import PejabatFungsional
    from apps.jabatan.services import mutasi_tambah
    from apps.referensi.models import Golongan, JabatanFungsional
    from tests.jabatan.conftest import buat_pejabat
    from tests.jabatan.test_pangkat_setelah_jenjang import _naik_jenjang

    pic = User.objects.get(username="pic.kemenhub")
    jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
    nanti = timezone.localdate() + timedelta(days=21)
    h = buat_pejabat(pic.instansi, jf, nip="199203152019032009", nama="Rahmawati Kusumaningrum, S.Sos., M.A.P.")
    with tenancy.scope(pic.instansi), transaction.atomic():
        mutasi_tambah(h, JenisMutasi.AWAL, Decimal("110.5"), oleh=pic, periode_mulai=h.tmt_jabatan)
        _naik_jenjang(h, nanti)
        PejabatFungsional.objects.filter(pk=h.pk).update(
            golongan=Golongan.objects.get(kode="III/b"), tmt_golongan=nanti
        )
    return h.pk


def test_the_scheduled_badges_wrap_inside_their_card(page):
    call_command("load_referensi")
    call_command("demo_data")
    pk = _menunggu_kenaikan()
    as_(page, "pic.kemenhub")
    for lebar in (992, 390):
        page.set_viewport_size({"width": lebar, "height": 900})
        page.goto(reverse("jabatan:detail", args=[pk]))
        for testid in ("jenjang-belum-berlaku", "golongan-belum-berlaku"):
            badge = page.get_by_test_id(testid)
            kartu = badge.locator("xpath=ancestor::div[contains(@class, 'card')][1]").bounding_box()
            kotak = badge.bounding_box()
            assert kotak["x"] + kotak["width"] <= kartu["x"] + kartu["width"] + 0.5, (lebar, testid, kotak, kartu)
            assert badge.evaluate("e => e.scrollWidth <= e.clientWidth"), (lebar, testid, "text cut off")
        assert page.evaluate("document.documentElement.scrollWidth") <= lebar, (lebar, "the page scrolls sideways")
