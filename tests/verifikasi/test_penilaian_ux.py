"""Scoring (issue 14, item 7): the penilai sees each competency's description and indicators;
recommending lulus with a competency below the required level needs a written reason; the admin
is told before assigning when the jenjang has no standard; the penilai hears of an assignment and
the ketua hears when 2/3 have scored."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import OutboxMessage
from apps.notifikasi.models import Notifikasi
from apps.referensi.models import Kompetensi, PersyaratanDokumen
from apps.verifikasi import services
from apps.verifikasi.models import PenugasanPenilai
from apps.verifikasi.tasks import kabari_penilaian
from tests.factories import gol_penilai
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _memenuhi(usulan, v):
    with as_user(v):
        services.pemeriksaan_mulai(actor=v, usulan=usulan)
        hasil = {
            p.pk: (True, "")
            for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
        }
        services.pemeriksaan_catat_dokumen(actor=v, usulan=usulan, hasil=hasil)
        services.pemeriksaan_putuskan(actor=v, usulan=usulan, keputusan="memenuhi")


@pytest.fixture
def tim(pk, staf):
    g = gol_penilai()
    with as_user(staf["admin"]):
        return services.tim_bentuk(
            actor=staf["admin"], jf=pk, nama="Tim PK", mulai=date(2026, 1, 1), selesai=date(2028, 12, 31),
            anggota=[(staf["ketua"], "ketua", True, g), (staf["penilai1"], "sekretaris", True, g),
                     (staf["penilai2"], "anggota", False, g)],
        )  # fmt: skip


def _kirim_outbox(jenis):
    messages = [m for m in OutboxMessage.objects.filter(task_name="verifikasi.kabari_penilaian")
                if m.kwargs["jenis"] == jenis]  # fmt: skip
    for m in messages:
        kabari_penilaian.apply(kwargs=m.kwargs, task_id=str(uuid.uuid4()), throw=True)
    return messages


def test_scoring_is_guided_and_the_team_is_told(client, diajukan, staf, tim):
    usulan = diajukan(1)[0]
    _memenuhi(usulan, staf["verifikator"])
    penilai = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=penilai)
    assert len(_kirim_outbox("ditugaskan")) == 3
    with tenancy.all_tenants(reason="test"):
        assert Notifikasi.objects.filter(user=staf["penilai1"], jenis="penilaian.ditugaskan").count() == 1
    standar = list(Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).order_by("nomor"))

    p1 = staf["penilai1"]
    with as_user(p1):
        tugas = PenugasanPenilai.objects.get(usulan=usulan, penilai=p1)
        services.penugasan_bebas_konflik(actor=p1, penugasan=tugas)
    client.force_login(p1)
    html = client.get(reverse("verifikasi:nilai", args=[tugas.pk])).content.decode()
    assert 'data-testid="uraian-kompetensi"' in html
    assert standar[0].indikator and standar[0].indikator[0] in html
    rendah = {k.pk: (k.level - 1 if i == 0 else k.level, "") for i, k in enumerate(standar)}
    response = client.post(
        reverse("verifikasi:nilai", args=[tugas.pk]),
        {**{f"level_{pk}": lv for pk, (lv, _b) in rendah.items()}, "rekomendasi": "lulus", "catatan": "", "kirim": "1"},
    )
    assert "memerlukan alasan tertulis" in response.content.decode()
    with as_user(p1):
        tugas.refresh_from_db()
    assert tugas.selesai_at is None
    with as_user(p1):
        services.nilai_simpan(actor=p1, penugasan=tugas, nilai=rendah, rekomendasi="lulus", selesai=True,
                              catatan="Bukti lapangan menutup kekurangan kompetensi 1.")  # fmt: skip
    assert _kirim_outbox("dua_pertiga") == []  # 1 of 3
    ketua = staf["ketua"]
    with as_user(ketua):
        t = PenugasanPenilai.objects.get(usulan=usulan, penilai=ketua)
        services.penugasan_bebas_konflik(actor=ketua, penugasan=t)
        penuh = {k.pk: (k.level, "") for k in standar}
        services.nilai_simpan(actor=ketua, penugasan=t, nilai=penuh, rekomendasi="lulus", selesai=True)
    assert len(_kirim_outbox("dua_pertiga")) == 1  # 2 of 3: the ketua may open the sidang
    with tenancy.all_tenants(reason="test"):
        assert Notifikasi.objects.filter(user=ketua, jenis="penilaian.dua_pertiga").count() == 1


def test_the_admin_is_told_when_the_jenjang_has_no_standard(client, diajukan, staf, tim):
    usulan = diajukan(1)[0]
    _memenuhi(usulan, staf["verifikator"])
    client.force_login(staf["admin"])
    assert (
        'data-testid="tanpa-standar"'
        not in client.get(reverse("verifikasi:tim_detail", args=[tim.pk])).content.decode()
    )
    with tenancy.all_tenants(reason="test removes the standard"):
        Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).delete()
    html = client.get(reverse("verifikasi:tim_detail", args=[tim.pk])).content.decode()
    assert 'data-testid="tanpa-standar"' in html


def test_the_penilai_sees_which_competency_text_is_unverified(client, diajukan, staf, tim):
    """The standard's per-row doubt (a copied or unverified text) is on the scoring page too, not only
    on the JF page: the penilai scores against that text."""
    usulan = diajukan(1)[0]
    _memenuhi(usulan, staf["verifikator"])
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai1"]])
    ragu = Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id).order_by("jenis", "nomor").last()
    Kompetensi.objects.filter(pk=ragu.pk).update(catatan="Belum terverifikasi: teks ini disalin dari jenjang lain.")
    p1 = staf["penilai1"]
    with as_user(p1):
        tugas = PenugasanPenilai.objects.get(usulan=usulan, penilai=p1)
        services.penugasan_bebas_konflik(actor=p1, penugasan=tugas)
    client.force_login(p1)
    html = client.get(reverse("verifikasi:nilai", args=[tugas.pk])).content.decode()
    assert html.count('data-testid="catatan-kompetensi"') == 1
    assert "teks ini disalin dari jenjang lain" in html
