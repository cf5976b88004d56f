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


def test_demo_data_confirms_the_ak_rows_the_demo_walks_on_and_says_so(capsys):
    """Issue 13: rekomendasi and SK refuse unverified AK rows; the demo confirms them, audited,
    marked in the row's source and announced, so that ``make run`` still walks to an SK."""
    from apps.core.models import AuditLog
    from apps.referensi.loader import load_all
    from apps.referensi.models import AKDasar, NilaiPenyesuaianAK

    load_all()
    assert NilaiPenyesuaianAK.objects.filter(terverifikasi=False).exists()
    call_command("demo_data")
    out = capsys.readouterr().out
    assert "ditandai terverifikasi" in out and "BUKAN nilai resmi" in out
    assert not NilaiPenyesuaianAK.objects.filter(terverifikasi=False).exists()
    assert not AKDasar.objects.filter(terverifikasi=False).exists()
    row = AKDasar.objects.get(golongan__kode="III/c")
    assert row.sumber.endswith("[dikonfirmasi oleh data demo, bukan nilai resmi]")
    from apps.core import tenancy

    with tenancy.all_tenants(reason="test"):
        assert AuditLog.objects.filter(action="referensi.ak_demo_dikonfirmasi").count() == 2
    call_command("demo_data")
    assert "ditandai terverifikasi" not in capsys.readouterr().out
