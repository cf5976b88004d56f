"""An SK kenaikan jenjang whose TMT is still ahead (the SK signed at the end of a month, TMT the
first of the next): the record takes the new jenjang at "SK terbit", but the jenjang in force until
that TMT is the one it rises from, with its kelas jabatan and TMT jabatan. The holder's pages, the
list and the REST API say so — as they do for a kenaikan pangkat ahead (issue 19 F7) — and on the
TMT the new jenjang is the one in force. (Left from the re-check walk of issue 19: the pages showed
the new jenjang at once.)"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.format import tgl
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import JenjangBerlaku, PejabatFungsional
from apps.jabatan.services import mutasi_tambah
from tests.factories import UserFactory
from tests.jabatan.conftest import api_token, buat_pejabat, pejabat_di_api, teks_halaman
from tests.jabatan.test_pangkat_setelah_jenjang import _naik_jenjang

pytestmark = pytest.mark.django_db

TMT_LAMA = date(2020, 3, 1)


def _jenjang(d: dict) -> tuple:
    return (
        d["jenjang"], d["jenjang_nama"], d["kelas_jabatan"], d["tmt_jabatan"], d["jenjang_terjadwal"],
        d["tmt_jenjang_terjadwal"],
    )  # fmt: skip


@pytest.fixture
def naik_nanti(instansi_a, pk, pic_pk):
    """Yoga at Ahli Pertama since 2020, with an SK kenaikan jenjang to Ahli Muda whose TMT is 40
    days ahead; and the holder's own login."""
    login = UserFactory(username="yoga.pf", instansi=instansi_a, roles=["pejabat_fungsional"])
    yoga = buat_pejabat(instansi_a, pk, nip="199002282015031003", nama="Yoga Pratama", tmt=TMT_LAMA, user=login)
    tmt = timezone.localdate() + timedelta(days=40)
    with tenancy.scope(instansi_a):
        mutasi_tambah(yoga, JenisMutasi.AWAL, Decimal("110.5"), oleh=pic_pk, periode_mulai=TMT_LAMA)
        yoga = _naik_jenjang(yoga, tmt)
        lama = PejabatFungsional.objects.select_related("jenjang").get(pk=yoga.pk)
    assert lama.jenjang.kode == "ahli_muda" and lama.tmt_jabatan == tmt  # recorded at "SK terbit"
    return yoga, tmt, login


def test_the_pages_show_the_jenjang_in_force_and_the_one_ahead(client, naik_nanti, pic_pk, pk):
    yoga, tmt, login = naik_nanti
    kelas_lama = pk.jenjang.get(kode="ahli_pertama").kelas_jabatan
    client.force_login(pic_pk)

    detail = teks_halaman(client.get(reverse("jabatan:detail", args=[yoga.pk])))
    assert 'Jenjang</dt><dd class="col-7">Ahli Pertama <span' in detail
    assert f"naik ke Ahli Muda, berlaku mulai {tgl(tmt)}" in detail
    assert f'Kelas jabatan</dt><dd class="col-7">{kelas_lama}</dd>' in detail
    assert f'TMT jabatan</dt><dd class="col-7">{tgl(TMT_LAMA)}</dd>' in detail
    # The kenaikan panel says the step is made and when it takes effect, not the next one yet.
    assert f"SK kenaikan jenjang ke Ahli Muda sudah terbit dan berlaku mulai {tgl(tmt)}." in detail
    assert "Usulkan kenaikan jenjang" not in detail and "Uji kompetensi ke jenjang Ahli Madya" not in detail
    daftar = teks_halaman(client.get(reverse("jabatan:daftar")))
    assert f'{pk.nama} — Ahli Pertama <span class="small text-muted">(Ahli Muda mulai {tgl(tmt)})</span>' in daftar

    client.force_login(login)
    saya = teks_halaman(client.get(reverse("saya:beranda")))
    assert f"naik ke Ahli Muda, berlaku mulai {tgl(tmt)}" in saya
    assert f'TMT jabatan</dt><dd class="col-sm-7">{tgl(TMT_LAMA)}</dd>' in saya

    with time_machine.travel(tmt, tick=False):
        client.force_login(pic_pk)
        detail = teks_halaman(client.get(reverse("jabatan:detail", args=[yoga.pk])))
    assert 'Jenjang</dt><dd class="col-7">Ahli Muda</dd>' in detail and "berlaku mulai" not in detail
    assert f'TMT jabatan</dt><dd class="col-7">{tgl(tmt)}</dd>' in detail


def test_the_api_gives_the_jenjang_in_force_and_the_one_ahead(naik_nanti, pic_pk, pk):
    yoga, tmt, login = naik_nanti
    kelas_lama = pk.jenjang.get(kode="ahli_pertama").kelas_jabatan
    sebelum = ("ahli_pertama", "Ahli Pertama", kelas_lama, TMT_LAMA.isoformat(), "ahli_muda", tmt.isoformat())
    assert [_jenjang(d) for d in pejabat_di_api(pic_pk, login, yoga.pk)] == [sebelum] * 3

    with time_machine.travel(tmt, tick=False):
        r = api_token(pic_pk).get(f"/api/v1/pejabat-fungsional/{yoga.pk}/")
    kelas_baru = pk.jenjang.get(kode="ahli_muda").kelas_jabatan
    assert _jenjang(r.json()) == ("ahli_muda", "Ahli Muda", kelas_baru, tmt.isoformat(), None, None)


def test_the_list_reads_the_jenjang_in_force_without_a_query_per_holder(
    naik_nanti, instansi_a, pk, pic_pk, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_token(pic_pk)
    with CaptureQueriesContext(connection) as satu:
        assert api.get("/api/v1/pejabat-fungsional/").status_code == 200
    dewi = buat_pejabat(instansi_a, pk, nip="199105052015032004", nama="Dewi Lestari", tmt=TMT_LAMA)
    with tenancy.scope(instansi_a):
        mutasi_tambah(dewi, JenisMutasi.AWAL, Decimal("105"), oleh=pic_pk, periode_mulai=TMT_LAMA)
        _naik_jenjang(dewi, timezone.localdate() + timedelta(days=10))
    with django_assert_max_num_queries(len(satu)):
        r = api.get("/api/v1/pejabat-fungsional/")
    assert {b["nama"]: b["jenjang"] for b in r.json()["results"]} == {
        "Dewi Lestari": "ahli_pertama", "Yoga Pratama": "ahli_pertama",
    }  # fmt: skip


def test_a_kenaikan_jenjang_row_keeps_what_it_rises_from(naik_nanti, instansi_a, pk):
    from apps.jabatan.models import MutasiAK

    yoga, _tmt, _login = naik_nanti
    with tenancy.scope(instansi_a):
        rincian = MutasiAK.objects.get(pejabat=yoga, jenis=JenisMutasi.KENAIKAN_JENJANG).rincian
    assert (rincian["dari_jenjang_kode"], rincian["kelas_jabatan_lama"], rincian["tmt_jabatan_lama"]) == (
        "ahli_pertama", pk.jenjang.get(kode="ahli_pertama").kelas_jabatan, TMT_LAMA.isoformat(),
    )  # fmt: skip


def test_a_pak_in_the_waiting_time_names_the_jenjang_in_force(naik_nanti, instansi_a, pk):
    """The PAK names the golongan in force on its date (issue 19 F7); the jenjang too."""
    from types import SimpleNamespace

    from apps.penetapan.isi import _pejabat

    yoga, tmt, _login = naik_nanti
    usulan = SimpleNamespace(
        pejabat_nama=yoga.nama, pejabat_nip=yoga.nip, jenjang=pk.jenjang.get(kode="ahli_muda"), instansi=instansi_a
    )
    with tenancy.scope(instansi_a):
        assert _pejabat(usulan, PejabatFungsional.objects.get(pk=yoga.pk))["jenjang"] == "Ahli Pertama"
        with time_machine.travel(tmt, tick=False):
            assert _pejabat(usulan, PejabatFungsional.objects.get(pk=yoga.pk))["jenjang"] == "Ahli Muda"


def test_a_kenaikan_row_written_before_the_kode_was_kept_still_tells_the_jenjang_in_force(
    instansi_a, pk, pic_pk, django_assert_max_num_queries
):
    """Rows written before the kenaikan kept dari_jenjang_kode, kelas_jabatan_lama and
    tmt_jabatan_lama: the jenjang (and its kelas) by name within the JF; the TMT is not known."""
    pertama, muda = pk.jenjang.get(kode="ahli_pertama"), pk.jenjang.get(kode="ahli_muda")
    dewi = buat_pejabat(instansi_a, pk, nip="199105052015032004", nama="Dewi Lestari", tmt=TMT_LAMA)
    tmt = timezone.localdate() + timedelta(days=20)
    with tenancy.scope(instansi_a):
        mutasi_tambah(
            dewi, JenisMutasi.KENAIKAN_JENJANG, Decimal("-100"), oleh=pic_pk, periode_mulai=tmt, jenjang=muda,
            rincian={"usulan": "KJ-LAMA", "dari_jenjang": pertama.nama, "ke_jenjang": muda.nama},
        )  # fmt: skip
        PejabatFungsional.objects.filter(pk=dewi.pk).update(
            jenjang=muda, kelas_jabatan=muda.kelas_jabatan, tmt_jabatan=tmt
        )
        dewi = PejabatFungsional.objects.select_related("jenjang").get(pk=dewi.pk)
        with django_assert_max_num_queries(2):
            berlaku = dewi.jenjang_berlaku
    assert dewi.jenjang_belum_berlaku
    assert berlaku == JenjangBerlaku("ahli_pertama", "Ahli Pertama", pertama.kelas_jabatan, None)


def test_the_jenjang_filters_and_counts_read_the_jenjang_in_force(client, naik_nanti, pic_pk, pk):
    """The list's jenjang filter, its count per jenjang and the API's ``?jenjang=`` put the holder
    under the jenjang in force (Ahli Pertama), not the recorded one, until the TMT."""
    _yoga, tmt, _login = naik_nanti
    pertama, muda = pk.jenjang.get(kode="ahli_pertama"), pk.jenjang.get(kode="ahli_muda")
    client.force_login(pic_pk)

    def halaman(jenjang) -> str:
        return teks_halaman(client.get(reverse("jabatan:daftar"), {"jf": pk.pk, "jenjang": jenjang.pk}))

    def api(kode, **jf) -> list[str]:
        r = api_token(pic_pk).get("/api/v1/pejabat-fungsional/", {"jenjang": kode, **jf})
        return [b["nama"] for b in r.json()["results"]]

    assert "Yoga Pratama" in halaman(pertama) and "Yoga Pratama" not in halaman(muda)
    assert "Tidak ada pejabat fungsional yang sesuai dengan saringan ini." in halaman(muda)
    assert f"{pk.nama} — Ahli Pertama: <strong>1</strong>" in halaman(pertama)
    assert f"{pk.nama} — Ahli Muda:" not in halaman(pertama)
    assert (api("ahli_pertama"), api("ahli_muda")) == (["Yoga Pratama"], [])
    assert (api("ahli_pertama", jf=pk.kode), api("ahli_muda", jf=pk.kode)) == (["Yoga Pratama"], [])
    assert api("tidak_ada") == [] and api("ahli_pertama", jf="aks") == []

    with time_machine.travel(tmt, tick=False):
        client.force_login(pic_pk)
        assert "Yoga Pratama" in halaman(muda) and "Yoga Pratama" not in halaman(pertama)
        assert f"{pk.nama} — Ahli Muda: <strong>1</strong>" in halaman(muda)
        assert (api("ahli_pertama"), api("ahli_muda")) == ([], ["Yoga Pratama"])


def test_the_pembina_recap_counts_the_jenjang_in_force(client, naik_nanti, instansi_a, pk, staf):
    _yoga, tmt, _login = naik_nanti

    def rekap() -> dict:
        r = api_token(staf["admin"]).get("/api/v1/pembina/pejabat-fungsional/rekap/")
        return {(b["instansi"], b["jenjang"]): b["jumlah"] for b in r.json()["baris"]}

    assert rekap() == {(instansi_a.nama, "Ahli Pertama"): 1}
    client.force_login(staf["admin"])
    halaman = teks_halaman(client.get(reverse("jabatan:rekap")))
    assert f'<td>{instansi_a.nama}</td><td>Ahli Pertama</td><td class="text-end">1</td>' in halaman
    with time_machine.travel(tmt, tick=False):
        assert rekap() == {(instansi_a.nama, "Ahli Muda"): 1}


def test_no_kenaikan_jenjang_from_a_jenjang_not_held_yet(naik_nanti, instansi_a, pk, pic_pk):
    """The page offers no next step in the waiting time, and the service refuses it with the reason."""
    from django.core.exceptions import ValidationError

    from apps.jabatan import kenaikan

    yoga, tmt, _login = naik_nanti
    with tenancy.scope(instansi_a), pytest.raises(ValidationError) as e:
        kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=yoga)
    assert e.value.messages == [
        f"Kenaikan jenjang Yoga Pratama ke Ahli Muda baru berlaku mulai {tgl(tmt)}; kenaikan jenjang berikutnya "
        "dapat diusulkan mulai tanggal itu."
    ]
