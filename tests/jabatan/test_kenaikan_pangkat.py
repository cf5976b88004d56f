"""Kenaikan pangkat after the PAK (issue 19's fresh-eye walk: the holder who met the pangkat
threshold stayed "due" forever). The PIC records the SK kenaikan pangkat: the ledger gets a
``kenaikan_pangkat`` row using the threshold (the rest carried over, the jenjang total untouched),
the record takes the new golongan and TMT, the "due" list drops the holder; the refusals; the
holder's page and notice; the API; another instansi's holder is 404."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.core import tenancy
from apps.core.format import tgl
from apps.core.models import AuditLog
from apps.jabatan import akses, pangkat, selectors
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.jabatan.services import mutasi_tambah
from apps.notifikasi.models import Notifikasi
from apps.penetapan import selectors as penetapan_selectors
from apps.penetapan import services as penetapan
from apps.referensi.models import Golongan
from tests.factories import UserFactory
from tests.jabatan.conftest import buat_pejabat, pak_luar
from tests.pdfs import valid_pdf
from tests.penetapan import conftest as pc

pytestmark = pytest.mark.django_db

# seed 001's JF Analis Kebijakan with its periods, a province and one of its kabupaten (the
# penetapan tests' fixtures).
jfak, prov, kab, pic_kab = pc.jfak, pc.prov, pc.kab, pc.pic_kab


def _gol(kode: str) -> Golongan:
    return Golongan.objects.get(kode=kode)


@pytest.fixture
def pak_budi(pic_kab, kab, prov, jfak):
    """Budi, Ahli Pertama III/a with 62,5 AK (threshold 50): assessed by a three-member provincial
    team, a sidang with all present, and his PAK. Returns (budi, the decided usulan)."""
    tim = pc.bentuk_tim(prov, jfak, "provinsi", n=3)
    budi = pc.buat_pejabat(kab, jfak, nip="198701012010011003", nama="Budi Santoso", ak_awal=Decimal("62.5"))
    u = pc.usulan_diajukan(pic_kab, budi)
    with pc.as_user(tim["sekretariat"]):
        u = penetapan.sekretariat_periksa(
            actor=tim["sekretariat"], usulan=penetapan_selectors.usulan(u.pk), lengkap=True
        )
    for a in tim["anggota"]:
        pc.nilai_ak(a, u)
    with pc.as_user(tim["sekretariat"]):
        sidang = penetapan.sidang_buka(
            actor=tim["sekretariat"], tim=tim["tim"], tanggal=timezone.localdate(), usulan_ids=[u.pk]
        )
    ketua = tim["anggota"][0]
    with pc.as_user(ketua.user):
        [u] = penetapan.sidang_putuskan(
            actor=ketua.user, sidang=sidang, pyb=pc.PYB, hadir_ids=[a.pk for a in tim["anggota"]]
        )
    assert u.hasil == "pak" and u.surat_id
    with tenancy.scope(kab):
        budi = PejabatFungsional.objects.get(pk=budi.pk)
    return budi, u


def _catat(pic, pejabat, **over):
    hari_ini = timezone.localdate()
    kw = {
        "golongan": _gol("III/b"),
        "tmt_golongan": hari_ini + timedelta(days=30),
        "sk_nomor": "800/123/KP/2026",
        "sk_tanggal": hari_ini,
    } | over
    with pc.as_user(pic):
        if not pangkat.pak_tersedia(pejabat) and not {"pak", "pak_luar_nomor"} & set(over):
            kw |= pak_luar()  # the holder's PAK predates the portal: its recorded reference
        return pangkat.kenaikan_pangkat_catat(actor=pic, pejabat=pejabat, **kw)


def _pesan(exc: ValidationError) -> dict[str, str]:
    return {k: " ".join(v) for k, v in exc.message_dict.items()}


def test_ledger_arithmetic_across_a_kenaikan_pangkat_after_the_pak(pak_budi, pic_kab, kab):
    """Worked example (Ahli Pertama: 50 for the next pangkat, 100 for Ahli Muda): AK awal 62,5 →
    PAK → kenaikan pangkat III/a → III/b uses 50: 12,5 carried toward the next pangkat, 62,5
    still toward the next jenjang; III/b is the top of Ahli Pertama, so no pangkat threshold
    remains and the holder leaves the "due" list."""
    budi, u = pak_budi
    with tenancy.scope(kab):
        [k] = selectors.kelayakan(pejabat_ids=[budi.pk])
        assert k.memenuhi_pangkat and (k.ak_pangkat, k.ambang_pangkat) == (Decimal("62.5"), Decimal("50"))
    tmt = timezone.localdate() + timedelta(days=120)
    m = _catat(pic_kab, budi, tmt_golongan=tmt)
    with tenancy.scope(kab):
        budi = PejabatFungsional.objects.select_related("golongan", "jenjang").get(pk=budi.pk)
        assert (budi.golongan.kode, budi.tmt_golongan) == ("III/b", tmt)
        rows = list(MutasiAK.objects.filter(pejabat=budi).order_by("id").values_list("jenis", "nilai"))
        assert rows == [("awal", Decimal("62.500")), ("penetapan", Decimal("0.000")),
                        ("kenaikan_pangkat", Decimal("-50.000"))]  # fmt: skip
        m = MutasiAK.objects.get(pk=m.pk)
        assert (m.surat_id, m.dibuat_oleh_id, m.golongan.kode, m.periode_mulai) == (
            u.surat_id,
            pic_kab.pk,
            "III/b",
            tmt,
        )
        assert (m.dokumen_nomor, m.dokumen_tanggal) == ("800/123/KP/2026", timezone.localdate())
        assert m.rincian["pak"] == u.surat_nomor and m.rincian["dari_golongan"] == "III/a"
        assert m.rincian["ak_kumulatif_sebelum"] == "62.500" and m.rincian["sisa_dibawa"] == "12.500"
        assert m.rincian["aturan_sisa_terverifikasi"] is False
        assert selectors.ak_kumulatif(budi) == Decimal("12.5")
        a = selectors.ambang(budi)
        assert (a.ak_pangkat, a.pangkat, a.ak_jenjang, a.jenjang) == (
            Decimal("12.5"), None, Decimal("62.5"), Decimal("100"),
        )  # fmt: skip
        [k] = selectors.kelayakan(pejabat_ids=[budi.pk])
        assert not k.memenuhi_pangkat and k.ambang_pangkat is None
        assert selectors.kelayakan(hanya_memenuhi=True) == []
        assert AuditLog.objects.filter(action="jabatan.naik_pangkat", object_id=str(budi.pk)).count() == 1
        # The PAK is used: no second kenaikan pangkat can rest on it.
        assert pangkat.pak_tersedia(budi) == []


def test_the_next_threshold_comes_from_the_new_golongan_and_the_rest_carries_over(pic_kab, kab, jfak):
    """A holder imported with a pre-portal PAK (no PAK in the portal): Ahli Muda III/c with 130
    (threshold 100 for the next pangkat, 200 for Ahli Madya). Kenaikan pangkat to III/d uses 100:
    30 carried over; III/d is Ahli Muda's top, so no pangkat threshold remains; the jenjang total
    keeps 130."""
    ahli_muda = buat_pejabat(kab, jfak, jenjang_kode="ahli_muda", golongan="III/c", nip="198001012005011001",
                             nama="Citra Dewi", tmt=date(2023, 4, 1))  # fmt: skip
    with tenancy.scope(kab):
        mutasi_tambah(ahli_muda, JenisMutasi.AWAL, Decimal("130"), oleh=pic_kab, periode_mulai=date(2025, 1, 1))
    m = _catat(pic_kab, ahli_muda, golongan=_gol("III/d"), sk_nomor="SK-KP/7/2026")
    assert m.nilai == Decimal("-100") and m.surat_id is None and m.rincian["pak"] == "PAK/821/2023"
    assert m.rincian["pak_di_luar_portal"] is True and m.pak_luar_tanggal == date(2023, 12, 20)
    with tenancy.scope(kab):
        ahli_muda.refresh_from_db()
        a = selectors.ambang(ahli_muda)
        assert (ahli_muda.golongan.kode, a.ak_pangkat, a.pangkat, a.ak_jenjang) == (
            "III/d", Decimal("30"), None, Decimal("130"),
        )  # fmt: skip


def test_the_threshold_applies_again_below_the_top_pangkat(pic_kab, kab, jfak):
    """Ahli Madya IV/a (threshold 150 for the next pangkat; the jenjang holds IV/a–IV/c): 170 →
    kenaikan to IV/b uses 150 → 20 toward IV/c, against the same threshold 150 (short 130)."""
    madya = buat_pejabat(kab, jfak, jenjang_kode="ahli_madya", golongan="IV/a", nip="197501012000011001",
                         nama="Dedi Madya", tmt=date(2022, 4, 1))  # fmt: skip
    with tenancy.scope(kab):
        mutasi_tambah(madya, JenisMutasi.AWAL, Decimal("170"), oleh=pic_kab, periode_mulai=date(2025, 1, 1))
    _catat(pic_kab, madya, golongan=_gol("IV/b"))
    with tenancy.scope(kab):
        madya.refresh_from_db()
        a = selectors.ambang(madya)
        assert (madya.golongan.kode, a.ak_pangkat, a.pangkat, a.kurang_pangkat) == (
            "IV/b", Decimal("20"), Decimal("150"), Decimal("130"),
        )  # fmt: skip
        assert not a.memenuhi_pangkat


def test_refusals_wrong_golongan_above_the_top_tmt_before_the_pak_duplicate(pak_budi, pic_kab, kab):
    budi, u = pak_budi
    hari_ini = timezone.localdate()
    with pytest.raises(ValidationError) as e:
        _catat(pic_kab, budi, golongan=_gol("III/c"))
    assert "III/c di atas pangkat tertinggi jenjang Ahli Pertama (III/b)" in _pesan(e.value)["golongan"]
    with pytest.raises(ValidationError) as e:
        _catat(pic_kab, budi, golongan=_gol("II/d"))
    assert "hanya ke golongan berikutnya: dari III/a ke III/b, bukan II/d" in _pesan(e.value)["golongan"]
    with pytest.raises(ValidationError) as e:
        _catat(pic_kab, budi, tmt_golongan=hari_ini - timedelta(days=1), sk_tanggal=hari_ini - timedelta(days=2))
    errors = _pesan(e.value)
    assert f"sebelum tanggal PAK {u.surat_nomor}" in errors["tmt_golongan"]
    assert f"sebelum tanggal PAK {u.surat_nomor}" in errors["sk_tanggal"]
    with pytest.raises(ValidationError) as e:
        _catat(pic_kab, budi, tmt_golongan=hari_ini + timedelta(days=800), sk_tanggal=hari_ini + timedelta(days=1))
    errors = _pesan(e.value)
    assert "terlalu jauh ke depan" in errors["tmt_golongan"] and "tidak boleh sesudah hari ini" in errors["sk_tanggal"]
    with pytest.raises(ValidationError) as e:
        _catat(pic_kab, budi, sk_nomor="   ")
    assert "Isi nomor SK" in _pesan(e.value)["sk_nomor"]
    with tenancy.scope(kab):
        assert not MutasiAK.objects.filter(pejabat=budi, jenis="kenaikan_pangkat").exists()
        assert PejabatFungsional.objects.get(pk=budi.pk).golongan.kode == "III/a"
    _catat(pic_kab, budi)
    with tenancy.scope(kab):
        budi = PejabatFungsional.objects.get(pk=budi.pk)
    with pytest.raises(ValidationError) as e:  # the same kenaikan again
        _catat(pic_kab, budi, sk_nomor="800/999/KP/2026")
    assert "Kenaikan pangkat Budi Santoso ke III/b sudah tercatat (SK 800/123/KP/2026" in _pesan(e.value)["golongan"]
    with pytest.raises(ValidationError) as e:  # now at the top of the jenjang
        _catat(pic_kab, budi, golongan=_gol("III/c"))
    assert "sudah berada pada pangkat tertinggi jenjang Ahli Pertama (III/b)" in _pesan(e.value)["golongan"]
    with tenancy.scope(kab):
        assert MutasiAK.objects.filter(pejabat=budi, jenis="kenaikan_pangkat").count() == 1


def test_below_the_threshold_is_refused_and_only_the_instansis_pic_may_record(pic_kab, kab, jfak, prov):
    ani = pc.buat_pejabat(kab, jfak, ak_awal=Decimal("40"))
    with pytest.raises(ValidationError) as e:
        _catat(pic_kab, ani)
    assert "belum memenuhi ambangnya (50); masih kurang 10" in _pesan(e.value)["__all__"]
    pic_lain = UserFactory(username="pic.provinsi", instansi=prov, roles=["pic_instansi"])
    with pytest.raises(PermissionDenied):
        _catat(pic_lain, ani)


def _form(client, pejabat, **over):
    hari_ini = timezone.localdate()
    data = {
        "golongan": _gol("III/b").pk, "tmt_golongan": (hari_ini + timedelta(days=30)).isoformat(),
        "sk_nomor": "800/123/KP/2026", "sk_tanggal": hari_ini.isoformat(),
    } | over  # fmt: skip
    return client.post(f"/pejabat-fungsional/{pejabat.pk}/kenaikan-pangkat/", data)


def test_the_pic_records_it_on_the_holders_page_and_the_holder_sees_it(
    client, pak_budi, pic_kab, kab, django_capture_on_commit_callbacks
):
    budi, u = pak_budi
    with tenancy.scope(kab):
        user = akses.pejabat_undang(actor=pic_kab, pejabat=budi, email="budi@uji.siaks.go.id")
    client.force_login(pic_kab)
    due = client.get("/pejabat-fungsional/?status=pangkat").content.decode()
    assert "Budi Santoso" in due
    page = client.get(f"/pejabat-fungsional/{budi.pk}/").content.decode()
    assert 'data-testid="kenaikan-pangkat"' in page and u.surat_nomor in page
    # A refusal keeps the page, names the field in Indonesian and changes nothing.
    bad = _form(client, budi, golongan=_gol("III/c").pk, pak=u.pk)
    assert bad.status_code == 200
    # III/c is not offered (only the next golongan, III/b): the form refuses it as a choice.
    assert "pilihan yang valid" in bad.content.decode().lower()
    with tenancy.scope(kab):
        assert PejabatFungsional.objects.get(pk=budi.pk).golongan.kode == "III/a"
    pdf = valid_pdf(padding=4242)
    with django_capture_on_commit_callbacks(execute=True):
        ok = _form(client, budi, pak=u.pk, berkas=SimpleUploadedFile("sk-kp.pdf", pdf, "application/pdf"))
    assert ok.status_code == 302, ok.content.decode()[:2000]
    with tenancy.scope(kab):
        m = MutasiAK.objects.get(pejabat=budi, jenis="kenaikan_pangkat")
        assert m.berkas_nama == "sk-kp.pdf" and m.berkas.read() == pdf and len(m.berkas_sha256) == 64
    page = client.get(f"/pejabat-fungsional/{budi.pk}/").content.decode()
    assert "Kenaikan pangkat III/a → III/b" in page and "SK 800/123/KP/2026" in page
    download = client.get(f"/pejabat-fungsional/mutasi/{m.pk}/berkas/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert "Budi Santoso" not in client.get("/pejabat-fungsional/?status=pangkat").content.decode()
    # The holder: a notice, the row on their own page, their SK's download.
    [n] = Notifikasi.objects.filter(user=user, jenis="jabatan.kenaikan_pangkat")
    assert "III/b" in n.judul and n.url == "/saya/"
    client.force_login(user)
    saya = client.get("/saya/").content.decode()
    # The SK's TMT is 30 days ahead: III/a stays in force until then, III/b is scheduled (issue 19 F7).
    tmt = tgl(timezone.localdate() + timedelta(days=30))
    assert "Kenaikan pangkat III/a → III/b" in saya and f"naik ke III/b, berlaku mulai {tmt}" in saya
    assert client.get(f"/pejabat-fungsional/mutasi/{m.pk}/berkas/").status_code == 200
    saya_api = client.get("/api/v1/saya/").json()
    [naik] = [r for r in saya_api["mutasi"] if r["jenis"] == "kenaikan_pangkat"]
    assert (naik["golongan"], naik["nilai"], naik["dokumen_nomor"]) == ("III/b", "-50.000", "800/123/KP/2026")
    assert naik["berkas_unduh"] == f"/pejabat-fungsional/mutasi/{m.pk}/berkas/"
    assert (saya_api["pejabat"]["golongan"], saya_api["pejabat"]["golongan_terjadwal"]) == ("III/a", "III/b")
    # The holder cannot record it.
    assert _form(client, budi, sk_nomor="lain").status_code == 404


def test_another_instansis_holder_is_404_on_the_page_the_file_and_the_api(client, pak_budi, pic_kab, kab, jfak, prov):
    budi, _u = pak_budi
    _catat(pic_kab, budi)
    with tenancy.scope(kab):
        m = MutasiAK.objects.get(pejabat=budi, jenis="kenaikan_pangkat")
    lain = UserFactory(username="pic.provinsi", instansi=prov, roles=["pic_instansi"])
    client.force_login(lain)
    assert _form(client, budi).status_code == 404
    assert client.get(f"/pejabat-fungsional/mutasi/{m.pk}/berkas/").status_code == 404
    r = client.post(f"/api/v1/pejabat-fungsional/{budi.pk}/kenaikan-pangkat/", {"golongan": "III/b"})
    assert r.status_code == 404


def test_the_api_records_it_and_refuses_with_field_errors(client, pak_budi, pic_kab, kab):
    budi, u = pak_budi
    client.force_login(pic_kab)
    url = f"/api/v1/pejabat-fungsional/{budi.pk}/kenaikan-pangkat/"
    hari_ini = timezone.localdate()
    body = {"golongan": "III/b", "tmt_golongan": (hari_ini + timedelta(days=30)).isoformat(),
            "sk_nomor": "800/5/KP/2026", "sk_tanggal": hari_ini.isoformat()}  # fmt: skip
    bad = client.post(url, body | {"golongan": "IV/e"}, content_type="application/json")
    assert bad.status_code == 400 and "IV/e" in bad.content.decode()
    assert client.post(url, body | {"golongan": "X/z"}, content_type="application/json").status_code == 400
    assert client.post(url, body | {"pak": 999999}, content_type="application/json").status_code == 400
    ok = client.post(url, body, content_type="application/json")
    assert ok.status_code == 201, ok.content
    row = ok.json()
    assert (row["jenis"], row["nilai"], row["golongan"], row["surat"]) == (
        "kenaikan_pangkat", "-50.000", "III/b", u.surat_nomor,
    )  # fmt: skip
    d = client.get(f"/api/v1/pejabat-fungsional/{budi.pk}/").json()
    terjadwal = (d["golongan"], d["golongan_terjadwal"], d["tmt_golongan_terjadwal"])
    assert terjadwal == ("III/a", "III/b", body["tmt_golongan"])
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "sudah tercatat" in again.content.decode()


def test_one_kenaikan_per_golongan_in_the_database_and_a_lost_race_leaves_no_file(pak_budi, pic_kab, kab, monkeypatch):
    """The checks run under the holder's row lock; the unique index (one kenaikan pangkat per
    holder and golongan) is the database's last word: an insert that loses to it is refused with
    the same message, and the PDF already stored for it is removed."""
    from django.db import IntegrityError, transaction

    budi, _u = pak_budi
    storage = MutasiAK._meta.get_field("berkas").storage
    folder = f"jabatan/{kab.pk}/{budi.pk}"

    def kalah(self, *args, **kwargs):
        raise IntegrityError("mutasi_satu_kenaikan_per_golongan")

    with monkeypatch.context() as m:
        m.setattr(MutasiAK, "save", kalah)
        with pytest.raises(ValidationError) as e:
            _catat(pic_kab, budi, berkas=SimpleUploadedFile("sk.pdf", valid_pdf(padding=99), "application/pdf"))
    assert "Kenaikan pangkat Budi Santoso ke III/b sudah tercatat" in _pesan(e.value)["golongan"]
    assert not storage.exists(folder) or storage.listdir(folder)[1] == []
    m = _catat(pic_kab, budi)
    with tenancy.scope(kab), pytest.raises(IntegrityError), transaction.atomic():
        MutasiAK.objects.create(
            instansi=kab, pejabat=budi, jf_id=budi.jf_id, jenjang_id=budi.jenjang_id, jenis="kenaikan_pangkat",
            nilai=0, golongan=m.golongan,
        )  # fmt: skip


def test_one_sk_number_for_two_holders_only_as_a_collective_sk_with_the_same_date(pic_kab, kab, jfak):
    """Issue 19 walk: "SK.800/KP/2026/001" was accepted for two holders of the same instansi."""
    a = buat_pejabat(kab, jfak, jenjang_kode="ahli_muda", golongan="III/c", nip="198001012005011001",
                     nama="Citra Dewi", tmt=date(2023, 4, 1))  # fmt: skip
    b = buat_pejabat(kab, jfak, jenjang_kode="ahli_muda", golongan="III/c", nip="198102022006021002",
                     nama="Eko Prasetyo", tmt=date(2023, 4, 1))  # fmt: skip
    with tenancy.scope(kab):
        for h in (a, b):
            mutasi_tambah(h, JenisMutasi.AWAL, Decimal("130"), oleh=pic_kab, periode_mulai=date(2025, 1, 1))
    nomor = "SK.800/KP/2026/001"
    _catat(pic_kab, a, golongan=_gol("III/d"), sk_nomor=nomor)
    with pytest.raises(ValidationError) as exc:
        _catat(pic_kab, b, golongan=_gol("III/d"), sk_nomor=nomor)
    assert "sudah tercatat untuk Citra Dewi" in _pesan(exc.value)["sk_nomor"]
    assert 'centang "SK kolektif"' in _pesan(exc.value)["sk_nomor"]
    kemarin = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        _catat(pic_kab, b, golongan=_gol("III/d"), sk_nomor=nomor, sk_tanggal=kemarin, sk_kolektif=True)
    assert "tanggal SK harus sama" in _pesan(exc.value)["sk_tanggal"]
    with tenancy.scope(kab):
        assert MutasiAK.objects.filter(dokumen_nomor=nomor).count() == 1
    m = _catat(pic_kab, b, golongan=_gol("III/d"), sk_nomor=nomor, sk_kolektif=True)
    assert m.pejabat_id == b.pk and m.dokumen_nomor == nomor


def test_the_form_offers_only_the_next_golongan_and_none_at_the_top(pic_kab, kab, jfak):
    from apps.jabatan.forms import KenaikanPangkatForm

    muda = buat_pejabat(kab, jfak, jenjang_kode="ahli_muda", golongan="III/c", nip="198001012005011001",
                        nama="Citra Dewi", tmt=date(2023, 4, 1))  # fmt: skip
    puncak = buat_pejabat(kab, jfak, jenjang_kode="ahli_muda", golongan="III/d", nip="198102022006021002",
                          nama="Eko Prasetyo", tmt=date(2023, 4, 1))  # fmt: skip
    with tenancy.scope(kab):
        choices = list(KenaikanPangkatForm(pejabat=muda).fields["golongan"].choices)
        assert [str(label) for _v, label in choices] == [str(_gol("III/d"))]
        choices = list(KenaikanPangkatForm(pejabat=puncak).fields["golongan"].choices)
    assert len(choices) == 1 and "pangkat tertinggi jenjang ini" in str(choices[0][1])


def test_no_kenaikan_pangkat_without_the_pak_that_met_the_threshold(client, pic_kab, kab, jfak):
    """Issue 19 walk: a holder past the threshold through PIC-entered predikat only (no usulan, no
    Tim Penilai, no PAK) was raised III/c → III/d with "— tidak ada PAK di portal —". Seed 004:
    the kenaikan rests on the PAK; without a portal PAK, the PAK issued outside the portal is
    recorded with its number, date and file (audited)."""
    citra = buat_pejabat(kab, jfak, jenjang_kode="ahli_muda", golongan="III/c", nip="198001012005011001",
                         nama="Citra Dewi", tmt=date(2023, 4, 1))  # fmt: skip
    with tenancy.scope(kab):
        mutasi_tambah(citra, JenisMutasi.AWAL, Decimal("130"), oleh=pic_kab, periode_mulai=date(2025, 1, 1))
    client.force_login(pic_kab)
    hari_ini = timezone.localdate()
    data = {"golongan": _gol("III/d").pk, "tmt_golongan": (hari_ini + timedelta(days=30)).isoformat(),
            "sk_nomor": "SK-KP/9/2026", "sk_tanggal": hari_ini.isoformat(), "pak": ""}  # fmt: skip
    r = client.post(f"/pejabat-fungsional/{citra.pk}/kenaikan-pangkat/", data)
    teks = r.content.decode()
    assert "Kenaikan pangkat dicatat setelah PAK yang memenuhi ambang" in teks
    assert "Isi nomor PAK yang menjadi dasar kenaikan pangkat" in teks and "Unggah berkas PAK (PDF)" in teks
    with tenancy.scope(kab):
        citra.refresh_from_db()
        assert citra.golongan.kode == "III/c"
        assert not MutasiAK.objects.filter(pejabat=citra, jenis="kenaikan_pangkat").exists()
    # The API refuses the same, field by field.
    api = f"/api/v1/pejabat-fungsional/{citra.pk}/kenaikan-pangkat/"
    body = {"golongan": "III/d", "tmt_golongan": data["tmt_golongan"], "sk_nomor": "SK-KP/9/2026",
            "sk_tanggal": data["sk_tanggal"], "pak_luar_nomor": "PAK/1/2023"}  # fmt: skip
    r = client.post(api, body, content_type="application/json")
    assert r.status_code == 400 and set(r.json()) >= {"pak_luar_tanggal", "pak_luar_berkas"}, r.content
    # A PAK dated in the future is refused; with a real pre-portal PAK it is recorded, audited.
    luar = pak_luar() | {"pak_luar_tanggal": (hari_ini + timedelta(days=2)).isoformat()}
    r = client.post(f"/pejabat-fungsional/{citra.pk}/kenaikan-pangkat/", data | luar)
    assert "Tanggal PAK tidak boleh sesudah hari ini" in r.content.decode()
    luar = pak_luar() | {"pak_luar_tanggal": "2023-12-20"}
    r = client.post(f"/pejabat-fungsional/{citra.pk}/kenaikan-pangkat/", data | luar)
    assert r.status_code == 302, r.content.decode()[:3000]
    with tenancy.scope(kab):
        m = MutasiAK.objects.get(pejabat=citra, jenis="kenaikan_pangkat")
        assert (m.pak_luar_nomor, m.pak_luar_tanggal, m.nilai) == ("PAK/821/2023", date(2023, 12, 20), Decimal("-100"))
        assert m.pak_luar_berkas.name and len(m.pak_luar_berkas_sha256) == 64
        assert "dasar PAK di luar portal PAK/821/2023" in m.keterangan
        log = AuditLog.objects.filter(action="jabatan.naik_pangkat").latest("pk")
        assert log.data["pak_luar"]["nomor"] == "PAK/821/2023"


def test_after_a_kenaikan_pangkat_the_pages_show_one_ak_kumulatif_with_its_explanation(client, pak_budi, pic_kab, kab):
    """Fresh-eye walk: after the kenaikan pangkat the PIC's page showed "Saldo angka kredit 12,5"
    beside "AK kumulatif untuk kenaikan jenjang 62,5" (and the holder's ledger a "saldo" 12,5):
    which counts? Now one figure — the AK kumulatif that counts now (62,5 toward Ahli Muda: III/b
    is Ahli Pertama's top pangkat) — with why the 50 used by the kenaikan pangkat does not lower it."""
    import re

    budi, _u = pak_budi
    with tenancy.scope(kab):
        user = akses.pejabat_undang(actor=pic_kab, pejabat=budi, email="budi.kp@uji.siaks.go.id")
    _catat(pic_kab, budi)
    client.force_login(pic_kab)
    halaman = {"pic": client.get(f"/pejabat-fungsional/{budi.pk}/").content.decode()}
    client.force_login(user)
    halaman["saya"] = client.get("/saya/").content.decode()
    for siapa, page in halaman.items():
        assert re.findall(r'data-testid="kumulatif">([^<]*)<', page) == ["62,5"], siapa
        assert "Saldo" not in page, siapa
        teks = " ".join(re.search(r'data-testid="kumulatif-penjelasan">([^<]*)<', page).group(1).split())
        assert "Kenaikan pangkat ke III/b" in teks and "memakai 50 angka kredit" in teks, siapa
        assert "AK untuk kenaikan jenjang tidak berkurang" in teks, siapa
        assert 'data-testid="pangkat-puncak">Pangkat tertinggi jenjang ini' in page, siapa
    # The API gives the same figure as the pages (it gave the plain ledger sum, 12,5), and the
    # plain sum under its own name (issue 19 fresh-eye walk).
    for who, url in ((pic_kab, f"/api/v1/pejabat-fungsional/{budi.pk}/"), (user, "/api/v1/saya/")):
        client.force_login(who)
        body = client.get(url).json()
        detail = body.get("pejabat", body)
        assert (detail["ak_kumulatif"], detail["ak_kumulatif_untuk"], detail["ak_jumlah_buku"]) == (
            "62.500",
            "jenjang",
            "12.500",
        ), url


def test_the_ak_that_counts_now_toward_the_next_pangkat_explains_the_kenaikan_pangkat_and_the_jenjang_total():
    """Ahli Muda III/c (50 for III/d, 200 for Ahli Madya): 120 AK, a kenaikan pangkat used 50 —
    70 counts toward the next pangkat (met); toward the jenjang 120 of 200, untouched."""
    from types import SimpleNamespace

    from apps.jabatan.domain import Ambang

    rows = [
        SimpleNamespace(pk=1, jenis="awal", nilai=Decimal("100"), rincian={}, periode_mulai=date(2024, 1, 1),
                        periode_selesai=None, created_at=timezone.now()),
        SimpleNamespace(pk=2, jenis="konversi", nilai=Decimal("20"), rincian={}, periode_mulai=date(2024, 1, 1),
                        periode_selesai=date(2024, 12, 31), created_at=timezone.now()),
        SimpleNamespace(pk=3, jenis="kenaikan_pangkat", nilai=Decimal("-50"), rincian={"ke_golongan": "III/d"},
                        periode_mulai=date(2025, 4, 1), periode_selesai=None, created_at=timezone.now()),
    ]  # fmt: skip
    a = Ambang(ak_pangkat=Decimal("70"), ak_jenjang=Decimal("120"), pangkat=Decimal("50"), jenjang=Decimal("200"))
    b = selectors.ak_berlaku(a, rows, jenjang_berikut=SimpleNamespace(nama="Ahli Madya"))
    assert (b["ak"], b["tujuan"], b["syarat"], b["memenuhi"]) == (Decimal("70"), "pangkat", Decimal("50"), True)
    assert b["untuk"] == "untuk kenaikan pangkat berikutnya"
    assert b["penjelasan"] == (
        "Kenaikan pangkat ke III/d (TMT 1 April 2025) memakai 50 angka kredit (baris minus di buku angka kredit); "
        "sisanya dibawa ke kenaikan pangkat berikutnya. Untuk kenaikan jenjang ke Ahli Madya dihitung terpisah, "
        "tanpa dikurangi kenaikan pangkat: 120 dari ambang 200."
    )
