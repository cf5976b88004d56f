"""The holder submits their own usulan penetapan angka kredit where the JF allows it (seed 001
BAB IV B: the JFAK fills the DUPAK online), on the pages and over the API, and follows its status;
nothing of another holder is reachable (404), and with the JF's flag off the holder only follows
what the PIC submits."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core import tenancy
from apps.penetapan import services
from apps.penetapan.models import DokumenPenetapan, UsulanPenetapanAK
from apps.penetapan.tasks import penerima
from tests.factories import UserFactory
from tests.pdfs import pdf_dokumen
from tests.penetapan.conftest import bentuk_tim, buat_pejabat

pytestmark = pytest.mark.django_db

#: 3 October 2026, 09.00 WIB: inside seed 001's October window (1-7 October).
OKTOBER = datetime(2026, 10, 3, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def jam():
    with time_machine.travel(OKTOBER, tick=True):
        yield


def _izinkan(jf, boleh=True):
    jf.pejabat_boleh_mengajukan_ak = boleh
    jf.save(update_fields=["pejabat_boleh_mengajukan_ak"])


def _holder(kab, jf, username, nip, nama):
    user = UserFactory(username=username, instansi=kab, roles=["pejabat_fungsional"])
    return user, buat_pejabat(kab, jf, nip=nip, nama=nama, user=user)


def _pdf(jenis):
    return SimpleUploadedFile(f"{jenis}.pdf", pdf_dokumen(jenis), "application/pdf")


def test_the_shipped_jfak_lets_its_holders_submit_and_other_jfs_do_not(referensi):
    assert referensi["analis-kebijakan"].pejabat_boleh_mengajukan_ak is True
    assert referensi["pengantar-kerja"].pejabat_boleh_mengajukan_ak is False


def test_the_holder_submits_their_own_usulan_and_follows_its_status(jam, client, jfak, kab, prov):
    _izinkan(jfak)
    tim = bentuk_tim(prov, jfak, "provinsi")
    user, pejabat = _holder(kab, jfak, "ani.jfak", "198609262015052001", "Ani Wulandari")
    client.force_login(user)
    page = client.get(reverse("saya:beranda")).content.decode()
    assert reverse("saya:usulan_penetapan_buat") in page
    assert "Periode I" in page and "7 Oktober 2026" in page  # the open window and its deadline
    r = client.post(reverse("saya:usulan_penetapan_buat"))
    with tenancy.all_tenants(reason="test assertion"):
        usulan = UsulanPenetapanAK.objects.get(pejabat=pejabat)
    assert r.status_code == 302 and r["Location"] == reverse("penetapan:detail", args=[usulan.pk])
    assert (usulan.status, usulan.dibuat_oleh_id, usulan.instansi_id) == ("draft", user.pk, kab.pk)
    for jenis in services.DOKUMEN_WAJIB:
        r = client.post(reverse("penetapan:dokumen_unggah", args=[usulan.pk]), {"jenis": jenis, "berkas": _pdf(jenis)})
        assert r.status_code == 302, r.content.decode()[:2000]
    detail = client.get(reverse("penetapan:detail", args=[usulan.pk])).content.decode()
    assert "SK jabatan fungsional terakhir" in detail and 'value="ajukan"' in detail
    assert client.post(reverse("penetapan:aksi", args=[usulan.pk]), {"aksi": "ajukan"}).status_code == 302
    with tenancy.all_tenants(reason="test assertion"):
        usulan.refresh_from_db()
        assert DokumenPenetapan.objects.filter(usulan=usulan, pejabat=pejabat).count() == 4
        # The holder hears of the sekretariat's decision, as the PIC does.
        assert user in penerima(usulan, "kembalikan")
    assert (usulan.status, usulan.tim_id) == ("diajukan", tim["tim"].pk)
    assert "Diajukan, menunggu pemeriksaan sekretariat" in client.get(reverse("saya:beranda")).content.decode()
    api = client.get(reverse("api:penetapan-usulan-detail", args=[usulan.pk]))
    assert api.status_code == 200 and api.json()["status"] == "diajukan"


def test_the_holder_submits_over_the_api_for_their_own_record_only(jam, client, jfak, kab, prov, pic_kab):
    _izinkan(jfak)
    bentuk_tim(prov, jfak, "provinsi")
    user, pejabat = _holder(kab, jfak, "ani.jfak", "198609262015052001", "Ani Wulandari")
    _lain, budi = _holder(kab, jfak, "budi.jfak", "198701012015051002", "Budi Prakoso")
    client.force_login(user)
    url = reverse("api:penetapan-usulan-list")
    assert client.post(url, {"pejabat": budi.pk}, content_type="application/json").status_code == 404
    r = client.post(url, {"pejabat": pejabat.pk}, content_type="application/json")
    assert r.status_code == 201 and r.json()["pejabat"] == pejabat.pk
    pk = r.json()["id"]
    for jenis in services.DOKUMEN_WAJIB:
        r = client.post(reverse("api:penetapan-usulan-dokumen", args=[pk]), {"jenis": jenis, "berkas": _pdf(jenis)})
        assert r.status_code == 201
    r = client.post(reverse("api:penetapan-usulan-ajukan", args=[pk]), content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "diajukan"
    with tenancy.all_tenants(reason="test assertion"):
        assert not UsulanPenetapanAK.objects.filter(pejabat=budi).exists()


def test_another_holders_usulan_is_404_everywhere(jam, client, jfak, kab, prov, pic_kab):
    _izinkan(jfak)
    bentuk_tim(prov, jfak, "provinsi")
    user, _ani = _holder(kab, jfak, "ani.jfak", "198609262015052001", "Ani Wulandari")
    _lain, budi = _holder(kab, jfak, "budi.jfak", "198701012015051002", "Budi Prakoso")
    with tenancy.activate(tenancy.scope_for_user(pic_kab)):
        milik_budi = services.usulan_buat(actor=pic_kab, pejabat=budi)
        services.dokumen_unggah(actor=pic_kab, usulan=milik_budi, jenis="skp", upload=_pdf("skp"))
        dok = DokumenPenetapan.objects.get(usulan=milik_budi)
    client.force_login(user)
    pk = milik_budi.pk
    for url, method in (
        (reverse("penetapan:detail", args=[pk]), "get"),
        (reverse("penetapan:aksi", args=[pk]), "post"),
        (reverse("penetapan:dokumen_unggah", args=[pk]), "post"),
        (reverse("penetapan:dokumen_unduh", args=[dok.pk]), "get"),
        (reverse("api:penetapan-usulan-detail", args=[pk]), "get"),
        (reverse("api:penetapan-usulan-ajukan", args=[pk]), "post"),
        (reverse("api:penetapan-usulan-batalkan", args=[pk]), "post"),
        (reverse("api:penetapan-usulan-dokumen", args=[pk]), "post"),
    ):
        assert getattr(client, method)(url, {"aksi": "ajukan"}).status_code == 404, url
    assert [u["id"] for u in client.get(reverse("api:penetapan-usulan-list")).json()["results"]] == []
    with tenancy.all_tenants(reason="test assertion"):
        milik_budi.refresh_from_db()
        assert milik_budi.status == "draft" and milik_budi.dokumen.count() == 1


def test_with_the_jf_flag_off_the_holder_follows_but_does_not_submit(jam, client, jfak, kab, prov, pic_kab):
    _izinkan(jfak, False)
    bentuk_tim(prov, jfak, "provinsi")
    user, ani = _holder(kab, jfak, "ani.jfak", "198609262015052001", "Ani Wulandari")
    client.force_login(user)
    assert reverse("saya:usulan_penetapan_buat") not in client.get(reverse("saya:beranda")).content.decode()
    assert client.post(reverse("saya:usulan_penetapan_buat")).status_code == 404
    with tenancy.activate(tenancy.scope_for_user(pic_kab)):
        usulan = services.usulan_buat(actor=pic_kab, pejabat=ani)
    detail = client.get(reverse("penetapan:detail", args=[usulan.pk]))
    assert detail.status_code == 200 and 'value="ajukan"' not in detail.content.decode()
    client.post(reverse("penetapan:aksi", args=[usulan.pk]), {"aksi": "ajukan"})
    r = client.post(reverse("penetapan:dokumen_unggah", args=[usulan.pk]), {"jenis": "skp", "berkas": _pdf("skp")})
    assert r.status_code == 403
    with tenancy.all_tenants(reason="test assertion"):
        usulan.refresh_from_db()
        assert usulan.status == "draft" and not usulan.dokumen.exists()


def test_the_pic_hears_when_the_holder_submits_their_own_usulan(jam, client, jfak, kab, prov, pic_kab, mailoutbox):
    """In the portal and by e-mail, as every other notice; a submission by the PIC itself does
    not notify the PIC."""
    from apps.core.models import OutboxMessage
    from apps.notifikasi.models import Notifikasi
    from apps.penetapan.tasks import kabari

    _izinkan(jfak)
    tim = bentuk_tim(prov, jfak, "provinsi")
    user, pejabat = _holder(kab, jfak, "ani.jfak", "198609262015052001", "Ani Wulandari")
    client.force_login(user)
    client.post(reverse("saya:usulan_penetapan_buat"))
    with tenancy.all_tenants(reason="test assertion"):
        usulan = UsulanPenetapanAK.objects.get(pejabat=pejabat)
    for jenis in services.DOKUMEN_WAJIB:
        client.post(reverse("penetapan:dokumen_unggah", args=[usulan.pk]), {"jenis": jenis, "berkas": _pdf(jenis)})
    assert client.post(reverse("penetapan:aksi", args=[usulan.pk]), {"aksi": "ajukan"}).status_code == 302
    pesan = OutboxMessage.objects.get(task_name="penetapan.kabari", kwargs__aksi="ajukan")
    assert kabari.apply(kwargs=pesan.kwargs).get() == 2  # the team's sekretariat and the PIC
    n = Notifikasi.objects.get(user=pic_kab)
    assert n.judul == "Usulan penetapan AK baru: Ani Wulandari"
    assert "Diajukan sendiri oleh pejabat fungsional" in n.isi
    assert n.url == reverse("penetapan:detail", args=[usulan.pk])
    assert Notifikasi.objects.filter(user=tim["sekretariat"]).exists()
    assert any(pic_kab.email in m.to for m in mailoutbox)
    # The PIC's own submission: the sekretariat hears of it, the PIC does not hear of itself.
    from tests.penetapan.conftest import usulan_diajukan

    budi = buat_pejabat(kab, jfak, nip="198701012015051002", nama="Budi Prakoso")
    ub = usulan_diajukan(pic_kab, budi, pada=OKTOBER.date())
    with tenancy.all_tenants(reason="test assertion: the task reads across instansi"):
        assert [u.pk for u in penerima(ub, "ajukan", kecuali=pic_kab.pk)] == [tim["sekretariat"].pk]


def test_the_holders_page_says_who_submitted_each_usulan(jam, client, jfak, kab, prov, pic_kab):
    """Issue 19: a holder who created and submitted their own usulan was told "diajukan oleh PIC
    instansi"; each usulan now names its submitter (the holder or the PIC)."""
    from django.utils.html import escape

    _izinkan(jfak)
    bentuk_tim(prov, jfak, "provinsi")
    user, ani = _holder(kab, jfak, "ani.jfak", "198609262015052001", "Ani Wulandari")
    user_budi, budi = _holder(kab, jfak, "budi.jfak", "198701012015051002", "Budi Prakoso")

    def ajukan(actor, pejabat):
        with tenancy.activate(tenancy.scope_for_user(actor)):
            u = services.usulan_buat(actor=actor, pejabat=pejabat)
            for jenis in services.DOKUMEN_WAJIB:
                services.dokumen_unggah(actor=actor, usulan=u, jenis=jenis, upload=_pdf(jenis))
            services.usulan_ajukan(actor=actor, usulan=u)

    ajukan(user, ani)
    ajukan(pic_kab, budi)
    client.force_login(user)
    page = client.get(reverse("saya:beranda")).content.decode()
    assert "diajukan oleh PIC instansi; statusnya" not in page
    assert "Diajukan oleh" in page and "<td>Anda</td>" in page and "PIC instansi (" not in page
    client.force_login(user_budi)
    page = client.get(reverse("saya:beranda")).content.decode()
    assert f"<td>PIC instansi ({escape(pic_kab.nama_lengkap)})</td>" in page and "<td>Anda</td>" not in page
