from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.accounts.models import Membership, Role, User
from apps.core.models import Instansi

pytestmark = pytest.mark.django_db


def test_demo_data_is_complete_and_idempotent():
    call_command("demo_data")
    counts = (Instansi.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("demo_data")
    assert (Instansi.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    setneg = Instansi.objects.get(nama="Kementerian Sekretariat Negara")
    assert setneg.is_pembina
    pengguna = Instansi.objects.filter(is_pembina=False)
    assert {i.jenis for i in pengguna} >= {"kementerian", "provinsi", "kota"}
    assert Instansi.objects.get(kode="KOTA-BANDUNG").parent.kode == "PROV-JABAR"
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="superadmin").is_superuser


def test_demo_logins_are_printed_on_request(capsys):
    call_command("demo_data", print_logins=True)
    out = capsys.readouterr().out
    assert "pic.kemenhub" in out and "verifikator.setneg" in out and "siaks-demo-2026" in out
