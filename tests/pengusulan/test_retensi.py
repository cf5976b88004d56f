"""Data retention (UU 27/2022 PDP) with a frozen clock: what is due is deleted or anonymised,
never a letter and never anything under a legal hold; a pegawai's data is exported on request
and erased where the law allows; every step is audited."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.pengusulan import retensi, services
from apps.pengusulan.models import Dokumen, Pegawai, Usulan
from tests.pengusulan.conftest import upload_all_mandatory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.get_fixed_timezone(7 * 60))


def _all():
    return tenancy.all_tenants(reason="the test reads every instansi")


def _entries(prefix):
    with _all():
        return list(AuditLog.objects.filter(action__startswith=prefix).order_by("id"))


@pytest.fixture
def draf(pic, make_pegawai, aks, formasi_aks):
    """make(nip, nama): a draft usulan with every mandatory document, created at T0."""

    def make(nip: str, nama: str) -> Usulan:
        with time_machine.travel(T0, tick=False):
            pegawai = make_pegawai(nip=nip, nama=nama)
            with tenancy.scope(pic.instansi):
                usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
            upload_all_mandatory(pic, usulan)
        return usulan

    return make


def _files(usulan) -> list[Path]:
    with _all():
        return [Path(d.berkas.path) for d in Dokumen.objects.filter(usulan=usulan)]


def test_drafts_never_submitted_are_deleted_when_due_except_under_a_legal_hold(draf, settings):
    settings.SIAKS_RETENSI = {"draf": 180}
    biasa = draf("19860926 201505 1 001", "Dewi Anggraini")
    ditahan = draf("19860926 201505 1 002", "Rina Marlina")
    retensi.tahan(ditahan.pegawai, aktif=True, alasan="Perkara PTUN nomor 12/G/2026")
    files = _files(biasa)
    assert files and all(f.exists() for f in files)

    with time_machine.travel(T0 + timedelta(days=179), tick=False):
        assert retensi.jalankan() == {"draf": 0}
    with time_machine.travel(T0 + timedelta(days=181), tick=False):
        assert retensi.jalankan() == {"draf": 1}
    with _all():
        assert not Usulan.objects.filter(pk=biasa.pk).exists()
        assert not Dokumen.objects.filter(usulan_id=biasa.pk).exists()
        assert Usulan.objects.filter(pk=ditahan.pk).exists()
        assert Pegawai.objects.filter(pk=biasa.pegawai_id).exists()  # the instansi's staff record stays
    assert not any(f.exists() for f in files)
    assert all(f.exists() for f in _files(ditahan))
    [entry] = _entries("retensi.draf")
    assert entry.data["id"] == [str(biasa.pk)] and entry.data["hari"] == 180
    assert [e.action for e in _entries("pdp.")] == ["pdp.tahan_hukum"]


def test_rejected_usulan_are_anonymised_and_finished_portfolios_removed_but_letters_kept(
    diputuskan,
    settings,
    client,
    staf,
):
    """A sidang decides one lulus and one tidak lulus, with a berita acara (a letter), on the walk's
    sidang day (tests.verifikasi.conftest.HARI_SIDANG): the retention periods run from it."""
    from apps.surat.models import Surat, VersiSurat
    from tests.surat.conftest import render_antrean
    from tests.verifikasi.conftest import HARI_SIDANG

    settings.SIAKS_RETENSI = {"usulan_ditolak": 730, "dokumen_selesai": 1825}
    [lulus], [gagal], _sidang = diputuskan(lulus=1, tidak=1)
    render_antrean()
    with _all():
        letters = {v.pk: (Path(v.berkas.path), v.sha256) for v in VersiSurat.objects.exclude(berkas="")}
        assert letters and Surat.objects.count() >= 1
        Usulan.objects.filter(pk=lulus.pk).update(status="sk_terbit")  # the SK path, shortened
        gagal_files = _files(gagal)
        lulus_files = _files(lulus)
    assert gagal_files and lulus_files

    with time_machine.travel(HARI_SIDANG + timedelta(days=729), tick=False):
        assert retensi.jalankan() == {"usulan_ditolak": 0, "dokumen_selesai": 0}  # not yet due
    with time_machine.travel(HARI_SIDANG + timedelta(days=731), tick=False):
        assert retensi.jalankan() == {"usulan_ditolak": 1, "dokumen_selesai": 0}
    with _all():
        gagal.refresh_from_db()
        assert gagal.pegawai_nama == retensi.ANONIM and gagal.pegawai_nip == "" and gagal.data_pegawai == {}
        assert gagal.dianonimkan_at is not None and gagal.status == "tidak_lulus"  # still counted
        assert all(d.dihapus_at and not d.berkas for d in Dokumen.objects.filter(usulan=gagal))
        lulus.refresh_from_db()
        assert lulus.pegawai_nama != retensi.ANONIM
    assert not any(f.exists() for f in gagal_files) and all(f.exists() for f in lulus_files)

    with time_machine.travel(HARI_SIDANG + timedelta(days=1826), tick=False):
        assert retensi.jalankan() == {"usulan_ditolak": 0, "dokumen_selesai": len(lulus_files)}
    assert not any(f.exists() for f in lulus_files)
    with _all():  # the letters: same rows, same files, same hashes
        assert {v.pk: (Path(v.berkas.path), v.sha256) for v in VersiSurat.objects.exclude(berkas="")} == letters
        dokumen = Dokumen.objects.filter(usulan=lulus).first()
    assert all(path.exists() for path, _sha in letters.values())
    # A removed file is a clear 404 for whoever may see the dossier, never a 500.
    client.force_login(staf["verifikator"])
    assert client.get(reverse("pengusulan:dokumen_unduh", args=[dokumen.pk])).status_code == 404


def test_old_audit_entries_and_login_records_go_but_a_held_usulan_keeps_its_trail(draf, settings, pic):
    from axes.models import AccessLog

    from apps.core import audit

    settings.SIAKS_RETENSI = {"audit": 1825, "login": 365}
    ditahan = draf("19860926 201505 1 003", "Sari Dewi")
    retensi.tahan(ditahan, aktif=True, alasan="Pemeriksaan Inspektorat")
    with time_machine.travel(T0, tick=False):
        lama = audit.record("usulan.diubah", actor=pic, instansi=pic.instansi, message="lama")
        masuk = audit.record("auth.masuk", actor=pic, instansi=pic.instansi)
        tentang_ditahan = audit.record("usulan.diubah", actor=pic, instansi=pic.instansi, obj=ditahan)
        AccessLog.objects.create(username="pic.kemenhub", ip_address="10.0.0.1", user_agent="uji")
    with time_machine.travel(T0 + timedelta(days=400), tick=False):
        baru = audit.record("auth.masuk", actor=pic, instansi=pic.instansi)
        hasil = retensi.jalankan()
    assert hasil["login"] == 2 and hasil["audit"] == 0
    with _all():
        assert not AuditLog.objects.filter(pk=masuk.pk).exists() and AuditLog.objects.filter(pk=baru.pk).exists()
    assert AccessLog.objects.count() == 0
    with time_machine.travel(T0 + timedelta(days=1830), tick=False):
        hasil = retensi.jalankan()
    with _all():
        assert not AuditLog.objects.filter(pk=lama.pk).exists()
        assert AuditLog.objects.filter(pk=tentang_ditahan.pk).exists()  # legal hold
    assert hasil["audit"] >= 1


def test_a_pegawai_data_is_exported_on_request_and_audited(draf, pic):
    usulan = draf("19860926 201505 1 004", "Ani Wulandari")
    out = StringIO()
    call_command("data_pribadi", "ekspor", "--instansi", pic.instansi.kode, "--nip", "198609262015051004", stdout=out)
    data = json.loads(out.getvalue())
    assert data["pegawai"]["nama"] == "Ani Wulandari" and data["pegawai"]["nip"] == "198609262015051004"
    assert [u["nomor"] for u in data["usulan"]] == [usulan.nomor]
    assert data["usulan"][0]["dokumen"] and data["usulan"][0]["surat"] == []
    [entry] = _entries("pdp.ekspor")
    assert entry.object_id == str(usulan.pegawai_id)


def test_erasure_is_refused_while_an_usulan_is_in_progress_and_done_when_the_law_allows(draf, pic, aks):
    usulan = draf("19860926 201505 1 005", "Budi Hartono")
    with _all():
        Usulan.objects.filter(pk=usulan.pk).update(status="verifikasi", diajukan_at=T0)
    with pytest.raises(CommandError, match="Usulan masih diproses"):
        call_command("data_pribadi", "hapus", "--instansi", pic.instansi.kode, "--nip", "198609262015051005")
    with _all():
        assert Pegawai.objects.get(pk=usulan.pegawai_id).nama == "Budi Hartono"
    assert [e.action for e in _entries("pdp.")] == ["pdp.hapus_ditolak"]

    with _all():
        Usulan.objects.filter(pk=usulan.pk).update(status="dibatalkan")
    files = _files(usulan)
    hasil = retensi.hapus_pegawai(usulan.pegawai, actor=pic)
    assert hasil == {"draf_dihapus": 0, "usulan_dianonimkan": 1}
    with _all():
        pegawai = Pegawai.objects.get(pk=usulan.pegawai_id)
        usulan.refresh_from_db()
    assert pegawai.nama == retensi.ANONIM and pegawai.tanggal_lahir is None and "198609262015051005" not in pegawai.nip
    assert usulan.pegawai_nama == retensi.ANONIM and not any(f.exists() for f in files)
    assert [e.action for e in _entries("pdp.")] == ["pdp.hapus_ditolak", "pdp.dihapus"]


def test_erasure_is_refused_under_a_legal_hold(draf):
    usulan = draf("19860926 201505 1 006", "Citra Lestari")
    retensi.tahan(usulan.pegawai, aktif=True, alasan="Sengketa kepegawaian")
    with pytest.raises(ValidationError, match="ditahan untuk keperluan hukum"):
        retensi.hapus_pegawai(usulan.pegawai)
    with _all():
        assert Usulan.objects.filter(pk=usulan.pk).exists()


def test_the_schedule_is_configuration_with_documented_defaults():
    from django.conf import settings as django_settings

    jadwal = retensi.jadwal()
    assert set(jadwal) == set(retensi.KELAS) == set(django_settings.SIAKS_RETENSI)
    runbook = (Path(__file__).resolve().parents[2] / "docs" / "operasi.md").read_text()
    for kelas, hari in jadwal.items():
        variable = f"SIAKS_RETENSI_{kelas.upper()}_HARI"
        assert variable in runbook and str(hari) in runbook, kelas
    assert django_settings.CELERY_BEAT_SCHEDULE["retensi-data"]["task"] == "pengusulan.retensi_data"


def test_the_pic_downloads_and_erases_a_pegawai_data_from_the_page(client, draf, pic, pic_b):
    usulan = draf("19860926 201505 1 007", "Dian Puspita")
    pegawai = usulan.pegawai
    client.force_login(pic)
    assert (
        "Data pribadi (UU 27/2022 PDP)"
        in client.get(reverse("pengusulan:pegawai_detail", args=[pegawai.pk])).content.decode()
    )
    response = client.get(reverse("pengusulan:pegawai_data_pribadi", args=[pegawai.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)["pegawai"]["nama"] == "Dian Puspita"

    # Without the NIP typed in, nothing happens.
    url = reverse("pengusulan:pegawai_hapus_data", args=[pegawai.pk])
    page = client.post(url, {"konfirmasi_nip": "salah"}, follow=True)
    assert "Ketik NIP pegawai" in page.content.decode()
    with _all():
        assert Pegawai.objects.get(pk=pegawai.pk).nama == "Dian Puspita"

    # Another instansi's PIC: 404 for both.
    other = Client()
    other.force_login(pic_b)
    assert other.get(reverse("pengusulan:pegawai_data_pribadi", args=[pegawai.pk])).status_code == 404
    assert other.post(url, {"konfirmasi_nip": pegawai.nip}).status_code == 404

    page = client.post(url, {"konfirmasi_nip": "19860926 201505 1 007"}, follow=True)
    assert "telah dihapus" in page.content.decode()
    with _all():
        assert Pegawai.objects.get(pk=pegawai.pk).nama == retensi.ANONIM
        assert not Usulan.objects.filter(pk=usulan.pk).exists()  # a draft: deleted
    assert [e.action for e in _entries("pdp.")] == ["pdp.ekspor", "pdp.dihapus"]


def test_a_refused_erasure_from_the_page_is_shown_and_audited(client, draf, pic):
    usulan = draf("19860926 201505 1 008", "Eka Saputra")
    with _all():
        Usulan.objects.filter(pk=usulan.pk).update(status="penilaian", diajukan_at=T0)
    client.force_login(pic)
    url = reverse("pengusulan:pegawai_hapus_data", args=[usulan.pegawai_id])
    page = client.post(url, {"konfirmasi_nip": "198609262015051008"}, follow=True)
    assert "Usulan masih diproses" in page.content.decode()
    with _all():
        assert Pegawai.objects.get(pk=usulan.pegawai_id).nama == "Eka Saputra"
    assert [e.action for e in _entries("pdp.hapus_ditolak")] == ["pdp.hapus_ditolak"]


def test_the_export_clean_up_follows_the_retention_schedule(settings, pic):
    from django.core.files.base import ContentFile

    from apps.rekap.models import Ekspor
    from apps.rekap.tasks import bersihkan_ekspor

    settings.SIAKS_RETENSI = {"ekspor": 30}
    job = Ekspor.objects.create(user=pic, jenis="inbox", format="csv", status="selesai")
    job.berkas.save("lama.csv", ContentFile(b"a,b\n"))
    Ekspor.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert bersihkan_ekspor.apply().get() == 0 and retensi.jalankan() == {"ekspor": 0}
    Ekspor.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert retensi.jalankan() == {"ekspor": 1}
    assert not Ekspor.objects.filter(pk=job.pk).exists() and not job.berkas.storage.exists(job.berkas.name)
