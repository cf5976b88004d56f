"""Tim Penilai, sidang and berita acara belong to the JF (apps.core.tenancy.JFScopedModel): the
manager refuses to run without a scope, shows only the JFs the scope administers, and the RLS
policy says the same below the ORM."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from apps.core import tenancy
from apps.verifikasi import services
from apps.verifikasi.models import AnggotaTim, BeritaAcara, Sidang, TimPenilai
from tests.verifikasi.conftest import as_user, lulus_administrasi, nilai_semua

pytestmark = pytest.mark.django_db


@pytest.fixture
def berita(diajukan, staf, tim):
    a = lulus_administrasi(diajukan(1)[0], staf)
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[a], tim=tim, penilai=members)
    for user in members:
        nilai_semua(user, a)
    ketua = staf["ketua"]
    with as_user(ketua):
        sidang = services.sidang_buka(
            actor=ketua, tim=tim, usulan_list=[a], tanggal=date(2026, 7, 1), tempat="Ruang Rapat Tim Penilai"
        )
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=list(AnggotaTim.objects.filter(tim=tim)))
        return services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={a.pk: ("lulus", "")})


def _raw_ids(scope, table: str) -> list[int]:
    """The rows the RLS policy admits for ``scope``'s database settings, without the manager."""
    from apps.core.db.backend.base import SET_SCOPE_SQL

    with tenancy.all_tenants(reason="raw SQL under another scope's database settings"), connection.cursor() as cur:
        cur.execute(SET_SCOPE_SQL, scope.db_settings())
        cur.execute(f'SELECT id FROM "{table}" ORDER BY id')
        return [r[0] for r in cur.fetchall()]


def test_team_records_are_the_jfs_only(berita, staf, pic_pk, admin_setneg, client):
    sidang, tim = berita.sidang, berita.sidang.tim
    assert (sidang.jf_id, berita.jf_id) == (tim.jf_id, tim.jf_id)
    models = [(TimPenilai, tim.pk), (Sidang, sidang.pk), (BeritaAcara, berita.pk)]

    for model, _pk in models:  # default-deny: no scope, no query
        with pytest.raises(tenancy.ScopeError):
            model.objects.count()
    with as_user(staf["penilai2"]):  # the JF's pembina staff
        assert [(m, list(m.objects.values_list("pk", flat=True))) for m, _ in models] == [(m, [pk]) for m, pk in models]
    for outsider in (pic_pk, admin_setneg):  # an instansi pengguna; another JF's pembina
        with as_user(outsider):
            assert [m.objects.count() for m, _ in models] == [0, 0, 0]
        for model, _pk in models:
            assert _raw_ids(tenancy.scope_for_user(outsider), model._meta.db_table) == []
    for model, pk in models:
        assert _raw_ids(tenancy.scope_for_user(staf["penilai2"]), model._meta.db_table) == [pk]

    # Nor can another JF's pembina write them.
    with as_user(admin_setneg), pytest.raises(tenancy.ScopeError):
        TimPenilai(jf_id=tim.jf_id, nama="Tim asing", periode_mulai=tim.periode_mulai,
                   periode_selesai=tim.periode_selesai).save()  # fmt: skip

    client.force_login(admin_setneg)
    for url in (reverse("verifikasi:tim_detail", args=[tim.pk]), reverse("verifikasi:sidang", args=[sidang.pk])):
        assert client.get(url).status_code == 404
    client.force_login(staf["penilai2"])
    assert client.get(reverse("verifikasi:sidang", args=[sidang.pk])).status_code == 200
