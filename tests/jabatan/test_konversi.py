"""Konversi predikat kinerja → angka kredit (PerBKN 3/2023; domain.md §4) against worked examples,
the thresholds for kenaikan pangkat and jenjang (and since when), and the refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core import tenancy
from apps.core.format import format_ak
from apps.jabatan import selectors, services
from apps.jabatan.domain import JenisMutasi, ak_konversi, jumlah_bulan
from apps.jabatan.models import MutasiAK
from apps.jabatan.services import ItemKonversi
from apps.referensi.models import Jenjang, PersentasePredikat
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


def test_bkn_worked_example_two_months_at_baik_for_ahli_pertama():
    ak = ak_konversi(bulan=2, persentase=Decimal(100), koefisien=Decimal("12.5"))
    # Kept as printed (2,08, not 2,083): the rows add up to the printed saldo by hand.
    assert ak == Decimal("2.08") and format_ak(ak) == "2,08"


def test_a_full_year_at_sangat_baik_for_ahli_pertama_is_18_75():
    assert ak_konversi(bulan=12, persentase=Decimal(150), koefisien=Decimal("12.5")) == Decimal("18.75")


def test_months_of_a_period():
    assert jumlah_bulan(date(2025, 1, 1), date(2025, 12, 31)) == 12
    assert jumlah_bulan(date(2025, 1, 1), date(2025, 2, 28)) == 2
    assert jumlah_bulan(date(2025, 7, 1), date(2025, 7, 31)) == 1
    with pytest.raises(ValueError):
        jumlah_bulan(date(2025, 2, 1), date(2025, 1, 31))
    with pytest.raises(ValueError):
        ak_konversi(bulan=13, persentase=Decimal(100), koefisien=Decimal("12.5"))


def test_the_percentages_are_per_jf_data_shipped_unverified(referensi, pk):
    rows = {p.predikat: p for p in PersentasePredikat.objects.filter(jf=pk)}
    assert {k: v.persen for k, v in rows.items()} == {
        "sangat_baik": 150, "baik": 100, "butuh_perbaikan": 75, "kurang": 50, "sangat_kurang": 25,
    }  # fmt: skip
    assert not any(r.terverifikasi for r in rows.values()) and all(r.sumber for r in rows.values())
    assert PersentasePredikat.objects.count() == 5 * len(referensi)
    jenjang = Jenjang.objects.get(jf=pk, kode="ahli_pertama")
    assert not jenjang.ak_terverifikasi and "PerBKN 3/2023" in jenjang.ak_sumber


def test_konversi_reads_the_jfs_percentage_and_koefisien_and_keeps_their_provenance(instansi_a, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    PersentasePredikat.objects.filter(jf=pk, predikat="baik").update(persen=Decimal(80))  # an admin's correction
    with tenancy.scope(instansi_a):
        m = services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 12, 31), oleh=pic_pk
        )
    assert (m.jenis, m.nilai, m.bulan, m.persentase, m.koefisien) == (
        "konversi",
        Decimal("10"),
        12,
        80,
        Decimal("12.5"),
    )
    assert m.rincian["persen_terverifikasi"] is False and m.rincian["koefisien_terverifikasi"] is False
    assert m.rincian["rumus"] == "12/12 × 80.00 % × 12.500" and m.dibuat_oleh_id == pic_pk.pk


def test_a_year_split_over_two_jenjang(instansi_a, pk, pic_pk):
    """Ahli Muda since 1 July 2025: the first half of the year was served as Ahli Pertama (a
    jenjang below today's may be named; one above it may not)."""
    pejabat = buat_pejabat(instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/c", tmt=date(2025, 7, 1))
    pertama = Jenjang.objects.get(jf=pk, kode="ahli_pertama")
    with tenancy.scope(instansi_a):
        a = services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 6, 30), oleh=pic_pk,
            jenjang=pertama,
        )  # fmt: skip
        b = services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2025, 7, 1), periode_selesai=date(2025, 12, 31), oleh=pic_pk
        )
        assert (a.nilai, a.bulan, a.koefisien) == (Decimal("6.25"), 6, Decimal("12.5"))  # 6/12 × 100 % × 12,5
        assert (b.nilai, b.bulan, b.koefisien) == (Decimal("12.5"), 6, Decimal("25"))  # 6/12 × 100 % × 25
        assert selectors.ak_kumulatif(pejabat) == Decimal("18.75")


def test_refusals_per_item(instansi_a, instansi_b, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    lain = buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi")
    with tenancy.scope(instansi_a):
        services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 12, 31), oleh=pic_pk
        )
        laporan = services.konversi_massal(
            [
                ItemKonversi(pejabat.pk, "baik", date(2025, 6, 1), date(2025, 6, 30), tag=2),  # overlaps 2025
                ItemKonversi(pejabat.pk, "luar_biasa", date(2024, 1, 1), date(2024, 12, 31), tag=3),
                ItemKonversi(pejabat.pk, "baik", date(2023, 7, 1), date(2024, 6, 30), tag=4),  # across a year
                ItemKonversi(lain.pk, "baik", date(2024, 1, 1), date(2024, 12, 31), tag=5),  # another instansi's
                ItemKonversi(pejabat.pk, "kurang", date(2024, 1, 1), date(2024, 12, 31), tag=6),  # good
                ItemKonversi(pejabat.pk, "baik", date(2024, 12, 1), date(2024, 12, 31), tag=7),  # overlaps row 6
            ],
            oleh=pic_pk,
        )
        assert [t for t, _k, _r in laporan.galat] == [2, 3, 4, 5, 7]
        assert "sudah dikonversi" in laporan.galat[0][2] and "tidak dikenal" in laporan.galat[1][2]
        assert "tahun kalender" in laporan.galat[2][2] and "tidak ditemukan" in laporan.galat[3][2]
        assert laporan.dibuat == 1 and laporan.total_ak == Decimal("6.25")  # 50 % × 12,5
        with pytest.raises(ValidationError, match="sudah dikonversi"):
            services.konversi_catat(
                pejabat, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 3, 31),
                oleh=pic_pk,
            )  # fmt: skip
    with tenancy.scope(instansi_b):
        assert MutasiAK.objects.filter(pejabat=lain).count() == 0


def test_a_changed_predikat_is_a_koreksi_of_the_difference(instansi_a, pk, pic_pk):
    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        m = services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 12, 31), oleh=pic_pk
        )
        k = services.konversi_koreksi(m, predikat="sangat_baik", oleh=pic_pk, keterangan="SKP direvisi")
        assert (k.jenis, k.nilai, k.mengoreksi_id) == ("koreksi", Decimal("6.25"), m.pk)
        k2 = services.konversi_koreksi(m, predikat="baik", oleh=pic_pk, keterangan="Kembali ke Baik")
        assert k2.nilai == Decimal("-6.25")
        assert selectors.ak_kumulatif(pejabat) == Decimal("12.5")
        assert MutasiAK.objects.get(pk=m.pk).nilai == Decimal("12.5")  # the original row is untouched


def test_a_koreksi_with_the_same_predikat_is_refused_and_writes_no_row(instansi_a, pk, pic_pk):
    """Issue 19 walk: "koreksi: 12,5 − 12,5 = 0" was written for good."""
    pejabat = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        m = services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 12, 31), oleh=pic_pk
        )
        with pytest.raises(services.JabatanError, match="Predikat sama dengan yang tercatat untuk periode ini"):
            services.konversi_koreksi(m, predikat="baik", oleh=pic_pk, keterangan="SKP sama")
        services.konversi_koreksi(m, predikat="sangat_baik", oleh=pic_pk, keterangan="SKP direvisi")
        # The predikat in force is now the koreksi's: the same one again is refused too.
        with pytest.raises(services.JabatanError, match="tidak ada yang dikoreksi"):
            services.konversi_koreksi(m, predikat="sangat_baik", oleh=pic_pk, keterangan="Lagi")
        assert MutasiAK.objects.filter(pejabat=pejabat).count() == 2


def _kelayakan(instansi, pejabat):
    with tenancy.scope(instansi):
        [k] = selectors.kelayakan(pejabat_ids=[pejabat.pk])
        return k


def test_thresholds_for_pangkat_and_jenjang_and_since_when(instansi_a, pk, pic_pk):
    # Ahli Pertama: 50 for kenaikan pangkat, 100 for kenaikan jenjang (domain.md §4).
    pejabat = buat_pejabat(instansi_a, pk)
    catat = lambda pred, th: services.konversi_catat(  # noqa: E731
        pejabat, predikat=pred, periode_mulai=date(th, 1, 1), periode_selesai=date(th, 12, 31), oleh=pic_pk
    )
    with tenancy.scope(instansi_a):
        services.mutasi_tambah(pejabat, JenisMutasi.AWAL, Decimal("37.5"), oleh=pic_pk, periode_mulai=date(2022, 1, 1))
        catat("baik", 2022)  # 50.0: exactly the threshold
    k = _kelayakan(instansi_a, pejabat)
    assert (k.ak_pangkat, k.memenuhi_pangkat, k.pangkat_sejak) == (Decimal("50"), True, date(2022, 12, 31))
    assert (k.ak_jenjang, k.memenuhi_jenjang) == (Decimal("50"), False)
    with tenancy.scope(instansi_a):
        catat("sangat_baik", 2023)  # 68.75
        catat("sangat_baik", 2024)  # 87.5
        catat("sangat_baik", 2025)  # 106.25
    k = _kelayakan(instansi_a, pejabat)
    assert k.pangkat_sejak == date(2022, 12, 31)  # met once, still met: since the first crossing
    assert (k.ak_jenjang, k.jenjang_sejak) == (Decimal("106.25"), date(2025, 12, 31))
    with tenancy.scope(instansi_a):  # a correction takes the jenjang total under 100 again
        services.mutasi_tambah(pejabat, JenisMutasi.KOREKSI, Decimal("-10"), oleh=pic_pk, keterangan="x",
                               periode_mulai=date(2025, 12, 31))  # fmt: skip
    k = _kelayakan(instansi_a, pejabat)
    assert (k.memenuhi_jenjang, k.jenjang_sejak, k.ak_jenjang) == (False, None, Decimal("96.25"))
    with tenancy.scope(instansi_a):  # the kenaikan pangkat uses 50 of the pangkat total only
        services.mutasi_tambah(pejabat, JenisMutasi.KENAIKAN_PANGKAT, Decimal("-50"), oleh=pic_pk,
                               periode_mulai=date(2026, 4, 1))  # fmt: skip
    k = _kelayakan(instansi_a, pejabat)
    assert (k.ak_pangkat, k.memenuhi_pangkat, k.ak_jenjang) == (Decimal("46.25"), False, Decimal("96.25"))
    with tenancy.scope(instansi_a):
        a = selectors.ambang(pejabat)
    assert (a.ak_pangkat, a.ak_jenjang, a.kurang_pangkat, a.kurang_jenjang) == (
        Decimal("46.25"), Decimal("96.25"), Decimal("3.75"), Decimal("3.75"),
    )  # fmt: skip


def test_kelayakan_lists_only_the_scopes_holders(instansi_a, instansi_b, pk, pic_pk):
    a = buat_pejabat(instansi_a, pk)
    b = buat_pejabat(instansi_b, pk, nip="197901012005011002", nama="Budi")
    for inst, p in ((instansi_a, a), (instansi_b, b)):
        with tenancy.scope(inst):
            services.mutasi_tambah(p, JenisMutasi.AWAL, Decimal("60"), oleh=None, periode_mulai=date(2024, 1, 1))
    with tenancy.scope(instansi_a):
        assert [k.pejabat_id for k in selectors.kelayakan(hanya_memenuhi=True)] == [a.pk]
    with tenancy.scope(pk.instansi_pembina, jf_ids=[pk.pk]):
        assert {k.pejabat_id for k in selectors.kelayakan()} == {a.pk, b.pk}


def test_the_jfs_admin_confirms_a_percentage_on_the_jf_page(client, pk, staf):
    row = PersentasePredikat.objects.get(jf=pk, predikat="baik")
    client.force_login(staf["admin"])
    page = client.get(f"/jf/{pk.kode}/")
    assert page.status_code == 200 and b'data-testid="predikat-belum"' in page.content
    from apps.core.staleness import fingerprint

    url = f"/jf/{pk.kode}/atur/predikat/{row.pk}/"
    bad = client.post(url, {"persen": "-5", "terverifikasi": "on", "sumber": "x", "versi": fingerprint(row)})
    assert bad.status_code == 200 and PersentasePredikat.objects.get(pk=row.pk).persen == 100
    ok = client.post(
        url, {"persen": "100", "terverifikasi": "on", "sumber": "PerBKN 3/2023 Lampiran", "versi": fingerprint(row)}
    )
    assert ok.status_code == 302
    row.refresh_from_db()
    assert row.terverifikasi and row.diverifikasi_oleh_id == staf["admin"].pk and row.sumber.startswith("PerBKN")


def test_kelayakan_in_a_holders_own_scope_is_their_record_only(instansi_a, pk, pic_pk):
    a = buat_pejabat(instansi_a, pk)
    b = buat_pejabat(instansi_a, pk, nip="197901012005011002", nama="Budi")
    for p in (a, b):
        with tenancy.scope(instansi_a):
            services.mutasi_tambah(p, JenisMutasi.AWAL, Decimal("60"), oleh=None, periode_mulai=date(2024, 1, 2))
    with tenancy.activate(tenancy.Scope(pejabat_id=a.pk)):
        assert [k.pejabat_id for k in selectors.kelayakan()] == [a.pk]
    with tenancy.activate(tenancy.Scope()):  # an empty scope sees nothing
        assert selectors.kelayakan() == []


def test_a_period_outside_the_sane_range_is_refused_with_its_reason(client, instansi_a, pk, pic_pk):
    """A typing slip in the year (year 1, 1999) is not converted into AK: periods before 2000 are
    refused with the range to use, as are periods that have not started; 2000 itself is accepted.
    The page shows the reason on the form (no row written, no 500)."""
    from django.urls import reverse
    from django.utils import timezone

    pejabat = buat_pejabat(instansi_a, pk)
    tahun_depan = timezone.localdate().year + 1
    with tenancy.scope(instansi_a):
        laporan = services.konversi_massal(
            [
                ItemKonversi(pejabat.pk, "baik", date(1, 1, 1), date(1, 12, 31), tag=2),
                ItemKonversi(pejabat.pk, "baik", date(1999, 1, 1), date(1999, 12, 31), tag=3),
                ItemKonversi(pejabat.pk, "baik", date(tahun_depan, 1, 1), date(tahun_depan, 3, 31), tag=4),
                ItemKonversi(pejabat.pk, "baik", date(2000, 1, 1), date(2000, 12, 31), tag=5),
            ],
            oleh=pic_pk,
        )
        assert [t for t, _k, _r in laporan.galat] == [2, 3, 4] and laporan.dibuat == 1
        assert laporan.galat[0][2] == (
            f"Periode 0001 di luar rentang yang dapat dikonversi (tahun 2000 sampai {tahun_depan - 1}); periksa "
            "tahun yang diisi."
        )
        assert "Periode 1999 di luar rentang" in laporan.galat[1][2] and "belum dimulai" in laporan.galat[2][2]
        assert list(
            MutasiAK.objects.filter(pejabat=pejabat, jenis="konversi").values_list("periode_mulai", flat=True)
        ) == [date(2000, 1, 1)]
    client.force_login(pic_pk)
    response = client.post(
        reverse("jabatan:predikat_catat", args=[pejabat.pk]),
        {"periode_mulai": "0001-01-01", "periode_selesai": "0001-12-31", "predikat": "baik"},
    )
    assert response.status_code == 200 and "Periode 0001 di luar rentang" in response.content.decode()
    api = client.post(
        f"/api/v1/pejabat-fungsional/{pejabat.pk}/predikat/",
        {"predikat": "baik", "periode_mulai": "0001-01-01", "periode_selesai": "0001-12-31"},
        content_type="application/json",
    )
    assert api.status_code == 400 and "Periode 0001 di luar rentang" in api.content.decode()
    with tenancy.scope(instansi_a):
        assert MutasiAK.objects.filter(pejabat=pejabat, jenis="konversi").count() == 1


def test_a_period_not_yet_over_is_refused_in_the_form_and_the_import(instansi_a, pk, pic_pk):
    """1 January–31 December 2026 entered on 30 November 2026: the year has not ended, so its
    predikat is not final; refused by the single entry (konversi_catat) and the bulk path
    (konversi_massal, behind the XLSX import) alike, nothing written. A period that ended
    yesterday is accepted."""
    import time_machine

    pejabat = buat_pejabat(instansi_a, pk)
    with time_machine.travel(date(2026, 11, 30), tick=False), tenancy.scope(instansi_a):
        with pytest.raises(ValidationError) as exc:
            services.konversi_catat(
                pejabat,
                predikat="baik",
                periode_mulai=date(2026, 1, 1),
                periode_selesai=date(2026, 12, 31),
                oleh=pic_pk,
            )
        assert "Periode belum berakhir (akhir periode 31 Desember 2026)" in str(exc.value)
        laporan = services.konversi_massal(
            [ItemKonversi(pejabat.pk, "baik", date(2026, 1, 1), date(2026, 12, 1), tag=7)], oleh=pic_pk
        )
        assert [t for t, _k, _r in laporan.galat] == [7] and laporan.dibuat == 0
        assert not MutasiAK.objects.filter(pejabat=pejabat, jenis="konversi").exists()
        services.konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2026, 1, 1), periode_selesai=date(2026, 11, 29), oleh=pic_pk
        )
        assert MutasiAK.objects.filter(pejabat=pejabat, jenis="konversi").count() == 1


def test_at_the_top_pangkat_of_the_jenjang_only_the_jenjang_threshold_applies(client, instansi_a, pk, pic_pk):
    # Ahli Pertama holds III/a–III/b: a III/b holder's next pangkat comes only with kenaikan jenjang,
    # so 71,25 AK is not "due for kenaikan pangkat" (50) but 28,75 short of the jenjang's 100.
    from apps.penetapan.selectors import ak_dan_syarat

    puncak = buat_pejabat(instansi_a, pk, golongan="III/b")
    bawah = buat_pejabat(instansi_a, pk, nip="197901012005011002", nama="Budi", golongan="III/a")
    for p in (puncak, bawah):
        with tenancy.scope(instansi_a):
            services.mutasi_tambah(p, JenisMutasi.AWAL, Decimal("71.25"), oleh=pic_pk, periode_mulai=date(2024, 1, 1))
    k = _kelayakan(instansi_a, puncak)
    assert (k.ambang_pangkat, k.memenuhi_pangkat, k.ambang_jenjang, k.memenuhi_jenjang) == (
        None, False, Decimal(100), False)  # fmt: skip
    assert _kelayakan(instansi_a, bawah).memenuhi_pangkat  # III/a: the pangkat threshold still applies
    with tenancy.scope(instansi_a):
        a = selectors.ambang(puncak)
    assert (a.pangkat, a.kurang_pangkat, a.kurang_jenjang) == (None, None, Decimal("28.75"))
    assert ak_dan_syarat(a) == (Decimal("71.25"), Decimal(100), False)  # what the PAK/HAPAK state
    client.force_login(pic_pk)
    page = client.get("/pejabat-fungsional/").content.decode()
    assert page.count("kenaikan pangkat sejak") == 1  # Budi's only
    detail = client.get(f"/pejabat-fungsional/{puncak.pk}/").content.decode()
    assert "kurang 28,75" in detail and "kurang 0" not in detail and 'data-testid="pangkat-puncak"' in detail


def test_the_walks_ledger_rows_add_up_to_the_printed_saldo(client, instansi_a, pk, pic_pk):
    """Issue 19 walk: AK awal 62,5 and two periods of 2 months at Baik (koefisien 12,5) were kept as
    2,083 each, printed 2,08 each beside a saldo and AK kumulatif printed 66,67 (the rows add up to
    66,66). Each row now keeps what is printed: 62,5 + 2,08 + 2,08 = 66,66 everywhere."""
    from django.urls import reverse

    from apps.jabatan.selectors import ak_kumulatif, ambang
    from apps.jabatan.services import konversi_catat, mutasi_tambah

    h = buat_pejabat(instansi_a, pk)
    with tenancy.scope(instansi_a):
        mutasi_tambah(h, JenisMutasi.AWAL, Decimal("62.5"), oleh=None, keterangan="AK awal (impor)")
        for mulai, selesai in ((date(2025, 1, 1), date(2025, 2, 28)), (date(2025, 3, 1), date(2025, 4, 30))):
            m = konversi_catat(h, predikat="baik", periode_mulai=mulai, periode_selesai=selesai, oleh=pic_pk)
            assert m.nilai == Decimal("2.08")
        assert ak_kumulatif(h) == Decimal("66.66") == ambang(h).ak_pangkat
    client.force_login(pic_pk)
    html = " ".join(client.get(reverse("jabatan:detail", args=[h.pk])).content.decode().split())
    assert "66,66" in html and "66,67" not in html
    assert html.count(">2,08<") + html.count("2,08 ") >= 2
