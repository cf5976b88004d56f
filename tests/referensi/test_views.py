from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.referensi import domain, selectors
from apps.referensi.models import AKDasar, Jenjang, Kompetensi
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _jf_form_data(jf, **overrides):
    data = {
        "deskripsi": jf.deskripsi,
        "unit_pembina": jf.unit_pembina,
        "dasar_hukum": "\n".join(jf.dasar_hukum),
        "jendela_buka": jf.jendela_buka.isoformat(),
        "jendela_tutup": jf.jendela_tutup.isoformat(),
        "usia_maks": jf.usia_maks,
        "sumber_usia": jf.sumber_usia,
        "pengalaman_min_tahun": jf.pengalaman_min_tahun,
        "sumber_pengalaman": jf.sumber_pengalaman,
        "predikat_min": jf.predikat_min,
        "predikat_tahun": jf.predikat_tahun,
        "sumber_kinerja": jf.sumber_kinerja,
        "disiplin_tahun": jf.disiplin_tahun,
        "sumber_disiplin": jf.sumber_disiplin,
        "sistem_informasi": jf.sistem_informasi,
        "kinerja_disiplin_status": jf.kinerja_disiplin_status,
        "usia_tafsir": jf.usia_tafsir,
        "pak_penandatangan": jf.pak_penandatangan,
        "ekstensi_berkas": ", ".join(jf.ekstensi_berkas),
        "ukuran_berkas_mb": "2.0",
    }
    data.update(overrides)
    return data


def _versi(client, url):
    return client.get(url).context["versi"]


@pytest.mark.parametrize("role", ["pic_instansi", "ppk"])
def test_every_role_reads_the_jf_page(client, referensi, instansi_a, role):
    client.force_login(UserFactory(instansi=instansi_a, roles=[role]))
    body = client.get(reverse("referensi:jf_detail", args=["pengantar-kerja"])).content.decode()
    assert "Pengantar Kerja" in body
    assert "Perencanaan Pelaksanaan Antar Kerja" in body  # the standard
    assert "Surat pernyataan atasan langsung" in body  # the documents
    assert "Pengajuan peserta" in body  # the schedule
    assert "belum terverifikasi" in body
    assert "Atur persyaratan" not in body
    assert client.get(reverse("referensi:jf_list")).status_code == 200


def test_the_jf_page_query_count_is_fixed(client, referensi, pic_a, django_assert_max_num_queries):
    client.force_login(pic_a)
    client.get(reverse("portal:beranda"))  # the session's activity stamps are written once, here
    with django_assert_max_num_queries(16):
        response = client.get(reverse("referensi:jf_detail", args=["pengantar-kerja"]))
    assert response.status_code == 200


def test_changing_a_parameter_changes_eligibility_and_is_audited(client, referensi, admin_setneg):
    aks = referensi["aks"]
    pegawai = domain.PegawaiSnapshot(
        nip="19700601 199503 1 001", tanggal_lahir=date(1970, 6, 1), jenis_kelamin="L", golongan_urutan=12,
        golongan_kode="III/d", tmt_golongan=date(2020, 1, 1), pendidikan=domain.Pendidikan.S1,
        pengalaman_bulan=60, predikat={2025: domain.Predikat.BAIK, 2024: domain.Predikat.BAIK},
    )  # fmt: skip
    on = date(2027, 7, 1)  # 57 years and a month: past "maksimal berusia 56 tahun"
    assert not domain.check_eligibility(pegawai, selectors.jf_params(aks), on).eligible

    client.force_login(admin_setneg)
    url = reverse("referensi:jf_edit", args=["aks"])
    response = client.post(url, {**_jf_form_data(aks, usia_maks=58), "versi": _versi(client, url)})
    assert response.status_code == 302

    aks.refresh_from_db()
    assert aks.usia_maks == 58
    assert domain.check_eligibility(pegawai, selectors.jf_params(aks), on).eligible
    with tenancy.scope(aks.instansi_pembina):
        entry = AuditLog.objects.get(action="referensi.jabatanfungsional_diubah")
    assert entry.actor == admin_setneg
    assert entry.data["perubahan"] == {"usia_maks": [56, 58]}
    assert entry.created_at is not None
    history = client.get(reverse("referensi:jf_riwayat", args=["aks"])).content.decode()
    assert "usia_maks" in history and admin_setneg.nama_lengkap in history


def test_a_jenjang_change_reaches_the_engine(client, referensi, admin_setneg):
    aks = referensi["aks"]
    madya = Jenjang.objects.get(jf=aks, kode="ahli_madya")
    client.force_login(admin_setneg)
    url = reverse("referensi:row_edit", args=["aks", "jenjang", madya.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else getattr(v, "pk", v)) for k, v in form.initial.items() if k in form.fields}
    data.update({"batas_usia_pensiun": 62, "versi": _versi(client, url)})
    assert client.post(url, data).status_code == 302
    params = selectors.jf_params(aks)
    assert next(j for j in params.jenjang if j.kode == "ahli_madya").batas_usia_pensiun == 62


def test_bad_values_get_clear_errors_and_change_nothing(client, referensi, admin_setneg):
    aks = referensi["aks"]
    client.force_login(admin_setneg)
    url = reverse("referensi:jf_edit", args=["aks"])
    data = _jf_form_data(aks, usia_maks=200, jendela_tutup="2025-01-01", ekstensi_berkas=".pdf, e x e")
    response = client.post(url, {**data, "versi": _versi(client, url)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 65" in body
    assert "Isi ekstensi berkas tanpa titik" in body
    aks.refresh_from_db()
    assert aks.usia_maks == 56
    response = client.post(url, {**_jf_form_data(aks, jendela_tutup="2025-01-01"), "versi": _versi(client, url)})
    assert "Tanggal tutup tidak boleh sebelum tanggal buka" in response.content.decode()


def test_a_stale_form_is_refused_and_nothing_is_lost(client, referensi, admin_setneg):
    aks = referensi["aks"]
    client.force_login(admin_setneg)
    url = reverse("referensi:jf_edit", args=["aks"])
    old = _versi(client, url)
    assert client.post(url, {**_jf_form_data(aks, usia_maks=57), "versi": old}).status_code == 302
    response = client.post(url, {**_jf_form_data(aks, pengalaman_min_tahun=3), "versi": old})
    assert response.status_code == 200
    assert "telah diubah oleh pengguna lain" in response.content.decode()
    assert response.context["form"]["pengalaman_min_tahun"].value() == "3"  # the user's input is kept
    aks.refresh_from_db()
    assert (aks.usia_maks, aks.pengalaman_min_tahun) == (57, 2)


def test_only_the_jfs_own_admin_pembina_may_edit(client, referensi, admin_lan, pic_a):
    for user in (admin_lan, pic_a):
        client.force_login(user)
        assert client.get(reverse("referensi:jf_edit", args=["aks"])).status_code == 403
        assert client.get(reverse("referensi:jf_riwayat", args=["aks"])).status_code == 403
    client.force_login(admin_lan)
    assert client.get(reverse("referensi:jf_edit", args=["analis-kebijakan"])).status_code == 200


def test_rows_of_another_jf_are_not_found(client, referensi, admin_setneg):
    other = Kompetensi.objects.filter(jenjang__jf__kode="pengantar-kerja").first()
    client.force_login(admin_setneg)
    assert client.get(reverse("referensi:row_edit", args=["aks", "kompetensi", other.pk])).status_code == 404
    lan_jenjang = Jenjang.objects.filter(jf__kode="analis-kebijakan").first()
    assert client.get(reverse("referensi:row_edit", args=["aks", "jenjang", lan_jenjang.pk])).status_code == 404
    assert client.get(reverse("referensi:row_add", args=["aks", "tahapan"])).status_code == 404
    assert (
        client.get(reverse("referensi:row_add", args=["aks", "kompetensi"]) + f"?jenjang={lan_jenjang.pk}").status_code
        == 404
    )


def test_adding_a_competency_to_a_jenjang(client, referensi, admin_setneg):
    aks = referensi["aks"]
    pertama = Jenjang.objects.get(jf=aks, kode="ahli_pertama")
    client.force_login(admin_setneg)
    url = reverse("referensi:row_add", args=["aks", "kompetensi"]) + f"?jenjang={pertama.pk}"
    data = {
        "jenis": "teknis",
        "nomor": 10,
        "nama": "Analisis Kerja Sama",
        "level": 2,
        "deskripsi": "Menyusun analisis kerja sama.",
        "indikator": "Mengumpulkan data\nMenyusun kajian",
        "versi": "",
    }
    response = client.post(url, data, follow=True)
    k = Kompetensi.objects.get(jenjang=pertama, nomor=10)
    assert k.indikator == ["Mengumpulkan data", "Menyusun kajian"]
    # The save is confirmed (it said "Tidak ada perubahan." once) and audited with its values.
    body = response.content.decode()
    assert "Kompetensi 10. Analisis Kerja Sama (level 2) ditambahkan." in body and "Tidak ada perubahan" not in body
    with tenancy.all_tenants(reason="test"):
        entry = AuditLog.objects.get(action="referensi.kompetensi_dibuat")
    assert entry.data["perubahan"]["nama"] == [None, "Analisis Kerja Sama"]


def test_a_repeated_competency_number_is_refused_on_the_field_with_the_other_errors(client, referensi, admin_setneg):
    aks = referensi["aks"]
    pertama = Jenjang.objects.get(jf=aks, kode="ahli_pertama")
    ada = Kompetensi.objects.create(jenjang=pertama, jenis="teknis", nomor=3, nama="Negosiasi", level=2, deskripsi="-")
    jumlah = Kompetensi.objects.filter(jenjang=pertama).count()
    client.force_login(admin_setneg)
    url = reverse("referensi:row_add", args=["aks", "kompetensi"]) + f"?jenjang={pertama.pk}"
    data = {"jenis": "teknis", "nomor": ada.nomor, "nama": "Kompetensi Kembar", "level": 9, "deskripsi": "",
            "indikator": "Satu", "versi": ""}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    pesan = (
        f"Nomor {ada.nomor} sudah dipakai kompetensi teknis lain di jenjang {pertama.nama}; "
        "penomoran dimulai dari 1 untuk setiap jenis kompetensi."
    )
    assert form.errors["nomor"] == [pesan]
    assert {"level", "deskripsi"} <= set(form.errors)  # every error of the form at once
    body = response.content.decode()
    assert 'data-testid="ringkasan-galat"' in body and pesan in body and "tidak ada." not in body
    assert 'value="Kompetensi Kembar"' in body
    assert Kompetensi.objects.filter(jenjang=pertama).count() == jumlah


def test_the_service_names_a_repeated_competency_number_rightly(referensi):
    from django.core.exceptions import ValidationError

    ada = Kompetensi.objects.select_related("jenjang").first()
    kembar = Kompetensi(
        jenjang=ada.jenjang, jenis=ada.jenis, nomor=ada.nomor, nama="K", level=1, deskripsi="d", indikator=["i"]
    )
    with pytest.raises(ValidationError) as refused:
        kembar.full_clean()
    jenis = ada.get_jenis_display().lower()
    assert refused.value.messages == [
        f"Nomor {ada.nomor} sudah dipakai kompetensi {jenis} lain di jenjang {ada.jenjang.nama}; "
        "penomoran dimulai dari 1 untuk setiap jenis kompetensi."
    ]


def test_numbering_restarts_per_competency_type(client, referensi, admin_setneg):
    """Fresh-eye finding 5: Manajerial no. 1 then Teknis no. 1 in the same jenjang is the SKJ's own
    numbering, not a clash; the page lists them by type, then number."""
    aks = referensi["aks"]
    pertama = Jenjang.objects.get(jf=aks, kode="ahli_pertama")
    Kompetensi.objects.filter(jenjang=pertama).delete()
    client.force_login(admin_setneg)
    url = reverse("referensi:row_add", args=["aks", "kompetensi"]) + f"?jenjang={pertama.pk}"
    for jenis, nama in (("teknis", "Negosiasi"), ("manajerial", "Integritas")):
        data = {"jenis": jenis, "nomor": 1, "nama": nama, "level": 2, "deskripsi": "d", "indikator": "Satu",
                "versi": ""}  # fmt: skip
        response = client.post(url, data)
        assert response.status_code == 302, response.context["form"].errors
    assert [(k.jenis, k.nomor) for k in Kompetensi.objects.filter(jenjang=pertama)] == [
        ("manajerial", 1),
        ("teknis", 1),
    ]


def test_an_admin_pembina_confirms_an_ak_dasar_row(client, referensi, admin_setneg, pic_a):
    row = AKDasar.objects.get(jf=referensi["aks"], golongan__kode="III/b")
    url = reverse("referensi:ak_edit", args=["dasar", row.pk])
    client.force_login(pic_a)
    assert client.get(url).status_code == 403
    client.force_login(admin_setneg)
    response = client.post(url, {"nilai": "50", "terverifikasi": "on", "versi": _versi(client, url)})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.terverifikasi and row.diverifikasi_oleh == admin_setneg
    with tenancy.all_tenants(reason="test"):
        entry = AuditLog.objects.get(action="referensi.ak_diubah")
    assert entry.data["perubahan"] == {"terverifikasi": [False, True]}
    body = client.get(reverse("referensi:ak_tabel")).content.decode()
    assert body.count("belum terverifikasi") >= 11


def test_ak_values_on_the_reference_pages_read_as_bkn_prints_them(client, referensi, admin_setneg):
    """Issue 13: the AK table printed "3,750" (three decimals) and the edit page's heading "100.000"
    (a point that reads as a thousands separator): every AK value shown goes through format_ak."""
    import re

    from apps.referensi.models import JabatanFungsional, NilaiPenyesuaianAK

    tabel = NilaiPenyesuaianAK.objects.filter(jf=referensi["aks"]).select_related("golongan").first()
    NilaiPenyesuaianAK.objects.filter(pk=tabel.pk).update(nilai="3.750")
    dasar = AKDasar.objects.get(jf=referensi["aks"], golongan__kode="III/d")  # 100 (PerBKN 3/2023 worked example)
    client.force_login(admin_setneg)
    body = client.get(reverse("referensi:ak_tabel")).content.decode()
    assert "<td>3,75</td>" in body and "3,750" not in body and "3.750" not in body
    assert "<td>100</td>" in body and not re.search(r"\d[.,]000\b", body)
    page = client.get(reverse("referensi:ak_edit", args=["dasar", dasar.pk])).content.decode()
    assert "Ubah nilai AK Analis Kerja Sama: III/d: 100<" in page and "100.000" not in page and 'value="100"' in page
    tabel.refresh_from_db()
    page = client.get(reverse("referensi:ak_edit", args=["tabel", tabel.pk])).content.decode()
    assert ": 3,75<" in page and 'value="3.75"' in page and "3.750" not in page and "3,750" not in page
    jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
    body = client.get(reverse("referensi:jf_detail", args=[jf.kode])).content.decode()
    assert not re.search(r"<td>\d+,\d{3}</td>|<td>\d+,0+</td>", body), "AK on the JF page with padded decimals"
