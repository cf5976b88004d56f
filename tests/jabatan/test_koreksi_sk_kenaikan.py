"""A corrected SK kenaikan jenjang (issue 19 §6, fresh-eye walk 2): the holder record the SK moved
up follows the jenjang and TMT the new version states, as the inpassing SK's holders do
(tests/jabatan/test_koreksi_sk.py): audited, the ledger keeps its history (a ``koreksi`` of the
``kenaikan_jenjang`` row, never an edit of it), and refused with the reason once a movement rests
on the old facts. The corrected SK still names the jenjang the holder left."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.jabatan import kenaikan
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.jabatan.selectors import ak_kumulatif, pejabat_list
from apps.jabatan.services import mutasi_tambah
from apps.pengusulan import services as pic_services
from apps.pengusulan.models import Usulan
from apps.referensi.models import Jenjang
from apps.surat import services as surat_services
from apps.surat.models import VersiSurat
from tests.jabatan.test_kenaikan_jenjang import _sk, _ttd, pemegang  # noqa: F401 - the fixture
from tests.pengusulan.conftest import ON, upload_all_mandatory
from tests.surat.conftest import PENANDATANGAN, TANGGAL, all_tenants, tandatangani_ba, tandatangani_basah
from tests.verifikasi.conftest import as_user, pada, seleksi_lulus, sidang_lulus

pytestmark = pytest.mark.django_db

TMT_BARU = date(2026, 9, 1)


@pytest.fixture
def naik(pemegang, pic_pk, ppk_pk, staf, tim, pk):  # noqa: F811
    """The first holder through kenaikan jenjang Ahli Muda → Ahli Madya to "SK terbit"."""
    h1 = pemegang["holders"][0]
    with tenancy.scope(pic_pk.instansi):
        h1.golongan_id = h1.jenjang.golongan_maks_id
        h1.save(update_fields=["golongan"])
        kurang = h1.jenjang.ak_kumulatif_jenjang - ak_kumulatif(h1)
        mutasi_tambah(
            h1, JenisMutasi.KONVERSI, kurang + Decimal("12.50"), oleh=pic_pk, periode_mulai=date(2026, 1, 1),
            periode_selesai=date(2026, 12, 31), predikat="baik", keterangan="Konversi 2026",
        )  # fmt: skip
        usulan = kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=h1)
    upload_all_mandatory(pic_pk, usulan)
    with tenancy.scope(pic_pk.instansi), pada(ON):
        usulan = pic_services.usulan_ajukan(actor=pic_pk, usulan=usulan, on=ON)
    (usulan,) = seleksi_lulus([usulan], staf)
    sidang = sidang_lulus(staf, tim, [usulan], hari=date(2026, 7, 1))
    tandatangani_ba(sidang, staf["admin"])
    with as_user(staf["admin"]):
        rekomendasi = surat_services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=pic_pk.instansi.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_basah(rekomendasi, staf["admin"])
    (sk,) = _sk(ppk_pk, [usulan])
    _ttd(ppk_pk, sk)
    with tenancy.scope(pic_pk.instansi):
        h1.refresh_from_db()
    assert (h1.jenjang.kode, h1.tmt_jabatan) == ("ahli_madya", TANGGAL)
    return usulan, sk, h1


def _koreksi(ppk, sk, **perubahan):
    with as_user(ppk), transaction.atomic():  # a savepoint, as the views' penolakan() gives it
        return surat_services.surat_koreksi(actor=ppk, surat=sk, alasan="Data SK keliru", perubahan=perubahan)


def test_a_corrected_sk_kenaikan_jenjang_moves_the_record_and_keeps_the_ledgers_history(naik, ppk_pk, pic_pk, pk):
    usulan, sk, h1 = naik
    instansi = pic_pk.instansi
    with tenancy.scope(instansi):
        baris = MutasiAK.objects.get(pejabat=h1, jenis=JenisMutasi.KENAIKAN_JENJANG)
        h1_tmt_lama = date.fromisoformat(baris.rincian["tmt_jabatan_lama"])
        sebelum = ak_kumulatif(h1)
    versi = _koreksi(ppk_pk, sk, tmt=TMT_BARU)
    # The corrected SK still names the jenjang the holder left (not the one the SK gave).
    assert versi.isi["pegawai"][0]["jabatan_lama"] == f"{pk.nama} Ahli Muda"
    with tenancy.scope(instansi):
        h1.refresh_from_db()
        assert (h1.tmt_jabatan, h1.jenjang.kode) == (TMT_BARU, "ahli_madya")
        koreksi = MutasiAK.objects.filter(pejabat=h1).latest("id")
        assert (koreksi.jenis, koreksi.mengoreksi_id, koreksi.nilai, koreksi.periode_mulai, koreksi.surat_id) == (
            JenisMutasi.KOREKSI, baris.pk, 0, TMT_BARU, sk.pk,
        )  # fmt: skip
        baris.refresh_from_db()
        assert (baris.periode_mulai, baris.nilai) == (TANGGAL, Decimal("-200"))  # the row itself is untouched
        assert ak_kumulatif(h1) == sebelum
        log = AuditLog.objects.get(action="jabatan.ikut_koreksi_sk", object_id=str(h1.pk))
    assert f"SK kenaikan jenjang {sk.nomor} versi 2" in log.message
    assert "TMT jabatan 3 Agustus 2026 → 1 September 2026" in log.message
    assert log.data["sebelum"] == {"tmt": "2026-08-03"} and log.data["sesudah"] == {"tmt": "2026-09-01"}
    # Between the SK's first TMT and the corrected one, the jenjang left is the one in force (the
    # kenaikan row keeps its first date; the koreksi row the new one): on the page, lists and API.
    with time_machine.travel(date(2026, 8, 15), tick=False), tenancy.scope(instansi):
        for h in (PejabatFungsional.objects.get(pk=h1.pk), pejabat_list().get(pk=h1.pk)):
            assert h.jenjang_belum_berlaku and (h.jenjang_berlaku.kode, h.jenjang_berlaku.tmt_jabatan) == (
                "ahli_muda", h1_tmt_lama,
            )  # fmt: skip

    # The SK corrected to another jenjang (the data it re-reads states Ahli Utama): the record follows.
    with tenancy.scope(instansi):
        utama = Jenjang.objects.get(jf=pk, kode="ahli_utama")
        Usulan.objects.filter(pk=usulan.pk).update(jenjang=utama)
    versi = _koreksi(ppk_pk, sk)
    assert versi.isi["pegawai"][0]["jenjang"] == "Ahli Utama"
    with tenancy.scope(instansi):
        h1.refresh_from_db()
        assert (h1.jenjang_id, h1.kelas_jabatan, h1.tmt_jabatan) == (utama.pk, utama.kelas_jabatan, TMT_BARU)
        assert MutasiAK.objects.filter(pejabat=h1, jenis=JenisMutasi.KOREKSI, mengoreksi=baris).count() == 2
        # Back to Ahli Madya, then a konversi recorded in the new jenjang rests on the TMT.
        Usulan.objects.filter(pk=usulan.pk).update(jenjang=Jenjang.objects.get(jf=pk, kode="ahli_madya"))
    _koreksi(ppk_pk, sk)
    with tenancy.scope(instansi):
        h1.refresh_from_db()
        assert h1.jenjang.kode == "ahli_madya"
        mutasi_tambah(
            h1, JenisMutasi.KONVERSI, Decimal("3"), oleh=pic_pk, periode_mulai=date(2027, 1, 1),
            periode_selesai=date(2027, 3, 31), predikat="baik", keterangan="Konversi 2027",
        )  # fmt: skip
        n = MutasiAK.objects.filter(pejabat=h1).count()
    with pytest.raises(ValidationError) as e:
        _koreksi(ppk_pk, sk, tmt=date(2026, 10, 1))
    pesan = " ".join(e.value.messages)
    assert f"Koreksi SK {sk.nomor} tidak dapat diterapkan" in pesan and h1.nama in pesan
    with tenancy.scope(instansi):
        h1.refresh_from_db()
        assert h1.tmt_jabatan == TMT_BARU and MutasiAK.objects.filter(pejabat=h1).count() == n
    with all_tenants():
        assert VersiSurat.objects.filter(surat=sk).count() == 4
