"""The operator's commands: register a signing official (the PKCS#12 must open with the
environment's passphrase) and set a paraf chain."""

from __future__ import annotations

import pytest
from cryptography import x509
from django.core.management import CommandError, call_command

from apps.ttd.models import AlurParaf, Pejabat
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants
from tests.ttd.conftest import PKCS12_PASSPHRASE, ca_dev

pytestmark = pytest.mark.django_db


def test_register_an_official_and_a_paraf_chain(instansi_a, ca, tmp_path):
    UserFactory(username="ppk.cmd", instansi=instansi_a, roles=["ppk"])
    UserFactory(username="kabag.cmd", instansi=instansi_a, roles=["pic_instansi"])
    ident = ca.pejabat("Ir. Budi", nip="196805121993031002")
    wrong = tmp_path / "salah.p12"
    wrong.write_bytes(ident.pkcs12(b"bukan-passphrase-env"))
    args = ["--instansi", instansi_a.kode, "--user", "ppk.cmd", "--nama", "Ir. Budi", "--nip", "196805121993031002",
            "--jabatan", "Sekjen", "--backend", "pkcs12"]  # fmt: skip
    with pytest.raises(CommandError, match="tidak dapat dibuka"):
        call_command("ttd_pejabat", *args, "--p12", str(wrong))
    good = tmp_path / "ppk.p12"
    good.write_bytes(ident.pkcs12(PKCS12_PASSPHRASE.encode()))
    call_command("ttd_pejabat", *args, "--p12", str(good))
    with all_tenants():
        p = Pejabat.objects.get(user__username="ppk.cmd")
    assert p.sidik_jari == ident.sidik_jari and bytes(p.pkcs12) == good.read_bytes() and p.sertifikat_pem
    call_command("ttd_alur", "--instansi", instansi_a.kode, "--jenis", "sk", "--paraf", "kabag.cmd=Kabag Kepegawaian")
    with all_tenants():
        alur = AlurParaf.objects.get(instansi=instansi_a, jenis="sk")
        assert alur.aktif and [(s.user.username, s.sebutan) for s in alur.langkah.all()] == [
            ("kabag.cmd", "Kabag Kepegawaian")
        ]


def test_the_demo_officials_sign_with_a_development_ca_kept_across_restarts(instansi_a, settings, tmp_path):
    from pyhanko.sign import signers

    from apps.ttd.ca_uji import CAUji

    settings.DEBUG = True
    ca_dev(settings, tmp_path / "ttd-uji")
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    UserFactory(username="ppk.kemenhub", instansi=instansi_a, roles=["ppk"], nama_lengkap="Hendra Gunawan", nip="")
    call_command("ttd_demo")
    root = CAUji.muat_atau_buat(settings.SIAKS_TTD_DEV_DIR).root.sidik_jari
    call_command("ttd_demo")  # a second `make run`: same CA, the official kept (test_demo_idempoten.py)
    ca = CAUji.muat_atau_buat(settings.SIAKS_TTD_DEV_DIR)
    assert ca.root.sidik_jari == root
    with all_tenants():
        (p,) = Pejabat.objects.filter(user__username="ppk.kemenhub")
    signer = signers.SimpleSigner.load_pkcs12_data(bytes(p.pkcs12), [], PKCS12_PASSPHRASE.encode())
    assert signer.signing_cert.issuer.native["common_name"] == "CA Penanda Tangan Uji"
    assert (
        signer.signing_cert.authority_key_identifier
        == ca.intermediate.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    )
    assert p.nip == "196805121993031002" and p.user.nip == p.nip
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Hanya untuk pengembangan"):
        call_command("ttd_demo")


def test_the_demo_registers_every_member_so_the_berita_acara_can_be_fully_signed(
    diputuskan, staf, settings, tmp_path, client
):
    """`make run`: the ketua and each member present sign the berita acara (demo usernames)."""
    from django.urls import reverse

    from apps.surat.models import VersiSurat
    from apps.ttd import services
    from tests.surat.conftest import render_antrean
    from tests.ttd.conftest import ttd_antrean
    from tests.verifikasi.conftest import as_user

    settings.DEBUG = True
    ca_dev(settings, tmp_path / "ttd-uji")
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    _l, _t, sidang = diputuskan(1, 0, ttd_ba=False)
    render_antrean()
    call_command("ttd_demo")
    with all_tenants():
        versi = VersiSurat.objects.select_related("surat").get(surat__sidang=sidang, surat__jenis="berita_acara")
        hadir = [a.user for a in sidang.hadir.select_related("user")]
        assert {u.username for u in hadir} >= {"ketua.kemnaker", "penilai1.kemnaker", "penilai2.kemnaker"}
        assert services.peringatan_penanda_surat(versi.surat) == ""
    for user in hadir:
        with as_user(user):
            assert [v.pk for v in services.antrean_ttd(user)] == [versi.pk], user.username
        client.force_login(user)
        assert client.post(reverse("ttd:tandatangani"), {"versi": [versi.pk]}).status_code == 302
        assert ttd_antrean() == 1
    with all_tenants():
        versi = VersiSurat.objects.select_related("surat").get(pk=versi.pk)
        assert versi.ttd_berkas and services.lengkap(versi)


def test_the_demo_issues_sks_to_sign_in_a_batch(referensi, instansi_a, staf, settings, tmp_path):
    """`ttd_demo --sk N --pejabat …` (README, docs/ttd-elektronik.md): N SKs naming the official.
    It crashed once the SK's rows read fields the command's stand-in usulan lacked."""
    from apps.surat.models import Surat

    settings.DEBUG = True
    ca_dev(settings, tmp_path / "ttd-uji")
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    UserFactory(username="ppk.kemenhub", instansi=instansi_a, roles=["ppk"], nama_lengkap="Hendra Gunawan", nip="")
    konfirmasi_ak_semua()
    call_command("ttd_demo", sk=2, pejabat="ppk.kemenhub")
    with all_tenants():
        sk = list(Surat.objects.filter(jenis="sk", instansi=instansi_a).prefetch_related("versi_set"))
    assert len(sk) == 2 and all(s.versi_set.count() == 1 for s in sk)
    assert all(s.penandatangan_nip == "196805121993031002" for s in sk)


def konfirmasi_ak_semua() -> None:
    """As demo_data does for ``make run`` (konfirmasi_ak_demo): the AK rows confirmed, so the demo's
    rekomendasi and SKs (through the services, which refuse unverified rows) can be issued."""
    from apps.referensi.models import AKDasar, NilaiPenyesuaianAK

    with all_tenants():
        NilaiPenyesuaianAK.objects.update(terverifikasi=True)
        AKDasar.objects.update(terverifikasi=True)
