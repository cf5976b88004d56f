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


def test_demo_data_confirms_only_the_ak_rows_the_demo_walks_on_and_says_so(capsys, client):
    """Issue 13: rekomendasi and SK refuse unverified AK rows; the demo confirms, in every JF's own
    tables, only the rows its walk needs (III/a–III/d, S1/S2; audited per JF, marked "dikonfirmasi
    untuk demo" in the row's source and announced), so that ``make run`` still walks to an SK.
    Every other row stays "belum terverifikasi", and the table page shows which is which."""
    from django.urls import reverse

    from apps.core.models import AuditLog
    from apps.portal.management.commands.demo_data import DEMO_AK_GOLONGAN, DEMO_AK_PENDIDIKAN
    from apps.referensi.loader import load_all
    from apps.referensi.models import AKDasar, JabatanFungsional, NilaiPenyesuaianAK

    load_all()
    assert NilaiPenyesuaianAK.objects.filter(terverifikasi=False).exists()
    call_command("demo_data")
    out = capsys.readouterr().out
    assert "ditandai terverifikasi" in out and "dikonfirmasi untuk demo" in out and "BUKAN nilai resmi" in out
    jf_count = JabatanFungsional.objects.count()
    dibutuhkan = NilaiPenyesuaianAK.objects.filter(
        golongan__kode__in=DEMO_AK_GOLONGAN, pendidikan__in=DEMO_AK_PENDIDIKAN
    )
    assert dibutuhkan.count() == jf_count * 4 * 2 * 5 and not dibutuhkan.filter(terverifikasi=False).exists()
    lain = NilaiPenyesuaianAK.objects.exclude(pk__in=dibutuhkan.values("pk"))
    assert lain.count() == jf_count * (13 * 5 * 5 - 40) and not lain.filter(terverifikasi=True).exists()
    assert not lain.filter(sumber__contains="demo").exists()
    assert set(AKDasar.objects.filter(terverifikasi=True).values_list("golongan__kode", flat=True)) == set(
        DEMO_AK_GOLONGAN
    )
    assert AKDasar.objects.filter(terverifikasi=False).count() == jf_count * (13 - 4)
    row = AKDasar.objects.get(jf__kode="aks", golongan__kode="III/c")
    assert row.sumber.endswith("[dikonfirmasi untuk demo, bukan nilai resmi]")
    # III/d = 100 is only from secondary material, so it ships unverified (issue 13): the demo walks on
    # it, so the demo confirms it too, the same way and with the same mark.
    iii_d = AKDasar.objects.get(jf__kode="aks", golongan__kode="III/d")
    assert iii_d.terverifikasi and iii_d.sumber.endswith("[dikonfirmasi untuk demo, bukan nilai resmi]")
    assert iii_d.sumber.startswith("PerBKN 3/2023, contoh perhitungan")
    from apps.core import tenancy

    with tenancy.all_tenants(reason="test"):
        assert AuditLog.objects.filter(action="referensi.ak_demo_dikonfirmasi").count() == 2 * jf_count
    call_command("demo_data")
    assert "ditandai terverifikasi" not in capsys.readouterr().out

    # The page tells the truth: a demo row says so, a row the demo left alone is unverified.
    client.force_login(User.objects.get(username="admin.setneg"))
    page = client.get(reverse("referensi:ak_tabel") + "?jf=aks").content.decode()
    baris = [r for r in page.split("<tr>") if r.startswith("<td>IV/a</td>")]
    assert baris and all("belum terverifikasi" in r and "demo" not in r for r in baris)
    baris = [r for r in page.split("<tr>") if r.startswith("<td>III/c</td><td>Sarjana")]
    assert baris and all("dikonfirmasi untuk demo" in r and "belum terverifikasi" not in r for r in baris)


def test_demo_data_withdraws_an_older_demos_blanket_confirmation():
    """A database the older demo confirmed wholesale ("dikonfirmasi oleh data demo") gets back the
    truth: rows outside the demo's set that no admin pembina confirmed are unverified again."""
    from apps.referensi.loader import load_all
    from apps.referensi.models import NilaiPenyesuaianAK

    load_all()
    NilaiPenyesuaianAK.objects.update(
        terverifikasi=True, sumber="PerBKN 3/2023 [dikonfirmasi oleh data demo, bukan nilai resmi]"
    )
    call_command("demo_data")
    row = NilaiPenyesuaianAK.objects.filter(jf__kode="aks", golongan__kode="IV/a").first()
    assert not row.terverifikasi and row.sumber == "PerBKN 3/2023"
    row = NilaiPenyesuaianAK.objects.get(jf__kode="aks", golongan__kode="III/c", masa_kerja=4, pendidikan="s1")
    assert row.terverifikasi and row.sumber == "PerBKN 3/2023 [dikonfirmasi untuk demo, bukan nilai resmi]"


def test_the_demo_holders_have_a_tempat_lahir_also_after_an_older_demo():
    """Their PAK prints "Tempat, tanggal lahir" (re-check walk of issue 19: "—, 15 Maret 1992")."""
    from apps.core import tenancy
    from apps.jabatan.models import PejabatFungsional

    call_command("load_referensi")
    call_command("demo_data")
    with tenancy.all_tenants(reason="test"):
        assert PejabatFungsional.objects.count() >= 2
        assert not PejabatFungsional.objects.filter(tempat_lahir="").exists()
        PejabatFungsional.objects.update(tempat_lahir="")  # as a demo run before the field left them
    call_command("demo_data")
    with tenancy.all_tenants(reason="test"):
        assert not PejabatFungsional.objects.filter(tempat_lahir="").exists()
