"""The PAK and HAPAK of a Tim Penilai AK (issue 19): a provincial team's letters about a kabupaten
holder are filed under the kabupaten and issued by the province. The team — its ketua, its
members (substitutes included) and its sekretariat — read them (pages, downloads, API), down to
the manager and the RLS policy of the province's scope; everyone else stays at 404: the
province's other penilai, sekretariat, PIC and PPK, another kabupaten, a holder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.penetapan.models import SekretariatTimAK
from apps.surat.models import Surat, VersiSurat
from tests.factories import UserFactory
from tests.penetapan.conftest import (  # noqa: F401 (the penetapan fixtures, used by name)
    ani,
    bentuk_tim,
    budi,
    jfak,
    kab,
    kab2,
    pic_kab,
    prov,
    sidang_ani_dan_budi,
    tim_prov,
)
from tests.surat.conftest import render_antrean

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}


@pytest.fixture
def letters(pic_kab, ani, budi, tim_prov, prov, kab2, jfak):  # noqa: F811
    hasil = sidang_ani_dan_budi(pic_kab, ani, budi, tim_prov)
    render_antrean()
    with tenancy.all_tenants(reason="test fixture"):
        surat = {h.hasil: Surat.objects.get(pk=h.surat_id) for h in hasil}
        versi = {k: VersiSurat.objects.get(surat=s, diganti_at__isnull=True) for k, s in surat.items()}
    # Another team of the same province and JF (its ketua, a member, its sekretariat): outsiders.
    lain = bentuk_tim(prov, jfak, "instansi", n=3, prefix="lain")
    outsiders = {
        "ketua_tim_lain": lain["anggota"][0].user,
        "sekretariat_tim_lain": lain["sekretariat"],
        "penilai_prov": UserFactory(username="penilai.prov", instansi=prov, roles=["penilai_ak"]),
        "sekretariat_prov": UserFactory(username="stp.prov", instansi=prov, roles=["sekretariat_tim"]),
        "pic_prov": UserFactory(username="pic.prov", instansi=prov, roles=["pic_instansi"]),
        "ppk_prov": UserFactory(username="ppk.prov", instansi=prov, roles=["ppk"]),
        "pic_kab2": UserFactory(username="pic.kab2", instansi=kab2, roles=["pic_instansi"]),
    }
    team = {
        "ketua": tim_prov["anggota"][0].user,
        "anggota": tim_prov["anggota"][3].user,
        "pengganti": tim_prov["anggota"][5].user,
        "sekretariat": tim_prov["sekretariat"],
    }
    return {"surat": surat, "versi": versi, "outsiders": outsiders, "team": team}


def _routes(s, v):
    """Every page and API route of one letter and its current version."""
    return [
        reverse("surat:detail", args=[s.pk]),
        reverse("surat:koreksi", args=[s.pk]),
        reverse("surat:unduh", args=[v.pk]),
        reverse("surat:ttd", args=[v.pk]),
        reverse("surat:unduh_ttd", args=[v.pk]),
        reverse("surat:ulangi", args=[v.pk]),
        reverse("api:surat-detail", args=[s.pk]),
        reverse("api:surat-unduh", args=[s.pk]),
        reverse("api:surat-koreksi", args=[s.pk]),
        reverse("api:surat-ttd", args=[s.pk]),
        reverse("ttd:paraf", args=[v.pk]),
        reverse("ttd:unggah", args=[v.pk]),
        reverse("ttd:baca", args=[v.pk]),
        reverse("api:ttd-versi-detail", args=[v.pk]),
        reverse("api:ttd-versi-paraf", args=[v.pk]),
        reverse("api:ttd-versi-validasi", args=[v.pk]),
    ]


def test_the_team_reads_its_pak_and_hapak_and_nobody_else_of_its_instansi_does(client, letters, pic_kab):  # noqa: F811
    surat, versi = letters["surat"], letters["versi"]
    assert {s.penerbit.jenis for s in surat.values()} == {"provinsi"}
    assert {s.instansi.jenis for s in surat.values()} == {"kabupaten"}
    for role, user in letters["team"].items():
        client.force_login(user)
        daftar = client.get(reverse("surat:daftar")).content.decode()
        for kind, s in surat.items():
            assert s.nomor in daftar, (role, kind)
            assert client.get(reverse("surat:detail", args=[s.pk])).status_code == 200, (role, kind)
            r = client.get(reverse("surat:unduh", args=[versi[kind].pk]))
            assert r.status_code == 200 and b"".join(r.streaming_content)[:4] == b"%PDF", (role, kind)
            assert client.get(reverse("api:surat-detail", args=[s.pk])).status_code == 200, (role, kind)
        page = client.get(reverse("penetapan:surat_tim")).content.decode()
        assert all(s.nomor in page for s in surat.values()), role
    # The holder's instansi keeps reading them as before; the list's "Pegawai" column names the
    # one holder each letter is about (it counted lampiran rows only: 0).
    client.force_login(pic_kab)
    assert client.get(reverse("surat:detail", args=[surat["hapak"].pk])).status_code == 200
    daftar = client.get(reverse("surat:daftar")).content.decode()
    for nama in ("Ani Wulandari", "Budi Santoso"):
        assert f'<td>1 <span class="small text-muted">({nama})</span></td>' in daftar, nama
    failures = []
    for role, user in letters["outsiders"].items():
        client.force_login(user)
        daftar = client.get(reverse("surat:daftar")).content.decode()
        failures += [f"{role} lists {k}" for k, s in surat.items() if s.nomor in daftar]
        for kind, s in surat.items():
            for url in _routes(s, versi[kind]):
                for method in ("get", "post"):
                    kwargs = {"content_type": "application/json"} if url.startswith("/api/") else {}
                    status = getattr(client, method)(url, {}, **kwargs).status_code
                    if status not in REFUSED:
                        failures.append(f"{role} {method.upper()} {url} → {status}")
        status = client.get(reverse("penetapan:surat_tim")).status_code
        if role in ("ketua_tim_lain", "sekretariat_tim_lain"):
            assert status == 200 and not any(
                s.nomor in client.get(reverse("penetapan:surat_tim")).content.decode() for s in surat.values()
            )
        elif status != 404:
            failures.append(f"{role} GET surat_tim → {status}")
    assert failures == []


def test_a_sekretariat_whose_term_ended_no_longer_reads_them(client, letters, tim_prov):  # noqa: F811
    stp = tim_prov["sekretariat"]
    hari = timezone.localdate()
    with tenancy.all_tenants(reason="test: the term ends"):
        SekretariatTimAK.objects.filter(user=stp).update(
            masa_mulai=hari - timedelta(days=400), masa_selesai=hari - timedelta(days=1)
        )
    client.force_login(stp)
    assert client.get(reverse("surat:detail", args=[letters["surat"]["hapak"].pk])).status_code == 404


def _count(scope, table: str, ids) -> int:
    """Rows of ``table`` the database itself shows under ``scope`` (the RLS policy, no manager)."""
    with tenancy.activate(scope), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE id = ANY(%s)", [list(ids)])
        return cursor.fetchone()[0]


def test_manager_and_rls_share_the_letters_with_the_issuing_teams_instansi_only(letters, prov, kab, kab2):  # noqa: F811
    surat_ids = [s.pk for s in letters["surat"].values()]
    versi_ids = [v.pk for v in letters["versi"].values()]
    for instansi, seen in ((prov, 2), (kab, 2), (kab2, 0)):
        scope = tenancy.Scope(instansi_id=instansi.pk)
        with tenancy.activate(scope):
            assert Surat.objects.filter(pk__in=surat_ids).count() == seen, instansi
            assert VersiSurat.objects.filter(pk__in=versi_ids).count() == seen, instansi
        assert _count(scope, "surat_surat", surat_ids) == seen, instansi
        assert _count(scope, "surat_versisurat", versi_ids) == seen, instansi
    # The column says which instansi issued them; the RLS policy admits the province by it alone.
    with tenancy.all_tenants(reason="test assertion"):
        assert set(Surat.objects.filter(pk__in=surat_ids).values_list("instansi_penilai_id", flat=True)) == {prov.pk}
        assert set(VersiSurat.objects.filter(pk__in=versi_ids).values_list("instansi_penilai_id", flat=True)) == {
            prov.pk
        }


def test_the_pembinas_staff_without_a_part_in_the_assessment_get_404_and_keep_the_recap(client, letters, jfak):  # noqa: F811
    """Issue 19 (fresh-eye walk): an inpassing verifikator of the JF's pembina read every PAK and
    HAPAK of the JF's teams as national data. Seed 001 BAB IV E sends them to the holder, their
    instansi and the team, signed by the PYB; the pembina's admin keeps the national recap figures
    (and the usulan's result on its page), not the letters — down to the manager and the RLS policy."""
    from apps.penetapan import selectors as penetapan_selectors
    from apps.penetapan.models import UsulanPenetapanAK

    surat, versi = letters["surat"], letters["versi"]
    pembina = jfak.instansi_pembina
    staf = {
        role: UserFactory(username=f"{role}.pembina", instansi=pembina, roles=[role])
        for role in ("verifikator", "admin_pembina", "ketua_tim")
    }
    failures = []
    for role, user in staf.items():
        client.force_login(user)
        daftar = client.get(reverse("surat:daftar")).content.decode()
        failures += [f"{role} lists {k}" for k, s in surat.items() if s.nomor in daftar]
        for kind, s in surat.items():
            for url in _routes(s, versi[kind]):
                kwargs = {"content_type": "application/json"} if url.startswith("/api/") else {}
                status = client.get(url, **kwargs).status_code
                if status not in REFUSED:
                    failures.append(f"{role} GET {url} → {status}")
        # The usulan's page still shows the result and the number, without a link to the letter.
        with tenancy.all_tenants(reason="test lookup"):
            usulan = list(UsulanPenetapanAK.objects.filter(surat__isnull=False))
        for u in usulan:
            r = client.get(reverse("penetapan:detail", args=[u.pk]))
            if r.status_code != 200:
                failures.append(f"{role} usulan page → {r.status_code}")
            elif u.surat_nomor not in r.content.decode() or reverse("surat:detail", args=[u.surat_id]) in (
                r.content.decode()
            ):
                failures.append(f"{role} usulan page shows no number or links the letter")
    assert failures == []
    scope = tenancy.scope_for_user(staf["verifikator"])
    assert scope.jf_ids and jfak.pk in scope.jf_ids
    surat_ids = [s.pk for s in surat.values()]
    versi_ids = [v.pk for v in versi.values()]
    with tenancy.activate(scope):
        assert Surat.objects.filter(pk__in=surat_ids).count() == 0
        assert VersiSurat.objects.filter(pk__in=versi_ids).count() == 0
    assert _count(scope, "surat_surat", surat_ids) == 0
    assert _count(scope, "surat_versisurat", versi_ids) == 0
    # The national recap figures stay the admin's.
    with tenancy.activate(tenancy.scope_for_user(staf["admin_pembina"])):
        rekap = penetapan_selectors.rekap_periode([jfak.pk])
    assert [(r["pak"], r["hapak"]) for r in rekap] == [(1, 1)]


def test_the_pyb_named_on_the_pak_reads_it_without_a_part_in_the_team(client, letters, prov):  # noqa: F811
    """The official who signs the PAK (registered at the team's instansi, by NIP) reads the
    letter they sign, and nothing else of the team's (the HAPAK is the ketua's)."""
    from apps.ttd.models import Pejabat as PejabatTtd
    from tests.penetapan.conftest import PYB

    surat, versi = letters["surat"], letters["versi"]
    sekda = UserFactory(username="sekda.prov", instansi=prov, roles=["ppk"], nip=PYB[2])
    client.force_login(sekda)
    assert client.get(reverse("surat:detail", args=[surat["pak"].pk])).status_code == 404
    with tenancy.scope(prov):
        PejabatTtd.objects.create(instansi=prov, user=sekda, nama=PYB[0], nip=PYB[2], jabatan=PYB[1], backend="bsre")
    assert client.get(reverse("surat:detail", args=[surat["pak"].pk])).status_code == 200
    r = client.get(reverse("surat:unduh", args=[versi["pak"].pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content)[:4] == b"%PDF"
    assert client.get(reverse("surat:detail", args=[surat["hapak"].pk])).status_code == 404
