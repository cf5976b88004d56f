"""The PPK's API list of usulan waiting for an SK carries what the PPK page shows before issuing
one (issue 13): the AK breakdown with each row's state, the last TMT, and the checks — an
unverified AK row (the SK is refused until it is confirmed), an empty tempat lahir, and what the
JF's SK/PAK print that no source confirms. Read in a number of queries constant in rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.pengusulan.models import Usulan
from apps.referensi.models import NilaiPenyesuaianAK
from apps.surat import services
from tests.surat.conftest import PENANDATANGAN, PENANDATANGAN_PPK, TANGGAL, all_tenants, tandatangani_rekomendasi
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _menunggu(client) -> tuple[list[dict], int]:
    with CaptureQueriesContext(connection) as q:
        response = client.get(reverse("api:ppk-sk-list"))
    assert response.status_code == 200, response.content
    return response.json()["results"], len(q)


def test_the_waiting_list_carries_the_ppk_pages_checks_in_constant_queries(
    client, diputuskan, staf, pk, instansi_a, ppk_pk
):
    lulus, _t, _s = diputuskan(3, 0)
    with as_user(staf["admin"]):
        services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_rekomendasi(staf["admin"])
    client.force_login(ppk_pk)
    _menunggu(client)  # the first request warms the per-process caches
    rows, n_tiga = _menunggu(client)
    assert sorted(r["id"] for r in rows) == sorted(u.pk for u in lulus)
    a = next(r for r in rows if r["id"] == lulus[0].pk)
    with all_tenants():
        u = Usulan.objects.select_related("ak_tabel_ref", "jf").get(pk=lulus[0].pk)
    rincian = a["ak_rincian"]
    assert float(rincian["nilai_tabel"]) + float(rincian["ak_dasar"]) == pytest.approx(float(rincian["total"]))
    assert float(rincian["total"]) == pytest.approx(float(u.ak_awal))
    assert rincian["tabel_terverifikasi"] is True and rincian["ak_dasar_terverifikasi"] is True
    assert a["tmt_paling_lambat"] == u.tmt_paling_lambat.isoformat()
    isi = [str(b) for b in services.isi_belum_terverifikasi(u.jf, dengan_pak=u.pak_bersama_sk)]
    assert isi, "the test JF prints something unverified (its PAK tembusan or a mengingat row)"
    assert all(b in a["periksa"] for b in isi)
    assert not any("AK awal bersandar" in p for p in a["periksa"])

    # The table row under A is withdrawn from "verified"; B's tempat lahir is empty.
    with all_tenants():
        NilaiPenyesuaianAK.objects.filter(pk=u.ak_tabel_ref_id).update(terverifikasi=False)
        b = Usulan.objects.get(pk=lulus[1].pk)
        b.data_pegawai = {**(b.data_pegawai or {}), "tempat_lahir": ""}
        b.save(update_fields=["data_pegawai"])
    rows, _n = _menunggu(client)
    a = next(r for r in rows if r["id"] == lulus[0].pk)
    assert a["ak_rincian"]["tabel_terverifikasi"] is False
    assert any(
        "AK awal bersandar pada baris tabel AK yang belum terverifikasi" in p and pk.nama in p for p in a["periksa"]
    )
    b = next(r for r in rows if r["id"] == lulus[1].pk)
    assert any(p.startswith("Tempat lahir belum diisi") for p in b["periksa"])

    # The row is confirmed again and B and C get their SK: the one usulan left reads in as many
    # queries as three did.
    with all_tenants():
        NilaiPenyesuaianAK.objects.filter(pk=u.ak_tabel_ref_id).update(terverifikasi=True)
    with as_user(ppk_pk):
        services.sk_terbitkan(
            actor=ppk_pk, usulan_ids=[lulus[1].pk, lulus[2].pk], tanggal=TANGGAL, tmt=TANGGAL,
            penandatangan=PENANDATANGAN_PPK,
        )  # fmt: skip
    rows, n_satu = _menunggu(client)
    assert [r["id"] for r in rows] == [lulus[0].pk]
    assert n_satu == n_tiga


def test_the_pics_usulan_api_gives_the_same_ak_breakdown(client, diajukan, pic_pk):
    (usulan,) = diajukan(1)
    client.force_login(pic_pk)
    response = client.get(reverse("api:usulan-detail", args=[usulan.pk]))
    assert response.status_code == 200, response.content
    rincian = response.json()["ak_rincian"]
    with all_tenants():
        u = Usulan.objects.select_related("ak_tabel_ref", "ak_dasar_ref").get(pk=usulan.pk)
    assert float(rincian["nilai_tabel"]) == pytest.approx(float(u.ak_nilai_tabel))
    assert float(rincian["ak_dasar"]) == pytest.approx(float(u.ak_dasar))
    assert float(rincian["total"]) == pytest.approx(float(u.ak_awal))
    assert rincian["tabel_terverifikasi"] is u.ak_tabel_ref.terverifikasi
    assert rincian["ak_dasar_terverifikasi"] is u.ak_dasar_ref.terverifikasi
