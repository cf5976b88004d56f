from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Dokumen, Usulan
from apps.referensi.models import PersyaratanDokumen
from apps.verifikasi import services
from apps.verifikasi.models import PenugasanPenilai
from tests.factories import UserFactory
from tests.verifikasi.conftest import as_user, bentuk_tim

pytestmark = pytest.mark.django_db


@pytest.fixture
def tim(pk, staf):
    return bentuk_tim(staf, pk, nama="Tim PK")


def test_the_verifier_reviews_and_decides_through_the_pages(client, diajukan, staf):
    usulan = diajukan(1)[0]
    client.force_login(staf["verifikator"])
    inbox = client.get(reverse("verifikasi:inbox"))
    assert usulan.nomor in inbox.content.decode()
    assert client.post(reverse("verifikasi:klaim", args=[usulan.pk])).status_code == 302
    page = client.get(reverse("verifikasi:periksa", args=[usulan.pk])).content.decode()
    assert "tampil=1" in page  # inline viewer of each document
    data = {
        f"hasil_{p.pk}": "sesuai"
        for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
    }
    ijazah = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="ijazah")
    data |= {
        f"hasil_{ijazah.pk}": "tidak",
        f"catatan_{ijazah.pk}": "Belum dilegalisasi",
        "keputusan": "perbaikan",
        "catatan": "Perbaiki ijazah.",
        "tenggat": "",
    }
    response = client.post(reverse("verifikasi:simpan_pemeriksaan", args=[usulan.pk]), data, follow=True)
    assert "Keputusan disimpan: Perlu perbaikan." in response.content.decode()
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.PERBAIKAN


def test_a_bad_decision_is_explained_and_nothing_changes(client, diajukan, staf):
    usulan = diajukan(1)[0]
    client.force_login(staf["verifikator"])
    client.post(reverse("verifikasi:klaim", args=[usulan.pk]))
    response = client.post(
        reverse("verifikasi:simpan_pemeriksaan", args=[usulan.pk]),
        {"keputusan": "tidak_memenuhi", "catatan": ""},
        follow=True,
    )
    assert "Tuliskan alasan tidak memenuhi syarat." in response.content.decode()
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.VERIFIKASI


def test_pembina_pages_are_404_outside_the_jf_and_for_unassigned_penilai(client, diajukan, staf, tim, referensi):
    usulan = diajukan(1)[0]
    with as_user(staf["verifikator"]):
        services.pemeriksaan_mulai(actor=staf["verifikator"], usulan=usulan)
        services.pemeriksaan_catat_dokumen(
            actor=staf["verifikator"],
            usulan=usulan,
            hasil={
                p.pk: (True, "")
                for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
            },
        )
        services.pemeriksaan_putuskan(actor=staf["verifikator"], usulan=usulan, keputusan="memenuhi")
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai1"]])
    with tenancy.all_tenants(reason="test"):
        penugasan = PenugasanPenilai.objects.get(usulan=usulan)
        dokumen = Dokumen.objects.filter(usulan=usulan).first()

    lan = referensi["analis-kebijakan"].instansi_pembina
    outsiders = [
        UserFactory(username="v.lan", instansi=lan, roles=["verifikator"]),
        UserFactory(username="a.lan", instansi=lan, roles=["admin_pembina", "ketua_tim"]),
    ]
    for user in outsiders:
        client.force_login(user)
        for url in (
            reverse("verifikasi:periksa", args=[usulan.pk]),
            reverse("verifikasi:tim_detail", args=[tim.pk]),
            reverse("pengusulan:dokumen_unduh", args=[dokumen.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)
        for url in (
            reverse("verifikasi:klaim", args=[usulan.pk]),
            reverse("verifikasi:simpan_pemeriksaan", args=[usulan.pk]),
            reverse("verifikasi:tim_tugaskan", args=[tim.pk]),
        ):
            assert client.post(url, {"keputusan": "tidak_memenuhi", "catatan": "x"}).status_code in (403, 404), url
        assert usulan.nomor not in client.get(reverse("verifikasi:inbox")).content.decode()
    # penilai2 is in the team but not assigned: the dossier and its documents are not found.
    client.force_login(staf["penilai2"])
    assert client.get(reverse("verifikasi:nilai", args=[penugasan.pk])).status_code == 404
    assert client.get(reverse("pengusulan:dokumen_unduh", args=[dokumen.pk])).status_code == 404
    # the assigned penilai sees it after declaring no conflict
    client.force_login(staf["penilai1"])
    page = client.get(reverse("verifikasi:nilai", args=[penugasan.pk])).content.decode()
    assert "tidak ada konflik kepentingan" in page and "portofolio" not in page
    client.post(reverse("verifikasi:nilai", args=[penugasan.pk]), {"bebas_konflik": "1"})
    page = client.get(reverse("verifikasi:nilai", args=[penugasan.pk])).content.decode()
    assert 'data-testid="portofolio"' in page and "Integritas" in page
    assert client.get(reverse("pengusulan:dokumen_unduh", args=[dokumen.pk])).status_code == 200
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.PENILAIAN
    # PIC pages stay closed to pembina staff
    client.force_login(staf["verifikator"])
    assert client.get(reverse("pengusulan:dashboard")).status_code == 403


def test_the_inbox_uses_keyset_pages_with_a_fixed_query_count(client, diajukan, staf):
    made = diajukan(7)
    client.force_login(staf["verifikator"])
    client.get(reverse("portal:beranda"))  # the session's activity stamps are written once, here
    from apps.verifikasi import selectors

    with as_user(staf["verifikator"]):
        first = selectors.inbox(limit=3)
        second = selectors.inbox(limit=3, cursor=first.next_cursor)
        third = selectors.inbox(limit=3, cursor=second.next_cursor)
    seen = [u.pk for page in (first, second, third) for u in page.rows]
    assert seen == [u.pk for u in sorted(made, key=lambda u: (u.diajukan_at, u.pk))]
    assert third.next_cursor is None and second.has_previous
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("verifikasi:inbox"))
    diajukan(10, nip_prefix="19860926 201506 1 ")
    with CaptureQueriesContext(connection) as big:
        response = client.get(reverse("verifikasi:inbox"))
    assert len(response.context["page"].rows) == 17
    assert len(big) == len(small)
    bad = client.get(reverse("verifikasi:inbox"), {"cursor": "bukan-kursor"})
    assert bad.status_code == 200 and len(bad.context["page"].rows) == 17


def test_the_admin_assigns_in_bulk_from_the_inbox(client, diajukan, staf):
    a, b = diajukan(2)
    client.force_login(staf["admin"])
    response = client.post(
        reverse("verifikasi:tugaskan"), {"usulan": [a.pk, b.pk], "verifikator": staf["verifikator2"].pk}, follow=True
    )
    assert "2 usulan ditugaskan" in response.content.decode()
    client.force_login(staf["verifikator2"])
    mine = client.get(reverse("verifikasi:inbox"), {"saya": "1"}).context["page"].rows
    assert {u.pk for u in mine} == {a.pk, b.pk}
