"""Issue 17, fresh-eye walk, query budget: the PPK page (the SK rests on signed rekomendasi) and the
admin pembina's rekomendasi page (the rekomendasi rests on signed berita acara) check that every
letter their rows rest on is signed. They did it letter by letter (queries per letter); the check
is now set-wise (apps.ttd.ringkasan), the same number of queries for 1 letter as for 12, and the
letter lists that show each letter's signature state stay constant too."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan.models import Usulan
from apps.surat.models import JenisSurat, Surat, SuratUsulan, VersiSurat
from apps.ttd.models import AlurVersi, TandaTangan
from tests.surat.conftest import PENANDATANGAN, render_antrean
from tests.verifikasi.test_kueri_halaman import tambah

pytestmark = pytest.mark.django_db

MAKS = 8  # the list pages' budget (tests/verifikasi/test_kueri_halaman.py)


def hitung(client, url: str) -> tuple[int, str, list[str]]:
    """Queries of one page view (warm session and caches), savepoints aside."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    sqls = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(sqls), response.content.decode(), sqls


def surat_massal(*, jenis, penerbit, instansi, jf, usulan, status_usulan=None, sidang=None, manual=()) -> list:
    """One rendered letter per usulan of ``usulan`` (rows only, as the pages read them), each
    listing its usulan; the letters whose index is in ``manual`` carry a wet-ink scan."""
    with tenancy.all_tenants(reason="test data"):
        mulai = (Surat.objects.filter(penerbit=penerbit).order_by("-nomor_urut").values_list("nomor_urut", flat=True)
                 .first() or 0) + 100  # fmt: skip
        surat = Surat.objects.bulk_create(
            Surat(jenis=jenis, penerbit=penerbit, instansi=instansi, jf=jf, seri=f"uji-{jenis}"[:20], tahun=2026,
                  nomor_urut=mulai + i, nomor=f"B-{mulai + i:04d}/UJI/2026", tanggal=date(2026, 8, 3),
                  perihal="Uji kueri", penandatangan_nama=PENANDATANGAN[0], penandatangan_jabatan=PENANDATANGAN[1],
                  penandatangan_nip=PENANDATANGAN[2], sidang=sidang)
            for i in range(len(usulan))
        )  # fmt: skip
        versi = VersiSurat.objects.bulk_create(
            VersiSurat(surat=s, instansi_id=s.instansi_id, jf_id=s.jf_id, versi=1, status=VersiSurat.Status.SELESAI,
                       berkas=f"surat/uji/{s.pk}.pdf", sha256=f"{s.pk:064d}")
            for s in surat
        )  # fmt: skip
        # The paraf chain each version is issued with (none here), as apps.ttd.signals keeps it.
        AlurVersi.objects.bulk_create(AlurVersi(versi=v, instansi_id=v.instansi_id, jf_id=v.jf_id) for v in versi)
        SuratUsulan.objects.bulk_create(
            SuratUsulan(surat=s, usulan=u, instansi_id=u.instansi_id, jf_id=u.jf_id, jenis=jenis, urutan=1)
            for s, u in zip(surat, usulan, strict=True)
        )  # fmt: skip
        TandaTangan.objects.bulk_create(
            TandaTangan(versi=versi[i], instansi_id=versi[i].instansi_id, jf_id=versi[i].jf_id,
                        cara=TandaTangan.Cara.MANUAL, status=TandaTangan.Status.SELESAI, alasan_manual="Kahar.")
            for i in manual
        )  # fmt: skip
    return surat


def usulan_baru(instansi, jf, n: int, status: str) -> list:
    with tenancy.all_tenants(reason="test data"):
        sebelum = set(Usulan.objects.values_list("pk", flat=True))
    tambah(instansi, jf, n, status=status)
    with tenancy.all_tenants(reason="test data"):
        return list(Usulan.objects.exclude(pk__in=sebelum).order_by("id"))


def test_the_ppk_page_checks_its_rekomendasi_signed_in_queries_constant_in_letters(client, instansi_a, pk, ppk_pk):
    pembina = pk.instansi_pembina
    client.force_login(ppk_pk)
    url = reverse("surat:ppk")

    surat_massal(jenis=JenisSurat.REKOMENDASI, penerbit=pembina, instansi=instansi_a, jf=pk,
                 usulan=usulan_baru(instansi_a, pk, 1, "direkomendasikan"))  # fmt: skip
    satu, html, _sql = hitung(client, url)
    assert html.count('data-testid="status-ttd"') == 1 and "Belum ditandatangani" in html
    assert html.count("belum ditandatangani (belum ditandatangani oleh: Dr. Ir. Rahmat Hidayat") == 1
    daftar_satu, daftar, _sql = hitung(client, reverse("surat:daftar"))
    assert daftar.count('data-testid="status-ttd"') == 1

    surat_massal(jenis=JenisSurat.REKOMENDASI, penerbit=pembina, instansi=instansi_a, jf=pk,
                 usulan=usulan_baru(instansi_a, pk, 11, "direkomendasikan"), manual=range(5))  # fmt: skip
    banyak, html, sqls = hitung(client, url)
    # 12 letters: 5 signed by a scan, 7 not (each named in the warning above the SK form).
    assert html.count('data-keadaan="pindaian"') == 5 and html.count('data-keadaan="menunggu_ttd"') == 7
    assert html.count("belum ditandatangani (belum ditandatangani oleh: Dr. Ir. Rahmat Hidayat") == 7
    assert banyak == satu, (satu, banyak, "\n\n".join(sqls))
    # The letter list shows each letter's state (signed by a scan, or not yet) in as many queries.
    daftar_banyak, daftar, sqls = hitung(client, reverse("surat:daftar"))
    assert daftar.count('data-keadaan="pindaian"') == 5 and daftar.count('data-keadaan="menunggu_ttd"') == 7
    assert daftar_banyak == daftar_satu <= MAKS, (daftar_satu, daftar_banyak, "\n\n".join(sqls))


def test_the_rekomendasi_page_checks_its_berita_acara_signed_in_queries_constant_in_letters(
    client, diputuskan, staf, instansi_a, pk
):
    _lulus, _t, sidang = diputuskan(1, 0, ttd_ba=False)  # the sidang's berita acara is not signed
    render_antrean()
    pembina = pk.instansi_pembina
    # One more decided usulan in a berita acara of its own.
    surat_massal(jenis=JenisSurat.BERITA_ACARA, penerbit=pembina, instansi=pembina, jf=pk, sidang=sidang,
                 usulan=usulan_baru(instansi_a, pk, 1, "lulus"))  # fmt: skip
    admin = staf["admin"]
    client.force_login(admin)
    url = reverse("surat:rekomendasi") + f"?jf={pk.kode}"
    satu, html, _sql = hitung(client, url)
    peringatan = html.split('data-testid="ba-belum-ttd"', 1)[1].split("</div>", 1)[0]
    assert peringatan.count("<p") == 2 and "belum ditandatangani oleh: " in peringatan

    # 11 more decided usulan, each in a berita acara of its own (5 of them signed by a scan).
    surat_massal(jenis=JenisSurat.BERITA_ACARA, penerbit=pembina, instansi=pembina, jf=pk, sidang=sidang,
                 usulan=usulan_baru(instansi_a, pk, 11, "lulus"), manual=range(5))  # fmt: skip
    banyak, html, sqls = hitung(client, url)
    peringatan = html.split('data-testid="ba-belum-ttd"', 1)[1].split("</div>", 1)[0]
    assert peringatan.count("<p") == 2 + 6, peringatan
    assert banyak == satu, (satu, banyak, "\n\n".join(sqls))
