"""Issue 17, fresh-eye walk item 1 (helper i17d): ``ttd_demo --sk`` issued its SKs on a rekomendasi
nobody signed, made outside the services (which refuse an SK while its rekomendasi is unsigned).
It now goes through the portal's order and services: the sidang's berita acara signed by the
members present, the rekomendasi issued and signed by the pembina's demo official, then the SKs
issued by the PPK's ``sk_terbitkan`` — electronically where the development TSA answers, else by
the documented fallback (the wet-signed scan uploaded with its reason)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.surat.models import JenisSurat, Surat, SuratUsulan, VersiSurat
from apps.ttd import services
from apps.ttd.models import TandaTangan
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import PKCS12_PASSPHRASE
from tests.ttd.test_perintah import konfirmasi_ak_semua

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(referensi, instansi_a, staf, settings, tmp_path):
    settings.DEBUG = True
    settings.SIAKS_TTD_DEV_DIR = tmp_path / "ttd-uji"
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    konfirmasi_ak_semua()  # as demo_data does for make run
    return UserFactory(username="ppk.kemenhub", instansi=instansi_a, roles=["ppk"], nama_lengkap="Hendra Gunawan")


def _berlaku(surat) -> VersiSurat:
    return VersiSurat.objects.select_related("surat").get(surat=surat, diganti_at__isnull=True)


def _periksa_urutan(instansi_a, n: int) -> dict:
    """Every demo SK rests on a rekomendasi signed before it, which rests on a berita acara signed
    before that; returns how each was signed."""
    with all_tenants():
        sk = list(Surat.objects.filter(jenis=JenisSurat.SK, instansi=instansi_a).order_by("nomor_urut"))
        assert len(sk) == n and all(s.penandatangan_nip == "196805121993031002" for s in sk)
        rekomendasi = {s.rekomendasi for s in sk}
        assert len(rekomendasi) == 1 and None not in rekomendasi
        (rekomendasi,) = rekomendasi
        v_rek = _berlaku(rekomendasi)
        assert services.ditandatangani(v_rek), "the demo's SKs rest on an unsigned rekomendasi"
        ttd_rek = TandaTangan.objects.filter(versi=v_rek, status="selesai")
        assert max(t.selesai_at or t.created_at for t in ttd_rek) < min(s.created_at for s in sk)
        # The rekomendasi lists the SKs' usulan; the berita acara of their sidang is signed too.
        usulan = set(SuratUsulan.objects.filter(surat__in=sk).values_list("usulan_id", flat=True))
        assert usulan <= set(
            SuratUsulan.objects.filter(surat=rekomendasi, direkomendasikan=True).values_list("usulan_id", flat=True)
        )
        (ba,) = Surat.objects.filter(jenis=JenisSurat.BERITA_ACARA, baris__usulan__in=usulan).distinct()
        v_ba = _berlaku(ba)
        assert services.ditandatangani(v_ba)
        assert (
            max(t.selesai_at or t.created_at for t in TandaTangan.objects.filter(versi=v_ba)) < rekomendasi.created_at
        )
        # The SKs wait for the PPK's signature (rendered by the worker).
        assert all(not services.ditandatangani(s.versi_set.get()) for s in sk)
        return {
            "ba": sorted(TandaTangan.objects.filter(versi=v_ba).values_list("cara", flat=True)),
            "rekomendasi": list(ttd_rek.values_list("cara", "pejabat__user__username")),
        }


def test_the_demo_signs_the_berita_acara_and_the_rekomendasi_before_issuing_the_sks(demo, instansi_a):
    call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    cara = _periksa_urutan(instansi_a, 2)
    # Electronically, by the three members present and by the pembina's demo official.
    assert cara["ba"] == ["elektronik", "elektronik", "elektronik"]
    assert cara["rekomendasi"] == [("elektronik", "admin.kemnaker")]


def test_without_the_tsa_the_demo_uploads_the_wet_signed_scans_with_the_reason(demo, instansi_a, settings):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        settings.SIAKS_TTD_TSA_URL = f"http://127.0.0.1:{s.getsockname()[1]}/"
    call_command("ttd_demo", sk=1, pejabat="ppk.kemenhub")
    cara = _periksa_urutan(instansi_a, 1)
    assert cara["ba"] == ["manual"] and [c for c, _u in cara["rekomendasi"]] == ["manual"]
    with all_tenants():
        assert all(
            "layanan cap waktu (TSA) pengembangan tidak berjalan" in t.alasan_manual
            for t in TandaTangan.objects.filter(cara="manual")
        )
