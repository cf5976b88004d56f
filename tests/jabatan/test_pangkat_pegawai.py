"""After a kenaikan pangkat the pegawai record follows the holder's record (issue 19): the
instansi's pegawai (the one the holder is linked to, or the one with the holder's NIP) takes the new
golongan and TMT golongan in the same transaction, audited; a TMT ahead set this way does not make
the pegawai's own form refuse a later edit, while a TMT ahead typed by hand still is refused."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.jabatan import pangkat
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import PejabatFungsional
from apps.jabatan.services import JabatanError, mutasi_tambah
from apps.pengusulan.models import Pegawai
from apps.referensi.models import Golongan
from tests.jabatan.conftest import buat_pejabat, pak_luar
from tests.penetapan import conftest as pc

pytestmark = pytest.mark.django_db

jfak, prov, kab, pic_kab = pc.jfak, pc.prov, pc.kab, pc.pic_kab

NIP = "198001012005011001"


def _gol(kode: str) -> Golongan:
    return Golongan.objects.get(kode=kode)


def _pegawai(instansi, *, golongan="III/c", tmt=date(2023, 4, 1)) -> Pegawai:
    with tenancy.scope(instansi):
        return Pegawai.objects.create(
            instansi=instansi, nip=NIP, nama="Citra Dewi", tanggal_lahir=date(1980, 1, 1),
            golongan=_gol(golongan), tmt_golongan=tmt, tmt_cpns=date(2005, 1, 1),
        )  # fmt: skip


def _citra(kab, jfak, pic_kab, **extra) -> PejabatFungsional:
    """Ahli Muda III/c with 130 AK (threshold 100 for III/d)."""
    h = buat_pejabat(kab, jfak, jenjang_kode="ahli_muda", golongan="III/c", nip=NIP, nama="Citra Dewi",
                     tmt=date(2023, 4, 1), **extra)  # fmt: skip
    with tenancy.scope(kab):
        mutasi_tambah(h, JenisMutasi.AWAL, Decimal("130"), oleh=pic_kab, periode_mulai=date(2025, 1, 1))
    return h


def _catat(pic, pejabat, **over):
    kw = {
        "golongan": _gol("III/d"),
        "tmt_golongan": timezone.localdate() + timedelta(days=30),
        "sk_nomor": "SK-KP/7/2026",
        "sk_tanggal": timezone.localdate(),
    } | over
    with pc.as_user(pic):
        if not pangkat.pak_tersedia(pejabat) and not {"pak", "pak_luar_nomor"} & set(over):
            kw |= pak_luar()  # the holder's PAK predates the portal: its recorded reference
        return pangkat.kenaikan_pangkat_catat(actor=pic, pejabat=pejabat, **kw)


def test_the_linked_pegawai_takes_the_new_golongan_and_tmt_audited(pic_kab, kab, jfak):
    pegawai = _pegawai(kab)
    h = _citra(kab, jfak, pic_kab, pegawai=pegawai)
    tmt = timezone.localdate() + timedelta(days=30)  # the SK precedes its TMT (seed 001)
    _catat(pic_kab, h, tmt_golongan=tmt)
    with tenancy.scope(kab):
        pegawai.refresh_from_db()
        h.refresh_from_db()
        entry = AuditLog.objects.filter(action="pegawai.diubah", object_id=str(pegawai.pk)).get()
        assert (pegawai.golongan.kode, pegawai.tmt_golongan) == ("III/d", tmt) == (h.golongan.kode, h.tmt_golongan)
        assert entry.actor_id == pic_kab.pk
        assert "dari III/c ke III/d" in entry.message and "SK-KP/7/2026" in entry.message
        # The pegawai's own form still saves (its TMT ahead came from the recorded SK) ...
        pegawai.full_clean()
        # ... while a TMT ahead typed by hand is refused as before.
        pegawai.tmt_golongan = tmt + timedelta(days=1)
        with pytest.raises(ValidationError) as exc:
            pegawai.full_clean()
        assert "tmt_golongan" in exc.value.message_dict


def test_an_imported_holders_pegawai_is_found_by_nip_and_never_lowered(pic_kab, kab, jfak):
    pegawai = _pegawai(kab)
    h = _citra(kab, jfak, pic_kab)  # imported: not linked to the pegawai
    _catat(pic_kab, h, tmt_golongan=timezone.localdate())
    with tenancy.scope(kab):
        pegawai.refresh_from_db()
        assert (pegawai.golongan.kode, pegawai.tmt_golongan) == ("III/d", timezone.localdate())
        # A pegawai the PIC already moved to a higher golongan by hand keeps it.
        pegawai.golongan, pegawai.tmt_golongan = _gol("IV/a"), date(2026, 1, 1)
        pegawai.save()
    kedua = buat_pejabat(kab, jfak, jenjang_kode="ahli_muda", golongan="III/c", nip="198101012006011002",
                         nama="Dodi", tmt=date(2023, 4, 1))  # fmt: skip
    with tenancy.scope(kab):
        mutasi_tambah(kedua, JenisMutasi.AWAL, Decimal("130"), oleh=pic_kab, periode_mulai=date(2025, 1, 1))
        Pegawai.objects.create(instansi=kab, nip=kedua.nip, nama="Dodi", golongan=_gol("III/d"),
                               tmt_golongan=date(2025, 10, 1))  # fmt: skip
    _catat(pic_kab, kedua, sk_nomor="SK-KP/8/2026", tmt_golongan=timezone.localdate())
    with tenancy.scope(kab):
        assert Pegawai.objects.get(nip=kedua.nip).tmt_golongan == date(2025, 10, 1)
        assert not AuditLog.objects.filter(action="pegawai.diubah", object_id=str(Pegawai.objects.get(
            nip=kedua.nip).pk)).exists()  # fmt: skip


def test_a_refused_kenaikan_leaves_the_pegawai_as_it_was(pic_kab, kab, jfak):
    pegawai = _pegawai(kab)
    h = _citra(kab, jfak, pic_kab, pegawai=pegawai)
    with pytest.raises(JabatanError):
        _catat(pic_kab, h, golongan=_gol("IV/a"))  # not the next golongan
    with tenancy.scope(kab):
        pegawai.refresh_from_db()
    assert (pegawai.golongan.kode, pegawai.tmt_golongan) == ("III/c", date(2023, 4, 1))
