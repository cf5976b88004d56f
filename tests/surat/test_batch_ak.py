"""Issue 13 §1, third walk, item 5: the rekomendasi progress page (/surat/batch/<uuid>/ after "Ya,
terbitkan rekomendasi") shows each pegawai's AK breakdown, table value + AK Dasar = total, with a
constant number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.surat.conftest import rekomendasi_lewat_halaman


def _halaman(client, admin, diputuskan, pk, instansi, n):
    lulus, _t, _s = diputuskan(n, 0, nip_prefix=f"1986092{n} 201505 1 ")
    response = rekomendasi_lewat_halaman(client, admin, pk, instansi)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/surat/batch/" in response["Location"]
    with CaptureQueriesContext(connection) as q:
        body = client.get(response["Location"]).content.decode()
    return lulus, body, q.captured_queries


def test_the_batch_page_shows_each_pegawais_ak_breakdown(client, diputuskan, staf, pk, instansi_a):
    lulus, body, queries = _halaman(client, staf["admin"], diputuskan, pk, instansi_a, 2)
    part = body.split('data-testid="batch-ak"', 1)[1].split("</table>", 1)[0]
    assert part.count('data-testid="ak-rincian"') == 2
    for u in lulus:
        assert u.pegawai_nama in part
    assert '100 <span class="small text-muted">(tabel penyesuaian)</span>' in part
    assert "(AK Dasar)" in part and "= <strong>100</strong>" in part
    # One query reads every pegawai's AK (with its two reference rows), however many there are.
    baris = [x["sql"] for x in queries if 'FROM "surat_suratusulan"' in x["sql"]]
    assert len(baris) == 1 and '"referensi_akdasar"' in baris[0], baris
    ak_rows = [
        x["sql"]
        for x in queries
        if 'FROM "referensi_akdasar"' in x["sql"] or 'FROM "referensi_nilaipenyesuaianak"' in x["sql"]
    ]
    assert ak_rows == [], ak_rows
