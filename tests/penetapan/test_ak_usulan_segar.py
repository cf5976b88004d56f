"""The AK a decided usulan penetapan AK stores follows the holder's ledger (issue 19, fresh-eye
walk 2): a predikat corrected after the PAK left ``ak_kumulatif`` on the usulan (its page and the
API) at the old figure. One function recomputes it (apps.penetapan.services.ak_usulan_segarkan),
called from every path that appends a ledger movement and from a corrected PAK/HAPAK."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.core.format import format_ak
from apps.core.models import AuditLog
from apps.jabatan.models import MutasiAK
from apps.penetapan import services
from apps.penetapan.models import UsulanPenetapanAK
from tests.penetapan.conftest import as_user
from tests.penetapan.test_koreksi_ak import _koreksi_predikat, hasil  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _buku(kab, pejabat) -> Decimal:
    with tenancy.scope(kab):
        return sum(MutasiAK.objects.filter(pejabat=pejabat).values_list("nilai", flat=True), Decimal(0))


def _tersimpan(usulan):
    with tenancy.all_tenants(reason="test"):
        return UsulanPenetapanAK.objects.get(pk=usulan.pk)


def test_a_corrected_predikat_moves_the_stored_ak_of_the_decided_usulan(client, hasil, kab, pic_kab, budi, tim_prov):  # noqa: F811
    pak = hasil["Budi Santoso"]
    assert _tersimpan(pak).ak_kumulatif == _buku(kab, budi) == Decimal("81.25")
    _koreksi_predikat(kab, pic_kab, budi, "baik")  # 18,75 → 12,5: a −6,25 correction row
    buku = _buku(kab, budi)
    assert buku == Decimal("75")
    u = _tersimpan(pak)
    assert u.ak_kumulatif == buku
    with tenancy.all_tenants(reason="test"):
        log = AuditLog.objects.get(action="penetapan.ak_diperbarui", object_id=str(pak.pk))
        # The replaced predikat is said too (the konversi row keeps the old one).
        koreksi = AuditLog.objects.get(action="ak.koreksi", object_id=str(budi.pk))
    assert "81,25 → 75" in log.message
    assert "Predikat Sangat Baik → Baik." in koreksi.message
    client.force_login(pic_kab)
    api = client.get(reverse("api:penetapan-usulan-detail", args=[pak.pk]))
    assert api.status_code == 200 and Decimal(api.json()["ak_kumulatif"]) == buku
    lst = client.get(reverse("api:penetapan-usulan-list")).json()
    baris = next(r for r in (lst.get("results", lst)) if r["id"] == pak.pk)
    assert Decimal(baris["ak_kumulatif"]) == buku
    page = client.get(reverse("penetapan:detail", args=[pak.pk])).content.decode()
    # The result line (the ledger below keeps the PAK's own row, "… 81,25 ditetapkan", as history).
    hasil_baris = page.split("AK kumulatif", 1)[1].split("</dd>", 1)[0]
    assert (str(u.ak_kumulatif) in hasil_baris or format_ak(buku) in hasil_baris) and "81" not in hasil_baris

    # A corrected PAK re-reads the ledger too (and mends a figure left stale before).
    with tenancy.all_tenants(reason="test"):
        UsulanPenetapanAK.objects.filter(pk=pak.pk).update(ak_kumulatif=Decimal("1"))
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        versi = services.surat_koreksi(actor=stp, usulan=pak, alasan="Predikat 2024 direvisi menjadi Baik.")
    assert versi.isi["ak_kumulatif"] == "75"
    assert _tersimpan(pak).ak_kumulatif == buku
