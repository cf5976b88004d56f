"""Issue 16: at most 8 queries on every list and detail page of the deadline-day mix, the same
number for 2 rows as for a full page of 50 (and a page beyond), with the whole middleware stack
and a warm session (a user in the middle of the working day)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import tenancy
from apps.pengusulan.models import Pegawai, Usulan
from apps.referensi.models import Jenjang
from apps.verifikasi.selectors import _encode

pytestmark = pytest.mark.django_db

MAKS = 8


def tambah(instansi, jf, n: int, *, status="diajukan") -> None:
    """``n`` submitted usulan in bulk (rows only: what the pages list)."""
    jenjang = Jenjang.objects.get(jf=jf, kode="ahli_muda")
    start = timezone.now() - timedelta(days=30)
    with tenancy.all_tenants(reason="test data"):
        base = Pegawai.objects.count()
        pegawai = Pegawai.objects.bulk_create(
            Pegawai(instansi=instansi, nip=f"19700101199{(base + i) // 1000 % 10}01{1 + i % 2}{(base + i) % 1000:03d}",
                    nama=f"Pegawai Massal {base + i}", tanggal_lahir="1970-01-01", jenis_kelamin="L" if i % 2 == 0 else "P",
                    golongan=jenjang.golongan_min, pendidikan="s1", pengalaman_bulan=36)
            for i in range(n)
        )  # fmt: skip
        Usulan.objects.bulk_create(
            Usulan(instansi=instansi, pegawai=p, pegawai_nip=p.nip, pegawai_nama=p.nama, jf=jf, jenjang=jenjang,
                   status=status, diajukan_at=start + timedelta(minutes=i), status_changed_at=start,
                   data_pegawai={"nip": p.nip, "nama": p.nama})
            for i, p in enumerate(pegawai)
        )  # fmt: skip


def hitung(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm: session timestamps written, per-process caches filled
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def halaman(diajukan, staf, pic_pk, pk):
    (usulan,) = diajukan(1)
    return usulan


def test_queries_per_page_are_few_and_constant_in_rows(client, halaman, staf, pic_pk, pk, capsys):
    usulan = halaman
    verifikator, admin = staf["verifikator"], staf["admin"]

    def pages():
        with tenancy.all_tenants(reason="test"):
            rows = list(Usulan.objects.exclude(status="draft").order_by("diajukan_at", "id"))
        deep = f"/pembina/usulan/?cursor={_encode(rows[min(len(rows) - 1, 50)])}"
        return {
            "inbox": (verifikator, "/pembina/usulan/"),
            "inbox deep": (verifikator, deep),
            "periksa": (verifikator, f"/pembina/usulan/{usulan.pk}/"),
            "rekap": (admin, "/pembina/rekap/"),
            "pic list": (pic_pk, "/pengusulan/"),
            "pic list 2": (pic_pk, "/pengusulan/?page=2"),
            "pic detail": (pic_pk, f"/usulan/{usulan.pk}/"),
            "pegawai": (pic_pk, "/pegawai/"),
            "pegawai 2": (pic_pk, "/pegawai/?page=2"),
        }

    def run():
        out = {}
        for name, (user, url) in pages().items():
            client.force_login(user)
            out[name] = hitung(client, url)
        return out

    tambah(pic_pk.instansi, pk, 2)
    small = run()
    tambah(pic_pk.instansi, pk, 60)
    big = run()
    with capsys.disabled():
        for name, (n, sqls) in big.items():
            print(f"\n== {name}: {small[name][0]} → {n}")
            for s in sqls:
                print("   ", s[:230])
    for name, (n, _sqls) in big.items():
        assert n == small[name][0], (name, small[name][0], n)
        assert n <= MAKS, (name, n)
