"""Issue 13 (fresh-eye walk): the age rule's early warning. The PIC (page and API), the verifier
and the admin pembina at rekomendasi see per pegawai "TMT pengangkatan paling lambat <tanggal>":
the last TMT on which the JF's max-age rule (read as the JF configures it) and the jenjang's BUP
still pass; and a warning when that date is near or past."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from apps.core import tenancy
from apps.core.format import tgl
from apps.pengusulan import services as pic_services
from apps.referensi import domain as rules
from apps.referensi.domain import TafsirUsia
from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory

HARI = timedelta(days=1)


def _lulus_di(birth, tmt, *, usia_maks, tafsir, bup) -> bool:
    return not rules.cek_usia_dan_pensiun(birth, tmt, usia_maks=usia_maks, tafsir=tafsir, batas_usia_pensiun=bup)


@pytest.mark.parametrize(
    ("birth", "usia_maks", "tafsir", "bup", "expected"),
    [
        # "maksimal berusia 56 tahun": up to the day before the 57th birthday.
        (date(1970, 3, 10), 56, TafsirUsia.USIA_GENAP, 58, date(2027, 3, 9)),
        # "belum melewati ulang tahun ke-56": the birthday itself still passes.
        (date(1970, 3, 10), 56, TafsirUsia.ULANG_TAHUN, 58, date(2026, 3, 10)),
        # Born on a leap day: the 57th birthday falls on 28 February 2029 (a common year).
        (date(1972, 2, 29), 56, TafsirUsia.USIA_GENAP, 58, date(2029, 2, 27)),
        # ...and the 56th on 29 February 2028 (a leap year); the 57th in a common year is the 28th.
        (date(1972, 2, 29), 56, TafsirUsia.ULANG_TAHUN, 58, date(2028, 2, 29)),
        (date(1968, 2, 29), 57, TafsirUsia.ULANG_TAHUN, 58, date(2025, 2, 28)),
        # The BUP binds first: TMT pensiun 1 February 2028, so the last TMT is 31 January 2028.
        (date(1970, 1, 15), 60, TafsirUsia.USIA_GENAP, 58, date(2028, 1, 31)),
        # BUP on a birthday in December: TMT pensiun 1 January of the next year.
        (date(1968, 12, 31), 60, TafsirUsia.USIA_GENAP, 58, date(2026, 12, 31)),
        # No BUP known: the age rule alone.
        (date(1970, 3, 10), 56, TafsirUsia.USIA_GENAP, None, date(2027, 3, 9)),
    ],
)
def test_the_last_tmt_passes_and_the_next_day_fails(birth, usia_maks, tafsir, bup, expected):
    terakhir = rules.tmt_paling_lambat(birth, usia_maks=usia_maks, tafsir=tafsir, batas_usia_pensiun=bup)
    assert terakhir == expected
    assert _lulus_di(birth, terakhir, usia_maks=usia_maks, tafsir=tafsir, bup=bup)
    assert not _lulus_di(birth, terakhir + HARI, usia_maks=usia_maks, tafsir=tafsir, bup=bup)


def test_every_birth_date_of_a_leap_cycle_agrees_with_the_check():
    """The computed date is exactly the boundary the SK's check applies, for every birth date of
    four years (each leap day and month end included), under both readings."""
    day = date(1968, 1, 1)
    while day < date(1972, 1, 1):
        for tafsir in TafsirUsia:
            t = rules.tmt_paling_lambat(day, usia_maks=56, tafsir=tafsir, batas_usia_pensiun=58)
            assert _lulus_di(day, t, usia_maks=56, tafsir=tafsir, bup=58), (day, tafsir)
            assert not _lulus_di(day, t + HARI, usia_maks=56, tafsir=tafsir, bup=58), (day, tafsir)
        day += HARI


#: Born 1 September 1969: for JF AKS ("maksimal berusia 56 tahun") the last TMT is 31 August 2026,
#: 77 days after the submission day ON (15 June 2026).
NIP_DEKAT = "19690901 199503 1 001"
#: The PPK's surat pengantar a first submission carries (dated before ON).
PENGANTAR = {"pengantar_nomor": "800/123/BKD/2026", "pengantar_tanggal": "2026-06-10"}


@pytest.fixture
def usulan_dekat(pic, aks, formasi_aks):
    with tenancy.scope(pic.instansi):
        pegawai = pic_services.pegawai_create(actor=pic, data=pegawai_data(nip=NIP_DEKAT, nama="Sri Handayani"))
        usulan = pic_services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    upload_all_mandatory(pic, usulan)
    return usulan


def test_submission_shows_the_last_tmt_and_warns_on_the_page_and_in_the_api(client, pic, usulan_dekat):
    client.force_login(pic)
    with time_machine.travel(ON, tick=False):
        response = client.post(
            reverse("api:usulan-ajukan", args=[usulan_dekat.pk]), PENGANTAR, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["status"] == "diajukan"
        assert data["tmt_paling_lambat"] == "2026-08-31"
        assert "TMT pengangkatan paling lambat 31 Agustus 2026, tinggal 77 hari lagi" in data["peringatan_tmt"]
        page = client.get(reverse("pengusulan:usulan_detail", args=[usulan_dekat.pk])).content.decode()
    kartu = page.split('data-testid="kartu-tmt"', 1)[1].split("</div></div>", 1)[0]
    assert "TMT pengangkatan paling lambat 31 Agustus 2026" in kartu
    assert 'data-testid="peringatan-tmt"' in kartu and "tinggal 77 hari lagi" in kartu
    assert "maksimal berusia 56 tahun pada TMT pengangkatan" in kartu
    # Past the date: the warning says rekomendasi and SK will be refused.
    with time_machine.travel(date(2026, 9, 1), tick=False):
        client.force_login(pic)  # a new session: the first one has long expired
        data = client.get(reverse("api:usulan-detail", args=[usulan_dekat.pk])).json()
    assert "31 Agustus 2026 sudah lewat" in data["peringatan_tmt"]


def test_far_from_the_limit_there_is_the_date_and_no_warning(client, pic, usulan_lengkap):
    client.force_login(pic)
    with time_machine.travel(ON, tick=False):
        data = client.post(
            reverse("api:usulan-ajukan", args=[usulan_lengkap.pk]), PENGANTAR, content_type="application/json"
        )
        assert data.status_code == 200, data.content
        # Born 26 September 1986 (the NIP): 57 on 26 September 2043; Ahli Muda's BUP 58 is later.
        assert data.json()["tmt_paling_lambat"] == "2043-09-25" and data.json()["peringatan_tmt"] == ""
        page = client.get(reverse("pengusulan:usulan_detail", args=[usulan_lengkap.pk])).content.decode()
    assert "TMT pengangkatan paling lambat 25 September 2043" in page and 'data-testid="peringatan-tmt"' not in page


def test_the_verifier_page_shows_it(client, pic, usulan_dekat, referensi):
    from tests.factories import UserFactory

    with time_machine.travel(ON, tick=False), tenancy.scope(pic.instansi):
        pic_services.usulan_ajukan(actor=pic, usulan=usulan_dekat, on=ON)
    pembina = referensi["aks"].instansi_pembina
    verifikator = UserFactory(instansi=pembina, roles=["verifikator"])
    client.force_login(verifikator)
    with time_machine.travel(date(2026, 7, 1), tick=False):
        page = client.get(reverse("verifikasi:periksa", args=[usulan_dekat.pk])).content.decode()
    assert "TMT pengangkatan paling lambat 31 Agustus 2026" in page and "tinggal 61 hari lagi" in page


def test_the_rekomendasi_page_shows_it_per_pegawai(client, diputuskan, staf, pk):
    lulus, _t, _s = diputuskan(2, 0, nip_prefix="19690901 199503 1 ")
    # Pengantar Kerja's rule, read as the JF configures it, and Ahli Muda's BUP.
    expected = rules.tmt_paling_lambat(
        date(1969, 9, 1), usia_maks=pk.usia_maks, tafsir=pk.usia_tafsir,
        batas_usia_pensiun=lulus[0].jenjang.batas_usia_pensiun,
    )  # fmt: skip
    client.force_login(staf["admin"])
    with time_machine.travel(expected - timedelta(days=30), tick=False):
        page = client.get(reverse("surat:rekomendasi"), {"jf": pk.kode}).content.decode()
    tabel = page.split('data-testid="ak-pegawai"', 1)[1].split("</table>", 1)[0]
    assert tabel.count(f'data-testid="tmt-paling-lambat">TMT pengangkatan paling lambat {tgl(expected)}<') == 2
    assert tabel.count("tinggal 30 hari lagi") == 2


def test_the_ppk_page_shows_it_per_pegawai_with_constant_queries(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    """Issue 13, third walk, item 9: the PPK's "Menunggu SK" shows the last TMT per pegawai too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.surat.conftest import terbitkan_rekomendasi

    lulus, _t, _s = diputuskan(2, 0, nip_prefix="19690901 199503 1 ")
    expected = rules.tmt_paling_lambat(
        date(1969, 9, 1), usia_maks=pk.usia_maks, tafsir=pk.usia_tafsir,
        batas_usia_pensiun=lulus[0].jenjang.batas_usia_pensiun,
    )  # fmt: skip
    terbitkan_rekomendasi(staf, pk, instansi_a)
    client.force_login(ppk_pk)
    with time_machine.travel(expected - timedelta(days=30), tick=False), CaptureQueriesContext(connection) as q2:
        page = client.get(reverse("surat:ppk")).content.decode()
    tabel = page.split('data-testid="menunggu-sk"', 1)[1].split("</table>", 1)[0]
    assert tabel.count(f'data-testid="tmt-paling-lambat">TMT pengangkatan paling lambat {tgl(expected)}<') == 2
    assert tabel.count("tinggal 30 hari lagi") == 2
    # One pegawai fewer waiting (the other's SK issued): the same number of queries.
    from tests.surat.conftest import terbitkan_sk

    terbitkan_sk(ppk_pk, lulus[:1], tmt=expected)
    with time_machine.travel(expected - timedelta(days=30), tick=False), CaptureQueriesContext(connection) as q1:
        page = client.get(reverse("surat:ppk")).content.decode()
    tabel = page.split('data-testid="menunggu-sk"', 1)[1].split("</table>", 1)[0]
    assert tabel.count('data-testid="tmt-paling-lambat"') == 1
    assert len(q1) <= len(q2) + 2, [x["sql"][:120] for x in q1.captured_queries]
