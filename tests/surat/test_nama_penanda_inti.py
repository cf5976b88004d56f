"""The signer's name printed on a letter is the certificate holder's (fresh-eye report of issue 13,
M1): titles before the name (Dr., Ir., Raden …) and degrees after a comma (S.E., M.Si. …) may
differ, but the core name must be the registered official's exactly. A longer name that merely
starts with the registered one ("Hendra Gunawan Wicaksono Adinegoro" for "Hendra Gunawan") is
refused on the page's service and on the API, with the registered name in the message; the
validation of signed copies uses the same comparison (apps.ttd.validasi.nama_sama)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.pengusulan.models import Usulan
from apps.surat import services
from apps.surat.models import Surat
from apps.ttd import validasi
from apps.ttd.models import Pejabat
from tests.surat.conftest import PENANDATANGAN, TANGGAL, all_tenants, tandatangani_rekomendasi
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

NIP = "196805121993031002"
JABATAN = "Sekretaris Jenderal Kementerian Perhubungan"
TERLALU_PANJANG = [
    ("Dr. Ir. Hendra Gunawan Wicaksono Adinegoro, S.E., M.Si., M.P.A.", "Hendra Gunawan"),
    ("Dr. Rahmat Hidayat Kusumawardhana Prameswara, S.H., M.Kn.", "Rahmat Hidayat"),
]


@pytest.mark.parametrize(("ditulis", "terdaftar"), TERLALU_PANJANG)
def test_a_longer_name_starting_with_the_registered_one_is_another_name(ditulis, terdaftar):
    assert not validasi.nama_sama(ditulis, terdaftar)
    assert not validasi.nama_sama(terdaftar, ditulis)


@pytest.mark.parametrize(
    "ditulis",
    [
        "Dr. Hendra Gunawan, S.E., M.Si.",
        "HENDRA  GUNAWAN",
        "Prof. Dr. Ir. H. Hendra Gunawan, M.P.A., Ph.D.",
        "Raden Hendra Gunawan, S.H., M.Kn.",
        "R. Hendra Gunawan",
    ],
)
def test_titles_case_and_spaces_aside_the_core_name_matches(ditulis):
    assert validasi.nama_sama(ditulis, "Hendra Gunawan")
    assert validasi.nama_inti(ditulis) == ["hendra", "gunawan"]


def _siap_sk(diputuskan, staf, pk, instansi_a):
    lulus, _t, _s = diputuskan(1, 0)
    with as_user(staf["admin"]):
        services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL, penandatangan=PENANDATANGAN
        )
    tandatangani_rekomendasi(staf["admin"])
    with all_tenants():
        Pejabat.objects.create(
            instansi=instansi_a, nama="Hendra Gunawan", nip=NIP, jabatan=JABATAN, backend=Pejabat.Backend.PKCS12
        )
    return lulus


def test_the_sk_refuses_a_signer_name_longer_than_the_registered_officials(diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus = _siap_sk(diputuskan, staf, pk, instansi_a)
    with as_user(ppk_pk), pytest.raises(services.SuratError) as err:
        services.sk_terbitkan(
            actor=ppk_pk, usulan_ids=[u.pk for u in lulus], tanggal=TANGGAL, tmt=TANGGAL,
            penandatangan=(TERLALU_PANJANG[0][0], JABATAN, NIP),
        )  # fmt: skip
    pesan = str(err.value)
    assert '"Hendra Gunawan"' in pesan and TERLALU_PANJANG[0][0] in pesan
    with all_tenants():
        assert not Surat.objects.filter(jenis="sk").exists()
    with as_user(ppk_pk):
        issued = services.sk_terbitkan(
            actor=ppk_pk, usulan_ids=[u.pk for u in lulus], tanggal=TANGGAL, tmt=TANGGAL,
            penandatangan=("Dr. Hendra Gunawan, S.E., M.Si.", JABATAN, NIP),
        )  # fmt: skip
        assert [s.penandatangan_nama for s in issued if s.jenis == "sk"] == ["Dr. Hendra Gunawan, S.E., M.Si."]


def test_the_api_refuses_it_with_400_naming_the_registered_name(client, diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus = _siap_sk(diputuskan, staf, pk, instansi_a)
    with all_tenants():
        sebelum = Usulan.objects.get(pk=lulus[0].pk).status
    client.force_login(ppk_pk)
    body = {
        "usulan": [u.pk for u in lulus], "tanggal": TANGGAL.isoformat(), "tmt": TANGGAL.isoformat(),
        "penandatangan_nama": TERLALU_PANJANG[0][0], "penandatangan_jabatan": JABATAN, "penandatangan_nip": NIP,
    }  # fmt: skip
    r = client.post(reverse("api:ppk-sk-list"), body, content_type="application/json")
    assert r.status_code == 400, r.content
    assert "Hendra Gunawan" in r.content.decode() and "penandatangan_nama" in r.json()
    with all_tenants():
        assert not Surat.objects.filter(jenis="sk").exists()
        assert Usulan.objects.get(pk=lulus[0].pk).status == sebelum
    body["penandatangan_nama"] = "Dr. Hendra Gunawan, S.E., M.Si."
    r = client.post(reverse("api:ppk-sk-list"), body, content_type="application/json")
    assert r.status_code == 201, r.content
