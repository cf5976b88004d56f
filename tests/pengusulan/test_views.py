from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.pengusulan import services
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Dokumen, Pegawai, Usulan
from apps.referensi.models import Golongan, Jenjang, PersyaratanDokumen
from tests.pengusulan.conftest import pdf_upload, pegawai_data, surat_pak, usulan_draf

pytestmark = pytest.mark.django_db


@pytest.fixture
def milik_lain(pic_lain, referensi):
    """A pegawai, usulan and document of another instansi."""
    aks = referensi["aks"]
    with tenancy.scope(pic_lain.instansi):
        pegawai = services.pegawai_create(actor=pic_lain, data=pegawai_data(nip="19790101 200501 1 002"))
        usulan = services.usulan_create(actor=pic_lain, pegawai=pegawai, jf=aks)
        p = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
        dokumen = services.dokumen_upload(actor=pic_lain, jf=aks, persyaratan=p, upload=pdf_upload(), usulan=usulan)
    return {"pegawai": pegawai, "usulan": usulan, "dokumen": dokumen, "persyaratan": p}


def test_every_pic_route_answers_404_for_another_instansis_objects(client, pic, milik_lain):
    client.force_login(pic)
    pegawai, usulan, dokumen, p = (milik_lain[k] for k in ("pegawai", "usulan", "dokumen", "persyaratan"))
    gets = [
        reverse("pengusulan:pegawai_detail", args=[pegawai.pk]),
        reverse("pengusulan:pegawai_update", args=[pegawai.pk]),
        reverse("pengusulan:eligibilitas_preview", args=[pegawai.pk]) + "?jf=aks",
        reverse("pengusulan:usulan_detail", args=[usulan.pk]),
        reverse("pengusulan:dokumen_unduh", args=[dokumen.pk]),
    ]
    posts = [
        reverse("pengusulan:pegawai_update", args=[pegawai.pk]),
        reverse("pengusulan:usulan_create", args=[pegawai.pk]),
        reverse("pengusulan:usulan_ajukan", args=[usulan.pk]),
        reverse("pengusulan:usulan_batalkan", args=[usulan.pk]),
        reverse("pengusulan:dokumen_unggah", args=[usulan.pk, p.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"jf": "aks"}).status_code == 404, url
    with tenancy.all_tenants(reason="test"):
        assert Usulan.objects.get(pk=usulan.pk).status == Status.DRAFT
        assert Dokumen.objects.count() == 1


def test_the_pic_journey_through_the_pages(client, pic, aks):
    client.force_login(pic)
    # formasi
    muda = Jenjang.objects.get(jf=aks, kode="ahli_muda")
    response = client.post(
        reverse("pengusulan:formasi_jf", args=["aks"]), {"jenjang": muda.pk, "unit_kerja": "", "jumlah": 3}
    )
    assert response.status_code == 302
    # pegawai, with birth date and sex left for the NIP to fill
    data = {
        "nip": "19860926 201505 1 001",
        "nama": "Dewi Anggraini",
        "tempat_lahir": "Bandung",
        "tanggal_lahir": "",
        "jenis_kelamin": "",
        "golongan": Golongan.objects.get(kode="III/c").pk,
        "tmt_golongan": "2021-04-01",
        "pendidikan": "s1",
        "jabatan_saat_ini": "Analis",
        "is_pelaksana": "True",
        "unit_kerja": "Biro KS",
        "hukuman_disiplin": "tidak_ada",
        "tanggal_hukuman": "",
        "pengalaman_tahun": 3,
        "pengalaman_bulan_sisa": 0,
        "predikat_2025": "baik",
        "predikat_2024": "baik",
        "predikat_2023": "",
    }
    response = client.post(reverse("pengusulan:pegawai_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    with tenancy.scope(pic.instansi):
        pegawai = Pegawai.objects.get()
    assert pegawai.jenis_kelamin == "L" and str(pegawai.tanggal_lahir) == "1986-09-26"
    assert pegawai.pengalaman_bulan == 36 and pegawai.predikat == {"2025": "baik", "2024": "baik"}
    # live eligibility (htmx partial)
    partial = client.get(reverse("pengusulan:eligibilitas_preview", args=[pegawai.pk]), {"jf": "aks"})
    assert "Golongan III/c → jenjang Ahli Muda." in partial.content.decode()
    # usulan, documents, submit
    response = client.post(reverse("pengusulan:usulan_create", args=[pegawai.pk]), {"jf": "aks"})
    with tenancy.scope(pic.instansi):
        usulan = Usulan.objects.get()
    assert response["Location"] == reverse("pengusulan:usulan_detail", args=[usulan.pk])
    for p in PersyaratanDokumen.objects.untuk_usulan(aks, usulan.jenis).filter(wajib=True):
        url = (
            reverse("pengusulan:dokumen_unggah", args=[usulan.pk, p.pk])
            if p.level == "usulan"
            else reverse("pengusulan:formasi_dokumen_unggah", args=["aks", p.pk])
        )
        assert client.post(url, {"berkas": pdf_upload(f"{p.kode}.pdf"), **surat_pak(p)}).status_code == 302
    missing = client.post(reverse("pengusulan:usulan_ajukan", args=[usulan.pk]), follow=True)
    assert "Isi nomor surat pengantar usulan dari PPK." in missing.content.decode()
    assert "Isi tanggal surat pengantar usulan dari PPK." in missing.content.decode()
    isian = {"pengantar_nomor": "800/123/BKD/2026", "pengantar_tanggal": "2026-06-10"}
    # "Ajukan" shows what will happen first; without the confirmation nothing is submitted.
    periksa = client.post(reverse("pengusulan:usulan_ajukan", args=[usulan.pk]), isian)
    body = periksa.content.decode()
    assert periksa.status_code == 200 and 'data-testid="halaman-konfirmasi"' in body
    assert "Periksa sebelum mengajukan" in body and "800/123/BKD/2026 tanggal 10 Juni 2026" in body
    assert '<input type="hidden" name="pengantar_nomor" value="800/123/BKD/2026">' in body
    with tenancy.scope(pic.instansi):
        usulan.refresh_from_db()
    assert usulan.status == Status.DRAFT and usulan.formasi_id is None
    with tenancy.all_tenants(reason="test"):
        assert not AuditLog.objects.filter(action="usulan.diajukan").exists()
    # "Kembali dan ubah": the usulan page with the typed surat pengantar.
    ubah = client.post(reverse("pengusulan:usulan_ajukan", args=[usulan.pk]), {**isian, "ubah": "1"})
    assert ubah.status_code == 200 and 'value="800/123/BKD/2026"' in ubah.content.decode()
    assert 'value="2026-06-10"' in ubah.content.decode()
    response = client.post(
        reverse("pengusulan:usulan_ajukan", args=[usulan.pk]), {**isian, "konfirmasi": "ya"}, follow=True
    )
    assert "Usulan telah diajukan" in response.content.decode()
    with tenancy.scope(pic.instansi):
        usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN
    page = client.get(reverse("pengusulan:usulan_detail", args=[usulan.pk])).content.decode()
    assert "Usulan diajukan." in page and "Usulan USL-" in page  # the timeline
    assert "tidak dapat diubah" in page
    formasi = client.get(reverse("pengusulan:formasi_jf", args=["aks"]))
    row = formasi.context["rows"][0]
    assert (row.jumlah, row.terpakai, row.sisa) == (3, 1, 2)


def test_form_errors_are_translated_and_keep_the_input(client, pic, referensi):
    client.force_login(pic)
    response = client.post(
        reverse("pengusulan:pegawai_create"),
        {"nip": "1986 0926 2015", "nama": "", "pengalaman_tahun": "x", "golongan": ""},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "NIP harus 18 digit; yang diisi 12 digit." in body
    assert "Bidang ini harus diisi." in body
    assert 'value="1986 0926 2015"' in body


def test_a_bad_upload_shows_why_and_stores_nothing(client, pic, aks, make_pegawai):
    from tests.pdfs import encrypted_pdf

    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    p = PersyaratanDokumen.objects.get(jf=aks, kode="ijazah")
    client.force_login(pic)
    url = reverse("pengusulan:dokumen_unggah", args=[usulan.pk, p.pk])
    response = client.post(url, {"berkas": pdf_upload("ijazah.pdf", encrypted_pdf())}, follow=True)
    assert "terenkripsi atau dilindungi kata sandi" in response.content.decode()
    with tenancy.scope(pic.instansi):
        assert not Dokumen.objects.exists()


def test_download_is_an_attachment_with_nosniff_and_is_audited(client, pic, aks, make_pegawai, referensi):
    from tests.factories import UserFactory

    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        p = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
        dokumen = services.dokumen_upload(
            actor=pic, jf=aks, persyaratan=p, upload=pdf_upload("SK CPNS.pdf"), usulan=usulan
        )
    client.force_login(pic)
    response = client.get(reverse("pengusulan:dokumen_unduh", args=[dokumen.pk]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"].startswith("attachment;") and "SK CPNS.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    with tenancy.scope(pic.instansi):
        entry = AuditLog.objects.get(action="dokumen.diunduh")
    assert entry.actor == pic and entry.data["sha256"] == dokumen.sha256
    # The pembina staff of a different JF (LAN, Analis Kebijakan) cannot fetch it.
    lan = referensi["analis-kebijakan"].instansi_pembina
    client.force_login(UserFactory(username="v.lan", instansi=lan, roles=["verifikator"]))
    assert client.get(reverse("pengusulan:dokumen_unduh", args=[dokumen.pk])).status_code == 404


def test_the_pembina_of_the_jf_can_read_its_documents_once_submitted(client, pic, usulan_lengkap):
    """Issue 15, finding 1: a draft's documents stay the instansi's own; from submission on the
    pembina of the JF reads them."""
    from tests.factories import UserFactory
    from tests.pengusulan.conftest import ON

    usulan = usulan_lengkap
    with tenancy.scope(pic.instansi):
        dokumen = Dokumen.objects.filter(usulan=usulan).first()
    verifikator = UserFactory(username="v.setneg", instansi=usulan.jf.instansi_pembina, roles=["verifikator"])
    client.force_login(verifikator)
    url = reverse("pengusulan:dokumen_unduh", args=[dokumen.pk]) + "?tampil=1"
    assert client.get(url).status_code == 404  # a draft
    with tenancy.scope(pic.instansi):
        services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline;")


def test_list_pages_have_a_fixed_query_count(client, pic, aks, make_pegawai, django_assert_num_queries):
    client.force_login(pic)

    usulan_draf(make_pegawai, pic, aks, 2, 0)
    client.get(reverse("portal:beranda"))  # the session's activity stamps are written once, here
    counts = {}
    for name in ("pengusulan:dashboard", "pengusulan:pegawai_list"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(captured.captured_queries)
    usulan_draf(make_pegawai, pic, aks, 12, 100)
    for name, n in counts.items():
        with django_assert_num_queries(n):
            client.get(reverse(name))
    # The user, roles, instansi, unread-notification count and 2FA device are one query
    # (apps/portal/konteks.py), the session comes from the cache; counted here with the test
    # transaction's two savepoints around the request.
    assert counts == {"pengusulan:dashboard": 10, "pengusulan:pegawai_list": 5}


def test_the_dashboard_filters_and_puts_perbaikan_first(client, pic, aks, make_pegawai):
    ids = []
    for i in range(3):
        pegawai = make_pegawai(nip=f"19860926 2015051{i:03d}", nama=f"Pegawai {i}")
        with tenancy.scope(pic.instansi):
            ids.append(services.usulan_create(actor=pic, pegawai=pegawai, jf=aks).pk)
    with tenancy.scope(pic.instansi):
        Usulan.objects.filter(pk=ids[0]).update(status=Status.PERBAIKAN)
        Usulan.objects.filter(pk=ids[1]).update(status=Status.DIAJUKAN)
    client.force_login(pic)
    page = client.get(reverse("pengusulan:dashboard")).context["page"]
    assert next(iter(page)).pk == ids[0]
    only = client.get(reverse("pengusulan:dashboard"), {"status": "diajukan"}).context["page"]
    assert [u.pk for u in only] == [ids[1]]
    found = client.get(reverse("pengusulan:dashboard"), {"q": "Pegawai 2"}).context["page"]
    assert [u.pk for u in found] == [ids[2]]
    by_nip = client.get(reverse("pengusulan:dashboard"), {"q": "19860926 2015051 001"}).context["page"]
    assert [u.pk for u in by_nip] == [ids[1]]


def test_ppk_reads_but_cannot_change(client, ppk_a, pic, aks, make_pegawai):
    pegawai = make_pegawai()
    client.force_login(ppk_a)
    assert client.get(reverse("pengusulan:pegawai_detail", args=[pegawai.pk])).status_code == 200
    assert client.get(reverse("pengusulan:pegawai_create")).status_code == 403
    assert client.post(reverse("pengusulan:usulan_create", args=[pegawai.pk]), {"jf": "aks"}).status_code == 403


def test_a_stale_pegawai_form_is_refused_and_keeps_the_input(client, pic, make_pegawai):
    pegawai = make_pegawai()
    url = reverse("pengusulan:pegawai_update", args=[pegawai.pk])
    client.force_login(pic)
    form = client.get(url).context
    old = form["versi"]
    data = {k: (v.pk if hasattr(v, "pk") else ("" if v is None else v)) for k, v in form["form"].initial.items()}
    data |= {
        "pengalaman_tahun": 3,
        "pengalaman_bulan_sisa": 0,
        "hukuman_disiplin": "tidak_ada",
        "tmt_golongan": "2021-04-01",
        "tanggal_lahir": "",
        "tanggal_hukuman": "",
        "nip": pegawai.nip,
    }
    assert client.post(url, {**data, "jabatan_saat_ini": "Pertama", "versi": old}).status_code == 302
    stale = client.post(url, {**data, "jabatan_saat_ini": "Kedua", "versi": old})
    assert stale.status_code == 200
    assert "telah diubah oleh pengguna lain" in stale.content.decode()
    assert 'value="Kedua"' in stale.content.decode()
    with tenancy.scope(pic.instansi):
        pegawai.refresh_from_db()
    assert pegawai.jabatan_saat_ini == "Pertama"
