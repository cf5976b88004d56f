from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_pic_sees_their_own_pegawai(client, pic_a, pegawai_a, pegawai_b):
    client.force_login(pic_a)
    body = client.get(reverse("pengusulan:pegawai_list")).content.decode()
    assert "Ani Wulandari" in body
    assert "Budi Hartono" not in body


def test_it_rejects_other_instansi_with_404(client, pic_a, pegawai_b):
    client.force_login(pic_a)
    response = client.get(reverse("pengusulan:pegawai_detail", args=[pegawai_b.pk]))
    assert response.status_code == 404


def test_the_owner_instansi_can_open_it(client, pic_a, ppk_a, pegawai_a):
    for user in (pic_a, ppk_a):
        client.force_login(user)
        response = client.get(reverse("pengusulan:pegawai_detail", args=[pegawai_a.pk]))
        assert response.status_code == 200
        assert pegawai_a.nip in response.content.decode()


def test_pembina_staff_cannot_open_the_instansi_pages(client, verifikator, pegawai_a):
    client.force_login(verifikator)
    assert client.get(reverse("pengusulan:pegawai_list")).status_code == 403
    assert client.get(reverse("pengusulan:pegawai_detail", args=[pegawai_a.pk])).status_code == 403


def test_search_by_nip_or_name(client, pic_a, pegawai_a, instansi_a):
    from tests.factories import PegawaiFactory

    PegawaiFactory(instansi=instansi_a, nama="Citra Kirana", nip="199001012015032001")
    client.force_login(pic_a)
    body = client.get(reverse("pengusulan:pegawai_list"), {"q": "19860926 2015"}).content.decode()
    assert "Ani Wulandari" in body and "Citra Kirana" not in body
    body = client.get(reverse("pengusulan:pegawai_list"), {"q": "citra"}).content.decode()
    assert "Citra Kirana" in body and "Ani Wulandari" not in body


def test_the_list_query_count_does_not_grow_with_rows(client, pic_a, instansi_a, django_assert_num_queries):
    from tests.factories import PegawaiFactory

    client.force_login(pic_a)
    PegawaiFactory.create_batch(3, instansi=instansi_a)
    client.get(reverse("portal:beranda"))  # the session's activity stamps are written once, here
    # the prelude is one query (apps/portal/konteks.py), the session comes from the cache; with
    # the test transaction's two savepoints
    with django_assert_num_queries(5) as few:
        client.get(reverse("pengusulan:pegawai_list"))
    PegawaiFactory.create_batch(30, instansi=instansi_a)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("pengusulan:pegawai_list"))


def test_the_pegawai_page_says_whether_the_jabatan_is_pelaksana(client, pic_a, pegawai_a):
    """Issue 13 low: the page showed "(pelaksana)" only for a yes, so a "Tidak" (the answer the usulan
    counts masa kerja with) could not be told from an unanswered field."""
    from django.utils.html import strip_tags

    from apps.core import tenancy
    from apps.pengusulan.models import Pegawai

    client.force_login(pic_a)
    url = reverse("pengusulan:pegawai_detail", args=[pegawai_a.pk])
    for nilai, teks in ((True, "Ya"), (False, "Tidak")):
        with tenancy.all_tenants(reason="test: the answer the PIC gave"):
            Pegawai.objects.filter(pk=pegawai_a.pk).update(is_pelaksana=nilai)
        body = client.get(url).content.decode()
        assert ">Jabatan pelaksana</dt>" in body
        jawaban = body.split('data-testid="jabatan-pelaksana">', 1)[1].split("</dd>", 1)[0]
        assert " ".join(strip_tags(jawaban).split()).startswith(f"{teks} Dipakai usulan untuk menghitung masa kerja")
