"""The alur paraf page: the issuer's admin sets, per letter type, the ordered approvers and the
signer (audited); bad input is refused with the reason and kept; another tenant's chain is 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.models import AuditLog
from apps.ttd import services
from apps.ttd.models import AlurParaf, Paraf
from tests.factories import UserFactory
from tests.ttd.conftest import all_tenants
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def kabag(instansi_a):
    return UserFactory(
        username="kabag.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Kabag Kepegawaian A"
    )


def _buka(client, user, jenis="sk") -> int:
    client.force_login(user)
    response = client.post(reverse("ttd:alur"), {"jenis": jenis})
    assert response.status_code == 302, response.content[:300]
    with all_tenants():
        alur = AlurParaf.objects.get(instansi=user.instansi, jenis=jenis)
    assert response.url == reverse("ttd:alur_ubah", args=[alur.pk])
    return alur.pk


def test_the_ppk_sets_the_chain_and_signer_of_the_sk_on_a_page_and_it_is_audited(
    client, ppk_pk, kabag, pejabat_ppk, sk_siap
):
    client.force_login(ppk_pk)
    daftar = client.get(reverse("ttd:alur")).content.decode()
    assert 'data-testid="alur-sk"' in daftar and 'data-testid="alur-rekomendasi"' not in daftar
    assert pejabat_ppk.nama in daftar  # the registered officials are listed
    pk = _buka(client, ppk_pk)
    page = client.get(reverse("ttd:alur_ubah", args=[pk])).content.decode()
    assert "Kabag Kepegawaian A" in page and pejabat_ppk.nama in page
    response = client.post(
        reverse("ttd:alur_ubah", args=[pk]),
        {"paraf_1": kabag.pk, "sebutan_1": "Kabag Kepegawaian", "penanda": pejabat_ppk.pk},
    )
    assert response.status_code == 302 and response.url == reverse("ttd:alur")
    with all_tenants():
        alur = AlurParaf.objects.get(pk=pk)
        assert alur.aktif and alur.penanda == pejabat_ppk and alur.diubah_oleh == ppk_pk
        assert [(s.urutan, s.user, s.sebutan) for s in alur.langkah.all()] == [(1, kabag, "Kabag Kepegawaian")]
        log = AuditLog.objects.get(action="ttd.alur_diubah")
        assert log.actor == ppk_pk and log.instansi_id == ppk_pk.instansi.pk
        assert log.data["sebelum"] == [] and log.data["sesudah"][0].startswith("1. Kabag Kepegawaian (kabag.a)")
    assert "Kabag Kepegawaian" in client.get(reverse("ttd:alur")).content.decode()
    # The SK form is filled with the configured signer.
    form = client.get(reverse("surat:ppk")).content.decode()
    assert pejabat_ppk.nip in form or "Tidak ada pegawai yang menunggu SK" in form
    # The chain is in force: the next SK waits for the Kabag's paraf before the PPK may sign.
    (versi,) = sk_siap(1)
    with as_user(kabag):
        assert [v.pk for v in services.antrean_paraf(kabag)] == [versi.pk]
    with as_user(ppk_pk):
        assert [v for v in services.antrean_ttd(ppk_pk) if v.surat.jenis == "sk"] == []
    # Emptied: no paraf for letters issued from now on, audited again; the SK issued under the
    # chain keeps it and still waits for the Kabag's paraf (issue 17 walk finding 5).
    client.post(reverse("ttd:alur_ubah", args=[pk]), {"penanda": pejabat_ppk.pk})
    with all_tenants():
        assert not AlurParaf.objects.get(pk=pk).aktif and AuditLog.objects.filter(action="ttd.alur_diubah").count() == 2
    with as_user(ppk_pk):
        assert [v.pk for v in services.antrean_ttd(ppk_pk) if v.surat.jenis == "sk"] == []
    with as_user(kabag):
        assert [v.pk for v in services.antrean_paraf(kabag)] == [versi.pk]


def test_a_paraf_given_by_a_replaced_approver_does_not_count_for_the_new_one(
    client, ppk_pk, kabag, instansi_a, pejabat_ppk, sk_siap
):
    """A chain change applies to letters issued or corrected afterwards (issue 17 walk finding
    5): the letter issued under kabag keeps kabag's paraf; its correction goes to the new
    approver, and kabag's paraf on the old version does not count for it."""
    from apps.surat import services as surat_services
    from tests.surat.conftest import render_antrean

    pk = _buka(client, ppk_pk)
    client.post(reverse("ttd:alur_ubah", args=[pk]), {"paraf_1": kabag.pk, "sebutan_1": "Kabag"})
    (versi,) = sk_siap(1)
    with as_user(kabag):
        services.paraf_beri(actor=kabag, versi=versi)
    with as_user(ppk_pk):
        assert services.paraf_lengkap(versi)
    karo = UserFactory(username="karo.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Karo SDM")
    client.post(reverse("ttd:alur_ubah", args=[pk]), {"paraf_1": karo.pk, "sebutan_1": "Karo SDM"})
    with as_user(ppk_pk):
        assert services.paraf_lengkap(versi)  # issued before the change: its own chain, complete
        assert [v.pk for v in services.antrean_ttd(ppk_pk) if v.surat.jenis == "sk"] == [versi.pk]
        surat_services.surat_koreksi(actor=ppk_pk, surat=versi.surat, alasan="TMT keliru")
    render_antrean()
    with all_tenants():
        v2 = versi.surat.versi_set.select_related("surat").get(versi=2)
    with as_user(ppk_pk):
        assert not services.paraf_lengkap(v2)
        assert services.langkah_berikut(v2).user == karo
        assert [v for v in services.antrean_ttd(ppk_pk) if v.surat.jenis == "sk"] == []
    with as_user(kabag):
        assert services.antrean_paraf(kabag) == []
    with as_user(karo):
        assert [v.pk for v in services.antrean_paraf(karo)] == [v2.pk]
        services.paraf_beri(actor=karo, versi=v2)
    with all_tenants():
        assert list(Paraf.objects.filter(versi=v2).values_list("user__username", flat=True)) == ["karo.a"]
    with as_user(ppk_pk):
        assert [v.pk for v in services.antrean_ttd(ppk_pk) if v.surat.jenis == "sk"] == [v2.pk]


def test_bad_input_on_the_chain_page_is_refused_with_the_reason_and_kept(
    client, ppk_pk, kabag, pejabat_ppk, instansi_b
):
    pk = _buka(client, ppk_pk)
    url = reverse("ttd:alur_ubah", args=[pk])
    stranger = UserFactory(username="pic.luar", instansi=instansi_b, roles=["pic_instansi"])
    cases = [
        ({"sebutan_1": "Kabag Tanpa Orang"}, "Pilih pemberi paraf untuk sebutan ini", "Kabag Tanpa Orang"),
        ({"paraf_1": kabag.pk, "sebutan_1": "Satu", "paraf_2": kabag.pk, "sebutan_2": "Dua"},
         "sudah tercantum di baris sebelumnya", "Dua"),
        ({"paraf_1": stranger.pk, "sebutan_1": "Orang Luar"}, "Masukkan pilihan yang valid", "Orang Luar"),
        ({"paraf_1": ppk_pk.pk, "sebutan_1": "Sekjen", "penanda": pejabat_ppk.pk},
         "tidak sekaligus memberi paraf", "Sekjen"),
        ({"paraf_1": "bukan-angka", "sebutan_1": "X" * 151}, "Masukkan pilihan yang valid", ""),
    ]  # fmt: skip
    for data, reason, kept in cases:
        response = client.post(url, data)
        body = response.content.decode()
        assert response.status_code == 200 and 'data-testid="ringkasan-galat"' in body, data
        assert reason in body, (data, reason)
        assert kept in body
    with all_tenants():
        alur = AlurParaf.objects.get(pk=pk)
        assert not alur.langkah.exists() and not AuditLog.objects.filter(action="ttd.alur_diubah").exists()
    # A letter type this user does not configure (the pembina's rekomendasi) on the list page: a message, nothing made.
    response = client.post(reverse("ttd:alur"), {"jenis": "rekomendasi"}, follow=True)
    assert "Pilih jenis surat yang alur parafnya Anda atur" in response.content.decode()


def test_another_tenants_chain_is_404_and_other_roles_cannot_configure(client, ppk_pk, staf, instansi_b, kabag):
    pk = _buka(client, ppk_pk)
    url = reverse("ttd:alur_ubah", args=[pk])
    ppk_b = UserFactory(username="ppk.b", instansi=instansi_b, roles=["ppk"])
    for user in (ppk_b, staf["admin"]):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"paraf_1": kabag.pk}).status_code == 404
    # The admin pembina configures the pembina's letters, not the SK.
    admin_pk = _buka(client, staf["admin"], jenis="rekomendasi")
    client.force_login(staf["admin"])
    assert client.post(reverse("ttd:alur"), {"jenis": "sk"}, follow=True).status_code == 200
    with all_tenants():
        assert not AlurParaf.objects.filter(instansi=staf["admin"].instansi, jenis="sk").exists()
    client.force_login(ppk_pk)
    assert client.get(reverse("ttd:alur_ubah", args=[admin_pk])).status_code == 404
    # A penilai configures nothing.
    client.force_login(staf["penilai1"])
    assert client.get(reverse("ttd:alur")).status_code == 403
    with all_tenants():
        assert [s.user for s in AlurParaf.objects.get(pk=pk).langkah.all()] == []
