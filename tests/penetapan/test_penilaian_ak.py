"""What the Tim Penilai assesses and how the sidang decides (seed 001 BAB IV D-E on PerBKN
3/2023's rules): each member sees the holder's ledger figures, agrees with the computed AK or
says why not, and the sidang's result derives from the assessments of the members attending."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.jabatan.models import MutasiAK
from apps.jabatan.services import konversi_catat, mutasi_tambah
from apps.penetapan import domain, selectors, services
from apps.penetapan.alur import PenetapanError
from apps.penetapan.models import PenilaianAK
from apps.surat.models import Surat, VersiSurat
from tests.penetapan.conftest import PYB, as_user, ke_penilaian, nilai_ak

pytestmark = pytest.mark.django_db


def _konversi(pejabat, pic):
    """Budi's 2025 predikat Baik converted on his ledger: 12/12 × 100 % × 12,5 = 12,5."""
    with as_user(pic):
        return konversi_catat(
            pejabat, predikat="baik", periode_mulai=date(2025, 1, 1), periode_selesai=date(2025, 12, 31), oleh=pic
        )


def _putuskan(tim, u, hadir):
    stp, ketua = tim["sekretariat"], tim["anggota"][0]
    with as_user(stp):
        sidang = services.sidang_buka(actor=stp, tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk])
    with as_user(ketua.user):
        (hasil,) = services.sidang_putuskan(actor=ketua.user, sidang=sidang, pyb=PYB, hadir_ids=[a.pk for a in hadir])
    return hasil


def test_the_member_sees_the_holders_ledger_figures_on_the_usulan(client, pic_kab, budi, tim_prov):
    """The member (of the provincial team, another instansi than the holder's) sees the AK awal,
    each konversi with its computation, the totals against the thresholds and the result."""
    _konversi(budi, pic_kab)
    u = ke_penilaian(pic_kab, budi, tim_prov)
    client.force_login(tim_prov["anggota"][2].user)
    html = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    blok = html[html.index('data-testid="angka-kredit"') :]
    assert 'data-testid="ak-awal">62,5<' in blok
    assert 'data-testid="ak-konversi">12,5<' in blok
    assert "12/12 × 100 % × 12,5" in blok and "Baik" in blok
    assert "AK kumulatif 75 dari 50 yang dipersyaratkan" in blok and "memenuhi syarat: PAK" in blok
    assert "AK kumulatif untuk kenaikan jenjang" in blok and "75 / 100" in blok
    assert 'name="rekomendasi" value="setuju"' in html and 'name="rekomendasi" value="tidak_setuju"' in html


def test_a_member_who_disagrees_says_why_and_the_assessed_figures_are_kept(client, pic_kab, budi, tim_prov):
    u = ke_penilaian(pic_kab, budi, tim_prov)
    anggota = tim_prov["anggota"][2]
    client.force_login(anggota.user)
    url = reverse("penetapan:aksi", args=[u.pk])
    r = client.post(url, {"aksi": "nilai", "rekomendasi": "tidak_setuju", "catatan": " "})
    assert r.status_code == 400 and "Tuliskan catatan: bagian angka kredit mana yang tidak sesuai" in r.content.decode()
    with tenancy.all_tenants(reason="test"):
        assert not PenilaianAK.objects.filter(usulan_id=u.pk).exists()
    r = client.post(url, {"aksi": "nilai", "rekomendasi": "tidak_setuju", "catatan": "SKP 2023 tanpa tanda tangan."})
    assert r.status_code == 302
    with tenancy.all_tenants(reason="test"):
        row = PenilaianAK.objects.get(usulan_id=u.pk, anggota=anggota)
        entry = AuditLog.objects.filter(action="penetapan.dinilai").latest("id")
    assert (row.rekomendasi, row.catatan, row.ak_kumulatif, row.ak_syarat, row.memenuhi) == (
        "tidak_setuju",
        "SKP 2023 tanpa tanda tangan.",
        Decimal("62.5"),
        Decimal("50"),
        True,
    )
    assert entry.data["ak"] == "62.500" and "AK kumulatif 62,5, dipersyaratkan 50" in entry.message
    # The assessment is listed with its figures and note on the usulan page.
    html = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    assert "SKP 2023 tanpa tanda tangan." in html and "AK kumulatif 62,5 / 50" in html


def test_when_the_attending_majority_disagrees_a_holder_who_meets_the_threshold_gets_a_hapak(pic_kab, budi, tim_prov):
    """Budi's 62,5 meets the 50 required, but three of the four members attending do not agree
    with it: a HAPAK stating why, no PAK, nothing appended to his ledger."""
    u = ke_penilaian(pic_kab, budi, tim_prov)
    anggota = tim_prov["anggota"]
    nilai_ak(anggota[0], u, "setuju")
    for a in anggota[1:4]:
        nilai_ak(a, u, "tidak_setuju", catatan=f"Predikat tidak didukung SKP ({a.user.username}).")
    hasil = _putuskan(tim_prov, u, anggota[:4])
    assert (hasil.status, hasil.hasil) == ("hapak", "hapak")
    with tenancy.all_tenants(reason="test"):
        surat = Surat.objects.get(pk=hasil.surat_id)
        isi = VersiSurat.objects.get(surat=surat).isi
        assert surat.jenis == "hapak"
        assert not MutasiAK.objects.filter(pejabat=budi, jenis="penetapan").exists()
        entry = AuditLog.objects.filter(action="penetapan.hapak").latest("id")
    assert "tidak menyetujui angka kredit hasil perhitungan: setuju 1, tidak setuju 3 dari 4" in isi["keterangan"]
    assert f"Predikat tidak didukung SKP ({anggota[1].user.username})." in isi["keterangan"]
    assert (entry.data["setuju"], entry.data["tidak_setuju"]) == (1, 3)


@pytest.mark.parametrize(
    ("hadir", "hasil"),
    [
        # Members 0 and 1 agree, 2 and 3 do not; member 4 did not assess.
        ((0, 1, 2, 4), "pak"),  # attending assessors: 2 agree, 1 disagrees
        ((0, 2, 3, 4), "hapak"),  # 1 agrees, 2 disagree
        ((0, 1, 2, 3), "hapak"),  # a tie is no majority
    ],
)
def test_only_the_assessments_of_members_attending_decide(pic_kab, budi, tim_prov, hadir, hasil):
    u = ke_penilaian(pic_kab, budi, tim_prov)
    anggota = tim_prov["anggota"]
    for i, a in enumerate(anggota[:4]):
        nilai_ak(a, u, "setuju" if i < 2 else "tidak_setuju")
    assert _putuskan(tim_prov, u, [anggota[i] for i in hadir]).hasil == hasil


def test_an_agreement_with_a_figure_the_ledger_no_longer_holds_does_not_count(pic_kab, budi, tim_prov):
    """Four members agree with 62,5; a correction of −15 is recorded before the sidang. The
    PAK would state 47,5, which nobody assessed: HAPAK, saying the AK changed after assessment."""
    u = ke_penilaian(pic_kab, budi, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, u)
    with as_user(pic_kab):
        mutasi_tambah(budi, "koreksi", Decimal("-15"), oleh=pic_kab, keterangan="AK awal dikoreksi BKN.")
    hasil = _putuskan(tim_prov, u, tim_prov["anggota"][:4])
    assert hasil.hasil == "hapak" and hasil.ak_kumulatif == Decimal("47.5")
    with tenancy.all_tenants(reason="test"):
        isi = VersiSurat.objects.get(surat_id=hasil.surat_id).isi
    assert "4 persetujuan tidak dihitung karena angka kredit berubah setelah dinilai" in isi["keterangan"]


def test_the_sidang_page_lists_each_usulan_with_its_figures_and_assessments(client, pic_kab, budi, tim_prov):
    u = ke_penilaian(pic_kab, budi, tim_prov)
    anggota = tim_prov["anggota"]
    for a in anggota[:3]:
        nilai_ak(a, u)
    nilai_ak(anggota[3], u, "tidak_setuju", catatan="SK pangkat terakhir tidak terbaca.")
    stp = tim_prov["sekretariat"]
    with as_user(stp):
        sidang = services.sidang_buka(actor=stp, tim=tim_prov["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk])
    client.force_login(anggota[0].user)
    html = client.get(reverse("penetapan:sidang", args=[sidang.pk])).content.decode()
    assert "62,5 / 50" in html and "setuju 3, tidak setuju 1" in html
    assert "SK pangkat terakhir tidak terbaca." in html
    # A substitute may be marked present (the quorum counts only the regular members).
    assert f'value="{anggota[5].pk}"' in html
    with as_user(stp):
        assert selectors.usulan(u.pk).status == "sidang"


def test_the_result_rule():
    s, t = domain.Suara(True), domain.Suara(False)
    usang = domain.Suara(True, usang=True)
    assert domain.hasil_sidang([s, s, t], memenuhi=True).pak
    assert not domain.hasil_sidang([s, s, t], memenuhi=False).pak  # confirmed, but short: HAPAK
    assert not domain.hasil_sidang([s, t], memenuhi=True).ak_disetujui  # a tie
    assert domain.hasil_sidang([s, s, usang], memenuhi=True).pak  # 2 of 3
    assert not domain.hasil_sidang([s, usang], memenuhi=True).pak
    h = domain.hasil_sidang([s, t, usang, usang], memenuhi=True)
    assert (h.setuju, h.tidak_setuju, h.usang, h.jumlah) == (1, 1, 2, 4)


def test_disagreeing_without_a_note_is_refused_by_the_service(pic_kab, budi, tim_prov):
    u = ke_penilaian(pic_kab, budi, tim_prov)
    a = tim_prov["anggota"][1]
    with as_user(a.user), pytest.raises(PenetapanError, match="Tuliskan catatan"):
        services.penilaian_simpan(actor=a.user, usulan=u, rekomendasi="tidak_setuju", catatan="")


def test_the_summary_shows_every_kind_of_movement_so_the_figures_add_up(client, pic_kab, budi, tim_prov):
    """Fresh-eye walk: "AK awal 40 + Jumlah konversi 33,33" against a total of 67,08 — the −6,25
    correction appeared only in the table. Budi: 62,5 + 12,5 (Baik 2025) and a correction to
    Butuh Perbaikan (75 %: 9,38, −3,12) = 71,88; each kind is a line of the summary."""
    from apps.jabatan.services import konversi_koreksi

    m = _konversi(budi, pic_kab)
    with as_user(pic_kab):
        konversi_koreksi(m, predikat="butuh_perbaikan", oleh=pic_kab, keterangan="SKP 2025 direvisi.")
    u = ke_penilaian(pic_kab, budi, tim_prov)
    client.force_login(tim_prov["anggota"][2].user)
    html = client.get(reverse("penetapan:detail", args=[u.pk])).content.decode()
    blok = html[html.index('data-testid="angka-kredit"') : html.index('data-testid="buku-ak"')]
    assert 'data-testid="ak-awal">62,5<' in blok and 'data-testid="ak-konversi">12,5<' in blok
    assert "Jumlah koreksi" in blok and 'data-testid="ak-koreksi">−3,12<' in blok.replace("-3,12", "−3,12")
    assert "AK kumulatif 71,88 dari 50 yang dipersyaratkan" in html


def test_the_paks_ledger_row_shows_the_period_it_covers(client, pic_kab, budi, kab, tim_prov):
    """Fresh-eye walk: the PAK's row in the ledger showed no period ("—"). It shows the period the
    PAK covers — its masa penilaian, the first to the last period converted since the AK awal (as
    the letter prints it) — on the PIC's page; the row keeps it in its ``rincian`` (the ledger
    order and the one-konversi-per-period rule still read the row's own period columns: none)."""
    from apps.jabatan.services import konversi_catat as catat

    _konversi(budi, pic_kab)
    with as_user(pic_kab):
        catat(budi, predikat="baik", periode_mulai=date(2026, 1, 1), periode_selesai=date(2026, 3, 31), oleh=pic_kab)
    u = ke_penilaian(pic_kab, budi, tim_prov)
    for a in tim_prov["anggota"][:4]:
        nilai_ak(a, u)
    hasil = _putuskan(tim_prov, u, tim_prov["anggota"])
    assert hasil.hasil == "pak"
    with tenancy.scope(kab):
        row = MutasiAK.objects.get(pejabat=budi, jenis="penetapan")
    assert (row.periode_mulai, row.periode_selesai) == (None, None)
    assert (row.rincian["masa_mulai"], row.rincian["masa_selesai"]) == ("2025-01-01", "2026-03-31")
    assert row.periode_tampil == (date(2025, 1, 1), date(2026, 3, 31))
    client.force_login(pic_kab)
    html = client.get(reverse("jabatan:detail", args=[budi.pk])).content.decode()
    baris = next(b for b in html.split("<tr") if hasil.surat_nomor in b and "Penetapan" in b)
    assert "1 Januari 2025 – 31 Maret 2026" in baris
