"""Electronic-signature fixtures: a local RFC 3161
TSA on loopback, the trust roots in settings, registered officials, and helpers that run the
signing requests the outbox holds (as the ``ttd`` worker would)."""

from __future__ import annotations

import pytest

from apps.core.models import OutboxMessage
from apps.ttd.models import Pejabat
from apps.ttd.tsa_uji import TSAUji
from tests.surat.conftest import (
    PENANDATANGAN,
    PENANDATANGAN_PPK,
    TANGGAL,
    all_tenants,
    render_antrean,
    tandatangani_basah,
)
from tests.verifikasi.conftest import as_user

PKCS12_PASSPHRASE = "uji-pkcs12-rahasia"
NIK_PPK = "3273011205680002"


@pytest.fixture(scope="session")
def tsa(ca):
    with TSAUji(ca) as server:
        yield server


@pytest.fixture(scope="session")
def trust_files(ca, tmp_path_factory):
    d = tmp_path_factory.mktemp("trust")
    (d / "root.pem").write_bytes(ca.root.cert_pem)
    (d / "intermediate.pem").write_bytes(ca.intermediate.cert_pem)
    return d


@pytest.fixture(autouse=True)
def ttd_settings(settings, tsa, trust_files):
    settings.SIAKS_TTD_TSA_URL = tsa.url
    settings.SIAKS_TTD_TRUST_ROOTS = [str(trust_files / "root.pem")]
    settings.SIAKS_TTD_INTERMEDIATES = [str(trust_files / "intermediate.pem")]
    settings.SIAKS_TTD_PKCS12_PASSPHRASE = PKCS12_PASSPHRASE
    return settings


def ca_dev(settings, folder) -> None:
    """The development CA of ``make run`` in ``folder`` (ttd_demo signs with it), trusted besides
    the suite's CA as siaks/settings/dev.py trusts it: the portal refuses to store a signature whose
    certificate does not chain to a trust root (apps.ttd.validasi.masalah_ttd_baru)."""
    from apps.ttd.ca_uji import CAUji

    settings.SIAKS_TTD_DEV_DIR = folder
    CAUji.muat_atau_buat(folder)
    settings.SIAKS_TTD_TRUST_ROOTS = [*settings.SIAKS_TTD_TRUST_ROOTS, str(folder / "root.pem")]
    settings.SIAKS_TTD_INTERMEDIATES = [*settings.SIAKS_TTD_INTERMEDIATES, str(folder / "intermediate.pem")]


@pytest.fixture(scope="session")
def sertifikat_ppk(ca):
    nama, _jabatan, nip = PENANDATANGAN_PPK
    return ca.pejabat(nama, nik=NIK_PPK, nip=nip, instansi="Kementerian Perhubungan")


def daftar_pejabat(*, instansi, user, identitas, nama, nip, jabatan, nik="", backend="pkcs12") -> Pejabat:
    with all_tenants():
        return Pejabat.objects.create(
            instansi=instansi, user=user, nama=nama, nip=nip, nik=nik, jabatan=jabatan, backend=backend,
            pkcs12=identitas.pkcs12(PKCS12_PASSPHRASE.encode()) if backend == "pkcs12" and identitas else b"",
            sidik_jari=identitas.sidik_jari if identitas else "",
        )  # fmt: skip


@pytest.fixture
def pejabat_ppk(instansi_a, ppk_pk, sertifikat_ppk):
    nama, jabatan, nip = PENANDATANGAN_PPK
    return daftar_pejabat(
        instansi=instansi_a, user=ppk_pk, identitas=sertifikat_ppk, nama=nama, nip=nip, jabatan=jabatan, nik=NIK_PPK
    )


def ttd_antrean(*, throw: bool = True) -> int:
    """Run every pending ``ttd.tandatangani`` request in the outbox, as the worker would."""

    done = 0
    for message in OutboxMessage.objects.filter(task_name="ttd.tandatangani", published_at__isnull=True).order_by(
        "created_at"
    ):
        jalankan(message, throw=throw)
        OutboxMessage.objects.filter(pk=message.pk).update(published_at=message.created_at)
        done += 1
    return done


def jalankan(message, *, throw: bool = True):
    """Run one signing request; a retry is delivered again at once (as the broker would, later)."""
    from apps.ttd.tasks import tandatangani

    retries = 0
    while True:
        result = tandatangani.apply(kwargs=message.kwargs, task_id=str(message.id), retries=retries, throw=False)
        if result.state != "RETRY":
            if throw and result.state == "FAILURE":
                raise result.result
            return result
        retries += 1


@pytest.fixture
def sk_siap(diputuskan, staf, pk, instansi_a, ppk_pk):
    """n rendered SKs of instansi A waiting for signature: returns their versions. The PAK issued
    with each (JF ``pk``: the SK's signer signs it) is signed first — the PAK before the SK, seed
    004 — by the wet-ink fallback, unless ``pak_ttd=False`` (then it waits in the queue too)."""
    from apps.surat import services as surat_services
    from apps.surat.models import Surat, VersiSurat

    def make(n: int = 1, *, penandatangan=PENANDATANGAN_PPK, pak_ttd: bool = True):
        lulus, _t, _s = diputuskan(n, 0)
        with as_user(staf["admin"]):
            rekomendasi = surat_services.rekomendasi_terbitkan(
                actor=staf["admin"], jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
            )
        tandatangani_basah(rekomendasi, staf["admin"])  # an SK waits for its signed rekomendasi
        with as_user(ppk_pk):
            issued = surat_services.sk_terbitkan(
                actor=ppk_pk, usulan_ids=[u.pk for u in lulus], tanggal=TANGGAL, tmt=TANGGAL,
                penandatangan=penandatangan,
            )  # fmt: skip
        render_antrean()
        if pak_ttd:
            for pak in [s for s in issued if s.jenis == "pak"]:
                with all_tenants():
                    pak = Surat.objects.get(pk=pak.pk)
                tandatangani_basah(pak, ppk_pk)
        with all_tenants():
            return list(
                VersiSurat.objects.select_related("surat")
                .filter(surat__in=[s for s in issued if s.jenis == "sk"])
                .order_by("surat__nomor_urut")
            )

    return make


def baca(field) -> bytes:
    with field.open("rb") as fh:
        return fh.read()


BSRE_PASSPHRASE = "Rahasia-BSrE-#8841-passphrase"


@pytest.fixture(scope="session")
def bsre(ca, tsa):
    from apps.ttd.bsre_uji import BSrEUji

    with BSrEUji(ca, tsa.url) as server:
        server.jeda = 4.0
        yield server


@pytest.fixture
def pejabat_bsre(instansi_a, ppk_pk, sertifikat_ppk, bsre, settings):
    """The PPK signs through the (fake) BSrE with the NIK their certificate carries."""
    settings.SIAKS_TTD_BSRE_URL = bsre.url
    settings.SIAKS_TTD_BSRE_TIMEOUT = 3
    bsre.gangguan = bsre.lambat = 0
    bsre.daftar(NIK_PPK, sertifikat_ppk, BSRE_PASSPHRASE)
    nama, jabatan, nip = PENANDATANGAN_PPK
    return daftar_pejabat(
        instansi=instansi_a, user=ppk_pk, identitas=None, nama=nama, nip=nip, jabatan=jabatan, nik=NIK_PPK,
        backend="bsre",
    )  # fmt: skip


@pytest.fixture
def kabag(instansi_a):
    """The issuer's Kabag Kepegawaian, a PIC who gives the SK's paraf (see :func:`alur`)."""
    from tests.factories import UserFactory

    return UserFactory(
        username="kabag.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Kabag Kepegawaian"
    )


@pytest.fixture
def alur(instansi_a, kabag):
    """Instansi A's SK chain: the Kabag's paraf, then the PPK signs."""
    from apps.ttd.models import AlurParaf, LangkahParaf

    with all_tenants():
        a = AlurParaf.objects.create(instansi=instansi_a, jenis="sk")
        LangkahParaf.objects.create(instansi=instansi_a, alur=a, urutan=1, user=kabag, sebutan="Kabag Kepegawaian")
    return a
