"""A pegawai's mistyped NIP (issue 14, fresh-eye findings 2 and 3): it can be corrected on the
edit form — the same checks as creation, audited before → after — while no usulan has been
submitted for the pegawai; afterwards the form says why it is locked. A TMT golongan before the
TMT CPNS read from the NIP is refused in the form, the XLSX import and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.pengusulan import services
from apps.pengusulan.models import Pegawai, Usulan
from tests.pengusulan.conftest import pegawai_data, row, workbook
from tests.pengusulan.test_semua_galat import _isian

pytestmark = pytest.mark.django_db

SALAH = "198609262015051001"
BENAR = "198609262015051009"


def _ubah(client, pegawai, **overrides):
    url = reverse("pengusulan:pegawai_update", args=[pegawai.pk])
    versi = client.get(url).context["versi"]
    return client.post(url, _isian(versi=versi, **overrides))


def test_a_mistyped_nip_is_corrected_with_the_creation_checks_and_audited(client, pic, aks, make_pegawai):
    pegawai = make_pegawai(nip=SALAH)
    make_pegawai(nip="19860926 201505 1 002", nama="Lain")
    with tenancy.scope(pic.instansi):
        draf = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    client.force_login(pic)
    form = client.get(reverse("pengusulan:pegawai_update", args=[pegawai.pk])).context["form"]
    assert not form.fields["nip"].disabled
    # another pegawai's NIP, and a malformed one: refused on the field like a new pegawai
    assert "sudah terdaftar" in str(_ubah(client, pegawai, nip="19860926 201505 1 002").context["form"].errors["nip"])
    assert "nip" in _ubah(client, pegawai, nip="19860926 201505 3 009").context["form"].errors
    response = _ubah(client, pegawai, nip="19860926 201505 1 009", jenis_kelamin="")
    assert response.status_code == 302, response.context["form"].errors
    with tenancy.scope(pic.instansi):
        pegawai.refresh_from_db()
        assert pegawai.nip == BENAR and pegawai.jenis_kelamin == "L"
        assert Usulan.objects.get(pk=draf.pk).pegawai_nip == BENAR  # the draft follows
        [entry] = AuditLog.objects.filter(action="pegawai.diubah", data__nip__isnull=False)
    assert entry.data["nip"] == [SALAH, BENAR] and entry.actor == pic


def test_the_nip_is_locked_with_the_reason_once_an_usulan_was_submitted(client, pic, aks, make_pegawai):
    pegawai = make_pegawai(nip=SALAH)
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        Usulan.objects.filter(pk=usulan.pk).update(diajukan_at=timezone.now())
    client.force_login(pic)
    page = client.get(reverse("pengusulan:pegawai_update", args=[pegawai.pk]))
    assert page.context["form"].fields["nip"].disabled
    assert "usulan pegawai ini sudah diajukan" in page.content.decode()
    _ubah(client, pegawai, nip="19860926 201505 1 009")  # a forged value of a disabled field is ignored
    with tenancy.scope(pic.instansi):
        assert Pegawai.objects.get(pk=pegawai.pk).nip == SALAH
        with pytest.raises(Exception, match="tidak dapat diubah"):
            services.pegawai_update(actor=pic, pegawai=pegawai, data=pegawai_data(nip=BENAR))


def test_a_tmt_golongan_before_the_tmt_cpns_is_refused_in_the_form(client, pic, aks):
    client.force_login(pic)
    # NIP: TMT CPNS May 2015; TMT golongan April 2014
    response = client.post(reverse("pengusulan:pegawai_create"), _isian(tmt_golongan="2014-04-01", nama=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "nama" in errors  # with the others, in one pass
    assert errors["tmt_golongan"] == [
        "TMT pangkat/golongan (1 April 2014) tidak boleh sebelum TMT CPNS menurut NIP (1 Mei 2015). "
        "Periksa TMT golongan atau NIP."
    ]
    with tenancy.scope(pic.instansi):
        assert not Pegawai.objects.exists()


def test_a_tmt_golongan_before_the_tmt_cpns_is_refused_in_the_import(client, pic, aks):
    from datetime import date

    client.force_login(pic)
    rows = [row(), row(nip="19860926 201505 1 002", nama="Terlalu Awal", tmt=date(2014, 4, 1))]
    report = client.post(reverse("pengusulan:impor"), {"berkas": workbook(rows), "jf": "aks"}).context["report"]
    assert report.imported == 1
    [(baris, kolom, alasan)] = report.errors
    assert baris == 3 and kolom == "TMT golongan" and "sebelum TMT CPNS" in alasan


def test_a_tmt_golongan_before_the_tmt_cpns_is_refused_by_the_service_the_api_calls(pic, aks):
    from datetime import date

    from django.core.exceptions import ValidationError

    with tenancy.scope(pic.instansi), pytest.raises(ValidationError) as refused:
        services.pegawai_create(actor=pic, data=pegawai_data(tmt_golongan=date(2014, 4, 1)))
    assert "sebelum TMT CPNS" in refused.value.message_dict["tmt_golongan"][0]


def test_the_usulan_header_shows_the_submission_time_with_its_zone(client, pic, aks, make_pegawai):
    """Issue 14 (fresh-eye finding 4): "diajukan 30 November 2026 18:01" had no "WIB"."""
    from datetime import UTC, datetime

    pegawai = make_pegawai(nip=SALAH)
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        Usulan.objects.filter(pk=usulan.pk).update(diajukan_at=datetime(2026, 11, 30, 11, 1, tzinfo=UTC))
    client.force_login(pic)
    html = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    assert "diajukan 30 November 2026 18:01 WIB" in html
