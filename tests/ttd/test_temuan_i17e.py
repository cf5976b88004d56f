"""Issue 17, the lows of the last fresh-eye walk (i17e), each with the behaviour it asks for:

1. a paraf on a version superseded since the page was loaded says which version replaced it and
   when, and opens the version in force; the paraf queue lists versions in force only;
2. a reader of a letter who neither approves nor signs it sees where it stands, not an empty card;
3. the letter lists say per letter how its version in force stands signed;
4. a paraf/signing reminder updated by a later letter shows that time (Asia/Jakarta, WIB);
5. the signing batch names the instansi of every letter, the skipped ones too."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from apps.core.format import waktu
from apps.notifikasi.models import Notifikasi
from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from apps.ttd import services
from apps.ttd.models import AlurParaf, LangkahParaf
from tests.factories import UserFactory
from tests.surat.conftest import PENANDATANGAN, TANGGAL, all_tenants, render_antrean, tandatangani_basah
from tests.ttd.conftest import ttd_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _refresh(versi) -> VersiSurat:
    with all_tenants():
        return VersiSurat.objects.select_related("surat").get(pk=versi.pk)


@pytest.fixture
def kabag(instansi_a):
    return UserFactory(username="kabag.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Rina Kabag")


@pytest.fixture
def kasubag(instansi_a):
    return UserFactory(username="kasubag.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Sari Kasubag")


@pytest.fixture
def alur(instansi_a, kabag, kasubag):
    """The SK's chain: Kabag Kepegawaian, then Kasubag Mutasi, then the PPK signs."""
    with all_tenants():
        a = AlurParaf.objects.create(instansi=instansi_a, jenis="sk")
        LangkahParaf.objects.create(instansi=instansi_a, alur=a, urutan=1, user=kabag, sebutan="Kabag Kepegawaian")
        LangkahParaf.objects.create(instansi=instansi_a, alur=a, urutan=2, user=kasubag, sebutan="Kasubag Mutasi")
    return a


def _teks(response) -> str:
    return htmllib.unescape(response.content.decode())


def _baris(page: str, nomor: str) -> str:
    """The table row (or list item) of the letter numbered ``nomor``."""
    for part in re.split(r"<tr[ >]|<li[ >]", page):
        if f">{nomor}</a>" in part:
            return part
    raise AssertionError(f"{nomor} not listed")


def _keadaan(page: str, nomor: str) -> str:
    found = re.search(r'data-keadaan="(\w+)"', _baris(page, nomor))
    return found.group(1) if found else ""


def test_the_refusal_of_a_paraf_on_a_replaced_version_says_it_was_refused_and_where_to_give_it(
    alur, kabag, sk_siap, ppk_pk
):
    """Issue 17 (helper h17): the refusal read "…; paraf diberikan pada versi terbaru (versi 2)", as
    if the paraf had been given. It says the paraf was refused because the letter has a newer
    version, and that the paraf must be given on that version; nothing is recorded on either."""
    from apps.ttd.models import Paraf

    (v1,) = sk_siap(1)
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan="TMT keliru")
    render_antrean()
    v1 = _refresh(v1)
    with as_user(kabag), pytest.raises(services.TtdError) as exc:
        services.paraf_beri(actor=kabag, versi=v1)
    (pesan,) = exc.value.messages
    assert pesan.startswith("Paraf ditolak: ")
    assert f"surat {v1.surat.nomor} sudah memiliki versi yang lebih baru (versi 2," in pesan
    assert pesan.endswith("Paraf harus diberikan pada versi 2.")
    assert "paraf diberikan pada" not in pesan
    with all_tenants():
        assert not Paraf.objects.filter(versi__in=[v1.pk, v2.pk]).exists()
    # "Paraf terpilih" reports the same refusal for that letter.
    with as_user(kabag):
        (hasil,) = services.paraf_banyak(actor=kabag, versi_ids=[v1.pk])
    assert not hasil.diberikan and hasil.alasan == pesan


def test_a_paraf_on_a_superseded_version_says_it_was_replaced_and_opens_the_version_in_force(
    client, alur, kabag, kasubag, sk_siap, ppk_pk
):
    (v1,) = sk_siap(1)
    nomor = v1.surat.nomor
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=v1)
    client.force_login(kasubag)  # the second approver's queue, loaded before the correction
    assert f'data-testid="paraf-{v1.pk}"' in client.get(reverse("ttd:antrean")).content.decode()
    with as_user(ppk_pk):
        v2 = surat_services.surat_koreksi(actor=ppk_pk, surat=v1.surat, alasan="TMT keliru")
    render_antrean()
    v1, v2 = _refresh(v1), _refresh(v2)

    # The second approver clicks "Paraf" on version 1: told plainly, taken to the letter in force.
    response = client.post(reverse("ttd:paraf", args=[v1.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("surat:detail", args=[v1.surat_id])
    page = _teks(client.get(response["Location"]))
    assert (
        f"Paraf ditolak: surat {nomor} sudah memiliki versi yang lebih baru (versi 2, menggantikan versi 1 pada "
        f"{waktu(v1.diganti_at)}). Paraf harus diberikan pada versi 2."
    ) in page
    assert "tidak sedang menunggu paraf Anda" not in page
    # The same through the API (the message, not a 500 or a bare refusal).
    api = client.post(reverse("api:ttd-versi-paraf", args=[v1.pk]))
    assert api.status_code == 400 and "Paraf ditolak: surat" in _teks(api) and "(versi 2, " in _teks(api)

    # The queues list versions in force only: the first approver sees version 2, not version 1.
    with as_user(kabag):
        assert [v.pk for v in services.antrean_paraf(kabag)] == [v2.pk]
    client.force_login(kabag)
    antrean = client.get(reverse("ttd:antrean")).content.decode()
    assert f'data-testid="paraf-{v2.pk}"' in antrean and f'data-testid="paraf-{v1.pk}"' not in antrean
    assert [v["id"] for v in client.get(reverse("api:ttd-paraf-list")).json()] == [v2.pk]
    with as_user(kasubag):
        assert services.antrean_paraf(kasubag) == []  # version 2 waits for the Kabag first


def test_a_reader_who_neither_approves_nor_signs_a_rekomendasi_sees_its_status_not_an_empty_card(
    client, diputuskan, staf, pk, instansi_a, ppk_pk, pejabat_ppk
):
    diputuskan(1, 0)
    with as_user(staf["admin"]):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    render_antrean()
    url = reverse("surat:detail", args=[rekomendasi.pk])

    def kartu(user) -> str:
        client.force_login(user)
        page = _teks(client.get(url))
        assert 'data-testid="kartu-tte"' in page, user
        return page.split('data-testid="kartu-tte"', 1)[1].split("</div></div>", 1)[0]

    # The PPK (a signing official, of the SKs) and a pembina verifier: neither approves nor signs it.
    for user in (ppk_pk, staf["verifikator"]):
        card = kartu(user)
        assert "bukan pejabat penanda tangan" not in card
        assert 'data-keadaan="menunggu_ttd"' in card and "Belum ditandatangani" in card
        assert f"menunggu tanda tangan {PENANDATANGAN[0]}" in card
    tandatangani_basah(rekomendasi, staf["admin"])
    for user in (ppk_pk, staf["verifikator"]):
        card = kartu(user)
        assert 'data-keadaan="pindaian"' in card and "Pindaian tanda tangan basah" in card


def test_the_letter_lists_say_how_each_letter_stands_signed(
    client, sk_siap, instansi_a, ppk_pk, pejabat_ppk, staf, pk, settings
):
    from apps.pengusulan.models import Usulan
    from apps.surat.models import SuratUsulan

    kabag = UserFactory(username="kabag.b", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Rina Kabag")
    with all_tenants():
        a = AlurParaf.objects.create(instansi=instansi_a, jenis="sk")
        LangkahParaf.objects.create(instansi=instansi_a, alur=a, urutan=1, user=kabag, sebutan="Kabag Kepegawaian")
    v1, v2, v3 = sk_siap(3)
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=v1)
        services.paraf_beri(actor=kabag, versi=v2)
    with as_user(ppk_pk):
        services.minta_tandatangan(actor=ppk_pk, versi_ids=[v1.pk])
    assert ttd_antrean() == 1
    with all_tenants():
        rekomendasi = v1.surat.baris.first().usulan.surat_baris.get(jenis="rekomendasi").surat

    client.force_login(ppk_pk)
    daftar = _teks(client.get(reverse("surat:daftar")))
    assert _keadaan(daftar, v1.surat.nomor) == "elektronik"
    assert re.search(r"oleh Ir\. Budi Santoso, M\.T\. pada \d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d WIB",
                     _baris(daftar, v1.surat.nomor))  # fmt: skip
    assert _keadaan(daftar, v2.surat.nomor) == "menunggu_ttd" and "Belum ditandatangani" in _baris(
        daftar, v2.surat.nomor
    )
    assert _keadaan(daftar, v3.surat.nomor) == "menunggu_paraf"
    assert "Kabag Kepegawaian (Rina Kabag), paraf ke-1" in _baris(daftar, v3.surat.nomor)
    assert _keadaan(daftar, rekomendasi.nomor) == "pindaian"

    ppk = _teks(client.get(reverse("surat:ppk")))
    assert _keadaan(ppk.split('data-testid="rekomendasi-ppk"', 1)[1], rekomendasi.nomor) == "pindaian"
    belum = ppk.split('data-testid="sk-belum-ttd"', 1)[1].split("</ul>", 1)[0]
    assert _keadaan(belum, v2.surat.nomor) == "menunggu_ttd" and _keadaan(belum, v3.surat.nomor) == "menunggu_paraf"
    assert v1.surat.nomor not in belum

    client.force_login(staf["admin"])
    nasional = _teks(client.get(reverse("surat:sk_nasional"), {"jf": pk.kode, "instansi": instansi_a.pk}))
    assert [_keadaan(nasional, v.surat.nomor) for v in (v1, v2, v3)] == ["elektronik", "menunggu_ttd", "menunggu_paraf"]
    rek_page = _teks(client.get(reverse("surat:rekomendasi"), {"jf": pk.kode}))
    assert _keadaan(rek_page.split('data-testid="rekomendasi-terakhir"', 1)[1], rekomendasi.nomor) == "pindaian"

    # The set-wise state is the per-letter rules' (services), read with the versions or queried.
    from apps.ttd.ringkasan import anotasi, status_versi
    from tests.surat.conftest import versi_berlaku

    semua = [_refresh(v) for v in (v1, v2, v3)] + [versi_berlaku(rekomendasi)]
    with all_tenants():
        st = status_versi(semua)
        dianotasi = status_versi(
            list(anotasi(VersiSurat.objects.filter(pk__in=[v.pk for v in semua])).select_related("surat"))
        )
        for v in semua:
            assert st[v.pk] == dianotasi[v.pk]
            assert st[v.pk].ditandatangani == services.ditandatangani(v)
            assert st[v.pk].belum == [p["nama"] for p in services.status_penanda(v.surat) if p["ttd"] is None]
            menunggu_paraf = not services.ditandatangani(v) and services.langkah_berikut(v) is not None
            assert (st[v.pk].keadaan == "menunggu_paraf") == menunggu_paraf
    assert [st[v.pk].keadaan for v in semua] == ["elektronik", "menunggu_ttd", "menunggu_paraf", "pindaian"]

    # The usulan's "SK terbit" notice says when, as the letter's card does (Asia/Jakarta, WIB).
    with all_tenants():  # as the notice task reads it (apps.pengusulan.tasks.kabari_transisi)
        usulan = Usulan.objects.get(pk=SuratUsulan.objects.get(surat=v1.surat).usulan_id)
        teks = services.isi_sk_terbit(usulan)
    assert re.search(r"oleh Ir\. Budi Santoso, M\.T\. pada \d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d WIB\.$", teks), teks


def test_a_reminder_updated_by_a_later_letter_shows_that_time_in_wib(client, alur, kabag, sk_siap):
    v1, v2 = sk_siap(2)  # rendered; the notices wait for the request's commit (not run here)
    with time_machine.travel(datetime(2026, 11, 30, 2, 0, tzinfo=UTC), tick=False), all_tenants():
        services.beritahu_siap_paraf(_refresh(v1))  # 09:00 WIB
    with time_machine.travel(datetime(2026, 11, 30, 5, 0, tzinfo=UTC), tick=False):
        Notifikasi.objects.create(user=kabag, jenis="lain", judul="Pemberitahuan lain")  # 12:00 WIB
    with time_machine.travel(datetime(2026, 11, 30, 8, 30, tzinfo=UTC), tick=False), all_tenants():
        services.beritahu_siap_paraf(_refresh(v2))  # 15:30 WIB: the reminder is updated, not doubled
    with all_tenants():
        (n,) = Notifikasi.objects.filter(user=kabag, jenis="ttd")
    assert n.judul == f"Menunggu paraf Anda: {v2.surat.nomor} (dan 1 surat lain menunggu)"
    assert n.isi.startswith("Surat yang menunggu paraf atau tanda tangan Anda (per 30 November 2026 15:30 WIB):")
    client.force_login(kabag)
    page = _teks(client.get(reverse("notifikasi:daftar")))
    daftar = page.split('data-testid="daftar-notifikasi"', 1)[1]
    # Listed first, at the time of the latest letter, in Asia/Jakarta time.
    assert daftar.index(v2.surat.nomor) < daftar.index("Pemberitahuan lain")
    assert "30 Nov 2026 15:30 WIB" in daftar and "30 Nov 2026 09:00 WIB" not in daftar


def test_the_signing_batch_names_the_instansi_of_every_letter_the_skipped_ones_too(
    client, sk_siap, ppk_pk, pejabat_ppk, instansi_a
):
    v1, v2 = sk_siap(2)
    client.force_login(ppk_pk)
    antrean = client.get(reverse("ttd:antrean")).content.decode()  # both waiting
    assert f'value="{v1.pk}"' in antrean and f'value="{v2.pk}"' in antrean
    antre = client.get(reverse("api:ttd-antrean-list")).json()  # the SKs and their PAKs
    assert {v["instansi"] for v in antre} == {instansi_a.nama} and {v1.pk, v2.pk} <= {v["id"] for v in antre}
    tandatangani_basah(v2.surat, ppk_pk)  # signed by a scan since the queue was loaded
    response = client.post(reverse("ttd:tandatangani"), {"versi": [v1.pk, v2.pk]})
    assert response.status_code == 302
    page = _teks(client.get(response["Location"]))
    dilewati = page.split('data-testid="dilewati-ttd"', 1)[1].split("</tr>", 1)[0]
    assert v2.surat.nomor in dilewati and instansi_a.nama in dilewati
    hasil = page.split('data-testid="hasil-ttd"', 1)[1].split("</tr>", 1)[0]
    assert v1.surat.nomor in hasil and instansi_a.nama in hasil
    batch_id = response["Location"].rstrip("/").rsplit("/", 1)[1]
    data = client.get(reverse("api:ttd-batch-detail", args=[batch_id])).json()
    assert [d["instansi"] for d in data["dilewati"]] == [instansi_a.nama]
    assert [i["instansi"] for i in data["item"]] == [instansi_a.nama]
