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
from apps.pengusulan import services as pic_services
from apps.pengusulan.models import Pegawai, Usulan
from apps.referensi.models import Jenjang, PersyaratanDokumen
from apps.verifikasi import services
from apps.verifikasi.selectors import _encode
from tests.pengusulan.conftest import ON, pdf_upload
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

MAKS = 8
# Every page, the PIC's editable usulan page with its AK awal preview included (issue 13 walk: the JF's
# AK rows are read with the usulan itself, pengusulan.selectors.with_ak_baris).


def tambah(instansi, jf, n: int, *, status="diajukan") -> None:
    """``n`` submitted usulan in bulk (rows only: what the pages list)."""
    jenjang = Jenjang.objects.get(jf=jf, kode="ahli_muda")
    start = timezone.now() - timedelta(days=30)
    with tenancy.all_tenants(reason="test data"):
        base = Pegawai.objects.count()
        pegawai = Pegawai.objects.bulk_create(
            Pegawai(instansi=instansi, nip=f"19700101199{(base + i) // 1000 % 10}01{1 + i % 2}{(base + i) % 1000:03d}",
                    nama=f"Pegawai Massal {base + i}", tanggal_lahir="1970-01-01",
                    jenis_kelamin="L" if i % 2 == 0 else "P", golongan=jenjang.golongan_min, pendidikan="s1",
                    pengalaman_bulan=36)
            for i in range(n)
        )  # fmt: skip
        Usulan.objects.bulk_create(
            Usulan(instansi=instansi, pegawai=p, pegawai_nip=p.nip, pegawai_nama=p.nama, jf=jf, jenjang=jenjang,
                   status=status, diajukan_at=start + timedelta(minutes=i), status_changed_at=start,
                   data_pegawai={"nip": p.nip, "nama": p.nama})
            for i, p in enumerate(pegawai)
        )  # fmt: skip


def hitung(client, url: str) -> tuple[int, list[str]]:
    """Queries of one page view; the test transaction's savepoints (the request's atomic block
    nested in the test's) are not counted: in production that block is the transaction itself."""
    client.get(url)  # warm: session timestamps written, per-process caches filled
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    sqls = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(sqls), sqls


def _perbaikan(usulan, verifikator, pic):
    """A decided review asking for perbaikan, and the PIC's new version of the document."""
    ijazah = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="ijazah")
    semua = {
        p.pk: (True, "") for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
    }
    with as_user(verifikator):
        services.pemeriksaan_mulai(actor=verifikator, usulan=usulan)
        services.pemeriksaan_catat_dokumen(
            actor=verifikator, usulan=usulan, hasil=semua | {ijazah.pk: (False, "Legalisasi.")}
        )
        services.pemeriksaan_putuskan(actor=verifikator, usulan=usulan, keputusan="perbaikan", catatan="Lengkapi.")
    with tenancy.scope(pic.instansi):
        pic_services.dokumen_upload(actor=pic, jf=usulan.jf, persyaratan=ijazah, upload=pdf_upload(), usulan=usulan)


def test_queries_per_page_are_few_and_constant_in_rows(client, diajukan, staf, pic_pk, pk):
    verifikator, admin = staf["verifikator"], staf["admin"]
    # The heavy paths: the PIC's dossier in perbaikan (notes, eligibility, new versions), the
    # verifier's in a second round (open review, earlier round, changed documents).
    dalam_perbaikan, putaran_dua = diajukan(2)
    _perbaikan(dalam_perbaikan, verifikator, pic_pk)
    _perbaikan(putaran_dua, verifikator, pic_pk)
    with tenancy.scope(pic_pk.instansi):
        pic_services.usulan_ajukan(actor=pic_pk, usulan=putaran_dua, on=ON)
    with as_user(verifikator):
        services.pemeriksaan_mulai(actor=verifikator, usulan=putaran_dua)

    def pages():
        with tenancy.all_tenants(reason="test"):
            rows = list(Usulan.objects.exclude(status="draft").order_by("diajukan_at", "id"))
        deep = f"/pembina/usulan/?cursor={_encode(rows[min(len(rows) - 1, 50)])}"
        return {
            "kotak masuk": (verifikator, "/pembina/usulan/"),
            "kotak masuk, kursor": (verifikator, deep),
            "periksa": (verifikator, f"/pembina/usulan/{putaran_dua.pk}/"),
            "rekap": (admin, "/pembina/rekap/"),
            "daftar usulan PIC": (pic_pk, "/pengusulan/"),
            "daftar usulan PIC, hal. 2": (pic_pk, "/pengusulan/?page=2"),
            "detail usulan PIC": (pic_pk, f"/usulan/{dalam_perbaikan.pk}/"),
            "daftar pegawai": (pic_pk, "/pegawai/"),
            "daftar pegawai, hal. 2": (pic_pk, "/pegawai/?page=2"),
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
    report = {name: (small[name][0], n) for name, (n, _sqls) in big.items()}
    assert all(a == b for a, b in report.values()), report  # constant in the number of rows
    too_many = {k: big[k][1] for k, (_a, n) in report.items() if n > MAKS}
    assert not too_many, ({k: report[k] for k in too_many}, "\n\n".join(s for v in too_many.values() for s in v))
