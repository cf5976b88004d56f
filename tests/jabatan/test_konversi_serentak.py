"""Two konversi of one holder at the same time count a split month once (issue 19, after 0b7fb86).

The month rule reads the holder's konversi periods and then writes. Two requests (or a request and
an XLSX import) for 1–15 April and 16 April–30 June, each in its own transaction on its own
connection, both read a ledger without the other's period: without a per-holder lock both counted
April (1 + 3 months). Each thread works in its own tenant scope (the scope is a context variable:
a thread starts without one) on the real PostgreSQL, with row-level security.

The threads meet at a barrier before converting, then at a second one before committing: without
the lock both reach it having read the ledger, and both commit April. With the lock the second
waits on the holder row, the first's wait at the second barrier times out and it commits, and the
second then reads the first's period."""

from __future__ import annotations

import contextlib
import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from apps.core import tenancy
from apps.jabatan import services
from apps.jabatan.models import MutasiAK
from tests.jabatan.conftest import buat_pejabat
from tests.jabatan.test_konversi_bulan_terbelah import _xlsx

APRIL_AWAL = (date(2026, 4, 1), date(2026, 4, 15), "baik")
APRIL_AKHIR = (date(2026, 4, 16), date(2026, 6, 30), "sangat_baik")


def _lewat_form(instansi, pejabat, oleh, periode):
    mulai, selesai, predikat = periode
    services.konversi_catat(pejabat, predikat=predikat, periode_mulai=mulai, periode_selesai=selesai, oleh=oleh)


def _lewat_impor(instansi, pejabat, oleh, periode):
    mulai, selesai, predikat = periode
    label = {"baik": "Baik", "sangat_baik": "Sangat Baik"}[predikat]
    berkas = _xlsx([[pejabat.nip, pejabat.nama, mulai, selesai, label, pejabat.jenjang.nama]])
    report = services.predikat_impor(actor=oleh, berkas=berkas, jf=pejabat.jf)
    if report.errors:
        raise services.JabatanError(str(report.errors))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "jalur", [(_lewat_form, _lewat_form), (_lewat_form, _lewat_impor)], ids=["dua-permintaan", "permintaan-dan-impor"]
)
def test_two_konversi_at_once_that_split_a_month_count_it_once(instansi_a, pk, pic_pk, jalur):
    muda = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 1, 1))
    mulai = threading.Barrier(2, timeout=20)
    sebelum_commit = threading.Barrier(2, timeout=3)
    hasil: dict[int, str] = {}

    def kerja(i: int, fungsi, periode) -> None:
        try:
            with tenancy.scope(instansi_a):
                mulai.wait()
                try:
                    with transaction.atomic():
                        fungsi(instansi_a, muda, pic_pk, periode)
                        # Broken: the other thread waits on the holder's lock; commit first.
                        with contextlib.suppress(threading.BrokenBarrierError):
                            sebelum_commit.wait()
                    hasil[i] = "dicatat"
                except services.JabatanError as exc:  # the later period left without months
                    hasil[i] = f"ditolak: {exc}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=kerja, args=(0, jalur[0], APRIL_AWAL)),
        threading.Thread(target=kerja, args=(1, jalur[1], APRIL_AKHIR)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(hasil) == 2 and "dicatat" in hasil.values(), hasil
    with tenancy.scope(instansi_a):
        rows = MutasiAK.objects.filter(pejabat=muda, jenis="konversi")
        # April, May and June: three months however the two transactions interleaved.
        assert rows.aggregate(s=Sum("bulan"))["s"] == 3, list(rows.values_list("periode_mulai", "bulan"))
